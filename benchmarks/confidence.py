"""Where to draw the line between "7" and "not sure: 7 or 1?" -- the confidence thresholds, chosen and checked.

    python benchmarks/confidence.py

A prediction is confident when its top probability is at least P and leads the runner-up by at
least M (``digitgame/recognition/reading.py``).  The pair is CHOSEN on data no model trained on:

* the CHOOSING group of real writers (UNIPEN, ``training/writer_groups.json``), their pen digits
  through the app's stroke path as written and as one stroke of 8 points (pen-ups joined);
* the first half of ``load_digits`` (the file's order), as raw 8x8 images and upscaled, through
  the app's image path.

The rule: among the pairs that answer at least SURE_SHARE of the choosing writers' digits (as
written) confidently and call at most UNSURE_BUDGET of the ``load_digits`` answers unsure (a
person told "not sure" every few digits stops believing it), the one whose confident answers are
least often wrong, averaged over the choosing sets; of pairs that decide every choosing drawing
alike, the one with the larger margin.  It is then CHECKED on sets it was not chosen on: the
REPORT group of real writers (as written and sparse), the second half of ``load_digits``, MNIST
test.  With the default arguments it writes ``benchmarks/results/confidence.json``.
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

from digitgame.recognition import reading
from digitgame.recognition.predictor import load_predictor
from training import devset, evaluation
from training.data import as_input, load_mnist

UNSURE_BUDGET = 0.10  # at most this share of the load_digits answers called unsure
SURE_SHARE = 0.95  # at least this share of the choosing writers' digits answered confidently
P_GRID = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.97, 0.98, 0.99)
M_GRID = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97)
WRITTEN = "choosing writers, as written"

Set = tuple[np.ndarray, np.ndarray]  # (N, 28, 28) model inputs, (N,) labels


def writers(group: str) -> dict[str, Set]:
    """A group of real writers' digits, as written and as 8-point strokes."""
    sets = evaluation.real_writers(group)
    dense, sparse = sets[f"real_writers_{group}"], sets[f"real_writers_{group}_sparse"]
    return {
        f"{group} writers, as written": (dense.inputs[..., 0], dense.labels),
        f"{group} writers, one stroke of 8 points": (sparse.inputs[..., 0], sparse.labels),
    }


def choosing_sets() -> dict[str, Set]:
    """The sets the thresholds are chosen on."""
    images, labels = devset.load_dev_digits()
    first = devset.CHOOSING
    return {
        **writers("choosing"),
        "load_digits 1st half, raw": (devset.raw_inputs(images[first]), labels[first]),
        "load_digits 1st half, upscaled": (devset.upscaled_inputs(images[first]), labels[first]),
    }


def checking_sets(n_mnist: int) -> dict[str, Set]:
    """The sets the thresholds are checked on, never chosen on."""
    images, labels = devset.load_dev_digits()
    second = devset.REPORTING
    mnist = load_mnist()
    return {
        **writers("report"),
        "load_digits 2nd half, raw": (devset.raw_inputs(images[second]), labels[second]),
        "load_digits 2nd half, upscaled": (devset.upscaled_inputs(images[second]), labels[second]),
        "MNIST test": (as_input(mnist.x_test[:n_mnist])[..., 0], mnist.y_test[:n_mnist]),
    }


def confident(probabilities: np.ndarray, p_min: float, margin: float) -> np.ndarray:
    """(N,) bool: top probability >= p_min and ahead of the runner-up by >= margin."""
    ordered = np.sort(probabilities, axis=1)
    return (ordered[:, -1] >= p_min) & (ordered[:, -1] - ordered[:, -2] >= margin)


def shares(probabilities: np.ndarray, labels: np.ndarray, p_min: float, margin: float) -> tuple[float, float, float]:
    """(accuracy, share called unsure, share of the confident answers that are wrong)."""
    right = probabilities.argmax(axis=1) == labels
    sure = confident(probabilities, p_min, margin)
    wrong_if_sure = float((~right & sure).sum() / max(sure.sum(), 1))
    return float(right.mean()), float(1 - sure.mean()), wrong_if_sure


def choose(probs: dict[str, Set]) -> tuple[float, float] | None:
    """The (P, M) whose confident answers are least often wrong, within the unsure budget on load_digits."""
    best: tuple[float, float, float] | None = None
    for p_min in P_GRID:
        for margin in M_GRID:
            measured = {name: shares(p, y, p_min, margin) for name, (p, y) in probs.items()}
            if any(unsure > UNSURE_BUDGET for name, (_, unsure, _) in measured.items() if name.startswith("load_")):
                continue
            if 1 - measured[WRITTEN][1] < SURE_SHARE:
                continue
            wrong = float(np.mean([w for _, _, w in measured.values()]))
            if best is None or wrong <= best[2]:  # <=: on a tie, the later (larger) margin
                best = (p_min, margin, wrong)
    return (best[0], best[1]) if best else None


def table(title: str, probs: dict[str, Set], p_min: float, margin: float) -> dict[str, dict[str, float]]:
    """Print one table; return its rows for the JSON."""
    print(f"\n{title}: P={p_min} M={margin}")
    print(f"{'set':40s} {'n':>6s} {'accuracy':>9s} {'unsure':>7s} {'confident but wrong':>20s}")
    rows = {}
    for name, (p, y) in probs.items():
        acc, unsure, wrong = shares(p, y, p_min, margin)
        print(f"{name:40s} {len(y):6d} {acc:9.2%} {unsure:7.1%} {wrong:20.2%}")
        rows[name] = {
            "digits": len(y),
            "accuracy": round(acc, 5),
            "unsure": round(unsure, 5),
            "confident_but_wrong": round(wrong, 5),
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="the .tflite to measure (default: the committed model)")
    parser.add_argument("--n", type=int, default=10_000, help="MNIST test digits to check on (default all)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    predictor = load_predictor(args.model)

    def probabilities(sets: dict[str, Set]) -> dict[str, Set]:
        return {name: (predictor.predict(x).probabilities, y) for name, (x, y) in sets.items()}

    chosen_on, checked_on = probabilities(choosing_sets()), probabilities(checking_sets(args.n))
    pair = choose(chosen_on)
    in_use = (reading.CONFIDENT_PROBABILITY, reading.CONFIDENT_MARGIN)
    if pair is None:
        print(
            f"no pair meets both budgets ({UNSURE_BUDGET:.0%} unsure on load_digits, {SURE_SHARE:.0%} sure on the writers)"
        )
    else:
        table("chosen on", chosen_on, *pair)
        table("checked on", checked_on, *pair)
    figures = {
        "unsure_budget": UNSURE_BUDGET,
        "sure_share": SURE_SHARE,
        "chosen": list(pair) if pair else None,
        "in_use": list(in_use),
        "chosen_on": table("in use (digitgame/recognition/reading.py), chosen on", chosen_on, *in_use),
        "checked_on": table("in use, checked on", checked_on, *in_use),
    }
    record.publish(parser, args, "confidence", figures, started, load)


if __name__ == "__main__":
    main()
