"""Where a model came from, for its card: the command, the code's commit, the libraries, the machine and the time."""

from __future__ import annotations

import contextlib
import os
import platform
import shlex
import subprocess
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
CODE = ("train_model.py", "training", "digitgame")  # what shapes a model: the recipe and the app's own input paths
# The vector instructions TensorFlow's CPU kernels (oneDNN) choose between: another set rounds
# differently, and training grows that into another model (docs/training.md), so the card says which.
VECTOR_FLAGS = ("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16")


def provenance(argv: list[str], started: float) -> dict[str, Any]:
    """The card's record of how this run was made; ``started``: time.time() when the run began."""
    return {
        "command": shlex.join(["python", "train_model.py", *argv]),
        "code": code_version(),
        "library_versions": library_versions(),
        "machine": {"platform": platform.platform(), **processor(), "cpus": os.cpu_count()},
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
    }


def processor(cpuinfo: Path = Path("/proc/cpuinfo")) -> dict[str, Any]:
    """The processor's name and which of VECTOR_FLAGS it has (Linux's ``cpuinfo``; elsewhere the name only)."""
    model, flags = "", set[str]()
    with contextlib.suppress(OSError, UnicodeDecodeError):
        for line in cpuinfo.read_text(encoding="utf-8").splitlines():  # one block per CPU: the first says it
            key, _, value = (part.strip() for part in line.partition(":"))
            if key == "model name" and not model:
                model = value
            elif key == "flags" and not flags:
                flags = set(value.split())
    return {"processor": model or platform.processor(), "vector_flags": [f for f in VECTOR_FLAGS if f in flags]}


def code_version() -> dict[str, Any]:
    """The commit the code was at, and which files of the code differed from it ("unknown" outside a git checkout)."""
    try:
        commit = _git("rev-parse", "HEAD").strip()
        changed = _git("status", "--porcelain", "--untracked-files=no", "--", *CODE).splitlines()
    except (OSError, subprocess.CalledProcessError):
        return {"commit": "unknown", "changed_files": []}
    return {"commit": commit, "changed_files": sorted(line[3:] for line in changed)}


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True, timeout=30).stdout


def library_versions() -> dict[str, str]:
    """Versions that shaped the model."""
    import keras
    import scipy
    import tensorflow as tf

    versions = {"python": platform.python_version(), "tensorflow": tf.__version__, "keras": keras.__version__}
    versions |= {"numpy": np.__version__, "scipy": scipy.__version__}
    with contextlib.suppress(Exception):
        import skimage

        versions["scikit-image"] = str(getattr(skimage, "__version__", ""))
    with contextlib.suppress(Exception):
        from importlib.metadata import version

        versions["scikit-learn"] = version("scikit-learn")
        versions["ai-edge-litert"] = version("ai-edge-litert")
    return versions
