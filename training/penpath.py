"""A whole digit as ONE pen-down path: its skeleton walked in writing order, pen-ups joined by straight lines.

Some real input is nothing but that: a tablet or another tool that records a digit as a single
stroke of a handful of points (eight is common), a fast flick of a mouse.  The jumps between
pieces become straight lines, loops become polygons, and a crossed 7 or a 5's bar gains a
connecting line that no MNIST writer drew.  ``pen_path`` orders a digit's skeleton the way a
hand moves (start at the top-left-most end, keep going as straight as the ink allows, jump to
the nearest ink left), ``restyle_path`` adds the styles that real pen digits show and MNIST
lacks, and ``resample`` keeps a handful of points evenly spaced along the whole path.

All coordinates are (x, y) in 28x28 pixel units, y down.
"""

from __future__ import annotations

import math

import numpy as np

from training.strokestyle import UPSAMPLE, skeleton_pixels

_STEPS = np.array([(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx])  # (8, 2) neighbour offsets
_HEADING_SPAN = 3  # the walk's heading is measured over this many pixels back


def pen_path(image: np.ndarray) -> np.ndarray:
    """(28, 28) ink in [0, 1] -> (P, 2) points of one path through its whole skeleton, in drawing order."""
    return path_of(skeleton_pixels(image))


def path_of(skeleton: np.ndarray) -> np.ndarray:
    """A (56, 56) skeleton -> (P, 2) points of one path through all of it, in 28x28 units."""
    return in_units(path_pixels(skeleton))


def path_pixels(skeleton: np.ndarray) -> np.ndarray:
    """A (56, 56) skeleton -> (P, 2) int64 (x, y) of its pixels in the order one path visits them."""
    ys, xs = np.nonzero(skeleton)
    if len(ys) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    index = np.full((skeleton.shape[0] + 2, skeleton.shape[1] + 2), -1, dtype=np.int64)
    index[ys + 1, xs + 1] = np.arange(len(ys))
    neighbours = index[ys[:, None] + 1 + _STEPS[:, 0], xs[:, None] + 1 + _STEPS[:, 1]]  # (N, 8), -1: none
    points = list(zip(xs.tolist(), ys.tolist(), strict=True))
    order = _walk(points, [[n for n in row if n >= 0] for row in neighbours.tolist()])
    return np.column_stack((xs, ys))[order]


def in_units(pixels: np.ndarray) -> np.ndarray:
    """(P, 2) skeleton pixel (x, y) -> their centres in 28x28 units, float64."""
    return (np.asarray(pixels, dtype=np.int64) + 0.5) / UPSAMPLE - 0.5


def _start(points: list[tuple[int, int]], degree: list[int]) -> int:
    """Where a pen would start: the top-left-most end of a line, else the top of a loop."""
    ends = [i for i, d in enumerate(degree) if d == 1] or range(len(points))
    return min(ends, key=lambda i: points[i][1] + 0.5 * points[i][0])


def _walk(points: list[tuple[int, int]], neighbours: list[list[int]]) -> list[int]:
    """Visit every skeleton pixel once: straight on where the ink branches, a jump to the nearest ink when stuck.

    Plain Python on a few hundred pixels: numpy's per-call cost would dominate (measured 10x slower).
    """
    visited = [False] * len(points)
    order = [_start(points, [len(n) for n in neighbours])]
    visited[order[0]] = True
    for _ in range(len(points) - 1):
        here = order[-1]
        options = [n for n in neighbours[here] if not visited[n]]
        if options:
            back = points[order[max(len(order) - 1 - _HEADING_SPAN, 0)]]
            nxt = _straightest(points[here], [points[n] for n in options], back)
            nxt = options[nxt]
        else:  # a pen-up: on to the nearest pixel not yet drawn
            x, y = points[here]
            left = (i for i, v in enumerate(visited) if not v)
            nxt = min(left, key=lambda i: (points[i][0] - x) ** 2 + (points[i][1] - y) ** 2)
        visited[nxt] = True
        order.append(nxt)
    return order


def _straightest(here: tuple[int, int], options: list[tuple[int, int]], back: tuple[int, int]) -> int:
    """Index of the option whose step turns least from the heading ``back`` -> ``here`` (the first, if none yet)."""
    hx, hy = here[0] - back[0], here[1] - back[1]
    if hx == 0 and hy == 0:
        return 0
    cosines = [((x - here[0]) * hx + (y - here[1]) * hy) / math.hypot(x - here[0], y - here[1]) for x, y in options]
    return cosines.index(max(cosines))


EIGHT_POINTS_SHARE = 0.5  # one-stroke digits with exactly eight points (a common tablet format)


def sparse_points(rng: np.random.Generator) -> int:
    """How many points a one-stroke digit keeps: often eight, else five to sixteen."""
    return 8 if rng.random() < EIGHT_POINTS_SHARE else int(rng.integers(5, 17))


def resample(path: np.ndarray, n: int) -> np.ndarray:
    """``n`` points evenly spaced along the whole path, its ends included: (n, 2)."""
    if len(path) < 2:
        return path.copy()
    step = np.hypot(*np.diff(path, axis=0).T)
    arc = np.concatenate(([0.0], np.cumsum(step)))
    s = np.linspace(0.0, arc[-1], n)
    return np.column_stack((np.interp(s, arc, path[:, 0]), np.interp(s, arc, path[:, 1])))


# --- styles real pen digits show ----------------------------------------------


def _height(path: np.ndarray) -> float:
    return float(np.ptp(path[:, 1])) or 1.0


def long_flag(path: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 1 begun with a long straight up-stroke from the lower left to the top of the stem."""
    if path[0, 1] > path[-1, 1]:
        path = path[::-1]  # from the top down
    height = _height(path)
    angle = np.deg2rad(rng.uniform(15, 60))  # above the horizontal
    rise = height * rng.uniform(0.2, 0.55)
    run = min(rise / np.tan(angle), 1.1 * height)
    return np.vstack((path[:1] + np.array([-run, rise]), path))


def foot(path: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 1 finished with a foot, drawn without lifting: left along the base, then right across it."""
    bottom = path[np.argmax(path[:, 1])]
    half = _height(path) * rng.uniform(0.15, 0.3)
    tilt = rng.uniform(-0.05, 0.05) * half
    return np.vstack((path, bottom + np.array([-half, 0.0]), bottom + np.array([half, tilt])))


def crossed_in_one_stroke(path: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 7 crossed without lifting: from the stem's end a small loop, a line up to the bar's left end, the bar."""
    height = _height(path)
    top = path[:, 1].min()
    end = path[-1] if path[-1, 1] >= path[0, 1] else path[0]  # the stem's lower end
    if path[-1, 1] < path[0, 1]:
        path = path[::-1]
    y = top + height * rng.uniform(0.4, 0.6)
    near = path[np.abs(path[:, 1] - y) < 1.0]
    stem_x = float(np.median(near[:, 0])) if len(near) else float(end[0])
    length = height * rng.uniform(0.3, 0.55)
    loop = end + np.array([height * rng.uniform(0.05, 0.2), -height * rng.uniform(0.03, 0.15)])
    left = (stem_x - length * rng.uniform(0.4, 0.6), y + rng.uniform(-0.05, 0.05) * height)
    return np.vstack((path, loop, left, (left[0] + length, left[1] + rng.uniform(-0.08, 0.08) * length)))


def small_loop(path: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A 9 with a small loop on a long stem: the upper part shrunk towards the stem's top."""
    top, height = path[:, 1].min(), _height(path)
    cut = top + height * rng.uniform(0.4, 0.55)
    upper = path[:, 1] < cut
    if upper.sum() < 3:
        return path
    anchor = np.array([path[upper, 0].max(), cut])  # where the loop meets the stem, on the right
    shrunk = path.copy()
    shrunk[upper] = anchor + (path[upper] - anchor) * rng.uniform(0.45, 0.85)
    return shrunk


PATH_STYLE_PROBABILITY = {  # how often each style is given to a one-stroke digit of that class
    "long_flag": 0.5,  # on 1s
    "foot": 0.25,  # on flagged 1s
    "crossed": 0.35,  # on 7s
    "small_loop": 0.4,  # on 9s
}


def restyle_path(path: np.ndarray, label: int, rng: np.random.Generator) -> np.ndarray:
    """Give a one-stroke digit of class ``label`` a style real pen digits show, at random."""
    p = PATH_STYLE_PROBABILITY
    if len(path) < 2:
        return path
    if label == 1 and rng.random() < p["long_flag"]:
        path = long_flag(path, rng)
        if rng.random() < p["foot"]:
            path = foot(path, rng)
    elif label == 7 and rng.random() < p["crossed"]:
        path = crossed_in_one_stroke(path, rng)
    elif label == 9 and rng.random() < p["small_loop"]:
        path = small_loop(path, rng)
    return path


# --- whole digits drawn from scratch, in styles MNIST lacks --------------------
# load_digits' writers (and many European ones) make 9s and 1s that no MNIST skeleton restyles
# into: a 9 with a small loop of three or four straight sides on a long stem that may hook to the
# left, and a 1 with a long flag and a foot.  Drawn here as one path in a box 20 units high.

_HEIGHT = 20.0


def angular_nine(rng: np.random.Generator) -> np.ndarray:
    """A 9: a small angular loop begun at its top right, drawn counter-clockwise, sometimes left open, then a long stem.

    The loop has four sides (left along the top, down, right along the bottom, back up) or three
    (its left side a single corner); the stem runs down from the loop's right side, straight or
    slightly bowed, and half the time ends in a hook to the left along the bottom.
    """
    h = _HEIGHT
    loop_h = h * rng.uniform(0.28, 0.5)
    loop_w = loop_h * rng.uniform(0.7, 1.4)
    start = np.array([loop_w, rng.uniform(-0.1, 0.15) * loop_h])
    low_right = np.array([loop_w * rng.uniform(0.85, 1.15), loop_h * rng.uniform(0.8, 1.05)])
    if rng.random() < 0.6:  # four sides
        corners = [(0.0, rng.uniform(0.0, 0.25) * loop_h), (rng.uniform(-0.15, 0.25) * loop_w, loop_h)]
    else:  # three: the left side is one corner
        corners = [(rng.uniform(-0.1, 0.1) * loop_w, rng.uniform(0.35, 0.65) * loop_h)]
    closing = 1.0 if rng.random() < 0.6 else rng.uniform(0.35, 0.85)  # how far the last side gets back up
    join = low_right + closing * (start - low_right)
    foot_x = low_right[0] + rng.uniform(-0.05, 0.3) * h
    bow = rng.uniform(-0.06, 0.06) * h
    middle = (low_right + np.array([foot_x, h])) / 2 + np.array([bow, 0.0])
    points = [start, *corners, low_right, join, middle]
    if rng.random() < 0.5:  # the stem hooks to the left along the bottom
        reach = h * rng.uniform(0.15, 0.5)
        lift = rng.uniform(0, 0.12) * h
        points += [(foot_x - 0.02 * h, 0.93 * h), (foot_x - 0.15 * reach, h), (foot_x - reach, h - lift)]
    else:
        points.append((foot_x, h))
    return np.array(points, dtype=np.float64)


def european_one(rng: np.random.Generator) -> np.ndarray:
    """A 1 begun with a long flag up to the top of its stem, the stem down, and sometimes a short foot.

    The foot is short, centred under the stem and drawn a third of the time, and the stem leans
    little: a long foot, or one to the right, is a narrow 2's base, and with them the model read
    narrow 2s of ``load_digits``' first half as 1s (docs/training.md, "Measured choices").
    """
    h = _HEIGHT
    top = np.array([rng.uniform(-0.05, 0.15) * h, 0.0])  # upright or leaning a little right
    angle = np.deg2rad(rng.uniform(20, 60))  # the flag below the horizontal
    flag = top + np.array([-np.cos(angle), np.sin(angle)]) * h * rng.uniform(0.25, 0.5)
    bottom = np.array([0.0, h])
    path = np.vstack((flag, top, bottom))
    if rng.random() < 0.3:
        half = h * rng.uniform(0.08, 0.2)
        tilt = rng.uniform(-0.03, 0.03) * h
        path = np.vstack((path, bottom + np.array([-half, 0.0]), bottom + np.array([half, tilt])))
    return path


def narrow_two(rng: np.random.Generator) -> np.ndarray:
    """A narrow 2: a small hook over the top, a line down to the lower left, a base to the right.

    Not in the committed mix (``augment.SCRATCH_LABELS``; never trained on): written to keep the
    flagged 1s above apart from narrow 2s -- a 2's top curls over to the right and its base runs
    right from the line's end, a 1's flag rises to the stem's top.
    """
    h = _HEIGHT
    w = h * rng.uniform(0.35, 0.7)
    shoulder = np.array([w, rng.uniform(0.1, 0.3) * h])
    turn = np.array([w * rng.uniform(0.75, 1.05), rng.uniform(0.35, 0.5) * h])
    corner = np.array([rng.uniform(-0.05, 0.35) * w, h])
    base = corner + np.array([rng.uniform(0.6, 1.2) * w, rng.uniform(-0.05, 0.05) * h])
    start = np.array([rng.uniform(-0.1, 0.15) * w, rng.uniform(0.1, 0.35) * h])
    return np.vstack((start, (0.45 * w, 0.0), shoulder, turn, corner, base))


_FROM_SCRATCH = {1: european_one, 2: narrow_two, 9: angular_nine}


def from_scratch(label: int, rng: np.random.Generator) -> np.ndarray:
    """A digit of class ``label`` (1, 2 or 9) drawn from scratch, densely resampled so that a warp can bend it."""
    return resample(_FROM_SCRATCH[label](rng), 40)
