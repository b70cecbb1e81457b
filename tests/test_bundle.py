"""The standalone bundle: built by packaging/build.py, small, free of TensorFlow, working from any folder.

The build takes about half a minute once the lean environment (build/venv-bundle) exists;
creating that the first time adds a pip install.  The bundle is moved to a folder whose name
has a space and a non-ASCII letter, and always run from another working directory.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import numpy as np
import pytest

from digitgame.live.drawing import Drawing

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "packaging" / "build.py"
LEAN_VENV = ROOT / "build" / "venv-bundle"  # kept between runs: it is the slow part of a first build
MAX_BUNDLE_BYTES = 100_000_000
FORBIDDEN = ["*tensorflow*", "libtensorflow*", "_pywrap_tensorflow*", "*keras*"]
NO_DISPLAY = {"DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER"}


def load_build_module():
    """packaging/build.py as a module (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location("digitgame_packaging_build", BUILD)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(program: Path, *args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Build with packaging/build.py into a temporary folder, then move it to 'dïgit game/'."""
    out = tmp_path_factory.mktemp("bundle")
    cmd = [sys.executable, str(BUILD), "--dist", str(out / "dist"), "--work", str(out / "work")]
    result = subprocess.run([*cmd, "--venv", str(LEAN_VENV), "--no-self-test"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    moved = out / "dïgit game" / "digitgame"
    moved.parent.mkdir()
    shutil.move(out / "dist" / "digitgame", moved)
    return moved


@pytest.fixture(scope="module")
def program(bundle) -> Path:
    """The frozen executable inside the moved bundle."""
    return bundle / ("digitgame.exe" if os.name == "nt" else "digitgame")


@pytest.fixture()
def seven(bundle) -> Path:
    """A stroke file of a 7, kept inside the bundle's oddly named folder."""
    drawing = Drawing(560, 560, [[(120.0, 110.0), (440.0, 110.0), (330.0, 300.0), (250.0, 470.0)]])
    return drawing.to_file().save(bundle.parent / "sept à moi.json")


@pytest.mark.slow
def test_bundle_is_small_and_has_no_tensorflow(bundle):
    assert load_build_module().folder_bytes(bundle) <= MAX_BUNDLE_BYTES
    names = [name.lower() for _, dirs, files in os.walk(bundle) for name in dirs + files]
    assert [n for n in names if any(fnmatch.fnmatch(n, p) for p in FORBIDDEN)] == []
    assert not (bundle / "_internal" / "scipy").exists() and not [n for n in names if n.startswith("scipy")]
    assert (bundle / "_internal" / "models" / "digit_cnn.tflite").is_file()
    assert sorted(p.name for p in (bundle / "_internal" / "assets" / "selftest").glob("*.json")) == sorted(
        p.name for p in (ROOT / "assets" / "selftest").glob("*.json")
    )


@pytest.mark.slow
def test_self_test_passes_in_the_bundle(program, tmp_path):
    result = run(program, "--self-test", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("self-test PASSED")
    assert "(bundle)" in result.stdout and "dïgit game" in result.stdout  # the bundled model, found by paths.py


@pytest.mark.slow
def test_predict_json_gives_the_same_answer_as_the_source(program, seven, recognizer, tmp_path):
    c_locale = {**os.environ, "LC_ALL": "C", "LANG": "C"}  # the hardest case for a non-ASCII path
    result = run(program, "predict", "--json", str(seven), cwd=tmp_path, env=c_locale)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    expected = recognizer.read_file(seven).single
    assert answer["file"] == str(seven)
    assert answer["digit"] == expected.digit
    np.testing.assert_allclose(answer["probabilities"], expected.probabilities, atol=1e-5)


@pytest.mark.slow
def test_predict_reads_images_and_reports_bad_files(program, recognizer, tmp_path):
    pygame = pytest.importorskip("pygame")
    image = pygame.Surface((200, 200))
    image.fill((255, 255, 255))
    pygame.draw.line(image, (0, 0, 0), (100, 30), (96, 170), 14)
    pygame.image.save(image, str(tmp_path / "one.png"))
    (tmp_path / "broken.json").write_text("{not json")
    result = run(program, "predict", "one.png", "broken.json", "missing.png", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"one.png: {recognizer.read_file(tmp_path / 'one.png').single.digit} (")
    assert [line.split(":")[0] for line in result.stderr.splitlines()] == ["broken.json", "missing.png"]


@pytest.mark.slow
def test_screenshot_renders_a_frame_without_a_display(program, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    result = run(program, "--windowed", "--size", "800x600", "--screenshot", "shot.png", cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    pygame = pytest.importorskip("pygame")
    assert pygame.image.load(str(tmp_path / "shot.png")).get_size() == (800, 600)


@pytest.mark.slow
def test_no_display_is_one_clear_line(program, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in NO_DISPLAY}
    result = run(program, "--windowed", cwd=tmp_path, env=env)
    assert result.returncode == 1
    assert result.stderr.startswith("digitgame: no display available") and result.stderr.count("\n") == 1


@pytest.mark.slow
def test_missing_model_is_one_line(program, tmp_path):
    result = run(program, "--self-test", "--model", str(tmp_path / "nope.tflite"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "nope.tflite" in result.stderr


def test_build_refuses_an_environment_with_tensorflow(tmp_path):
    fat = tmp_path / "fat venv"
    venv.EnvBuilder(with_pip=False).create(fat)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(fat), "platbase": str(fat)}))
    (site / "tensorflow").mkdir(parents=True)
    (site / "tensorflow" / "__init__.py").write_text("")
    cmd = [sys.executable, str(BUILD), "--venv", str(fat), "--dist", str(tmp_path / "dist"), "--work", str(tmp_path)]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "contains tensorflow" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "dist").exists()


def test_the_recogniser_runs_without_scipy():
    """The bundle leaves SciPy out: recognising a drawing and an image must not need it."""
    probe = (
        "import sys; sys.modules['scipy'] = None\n"
        "from digitgame.recognition.predictor import load_predictor; from digitgame.recognition.recognizer import Recognizer\n"
        "import numpy as np; r = Recognizer(load_predictor())\n"
        "image = np.zeros((40, 30)); image[5:35, 14:17] = 1.0\n"
        "print(r.read_strokes([[(0, 0), (0, 100)]], 560, 560).number, r.read_image(image).number)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "1"]


def test_the_app_package_never_imports_training_code():
    """digitgame/ is what ships: training/, SciPy, scikit-image and scikit-learn stay out of every import in it."""
    import ast

    offline = {"training", "train_model", "scipy", "skimage", "sklearn"}
    found = []
    for path in sorted((ROOT / "digitgame").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            names += [node.module] if isinstance(node, ast.ImportFrom) and node.module else []
            found += [f"{path.name}: {n}" for n in names if n.split(".")[0] in offline]
    assert found == []
