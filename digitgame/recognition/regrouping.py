"""A stroke the rules gave to the wrong neighbour, moved by recognition.

Written close, a two-stroke 4's corner can come near enough to the digit before it that the
rules of ``segment`` join the two (rule 2), and the 4's stem alone then reads as a confident 1:
"94" read as "91".  So between neighbouring digits whose boxes are from ``Regrouping.least`` to
``Regrouping.gap`` of H apart (H: the height of all the ink), the left digit's rightmost stroke
is also tried as part of the right digit, and the right digit's leftmost stroke as part of the
left one -- when the digit it leaves keeps a stroke, and the stroke's ink overlaps the other
digit's across at least as much as the rest of its own, less ``Regrouping.slack`` of H (a 4's stem
that crosses its bar stays).  The new pairs of the whole line are read in one batched call, and a
move is kept when both its digits read confidently and the pair is more probable than before --
``log p`` summed over the two (``splitting.log_p``) -- by more than ``Regrouping.margin``; the
best moves first, each digit in at most one; at most ``Regrouping.budget`` drawings are read, in
reading order.  The values were chosen on the choosing writers' numbers
(``benchmarks/number_accuracy.py --sources "real writers (choosing)"``; docs/recognition.md), never
on the report writers.  Pure numpy: the recogniser reads.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitgame.recognition.reading import Box, DigitReading
from digitgame.recognition.splitting import log_p

Parts = tuple[int, ...]  # the strokes of one digit, ascending


@dataclass(frozen=True)
class Move:
    """Digits ``at`` and ``at + 1`` made of other strokes: one stroke moved from one to the other."""

    at: int
    left: Parts
    right: Parts


@dataclass(frozen=True)
class Regrouping:
    """Which neighbours trade a stroke, and what the trade must win by."""

    gap: float = 0.3  # boxes at most this share of H apart,
    least: float = 0.0  # and at least this share (touching digits are one piece: ``splitting`` cuts them)
    slack: float = 0.1  # the stroke overlaps the other digit across at most this share of H less than its own
    margin: float = 0.0  # log-probability the moved pair must win by
    budget: int = 96  # drawings one reading's moves may read, two a move (a long line of many digits stops here)


REGROUPING = Regrouping()


def moves(
    parts: Sequence[Parts], boxes: Sequence[Box], spans: np.ndarray, regrouping: Regrouping = REGROUPING
) -> list[Move]:
    """The moves worth reading: ``parts`` and ``boxes`` (x, y, w, h) of the digits in reading
    order, ``spans`` (K, 2) the left and right x of every stroke's ink."""
    if len(parts) < 2:
        return []
    top = min(b[1] for b in boxes)
    height = max(b[1] + b[3] for b in boxes) - top
    slack, found = regrouping.slack * height, []
    for i, ((a, b), (box_a, box_b)) in enumerate(
        zip(itertools.pairwise(parts), itertools.pairwise(boxes), strict=True)
    ):
        if not regrouping.least * height <= box_b[0] - (box_a[0] + box_a[2]) <= regrouping.gap * height:
            continue
        for giver, taker, to_right in ((a, b, True), (b, a, False)):  # the left one's rightmost stroke, and back
            if len(giver) < 2:
                continue
            side = (lambda s: -spans[s].sum()) if to_right else (lambda s: spans[s].sum())
            stroke = min(giver, key=side)
            rest = tuple(s for s in giver if s != stroke)
            if _overlap(spans, stroke, taker) >= _overlap(spans, stroke, rest) - slack:
                given = tuple(sorted((*taker, stroke)))
                found.append(Move(i, rest, given) if to_right else Move(i, given, rest))
    return found[: regrouping.budget // 2]


def _overlap(spans: np.ndarray, stroke: int, others: Parts) -> float:
    """How far the stroke's ink overlaps the ink of ``others`` across (negative: the gap between them)."""
    lo, hi = spans[list(others), 0].min(), spans[list(others), 1].max()
    return float(min(hi, spans[stroke, 1]) - max(lo, spans[stroke, 0]))


def chosen(
    digits: Sequence[DigitReading],
    candidates: Sequence[Move],
    readings: Sequence[tuple[DigitReading | None, DigitReading | None]],
    regrouping: Regrouping = REGROUPING,
) -> list[tuple[Move, DigitReading, DigitReading]]:
    """The moves kept, each with its two new readings: ``digits`` as read now, ``readings`` the
    left and right digit of each candidate move (None: too small to read)."""
    gains = []
    for move, (left, right) in zip(candidates, readings, strict=True):
        if left is None or right is None or digits[move.at].is_taught or digits[move.at + 1].is_taught:
            continue  # what the person taught stays as it was read
        if not (left.prediction.is_confident and right.prediction.is_confident):
            continue
        gain = log_p(left) + log_p(right) - log_p(digits[move.at]) - log_p(digits[move.at + 1])
        if gain > regrouping.margin:
            gains.append((gain, move, left, right))
    kept, used = [], set()
    for _, move, left, right in sorted(gains, key=lambda g: -g[0]):
        if move.at in used or move.at + 1 in used:
            continue
        used |= {move.at, move.at + 1}
        kept.append((move, left, right))
    return kept
