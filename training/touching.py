"""Digits written into each other, taught as "not a digit": two or three training writers' digits touching.

Two digits written touching are one piece of ink to the app's rules, and splitting
(``digitgame/recognition/splitting.py``) cuts such a piece when it reads "not a digit" and is
broad.  A network that has seen only single digits reads many such pieces as one digit -- a 1
against a 0 reads 0, a 4 against a 1 reads 4 -- and a piece that reads as one digit is not cut.
So pieces of two or three of the training writers' digits (never the choosing or report writers),
placed side by side with their boxes touching or overlapping, are taught as "not a digit".

Off in the committed recipe (``Recipe.touching`` = 0): measured with two seeds, the pieces made
no more touching numbers read right and no fewer validation errors (docs/training.md, "Measured
choices"); nor did narrow pieces too (down to 0.45 of their height wide, a 4 or a 9 against a 1:
measured at stop 40).  Kept for the next attempt, which would teach a cut's parts too.

Only pieces at least ``Splitting.broad`` times as wide as tall are made: splitting never cuts a
narrower piece that reads "not a digit", and two 1s written into each other look like one thick 1.  Made
by this team's code from real writers' digits: how real people's touching digits read is measured
on the choosing and report writers' own numbers (``benchmarks/number_accuracy.py``), which are
composed by other code with other spacings.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from digitgame.recognition import preprocess
from digitgame.recognition.splitting import SPLITTING
from training import realpen
from training.recipe import Recipe

GAP = (-0.15, 0.03)  # the space between neighbouring boxes, a share of the height: overlapping to just touching
THREE = 0.25  # the share of pieces of three digits
TRIES = 20  # pieces tried per image before giving up (see ``touching``)
SIZE = 0.12  # each digit's height varies by up to this factor (log), and its baseline by this share of the height


def piece(digits: realpen.PenDigits, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two or three of ``digits`` side by side, touching: points (P, 2) and points per stroke, in 20-unit units."""
    chosen = rng.integers(0, len(digits), size=3 if rng.random() < THREE else 2)
    placed: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    right = 0.0
    for k in chosen:
        points, strokes = digits[int(k)]
        lo, hi = points.min(axis=0), points.max(axis=0)
        height = realpen.BOX_UNITS * float(np.exp(rng.uniform(-SIZE, SIZE)))
        scaled = (points - lo) * height / max(float(hi[1] - lo[1]), 1e-9)
        left = right + rng.uniform(*GAP) * realpen.BOX_UNITS if placed else 0.0
        base = rng.uniform(-SIZE, SIZE) * realpen.BOX_UNITS
        placed.append(scaled + np.array([left, realpen.BOX_UNITS - height + base]))
        counts.append(strokes)
        right = left + float(scaled[:, 0].max())
    return np.concatenate(placed), np.concatenate(counts)


def touching(digits: realpen.PenDigits, count: int, rng: np.random.Generator, recipe: Recipe) -> np.ndarray:
    """``count`` pieces of touching digits through the app's stroke path, varied like pen digits but never
    joined into one sparse stroke: (count, 28, 28) float32, all "not a digit".  A piece too narrow is
    made again, at most ``TRIES`` times per image; images still unmade (only digits that are all 1s
    give none) stay blank, which the app never reads."""
    out = np.zeros((count, 28, 28), dtype=np.float32)
    as_written = dataclasses.replace(recipe, pen_one_stroke=0.0)
    made = 0
    for _ in range(TRIES * count if digits else 0):
        if made == count:
            break
        seg = realpen.varied(*piece(digits, rng), rng, as_written)
        width, height = np.ptp(seg.points(), axis=0)
        if width < SPLITTING.broad * height:
            continue
        try:
            out[made] = preprocess.segments_to_input(seg)
        except preprocess.NothingToRecognise:
            continue
        made += 1
    return out
