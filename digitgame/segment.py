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
touches), so that it costs the same for ten strokes or ten thousand; the other rules work on the
pieces' boxes.  The values were chosen with ``benchmarks/number_accuracy.py --sources "MNIST
train,pen proxy"``, never on MNIST test.  Pure numpy: no pygame, no model.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitgame.reading import Box

MAX_GRID_CELLS = 4096  # along the longer side of the ink: bounds the work for any drawing
MAX_SAMPLES = 50_000  # points sampled along the strokes, at most
MAX_PIECES = 1000  # more pieces than this is not a number: all of it is read as one


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


def flatten(strokes: Sequence[Stroke]) -> tuple[np.ndarray, np.ndarray]:
    """All points of ``strokes`` back to back (P, 2) float64, and each stroke's count (K,), 0 for empty.

    Raises ValueError unless every point is a pair of finite numbers.
    """
    try:
        counts = np.array([len(s) for s in strokes], dtype=np.int64)
        points = np.array([p for s in strokes for p in s], dtype=np.float64).reshape(-1, 2)
    except (ValueError, TypeError):
        raise ValueError("every point must be a pair [x, y] of numbers") from None
    if len(points) != counts.sum() or not np.isfinite(points).all():
        raise ValueError("every point must be a pair [x, y] of finite numbers")
    return points, counts


def group_strokes(strokes: Sequence[Stroke], rules: Rules = RULES) -> list[Group]:
    """Strokes in canvas pixels (x right, y down) -> digit groups in reading order.

    ``members`` index ``strokes``; empty strokes and ignored specks belong to no group.
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
    owner = np.repeat(np.arange(len(n)), n)  # (P,) stroke of each point
    height, cell = _scale(lo, hi, rules)
    within = owner[1:] == owner[:-1]  # (P-1,) segment i joins points i and i+1 of one stroke
    start, delta = points[:-1][within], np.diff(points, axis=0)[within]  # (S, 2)
    length = np.hypot(delta[:, 0], delta[:, 1])  # (S,)
    cell = max(cell, float(length.sum()) / MAX_SAMPLES)  # a scribble of 200,000 points costs no more
    steps = np.maximum(np.ceil(length / cell).astype(np.int64) - 1, 0)  # (S,) points to add inside each
    seg = np.repeat(np.arange(len(steps)), steps)  # (N,)
    t = (np.arange(len(seg)) - np.repeat(np.cumsum(steps) - steps, steps) + 1) / (steps[seg] + 1)  # in (0, 1)
    samples = np.concatenate((points, start[seg] + t[:, None] * delta[seg]))  # (P+N, 2) at most a cell apart
    sample_owner = np.concatenate((owner, owner[:-1][within][seg]))
    groups = _group(lo, hi, np.floor(samples / cell).astype(np.int64), sample_owner, height, cell, rules)
    return [Group(tuple(int(index[m]) for m in g.members), g.box, g.is_wide) for g in groups]


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
    h, w = mask.shape
    padded = np.zeros((-(-h // step) * step, -(-w // step) * step), dtype=bool)
    padded[:h, :w] = mask
    coarse = padded.reshape(padded.shape[0] // step, step, padded.shape[1] // step, step).any(axis=(1, 3))
    cells = np.argwhere(coarse)[:, ::-1].astype(np.int64)  # (M, 2) as (x, y); each cell is a part
    lo = np.clip(cells * float(step), lo_ink, hi_ink)  # (M, 2) the cell's box in pixels, within the ink's
    hi = np.clip(lo + step, lo_ink, hi_ink)
    groups = _group(lo, hi, cells, np.arange(len(cells)), height, float(step), rules)
    cell_group = np.full(coarse.shape, -1, dtype=np.int32)
    for number, g in enumerate(groups):
        members = np.array(g.members)
        cell_group[cells[members, 1], cells[members, 0]] = number
    labels = np.repeat(np.repeat(cell_group, step, axis=0), step, axis=1)[:h, :w]
    labels = np.where(mask, labels, -1).astype(np.int32)  # (H, W)
    return [_exact_box(g, labels == number) for number, g in enumerate(groups)], labels


def _exact_box(group: Group, pixels: np.ndarray) -> Group:
    """The group with its box measured on its own pixels (cells are coarser)."""
    rows = np.flatnonzero(pixels.any(axis=1))
    cols = np.flatnonzero(pixels.any(axis=0))
    box = (float(cols[0]), float(rows[0]), float(cols[-1] - cols[0] + 1), float(rows[-1] - rows[0] + 1))
    return Group(group.members, box, group.is_wide)


# --- the rules ------------------------------------------------------------------


def _scale(lo: np.ndarray, hi: np.ndarray, rules: Rules) -> tuple[float, float]:
    """H, the ink's height, and the grid cell: the contact distance, never finer than the grid allows."""
    extent = hi.max(axis=0) - lo.min(axis=0)  # (2,) width, height
    height = float(extent[1])
    return height, max(rules.contact * height, float(extent.max()) / MAX_GRID_CELLS, 1e-9)


