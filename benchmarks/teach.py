"""Teaching it your handwriting: k taught drawings per digit -> accuracy on the writer's other drawings, and MNIST kept.

    python benchmarks/teach.py                 # about 5 minutes on 2 cores (most of it the 10,000 canvases)
    python benchmarks/teach.py --trials 2 --canvas 2000   # a quicker look

For each writer, every digit has 60 drawings; k of each digit (k = 1, 3, 5, 10, chosen at random,
``--trials`` times) become the profile, through the app's own code (``taught.Example``,
``personal.PersonalModel``), and the other 60 - k are read with it.  Printed per k: accuracy on
the *misread* digits (those the untaught network reads right less than 80 % of the time) and
on all ten digits.

Writers -- none of them real people except the last:
* A, B, C: ``foreignstyles.py``, written by this project from issue 10's description of real
  writers' failures and in the pen proxy's manner (see there);
* D: MNIST test digits as skeleton strokes with styles added by the stroke-style generator's
  functions (``training/strokestyle.py``): 1s with a flat flag (10-22 deg, longer than training
  used), 7s crossed in one stroke (a bar joined to the stem's foot), 9s with a loop left open.
  D takes, per digit, the 60 test digits nearest to one of them (a stand-in for one person's
  hand) with the style's shape fixed; D' takes 60 at random, each styled its own way -- sixty
  people, not one, to show what teaching does *not* do: learn a style from other people;
* load_digits: scikit-learn's 1,797 digits by 13 real writers (8x8, 17 grey levels), read
  raw through the image path as ``predict`` reads an 8x8 file -- nobody on this team made them.

Then "teaching does not hurt": with each writer's 50-example profile (k = 5), the accuracy on
MNIST test digits drawn on a canvas (``training/evaluation.py``'s placement, read back through
the image path, in memory) beside the untaught accuracy.  With the default arguments it writes
``benchmarks/results/teach.json``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import foreignstyles
import pendigits
import record

from digitgame.recognition import preprocess
from digitgame.recognition.predictor import Outputs, Predictor, load_predictor
from digitgame.teaching.personal import PersonalModel
from digitgame.teaching.taught import Example, Profile
from training import evaluation, strokestyle
from training.data import load_mnist

PER_DIGIT = 60
KS = (1, 3, 5, 10)
MISREAD_BELOW = 0.8


def predict_all(predictor: Predictor, x: np.ndarray, batch: int = 500) -> Outputs:
    """Outputs for many inputs, in batches."""
    parts = [predictor.predict(x[i : i + batch]) for i in range(0, len(x), batch)]
    embeddings = [p.embeddings for p in parts]
    return Outputs(
        np.concatenate([p.probabilities for p in parts]),
        None if any(e is None for e in embeddings) else np.concatenate(embeddings),  # type: ignore[arg-type]
    )


def pen_writer(styles: list[foreignstyles.Style], seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(N, 28, 28) inputs and (N,) digits: PER_DIGIT drawings of each style, through the stroke path."""
    inputs, digits = [], []
    for i, style in enumerate(styles):
        for strokes in foreignstyles.drawings(style, PER_DIGIT, seed=seed * 100 + i):
            inputs.append(preprocess.strokes_to_input(strokes, pendigits.CANVAS))
            digits.append(style.digit)
    return np.stack(inputs), np.array(digits)


def flat_flag(seg: preprocess.Segments, rng: np.random.Generator) -> preprocess.Segments:
    """A 1 whose flag runs long and nearly flat from the top of the stem: what MNIST's writers never drew."""
    points = seg.points()
    top = points[np.argmin(points[:, 1])]
    height = float(np.ptp(points[:, 1]))
    angle = np.deg2rad(rng.uniform(10, 22))
    delta = np.array([-np.cos(angle), np.sin(angle)]) * height * rng.uniform(0.5, 0.75)
    return preprocess.Segments(
        np.concatenate((seg.starts, (top + delta)[None])), np.concatenate((seg.deltas, -delta[None])), seg.dots
    )


