"""packaging/platforms.py, offline: setup.cfg's markers give each platform what has wheels there.

The pip half (does the index hold the wheels?) needs the network: `python packaging/platforms.py`.
What is checked here is the marker half, against the wheels ai-edge-litert 2.3.0 and TensorFlow
2.21 publish (the script's own run lists them; setup.cfg's comments say so).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "packaging" / "platforms.py"

LITERT = {"macOS arm64", "Windows amd64", "Linux x86-64", "Linux aarch64"}  # ai-edge-litert's wheels
TENSORFLOW = {  # the train extra's TensorFlow by platform; none where 2.21 has no wheel
    "macOS x86-64": None,
    "macOS arm64": "tensorflow",
    "Windows amd64": "tensorflow-cpu",
    "Windows arm64": None,
    "Linux x86-64": "tensorflow-cpu",
    "Linux aarch64": "tensorflow",
}


@pytest.fixture(scope="module")
def platforms():
    """packaging/platforms.py as a module (packaging/ is not a package)."""
    spec = importlib.util.spec_from_file_location("digitgame_packaging_platforms", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_the_six_platforms_are_checked(platforms):
    assert {t.name for t in platforms.TARGETS} == set(TENSORFLOW)


def test_litert_only_where_it_has_wheels_and_the_rest_everywhere(platforms):
    groups = platforms.declared()
    everywhere = {r.name for r in groups["app"]} - {"ai-edge-litert"}
    assert {"pygame-ce", "numpy", "pillow"} <= everywhere
    for target in platforms.TARGETS:
        names = {r.name for r in platforms.applying(groups["app"], target)}
        assert names == everywhere | ({"ai-edge-litert"} if target.name in LITERT else set()), target.name


def test_the_train_extra_offers_tensorflow_only_where_it_has_wheels(platforms):
    groups = platforms.declared()
    for target in platforms.TARGETS:
        tf = [r.name for r in platforms.applying(groups["train"], target, "train") if r.name.startswith("tensorflow")]
        assert tf == ([TENSORFLOW[target.name]] if TENSORFLOW[target.name] else []), target.name


def test_pip_is_handed_requirements_without_markers(platforms):
    (litert,) = [r for r in platforms.declared()["app"] if r.name == "ai-edge-litert"]
    assert litert.marker is not None and platforms.as_pip(litert) == "ai-edge-litert>=1.2"


def test_offline_run_prints_one_line_per_platform():
    out = subprocess.run(
        [sys.executable, str(SCRIPT), "--offline"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    lines = out.splitlines()
    assert len(lines) == 6 and sum("numpy fallback" in line for line in lines) == 2
