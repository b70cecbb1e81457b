"""Drawn-canvas evaluation: MNIST digits placed the way people draw, read back through the app's paths.

Used by ``train_model.py`` (for the model card), by ``benchmarks/canvas_accuracy.py`` (which
also round-trips every canvas through a PNG file) and by the tests.  No TensorFlow, no pygame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
from scipy import ndimage

from digitgame import preprocess

CANVAS_SIDE_PX = 560  # the benchmark canvas; the app's drawing area is of this order
SIZE_RANGE = (0.25, 0.80)  # the digit's 28x28 frame as a share of the canvas side


def place_on_canvas(image: np.ndarray, rng: np.random.Generator, side: int = CANVAS_SIDE_PX) -> np.ndarray:
    """A (28, 28) MNIST image enlarged to a random size, at a random place and polarity.

    Returns (side, side) uint8, as a saved greyscale image would hold it.
    """
    size = round(rng.uniform(*SIZE_RANGE) * side)
    zoom = size / image.shape[0]
    big = ndimage.zoom(np.asarray(image, dtype=np.float32), zoom, order=1, grid_mode=True, mode="grid-constant")
    big = np.clip(big, 0.0, 1.0)  # (size, size) in [0, 1]
    top, left = rng.integers(0, side - big.shape[0] + 1), rng.integers(0, side - big.shape[1] + 1)
    canvas = np.zeros((side, side), dtype=np.float32)
    canvas[top : top + big.shape[0], left : left + big.shape[1]] = big
    if rng.random() < 0.5:
        canvas = 1.0 - canvas  # dark ink on light paper
    return np.rint(canvas * 255).astype(np.uint8)


def place_strokes(
    seg: preprocess.Segments, rng: np.random.Generator, side: int = CANVAS_SIDE_PX
) -> preprocess.Segments:
    """Skeleton strokes (28x28 units) scaled and moved to a random size and place on the canvas."""
    scale = rng.uniform(*SIZE_RANGE) * side / 28.0
    placed = seg.transformed(scale, np.zeros(2))
    points = placed.points()
    lo, hi = points.min(axis=0), points.max(axis=0)
    room = np.maximum(side - (hi - lo), 0.0)
    return placed.transformed(1.0, rng.uniform(0, 1, size=2) * room - lo)


def canvas_inputs(images: np.ndarray, seed: int) -> Iterator[np.ndarray]:
    """Model inputs for each image after placing it on a canvas and reading it back (in memory)."""
    rng = np.random.default_rng(seed)
    for image in images:
        yield preprocess.image_to_input(place_on_canvas(image, rng) / 255.0)


def accuracy(predict: Callable[[np.ndarray], np.ndarray], inputs: Iterator[np.ndarray], labels: np.ndarray) -> float:
    """Share of ``inputs`` whose arg-max prediction equals the label; ``predict`` maps (N,28,28,1) -> (N,10)."""
    x = np.stack(list(inputs))[..., None]  # (N, 28, 28, 1): 10,000 inputs are 31 MB
    return float((predict(x).argmax(axis=1) == labels[: len(x)]).mean())
