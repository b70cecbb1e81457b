"""Latency of recognising one drawing: preprocess + LiteRT predict, beside the seed's Keras model.predict.

    python benchmarks/latency.py [--drawings 300] [--repeats 5] [--numbers 100] [--rounds 3]

Times, per drawing, the path from strokes to a Prediction (strokes -> 28x28 -> LiteRT ->
Prediction) on pen-like drawings from ``pendigits.py``, and the app's and `predict`'s path,
which first splits the ink into digits (``Recognizer.read_strokes``), then Keras ``model.predict`` on the
same model and the same inputs (the seed's way), in the same run, and prints p50/p99 and
the ratio.  Then a 4-digit number (pen-proxy digits side by side, gaps 15-60 % of the height):
``Recognizer.read_strokes`` -- segment, preprocess every digit, one model call for all four --
and its parts: the split alone, and the four digits' preprocessing and model call once split.
Every step is timed in ``--rounds`` rounds; the figures are each round's p50 and p99 and their
medians, and the Keras ratio is taken within each round (``timing.py``).  Run it on an otherwise
idle machine; with the default arguments it writes ``benchmarks/results/latency.json``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits
import record
import timing
import written_numbers
from alone import strokes_alone

from digitgame.files import paths
from digitgame.recognition import preprocess, segment
from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer, _drawings_of


def timed(fn, items, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        for item in items:
            t = time.perf_counter()
            fn(item)
            out.append(time.perf_counter() - t)
    return out


def print_table(rows: dict[str, list[float]]) -> None:
    print(f"{'step':44s} {'p50 ms':>8s} {'p99 ms':>8s}")
    for name, times in rows.items():
        p50, p99 = timing.percentiles_ms(times)
        print(f"{name:44s} {p50:8.3f} {p99:8.3f}")


ONE = {  # figure key -> the step's printed name
    "preprocess_predict": "preprocess + LiteRT predict, as one digit",
    "preprocess": "  preprocess only",
    "litert": "  LiteRT predict only",
    "read_strokes": "read_strokes (the app's path: + segment)",
    "keras": "Keras model.predict only (the seed's way)",
}
NUMBER = {
    "read_strokes": "read_strokes: segment + preprocess + predict",
    "segment": "  segment only (flatten + group_strokes)",
    "preprocess_predict": "  preprocess + predict the 4, once split",
    "litert": "  LiteRT predict of the 4 only",
}


def one_digit_round(
    recognizer: Recognizer, drawings: list, repeats: int, keras: Callable | None
) -> dict[str, list[float]]:  # type: ignore[type-arg]
    """One round of the single-drawing steps: each step's times in seconds."""
    canvas = pendigits.CANVAS
    times = {
        "preprocess_predict": timed(lambda d: strokes_alone(recognizer, d, canvas), drawings, repeats),
        "read_strokes": timed(lambda d: recognizer.read_strokes(d, canvas, canvas), drawings, repeats),
        "preprocess": timed(lambda d: preprocess.strokes_to_input(d, canvas), drawings, repeats),
    }
    inputs = [preprocess.strokes_to_input(d, canvas) for d in drawings]
    times["litert"] = timed(recognizer.predictor.probabilities, inputs, repeats)
    if keras is not None:
        times["keras"] = timed(keras, [x[None, :, :, None] for x in inputs], 1)
    print_table({ONE[k]: times[k] for k in ONE if k in times})
    if keras is not None:
        ratio = timing.percentiles_ms(times["keras"])[0] / timing.percentiles_ms(times["preprocess_predict"])[0]
        print(f"ratio p50: Keras model.predict alone is {ratio:.0f}x slower than our whole path")
    return times


