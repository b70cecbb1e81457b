"""Speed of teaching: reading with 500 taught examples beside reading without, loading, saving and teaching one.

    python benchmarks/teach_speed.py [--drawings 300] [--repeats 5]

A profile of 500 examples (50 per digit, each with its strokes) is made from pen-proxy drawings
and saved to a temporary folder.  Then, in the same run and interleaved drawing by drawing:
``Recognizer.read_strokes`` (preprocess + one LiteRT call + the personal model) with that
profile and without any.  Also: ``taught.read`` of the 500-example file, ``personal.open_folder``
with its embedding cache (what the app and ``predict`` do at start) and without it, one teach
(embed 8 copies of one new drawing) and one atomic save.  Quote medians of repeated runs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits

from digitgame.recognition import preprocess
from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer
from digitgame.teaching import personal, taught

CANVAS = pendigits.CANVAS


def percentiles(times_s: list[float]) -> str:
    ms = np.array(times_s) * 1e3
    return f"{np.percentile(ms, 50):8.3f} {np.percentile(ms, 99):8.3f}"


def timed(fn, repeats: int) -> list[float]:  # type: ignore[no-untyped-def]
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def big_profile(n_per_digit: int = 50) -> taught.Profile:
    profile = taught.Profile()
    for label, _, strokes in pendigits.dataset(n_per_digit, seed=99):
        lists = [s.tolist() for s in strokes]
        image = preprocess.strokes_to_input(lists, CANVAS)
        profile = profile.add(taught.Example.from_input(image, label, strokes=lists, canvas=(CANVAS, CANVAS)))
    return profile


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    predictor = load_predictor()
    profile = big_profile()
    drawings = [[s.tolist() for s in d] for _, _, d in pendigits.dataset(max(args.drawings // 10, 1), seed=1)]
    plain, with_profile = Recognizer(predictor), Recognizer(predictor)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        taught.save(folder, profile)
        size = taught.file_in(folder).stat().st_size
        cold = timed(lambda: personal.open_folder(folder, predictor), 1)  # no cache yet: embeds 500 x 8 drawings
        with_profile.personal = personal.open_folder(folder, predictor).model
        rows = [
            (
                f"taught.read: load the profile ({len(profile)} examples, {size / 1e6:.2f} MB)",
                timed(lambda: taught.read(folder), 30),
            ),
            (
                "personal.open_folder, embedding cache present",
                timed(lambda: personal.open_folder(folder, predictor), 30),
            ),
            ("personal.open_folder, no cache (embeds 4,000 copies)", cold),
            ("taught.save: write the profile atomically", timed(lambda: taught.save(folder, profile), 20)),
        ]
    new = taught.Example.from_input(preprocess.strokes_to_input(drawings[0], CANVAS), 7)
    bank = with_profile.personal.bank
    rows.append(
        (
            "teach one drawing: embed 8 copies, rebuild the model",
            timed(lambda: personal.PersonalModel.build(profile.add(new), predictor, bank), 30),
        )
    )
    for d in drawings[:20]:  # warm up
        plain.read_strokes(d, CANVAS, CANVAS)
        with_profile.read_strokes(d, CANVAS, CANVAS)
    untaught, taught_times = [], []
    for _ in range(args.repeats):
        for d in drawings:
            untaught += timed(lambda d=d: plain.read_strokes(d, CANVAS, CANVAS), 1)
            taught_times += timed(lambda d=d: with_profile.read_strokes(d, CANVAS, CANVAS), 1)
    outputs = [_one_output(with_profile, d) for d in drawings]
    adjust = [t for p, e in outputs for t in timed(lambda p=p, e=e: with_profile.personal.adjust(p, e), 1)]
    rows[:0] = [
        ("preprocess + predict, no profile (read_strokes)", untaught),
        (f"preprocess + predict + personal, {len(profile)} taught examples", taught_times),
        ("  the personal model's adjust alone", adjust),
    ]
    print(f"{len(drawings)} pen-proxy drawings x {args.repeats} repeats; profile of {len(profile)} examples")
    print(f"{'step':62s} {'p50 ms':>8s} {'p99 ms':>8s}")
    for name, times in rows:
        print(f"{name:62s} {percentiles(times)}")


def _one_output(recognizer: Recognizer, drawing: list) -> tuple[np.ndarray, np.ndarray | None]:  # type: ignore[type-arg]
    out = recognizer.predictor.predict(preprocess.strokes_to_input(drawing, CANVAS)[None])
    return out.probabilities, out.embeddings


if __name__ == "__main__":
    main()
