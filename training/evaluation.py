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

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from digitgame.recognition.model import NOT_A_DIGIT, NUM_CLASSES, split_scores
from digitgame.recognition.reading import is_confident
from training import devset, realwriters
from training.data import Mnist, as_input

Predict = Callable[[np.ndarray], np.ndarray]  # (N, 28, 28, 1) float32 -> (N, 11) softmax (or (N, 10), an older model)
# The "not a digit" thresholds a run chooses among: the lowest whose "not a digit" answers cost the real
# writers' digits and MNIST no more than ACCURACY_KEPT of accuracy, and the harder forms (sparse strokes, 8x8
# scans) no more than HARDER_KEPT.  Every digit such a threshold costs was already unsure (its share is above
# the doubt), so what moves is which unsure answer it gets; HARDER_KEPT is six times ACCURACY_KEPT because at
# three times a handful of sparse digits moved the threshold far from run to run, and with it whether a
# filled square reads "not a digit" (docs/training.md, "Why 0.6 % for the harder forms").  Finer above 0.95:
# a run whose sparse digits still cost more than that at 0.95 answers "not a digit" for the surest letters
# and scribbles, rather than never.
COARSE, FINE = np.round(np.arange(0.05, 1.0, 0.05), 2), (0.97, 0.98, 0.99)
THRESHOLDS = np.concatenate((COARSE, FINE))
ACCURACY_KEPT = 0.001
HARDER_KEPT = 0.006
MAIN_SETS = ("real_writers_choosing", "mnist_validation")
# The doubt (a digit never confident from this "not a digit" share) is the lowest of THRESHOLDS, up to the
# threshold, that costs the main sets no more than SURE_KEPT of their digits read right and confidently,
# and the harder forms no more than three times that: letters read as a confident digit are what it saves
# (docs/recognition.md, "Not a digit").
SURE_KEPT = 0.005

CANVAS_SIDE_PX = 560  # the benchmark canvas; the app's drawing area is of this order
SIZE_RANGE = (0.25, 0.80)  # the digit's 28x28 frame as a share of the canvas side
BATCH = 500  # images per model call when scoring


@dataclass(frozen=True)
class Labelled:
    """Model inputs (N, 28, 28, 1) float32 in [0, 1] and their labels (N,) int64."""

    inputs: np.ndarray
    labels: np.ndarray


def validation_sets(data: Mnist) -> dict[str, Labelled]:
    """The sets that choose: the choosing writers (digits, letters), MNIST validation, load_digits' first half."""
    mnist = {"mnist_validation": Labelled(as_input(data.x_valid), data.y_valid)}
    return {**real_writers("choosing"), **mnist, **_load_digits(devset.CHOOSING), **letters("choosing")}


def report_sets(data: Mnist) -> dict[str, Labelled]:
    """The sets that are only reported: the report writers (digits, letters), MNIST test, load_digits' second half."""
    mnist = {"mnist_test": Labelled(as_input(data.x_test), data.y_test)}
    return {**real_writers("report"), **mnist, **_load_digits(devset.REPORTING), **letters("report")}


def letters(group: str) -> dict[str, Labelled]:
    """A group's letters that look like no digit (realwriters.UNLIKE_DIGITS), as written: all "not a digit"."""
    items = [d for d in realwriters.of_group(realwriters.read_letters(), group) if realwriters.has_extent(d)]
    written = [realwriters.on_canvas(d.strokes, CANVAS_SIDE_PX, realwriters.HEIGHT_SHARE) for d in items]
    inputs = np.stack([preprocess.strokes_to_input(s, CANVAS_SIDE_PX) for s in written])[..., None]
    return {f"real_writers_{group}_letters": Labelled(inputs, np.full(len(items), NOT_A_DIGIT, dtype=np.int64))}


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
    """(N, 11) softmax of ``inputs`` (ten digits, "not a digit"), in batches of ``BATCH``."""
    return np.concatenate([predict(inputs[i : i + BATCH]) for i in range(0, len(inputs), BATCH)])


def answers(p: np.ndarray, threshold: float, doubt: float) -> tuple[np.ndarray, np.ndarray]:
    """The app's answers from (N, 11) softmax: the digit read (NOT_A_DIGIT where "not a digit" reaches
    ``threshold``) and whether it is given confidently (never where it reaches ``doubt``), (N,) int64 and (N,) bool."""
    digits, not_digit = split_scores(p)
    rejected = not_digit >= threshold
    confident = is_confident(digits) & ~rejected & (not_digit < doubt)
    return np.where(rejected, NOT_A_DIGIT, digits.argmax(axis=1)), confident


def score(p: np.ndarray, labels: np.ndarray, threshold: float, doubt: float) -> dict[str, Any]:
    """How the app answers (N, 11) softmax: accuracy, unsure, confident-but-wrong and "not a digit" shares.

    For letters (labels NOT_A_DIGIT) the accuracy is the share answered "not a digit", and
    ``confident_digit`` the share answered as a confident digit -- what must be rare.
    """
    answer, confident = answers(p, threshold, doubt)
    right = answer == labels
    rejected = answer == NOT_A_DIGIT
    return {
        "accuracy": round(float(right.mean()), 5),
        "correct": int(right.sum()),
        "images": len(labels),
        "unsure": round(float((~confident & ~rejected).mean()), 5),
        "confident_but_wrong": round(float((confident & ~right).sum() / max(confident.sum(), 1)), 5),
        "not_a_digit": round(float(rejected.mean()), 5),
        "confident_digit": round(float(confident.mean()), 5),
    }


