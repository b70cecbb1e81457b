"""Digits that touch, split by recognition: the model reads candidate cuts, and the best reading is kept.

The rules of ``segment`` see shapes only, and two digits written touching are one piece of ink
to them.  So a digit of a reading is tried again when it is wider than one digit can be
(``segment``'s rule 7) or its strokes lie side by side (``should_try``).  A *cut* divides its ink
into a left and a right part -- between its strokes (whole strokes to each side, by where their
ink lies) or along a vertical line through a thin place of the ink (where fewest strokes cross,
the strokes cut there) -- each part at least ``min_height`` of the whole's height.  Every cut's
two parts are read in one batched call, and the cut is kept when both parts read as confident
digits and are together more probable than the whole's own answer (its digit, or "not a digit"):
``log p(left) + log p(right) > log p(whole) + margin``.  A part wider than ``Splitting.broad``
times its height may hold more digits and is tried again, up to ``Splitting.depth`` times.  When
a different reading -- another cut's number, or the whole's -- is nearly as probable (within
``Splitting.rival``), no digit of the reading is confident: a number is never "sure" when
another split is as sure.  Pure numpy; the model is the ``read`` callback.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from digitgame.recognition.raster import Segments
from digitgame.recognition.reading import Box, DigitReading

Read = Callable[[Sequence[Segments]], list[DigitReading | None]]  # drawings -> how each reads (None: nothing)
Cut = tuple[list[Segments], list[Segments]]  # the strokes of the left part, of the right part


@dataclass(frozen=True)
class Splitting:
    """When a digit is tried as several, and what a split must win by."""

    min_part: float = 0.3  # each part's ink at least this share of the whole's height across (a 1 is narrow, not short)
    min_height: float = 0.6  # each part at least this share of the whole's height tall (a 7's bar is no digit)
    columns: int = 24  # places across the ink where a cut line is considered
    thin_cuts: int = 3  # of those, the thinnest few are read
    margin: float = 0.0  # log-probability the split must win by
    rival: float = 1.0  # a different reading within this many nats of the best makes the split unsure
    depth: int = 3  # how many times a part is tried again (a number of up to 2 ** depth touching digits)
    broad: float = 1.2  # a part this many times as wide as tall is tried again
    side_by_side: float = 0.15  # strokes that overlap across by at most this share of the height may be two digits


SPLITTING = Splitting()


def box_of(strokes: Sequence[Segments]) -> Box:
    """The box (x, y, w, h) around the ink of ``strokes``."""
    points = np.concatenate([s.points() for s in strokes])
    lo, hi = points.min(axis=0), points.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1])


def should_try(digit: DigitReading, strokes: Sequence[Segments], splitting: Splitting | None = None) -> bool:
    """A digit that may be several touching digits: wider than one digit can be (segment's rule 7),
    or its strokes lie side by side (whole strokes to the left, whole strokes to the right, their
    ink overlapping across by at most ``side_by_side`` of the height: two digits written close).

    Trying narrower ones too -- unsure and broad, or broad and sure -- was measured on numbers of
    MNIST training digits and of the choosing writers: it split more touching pairs, and cut more
    well-spaced digits (a 7 whose bar reaches over its neighbour, a broad 0) in two.
    """
    splitting = splitting or SPLITTING
    if splitting.depth < 1:
        return False
    return digit.is_wide or _side_by_side(strokes, digit.box[3], splitting)


def _side_by_side(strokes: Sequence[Segments], height: float, splitting: Splitting) -> bool:
    """Whether some of the strokes lie to the left of the others, overlapping across by little."""
    if splitting.side_by_side < 0 or len(strokes) < 2:
        return False
    boxes = np.array([box_of([s]) for s in strokes])  # (K, 4)
    order = np.argsort(boxes[:, 0] + boxes[:, 2] / 2)
    right_edge = np.maximum.accumulate((boxes[:, 0] + boxes[:, 2])[order])[:-1]  # the left part's right edge
    left_edge = np.minimum.accumulate(boxes[order[::-1], 0])[::-1][1:]  # the right part's left edge
    return bool(np.any(right_edge - left_edge <= splitting.side_by_side * height))


def split(
    strokes: list[Segments], digit: DigitReading, read: Read, splitting: Splitting = SPLITTING
) -> list[DigitReading]:
    """``digit`` (its ink: ``strokes``) as the digits it is best read as: itself, or the parts of the best cut."""
    parts = _best_split(strokes, digit, read, splitting)
    if not isinstance(parts, list):
        return [parts]
    out: list[DigitReading] = []
    for part_strokes, part in parts:
        deeper = splitting.depth > 1 and part.box[2] >= splitting.broad * part.box[3]
        more = replace(splitting, depth=splitting.depth - 1)
        out += split(part_strokes, part, read, more) if deeper else [part]
    return out


def _best_split(
    strokes: list[Segments], digit: DigitReading, read: Read, splitting: Splitting
) -> list[tuple[list[Segments], DigitReading]] | DigitReading:
    """The best cut's two parts with their readings; or, when no cut reads better than the whole,
    the whole (not sure when a cut reads nearly as well)."""
    candidates = cuts(strokes, digit.box, splitting)
    if not candidates:
        return digit
    readings = read([merged for cut in candidates for merged in (_merged(cut[0]), _merged(cut[1]))])
    scored = []
    for k, cut in enumerate(candidates):
        left, right = readings[2 * k], readings[2 * k + 1]
        if left is None or right is None or not (left.prediction.is_confident and right.prediction.is_confident):
            continue
        scored.append(
            (log_p(left) + log_p(right), f"{left.prediction.digit}{right.prediction.digit}", cut, left, right)
        )
    whole = log_p(digit)
    winners = sorted((s for s in scored if s[0] > whole + splitting.margin), key=lambda s: -s[0])
    if not winners:
        if digit.prediction.digit is not None and any(s[0] >= whole - splitting.rival for s in scored):
            return unsure(digit)  # two digits read nearly as well as one: say the one, but not as sure
        return digit
    best_score, best_text, cut, left, right = winners[0]
    rivals = [s for s in scored if s[1] != best_text and s[0] >= best_score - splitting.rival]
    if (digit.prediction.is_confident or digit.prediction.is_not_a_digit) and whole >= best_score - splitting.rival:
        rivals.append((whole, str(digit.prediction.digit), cut, left, right))
    if rivals:  # another reading is nearly as good: say the split, but not as sure
        left, right = unsure(left), unsure(right)
    return [(cut[0], left), (cut[1], right)]


def unsure(digit: DigitReading) -> DigitReading:
    return replace(digit, prediction=replace(digit.prediction, is_confident=False))


def log_p(digit: DigitReading) -> float:
    """How probable the reading's answer is: its digit's probability, less what went to "not a
    digit"; or, when it reads as not a digit, that share (a split must explain the ink better than
    "not a digit" does: letters are not cut into digits)."""
    p = digit.prediction
    if p.digit is None:
        return math.log(max(1e-12, p.not_digit)) if p.is_not_a_digit else -math.inf
    return math.log(max(1e-12, p.confidence * (1.0 - p.not_digit)))


def cuts(strokes: list[Segments], box: Box, splitting: Splitting | None = None) -> list[Cut]:
    """Candidate cuts of the ink: between its strokes, then along lines through its thinnest places."""
    splitting = splitting or SPLITTING
    x, _, w, h = box
    least, tall = splitting.min_part * h, splitting.min_height * h
    found: list[Cut] = []
    seen: set[tuple[int, ...]] = set()
    centres = [float(s.centroid()[0]) for s in strokes]
    order = np.argsort(centres)
    for k in range(1, len(strokes)):  # whole strokes to each side
        left = [strokes[i] for i in order[:k]]
        right = [strokes[i] for i in order[k:]]
        key = tuple(sorted(order[:k].tolist()))
        if key not in seen and _wide_enough(left, right, least, tall):
            seen.add(key)
            found.append((left, right))
    lines = x + w * np.linspace(0.15, 0.85, splitting.columns)
    crossings = np.array([sum(_crossing(s, c) for s in strokes) for c in lines])
    for c in lines[np.argsort(crossings, kind="stable")[: splitting.thin_cuts]]:
        left, right = _cut_at(strokes, float(c))
        if left and right and _wide_enough(left, right, least, tall):
            found.append((left, right))
    return found


def _wide_enough(left: list[Segments], right: list[Segments], least: float, tall: float) -> bool:
    """Both parts big enough to be a digit: their ink at least ``least`` across one way or the
    other, and at least ``tall`` high."""
    return all(max(box_of(part)[2:]) >= least and box_of(part)[3] >= tall for part in (left, right))


def _crossing(seg: Segments, c: float) -> int:
    """How many of the segments cross the vertical line x = c."""
    x0 = seg.starts[:, 0]
    x1 = x0 + seg.deltas[:, 0]
    return int(((np.minimum(x0, x1) < c) & (np.maximum(x0, x1) >= c)).sum())


def _cut_at(strokes: list[Segments], c: float) -> Cut:
    """The strokes cut by the line x = c: the pieces left of it, and right of it (segments that cross are cut)."""
    left, right = [], []
    for seg in strokes:
        a, b = _halves(seg, c)
        if len(a.starts) or len(a.dots):
            left.append(a)
        if len(b.starts) or len(b.dots):
            right.append(b)
    return left, right


def _halves(seg: Segments, c: float) -> tuple[Segments, Segments]:
    starts, ends = seg.starts, seg.starts + seg.deltas
    dx = seg.deltas[:, 0]
    t = np.divide(c - starts[:, 0], dx, out=np.full(len(dx), 0.5), where=dx != 0)
    at = starts + np.clip(t, 0.0, 1.0)[:, None] * seg.deltas  # (S, 2) where each segment meets x = c
    lo = np.where((starts[:, 0] < c)[:, None], starts, at)
    hi = np.where((ends[:, 0] < c)[:, None], ends, at)
    keep_left = (starts[:, 0] < c) | (ends[:, 0] < c)
    rlo = np.where((starts[:, 0] >= c)[:, None], starts, at)
    rhi = np.where((ends[:, 0] >= c)[:, None], ends, at)
    keep_right = (starts[:, 0] >= c) | (ends[:, 0] >= c)
    dots_left = seg.dots[:, 0] < c
    left = Segments(lo[keep_left], (hi - lo)[keep_left], seg.dots[dots_left])
    right = Segments(rlo[keep_right], (rhi - rlo)[keep_right], seg.dots[~dots_left])
    return left, right


def _merged(strokes: list[Segments]) -> Segments:
    """Several strokes' segments as one drawing."""
    return Segments(
        np.concatenate([s.starts for s in strokes]).reshape(-1, 2),
        np.concatenate([s.deltas for s in strokes]).reshape(-1, 2),
        np.concatenate([s.dots for s in strokes]).reshape(-1, 2),
    )
