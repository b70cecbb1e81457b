"""Split ink into digits: strokes, or the ink of an image, -> digit groups with boxes, in reading order.

The ink is read as one line, left to right.  Every length is a share of H, the height of the
ink's box, so the rules do not care how big the person wrote (``Rules`` holds the numbers):

1. contact -- ink that crosses or touches other ink is one piece;
2. near    -- pieces whose ink comes within ``touch`` of each other are one piece (a 9's stem
              beside its loop, a 4's stem beside its corner, a 5's hat) -- unless they stand side
              by side as two digits do: both taller than ``tall``, their bottoms within
              ``baseline`` of each other, overlapping horizontally by less than ``beside`` of the
              narrower one;
3. speck   -- a piece smaller than ``speck`` is a speck: set aside;
4. stack   -- pieces that overlap horizontally by ``stack`` of the wider one are one digit (an 8
              or a 3 in two bows, a 5's hat over its body);
5. accent  -- a piece lower than ``accent`` (a hat, a bar, a foot, a flag) joins the taller digit
              it overlaps most horizontally, or else the nearest one within ``reach``;
6. specks  -- a speck inside a digit's box, grown by ``touch``, joins it; other specks (a dot, a
              tap, paper noise) are ignored;
7. order   -- digits are sorted by the centre of their box; one wider than ``wide`` is flagged
              ``is_wide``: probably digits that touch, which are not split.

Contact is found on a grid of cells ``contact`` wide (ink in the same or neighbouring cells
touches), so that it costs the same for ten strokes or ten thousand.  The values were chosen
with ``benchmarks/number_accuracy.py --sources "MNIST train,pen proxy"``, never on MNIST test.
Pure numpy: no pygame, no model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitgame.reading import Box

MAX_GRID_CELLS = 4096  # along the longer side of the ink: bounds the work for any drawing
MAX_SAMPLES = 50_000  # points sampled along the strokes, at most
MAX_PIECES = 1000  # more pieces than this is not a number: no rule 2, and all of it read as one


@dataclass(frozen=True)
class Rules:
    """The lengths the rules use, as shares of H, the height of the ink's box."""

    contact: float = 0.01  # the grid cell: ink in neighbouring cells touches (rule 1)
    touch: float = 0.08  # pieces this close are one (rule 2) ...
    tall: float = 0.6  # ... unless both are taller than this,
    baseline: float = 0.15  # stand on one line (bottoms this close)
    beside: float = 0.5  # and overlap horizontally by less than this share of the narrower one
    speck: float = 0.2  # a piece whose longer side is under this is a speck (rule 3)
    stack: float = 0.5  # pieces overlapping horizontally by this share of the wider one are one digit (rule 4)
    accent: float = 0.45  # a piece lower than this joins the digit it overlaps (rule 5),
    reach: float = 0.25  # or else the nearest one this close
    wide: float = 1.5  # a digit wider than this is flagged (rule 7)


RULES = Rules()
Stroke = Sequence[Sequence[float]]


@dataclass(frozen=True)
class Group:
    """One digit's ink: which parts (strokes, or grid cells of an image) and where."""

    members: tuple[int, ...]  # indices of the parts, ascending
    box: Box  # (x, y, w, h) of the members' ink
    is_wide: bool = False  # wider than one digit can be: probably digits that touch


# --- strokes --------------------------------------------------------------------


def group_strokes(strokes: Sequence[Stroke], rules: Rules = RULES) -> list[Group]:
    """Strokes in canvas pixels (x right, y down) -> digit groups in reading order.

    ``members`` index ``strokes``; empty strokes and ignored specks belong to no group.
    """
    counts = np.array([len(s) for s in strokes], dtype=np.int64)
    index = np.flatnonzero(counts)  # (K,) the non-empty strokes
    if not len(index):
        return []
    try:  # one conversion for the whole drawing, as preprocess does
        points = np.array([p for s in strokes for p in s], dtype=np.float64).reshape(-1, 2)  # (P, 2)
    except (ValueError, TypeError):
        raise ValueError("every point must be a pair [x, y] of numbers") from None
    if len(points) != counts.sum() or not np.isfinite(points).all():
        raise ValueError("every point must be a pair [x, y] of finite numbers")
    first = np.cumsum(counts[index]) - counts[index]  # (K,) each stroke's first point
    lo = np.minimum.reduceat(points, first, axis=0)  # (K, 2)
    hi = np.maximum.reduceat(points, first, axis=0)
    owner = np.repeat(np.arange(len(index)), counts[index])  # (P,) stroke of each point
    height, cell = _scale(lo, hi, rules)
    length = float(np.hypot(*np.diff(points, axis=0)[owner[1:] == owner[:-1]].T).sum())
    cell = max(cell, length / MAX_SAMPLES)  # a scribble of 200,000 points costs no more than this
    samples, sample_owner = _densify(points, owner, cell)
    cells = np.floor(samples / cell).astype(np.int64)  # (M, 2)
    groups = _group(lo, hi, cells, sample_owner, height, cell, rules)
    return [Group(tuple(int(index[m]) for m in g.members), g.box, g.is_wide) for g in groups]