def measure(predict: Predict, sets: dict[str, Labelled], threshold: float, doubt: float) -> dict[str, dict[str, Any]]:
    """``score`` of every set."""
    return {name: score(probabilities(predict, s.inputs), s.labels, threshold, doubt) for name, s in sets.items()}


def errors(predict: Predict, sets: dict[str, Labelled]) -> int:
    """How many inputs of all ``sets`` the model's top class gets wrong: what a checkpoint is chosen by."""
    return sum(int((probabilities(predict, s.inputs).argmax(axis=1) != s.labels).sum()) for s in sets.values())


def choose_threshold(predict: Predict, sets: dict[str, Labelled]) -> dict[str, Any]:
    """The lowest THRESHOLDS value (the most "not a digit" answers) at which no digit set of ``sets`` reads
    worse than its tolerance (see ACCURACY_KEPT) than with no "not a digit" answer; chosen on validation sets.
    1.0 (never "not a digit") when none qualifies.  Then the doubt below it (``_choose_doubt``)."""
    scored = {name: (probabilities(predict, s.inputs), s.labels) for name, s in sets.items()}
    digit_sets = {name: v for name, v in scored.items() if (v[1] != NOT_A_DIGIT).all()}

    def accuracy(p: np.ndarray, y: np.ndarray, threshold: float) -> float:
        return score(p, y, threshold, np.inf)["accuracy"]

    chosen, base = _lowest_keeping(THRESHOLDS, digit_sets, accuracy, np.inf, (ACCURACY_KEPT, HARDER_KEPT))
    chosen = 1.0 if chosen is None else chosen
    return {
        "threshold": chosen,
        "how": f"the lowest of {COARSE[0]:g}, {COARSE[1]:g}, ... {COARSE[-1]:g}, {', '.join(map(str, FINE))} "
        "at which 'not a digit' answers "
        f"cost {', '.join(MAIN_SETS)} at most {ACCURACY_KEPT:.1%} of accuracy, the other validation digit sets "
        f"at most {HARDER_KEPT:.1%}",
        "accuracy_without_it": base,
        **_choose_doubt(digit_sets, chosen),
    }


Figure = Callable[[np.ndarray, np.ndarray, float], float]  # (N, 11) softmax, labels, a setting -> a share


def _lowest_keeping(
    settings: Iterable[float],
    digit_sets: dict[str, tuple[np.ndarray, np.ndarray]],
    figure: Figure,
    neutral: float,
    kept: tuple[float, float],
) -> tuple[float | None, dict[str, float]]:
    """The first of ``settings`` at which no digit set's ``figure`` falls below its value at the ``neutral``
    setting by more than ``kept`` (MAIN_SETS, the others) (None when none qualifies), and those values."""
    base = {name: figure(p, y, neutral) for name, (p, y) in digit_sets.items()}

    def keeps(setting: float) -> bool:
        return all(
            figure(p, y, setting) >= base[name] - kept[0 if name in MAIN_SETS else 1]
            for name, (p, y) in digit_sets.items()
        )

    return next((float(s) for s in settings if keeps(float(s))), None), base


def _choose_doubt(digit_sets: dict[str, tuple[np.ndarray, np.ndarray]], threshold: float) -> dict[str, Any]:
    """The lowest THRESHOLDS value up to ``threshold`` at which no digit set loses more than its tolerance
    (see SURE_KEPT) of its digits read right and confidently; ``threshold`` (no doubt) when none qualifies."""

    def sure_and_right(p: np.ndarray, y: np.ndarray, doubt: float) -> float:
        answer, confident = answers(p, threshold, doubt)
        return float((confident & (answer == y)).mean())

    doubts = [t for t in THRESHOLDS if t <= threshold]
    chosen, base = _lowest_keeping(doubts, digit_sets, sure_and_right, threshold, (SURE_KEPT, 3 * SURE_KEPT))
    return {
        "doubt": threshold if chosen is None else chosen,
        "doubt_how": f"digits whose 'not a digit' share reaches the doubt are never confident: the lowest of "
        f"{THRESHOLDS[0]}, {THRESHOLDS[1]}, ... up to the threshold that costs {', '.join(MAIN_SETS)} at most "
        f"{SURE_KEPT:.1%} of their digits read right and confidently, the other validation digit sets at most "
        f"{3 * SURE_KEPT:.1%}",
        "sure_and_right_without_it": {name: round(v, 5) for name, v in base.items()},
    }


def confusion(predict: Predict, labelled: Labelled, threshold: float) -> dict[str, Any]:
    """Per-class accuracy and the confusion matrix (rows: true digit, columns: the answer, the last "not a digit")."""
    predicted = answers(probabilities(predict, labelled.inputs), threshold, threshold)[0]
    matrix = np.zeros((NUM_CLASSES, NUM_CLASSES + 1), dtype=np.int64)
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

    def predict(x: np.ndarray) -> np.ndarray:  # (N, 28, 28, 1) -> (N, 11), the softmax the predictor split
        out = lite.predict(x)
        if out.not_digit is None:
            return out.probabilities
        return np.column_stack([out.probabilities * (1.0 - out.not_digit[:, None]), out.not_digit])

    return predict


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
