"""Real people's pen digits: UNIPEN's development half, and the fixed groups its writers are kept in.

The data (``training/unipen-dev/``, with its README): isolated digits written on pen tablets by
252 people of 11 institutions, every pen-down stroke as it was written — the app's own kind of
input, from people nobody on this project is.  I. Guyon, L. Schomaker, R. Plamondon,
M. Liberman, S. Janet, "UNIPEN project of on-line data exchange and recognizer benchmarks",
ICPR 1994; International Unipen Foundation; Creative Commons Attribution 4.0 (Zenodo,
doi 10.5281/zenodo.1195803).  Keep this attribution wherever the data or figures measured on it
are shown.

One writer's digits look alike, so every figure is measured on writers nobody trained or chose
on.  Each writer is in one group, listed by id in ``writer_groups.json``:

* ``training``: the network learns from their digits;
* ``choosing``: validation -- settings, mixes and thresholds are chosen on them; never trained on;
* ``report``: measured once and reported; never trained on, never used to choose.

The groups were made once by ``make_groups`` (each institution's writers in a fixed pseudo-random
order, dealt report, choosing, training, training, training) and are fixed by the file, not by
the code: a change to this module cannot move a writer.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from digitgame.recognition.model import NOT_A_DIGIT
from training.data import TrainingError

FOLDER = Path(__file__).resolve().parent / "unipen-dev"
DIGITS = FOLDER / "digits.jsonl.gz"
LETTERS = FOLDER / "letters.jsonl.gz"
GROUPS_FILE = Path(__file__).resolve().parent / "writer_groups.json"
LETTER_GROUPS_FILE = Path(__file__).resolve().parent / "letter_writer_groups.json"  # writers of letters only
# Letters that look like no digit (the letters issue #20 names): learnt and measured as "not a digit".  The
# others (O, l, S, Z, b, g, q, ...) can be written exactly like a digit, so no answer about them is wrong.
UNLIKE_DIGITS = "AEFHKMNRWXYefhkmnrwx"
GROUPS = ("training", "choosing", "report")
DEAL = ("report", "choosing", "training", "training", "training")  # a fifth to report, a fifth to choose
HEIGHT_SHARE = 0.6  # a digit's longer side on the canvas it is measured on, as people write in the app
SPARSE_POINTS = 8  # the sparse form: one stroke of this many points, pen-ups joined
ATTRIBUTION = (
    "UNIPEN (I. Guyon, L. Schomaker, R. Plamondon, M. Liberman, S. Janet, ICPR 1994; "
    "International Unipen Foundation), CC BY 4.0, doi 10.5281/zenodo.1195803"
)


@dataclass(frozen=True)
class PenDigit:
    """One digit as a writer wrote it."""

    label: int
    writer: str
    source: str  # the collecting institution's code
    is_checked: bool  # the collectors verified the label
    strokes: tuple[np.ndarray, ...]  # (P, 2) float64 each: tablet units, x right, y down
    letter: str = ""  # for a letter (``label`` NOT_A_DIGIT): which one


def read_digits(path: Path = DIGITS) -> list[PenDigit]:
    """Every digit of the file, in its order; TrainingError naming the file if it cannot be read."""
    return list(_read(path, "digits", "", _stamp(path)))


def read_letters(path: Path = LETTERS, only: str = UNLIKE_DIGITS) -> list[PenDigit]:
    """The file's letters that are in ``only``, in its order, labelled NOT_A_DIGIT (the letter kept beside)."""
    return list(_read(path, "letters", only, _stamp(path)))


def _stamp(path: Path) -> tuple[int, int]:
    """What the file is now (modified, size): a file written again is read again."""
    try:
        found = path.stat()
    except OSError:
        return 0, -1  # _read says what is wrong
    return found.st_mtime_ns, found.st_size


@functools.lru_cache(maxsize=4)
def _read(path: Path, what: str, only: str, stamp: tuple[int, int]) -> tuple[PenDigit, ...]:
    """The file's items, parsed once per process: a training run reads the letters for training, choosing
    and reporting, and parsing 38,576 letters' JSON takes seconds each time.  The strokes are read-only, so
    no caller can change what the next one gets."""
    del stamp  # part of the cache key only
    rows = _rows(path, what)
    if what == "digits":
        return tuple(_pen_item(row, int(row["label"]), "") for row in rows)
    return tuple(_pen_item(row, NOT_A_DIGIT, str(row["label"])) for row in rows if row["label"] in only)