def _densify(points: np.ndarray, owner: np.ndarray, spacing: float) -> tuple[np.ndarray, np.ndarray]:
    """The points (P, 2) and more along each stroke's segments, at most ``spacing`` apart, with
    their stroke: ((M, 2), (M,)).  ``owner`` (P,) is each point's stroke; strokes are back to back."""
    within = owner[1:] == owner[:-1]  # (P-1,) segment i joins points i and i+1 of one stroke
    start, delta = points[:-1][within], np.diff(points, axis=0)[within]  # (S, 2)
    steps = np.ceil(np.hypot(delta[:, 0], delta[:, 1]) / spacing).astype(np.int64) - 1  # inner points
    steps = np.maximum(steps, 0)
    seg = np.repeat(np.arange(len(steps)), steps)  # (N,) segment of each inner point
    t = (np.arange(len(seg)) - np.repeat(np.cumsum(steps) - steps, steps) + 1) / (steps[seg] + 1)  # in (0, 1)
    inner = start[seg] + t[:, None] * delta[seg]
    return np.concatenate((points, inner)), np.concatenate((owner, owner[:-1][within][seg]))


# --- images ---------------------------------------------------------------------


def group_ink(ink: np.ndarray, rules: Rules = RULES) -> tuple[list[Group], np.ndarray]:
    """Ink on a zero background (H, W) -> digit groups in reading order, and each pixel's group.

    The second result is (H, W) int32: the index of the pixel's group in the list, -1 for
    background and ignored specks.  Boxes are in image pixels.
    """
    mask = ink > 0  # (H, W) bool
    rows = np.flatnonzero(mask.any(axis=1))
    if len(rows) == 0:
        return [], np.full(mask.shape, -1, dtype=np.int32)
    cols = np.flatnonzero(mask.any(axis=0))
    lo_ink = np.array([[cols[0], rows[0]]], dtype=np.float64)
    hi_ink = np.array([[cols[-1] + 1, rows[-1] + 1]], dtype=np.float64)
    height, cell = _scale(lo_ink, hi_ink, rules)
    step = max(int(cell), 1)  # whole pixels per cell
    coarse = _block_any(mask, step)  # (h, w) bool: cells holding ink
    cells = np.argwhere(coarse)[:, ::-1].astype(np.int64)  # (M, 2) as (x, y); each cell is a part
    lo = np.clip(cells * float(step), lo_ink, hi_ink)  # (M, 2) the cell's box in pixels, within the ink's
    hi = np.clip(lo + step, lo_ink, hi_ink)
    groups = _group(lo, hi, cells, np.arange(len(cells)), height, float(step), rules)
    cell_group = np.full(coarse.shape, -1, dtype=np.int32)
    for n, g in enumerate(groups):
        members = np.array(g.members)
        cell_group[cells[members, 1], cells[members, 0]] = n
    labels = np.repeat(np.repeat(cell_group, step, axis=0), step, axis=1)[: mask.shape[0], : mask.shape[1]]
    labels = np.where(mask, labels, -1).astype(np.int32)  # (H, W)
    return [_exact_box(g, labels == n) for n, g in enumerate(groups)], labels


