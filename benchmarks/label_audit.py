"""Could a person read the report writers' digits that the app misreads?  A blind reading, scored.

    python benchmarks/label_audit.py --sheet audit.png --reader NAME   # the digits NAME has not read: numbered, no labels
    python benchmarks/label_audit.py                                    # scores benchmarks/label_audit_readings.json

UNIPEN's labels are the collectors' (``checked`` says which were verified; most were not), and some
digits lost strokes when they were cut from their forms.  So a misread digit is either the app's
error or a drawing no one could read as its label.  This separates the two without letting the
answer lead the eye:

* ``--sheet`` reads every report-group digit through the app's own path (``real_writers.read``),
  takes each digit it misreads and as many digits it reads right (those every reader has read
  already first, then at random by a fixed hash of their place, so a model that reads a few digits
  otherwise asks for few new readings), shuffles them together and draws those not yet read, as
  written (aspect kept, a circle where each stroke starts), each numbered by its place in
  ``digits.jsonl.gz``, with neither the label nor the app's answer (a digit whose pen never moved is
  left out, as ``realwriters.has_extent`` says);
* a reader writes down what each one is (``label_audit_readings.json``, under the reader's name,
  with who they are: number -> the digit, or "?" when it could be none or several), without the
  labels.  Readings are kept by that number, so a new model's sheet asks a reader only for the
  digits they have not read;
* the default run scores each reader's readings: of the digits the app misreads, how many the
  reader read as their label, as the app's answer, or could not read; of the digits the app reads
  right (the control), how many as their label -- how well the reader reads at all; and, where two
  readers agree, the same for the digits both read alike.

Nothing is chosen on this: the report group stays a report group.  It says how much of the report
figure's error is the data's, which is what a target on it needs to know.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent)]

import real_writers
import record

from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer
from training import realwriters

READINGS = Path(__file__).resolve().parent / "label_audit_readings.json"
SEED = 20261207
TILE_PX = 150
COLUMNS = 8


Item = tuple[int, realwriters.PenDigit, str | None, bool]  # (place in digits.jsonl.gz, digit, the app's answer, sure)


def items(everyone: dict[str, Reader]) -> list[Item]:
    """The sheet's digits, in sheet order (``everyone``: the readers, whose readings keep the control)."""
    every = realwriters.read_digits()
    report = realwriters.groups()["report"]
    recognizer = Recognizer(load_predictor())
    read = [
        (i, d, *real_writers.read(recognizer, real_writers.as_written(d)))
        for i, d in enumerate(every)
        if d.writer in report and realwriters.has_extent(d)
    ]
    wrong = [r for r in read if r[2] != str(r[1].label)]
    right = [r for r in read if r[2] == str(r[1].label)]
    seen = [set(reader.seen) for reader in everyone.values()]
    read_by_all = set.intersection(*seen) if seen else set()
    chosen = wrong + controls(right, len(wrong), read_by_all)
    rng = np.random.default_rng(SEED)
    return [chosen[i] for i in rng.permutation(len(chosen))]


def controls(right: list[Item], count: int, read_by_all: set[int]) -> list[Item]:
    """``count`` of the digits the app reads right, in data order: those every reader has read already first,
    so a model that reads a few digits otherwise asks for no new readings it need not; then at random, by a
    fixed hash of each digit's place, so which are taken does not depend on which others are read right."""
    taken = sorted(right, key=lambda r: (r[0] not in read_by_all, _shuffled(r[0])))[:count]
    return sorted(taken, key=lambda r: r[0])


