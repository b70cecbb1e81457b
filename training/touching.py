"""Digits written into each other (off in the recipe), and a wrong cut's parts (on), taught as "not a digit".

Two digits written touching are one piece of ink to the app's rules, and splitting
(``digitgame/recognition/splitting.py``) cuts such a piece when it reads "not a digit" and is
broad.  A network that has seen only single digits reads many such pieces as one digit -- a 1
against a 0 reads 0, a 4 against a 1 reads 4 -- and a piece that reads as one digit is not cut.
So pieces of two or three of the training writers' digits (never the choosing or report writers),
placed side by side with their boxes touching or overlapping, are taught as "not a digit".

Off in the committed recipe (``Recipe.touching`` = 0): measured with two seeds, the pieces made
no more touching numbers read right and no fewer validation errors (docs/training.md, "Measured
choices"); nor did narrow pieces too (down to 0.45 of their height wide, a 4 or a 9 against a 1:
measured at stop 40).  Kept for the next attempt.

Only pieces at least ``Splitting.broad`` times as wide as tall are made: splitting never cuts a
narrower piece that reads "not a digit", and two 1s written into each other look like one thick 1.  Made
by this team's code from real writers' digits: how real people's touching digits read is measured
on the choosing and report writers' own numbers (``benchmarks/number_accuracy.py``), which are
composed by other code with other spacings.

A second ingredient, ``mixed`` (``Recipe.mixed``, in the recipe): what a *wrong* cut leaves -- one
digit with a piece of its neighbour, either some of the neighbour's strokes (a 0 with the corner of
the 4 beside it) or the ink on one side of a vertical line through both -- taught as "not a digit",
so that a cut's part that is no one digit stops reading as a sure one.  Chosen on two seeds
(docs/training.md, "Measured choices"): as many validation errors as without it, and half or
fewer of the choosing writers' numbers read wrong with every digit sure.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import numpy as np

from digitgame.recognition import preprocess
from digitgame.recognition.raster import Segments
from digitgame.recognition.splitting import SPLITTING
from training import realpen
from training.recipe import Recipe

GAP = (-0.15, 0.03)  # the space between neighbouring boxes, a share of the height: overlapping to just touching
THREE = 0.25  # the share of pieces of three digits
TRIES = 20  # drawings tried per image before giving up (see ``_inputs``)
SIZE = 0.12  # each digit's height varies by up to this factor (log), and its baseline by this share of the height


def piece(digits: realpen.PenDigits, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two or three of ``digits`` side by side, touching: points (P, 2) and points per stroke, in 20-unit units."""
    placed = _side_by_side(digits, rng.integers(0, len(digits), size=3 if rng.random() < THREE else 2), rng)
    return np.concatenate([p for p, _ in placed]), np.concatenate([c for _, c in placed])


def _side_by_side(
    digits: realpen.PenDigits, chosen: np.ndarray, rng: np.random.Generator
) -> list[tuple[np.ndarray, np.ndarray]]:
    """The ``chosen`` digits placed left to right, each box touching or overlapping the one before
    (``GAP``), heights and baselines varied (``SIZE``): each one's points and points per stroke."""
    placed: list[tuple[np.ndarray, np.ndarray]] = []
    right = 0.0
    for k in chosen:
        points, strokes = digits[int(k)]
        lo, hi = points.min(axis=0), points.max(axis=0)
        height = realpen.BOX_UNITS * float(np.exp(rng.uniform(-SIZE, SIZE)))
        scaled = (points - lo) * height / max(float(hi[1] - lo[1]), 1e-9)
        left = right + rng.uniform(*GAP) * realpen.BOX_UNITS if placed else 0.0
        base = rng.uniform(-SIZE, SIZE) * realpen.BOX_UNITS
        placed.append((scaled + np.array([left, realpen.BOX_UNITS - height + base]), strokes))
        right = left + float(scaled[:, 0].max())
    return placed


def touching(digits: realpen.PenDigits, count: int, rng: np.random.Generator, recipe: Recipe) -> np.ndarray:
    """``count`` pieces of touching digits through the app's stroke path, varied like pen digits but never
    joined into one sparse stroke: (count, 28, 28) float32, all "not a digit".  A piece too narrow is
    made again, at most ``TRIES`` times per image; images still unmade (only digits that are all 1s
    give none) stay blank, which the app never reads."""
    as_written = dataclasses.replace(recipe, pen_one_stroke=0.0)

    def broad_piece() -> Segments | None:
        seg = realpen.varied(*piece(digits, rng), rng, as_written)
        width, height = np.ptp(seg.points(), axis=0)
        return seg if width >= SPLITTING.broad * height else None

    return _inputs(count, broad_piece, bool(digits))


