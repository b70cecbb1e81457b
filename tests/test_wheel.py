"""The wheel a user installs with pip: built from a copy of the checkout, installed into a fresh venv in another
folder, it carries its model and self-test drawings and works with LiteRT and (without it) with numpy.

The venv installs the app's dependencies from the package registry (or pip's cache): about ten seconds.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# What a user's wheel is built from: the tracked sources, without local build output that setuptools would reuse
LOCAL_ONLY = (".git", ".venv*", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", "results")


def run(*cmd: str | Path, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """``pip wheel`` of a clean copy of the checkout."""
    out = tmp_path_factory.mktemp("wheel")
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*LOCAL_ONLY), symlinks=True)
    result = run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out / "dist", source, cwd=out)
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = (out / "dist").glob("digitgame-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv in a folder with a space and a non-ASCII letter, the wheel installed with its dependencies."""
    env_dir = tmp_path_factory.mktemp("fresh") / "dïgit venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    result = run(python, "-m", "pip", "install", "--quiet", wheel, cwd=env_dir)
    assert result.returncode == 0, result.stderr[-3000:]
    return env_dir


def command(env_dir: Path) -> Path:
    return env_dir / ("Scripts/digitgame.exe" if os.name == "nt" else "bin/digitgame")


def clean_env() -> dict[str, str]:
    """The environment without this checkout on the path and without a display."""
    drop = {"PYTHONPATH", "DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER", "VIRTUAL_ENV"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def seven_png(path: Path) -> Path:
    """A PNG of the self-test's plain 7, drawn black on white with Pillow (as a scan of paper would be)."""
    drawing = json.loads((ROOT / "assets" / "selftest" / "7-plain.json").read_text())
    image = Image.new("L", (drawing["width"], drawing["height"]), 255)
    pen = ImageDraw.Draw(image)
    for stroke in drawing["strokes"]:
        pen.line([tuple(p) for p in stroke], fill=0, width=28, joint="curve")
    image.save(path)
    return path


def test_the_wheel_carries_the_model_its_card_and_the_self_test_drawings(wheel) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("digit_cnn.tflite", "digit_cnn.weights.npz", "model_card.json"):
        assert f"digitgame/models/{name}" in names
    drawings = {p.name for p in (ROOT / "assets" / "selftest").glob("*.json")}
    assert {n.rsplit("/", 1)[-1] for n in names if n.startswith("digitgame/assets/selftest/")} == drawings
    assert "digitgame/assets/icon.png" in names
    assert not any(n.endswith(".keras") or n.startswith(("tests/", "training/")) for n in names)


def test_the_installed_command_passes_its_self_test_and_reads_a_png(installed, tmp_path) -> None:
    result = run(command(installed), "--self-test", cwd=tmp_path, env=clean_env())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "site-packages" in result.stdout and "(litert)" in result.stdout
    png = seven_png(tmp_path / "seven.png")
    result = run(command(installed), "predict", png, "--no-profile", "--json", cwd=tmp_path, env=clean_env())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["digit"] == 7


def test_without_litert_the_installed_app_reads_with_numpy(installed, tmp_path) -> None:
    python = installed / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert run(python, "-m", "pip", "uninstall", "--yes", "--quiet", "ai-edge-litert", cwd=tmp_path).returncode == 0
    result = run(command(installed), "--self-test", cwd=tmp_path, env=clean_env())
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "(numpy)" in result.stdout