def crossed_in_one_stroke(seg: preprocess.Segments, rng: np.random.Generator) -> preprocess.Segments:
    """A 7 crossed without lifting the pen: the stem's foot joined by a stroke to the start of the bar."""
    crossed = strokestyle.add_crossbar(seg, rng)
    bar_start = crossed.starts[-1]
    points = seg.points()
    foot = points[np.argmax(points[:, 1])]
    bend = foot + np.array([-0.12, -0.06]) * float(np.ptp(points[:, 1]))
    starts = np.stack((foot, bend))
    deltas = np.stack((bend - foot, bar_start - bend))
    return preprocess.Segments(
        np.concatenate((crossed.starts, starts)), np.concatenate((crossed.deltas, deltas)), crossed.dots
    )


STYLED = {1: flat_flag, 7: crossed_in_one_stroke, 9: strokestyle.open_loop}


def mnist_writer(seed: int, one_hand: bool) -> tuple[np.ndarray, np.ndarray]:
    """Writer D: MNIST test digits as strokes, with the styles above added to the 1s, 7s and 9s.

    ``one_hand``: for each digit, the 60 test digits nearest (in pixels) to one of them, a stand-in
    for one person's hand, and the style's shape fixed for the writer (as one person repeats
    it); otherwise 60 digits at random, each with its own flag or bar: sixty people.
    """
    data = load_mnist()
    rng = np.random.default_rng(seed)
    inputs, digits = [], []
    for digit in range(10):
        candidates = np.flatnonzero(data.y_test == digit)
        if one_hand:
            pixels = data.x_test[candidates].reshape(len(candidates), -1).astype(np.float32)
            centre = pixels[rng.integers(len(candidates))]
            chosen = candidates[np.argsort(((pixels - centre) ** 2).sum(axis=1))[:PER_DIGIT]]
        else:
            chosen = rng.choice(candidates, PER_DIGIT, replace=False)
        style_seed = int(rng.integers(1 << 31))
        for index in chosen:
            seg = strokestyle.skeleton_segments(data.x_test[index] / 255.0)
            if digit in STYLED:
                seg = STYLED[digit](seg, np.random.default_rng(style_seed) if one_hand else rng)
            placed = evaluation.place_strokes(strokestyle.affine(seg, rng, 6.0, 0.1, 0.1), rng)
            inputs.append(preprocess.segments_to_input(placed, evaluation.CANVAS_SIDE_PX))
            digits.append(digit)
    return np.stack(inputs), np.array(digits)


def load_digits_writers() -> tuple[np.ndarray, np.ndarray] | None:
    """scikit-learn's load_digits as model inputs (the 8x8 images through the image path), or None without it."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        return None
    digits = load_digits()
    return np.stack([preprocess.image_to_input(image / 16.0) for image in digits.images]), digits.target


def choose(digits: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """k indices of each digit, at random."""
    return np.concatenate([rng.choice(np.flatnonzero(digits == d), k, replace=False) for d in range(10)])


def profile_of(inputs: np.ndarray, digits: np.ndarray, chosen: np.ndarray) -> Profile:
    profile = Profile()
    for i in chosen:
        profile = profile.add(Example.from_input(inputs[i], int(digits[i]), taught_at=float(i)))
    return profile


def teach_writer(predictor: Predictor, name: str, inputs: np.ndarray, digits: np.ndarray, trials: int) -> dict:
    """Print one writer's line and return its figures."""
    out = predict_all(predictor, inputs)
    right = out.probabilities.argmax(axis=1) == digits
    per_digit = np.array([right[digits == d].mean() for d in range(10)])
    misread = per_digit < MISREAD_BELOW
    figures: dict = {
        "untaught": float(right.mean()),
        "untaught_misread": float(right[misread[digits]].mean()) if misread.any() else None,
        "misread_digits": {str(d): round(float(per_digit[d]), 4) for d in np.flatnonzero(misread)},
        "k": {},
    }
    for k in KS:
        rng = np.random.default_rng(k)
        on_misread, on_all = [], []
        for _ in range(trials):
            chosen = choose(digits, k, rng)
            rest = np.setdiff1d(np.arange(len(digits)), chosen)
            model = PersonalModel.build(profile_of(inputs, digits, chosen), predictor)
            assert out.embeddings is not None
            adjusted = model.adjust(out.probabilities[rest], out.embeddings[rest])
            ok = adjusted.probabilities.argmax(axis=1) == digits[rest]
            on_all.append(ok.mean())
            on_misread.append(ok[misread[digits[rest]]].mean() if misread.any() else np.nan)
        figures["k"][k] = (float(np.mean(on_misread)), float(np.mean(on_all)))
    misread_text = " ".join(f"{d}:{per_digit[d]:.0%}" for d in np.flatnonzero(misread)) or "none"
    cells = " ".join(f"{100 * m:6.1f} /{100 * a:5.1f}" for m, a in figures["k"].values())
    print(
        f"{name:36s} {100 * (figures['untaught_misread'] or np.nan):5.1f} /{100 * figures['untaught']:5.1f}  {cells}   misread: {misread_text}"
    )
    figures["k"] = {
        str(k): {"misread": None if np.isnan(m) else round(m, 5), "all": round(a, 5)}
        for k, (m, a) in figures["k"].items()
    }
    return figures