def _rows(path: Path, what: str) -> list[dict[str, Any]]:
    try:
        with gzip.open(path, "rt", encoding="utf-8") as lines:
            return [json.loads(line) for line in lines]
    except (OSError, EOFError, ValueError) as exc:
        raise TrainingError(f"cannot read the real writers' {what} {path}: {exc}") from exc


def _pen_item(row: dict[str, Any], label: int, letter: str) -> PenDigit:
    try:
        strokes = tuple(np.asarray(stroke, dtype=np.float64).reshape(-1, 2) for stroke in row["strokes"])
        for stroke in strokes:
            stroke.flags.writeable = False
        return PenDigit(label, str(row["writer"]), str(row["source"]), bool(row["checked"]), strokes, letter)
    except (KeyError, TypeError, ValueError) as exc:
        raise TrainingError(f"a real writer's drawing is not as the data's README describes: {exc}") from exc


def groups(path: Path = GROUPS_FILE, letters_only: Path | None = LETTER_GROUPS_FILE) -> dict[str, frozenset[str]]:
    """The writers of each group, as committed: the digits' writers, and the writers of letters only."""
    listed = json.loads(path.read_text(encoding="utf-8"))
    more = json.loads(letters_only.read_text(encoding="utf-8")) if letters_only else {}
    return {name: frozenset(listed[name]) | frozenset(more.get(name, ())) for name in GROUPS}


def has_extent(digit: PenDigit) -> bool:
    """False for a "digit" whose pen never moved (two such recordings in the data): nothing to read."""
    points = np.concatenate(digit.strokes)
    return bool(np.ptp(points, axis=0).max() > 0)


def of_group(digits: Iterable[PenDigit], group: str) -> list[PenDigit]:
    """The digits whose writer is in ``group``."""
    members = groups()[group]
    return [d for d in digits if d.writer in members]


def make_groups(digits: Iterable[PenDigit]) -> dict[str, list[str]]:
    """The rule the committed groups were made by: per institution, writers in hash order, dealt ``DEAL``."""
    by_source: dict[str, set[str]] = defaultdict(set)
    for digit in digits:
        by_source[digit.source].add(digit.writer)
    dealt: dict[str, list[str]] = {name: [] for name in GROUPS}
    for source in sorted(by_source):
        order = sorted(by_source[source], key=lambda writer: hashlib.sha256(f"digitgame:{writer}".encode()).hexdigest())
        for i, writer in enumerate(order):
            dealt[DEAL[i % len(DEAL)]].append(writer)
    return {name: sorted(writers) for name, writers in dealt.items()}


def one_stroke(strokes: list[list[tuple[float, float]]], points: int) -> list[list[tuple[float, float]]]:
    """The strokes as ONE stroke of ``points`` points evenly spaced along the pen's path, pen-ups joined."""
    from training.penpath import resample

    path = np.concatenate([np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes])
    return [[(float(x), float(y)) for x, y in resample(path, points)]]


def on_canvas(strokes: tuple[np.ndarray, ...], side: float, height_share: float) -> list[list[tuple[float, float]]]:
    """The strokes scaled, keeping their shape, so that their longer side is ``height_share`` of the canvas side.

    Centred on a ``side`` x ``side`` canvas, in canvas pixels: as if written there.
    """
    points = np.concatenate(strokes)
    lo, hi = points.min(axis=0), points.max(axis=0)
    extent = hi - lo
    scale = height_share * side / max(float(extent[1]), float(extent[0]), 1e-9)
    offset = (side - extent * scale) / 2 - lo * scale
    return [[(float(x), float(y)) for x, y in stroke * scale + offset] for stroke in strokes]


def card_entry() -> dict[str, object]:
    """The model card's record of the real writers' data: the file, its checksum, the groups and the attribution."""
    listed = groups(letters_only=None)
    return {
        "file": str(DIGITS.relative_to(DIGITS.parents[2])),
        "sha256": hashlib.sha256(DIGITS.read_bytes()).hexdigest(),
        "writers": {name: len(listed[name]) for name in GROUPS},
        "groups": str(GROUPS_FILE.relative_to(GROUPS_FILE.parents[1])),
        "letters": {
            "file": str(LETTERS.relative_to(LETTERS.parents[2])),
            "sha256": hashlib.sha256(LETTERS.read_bytes()).hexdigest(),
            "used": f"the letters {UNLIKE_DIGITS}, as 'not a digit'",
            "groups_of_writers_of_letters_only": str(LETTER_GROUPS_FILE.relative_to(LETTER_GROUPS_FILE.parents[1])),
        },
        "attribution": ATTRIBUTION,
    }
