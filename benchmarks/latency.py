"""Latency of recognising one drawing: preprocess + LiteRT predict, beside the seed's Keras model.predict.

    python benchmarks/latency.py [--drawings 300] [--repeats 5] [--numbers 100]

Times, per drawing, the path from strokes to a Prediction (strokes -> 28x28 -> LiteRT ->
Prediction) on pen-like drawings from ``pendigits.py``, and the app's and `predict`'s path,
which first splits the ink into digits (``Recognizer.read_strokes``), then Keras ``model.predict`` on the
same model and the same inputs (the seed's way), in the same run, and prints p50/p99 and
the ratio.  Then a 4-digit number (pen-proxy digits side by side, gaps 15-60 % of the height):
``Recognizer.read_strokes`` -- segment, preprocess every digit, one model call for all four --
and its parts: the split alone, and the four digits' preprocessing and model call once split.
Run it on an otherwise idle machine; repeat and quote medians.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits
import written_numbers
from alone import strokes_alone

from digitgame.files import paths
from digitgame.recognition import preprocess, segment
from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer, _drawings_of


def percentiles(times_s: list[float]) -> tuple[float, float]:
    ms = np.array(times_s) * 1e3
    return float(np.percentile(ms, 50)), float(np.percentile(ms, 99))


def timed(fn, items, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        for item in items:
            t = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - t)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--numbers", type=int, default=100, help="4-digit numbers to time (0: none)")
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras comparison (no TensorFlow)")
    args = parser.parse_args()
    drawings = [[s.tolist() for s in d] for _, _, d in pendigits.dataset(max(args.drawings // 10, 1), seed=1)]
    recognizer = Recognizer(load_predictor())
    canvas = pendigits.CANVAS
    for d in drawings[:20]:  # warm up caches and the interpreter
        strokes_alone(recognizer, d, canvas)
    full = timed(lambda d: strokes_alone(recognizer, d, canvas), drawings, args.repeats)
    app = timed(lambda d: recognizer.read_strokes(d, canvas, canvas), drawings, args.repeats)
    prep = timed(lambda d: preprocess.strokes_to_input(d, canvas), drawings, args.repeats)
    inputs = [preprocess.strokes_to_input(d, canvas) for d in drawings]
    lite = timed(recognizer.predictor.probabilities, inputs, args.repeats)
    points = [sum(len(s) for s in d) for d in drawings]
    print(
        f"{len(drawings)} drawings ({np.median(points):.0f} points median, {max(points)} max) x {args.repeats} repeats"
    )
    print(f"{'step':44s} {'p50 ms':>8s} {'p99 ms':>8s}")
    rows = [
        ("preprocess + LiteRT predict, as one digit", full),
        ("  preprocess only", prep),
        ("  LiteRT predict only", lite),
        ("read_strokes (the app's path: + segment)", app),
    ]
    if not args.no_keras:
        os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        import keras

        model = keras.models.load_model(paths.model_path("digit_cnn.keras"), compile=False, safe_mode=True)
        batch = [x[None, :, :, None] for x in inputs]
        for x in batch[:5]:
            model.predict(x, verbose=0)
        slow = timed(lambda x: model.predict(x, verbose=0), batch, 1)
        rows.append(("Keras model.predict only (the seed's way)", slow))
    for name, times in rows:
        p50, p99 = percentiles(times)
        print(f"{name:44s} {p50:8.3f} {p99:8.3f}")
    if not args.no_keras:
        ratio = percentiles(slow)[0] / percentiles(full)[0]
        print(f"ratio p50: Keras model.predict alone is {ratio:.0f}x slower than our whole path")
    if args.numbers:
        time_numbers(recognizer, args.numbers, args.repeats, percentiles(app)[0])


def time_numbers(recognizer: Recognizer, count: int, repeats: int, single_p50: float) -> None:
    """The 4-digit number case: the whole path, and its steps, on the same numbers."""
    rng = np.random.default_rng(4)
    digits = written_numbers.pen_digits(4)
    numbers = [written_numbers.compose([next(digits) for _ in range(4)], rng, (0.15, 0.6)) for _ in range(count)]
    cases = [(n.strokes, n.width, n.height) for n in numbers]
    for strokes, w, h in cases[:10]:
        recognizer.read_strokes(strokes, w, h)
    full = timed(lambda c: recognizer.read_strokes(*c), cases, repeats)
    groups = timed(lambda c: segment.group_strokes(c[0]), cases, repeats)
    split = []  # each number's ink as arrays and its groups: what segmentation hands on
    for strokes, w, h in cases:
        points, counts = segment.flatten(strokes)
        found = segment.group_points(points, counts)
        split.append((points, counts, found, [g.box for g in found], max(w, h)))

    def preprocess_and_predict(c: tuple) -> None:  # type: ignore[type-arg]
        points, counts, found, boxes, side = c
        recognizer.read_inputs(preprocess.drawings_to_inputs(_drawings_of(points, counts, found), side), boxes)

    recipe = timed(preprocess_and_predict, split, repeats)
    inputs = [np.stack(preprocess.drawings_to_inputs(_drawings_of(*c[:3]), c[4])) for c in split]
    batch = timed(recognizer.predictor.predict, inputs, repeats)
    print(
        f"\n{count} numbers of 4 pen-proxy digits ({np.median([len(c[0]) for c in cases]):.0f} strokes, "
        f"{np.median([sum(len(s) for s in c[0]) for c in cases]):.0f} points median) x {repeats} repeats"
    )
    print(f"{'step':44s} {'p50 ms':>8s} {'p99 ms':>8s}")
    for name, times in (
        ("read_strokes: segment + preprocess + predict", full),
        ("  segment only (flatten + group_strokes)", groups),
        ("  preprocess + predict the 4, once split", recipe),
        ("  LiteRT predict of the 4 only", batch),
    ):
        p50, p99 = percentiles(times)
        print(f"{name:44s} {p50:8.3f} {p99:8.3f}")
    best = np.array(full).reshape(repeats, len(cases)).min(axis=0) * 1e3  # each number's fastest read
    print(
        f"{'read_strokes, each number at its best':44s} {np.median(best):8.3f}   (median over numbers of the "
        f"fastest of {repeats}: the machine's load mostly left out)"
    )
    print(
        f"ratio p50: a 4-digit number takes {percentiles(full)[0] / single_p50:.1f}x one digit's read_strokes, in this run"
    )


if __name__ == "__main__":
    main()
