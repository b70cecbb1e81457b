"""Digits that touch, split by recognition: the model reads candidate cuts, and the best reading is kept.

The rules of ``segment`` see shapes only, and two digits written touching are one piece of ink
to them.  So a digit of a reading is tried again when it is wider than one digit can be
(``segment``'s rule 7), its strokes lie side by side, or it reads "not a digit" and is broad
(``should_try``).  A *cut* divides its ink into a left and a right part -- between its strokes
(whole strokes to each side, by where their ink lies) or along a vertical line through a thin
place of the ink (where fewest strokes cross, the strokes cut there) -- each part at least
``min_height`` of the whole's height.  Every cut's
parts are read in one batched call.  A part is an option when it reads as a confident digit; a
part at least ``Splitting.broad`` times as wide as tall may hold more digits, and its own cuts
are options too, up to ``Splitting.depth`` cuts deep (three touching digits are one digit and
two).  The best option -- the most probable number, ``log p`` summed over its digits -- is kept
when it is more probable than the whole's own answer (its digit, or "not a digit"; a digit weighed
by how plausible its width is for that digit, ``widths``: two touching digits often read as one
sure digit wider than it is written; against a confident digit narrower than ``Splitting.narrow``
of its height, by ``Splitting.narrow_margin``),
or, against "not a digit", when its digits are together at least ``Splitting.sure_parts``
probable (``Splitting.broad_sure_parts`` for a whole at least ``Splitting.broad_whole`` times as wide
as tall: touching digits are broad, a letter seldom is, and letters are not to be cut into digits).
When a different reading -- another number, or the whole's -- is nearly as probable
(within ``Splitting.rival``), no digit of the reading is confident: a number is never "sure"
when another split is as sure.  Parts already read are not read again, and one digit's search reads
at most ``Splitting.budget`` drawings.  Pure numpy; the model is the ``read`` callback.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from digitgame.recognition import widths
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
    margin: float = 0.0  # log-probability the split must win by,
    narrow: float = 0.8  # or, against a confident digit narrower than this share of its height,
    narrow_margin: float = 0.2  # this much (a 7's bar or a 4's corner cut off reads as a sure 1 beside it)
    rival: float = 1.0  # a different reading within this many nats of the best makes the split unsure
    depth: int = 3  # how many cuts deep a digit is tried (a piece of up to 2 ** depth touching digits)
    broad: float = 0.8  # a part this many times as wide as tall may hold more digits: its cuts are tried too
    side_by_side: float = 0.15  # strokes that overlap across by at most this share of the height may be two digits
    sure_parts: float = 0.95  # digits together this probable beat a whole that reads "not a digit",
    broad_sure_parts: float = 0.8  # or this probable, when the whole is at least
    broad_whole: float = 1.2  # this many times as wide as tall (touching digits; a letter is seldom so broad)
    keep: int = 4  # of a part's ways to read, the most probable few are combined with the other part's
    budget: int = 96  # drawings one digit's search may read (a long scribble of many strokes stops here)
    width_weight: float = 0.03  # the whole's answer weighed by log(plausibility of its width) times this (widths)


SPLITTING = Splitting()


def box_of(strokes: Sequence[Segments]) -> Box:
    """The box (x, y, w, h) around the ink of ``strokes``."""
    points = np.concatenate([s.points() for s in strokes])
    lo, hi = points.min(axis=0), points.max(axis=0)
    return float(lo[0]), float(lo[1]), float(hi[0] - lo[0]), float(hi[1] - lo[1])


def should_try(digit: DigitReading, strokes: Sequence[Segments], splitting: Splitting | None = None) -> bool:
    """A digit that may be several touching digits: wider than one digit can be (segment's rule 7);
    or its strokes lie side by side (whole strokes to the left, whole strokes to the right, their
    ink overlapping across by at most ``side_by_side`` of the height: two digits written close); or
    it reads "not a digit" and is ``broad`` (digits written without lifting the pen are one stroke,
    and together read as no digit).

    Trying narrower ones too -- unsure and broad, or broad and sure -- was measured on numbers of
    MNIST training digits and of the choosing writers: it split more touching pairs, and cut more
    well-spaced digits (a 7 whose bar reaches over its neighbour, a broad 0) in two.
    """
    splitting = splitting or SPLITTING
    if splitting.depth < 1:
        return False
    box = digit.box
    joined = digit.prediction.is_not_a_digit and box[2] >= splitting.broad * box[3]
    return digit.is_wide or joined or _side_by_side(strokes, box[3], splitting)


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
    """``digit`` (its ink: ``strokes``) as the digits it is best read as: itself, or the parts of the
    best way to cut it; not sure when another reading -- a different number, or the whole -- is
    nearly as probable."""
    options = _Search(read, splitting).options(strokes, digit.box, splitting.depth)
    raw = log_p(digit)
    whole = raw + splitting.width_weight * math.log(width_plausibility(digit))
    is_broad = digit.box[2] >= splitting.broad_whole * digit.box[3]
    sure = math.log(splitting.broad_sure_parts if is_broad else splitting.sure_parts)
    narrow = digit.prediction.is_confident and digit.box[2] < splitting.narrow * digit.box[3]
    margin = splitting.narrow_margin if narrow else splitting.margin
    winners = [o for o in options if o.score > whole + margin or (digit.prediction.is_not_a_digit and o.score >= sure)]
    if not winners:
        if digit.prediction.digit is not None and any(o.score >= whole - splitting.rival for o in options):
            return [unsure(digit)]  # several digits read nearly as well as one: say the one, but not as sure
        return [digit]
    best = max(winners, key=lambda o: o.score)
    rivals = any(o.text != best.text and o.score >= best.score - splitting.rival for o in options)
    answered = digit.prediction.is_confident or digit.prediction.is_not_a_digit
    if (answered and whole >= best.score - splitting.rival) or best.score <= raw + margin:
        rivals = True  # the whole reads nearly as well, or the cut won only by the whole's width
    return [unsure(part) if rivals else part for _, part in best.parts]


@dataclass(frozen=True)
class Option:
    """One way of reading some ink as confident digits: how probable, the number, and its parts."""

    score: float  # the sum of the parts' log_p
    text: str
    parts: tuple[tuple[list[Segments], DigitReading], ...]  # each part's strokes and reading, left to right

    def __add__(self, other: Option) -> Option:
        return Option(self.score + other.score, self.text + other.text, self.parts + other.parts)


class _Search:
    """The ways one digit's ink reads as several: its cuts, and its broad parts' cuts, each part
    read once (by its ink), at most ``budget`` drawings in all."""

    def __init__(self, read: Read, splitting: Splitting) -> None:
        self.read, self.splitting = read, splitting
        self.known: dict[bytes, DigitReading | None] = {}
        self.options_of: dict[tuple[bytes, int], list[Option]] = {}

    def options(self, strokes: list[Segments], box: Box, depth: int) -> list[Option]:
        """The ways the cuts of the ink read as two or more confident digits (the best of each number)."""
        spent = len(self.known) >= self.splitting.budget  # a long scribble of many strokes: no more cutting
        candidates = cuts(strokes, box, self.splitting) if depth >= 1 and not spent else []
        drawings = [_merged(part) for cut in candidates for part in cut]  # each part's ink, left, right, ...
        keys = [_key(drawing) for drawing in drawings]
        readings = self._read(keys, drawings)
        found: list[Option] = []
        for k, (left, right) in enumerate(candidates):
            lefts = self._part(left, keys[2 * k], readings[2 * k], depth)
            rights = self._part(right, keys[2 * k + 1], readings[2 * k + 1], depth) if lefts else []
            found += [a + b for a in lefts for b in rights]
        return _best_of_each(found, self.splitting.keep)

    def _part(self, strokes: list[Segments], key: bytes, reading: DigitReading | None, depth: int) -> list[Option]:
        """How one part of a cut (its ink: ``key``) may read: as its own confident digit, and, when it
        is broad enough to hold more than one, as the ways its own cuts read."""
        if reading is None:
            return []
        found = []
        if reading.prediction.is_confident:
            found.append(Option(log_p(reading), str(reading.prediction.digit), ((strokes, reading),)))
        if depth > 1 and reading.box[2] >= self.splitting.broad * reading.box[3]:
            if (key, depth - 1) not in self.options_of:
                self.options_of[key, depth - 1] = self.options(strokes, reading.box, depth - 1)
            found += self.options_of[key, depth - 1]
        return _best_of_each(found, self.splitting.keep)

    def _read(self, keys: list[bytes], drawings: list[Segments]) -> list[DigitReading | None]:
        """Each drawing's reading: those not read before in one batched call, while the budget lasts
        (a drawing past it reads as nothing)."""
        unread = {k: d for k, d in zip(keys, drawings, strict=True) if k not in self.known}
        new = list(unread)[: max(0, self.splitting.budget - len(self.known))]
        if new:
            self.known.update(zip(new, self.read([unread[k] for k in new]), strict=True))
        return [self.known.get(k) for k in keys]


def _key(drawing: Segments) -> bytes:
    """A drawing's ink as bytes: the same part of a drawing, however it was cut out."""
    return drawing.starts.tobytes() + drawing.deltas.tobytes() + drawing.dots.tobytes()


def _best_of_each(options: list[Option], keep: int) -> list[Option]:
    """The most probable option of each number, the ``keep`` most probable first."""
    best: dict[str, Option] = {}
    for o in sorted(options, key=lambda o: -o.score):
        best.setdefault(o.text, o)
    return list(best.values())[:keep]


def width_plausibility(digit: DigitReading) -> float:
    """How plausible the digit's width is for the digit it reads as (1 when it reads as none)."""
    answer = digit.prediction.digit
    return 1.0 if answer is None else widths.plausibility(answer, digit.box[2], digit.box[3])


def unsure(digit: DigitReading) -> DigitReading:
    return replace(digit, prediction=replace(digit.prediction, is_confident=False))


def log_p(digit: DigitReading) -> float:
    """How probable the reading's answer is: its digit's probability, less what went to "not a
    digit"; or, when it reads as not a digit, that share (a split must explain the ink better than
    "not a digit" does, or be nearly certain -- ``Splitting.sure_parts``: letters are not cut into
    digits)."""
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
