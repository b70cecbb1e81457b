"""When the rules split one digit in two, the model says so: neighbouring groups are read as one digit too.

The rules of ``segment`` see only shapes, and some single digits look like two side by side: a 4
written as a corner and a stem that does not reach it, a 5 whose hat stands apart.  So each pair
of neighbouring groups that could be one digit -- their boxes at most ``Merging.gap`` of H apart
(H: the height of all the ink) and together no wider than ``Merging.width`` times their height --
is also read as one digit, in the same model call as the groups, and the model chooses: the pair
is kept as one digit where its answer is more probable than the two answers together,
``log p(one) > log p(left) + log p(right) + margin``.  Digits written with a gap between them are
never candidates, so numbers written as the rules expect are read as before.  The values were
chosen on the choosing writers and MNIST *training* digits composed into numbers
(docs/recognition.md), never on the report writers or MNIST test.  Pure numpy: no model here.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitgame.recognition.reading import Box

Span = tuple[int, ...]  # the groups one digit of the reading is made of: (i,) or (i, i + 1)


@dataclass(frozen=True)
class Merging:
    """When two neighbouring groups are also read as one digit, and how much better one must read."""

    gap: float = 0.3  # boxes at most this share of H apart (negative: overlapping)
    baseline: float = 0.15  # and not standing on one line: bottoms further apart than this share of H
    width: float = 1.2  # together at most this many times as wide as they are high
    margin: float = 0.0  # log-probability the one digit must win by
    close: float = 0.1  # side by side, at most this share of H apart: read together too, as a letter's parts may be
    letter: float = 0.0  # ... and when "not a digit" reads within this many nats of the two digits, neither is sure


MERGING = Merging()


def candidates(boxes: Sequence[Box], merging: Merging = MERGING) -> list[int]:
    """The i for which groups i and i + 1 (in reading order, boxes as x, y, w, h) may be one digit."""
    return _neighbours(boxes, merging.gap, merging, on_one_line=False)


def close(boxes: Sequence[Box], merging: Merging = MERGING) -> list[int]:
    """The i for which groups i and i + 1 are close enough side by side to be the parts of one
    letter (an H's stem and the rest): at most ``close`` of H apart, together no wider than
    ``width`` times their height.  They are read as one too; when that reads as "not a digit"
    about as well as the two digits read, neither digit is sure (``recognizer``)."""
    return _neighbours(boxes, merging.close, merging, on_one_line=None)


def _neighbours(boxes: Sequence[Box], gap: float, merging: Merging, on_one_line: bool | None) -> list[int]:
    """The i for which boxes i and i + 1 are at most ``gap`` of H apart and together no wider than
    ``merging.width`` times their height; when ``on_one_line`` is given, their bottoms also within
    ``merging.baseline`` of H of each other (True) or not (False)."""
    if len(boxes) < 2:
        return []
    top = min(y for _, y, _, _ in boxes)
    height = max(y + h for _, y, _, h in boxes) - top
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(boxes)):
        union = joined(a, b)
        lined = abs((a[1] + a[3]) - (b[1] + b[3])) <= merging.baseline * height  # digits of a number share a line
        if on_one_line is not None and lined != on_one_line:
            continue
        if b[0] - (a[0] + a[2]) <= gap * height and union[2] <= merging.width * max(union[3], 1e-9):
            out.append(i)
    return out


def joined(a: Box, b: Box) -> Box:
    """The box around two boxes."""
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def choose(single: np.ndarray, pairs: dict[int, np.ndarray], merging: Merging = MERGING) -> list[Span]:
    """The spans of the best reading: ``single`` (N, 10) probabilities of the groups, ``pairs`` {i: (10,)} of i + i+1.

    A dynamic programme over the line: the reading whose digits' top log-probabilities sum highest,
    a merged pair paying ``margin``.
    """
    score = np.log(np.maximum(single.max(axis=1), 1e-12))  # (N,)
    best = [0.0] * (len(score) + 1)  # best[k]: the best reading of the first k groups
    last: list[Span] = [()] * (len(score) + 1)
    for k in range(1, len(score) + 1):
        best[k], last[k] = best[k - 1] + float(score[k - 1]), (k - 1,)
        if k - 2 in pairs:
            merged = best[k - 2] + float(np.log(max(pairs[k - 2].max(), 1e-12))) - merging.margin
            if merged > best[k]:
                best[k], last[k] = merged, (k - 2, k - 1)
    spans: list[Span] = []
    k = len(score)
    while k > 0:
        spans.append(last[k])
        k -= len(last[k])
    return spans[::-1]