def does_not_hurt(predictor: Predictor, writers: dict, n: int, seed: int) -> dict:
    """MNIST drawn-canvas accuracy, untaught and with each writer's k = 5 profile."""
    data = load_mnist()
    x = np.stack(list(evaluation.canvas_inputs(data.x_test[:n].astype(np.float32) / 255.0, seed)))
    y = data.y_test[:n]
    out = predict_all(predictor, x)
    assert out.embeddings is not None
    untaught = (out.probabilities.argmax(axis=1) == y).mean()
    print(f"\nMNIST drawn canvas ({n} test digits): untaught {100 * untaught:.2f} %")
    figures: dict = {"digits": n, "untaught": round(float(untaught), 5), "with": {}}
    for name, (inputs, digits) in writers.items():
        model = PersonalModel.build(profile_of(inputs, digits, choose(digits, 5, np.random.default_rng(5))), predictor)
        adjusted = model.adjust(out.probabilities, out.embeddings)
        accuracy = (adjusted.probabilities.argmax(axis=1) == y).mean()
        changed = int((adjusted.probabilities.argmax(axis=1) != out.probabilities.argmax(axis=1)).sum())
        print(
            f"  with {name:34s} (50 examples): {100 * accuracy:.2f} % ({100 * (accuracy - untaught):+.2f} points,"
            f" {changed} answers changed)"
        )
        figures["with"][name] = {"accuracy": round(float(accuracy), 5), "changed": changed}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=5, help="random choices of the taught drawings per k")
    parser.add_argument("--canvas", type=int, default=10_000, help="MNIST test digits for 'does not hurt'")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    predictor = load_predictor()
    writers = {name: pen_writer(styles, seed=i) for i, (name, styles) in enumerate(foreignstyles.WRITERS.items())}
    writers["D (MNIST, one hand + stroke styles)"] = mnist_writer(seed=args.seed + 7, one_hand=True)
    sixty = {"D' (MNIST, 60 hands + stroke styles)": mnist_writer(seed=args.seed + 7, one_hand=False)}
    real = load_digits_writers()
    print(f"accuracy on the writer's other drawings, misread digits / all digits (%), {args.trials} trials per k")
    print(f"{'writer':36s} {'untaught':>13s}  " + " ".join(f"{f'k={k}':>13s}" for k in KS))
    figures: dict = {"trials": args.trials, "ks": list(KS), "misread_below": MISREAD_BELOW, "writers": {}}
    for name, (inputs, digits) in (writers | sixty).items():
        figures["writers"][name] = teach_writer(predictor, name, inputs, digits, args.trials)
    if real is None:
        print("load_digits: skipped (pip install scikit-learn)")
    else:
        name = "load_digits (13 real writers, 8x8)"
        figures["writers"][name] = teach_writer(predictor, name, *real, args.trials)
    figures["does_not_hurt"] = does_not_hurt(predictor, writers, args.canvas, args.seed)
    print(f"({time.time() - started:.0f} s)")
    record.publish(parser, args, "teach", figures, started, load)


if __name__ == "__main__":
    main()
