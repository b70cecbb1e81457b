"""predictor: the committed model's outputs, and clear errors for bad model files (numpy: test_numpy_net.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest

from digitgame.files import paths
from digitgame.recognition.predictor import ModelError, load_predictor
from digitgame.recognition.reading import CONFIDENT_MARGIN, CONFIDENT_PROBABILITY, Prediction


def test_probabilities_are_a_distribution(predictor, mnist):
    p = predictor.probabilities(mnist.x_test[0] / 255.0)
    assert p.shape == (10,) and p.dtype == np.float32
    assert p.min() >= 0 and p.sum() == pytest.approx(1.0, abs=1e-5)


def test_litert_prediction_never_imports_tensorflow():
    code = textwrap.dedent(
        """
        import sys
        from digitgame.recognition.predictor import load_predictor
        from digitgame.recognition.recognizer import Recognizer
        p = Recognizer(load_predictor()).read_strokes([[(0, 0), (0, 100)]], 560, 560).single
        assert p.digit is not None
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras")))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.resource_root()
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("backend", ["auto", "litert", "numpy"])
def test_a_keras_model_is_refused_with_the_way_out(backend):
    """The app never imports TensorFlow, so a .keras path is refused by every backend, naming the .tflite."""
    with pytest.raises(ModelError, match="is a Keras model") as err:
        load_predictor(paths.model_path().with_suffix(".keras"), backend=backend)
    assert f"pass --model {paths.model_path()}" in str(err.value)


@pytest.fixture()
def good_tflite() -> bytes:
    return paths.model_path().read_bytes()


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.tflite", lambda good: b"", "empty"),
        ("truncated.tflite", lambda good: good[: len(good) // 3], "corrupt or truncated"),
        ("header.tflite", lambda good: good[:16], "corrupt or truncated"),
        ("foreign.tflite", lambda good: b"PK\x03\x04 this is a zip file" * 10, "not a TensorFlow Lite model"),
        ("text.tflite", lambda good: b"hello\n", "not a TensorFlow Lite model"),
    ],
)
def test_bad_model_files_give_one_clear_line(tmp_path, good_tflite, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content(good_tflite))
    with pytest.raises(ModelError) as err:
        load_predictor(path, backend="litert")
    message = str(err.value)
    assert problem in message and str(path) in message and "python train_model.py" in message
    assert "\n" not in message


def test_missing_model_and_folder(tmp_path):
    with pytest.raises(ModelError, match="not found"):
        load_predictor(tmp_path / "absent.tflite", backend="litert")
    with pytest.raises(ModelError, match="not a file"):
        load_predictor(tmp_path, backend="litert")


@pytest.mark.slow  # TensorFlow in this process
def test_model_with_the_wrong_shape_is_refused(tmp_path):
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    inputs = keras.Input((32, 32, 3))
    outputs = keras.layers.Dense(5)(keras.layers.Flatten()(inputs))
    path = tmp_path / "other.tflite"
    path.write_bytes(tf.lite.TFLiteConverter.from_keras_model(keras.Model(inputs, outputs)).convert())
    with pytest.raises(ModelError, match="not a digit model"):
        load_predictor(path, backend="litert")


# --- Prediction -------------------------------------------------------------------


def test_prediction_reads_digit_runner_up_and_confidence():
    rng = np.random.default_rng(7)
    for _ in range(200):
        p = rng.dirichlet(np.full(10, rng.uniform(0.05, 2)))
        pred = Prediction.from_probabilities(p)
        order = np.argsort(p)[::-1]
        assert (pred.digit, pred.runner_up) == (order[0], order[1])
        assert pred.confidence == pytest.approx(p.max())
        expected = p[order[0]] >= CONFIDENT_PROBABILITY and p[order[0]] - p[order[1]] >= CONFIDENT_MARGIN
        assert pred.is_confident == expected


def test_empty_prediction_has_no_guess():
    pred = Prediction.empty()
    assert pred.digit is None and pred.runner_up is None and not pred.is_confident and pred.confidence == 0.0


def test_input_outside_the_contract_is_refused(predictor):
    with pytest.raises(ValueError):
        predictor.probabilities(np.full((28, 28), 2.0, dtype=np.float32))
    with pytest.raises(ValueError):
        predictor.probabilities(np.zeros((27, 28), dtype=np.float32))


def test_one_batched_call_gives_what_separate_calls_give(predictor, mnist):
    images = mnist.x_test[:7].astype(np.float32) / 255.0
    batched = predictor.predict(images)
    assert batched.probabilities.shape == (7, 10)
    for i, image in enumerate(images):
        np.testing.assert_allclose(batched.probabilities[i], predictor.probabilities(image), atol=1e-6)
    again = predictor.predict(images[:2])  # a smaller batch after a larger one
    np.testing.assert_allclose(again.probabilities, batched.probabilities[:2], atol=1e-6)


def test_threads_sharing_one_predictor_get_what_one_thread_gets():
    import threading

    predictor = load_predictor()  # its own interpreter: the session's is shared by other tests
    images = np.random.default_rng(0).random((7, 28, 28)).astype(np.float32)
    alone = {n: predictor.predict(images[:n]).probabilities for n in (1, 3, 7)}
    problems: list[str] = []

    def read(sizes: tuple[int, ...]) -> None:  # batches of other sizes than the other threads': the interpreter resizes
        try:
            for _ in range(400):
                for n in sizes:
                    if not np.array_equal(predictor.predict(images[:n]).probabilities, alone[n]):
                        problems.append(f"a batch of {n} read otherwise")
        except RuntimeError as exc:  # LiteRT: "There is at least 1 reference to internal data ..."
            problems.append(str(exc).splitlines()[0])

    threads = [threading.Thread(target=read, args=(sizes,)) for sizes in ((1, 7), (3, 1), (7, 3))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == []
