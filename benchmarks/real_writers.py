"""Real writers: pen digits by people nobody on this project is, read through the app's own path, per writer.

    python benchmarks/real_writers.py                     # the report group: the figures docs/figures.md shows
    python benchmarks/real_writers.py --group choosing    # the writers that choose settings (never the report group)

The digits are UNIPEN's (``training/realwriters.py``; attribution there and in the README): isolated
digits written on pen tablets, every pen-down stroke as written.  Each is read as a stroke file
holds it -- the strokes scaled so that the digit's longer side is 60 % of a 560-pixel canvas,
encoded, parsed, then ``Recognizer.read_drawing``: segmentation, MNIST's recipe, the model,
exactly what `predict` does with a stroke file.  A digit is read right when the answer is that one
digit; a digit split into two is wrong.  Measured:

* **dense**: the digits as written -- accuracy, the share of confident answers that are wrong, the
  share answered confidently; per institution, per digit, and the mean over writers (one person's
  digits look alike: a writer with 400 digits must not outweigh forty writers with ten);
* **sparse**: the same digits as ONE stroke of 8 points, evenly spaced along the pen's path with
  the pen-ups joined (as a fast flick, a low-rate tablet or another tool's files give them);
* **teaching**: for each writer with at least k + 1 digits of every class, k of each (at random,
  three trials) taught through the app's own personal model, then the writer's other digits read
  with them, beside the same digits untaught; k = 1, 3, 5;
* **letters**: the same writers' letters that look like no digit (``realwriters.UNLIKE_DIGITS``:
  A, E, F, H, K, M, N, R, W, X, Y, e, f, h, k, m, n, r, w, x), read the same way: the share answered
  "not a digit", and the share answered as a confident digit or number -- what must be rare.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import record

from digitgame.files.strokefile import StrokeFile, parse_stroke_file
from digitgame.recognition import preprocess
from digitgame.recognition.predictor import Predictor, load_predictor
from digitgame.recognition.recognizer import Recognizer
from digitgame.teaching.personal import PersonalModel
from digitgame.teaching.taught import Example, Profile
from training import realwriters
from training.realwriters import PenDigit

CANVAS_PX = 560.0
HEIGHT_SHARE = realwriters.HEIGHT_SHARE  # the digit's longer side on the canvas
SPARSE_POINTS = realwriters.SPARSE_POINTS
KS = (1, 3, 5)
TRIALS = 3

Strokes = list[list[tuple[float, float]]]


@dataclass(frozen=True)
class Outcome:
    """How one digit was read."""

    digit: PenDigit
    answer: str | None  # the number read ("7"; "17" for a digit split in two), None for nothing
    is_confident: bool

    @property
    def is_right(self) -> bool:
        return self.answer == str(self.digit.label)


def as_written(digit: PenDigit) -> Strokes:
    """The digit's strokes on the canvas, as written."""
    return realwriters.on_canvas(digit.strokes, CANVAS_PX, HEIGHT_SHARE)


def as_sparse(digit: PenDigit) -> Strokes:
    """The digit as one stroke of SPARSE_POINTS points along its pen path, pen-ups joined."""
    return realwriters.one_stroke(as_written(digit), SPARSE_POINTS)


def read(recognizer: Recognizer, strokes: Strokes) -> tuple[str | None, bool]:
    """The answer and whether it is confident, through a stroke file's bytes as `predict` reads them."""
    drawing = parse_stroke_file(json.loads(StrokeFile(CANVAS_PX, CANVAS_PX, tuple(map(tuple, strokes))).encode()))
    reading = recognizer.read_drawing(drawing)
    return reading.number, reading.is_confident


def read_all(recognizer: Recognizer, digits: Sequence[PenDigit], form: Callable[[PenDigit], Strokes]) -> list[Outcome]:
    return [Outcome(d, *read(recognizer, form(d))) for d in digits]


def letters(recognizer: Recognizer, items: Sequence[PenDigit]) -> dict[str, object]:
    """How letters that look like no digit are answered: "not a digit", a confident digit (or number), unsure."""
    answers = []
    for item in items:
        strokes = as_written(item)
        drawing = parse_stroke_file(json.loads(StrokeFile(CANVAS_PX, CANVAS_PX, tuple(map(tuple, strokes))).encode()))
        reading = recognizer.read_drawing(drawing)
        answers.append((item, reading.is_not_a_digit, reading.is_confident))
    by_letter: dict[str, list[bool]] = defaultdict(list)
    for item, _, sure in answers:
        by_letter[item.letter].append(sure)
    return {
        "letters": len(answers),
        "writers": len({item.writer for item, _, _ in answers}),
        "not_a_digit": round(float(np.mean([nd for _, nd, _ in answers])), 5),
        "confident_digit": round(float(np.mean([sure for _, _, sure in answers])), 5),
        "confident_digit_by_letter": {k: round(float(np.mean(v)), 4) for k, v in sorted(by_letter.items())},
    }