def _inputs(count: int, make: Callable[[], Segments | None], can: bool) -> np.ndarray:
    """``count`` model inputs (count, 28, 28) float32 of what ``make`` draws, each drawing tried again
    when ``make`` gives None or it is too small to read, at most ``TRIES`` times per input; inputs
    still unmade (or all, when not ``can``) stay blank, which the app never reads."""
    out = np.zeros((count, 28, 28), dtype=np.float32)
    made = 0
    for _ in range(TRIES * count if can else 0):
        if made == count:
            break
        seg = make()
        if seg is None:
            continue
        try:
            out[made] = preprocess.segments_to_input(seg)
        except preprocess.NothingToRecognise:
            continue
        made += 1
    return out


# --- a wrong cut's part: one digit with a piece of its neighbour -----------------------------

MIXED_LEAST = 0.25  # the lesser digit's share of a mixed part's ink, at least: a speck is no mix
MIXED_NARROWEST = 0.45  # a mixed part narrower than this share of its height is not made
MIXED_BY_STROKES = 0.5  # the share of mixed parts made by dealing strokes wrongly (the rest by a vertical cut)


def _strokes(points: np.ndarray, counts: np.ndarray) -> list[np.ndarray]:
    """Strokes stored back to back, one array each."""
    return np.split(points, np.cumsum(counts)[:-1])


def _ink(points: np.ndarray, counts: np.ndarray) -> float:
    """The length of the strokes' ink."""
    return float(Segments.from_points(points, counts).lengths().sum())


def clipped(points: np.ndarray, counts: np.ndarray, c: float, left: bool) -> tuple[np.ndarray, np.ndarray]:
    """The strokes' ink on one side of the vertical line x = c (``left``: x < c), each stroke that
    crosses it cut where it crosses: points and points per stroke (strokes of one point dropped)."""
    out: list[np.ndarray] = []
    for stroke in _strokes(points, counts):
        inside = stroke[:, 0] < c if left else stroke[:, 0] >= c
        run: list[np.ndarray] = []
        for k in range(len(stroke)):
            if k and inside[k] != inside[k - 1]:  # the segment crosses the line: cut it there
                a, b = stroke[k - 1], stroke[k]
                at = a + (b - a) * (c - a[0]) / (b[0] - a[0])
                run.append(at)
                if not inside[k]:
                    out.append(np.array(run))
                    run = []
            if inside[k]:
                run.append(stroke[k])
        if run:
            out.append(np.array(run))
    out = [s for s in out if len(s) > 1]
    if not out:
        return np.zeros((0, 2)), np.zeros(0, dtype=np.int64)
    return np.concatenate(out), np.array([len(s) for s in out], dtype=np.int64)


def _take(points: np.ndarray, counts: np.ndarray, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The strokes ``which`` (indices) of a digit."""
    strokes = _strokes(points, counts)
    return np.concatenate([strokes[i] for i in which]), counts[which]


def mixed_part(digits: realpen.PenDigits, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray] | None:
    """What a wrong cut of two touching digits leaves: one digit with a piece of the other -- some of
    its strokes, or its ink on one side of a vertical line -- or None when this try made no mix."""
    (pa, ca), (pb, cb) = _side_by_side(digits, rng.integers(0, len(digits), size=2), rng)
    if rng.random() < MIXED_BY_STROKES:
        givers = [k for k, c in enumerate((ca, cb)) if len(c) > 1]
        if not givers:
            return None
        k = int(rng.choice(givers))
        (gp, gc), (tp, tc) = ((pa, ca), (pb, cb)) if k == 0 else ((pb, cb), (pa, ca))
        some = rng.permutation(len(gc))[: int(rng.integers(1, len(gc)))]
        parts = [(tp, tc), _take(gp, gc, np.sort(some))]
    else:
        lo, hi = sorted((float(np.mean(pa[:, 0])), float(np.mean(pb[:, 0]))))
        c = float(rng.uniform(lo, hi))
        left = bool(rng.random() < 0.5)
        parts = [clipped(pa, ca, c, left), clipped(pb, cb, c, left)]
    inks = [_ink(*part) for part in parts]
    if min(inks) < MIXED_LEAST * sum(inks):
        return None
    points = np.concatenate([p for p, _ in parts])
    width, height = np.ptp(points, axis=0)
    if width < MIXED_NARROWEST * height:  # two 1s into each other are still a 1
        return None
    return points, np.concatenate([counts for _, counts in parts])


def mixed(digits: realpen.PenDigits, count: int, rng: np.random.Generator, recipe: Recipe) -> np.ndarray:
    """``count`` wrong cuts' parts through the app's stroke path, varied like pen digits but never joined
    into one sparse stroke: (count, 28, 28) float32, all "not a digit"; unmade ones stay blank."""
    as_written = dataclasses.replace(recipe, pen_one_stroke=0.0)

    def varied_part() -> Segments | None:
        part = mixed_part(digits, rng)
        return None if part is None else realpen.varied(*part, rng, as_written)

    return _inputs(count, varied_part, bool(digits))
