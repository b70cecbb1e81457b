"""Speed of teaching: reading with 500 taught examples beside reading without, loading, saving and teaching one.

    python benchmarks/teach_speed.py [--drawings 300] [--repeats 5] [--rounds 3]

A profile of 500 examples (50 per digit, each with its strokes) is made from pen-proxy drawings
and saved to a temporary folder.  Then, in the same run and interleaved drawing by drawing:
``Recognizer.read_strokes`` (preprocess + one LiteRT call + the personal model) with that
profile and without any.  Also: ``taught.read`` of the 500-example file, ``personal.open_folder``
with its embedding cache (what the app and ``predict`` do at start) and without it, one teach
(embed 8 copies of one new drawing) and one atomic save.  Every step is timed in ``--rounds``
rounds; the figures are each round's p50 and p99 and their medians (``timing.py``).  With the
default arguments it writes ``benchmarks/results/teach_speed.json``.
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
import record
import timing

from digitgame.recognition import preprocess
from digitgame.recognition.predictor import Predictor, load_predictor
from digitgame.recognition.recognizer import Recognizer
from digitgame.teaching import personal, taught

CANVAS = pendigits.CANVAS


STEPS = {  # figure key -> the step's printed name ({n}: the profile's examples, {mb}: its file's size)
    "untaught_read": "preprocess + predict, no profile (read_strokes)",
    "taught_read": "preprocess + predict + personal, {n} taught examples",
    "adjust": "  the personal model's adjust alone",
    "load_profile": "taught.read: load the profile ({n} examples, {mb:.2f} MB)",
    "open_with_cache": "personal.open_folder, embedding cache present",
    "open_without_cache": "personal.open_folder, no cache (embeds 4,000 copies)",
    "save_profile": "taught.save: write the profile atomically",
    "teach_one": "teach one drawing: embed 8 copies, rebuild the model",
}


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


def one_round(
    predictor: Predictor, profile: taught.Profile, drawings: list, repeats: int
) -> tuple[dict[str, list[float]], int]:  # type: ignore[type-arg]
    """Every step once: its times in seconds, and the profile file's size in bytes."""
    plain, with_profile = Recognizer(predictor), Recognizer(predictor)
    times: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        taught.save(folder, profile)
        size = taught.file_in(folder).stat().st_size
        times["open_without_cache"] = timed(lambda: personal.open_folder(folder, predictor), 1)  # embeds 500 x 8
        with_profile.personal = personal.open_folder(folder, predictor).model
        times["load_profile"] = timed(lambda: taught.read(folder), 30)
        times["open_with_cache"] = timed(lambda: personal.open_folder(folder, predictor), 30)
        times["save_profile"] = timed(lambda: taught.save(folder, profile), 20)
    new = taught.Example.from_input(preprocess.strokes_to_input(drawings[0], CANVAS), 7)
    bank = with_profile.personal.bank
    times["teach_one"] = timed(lambda: personal.PersonalModel.build(profile.add(new), predictor, bank), 30)
    for d in drawings[:20]:  # warm up
        plain.read_strokes(d, CANVAS, CANVAS)
        with_profile.read_strokes(d, CANVAS, CANVAS)
    times["untaught_read"], times["taught_read"] = [], []
    for _ in range(repeats):  # interleaved, drawing by drawing
        for d in drawings:
            times["untaught_read"] += timed(lambda d=d: plain.read_strokes(d, CANVAS, CANVAS), 1)
            times["taught_read"] += timed(lambda d=d: with_profile.read_strokes(d, CANVAS, CANVAS), 1)
    outputs = [_one_output(with_profile, d) for d in drawings]
    times["adjust"] = [t for p, e in outputs for t in timed(lambda p=p, e=e: with_profile.personal.adjust(p, e), 1)]
    return times, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawings", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds of every step (default 3)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    predictor = load_predictor()
    profile = big_profile()
    drawings = [[s.tolist() for s in d] for _, _, d in pendigits.dataset(max(args.drawings // 10, 1), seed=1)]
    rounds = []
    for r in range(args.rounds):
        times, size = one_round(predictor, profile, drawings, args.repeats)
        rounds.append(times)
        print(
            f"round {r + 1} of {args.rounds}: {len(drawings)} pen-proxy drawings x {args.repeats} repeats; profile of {len(profile)} examples"
        )
        print(f"{'step':62s} {'p50 ms':>8s} {'p99 ms':>8s}")
        for key, name in STEPS.items():
            p50, p99 = timing.percentiles_ms(times[key])
            print(f"{name.format(n=len(profile), mb=size / 1e6):62s} {p50:8.3f} {p99:8.3f}")
    figures = {
        "drawings": len(drawings),
        "repeats": args.repeats,
        "rounds": args.rounds,
        "profile_examples": len(profile),
        "profile_bytes": size,
        **{key: timing.over_rounds([r[key] for r in rounds]) for key in STEPS},
    }
    record.publish(parser, args, "teach_speed", figures, started, load)


def _one_output(recognizer: Recognizer, drawing: list) -> tuple[np.ndarray, np.ndarray | None]:  # type: ignore[type-arg]
    out = recognizer.predictor.predict(preprocess.strokes_to_input(drawing, CANVAS)[None])
    return out.probabilities, out.embeddings


if __name__ == "__main__":
    main()
