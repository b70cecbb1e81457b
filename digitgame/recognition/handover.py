"""When the rules give one digit's stroke to its neighbour, the model says so: the stroke is handed back.

In a tightly written number the rules of ``segment`` sometimes join a stroke to the wrong digit:
a two-stroke 4's corner, written close after (or touching) a 9, goes with the 9, which still
reads 9, and the 4's stem, left alone, reads 1 -- "2294" read as a sure "2291".  So where two
neighbouring digits are close (their boxes at most ``Handover.gap`` of H apart, H the height of
all the ink) and one of them, of several strokes, stands beside one of a single stroke, the
stroke of the first nearest the second is also read as the second's: both are read again, in one
model call for the whole line.  The handover is kept when the giver still reads as the same
digit, both read confidently, and the two together read at least as probably (a sum of
log-probabilities, as ``merging`` and ``splitting`` compare readings) as before, less ``slack``.
The model alone cannot tell the two ways apart -- "9" and "1" are as sure as "9" and "4" -- so
the giver keeping its digit is what says the stroke was extra to it.  The values were chosen on
the choosing writers' digits composed into numbers (docs/recognition.md), never on the report
writers'.  Pure numpy: no model here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from digitgame.recognition.reading import Box, DigitReading

Parts = tuple[int, ...]  # the strokes of one digit, ascending


@dataclass(frozen=True)
class Handover:
    """When a stroke is tried with the neighbouring digit, and what the new reading must keep."""

    gap: float = 0.1  # neighbours' boxes at most this share of H apart (negative: overlapping)
    receiver: int = 1  # a stroke is handed only to a digit of at most this many strokes (a 4's stem alone)
    slack: float = 0.0  # the two digits' log-probability may fall by this much
    beside: float = 0.0  # the stroke overlaps the receiver's height by more than this share of H (a 7's bar above
    # the next digit is the 7's)


HANDOVER = Handover()


@dataclass(frozen=True)
class Candidate:
    """Digits ``at`` and ``at + 1`` with one stroke moved from ``giver`` (``at`` or ``at + 1``) to the other."""

    at: int
    giver: int
    left: Parts
    right: Parts


def candidates(
    parts: Sequence[Parts], boxes: Sequence[Box], stroke_boxes: dict[int, Box], handover: Handover = HANDOVER
) -> list[Candidate]:
    """For each pair of close neighbours (digits in reading order, their strokes and boxes): the left
    one's stroke reaching furthest right handed to the right one, or the right one's stroke starting
    furthest left handed to the left one, from a digit of several strokes to one of at most ``receiver``."""
    if len(boxes) < 2:
        return []
    top = min(y for _, y, _, _ in boxes)
    height = max(y + h for _, y, _, h in boxes) - top
    out = []
    for i in range(len(boxes) - 1):
        a, b = boxes[i], boxes[i + 1]
        if b[0] - (a[0] + a[2]) > handover.gap * height:
            continue
        left, right = parts[i], parts[i + 1]
        if len(left) > 1 and len(right) <= handover.receiver:
            moved = max(left, key=lambda k: stroke_boxes[k][0] + stroke_boxes[k][2])
            if _beside(stroke_boxes[moved], b, handover.beside * height):
                out.append(Candidate(i, i, tuple(k for k in left if k != moved), tuple(sorted((*right, moved)))))
        if len(right) > 1 and len(left) <= handover.receiver:
            moved = min(right, key=lambda k: stroke_boxes[k][0])
            if _beside(stroke_boxes[moved], a, handover.beside * height):
                out.append(Candidate(i, i + 1, tuple(sorted((*left, moved))), tuple(k for k in right if k != moved)))
    return out


def _beside(stroke: Box, receiver: Box, least: float) -> bool:
    """Whether the stroke's ink and the receiver's overlap in height by more than ``least``."""
    return min(stroke[1] + stroke[3], receiver[1] + receiver[3]) - max(stroke[1], receiver[1]) > least


def kept(
    digits: Sequence[DigitReading],
    tried: Sequence[Candidate],
    read: Sequence[tuple[DigitReading | None, DigitReading | None]],
    log_p: Callable[[DigitReading], float],
    handover: Handover = HANDOVER,
) -> list[int]:
    """Which candidates (indices into ``tried``) are kept, left to right; a digit changed by one is
    not part of another.  ``read``: each candidate's two digits as read (None: too small to be one)."""
    out: list[int] = []
    changed = -1
    for k, (c, (left, right)) in enumerate(zip(tried, read, strict=True)):
        if left is None or right is None or c.at <= changed:
            continue
        before, after = (digits[c.at], digits[c.at + 1]), (left, right)
        if any(d.is_taught for d in before):  # what the person taught as a digit is one
            continue
        giver = c.giver - c.at
        same = after[giver].prediction.digit == before[giver].prediction.digit
        sure = after[0].prediction.is_confident and after[1].prediction.is_confident
        if same and sure and log_p(left) + log_p(right) >= log_p(before[0]) + log_p(before[1]) - handover.slack:
            out.append(k)
            changed = c.at + 1
    return out
