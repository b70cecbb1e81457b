"""The rules that join pieces of ink into groups, one per digit: rules 2-7 of ``segment`` (its docstring has the words).

Pure Python over the pieces' bounds, which are few; numpy only to measure how close two pieces'
ink comes.  Every length is a share of H, the height of the ink's box.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitgame.recognition.reading import Box

MAX_PIECES = 1000  # more pieces than this is not a number: all of it is read as one

# A piece's or group's extent as the rules grow it: [left, top, right, bottom] -- joining takes the
# min and max of each, which x, y, w, h (``Box``, what a group reports) would round.
Bounds = list[float]
Within = Callable[[int, int, float], bool]  # (piece, piece, distance): does their ink come that close?


@dataclass(frozen=True)
class Rules:
    """The lengths the rules use, as shares of H, the height of the ink's box."""

    contact: float = 0.01  # ink this close touches: one piece (rule 1)
    touch: float = 0.08  # pieces this close are one (rule 2) ...
    tall: float = 0.6  # ... unless both are taller than this,
    baseline: float = 0.15  # stand on one line (bottoms this close)
    beside: float = 0.5  # and overlap horizontally by less than this share of the narrower one
    step: float = 0.3  # a corner or loop taller than this joins the digit to its right (rules 2 and 5)
    speck: float = 0.2  # a piece whose longer side is under this is a speck (rule 3)
    stack: float = 0.5  # pieces overlapping horizontally by this share of the wider one are one digit (rule 4)
    accent: float = 0.45  # a piece lower than this joins the digit it overlaps (rule 5),
    reach: float = 0.25  # or else the nearest one this close
    wide: float = 1.5  # a digit wider than this is flagged (rule 7)


RULES = Rules()


def digits(bounds: list[Bounds], within: Within, height: float, rules: Rules) -> list[tuple[list[int], Box, bool]]:
    """Pieces with ``bounds`` -> groups in reading order, one per digit: (its pieces, its box, is it wide?).

    ``within(p, q, d)`` says whether pieces ``p`` and ``q`` come within ``d`` of each other.
    Ignored specks are in no group.
    """
    pieces = _Pieces(bounds, height)
    if len(bounds) > MAX_PIECES:
        pieces.join_all()
    else:
        _near(pieces, within, rules)  # rule 2
    tall, specks = pieces.split_specks(rules.speck)  # rule 3
    pieces.stack(tall, rules.stack)  # rule 4
    pieces.attach_accents(tall, rules.accent, rules.reach, rules.step)  # rule 5
    pieces.attach_specks(specks, rules.touch)  # rule 6
    found = [(pieces.pieces_of(r), pieces.bounds[r]) for r in pieces.roots()]
    found.sort(key=lambda d: (d[1][0] + d[1][2]) / 2)  # rule 7: reading order
    return [(of, _box(b), b[2] - b[0] > rules.wide * height) for of, b in found]


def _box(bounds: Bounds) -> Box:
    """[left, top, right, bottom] -> (x, y, w, h)."""
    x0, y0, x1, y1 = bounds
    return (x0, y0, x1 - x0, y1 - y0)


def _near(pieces: _Pieces, within: Within, rules: Rules) -> None:
    """Rule 2 over the pieces as rule 1 left them."""
    h = pieces.height
    touch = rules.touch * h
    bounds = list(pieces.bounds)  # as rule 1 left them: rule 2 looks at pieces, not at what it joins
    by_left = sorted(range(len(bounds)), key=lambda i: bounds[i][0])
    for n, i in enumerate(by_left):
        ax0, ay0, ax1, ay1 = bounds[i]
        for j in by_left[n + 1 :]:
            bx0, by0, bx1, by1 = bounds[j]
            if bx0 > ax1 + touch:
                break
            if by0 > ay1 + touch or ay0 > by1 + touch:
                continue
            overlap = min(ax1, bx1) - max(ax0, bx0)
            shorter = min(ay1 - ay0, by1 - by0)
            side_by_side = (
                shorter >= rules.tall * h
                and abs(ay1 - by1) <= rules.baseline * h
                and overlap < rules.beside * min(ax1 - ax0, bx1 - bx0)
            ) or (shorter >= rules.step * h and overlap < 0 and ay1 - by1 > rules.baseline * h)
            if not side_by_side and within(i, j, touch):
                pieces.join(i, j)