def summary(outcomes: Sequence[Outcome]) -> dict[str, object]:
    """Accuracy, confident-but-wrong and the share answered confidently; per writer, institution and digit."""
    right = np.array([o.is_right for o in outcomes])
    sure = np.array([o.is_confident for o in outcomes])
    by_writer: dict[str, list[bool]] = defaultdict(list)
    by_source: dict[str, list[bool]] = defaultdict(list)
    by_digit: dict[int, list[bool]] = defaultdict(list)
    for o in outcomes:
        by_writer[o.digit.writer].append(o.is_right)
        by_source[o.digit.source].append(o.is_right)
        by_digit[o.digit.label].append(o.is_right)
    return {
        "digits": len(outcomes),
        "writers": len(by_writer),
        "accuracy": round(float(right.mean()), 5),
        "mean_over_writers": round(float(np.mean([np.mean(v) for v in by_writer.values()])), 5),
        "answered_confidently": round(float(sure.mean()), 5),
        "confident_but_wrong": round(float((sure & ~right).sum() / max(sure.sum(), 1)), 5),
        "by_source": {s: round(float(np.mean(v)), 4) for s, v in sorted(by_source.items())},
        "by_digit": {str(d): round(float(np.mean(v)), 4) for d, v in sorted(by_digit.items())},
    }


def taught_profile(digits: Sequence[PenDigit]) -> Profile:
    profile = Profile()
    for i, d in enumerate(digits):
        image = preprocess.strokes_to_input(as_written(d), CANVAS_PX)
        profile = profile.add(Example.from_input(image, d.label, strokes=as_written(d), taught_at=float(i)))
    return profile


def teaching(predictor: Predictor, digits: Sequence[PenDigit]) -> dict[str, object]:
    """Per writer: k of each digit taught, the writer's other digits read with them and without."""
    by_writer: dict[str, list[PenDigit]] = defaultdict(list)
    for d in digits:
        by_writer[d.writer].append(d)
    untaught = Recognizer(predictor)
    figures: dict[str, object] = {}
    for k in KS:
        rng = np.random.default_rng(k)
        writers = {w: ds for w, ds in by_writer.items() if all(sum(d.label == c for d in ds) > k for c in range(10))}
        before, after = [], []
        per_writer: dict[str, dict[str, float]] = {}
        for writer, ds in writers.items():
            for _ in range(TRIALS):
                chosen = {
                    i for c in range(10) for i in rng.choice([j for j, d in enumerate(ds) if d.label == c], k, False)
                }
                rest = [d for j, d in enumerate(ds) if j not in chosen]
                personal = PersonalModel.build(taught_profile([ds[j] for j in sorted(chosen)]), predictor)
                taught = Recognizer(predictor, personal)
                before.append(np.mean([o.is_right for o in read_all(untaught, rest, as_written)]))
                after.append(np.mean([o.is_right for o in read_all(taught, rest, as_written)]))
            per_writer[writer] = {  # this writer's trials: one person's hand, as the target means
                "untaught": round(float(np.mean(before[-TRIALS:])), 5),
                "taught": round(float(np.mean(after[-TRIALS:])), 5),
            }
        figures[f"k={k}"] = {
            "writers": len(writers),
            "untaught": round(float(np.mean(before)), 5) if before else None,
            "taught": round(float(np.mean(after)), 5) if after else None,
            "by_writer": per_writer if k > 1 else {},  # k = 1 has many writers: the mean says enough
        }
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Real writers' pen digits through the app's own path, per writer.")
    parser.add_argument(
        "--group", choices=("report", "choosing"), default="report", help="which writers (default report)"
    )
    parser.add_argument("--model", type=Path, default=None, help="a .tflite other than the committed one")
    args = parser.parse_args(argv)
    started, load = time.time(), record.load_average()
    digits = realwriters.of_group(realwriters.read_digits(), args.group)
    predictor = load_predictor(args.model) if args.model else load_predictor()
    recognizer = Recognizer(predictor)
    figures = {
        "group": args.group,
        "data": realwriters.ATTRIBUTION,
        "dense": summary(read_all(recognizer, digits, as_written)),
        "sparse": summary(read_all(recognizer, digits, as_sparse)),
        "teaching": teaching(predictor, digits),
        "letters": letters(recognizer, realwriters.of_group(realwriters.read_letters(), args.group)),
    }
    for name in ("dense", "sparse"):
        f = figures[name]
        assert isinstance(f, dict)
        print(
            f"{args.group} writers, {name}: {100 * f['accuracy']:.2f} % of {f['digits']} digits by {f['writers']} writers "
            f"(mean over writers {100 * f['mean_over_writers']:.2f} %); answered confidently "
            f"{100 * f['answered_confidently']:.1f} %, of those wrong {100 * f['confident_but_wrong']:.2f} %"
        )
    for k, f in figures["teaching"].items():  # type: ignore[union-attr]
        print(
            f"teaching {k}: {f['writers']} writers, their other digits {f['untaught']} untaught -> {f['taught']} taught"
        )
    print(f"{args.group} writers' letters like no digit: {json.dumps(figures['letters'])}")
    if args.model is None and args.group == "report":
        print(f"wrote {record.write('real_writers', figures, started, load)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
