"""Split ink into digits: strokes, or the ink of an image, -> groups (one per digit) with boxes, in reading order.

The words: a *part* is what the ink comes as -- a stroke, or a grid cell of an image's ink; a
*piece* is parts whose ink touches; a *group* is the pieces of one digit, with its box (x, y, w, h).
The ink is read as one line, left to right.  Every length is a share of H, the height of the
ink's box, so the rules do not care how big the person wrote (``Rules`` holds the numbers):

1. contact -- ink that crosses or touches other ink (within ``contact``) is one piece;
2. near    -- pieces whose ink comes within ``touch`` of each other are one piece (a 9's stem
              beside its loop, a 4's stem beside its corner, a 5's hat) -- unless they stand side
              by side as two digits do: both taller than ``tall``, their bottoms within
              ``baseline`` of each other, overlapping horizontally by less than ``beside`` of the
              narrower one; or both taller than ``step``, not overlapping horizontally, the right
              one ending more than ``baseline`` above the left one's bottom (the corner of a
              two-stroke 4 just after the digit before it: a loop or a corner joins the stem to
              its right, never the digit to its left);
3. speck   -- a piece smaller than ``speck`` is a speck: set aside;
4. stack   -- pieces that overlap horizontally by ``stack`` of the wider one are one digit (an 8
              or a 3 in two bows, a 5's hat over its body);
5. accent  -- a piece lower than ``accent`` (a hat, a bar, a foot, a flag) joins the taller digit
              it overlaps most horizontally, or else the nearest one within ``reach`` -- the
              nearest to its right when it is taller than ``step`` (a 4's corner before its stem);
6. specks  -- a speck inside a digit's box, grown by ``touch``, joins it; other specks (a dot, a
              tap, paper noise) are ignored;
7. order   -- digits are sorted by the centre of their box; one wider than ``wide`` is flagged
              ``is_wide``: probably digits that touch (``splitting`` tries to cut it).

This module finds the pieces (rule 1: segment by segment for strokes, on a grid of cells
``contact`` wide for an image or thousands of strokes); ``grouping`` joins them into groups.  The
values were chosen with ``benchmarks/number_accuracy.py --segment-only --sources "MNIST
train,pen proxy"``, never on MNIST test; ``step`` with the whole benchmark on the choosing
writers' numbers (``--sources "real writers (choosing)"``), never on the report writers.
Pure numpy: no pygame, no model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from digitgame.files.strokefile import Point
from digitgame.recognition import grouping
from digitgame.recognition.grouping import RULES, Rules
from digitgame.recognition.reading import Box

__all__ = ["RULES", "CellLabels", "Group", "Rules", "flatten", "group_ink", "group_points", "group_strokes"]

MAX_GRID_CELLS = 4096  # along the longer side of the ink: bounds the work for any drawing
MAX_SAMPLES = 50_000  # points sampled along the strokes, at most
MAX_PAIRWISE = 300  # up to this many strokes, contact is measured stroke by stroke; beyond, on a grid


@dataclass(frozen=True)
class Group:
    """One digit's ink: which parts (strokes, or grid cells of an image) and where."""

    parts: tuple[int, ...]  # indices of the parts, ascending
    box: Box  # (x, y, w, h) of the parts' ink
    is_wide: bool = False  # wider than one digit can be: probably digits that touch


# --- strokes --------------------------------------------------------------------


def flatten(strokes: Sequence[Sequence[Point]]) -> tuple[np.ndarray, np.ndarray]:
    """All points of ``strokes`` back to back (P, 2) float64, and each stroke's count (K,), 0 for empty.

    The one conversion of strokes to arrays (segmenting and preprocessing both start here): one numpy
    call for the whole drawing, not one per stroke.  Raises ValueError unless every point is a pair of
    finite numbers.
    """
    try:
        counts = np.array([len(s) for s in strokes], dtype=np.int64)
        numbers = np.fromiter(chain.from_iterable(chain.from_iterable(strokes)), dtype=np.float64)
    except (ValueError, TypeError):
        raise ValueError("every point must be a pair [x, y] of numbers") from None
    if len(numbers) != 2 * counts.sum() or not np.isfinite(numbers).all():
        raise ValueError("every point must be a pair [x, y] of finite numbers")
    return numbers.reshape(-1, 2), counts


def group_strokes(strokes: Sequence[Sequence[Point]], rules: Rules = RULES) -> list[Group]:
    """Strokes in canvas pixels (x right, y down) -> digit groups in reading order.

    ``parts`` index ``strokes``; empty strokes and ignored specks belong to no group.
    """
    return group_points(*flatten(strokes), rules)