def _group(
    lo: np.ndarray, hi: np.ndarray, cells: np.ndarray, owners: np.ndarray, height: float, cell: float, rules: Rules
) -> list[Group]:
    """The rules on K parts: boxes ``lo``/``hi`` (K, 2), grid ``cells`` (M, 2) owned by ``owners`` (M,)."""
    cells = cells - cells.min(axis=0)
    root = _contact(len(lo), cells, owners)  # rule 1: (K,) the first part of each part's piece
    is_root = root == np.arange(len(root))
    piece_of = (np.cumsum(is_root) - 1)[root]  # (K,) pieces numbered 0, 1, ... (np.unique is slow on small arrays)
    count = int(is_root.sum())
    order = np.argsort(piece_of, kind="stable")
    parts = np.split(order, np.cumsum(np.bincount(piece_of, minlength=count))[:-1])  # part indices of each piece
    boxes = np.full((count, 4), np.inf)
    boxes[:, 2:] = -np.inf
    np.minimum.at(boxes[:, :2], piece_of, lo)
    np.maximum.at(boxes[:, 2:], piece_of, hi)
    pieces = _Pieces(boxes.tolist(), height)
    if count > MAX_PIECES:
        pieces.join_all()
    else:
        _near(pieces, cells, piece_of[owners], cell, rules)  # rule 2
    digits, specks = pieces.split_specks(rules.speck)  # rule 3
    pieces.stack(digits, rules.stack)  # rule 4
    pieces.attach_accents(digits, rules.accent, rules.reach)  # rule 5
    pieces.attach_specks(specks, rules.touch)  # rule 6
    groups = []
    for r, x0, y0, x1, y1 in pieces.groups():  # rule 7: in reading order
        members = np.sort(np.concatenate([parts[p] for p in pieces.members(r)]))
        groups.append(Group(tuple(members.tolist()), (x0, y0, x1 - x0, y1 - y0), x1 - x0 > rules.wide * height))
    return groups