def _block_any(mask: np.ndarray, step: int) -> np.ndarray:
    """(H, W) bool -> (ceil(H/step), ceil(W/step)): True where a block holds any True."""
    h, w = mask.shape
    padded = np.zeros((-(-h // step) * step, -(-w // step) * step), dtype=bool)
    padded[:h, :w] = mask
    blocks = padded.reshape(padded.shape[0] // step, step, padded.shape[1] // step, step)
    return np.asarray(blocks.any(axis=(1, 3)))


def _exact_box(group: Group, pixels: np.ndarray) -> Group:
    """The group with its box measured on its own pixels (cells are coarser)."""
    rows = np.flatnonzero(pixels.any(axis=1))
    cols = np.flatnonzero(pixels.any(axis=0))
    box = (float(cols[0]), float(rows[0]), float(cols[-1] - cols[0] + 1), float(rows[-1] - rows[0] + 1))
    return Group(group.members, box, group.is_wide)


# --- the rules, on parts with boxes and grid cells -------------------------------


def _scale(lo: np.ndarray, hi: np.ndarray, rules: Rules) -> tuple[float, float]:
    """H, the ink's height, and the grid cell: the contact distance, never finer than the grid allows."""
    extent = hi.max(axis=0) - lo.min(axis=0)  # (2,) width, height
    height = float(extent[1])
    return height, max(rules.contact * height, float(extent.max()) / MAX_GRID_CELLS, 1e-9)


def _group(
    lo: np.ndarray, hi: np.ndarray, cells: np.ndarray, owners: np.ndarray, height: float, cell: float, rules: Rules
) -> list[Group]:
    """Apply the rules to K parts: boxes ``lo``/``hi`` (K, 2), grid ``cells`` (M, 2) owned by ``owners`` (M,)."""
    k = len(lo)
    cells = cells - cells.min(axis=0)
    label = _contact(k, cells, owners)  # rule 1
    label = _near(label, lo, hi, cells, owners, height, cell, rules)  # rule 2
    pieces = [np.flatnonzero(label == v) for v in np.unique(label)]
    boxes = np.array([np.concatenate((lo[p].min(axis=0), hi[p].max(axis=0))) for p in pieces])  # (P, 4)
    is_speck = (boxes[:, 2:] - boxes[:, :2]).max(axis=1) < rules.speck * height  # rule 3
    if is_speck.all():  # nothing but specks (taps, dots): each stands alone, for the recogniser to judge
        is_speck[:] = False
    big = np.flatnonzero(~is_speck)
    # rules 4 and 5, over indices into big (so many pieces are no number: all of it as one)
    digits = [np.arange(len(big))] if len(big) > MAX_PIECES else _stack_and_accents(boxes[big], height, rules)
    members = [np.concatenate([pieces[big[i]] for i in d]) for d in digits]
    digit_boxes = [_union_box(boxes[big[d]]) for d in digits]
    specks = [pieces[i] for i in np.flatnonzero(is_speck)]
    _add_specks(members, digit_boxes, specks, boxes[is_speck], rules.touch * height)  # rule 6
    order = np.argsort([b[0] + b[2] / 2 for b in digit_boxes], kind="stable")  # rule 7
    return [
        Group(tuple(int(m) for m in np.sort(members[i])), digit_boxes[i], digit_boxes[i][2] > rules.wide * height)
        for i in order
    ]


def _cell_keys(cells: np.ndarray, margin: int) -> tuple[np.ndarray, int]:
    """One integer per cell (M,), and the row length used, leaving ``margin`` free columns."""
    width = int(cells[:, 0].max()) + 2 * margin + 2
    return (cells[:, 1] + margin) * width + cells[:, 0] + margin, width


def _contact(k: int, cells: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Rule 1: a label per part (K,), equal for parts in the same or neighbouring cells."""
    keys, width = _cell_keys(cells, 1)
    pairs = np.unique(keys * k + owners)  # (U,) sorted by cell, then owner
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
    return _components(k, np.concatenate(a), np.concatenate(b))


def _near(
    label: np.ndarray,
    lo: np.ndarray,
    hi: np.ndarray,
    cells: np.ndarray,
    owners: np.ndarray,
    height: float,
    cell: float,
    rules: Rules,
) -> np.ndarray:
    """Rule 2: join pieces (parts with equal ``label``) whose ink comes within the touch distance,
    unless they stand side by side as two digits do."""
    values, piece_of = np.unique(label, return_inverse=True)
    piece_of = piece_of.ravel()
    n = len(values)
    if n < 2 or n > MAX_PIECES:
        return label
    boxes = _boxes(lo, hi, piece_of, n)  # (n, 4) as x0, y0, x1, y1
    touch = rules.touch * height
    width = boxes[:, 2] - boxes[:, 0]
    overlap = _overlap(boxes)  # (n, n)
    y_gap = np.maximum(boxes[:, None, 1] - boxes[None, :, 3], boxes[None, :, 1] - boxes[:, None, 3])
    is_tall = boxes[:, 3] - boxes[:, 1] >= rules.tall * height
    side_by_side = (
        is_tall[:, None]
        & is_tall[None, :]
        & (np.abs(boxes[:, None, 3] - boxes[None, :, 3]) <= rules.baseline * height)
        & (overlap < rules.beside * np.minimum(width[:, None], width[None, :]))
    )
    close = (overlap >= -touch) & (y_gap <= touch) & ~side_by_side
    candidates = np.argwhere(np.triu(close, k=1))  # (E, 2)
    if not len(candidates):
        return label
    owner_piece = piece_of[owners]  # (M,) the piece of each cell sample
    piece_cells = {int(p): _unique_rows(cells[owner_piece == p]) for p in np.unique(candidates)}
    edges = [(i, j) for i, j in candidates.tolist() if _nearest(piece_cells[i], piece_cells[j]) <= touch / cell]
    if not edges:
        return label
    a, b = np.array(edges).T
    return values[_components(n, a, b)[piece_of]]


def _unique_rows(cells: np.ndarray) -> np.ndarray:
    """The distinct rows of non-negative integer cells (M, 2)."""
    width = int(cells[:, 0].max()) + 1
    keys = np.unique(cells[:, 1] * width + cells[:, 0])
    return np.column_stack((keys % width, keys // width))


def _nearest(a: np.ndarray, b: np.ndarray) -> float:
    """The smallest distance between two sets of grid cells (A, 2) and (B, 2), in cells."""
    d2 = ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2)  # (A, B)
    return float(np.sqrt(d2.min()))


def _boxes(lo: np.ndarray, hi: np.ndarray, label: np.ndarray, n: int) -> np.ndarray:
    """The box (x0, y0, x1, y1) of each of ``n`` labels 0..n-1 over parts' boxes: (n, 4)."""
    out = np.empty((n, 4))
    out[:, :2], out[:, 2:] = np.inf, -np.inf
    np.minimum.at(out[:, :2], label, lo)
    np.maximum.at(out[:, 2:], label, hi)
    return out


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


def _overlap(boxes: np.ndarray) -> np.ndarray:
    """Horizontal overlap of every pair of boxes (G, 4) as x0, y0, x1, y1: (G, G), negative for a gap."""
    return np.minimum(boxes[:, None, 2], boxes[None, :, 2]) - np.maximum(boxes[:, None, 0], boxes[None, :, 0])


def _union_box(boxes: np.ndarray) -> Box:
    """(x0, y0, x1, y1) rows (N, 4) -> one (x, y, w, h) box around them all."""
    x0, y0 = boxes[:, 0].min(), boxes[:, 1].min()
    x1, y1 = boxes[:, 2].max(), boxes[:, 3].max()
    return (float(x0), float(y0), float(x1 - x0), float(y1 - y0))


def _stack_and_accents(boxes: np.ndarray, height: float, rules: Rules) -> list[np.ndarray]:
    """Rules 4 and 5 over pieces with boxes (P, 4) as x0, y0, x1, y1: lists of piece indices."""
    n = len(boxes)
    label = np.arange(n)
    while True:  # rule 4, until no two stacks overlap enough (a join widens a box)
        groups, dense = np.unique(label, return_inverse=True)
        merged = _boxes(boxes[:, :2], boxes[:, 2:], dense.ravel(), len(groups))
        width = merged[:, 2] - merged[:, 0]
        wider = np.maximum(width[:, None], width[None, :])
        a, b = np.nonzero(np.triu(_overlap(merged) >= rules.stack * np.maximum(wider, 1e-12), k=1))
        if not len(a):
            break
        label = _components(n, groups[a], groups[b])[label]
    tall = (merged[:, 3] - merged[:, 1]) >= rules.accent * height
    if tall.any() and not tall.all():  # rule 5: each accent joins the tall digit it overlaps most, or the nearest
        overlap = _overlap(merged)[:, tall]  # (G, T), negative: the gap
        best = overlap.argmax(axis=1)
        joins = ~tall & (overlap[np.arange(len(groups)), best] > -rules.reach * height)
        target = groups[np.flatnonzero(tall)[best]]
        remap = dict(zip(groups[joins].tolist(), target[joins].tolist(), strict=True))
        label = np.array([remap.get(v, v) for v in label.tolist()])
    return [np.flatnonzero(label == v) for v in np.unique(label)]


def _add_specks(
    members: list[np.ndarray], boxes: list[Box], specks: list[np.ndarray], speck_boxes: np.ndarray, margin: float
) -> None:
    """Rule 6: each speck whose centre lies in a digit's box, grown by ``margin``, joins it."""
    for speck, (x0, y0, x1, y1) in zip(specks, speck_boxes, strict=True):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        for i, (x, y, w, h) in enumerate(boxes):
            if x - margin <= cx <= x + w + margin and y - margin <= cy <= y + h + margin:
                members[i] = np.concatenate((members[i], speck))
                break