def group_points(points: np.ndarray, counts: np.ndarray, rules: Rules = RULES) -> list[Group]:
    """``group_strokes`` on strokes already flattened: points (P, 2) back to back, counts (K,)."""
    index = np.flatnonzero(counts)  # (K',) the non-empty strokes
    if not len(index):
        return []
    n = counts[index]
    first = np.cumsum(n) - n  # (K',) each stroke's first point
    lo, hi = np.minimum.reduceat(points, first, axis=0), np.maximum.reduceat(points, first, axis=0)  # (K', 2)
    height, spacing = _scale(lo, hi, rules)
    if len(n) == 1:  # one stroke is one digit: nothing to split (the common case, kept cheap)
        (x0, y0), (x1, y1) = lo[0].tolist(), hi[0].tolist()
        return [Group((int(index[0]),), (x0, y0, x1 - x0, y1 - y0), x1 - x0 > rules.wide * height)]
    if len(n) > MAX_PAIRWISE:  # thousands of strokes: contact on a grid, then every piece as a cloud of cells
        return _group_many(points, n, lo, hi, height, spacing, rules, index)
    strokes = [_as_segments(points[a : a + m]) for a, m in zip(first.tolist(), n.tolist(), strict=True)]
    piece_of = _contact_pairwise(lo, hi, strokes, rules.contact * height)  # rule 1
    parts_of = _parts_by_piece(piece_of)
    ink = [(np.concatenate([strokes[i][0] for i in p]), np.concatenate([strokes[i][1] for i in p])) for p in parts_of]

    def within(i: int, j: int, distance: float) -> bool:
        return grouping.segments_within(ink[i], ink[j], distance)

    return _grouped(parts_of, lo, hi, within, height, rules, index)