def _shuffled(index: int) -> int:
    """A fixed pseudo-random rank for the digit at ``index``: the same whichever other digits are read right."""
    return int.from_bytes(hashlib.blake2b(f"{SEED}:{index}".encode(), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Reader:
    """One reader: who they are, and what they read, by the digit's place in digits.jsonl.gz."""

    who: str
    seen: dict[int, str]


def readers() -> dict[str, Reader]:
    """Every reader in the readings file, read once."""
    if not READINGS.exists():
        return {}
    listed = json.loads(READINGS.read_text(encoding="utf-8"))["readers"]
    return {
        name: Reader(str(entry.get("who", "")), {int(k): str(v) for k, v in entry.get("readings", {}).items()})
        for name, entry in listed.items()
    }


def sheet(path: Path, reader: str) -> None:
    """The digits ``reader`` has not read yet, numbered, drawn as written, with nothing else."""
    from PIL import Image, ImageDraw

    everyone = readers()
    done = everyone.get(reader, Reader("", {})).seen
    listed = [item for item in items(everyone) if item[0] not in done]
    if not listed:
        print(f"{reader} has read every digit to read ({READINGS.name}): nothing to write")
        return
    rows = (len(listed) + COLUMNS - 1) // COLUMNS
    page = Image.new("L", (COLUMNS * TILE_PX, rows * TILE_PX), 255)
    draw = ImageDraw.Draw(page)
    for n, (index, digit, _, _) in enumerate(listed, 1):
        left, top = ((n - 1) % COLUMNS) * TILE_PX, ((n - 1) // COLUMNS) * TILE_PX
        points = np.concatenate(digit.strokes)
        low, span = points.min(0), max(float(np.ptp(points, 0).max()), 1e-9)
        scale = (TILE_PX - 40) / span
        for stroke in digit.strokes:
            xy = [(left + 20 + (x - low[0]) * scale, top + 25 + (y - low[1]) * scale) for x, y in stroke]
            draw.line(xy, fill=0, width=3) if len(xy) > 1 else draw.point(xy, fill=0)
            x, y = xy[0]
            draw.ellipse((x - 4, y - 4, x + 4, y + 4), outline=128)
        draw.rectangle((left, top, left + TILE_PX - 1, top + TILE_PX - 1), outline=200)
        draw.text((left + 4, top + 4), str(index), fill=0)
    page.save(path)
    print(f"wrote {path}: {len(listed)} digits; write what each is in {READINGS.name} under {reader!r}")


def kind(seen: str, label: str, answer: str | None) -> str:
    """What the person made of a digit the app misread."""
    if seen == label:
        return "as labelled"
    if seen == answer:
        return "as the app read it"
    return "unreadable" if seen == "?" else "as something else"


def tally(listed: list[Item], seen_by: dict[int, str]) -> dict[str, object]:
    """One reader's readings (of the digits in ``seen_by``) against the labels and the app's answers."""
    wrong: Counter[str] = Counter()
    control: Counter[str] = Counter()
    cases: Counter[str] = Counter()  # "label -> app's answer, reader's reading" for each misread digit
    sure: Counter[str] = Counter()  # the misread digits the app called confident, by what the reader read
    by_source: dict[str, Counter[str]] = {}  # the misread digits of each institution, by what the reader read
    for index, digit, answer, is_sure in listed:
        if index not in seen_by:
            continue
        seen, label = seen_by[index], str(digit.label)
        if answer == label:
            control["as labelled" if seen == label else "otherwise"] += 1
            continue
        made_of = kind(seen, label, answer)
        cases[f"{label} -> {answer}, read {seen}"] += 1
        wrong[made_of] += 1
        sure[made_of] += is_sure
        by_source.setdefault(digit.source, Counter())[made_of] += 1
    return {
        "misread_by_the_app": dict(wrong),
        "read_right_by_the_app (control)": dict(control),
        "misread_confidently": {k: v for k, v in sure.items() if v},
        "misread_cases": dict(cases.most_common()),
        "misread_by_source": {source: dict(c) for source, c in sorted(by_source.items())},
    }


def score() -> dict[str, object] | None:
    """Every reader's readings scored, and the digits all readers read alike (None when nobody has
    read any).  A digit a reader has not read yet -- one a newer model misreads -- is counted as
    such and left out of that reader's figures, so the figures pages still build; the sheet asks for it."""
    everyone = readers()
    listed = items(everyone)
    if not everyone:
        print(f"no readings yet: run with --sheet OUT.png --reader NAME and write them in {READINGS.name}")
        return None
    figures: dict[str, object] = {}
    for name, reader in everyone.items():
        missing = sum(index not in reader.seen for index, *_ in listed)
        if missing:
            print(f"{name} has {missing} digits to read: run with --sheet OUT.png --reader {name}")
        figures[name] = {"who": reader.who, "not_read_yet": missing, **tally(listed, reader.seen)}
    first, *others = [reader.seen for reader in everyone.values()]
    alike = {index: seen for index, seen in first.items() if all(o.get(index) == seen for o in others)}
    return {
        "readers": figures,
        "all_readers_alike": {"digits": sum(index in alike for index, *_ in listed), **tally(listed, alike)},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="A blind reading of the report writers' misread digits, scored.")
    parser.add_argument("--sheet", type=Path, help="write the sheet to read, and nothing else")
    parser.add_argument("--reader", default="first", help="with --sheet: whose digits not yet read (default first)")
    args = parser.parse_args(argv)
    if args.sheet:
        sheet(args.sheet, args.reader)
        return 0
    started, load = time.time(), record.load_average()
    figures = score()
    if figures is None:
        return 1
    print(json.dumps(figures, indent=1))
    print(f"wrote {record.write('label_audit', figures, started, load)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