def keras_predict() -> Callable:  # type: ignore[type-arg]
    """The seed's way: Keras ``model.predict`` on the committed model, warmed up."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    model = keras.models.load_model(paths.model_path("digit_cnn.keras"), compile=False, safe_mode=True)
    for _ in range(5):
        model.predict(np.zeros((1, 28, 28, 1), np.float32), verbose=0)
    return lambda x: model.predict(x, verbose=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--numbers", type=int, default=100, help="4-digit numbers to time (0: none)")
    parser.add_argument("--no-keras", action="store_true", help="skip the Keras comparison (no TensorFlow)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds of every step (default 3)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    drawings = [[s.tolist() for s in d] for _, _, d in pendigits.dataset(max(args.drawings // 10, 1), seed=1)]
    recognizer = Recognizer(load_predictor())
    for d in drawings[:20]:  # warm up caches and the interpreter
        strokes_alone(recognizer, d, pendigits.CANVAS)
    keras = None if args.no_keras else keras_predict()
    numbers = number_cases(args.numbers)
    points = [sum(len(s) for s in d) for d in drawings]
    one, four = [], []
    for r in range(args.rounds):
        print(
            f"round {r + 1} of {args.rounds}: {len(drawings)} drawings ({np.median(points):.0f} points median, "
            f"{max(points)} max) x {args.repeats} repeats"
        )
        one.append(one_digit_round(recognizer, drawings, args.repeats, keras))
        if numbers:
            four.append(number_round(recognizer, numbers, args.repeats, one[-1]["read_strokes"]))
        print()
    figures = {
        "drawings": len(drawings),
        "repeats": args.repeats,
        "rounds": args.rounds,
        "one_digit": {k: timing.over_rounds([r[k] for r in one]) for k in ONE if k in one[0]},
        "keras_ratio": timing.ratio_over_rounds([r["keras"] for r in one], [r["preprocess_predict"] for r in one])
        if keras
        else None,
        "number": summarise_numbers(four, one, args.repeats) if four else None,
    }
    print(f"medians over {args.rounds} rounds (p50 / p99 ms):")
    for key, name in ONE.items():
        if key in figures["one_digit"]:  # type: ignore[operator]
            f = figures["one_digit"][key]  # type: ignore[index]
            print(f"  {name.strip():44s} {f['p50_ms']:8.3f} {f['p99_ms']:8.3f}")
    record.publish(parser, args, "latency", figures, started, load)


def number_cases(count: int) -> list[tuple]:  # type: ignore[type-arg]
    """``count`` 4-digit pen-proxy numbers (strokes, width, height), gaps 15-60 % of the height."""
    rng = np.random.default_rng(4)
    digits = written_numbers.pen_digits(4)
    numbers = [written_numbers.compose([next(digits) for _ in range(4)], rng, (0.15, 0.6)) for _ in range(count)]
    return [(n.strokes, n.width, n.height) for n in numbers]


def number_round(recognizer: Recognizer, cases: list, repeats: int, single: list[float]) -> dict[str, list[float]]:  # type: ignore[type-arg]
    """The 4-digit number case: the whole path, and its steps, on the same numbers; times in seconds."""
    for strokes, w, h in cases[:10]:
        recognizer.read_strokes(strokes, w, h)
    times = {
        "read_strokes": timed(lambda c: recognizer.read_strokes(*c), cases, repeats),
        "segment": timed(lambda c: segment.group_strokes(c[0]), cases, repeats),
    }
    split = []  # each number's ink as arrays and its groups: what segmentation hands on
    for strokes, w, h in cases:
        points, counts = segment.flatten(strokes)
        found = segment.group_points(points, counts)
        split.append((points, counts, found, [g.box for g in found], max(w, h)))

    def preprocess_and_predict(c: tuple) -> None:  # type: ignore[type-arg]
        points, counts, found, boxes, side = c
        recognizer.read_inputs(preprocess.drawings_to_inputs(_drawings_of(points, counts, found), side), boxes)

    times["preprocess_predict"] = timed(preprocess_and_predict, split, repeats)
    inputs = [np.stack(preprocess.drawings_to_inputs(_drawings_of(*c[:3]), c[4])) for c in split]
    times["litert"] = timed(recognizer.predictor.predict, inputs, repeats)
    print(
        f"{len(cases)} numbers of 4 pen-proxy digits ({np.median([len(c[0]) for c in cases]):.0f} strokes, "
        f"{np.median([sum(len(s) for s in c[0]) for c in cases]):.0f} points median) x {repeats} repeats"
    )
    print_table({NUMBER[k]: times[k] for k in NUMBER})
    best = best_of(times["read_strokes"], repeats)
    print(
        f"{'read_strokes, each number at its best':44s} {best:8.3f}   (median over numbers of the "
        f"fastest of {repeats}: the machine's load mostly left out)"
    )
    ratio = timing.percentiles_ms(times["read_strokes"])[0] / timing.percentiles_ms(single)[0]
    print(f"ratio p50: a 4-digit number takes {ratio:.1f}x one digit's read_strokes, in this run")
    return times


def best_of(times: list[float], repeats: int) -> float:
    """The median over numbers of each number's fastest read (ms): the machine's load mostly left out."""
    return float(np.median(np.array(times).reshape(repeats, -1).min(axis=0)) * 1e3)


def summarise_numbers(
    four: list[dict[str, list[float]]], one: list[dict[str, list[float]]], repeats: int
) -> dict[str, object]:
    """The number steps over the rounds, each number's best read, and the ratio to one digit."""
    figures: dict[str, object] = {k: timing.over_rounds([r[k] for r in four]) for k in NUMBER}
    figures["read_strokes_best_ms"] = round(float(np.median([best_of(r["read_strokes"], repeats) for r in four])), 4)
    figures["ratio_to_one_digit"] = timing.ratio_over_rounds(
        [r["read_strokes"] for r in four], [r["read_strokes"] for r in one]
    )
    return figures


if __name__ == "__main__":
    main()
