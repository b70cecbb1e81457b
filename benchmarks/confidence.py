"""Where to draw the line between "7" and "not sure: 7 or 1?" -- the predictor's thresholds, measured.

    python benchmarks/confidence.py

A prediction is confident when its top probability is at least P and leads the runner-up by at
least M (``digitgame/reading.py``).  On drawings the model did not train on -- MNIST test
digits as pen strokes at random sizes and places, and the pen-digit proxy -- this prints, for a
grid of (P, M), how many answers would be called confident and how often those are wrong, and
picks the pair whose confident answers are most often right while calling at most 1.5 % of all
answers unsure (a person who is told "not sure" every few drawings stops believing it).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits

from digitgame import predictor, reading
from digitgame.recognizer import Recognizer
from training import evaluation, strokestyle
from training.data import load_mnist

UNSURE_BUDGET = 0.015


def collect(recognizer: Recognizer, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(probabilities (N, 10), labels (N,)) over strokes from MNIST test digits and the pen proxy."""
    data = load_mnist()
    rng = np.random.default_rng(seed)
    probs, labels = [], []
    for img, label in zip(data.x_test[:n], data.y_test[:n], strict=True):
        seg = evaluation.place_strokes(strokestyle.skeleton_segments(img / 255.0), rng)
        strokes = seg.as_strokes()
        p = recognizer.strokes(strokes, evaluation.CANVAS_SIDE_PX)
        if not p.is_empty:
            probs.append(p.probabilities)
            labels.append(label)
    for label, _, drawing in pendigits.dataset(n // 20, seed + 1):
        p = recognizer.strokes([s.tolist() for s in drawing], pendigits.CANVAS)
        probs.append(p.probabilities)
        labels.append(label)
    return np.array(probs), np.array(labels)


def main() -> None:
    recognizer = Recognizer(predictor.load_predictor())
    probs, labels = collect(recognizer, 5000, seed=11)
    order = np.sort(probs, axis=1)
    top, second = order[:, -1], order[:, -2]
    right = probs.argmax(axis=1) == labels
    print(f"{len(labels)} drawings, {1 - right.mean():.2%} wrong overall")
    print(f"{'P':>5s} {'M':>5s} {'confident':>10s} {'wrong if confident':>19s} {'wrong if unsure':>16s}")
    best = None
    for p_min in (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95):
        for margin in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
            confident = (top >= p_min) & (top - second >= margin)
            err_conf = 1 - right[confident].mean() if confident.any() else 0.0
            err_unsure = 1 - right[~confident].mean() if (~confident).any() else 0.0
            print(f"{p_min:5.2f} {margin:5.2f} {confident.mean():10.1%} {err_conf:19.2%} {err_unsure:16.1%}")
            if 1 - confident.mean() <= UNSURE_BUDGET and (best is None or err_conf < best[3]):
                best = (p_min, margin, confident.mean(), err_conf, err_unsure)
    if best:
        print(f"chosen: P={best[0]} M={best[1]}: {best[2]:.1%} called confident, {best[3]:.2%} of those wrong, "
              f"{best[4]:.1%} of the unsure wrong")
    print(f"in use: P={reading.CONFIDENT_PROBABILITY} M={reading.CONFIDENT_MARGIN}")


if __name__ == "__main__":
    main()