def _contact(k: int, cells: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """Rule 1: a label per part (K,), equal for parts in the same or neighbouring grid cells."""
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
    a_all, b_all = np.concatenate(a), np.concatenate(b)
    apart = a_all != b_all  # most neighbouring cells belong to one stroke
    return _components(k, a_all[apart], b_all[apart])


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


def _near(pieces: _Pieces, cells: np.ndarray, cell_piece: np.ndarray, cell: float, rules: Rules) -> None:
    """Rule 2 over the pieces as rule 1 left them; ``cell_piece`` (M,) is the piece of each cell."""
    h = pieces.height
    touch = rules.touch * h
    boxes = list(pieces.boxes)  # as rule 1 left them: rule 2 looks at the pieces, not at what it joins
    by_left = sorted(range(len(boxes)), key=lambda i: boxes[i][0])
    ink: dict[int, np.ndarray] = {}
    for n, i in enumerate(by_left):
        ax0, ay0, ax1, ay1 = boxes[i]
        for j in by_left[n + 1 :]:
            bx0, by0, bx1, by1 = boxes[j]
            if bx0 > ax1 + touch:
                break
            if by0 > ay1 + touch or ay0 > by1 + touch:
                continue
            overlap = min(ax1, bx1) - max(ax0, bx0)
            side_by_side = (
                min(ay1 - ay0, by1 - by0) >= rules.tall * h
                and abs(ay1 - by1) <= rules.baseline * h
                and overlap < rules.beside * min(ax1 - ax0, bx1 - bx0)
            )
            if side_by_side:
                continue
            for p in (i, j):
                if p not in ink:
                    ink[p] = cells[cell_piece == p]
            d = ink[i][:, None, :] - ink[j][None, :, :]  # (A, B, 2) in cells
            if float(np.min(d[..., 0] ** 2 + d[..., 1] ** 2)) <= (touch / cell) ** 2:
                pieces.join(i, j)


class _Pieces:
    """Pieces being joined into digits: a union-find over piece indices, each root with its box."""

    def __init__(self, boxes: list[list[float]], height: float) -> None:
        self.boxes = boxes  # [x0, y0, x1, y1] per piece; a root's box covers its whole group
        self.parent = list(range(len(boxes)))
        self.height = height
        self.dropped: set[int] = set()  # ignored specks: in no group

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> int:
        a, b = sorted((self.root(i), self.root(j)))
        if a != b:
            self.parent[b] = a
            p, q = self.boxes[a], self.boxes[b]
            self.boxes[a] = [min(p[0], q[0]), min(p[1], q[1]), max(p[2], q[2]), max(p[3], q[3])]
        return a

    def join_all(self) -> None:
        for i in range(1, len(self.parent)):
            self.join(0, i)

    def roots(self) -> list[int]:
        return [i for i in range(len(self.parent)) if self.parent[i] == i and i not in self.dropped]

    def members(self, root: int) -> list[int]:
        return [i for i in range(len(self.parent)) if self.root(i) == root]

    def split_specks(self, speck: float) -> tuple[list[int], list[int]]:
        """Rule 3: the roots of digit-sized groups, and of specks (none when all would be)."""
        roots = self.roots()
        specks = [
            r
            for r in roots
            if max(self.boxes[r][2] - self.boxes[r][0], self.boxes[r][3] - self.boxes[r][1]) < speck * self.height
        ]
        if len(specks) == len(roots):  # nothing but specks (taps, dots): each stands alone, for the recogniser
            return roots, []
        return [r for r in roots if r not in specks], specks

    def stack(self, digits: list[int], stack: float) -> None:
        """Rule 4: join groups overlapping horizontally by ``stack`` of the wider one, until none do."""
        joined = True
        while joined:
            joined = False
            for n, i in enumerate(digits):
                for j in digits[n + 1 :]:
                    p, q = self.boxes[i], self.boxes[j]
                    if min(p[2], q[2]) - max(p[0], q[0]) >= stack * max(p[2] - p[0], q[2] - q[0], 1e-12):
                        keep = self.join(i, j)
                        digits[:] = [r for r in digits if r not in (i, j)] + [keep]
                        joined = True
                        break
                if joined:
                    break

    def attach_accents(self, digits: list[int], accent: float, reach: float) -> None:
        """Rule 5: a group lower than ``accent`` joins the tall one it overlaps most, or else the nearest within
        ``reach``."""
        tall = [r for r in digits if self.boxes[r][3] - self.boxes[r][1] >= accent * self.height]
        moves = []
        for r in digits:
            if r in tall or not tall:
                continue
            p = self.boxes[r]
            overlap, best = max((min(p[2], self.boxes[t][2]) - max(p[0], self.boxes[t][0]), t) for t in tall)
            if overlap > -reach * self.height:
                moves.append((r, best))
        for r, t in moves:
            self.join(r, t)

    def attach_specks(self, specks: list[int], touch: float) -> None:
        """Rule 6: a speck whose centre lies in a group's box, grown by ``touch``, joins it; others are dropped."""
        margin = touch * self.height
        digits = [r for r in self.roots() if r not in specks]
        for s in specks:
            x, y = (self.boxes[s][0] + self.boxes[s][2]) / 2, (self.boxes[s][1] + self.boxes[s][3]) / 2
            home = next((d for d in digits if _inside(x, y, self.boxes[d], margin)), None)
            if home is None:
                self.dropped.add(s)
            else:
                self.join(s, home)

    def groups(self) -> list[tuple[int, float, float, float, float]]:
        """(root, x0, y0, x1, y1) of each group left, sorted by the centre of its box."""
        found = [(r, b[0], b[1], b[2], b[3]) for r in self.roots() for b in [self.boxes[r]]]
        return sorted(found, key=lambda g: (g[1] + g[3]) / 2)


def _inside(x: float, y: float, box: list[float], margin: float) -> bool:
    return box[0] - margin <= x <= box[2] + margin and box[1] - margin <= y <= box[3] + margin
