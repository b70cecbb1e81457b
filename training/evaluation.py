"""How well a model reads digits: MNIST test, and MNIST digits placed the way people draw, read back through the app.

Used by ``train_model.py`` (for the model card), by ``benchmarks/accuracy.py`` (which also
round-trips every canvas through a PNG file) and by the tests.  No pygame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from digitgame.recognition.model import NUM_CLASSES
from training import devset
from training.data import Mnist, as_input

Predict = Callable[[np.ndarray], np.ndarray]  # (N, 28, 28, 1) float32 -> (N, 10) probabilities

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


def accuracy(predict: Predict, inputs: Iterator[np.ndarray], labels: np.ndarray) -> float:
    """Share of ``inputs`` whose arg-max prediction equals the label."""
    x = np.stack(list(inputs))[..., None]  # (N, 28, 28, 1): 10,000 inputs are 31 MB
    return float((predict(x).argmax(axis=1) == labels[: len(x)]).mean())


def tflite_predict_fn(tflite_bytes: bytes) -> Predict:
    """A batch predictor over a converted model held in memory, run by the app's own LiteRT predictor."""
    from digitgame.recognition.predictor import LiteRTPredictor

    lite = LiteRTPredictor(Path("model.tflite"), content=tflite_bytes)
    return lambda x: np.stack([lite.probabilities(image) for image in x])  # (N, 28, 28, 1) -> (N, 10)


def keras_accuracy(model: Any, x: np.ndarray, y: np.ndarray, batch_size: int = 1000) -> float:
    """Arg-max accuracy of the Keras model itself (inference mode)."""
    probabilities = [np.asarray(model(x[i : i + batch_size], training=False)) for i in range(0, len(x), batch_size)]
    return float((np.concatenate(probabilities).argmax(axis=1) == y).mean())


def evaluate(predict: Predict, data: Mnist, seed: int) -> dict[str, Any]:
    """MNIST test (overall, per class, confusion), drawn-canvas and load_digits accuracy, for the model card."""
    predicted = predict(as_input(data.x_test)).argmax(axis=1)
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(confusion, (data.y_test, predicted), 1)
    per_class = confusion.diagonal() / np.maximum(confusion.sum(axis=1), 1)
    canvas = accuracy(predict, canvas_inputs(data.x_test.astype(np.float32) / 255.0, seed), data.y_test)
    images, labels = devset.load_dev_digits()
    return {
        "test_accuracy": float((predicted == data.y_test).mean()),
        "test_images": len(data.y_test),
        "per_class_accuracy": {str(d): round(float(a), 5) for d, a in enumerate(per_class)},
        "confusion_matrix": confusion.tolist(),
        "drawn_canvas_accuracy": canvas,
        "load_digits_accuracy": {
            "raw_8x8": accuracy(predict, iter(devset.raw_inputs(images)), labels),
            "upscaled_32x32": accuracy(predict, iter(devset.upscaled_inputs(images)), labels),
        },
    }