def nearest(a: np.ndarray, b: np.ndarray) -> float:
    """The smallest distance between two sets of points (A, 2) and (B, 2)."""
    dx = a[:, 0, None] - b[None, :, 0]  # (A, B)
    dy = a[:, 1, None] - b[None, :, 1]
    return float(np.sqrt(np.min(dx * dx + dy * dy)))


def segments_within(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray], distance: float) -> bool:
    """Whether two sets of segments, each (start (S, 2), end (S, 2)), come within ``distance``: exactly.

    Two segments are that close when they cross, or when an end of one is that close to the
    other.  A dot is a segment from a point to itself.  (x and y are kept apart: numpy is slow
    at reducing an axis of two.)
    """
    corners = nearest(np.concatenate(a), np.concatenate(b))  # every end of every segment
    if corners <= distance:  # two ends that close decide it at a fraction of the cost
        return True
    ax, ay, adx, ady = _coordinates(a)  # (Sa,) each
    bx, by, bdx, bdy = _coordinates(b)
    reach = distance * distance
    if _point_to_segments(np.concatenate((ax, ax + adx)), np.concatenate((ay, ay + ady)), bx, by, bdx, bdy) <= reach:
        return True
    if _point_to_segments(np.concatenate((bx, bx + bdx)), np.concatenate((by, by + bdy)), ax, ay, adx, ady) <= reach:
        return True
    rx, ry = bx[None, :] - ax[:, None], by[None, :] - ay[:, None]  # (Sa, Sb) from a's start to b's
    adx, ady, bdx, bdy = adx[:, None], ady[:, None], bdx[None, :], bdy[None, :]
    side_a0 = bdy * rx - bdx * ry  # where a's ends lie against b's segment (the sign of a cross product)
    side_a1 = bdx * (ady - ry) - bdy * (adx - rx)
    side_b0 = adx * ry - ady * rx  # where b's ends lie against a's segment
    side_b1 = adx * (ry + bdy) - ady * (rx + bdx)
    return bool(((side_a0 * side_a1 < 0) & (side_b0 * side_b1 < 0)).any())


