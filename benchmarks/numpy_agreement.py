"""The numpy fallback against LiteRT: the same answers on all of MNIST test, and how much slower one digit reads.

    python benchmarks/numpy_agreement.py [--digits 300] [--repeats 5] [--rounds 3]

All 10,000 MNIST test digits go through both backends (``NumpyPredictor`` on
``models/digit_cnn.weights.npz``, ``LiteRTPredictor`` on ``models/digit_cnn.tflite``) in batches of
500: the largest |difference| of the ten digit probabilities, of the "not a digit" share and of the
embedding (must be <= 1e-5), and how many digits get the same most likely digit and the same answer
as the app gives it (digit, or "not a digit" from the card's threshold).  Then the speed of one
digit's model call, as the app makes it for a single digit (``predict`` of a batch of one): ``--digits``
test digits, ``--repeats`` times each, numpy and LiteRT interleaved within each of ``--rounds``
rounds; each round's p50 and p99 and their medians (``timing.py``).  Exits 1 when the outputs differ by
more than the tolerance.  With the default arguments it writes ``benchmarks/results/numpy_agreement.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import record
import timing

from digitgame.files import paths
from digitgame.recognition.predictor import LiteRTPredictor, NumpyPredictor, Outputs, weights_path
from training.data import load_mnist

TOLERANCE = 1e-5  # the most any output may differ (issue 21)
BATCH = 500


def answers(out: Outputs, threshold: float) -> np.ndarray:
    """The app's answer per digit: the most likely digit, or 10 for "not a digit" from the card's threshold."""
    assert out.not_digit is not None
    return np.where(out.not_digit >= threshold, 10, out.probabilities.argmax(axis=1))


def agreement(ours: NumpyPredictor, theirs: LiteRTPredictor, x: np.ndarray) -> dict[str, object]:
    """Both backends on every input, in batches: the largest differences and how often the answers agree."""
    diffs = {"probabilities": 0.0, "not_digit": 0.0, "embeddings": 0.0}
    same_digit = same_answer = 0
    for i in range(0, len(x), BATCH):
        a, b = ours.predict(x[i : i + BATCH]), theirs.predict(x[i : i + BATCH])
        for key in diffs:
            diffs[key] = max(diffs[key], float(np.abs(getattr(a, key) - getattr(b, key)).max()))
        same_digit += int((a.probabilities.argmax(axis=1) == b.probabilities.argmax(axis=1)).sum())
        same_answer += int((answers(a, ours.not_a_digit_threshold) == answers(b, theirs.not_a_digit_threshold)).sum())
    return {
        "digits": len(x),
        "max_abs_difference": {k: float(f"{v:.3g}") for k, v in diffs.items()},
        "tolerance": TOLERANCE,
        "within_tolerance": max(diffs.values()) <= TOLERANCE,
        "same_most_likely_digit": same_digit,
        "same_answer": same_answer,
    }


def speed_round(predictors: dict[str, NumpyPredictor | LiteRTPredictor], x: np.ndarray, repeats: int) -> dict:  # type: ignore[type-arg]
    """One round: each digit's model call on each backend in turn (the same seconds, the same load)."""
    times: dict[str, list[float]] = {name: [] for name in predictors}
    for _ in range(repeats):
        for i in range(len(x)):
            for name, predictor in predictors.items():
                t = time.perf_counter()
                predictor.predict(x[i : i + 1])
                times[name].append(time.perf_counter() - t)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=300, help="test digits timed one at a time")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds of the timing (default 3)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    x = load_mnist().x_test.astype(np.float32)[..., None] / 255.0  # all 10,000
    lite = LiteRTPredictor(paths.model_path())
    fallback = NumpyPredictor(weights_path(paths.model_path()))
    agree = agreement(fallback, lite, x)
    print(f"{agree['digits']} MNIST test digits, max |numpy - LiteRT|: {agree['max_abs_difference']}")
    print(f"same most likely digit: {agree['same_most_likely_digit']}, same answer: {agree['same_answer']}")
    sample = x[np.linspace(0, len(x) - 1, args.digits).astype(int)]
    predictors = {"numpy": fallback, "litert": lite}
    speed_round(predictors, sample[:20], 1)  # warm up
    rounds = [speed_round(predictors, sample, args.repeats) for _ in range(args.rounds)]
    one_digit = {name: timing.over_rounds([r[name] for r in rounds]) for name in predictors}
    ratio = timing.ratio_over_rounds([r["numpy"] for r in rounds], [r["litert"] for r in rounds])
    print(f"one digit's model call, medians over {args.rounds} rounds (p50 / p99 ms):")
    for name, f in one_digit.items():
        print(f"  {name:8s} {f['p50_ms']:8.3f} {f['p99_ms']:8.3f}")
    print(f"numpy / LiteRT p50: {ratio['median']}x")
    figures = {
        **agree,
        "timed_digits": len(sample),
        "repeats": args.repeats,
        "rounds": args.rounds,
        "one_digit": one_digit,
        "numpy_to_litert_ratio": ratio,
    }
    record.publish(parser, args, "numpy_agreement", figures, started, load)
    return 0 if agree["within_tolerance"] else 1


if __name__ == "__main__":
    sys.exit(main())
