"""Accuracy where it matters: real writers not in MNIST, native MNIST, drawn canvases, strokes and pen proxies.

    python benchmarks/accuracy.py            # everything (about 10 minutes on 2 cores, most of it PNG files)
    python benchmarks/accuracy.py --n 2000   # a quicker look

Every set goes through the app's own paths (``Recognizer``), and each row also says which share
of the answers called confident were wrong (``Prediction.is_confident``):

* load_digits: scikit-learn's 1,797 digits by 13 writers (8x8, 17 grey levels), as raw 8x8
  images and upscaled to 32x32 (bicubic) inside a margin, through the image path;
* native: the MNIST test images straight into the committed .tflite;
* drawn canvas: each test digit enlarged to 25-80 % of a 560 px canvas, at a random place and
  polarity, saved as a PNG, then read back through ``Recognizer.file`` (the `predict` path);
* strokes: each test digit's skeleton as pen strokes at a random size and place;
* pen proxy: ``pendigits.py``'s hand-written templates drawn anywhere on the canvas, as they are
  and as ONE stroke of 8 points (pen-ups joined); ambiguous: look-alike pairs morphed part way.
  These are written by this team: proxies for real people's pen digits, not the real thing.

With the default arguments it writes ``benchmarks/results/accuracy.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits
import record
from alone import file_alone, image_alone, input_alone, strokes_alone

from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.reading import Prediction
from digitgame.recognition.recognizer import Recognizer
from training import devset, evaluation, strokestyle
from training.data import load_mnist
from training.lowres import upscaled

Row = tuple[str, list[Prediction], np.ndarray, float]  # name, predictions, labels, seconds

KEYS = {  # the printed name's start -> the figure's key in the JSON
    "load_digits, raw": "load_digits_raw",
    "load_digits, upscaled": "load_digits_upscaled",
    "MNIST test": "mnist_test",
    "drawn canvas": "drawn_canvas",
    "strokes": "mnist_strokes",
    "pen proxy (": "pen_proxy",
    "pen proxy, one stroke": "pen_proxy_sparse",
    "ambiguous": "ambiguous",
}


def load_digits_rows(recognizer: Recognizer) -> Iterable[Row]:
    images, labels = devset.load_dev_digits()
    for name, form in (("load_digits, raw 8x8", lambda g: g), ("load_digits, upscaled 32x32", upscaled)):
        t = time.perf_counter()
        yield name, [image_alone(recognizer, form(g)) for g in images], labels, time.perf_counter() - t


def drawn_canvas(recognizer: Recognizer, x: np.ndarray, seed: int) -> list[Prediction]:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    rng = np.random.default_rng(seed)
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i, img in enumerate(x):
            canvas = evaluation.place_on_canvas(img / 255.0, rng)  # (560, 560) uint8
            path = Path(tmp) / f"{i}.png"
            pygame.image.save(pygame.surfarray.make_surface(np.repeat(canvas.T[:, :, None], 3, axis=2)), str(path))
            out.append(file_alone(recognizer, path))
            path.unlink()
    return out


def mnist_rows(recognizer: Recognizer, n: int, seed: int) -> Iterable[Row]:
    data = load_mnist()
    x, y = data.x_test[:n], data.y_test[:n]
    rng = np.random.default_rng(seed)
    sets = {
        "MNIST test (native)": lambda: [input_alone(recognizer, img / 255.0) for img in x],
        "drawn canvas (PNG round trip)": lambda: drawn_canvas(recognizer, x, seed),
        "strokes (skeletons, any size/place)": lambda: [
            strokes_alone(
                recognizer,
                evaluation.place_strokes(strokestyle.skeleton_segments(img / 255.0), rng).as_strokes(),
                evaluation.CANVAS_SIDE_PX,
            )
            for img in x
        ],
    }
    for name, make in sets.items():
        t = time.perf_counter()
        yield name, make(), y, time.perf_counter() - t


def pen_rows(recognizer: Recognizer, n_per_class: int, seed: int) -> Iterable[Row]:
    pen = pendigits.dataset(n_per_class, seed)
    labels = np.array([label for label, _, _ in pen])
    t = time.perf_counter()
    dense = [strokes_alone(recognizer, [s.tolist() for s in drawing], pendigits.CANVAS) for _, _, drawing in pen]
    yield f"pen proxy ({len(pen)}, anywhere)", dense, labels, time.perf_counter() - t
    t = time.perf_counter()
    sparse = [strokes_alone(recognizer, [pendigits.one_stroke(d, 8).tolist()], pendigits.CANVAS) for _, _, d in pen]
    yield "pen proxy, one stroke of 8 points", sparse, labels, time.perf_counter() - t
    ambiguous = pendigits.ambiguous(n_per_class // 3, seed + 1)
    t = time.perf_counter()
    morphs = [strokes_alone(recognizer, [s.tolist()], pendigits.CANVAS) for _, _, s in ambiguous]
    yield (
        "ambiguous 8-point strokes (look-alikes)",
        morphs,
        np.array([a[0] for a in ambiguous]),
        time.perf_counter() - t,
    )


def scores(predictions: list[Prediction], labels: np.ndarray) -> tuple[float, float, float]:
    """(accuracy, share called confident, share of the confident ones that are wrong)."""
    right = np.array([p.digit == label for p, label in zip(predictions, labels, strict=True)])
    sure = np.array([p.is_confident for p in predictions])
    return float(right.mean()), float(sure.mean()), float((~right & sure).sum() / max(sure.sum(), 1))


def confusions(predictions: list[Prediction], labels: np.ndarray) -> str:
    counts = Counter(f"{label}->{p.digit}" for p, label in zip(predictions, labels, strict=True) if p.digit != label)
    return ", ".join(f"{k} x{v}" for k, v in counts.most_common(6))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="MNIST test digits to use (default all 10,000)")
    parser.add_argument("--pen", type=int, default=300, help="pen-proxy drawings per digit (default 300)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--model", default=None, help="the .tflite to measure (default: the committed model)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    recognizer = Recognizer(load_predictor(args.model))
    print(f"{'set':42s} {'n':>6s} {'accuracy':>9s} {'confident':>10s} {'of those wrong':>15s} {'seconds':>8s}")
    rows = [
        *load_digits_rows(recognizer),
        *mnist_rows(recognizer, args.n, args.seed),
        *pen_rows(recognizer, args.pen, args.seed),
    ]
    for name, predictions, labels, seconds in rows:
        acc, sure, wrong = scores(predictions, labels)
        print(f"{name:42s} {len(labels):6d} {acc:9.2%} {sure:10.1%} {wrong:15.2%} {seconds:8.1f}", flush=True)
    for name, predictions, labels, _ in rows:
        print(f"{name}: {confusions(predictions, labels) or 'no errors'}")
    record.publish(parser, args, "accuracy", {"sets": figures(rows)}, started, load)


def figures(rows: list[Row]) -> dict[str, dict[str, object]]:
    """Each set's figures for the JSON, under a stable key."""
    out = {}
    for name, predictions, labels, seconds in rows:
        acc, sure, wrong = scores(predictions, labels)
        key = next(k for start, k in KEYS.items() if name.startswith(start))
        out[key] = {
            "name": name,
            "digits": len(labels),
            "accuracy": round(acc, 5),
            "answered_confidently": round(sure, 5),
            "confident_but_wrong": round(wrong, 5),
            "seconds": round(seconds, 1),
            "confusions": confusions(predictions, labels),
        }
    return out


if __name__ == "__main__":
    main()