def _as_segments(points: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A stroke (n, 2) as its segments' starts and ends; a one-point stroke is a segment of length 0."""
    return (points[:-1], points[1:]) if len(points) > 1 else (points, points)


def _contact_pairwise(
    lo: np.ndarray, hi: np.ndarray, strokes: list[tuple[np.ndarray, np.ndarray]], contact: float
) -> np.ndarray:
    """Rule 1 for up to a few hundred strokes: the piece of each (K,), strokes within ``contact`` joined."""
    k = len(lo)
    close = (
        (lo[:, None, 0] <= hi[None, :, 0] + contact)
        & (lo[None, :, 0] <= hi[:, None, 0] + contact)
        & (lo[:, None, 1] <= hi[None, :, 1] + contact)
        & (lo[None, :, 1] <= hi[:, None, 1] + contact)
    )  # (K, K) boxes within reach
    edges = []
    for i, j in zip(*np.nonzero(np.triu(close, k=1)), strict=True):
        region = (np.maximum(lo[i], lo[j]) - contact, np.minimum(hi[i], hi[j]) + contact)  # only there can they touch
        a, b = _clipped(strokes[i], *region), _clipped(strokes[j], *region)
        if len(a[0]) and len(b[0]) and grouping.segments_within(a, b, contact):
            edges.append((i, j))
    if not edges:
        return np.arange(k)
    ea, eb = np.array(edges).T
    return _numbered(_components(k, ea, eb))


def _clipped(segments: tuple[np.ndarray, np.ndarray], lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The segments whose box meets the box ``lo``-``hi``."""
    s0, s1 = segments
    keep = (np.minimum(s0, s1) <= hi).all(axis=1) & (np.maximum(s0, s1) >= lo).all(axis=1)
    return s0[keep], s1[keep]


def _group_many(
    points: np.ndarray,
    n: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    height: float,
    spacing: float,
    rules: Rules,
    index: np.ndarray,
) -> list[Group]:
    """``group_points`` for thousands of strokes: rule 1 on a grid of cells ``spacing`` wide."""
    owner = np.repeat(np.arange(len(n)), n)  # (P,) stroke of each point
    within_stroke = owner[1:] == owner[:-1]  # (P-1,) segment i joins points i and i+1 of one stroke
    start, delta = points[:-1][within_stroke], np.diff(points, axis=0)[within_stroke]  # (S, 2)
    length = np.hypot(delta[:, 0], delta[:, 1])
    spacing = max(spacing, float(length.sum()) / MAX_SAMPLES)  # a scribble of 200,000 points costs no more
    steps = np.maximum(np.ceil(length / spacing).astype(np.int64) - 1, 0)  # (S,) points to add inside each
    seg = np.repeat(np.arange(len(steps)), steps)
    t = (np.arange(len(seg)) - np.repeat(np.cumsum(steps) - steps, steps) + 1) / (steps[seg] + 1)  # in (0, 1)
    samples = np.concatenate((points, start[seg] + t[:, None] * delta[seg]))  # (M, 2) at most a cell apart
    sample_owner = np.concatenate((owner, owner[:-1][within_stroke][seg]))
    cells = np.floor(samples / spacing).astype(np.int64)
    piece_of = _contact_grid(len(n), cells - cells.min(axis=0), sample_owner)
    return _grouped(
        _parts_by_piece(piece_of), lo, hi, _cloud_within(samples, piece_of[sample_owner], spacing), height, rules, index
    )


# --- images ---------------------------------------------------------------------


@dataclass(frozen=True)
class CellLabels:
    """Which digit group each cell of an image's grid belongs to (-1: none); a cell is ``step`` pixels wide."""

    cells: np.ndarray  # (ceil(H / step), ceil(W / step)) int32
    step: int

    def crop(self, box: Box) -> np.ndarray:
        """The group of each pixel of ``box`` (x, y, w, h): (h, w) int32, background pixels included."""
        x, y, w, h = (int(v) for v in box)
        return self.cells[np.ix_(np.arange(y, y + h) // self.step, np.arange(x, x + w) // self.step)]


def group_ink(ink: np.ndarray, rules: Rules = RULES) -> tuple[list[Group], CellLabels]:
    """Ink on a zero background (H, W) -> digit groups in reading order, and which group each cell is in.

    Boxes are in image pixels, each exactly around its group's ink.
    """
    mask = ink > 0  # (H, W) bool
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return [], CellLabels(np.full((1, 1), -1, dtype=np.int32), max(*mask.shape, 1))
    cols = np.flatnonzero(mask.any(axis=0))
    lo_ink = np.array([[cols[0], rows[0]]], dtype=np.float64)
    hi_ink = np.array([[cols[-1] + 1, rows[-1] + 1]], dtype=np.float64)
    height, spacing = _scale(lo_ink, hi_ink, rules)
    step = max(int(spacing), 1)  # whole pixels per grid cell: ink in neighbouring cells touches
    h, w = mask.shape
    padded = np.zeros((-(-h // step) * step, -(-w // step) * step), dtype=bool)
    padded[:h, :w] = mask
    coarse = padded.reshape(padded.shape[0] // step, step, padded.shape[1] // step, step).any(axis=(1, 3))
    cells = np.argwhere(coarse)[:, ::-1].astype(np.int64)  # (M, 2) as (x, y); each cell is a part
    lo = np.clip(cells * float(step), lo_ink, hi_ink)  # (M, 2) the cell's box in pixels, within the ink's
    hi = np.clip(lo + step, lo_ink, hi_ink)
    piece_of = _contact_grid(len(cells), cells, np.arange(len(cells)))
    centres = (cells + 0.5) * step  # (M, 2) px
    within = _cloud_within(centres, piece_of, float(step))
    groups = _grouped(_parts_by_piece(piece_of), lo, hi, within, height, rules, np.arange(len(cells)))
    labels = CellLabels(np.full(coarse.shape, -1, dtype=np.int32), step)
    for number, g in enumerate(groups):
        mine = np.array(g.parts)
        labels.cells[cells[mine, 1], cells[mine, 0]] = number
    return [_exact_box(g, number, labels, mask) for number, g in enumerate(groups)], labels


def _exact_box(group: Group, number: int, labels: CellLabels, mask: np.ndarray) -> Group:
    """The group with its box measured on its own pixels (its box from ``_grouped`` covers whole cells)."""
    x, y, w, h = group.box
    region = (int(x), int(y), int(np.ceil(x + w)) - int(x), int(np.ceil(y + h)) - int(y))
    pixels = mask[region[1] : region[1] + region[3], region[0] : region[0] + region[2]] & (
        labels.crop(region) == number
    )
    rows = np.flatnonzero(pixels.any(axis=1))
    cols = np.flatnonzero(pixels.any(axis=0))
    box = (
        float(region[0] + cols[0]),
        float(region[1] + rows[0]),
        float(cols[-1] - cols[0] + 1),
        float(rows[-1] - rows[0] + 1),
    )
    return Group(group.parts, box, group.is_wide)


# --- shared ---------------------------------------------------------------------


def _scale(lo: np.ndarray, hi: np.ndarray, rules: Rules) -> tuple[float, float]:
    """H, the ink's height, and the sampling step: the contact distance, never finer than the grid allows."""
    extent = hi.max(axis=0) - lo.min(axis=0)  # (2,) width, height
    height = float(extent[1])
    return height, max(rules.contact * height, float(extent.max()) / MAX_GRID_CELLS, 1e-9)


def _parts_by_piece(piece_of: np.ndarray) -> list[np.ndarray]:
    """Pieces numbered 0, 1, ... per part (K,) -> the parts of each piece, ascending."""
    order = np.argsort(piece_of, kind="stable")
    ends = np.cumsum(np.bincount(piece_of)).tolist()
    return [order[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def _cloud_within(points: np.ndarray, piece: np.ndarray, spacing: float) -> grouping.Within:
    """``within`` for pieces given as clouds of points (M, 2) at most ``spacing`` apart, ``piece`` (M,) each's."""
    cache: dict[int, np.ndarray] = {}

    def cloud(p: int) -> np.ndarray:
        if p not in cache:
            cache[p] = points[piece == p]
        return cache[p]

    return lambda i, j, distance: grouping.nearest(cloud(i), cloud(j)) <= distance + spacing


def _grouped(
    parts_of: list[np.ndarray],
    lo: np.ndarray,
    hi: np.ndarray,
    within: grouping.Within,
    height: float,
    rules: Rules,
    part_ids: np.ndarray,
) -> list[Group]:
    """Rules 2-7 over pieces given as their parts (``parts_of``, per piece); ``lo``/``hi`` (K, 2) are the
    parts' top-left and bottom-right corners; ``part_ids`` (K,) the parts' indices as the caller knows them."""
    first = np.cumsum([0, *(len(p) for p in parts_of[:-1])])  # where each piece's parts start in ``order``
    order = np.concatenate(parts_of)
    low, high = np.minimum.reduceat(lo[order], first), np.maximum.reduceat(hi[order], first)  # (pieces, 2)
    bounds = np.concatenate((low, high), axis=1).tolist()  # [left, top, right, bottom] per piece
    groups = []
    for pieces, box, is_wide in grouping.digits(bounds, within, height, rules):
        parts = np.sort(part_ids[np.concatenate([parts_of[p] for p in pieces])])
        groups.append(Group(tuple(parts.tolist()), box, is_wide))
    return groups


def _contact_grid(k: int, cells: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Rule 1 on a grid: the piece of each of K parts (K,), parts in the same or neighbouring cells joined."""
    width = int(cells[:, 0].max()) + 3
    keys = (cells[:, 1] + 1) * width + cells[:, 0] + 1  # (M,) one integer per cell, a free column each side
    pairs = np.sort(keys * k + owners)  # (M,) by cell, then part
    pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]  # (U,) each (cell, part) once
    cell_of, part_of = pairs // k, pairs % k
    same = cell_of[1:] == cell_of[:-1]
    a, b = [part_of[:-1][same]], [part_of[1:][same]]  # parts sharing a cell
    first = np.concatenate(([True], ~same))
    occupied, owner = cell_of[first], part_of[first]  # (C,) each cell and one of its parts
    for offset in (1, width - 1, width, width + 1):  # right, and the three below: the 8-neighbourhood
        target = occupied + offset
        where = np.minimum(np.searchsorted(occupied, target), len(occupied) - 1)
        hit = occupied[where] == target
        a.append(owner[hit])
        b.append(owner[where[hit]])
    ea, eb = np.concatenate(a), np.concatenate(b)
    apart = ea != eb  # most neighbouring cells belong to one part
    return _numbered(_components(k, ea[apart], eb[apart]))


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of n nodes joined by edges (a, b): the smallest node of each, per node (n,)."""
    label = np.arange(n)
    while len(a):
        la, lb = label[a], label[b]
        if (la == lb).all():
            break
        low = np.minimum(la, lb)
        np.minimum.at(label, la, low)  # hook each root under the smaller root
        np.minimum.at(label, lb, low)
        while True:  # pointer jumping: every node straight to its root
            up = label[label]
            if (up == label).all():
                break
            label = up
    return label


def _numbered(root: np.ndarray) -> np.ndarray:
    """Component labels (each node's smallest node) -> components numbered 0, 1, ... in order (np.unique is slow)."""
    is_root = root == np.arange(len(root))
    return (np.cumsum(is_root) - 1)[root]
