"""How well a model reads: the validation sets that choose, and the test sets that are only reported.

Validation (chooses settings, mixes, epochs and the checkpoint): the choosing group of real
writers, MNIST's 10,000 validation digits and the first half of ``load_digits``.  Test
(measured once, at the end, and reported; never used to choose): the report group of real
writers, MNIST's 10,000 test digits and the second half of ``load_digits``.  Every set goes
through the model as the app feeds it: pen digits through the app's stroke path (as written, and
as one stroke of 8 points), ``load_digits`` through its image path.  Used by ``train_model.py``
for the model card, by the tests that check the committed model against its card, and by the
benchmarks for placing digits on a canvas.  No pygame.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from digitgame.recognition.model import NUM_CLASSES
from digitgame.recognition.reading import CONFIDENT_MARGIN, CONFIDENT_PROBABILITY
from training import devset, realwriters
from training.data import Mnist, as_input

Predict = Callable[[np.ndarray], np.ndarray]  # (N, 28, 28, 1) float32 -> (N, 10) probabilities

CANVAS_SIDE_PX = 560  # the benchmark canvas; the app's drawing area is of this order
SIZE_RANGE = (0.25, 0.80)  # the digit's 28x28 frame as a share of the canvas side
BATCH = 500  # images per model call when scoring


@dataclass(frozen=True)
class Labelled:
    """Model inputs (N, 28, 28, 1) float32 in [0, 1] and their labels (N,) int64."""

    inputs: np.ndarray
    labels: np.ndarray


def validation_sets(data: Mnist) -> dict[str, Labelled]:
    """The sets that choose: the choosing writers, MNIST validation, and load_digits' first half."""
    mnist = {"mnist_validation": Labelled(as_input(data.x_valid), data.y_valid)}
    return {**real_writers("choosing"), **mnist, **_load_digits(devset.CHOOSING)}


def report_sets(data: Mnist) -> dict[str, Labelled]:
    """The sets that are only reported: the report writers, MNIST test, and load_digits' second half."""
    mnist = {"mnist_test": Labelled(as_input(data.x_test), data.y_test)}
    return {**real_writers("report"), **mnist, **_load_digits(devset.REPORTING)}


def real_writers(group: str) -> dict[str, Labelled]:
    """A group's pen digits through the app's stroke path, as written and as one stroke of 8 points.

    A recording whose pen never moved is left out: the app says "too small" (benchmarks/real_writers.py
    counts it as a wrong answer).
    """
    digits = [d for d in realwriters.of_group(realwriters.read_digits(), group) if realwriters.has_extent(d)]
    labels = np.array([d.label for d in digits], dtype=np.int64)
    written = [realwriters.on_canvas(d.strokes, CANVAS_SIDE_PX, realwriters.HEIGHT_SHARE) for d in digits]
    sparse = [realwriters.one_stroke(strokes, realwriters.SPARSE_POINTS) for strokes in written]

    def inputs(drawings: list[list[list[tuple[float, float]]]]) -> np.ndarray:
        return np.stack([preprocess.strokes_to_input(s, CANVAS_SIDE_PX) for s in drawings])[..., None]

    return {
        f"real_writers_{group}": Labelled(inputs(written), labels),
        f"real_writers_{group}_sparse": Labelled(inputs(sparse), labels),
    }


def _load_digits(part: slice) -> dict[str, Labelled]:
    images, labels = devset.load_dev_digits()
    name = "load_digits_first_half" if part == devset.CHOOSING else "load_digits_second_half"
    return {
        f"{name}_raw": Labelled(devset.raw_inputs(images[part])[..., None], labels[part]),
        f"{name}_upscaled": Labelled(devset.upscaled_inputs(images[part])[..., None], labels[part]),
    }


def probabilities(predict: Predict, inputs: np.ndarray) -> np.ndarray:
    """(N, 10) probabilities of ``inputs``, in batches of ``BATCH``."""
    return np.concatenate([predict(inputs[i : i + BATCH]) for i in range(0, len(inputs), BATCH)])


def score(p: np.ndarray, labels: np.ndarray) -> dict[str, Any]:
    """Accuracy, and how the app's confidence rule splits the answers, from (N, 10) probabilities."""
    top = np.sort(p, axis=1)[:, ::-1]
    confident = (top[:, 0] >= CONFIDENT_PROBABILITY) & (top[:, 0] - top[:, 1] >= CONFIDENT_MARGIN)
    right = p.argmax(axis=1) == labels
    return {
        "accuracy": round(float(right.mean()), 5),
        "correct": int(right.sum()),
        "images": len(labels),
        "unsure": round(float(1 - confident.mean()), 5),
        "confident_but_wrong": round(float((confident & ~right).sum() / max(confident.sum(), 1)), 5),
    }


def measure(predict: Predict, sets: dict[str, Labelled]) -> dict[str, dict[str, Any]]:
    """``score`` of every set."""
    return {name: score(probabilities(predict, s.inputs), s.labels) for name, s in sets.items()}


def errors(predict: Predict, sets: dict[str, Labelled]) -> int:
    """How many inputs of all ``sets`` the model gets wrong: what a checkpoint is chosen by."""
    return sum(int((probabilities(predict, s.inputs).argmax(axis=1) != s.labels).sum()) for s in sets.values())


def confusion(predict: Predict, labelled: Labelled) -> dict[str, Any]:
    """Per-class accuracy and the confusion matrix (rows: true digit, columns: the answer)."""
    predicted = probabilities(predict, labelled.inputs).argmax(axis=1)
    matrix = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
    np.add.at(matrix, (labelled.labels, predicted), 1)
    per_class = matrix.diagonal() / np.maximum(matrix.sum(axis=1), 1)
    return {
        "per_class_accuracy": {str(d): round(float(a), 5) for d, a in enumerate(per_class)},
        "confusion_matrix": matrix.tolist(),
    }


def tflite_predict_fn(tflite_bytes: bytes) -> Predict:
    """A batch predictor over a converted model held in memory, run by the app's own LiteRT predictor."""
    from digitgame.recognition.predictor import LiteRTPredictor

    lite = LiteRTPredictor(Path("model.tflite"), content=tflite_bytes)
    return lambda x: lite.predict(x).probabilities  # (N, 28, 28, 1) -> (N, 10)


def keras_predict_fn(model: Any) -> Predict:
    """A batch predictor over a Keras model in inference mode (its first output: the probabilities)."""

    def predict(x: np.ndarray) -> np.ndarray:
        out = model(x, training=False)
        return np.asarray(out[0] if isinstance(out, list | tuple) else out)

    return predict


# --- digits placed the way people draw them (the benchmarks' canvas) ------------


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