def _coordinates(segments: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(start x, start y, dx, dy) of segments given as (start (S, 2), end (S, 2))."""
    s0, s1 = segments
    return s0[:, 0], s0[:, 1], s1[:, 0] - s0[:, 0], s1[:, 1] - s0[:, 1]


def _point_to_segments(
    px: np.ndarray, py: np.ndarray, x0: np.ndarray, y0: np.ndarray, dx: np.ndarray, dy: np.ndarray
) -> float:
    """The smallest squared distance from points (P,) to segments starting at (x0, y0) along (dx, dy) (S,)."""
    rx, ry = px[:, None] - x0[None, :], py[:, None] - y0[None, :]  # (P, S)
    t = np.clip((rx * dx + ry * dy) / np.maximum(dx * dx + dy * dy, 1e-300), 0.0, 1.0)
    gx, gy = rx - t * dx, ry - t * dy
    return float(np.min(gx * gx + gy * gy))


class _Pieces:
    """Pieces being joined into groups: a union-find over piece indices, each root with its group's bounds."""

    def __init__(self, bounds: list[Bounds], height: float) -> None:
        self.bounds = list(bounds)  # a root's bounds cover its whole group
        self.parent = list(range(len(bounds)))
        self.height = height
        self.dropped: set[int] = set()  # ignored specks: in no digit

    def root(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def join(self, i: int, j: int) -> int:
        a, b = sorted((self.root(i), self.root(j)))
        if a != b:
            self.parent[b] = a
            p, q = self.bounds[a], self.bounds[b]
            self.bounds[a] = [min(p[0], q[0]), min(p[1], q[1]), max(p[2], q[2]), max(p[3], q[3])]
        return a

    def join_all(self) -> None:
        for i in range(1, len(self.parent)):
            self.join(0, i)

    def roots(self) -> list[int]:
        return [i for i in range(len(self.parent)) if self.parent[i] == i and i not in self.dropped]

    def pieces_of(self, root: int) -> list[int]:
        return [i for i in range(len(self.parent)) if self.root(i) == root]

    def split_specks(self, speck: float) -> tuple[list[int], list[int]]:
        """Rule 3: the roots of digit-sized groups, and of specks (none when all would be)."""
        roots = self.roots()
        size = {r: max(self.bounds[r][2] - self.bounds[r][0], self.bounds[r][3] - self.bounds[r][1]) for r in roots}
        specks = [r for r in roots if size[r] < speck * self.height]
        if len(specks) == len(roots):  # nothing but specks (taps, dots): each stands alone, for the recogniser
            return roots, []
        return [r for r in roots if r not in specks], specks

    def stack(self, digits: list[int], stack: float) -> None:
        """Rule 4: join groups overlapping horizontally by ``stack`` of the wider one, until none do."""
        joined = True
        while joined:  # a join widens the bounds, which may then overlap another enough
            joined = False
            kept: list[int] = []
            for r in sorted(digits, key=lambda r: self.bounds[r][0]):
                p = self.bounds[r]
                k = next(
                    (
                        i
                        for i, q in enumerate(kept)
                        if _overlap(p, self.bounds[q]) >= stack * max(_width(p), _width(self.bounds[q]), 1e-12)
                    ),
                    None,
                )
                if k is None:
                    kept.append(r)
                else:
                    kept[k] = self.join(kept[k], r)
                    joined = True
            digits[:] = kept

    def attach_accents(self, digits: list[int], accent: float, reach: float, step: float) -> None:
        """Rule 5: a group lower than ``accent`` joins the tall one it overlaps most, or else the
        nearest within ``reach`` -- the nearest to its right when it is taller than ``step`` (a
        corner or a loop, written before the stem it belongs to, not a bar or a flag)."""
        tall = [r for r in digits if self.bounds[r][3] - self.bounds[r][1] >= accent * self.height]
        if not tall:
            return
        moves = []
        for r in digits:
            if r not in tall:
                overlaps = [(_overlap(self.bounds[r], self.bounds[t]), t) for t in tall]
                overlap, best = max(overlaps)
                after = [o for o in overlaps if self.bounds[o[1]][0] > self.bounds[r][0]]
                is_corner = overlap < 0 and self.bounds[r][3] - self.bounds[r][1] >= step * self.height
                if is_corner and after:  # a two-stroke 4's corner belongs to the stem after it
                    overlap, best = max(after)
                if overlap > -reach * self.height:
                    moves.append((r, best))
        for r, t in moves:
            self.join(r, t)

    def attach_specks(self, specks: list[int], touch: float) -> None:
        """Rule 6: a speck whose centre lies in a group's bounds, grown by ``touch``, joins it; others are dropped."""
        margin = touch * self.height
        homes = [r for r in self.roots() if r not in specks]
        for s in specks:
            x, y = (self.bounds[s][0] + self.bounds[s][2]) / 2, (self.bounds[s][1] + self.bounds[s][3]) / 2
            home = next((d for d in homes if _inside(x, y, self.bounds[d], margin)), None)
            if home is None:
                self.dropped.add(s)
            else:
                self.join(s, home)


def _overlap(p: Bounds, q: Bounds) -> float:
    """How far two pieces' bounds overlap horizontally (negative: the gap between them)."""
    return min(p[2], q[2]) - max(p[0], q[0])


def _width(p: Bounds) -> float:
    return p[2] - p[0]


def _inside(x: float, y: float, bounds: Bounds, margin: float) -> bool:
    return bounds[0] - margin <= x <= bounds[2] + margin and bounds[1] - margin <= y <= bounds[3] + margin
