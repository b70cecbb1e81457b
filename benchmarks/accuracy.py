"""Accuracy where it matters: native MNIST, drawn canvases via PNG files, strokes, and pen-drawn proxies.

    python benchmarks/accuracy.py            # all 10,000 test digits (about 3 minutes on 2 cores)
    python benchmarks/accuracy.py --n 2000   # a quicker look

* native: the 10,000 MNIST test images straight into the committed .tflite;
* drawn canvas: each test digit enlarged to 25-80 % of a 560 px canvas, at a random place and
  polarity, saved as a PNG, then read back through ``Recognizer.file`` (the `predict` path);
* strokes: each test digit's skeleton as pen strokes at a random size and place, through the
  stroke path (needs scikit-image, from the ``train`` extra);
* pen proxy: ``pendigits.py``'s hand-written templates (flagged 1s, crossed 7s, loose 9s ...),
  drawn anywhere on the canvas -- a stand-in for real people's pen digits.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits

from digitgame.predictor import load_predictor
from digitgame.recognizer import Recognizer
from training import evaluation
from training.data import load_mnist


def native(recognizer: Recognizer, x: np.ndarray, y: np.ndarray) -> float:
    return float(np.mean([recognizer.input(img / 255.0).digit == label for img, label in zip(x, y, strict=True)]))


def drawn_canvas(recognizer: Recognizer, x: np.ndarray, y: np.ndarray, seed: int) -> float:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    rng = np.random.default_rng(seed)
    correct = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (img, label) in enumerate(zip(x, y, strict=True)):
            canvas = evaluation.place_on_canvas(img / 255.0, rng)  # (560, 560) uint8
            path = Path(tmp) / f"{i}.png"
            pygame.image.save(pygame.surfarray.make_surface(np.repeat(canvas.T[:, :, None], 3, axis=2)), str(path))
            correct += recognizer.file(path).digit == label
            path.unlink()
    return correct / len(y)


def strokes(recognizer: Recognizer, x: np.ndarray, y: np.ndarray, seed: int) -> float:
    from training import strokestyle

    rng = np.random.default_rng(seed)
    correct = 0
    for img, label in zip(x, y, strict=True):
        seg = evaluation.place_strokes(strokestyle.skeleton_segments(img / 255.0), rng)
        drawing = seg.as_strokes()
        correct += recognizer.strokes(drawing, evaluation.CANVAS_SIDE_PX).digit == label
    return correct / len(y)


def pen_proxy(recognizer: Recognizer, n_per_class: int, seed: int) -> tuple[float, dict[str, float], Counter[str]]:
    per_style: dict[str, list[bool]] = {}
    confusions: Counter[str] = Counter()
    for label, style, drawing in pendigits.dataset(n_per_class, seed):
        digit = recognizer.strokes([s.tolist() for s in drawing], pendigits.CANVAS).digit
        per_style.setdefault(f"{label} {style}", []).append(digit == label)
        if digit != label:
            confusions[f"{label}->{digit}"] += 1
    overall = float(np.mean([ok for oks in per_style.values() for ok in oks]))
    return overall, {k: float(np.mean(v)) for k, v in per_style.items()}, confusions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="test digits to use (default all 10,000)")
    parser.add_argument("--pen", type=int, default=300, help="pen-proxy drawings per digit (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    data = load_mnist()
    x, y = data.x_test[: args.n], data.y_test[: args.n]
    recognizer = Recognizer(load_predictor())
    rows = []
    t = time.perf_counter()
    acc_native = native(recognizer, x, y)
    rows.append(("native MNIST test", acc_native, time.perf_counter() - t))
    t = time.perf_counter()
    rows.append(("drawn canvas (PNG round trip)", drawn_canvas(recognizer, x, y, args.seed), time.perf_counter() - t))
    try:
        t = time.perf_counter()
        rows.append(("strokes (skeletons, any size/place)", strokes(recognizer, x, y, args.seed), time.perf_counter() - t))
    except ImportError as exc:
        print(f"(strokes skipped: {exc})")
    t = time.perf_counter()
    pen, per_style, confusions = pen_proxy(recognizer, args.pen, args.seed)
    rows.append((f"pen proxy ({10 * args.pen} drawings, anywhere)", pen, time.perf_counter() - t))
    print(f"{'set':40s} {'accuracy':>9s} {'vs native':>10s} {'seconds':>8s}   ({len(y)} MNIST test digits)")
    for name, acc, secs in rows:
        print(f"{name:40s} {acc:9.2%} {100 * (acc - acc_native):+9.2f}pt {secs:8.1f}")
    print("pen proxy by style: " + ", ".join(f"{k} {v:.0%}" for k, v in sorted(per_style.items())))
    print("pen proxy confusions: " + ", ".join(f"{k} x{v}" for k, v in confusions.most_common(8)))


if __name__ == "__main__":
    main()
