"""numpy_net: the numpy fallback reads as LiteRT reads, is chosen only without LiteRT, and refuses bad weight files."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

from digitgame.commands.selftest import SELFTEST_FOLDER, find_cases
from digitgame.files import paths
from digitgame.recognition import numpy_net
from digitgame.recognition.model import INPUT_SHAPE
from digitgame.recognition.predictor import (
    CARD_NAME,
    LiteRTPredictor,
    ModelError,
    NumpyPredictor,
    Outputs,
    load_predictor,
    weights_path,
)
from digitgame.recognition.recognizer import Recognizer

TOLERANCE = 1e-5  # |numpy - LiteRT|, the same float32 network summed in another order


@pytest.fixture(scope="module")
def numpy_predictor() -> NumpyPredictor:
    return NumpyPredictor(weights_path(paths.model_path()))


def assert_same_outputs(ours: Outputs, theirs: Outputs) -> None:
    np.testing.assert_allclose(ours.probabilities, theirs.probabilities, rtol=0, atol=TOLERANCE)
    assert ours.not_digit is not None and theirs.not_digit is not None
    np.testing.assert_allclose(ours.not_digit, theirs.not_digit, rtol=0, atol=TOLERANCE)
    assert ours.embeddings is not None and theirs.embeddings is not None
    np.testing.assert_allclose(ours.embeddings, theirs.embeddings, rtol=0, atol=TOLERANCE)


def test_numpy_agrees_with_litert_on_mnist_test_digits(numpy_predictor, predictor, mnist):
    assert predictor.backend == "litert" and numpy_predictor.backend == "numpy"
    assert numpy_predictor.embedding_size == predictor.embedding_size == 33
    assert numpy_predictor.not_a_digit_threshold == predictor.not_a_digit_threshold
    assert numpy_predictor.not_a_digit_doubt == predictor.not_a_digit_doubt
    x = mnist.x_test[::25].astype(np.float32) / 255.0  # 400 digits across the whole test set
    assert_same_outputs(numpy_predictor.predict(x), predictor.predict(x))


class Recording:
    """A predictor that passes every batch to LiteRT and keeps the inputs it was given."""

    def __init__(self, inner: LiteRTPredictor) -> None:
        self.inner, self.inputs = inner, list[np.ndarray]()
        self.backend, self.path, self.embedding_size = inner.backend, inner.path, inner.embedding_size
        self.not_a_digit_threshold = inner.not_a_digit_threshold
        self.not_a_digit_doubt = inner.not_a_digit_doubt

    def predict(self, images: np.ndarray) -> Outputs:
        self.inputs.append(np.asarray(images, np.float32).reshape(-1, *INPUT_SHAPE))
        return self.inner.predict(images)


def test_numpy_agrees_with_litert_on_the_self_test_drawings(numpy_predictor, predictor):
    recording = Recording(predictor)
    cases = find_cases(paths.asset_path(SELFTEST_FOLDER))
    lite_readings = [Recognizer(recording).read_file(case.path) for case in cases]
    x = np.concatenate(recording.inputs)
    assert len(x) >= len(cases)
    assert_same_outputs(numpy_predictor.predict(x), predictor.predict(x))
    numpy_readings = [Recognizer(numpy_predictor).read_file(case.path) for case in cases]
    assert [r.number for r in numpy_readings] == [r.number for r in lite_readings]


def test_one_batched_call_gives_what_separate_calls_give(numpy_predictor, mnist):
    x = mnist.x_test[:5].astype(np.float32) / 255.0
    batched = numpy_predictor.predict(x)
    for i, image in enumerate(x):
        np.testing.assert_allclose(batched.probabilities[i], numpy_predictor.probabilities(image), atol=1e-6)
    assert numpy_predictor.predict(x[:0]).probabilities.shape == (0, 10)


def test_numpy_is_used_only_when_litert_cannot_be_imported(monkeypatch):
    assert load_predictor().backend == "litert"
    monkeypatch.setitem(sys.modules, "ai_edge_litert", None)  # as on a platform with no wheel
    monkeypatch.setitem(sys.modules, "ai_edge_litert.interpreter", None)
    fallback = load_predictor()
    assert fallback.backend == "numpy" and fallback.path == weights_path(paths.model_path())


def test_the_weights_file_is_written_byte_for_byte_the_same():
    arrays = numpy_net.read_weights(weights_path(paths.model_path()).read_bytes())
    content = numpy_net.weights_bytes(arrays)
    assert content == numpy_net.weights_bytes(dict(reversed(arrays.items())))
    assert content == weights_path(paths.model_path()).read_bytes()  # the committed file is this writer's output


def test_the_committed_weights_are_the_ones_the_card_describes():
    card = json.loads((paths.model_path().parent / CARD_NAME).read_text(encoding="utf-8"))
    assert card["weights_sha256"] == hashlib.sha256(weights_path(paths.model_path()).read_bytes()).hexdigest()


@pytest.fixture()
def model_copy(tmp_path):
    """The committed .tflite, weights and card, copied to a folder of their own."""
    for name in (paths.MODEL_FILE, weights_path(paths.model_path()).name, CARD_NAME):
        shutil.copy(paths.model_path().parent / name, tmp_path / name)
    return tmp_path / paths.MODEL_FILE


def damaged(good: bytes) -> bytes:
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    return bytes(flipped)


def foreign_npz(good: bytes) -> bytes:
    return numpy_net.weights_bytes({"dense.kernel": np.ones((3, 3), np.float32)})


def wrong_shape(good: bytes) -> bytes:
    arrays = numpy_net.read_weights(good)
    arrays["conv2.kernel"] = arrays["conv2.kernel"][..., :10]
    return numpy_net.weights_bytes(arrays)


def pickled(good: bytes) -> bytes:
    """An .npz whose array is pickled Python objects: refused unread (allow_pickle=False)."""
    buffer = io.BytesIO()
    np.savez(buffer, **{"conv1.kernel": np.array([{"a": 1}], dtype=object)})
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "with_card", "problem"),
    [
        (damaged, True, "does not match its model_card.json"),
        (lambda good: good[: len(good) // 2], False, "not a weights file"),
        (lambda good: b"", False, "empty"),
        (lambda good: b"hello\n", False, "not a weights file"),
        (foreign_npz, False, "no usable conv1.kernel"),
        (wrong_shape, False, "conv2 has the wrong shape"),
        (pickled, False, "not a weights file"),
    ],
)
def test_bad_weight_files_give_one_clear_line(model_copy, content, with_card, problem):
    weights = weights_path(model_copy)
    weights.write_bytes(content(weights.read_bytes()))
    if not with_card:
        (model_copy.parent / CARD_NAME).unlink()
    with pytest.raises(ModelError) as err:
        load_predictor(model_copy, backend="numpy")
    message = str(err.value)
    assert problem in message and str(weights) in message and "python train_model.py" in message
    assert "\n" not in message


def test_a_model_without_weights_beside_it_says_how_to_get_them(model_copy):
    weights_path(model_copy).unlink()
    with pytest.raises(ModelError, match="numpy fallback finds no") as err:
        load_predictor(model_copy, backend="numpy")
    assert "pip install ai-edge-litert" in str(err.value) and "\n" not in str(err.value)


def test_a_zip_that_is_no_npz_is_refused(model_copy):
    weights = weights_path(model_copy)
    with zipfile.ZipFile(weights, "w") as archive:
        archive.writestr("readme.txt", "hello")
    (model_copy.parent / CARD_NAME).unlink()
    with pytest.raises(ModelError, match="an entry is no float32 array"):
        load_predictor(model_copy, backend="numpy")


def test_the_numpy_fallback_reads_without_tensorflow_or_litert():
    """As on a platform with no LiteRT wheel: the app reads a digit, and neither TensorFlow nor LiteRT is imported."""
    code = textwrap.dedent(
        """
        import sys
        sys.modules["ai_edge_litert"] = None  # as on a platform with no wheel
        from digitgame.recognition.predictor import load_predictor
        from digitgame.recognition.recognizer import Recognizer
        predictor = load_predictor()
        p = Recognizer(predictor).read_strokes([[(0, 0), (0, 100)]], 560, 560).single
        assert predictor.backend == "numpy" and p.digit == 1, (predictor.backend, p.digit)
        print(sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "ai_edge_litert")))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=paths.resource_root()
    )
    assert out.stdout.strip() == "['ai_edge_litert']"  # only the blocked entry itself
