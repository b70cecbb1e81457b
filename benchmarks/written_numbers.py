"""Numbers written side by side from digits the model never trained on, for ``number_accuracy`` and the tests.

Digits come from MNIST (test or train digits, thinned to skeletons and traced as pen strokes; needs
scikit-image) or from ``pendigits``' hand-written templates; ``numbers`` composes them into the
sets ``number_accuracy.py`` describes.  Nothing here edits ``sys.path``: tests import it as
``benchmarks.written_numbers``, the benchmark scripts as ``written_numbers``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np

from benchmarks import pendigits
from digitgame.recognition import preprocess

NOMINAL_HEIGHT_PX = 120.0  # a digit's height on the canvas; everything else is a share of it
MARGIN_PX = 40.0
SIZE_JITTER = 0.15
BASELINE_JITTER = 0.05
GAPS = {
    "main": (0.15, 0.60),
    "tight": (0.0, 0.15),
    "overhang": (0.15, 0.60),
    "touching": (-0.10, 0.0),
    "cursive": (0.0, 0.30),
}
DIGITS = {"main": (2, 8), "tight": (2, 8), "overhang": (2, 5), "touching": (2, 5), "cursive": (2, 5)}
OVERHANG = (0.1, 0.4)  # how far a 7's bar reaches over the next digit, a share of the height
LINKED = 0.5  # in the cursive set, the share of neighbours written without lifting the pen between them


@dataclass(frozen=True)
class Digit:
    """One hand-written digit: its label and strokes (n_i, 2) in any units, y down."""

    label: int
    strokes: tuple[np.ndarray, ...]

    @property
    def lo(self) -> np.ndarray:
        return np.concatenate(self.strokes).min(axis=0)

    @property
    def hi(self) -> np.ndarray:
        return np.concatenate(self.strokes).max(axis=0)


@dataclass(frozen=True)
class Number:
    """A composed number: its digits' strokes in canvas pixels, the canvas size and the truth."""

    digits: tuple[Digit, ...]
    width: float
    height: float
    links: tuple[int, ...] = ()  # digit i's last stroke runs on into digit i + 1's first: the pen stayed down

    @property
    def text(self) -> str:
        return "".join(str(d.label) for d in self.digits)

    @property
    def strokes(self) -> list[list[list[float]]]:
        """The strokes as the pen drew them: a linked pair's two strokes are one, joined by the
        pen's straight path from the one's end to the other's start."""
        out: list[np.ndarray] = []
        for i, d in enumerate(self.digits):
            first, *rest = d.strokes
            if i - 1 in self.links:
                path = np.linspace(out[-1][-1], first[0], 6)[1:-1]
                out[-1] = np.concatenate([out[-1], path, first])
            else:
                out.append(first)
            out += rest
        return [s.tolist() for s in out]


# --- digit sources --------------------------------------------------------------


def trace(seg: preprocess.Segments) -> tuple[np.ndarray, ...]:
    """A skeleton's segments as pen strokes: one walk per connected piece, back-tracking where it
    branches, so that every segment is drawn (re-rendered, it is the same ink)."""
    ends = np.rint(np.concatenate((seg.starts, seg.starts + seg.deltas)) * 4).astype(np.int64)
    keys, node = np.unique(ends, axis=0, return_inverse=True)
    node = node.ravel()
    a, b = node[: len(seg.starts)], node[len(seg.starts) :]
    neighbours: list[list[int]] = [[] for _ in keys]
    for u, v in zip(a.tolist(), b.tolist(), strict=True):
        neighbours[u].append(v)
        neighbours[v].append(u)
    used: set[tuple[int, int]] = set()
    seen = np.zeros(len(keys), dtype=bool)
    strokes = []
    for start in np.argsort(keys[:, 1], kind="stable").tolist():  # start each piece at its top
        if seen[start]:
            continue
        path, stack = [start], [start]
        seen[start] = True
        while stack:
            u = stack[-1]
            nxt = next((v for v in neighbours[u] if (min(u, v), max(u, v)) not in used), None)
            if nxt is None:
                stack.pop()
                if stack:
                    path.append(stack[-1])
                continue
            used.add((min(u, nxt), max(u, nxt)))
            seen[nxt] = True
            path.append(nxt)
            stack.append(nxt)
        strokes.append(keys[path] / 4.0)
    strokes += [d[None] for d in seg.dots]
    return tuple(strokes)


def mnist_digits(start: int = 0, split: str = "test") -> Iterator[Digit]:
    """MNIST digits of ``split`` as traced skeleton strokes, in order from ``start`` (cycling)."""
    from training import strokestyle
    from training.data import load_mnist

    data = load_mnist()
    x, y = (data.x_test, data.y_test) if split == "test" else (data.x_train, data.y_train)
    for i in range(start, 10**9):
        j = i % len(y)
        seg = strokestyle.skeleton_segments(x[j] / 255.0)
        if len(seg.points()):
            yield Digit(int(y[j]), trace(seg))


def pen_digits(seed: int) -> Iterator[Digit]:
    """Pen-proxy digits, labels and styles at random."""
    rng = np.random.default_rng(seed)
    while True:
        label = int(rng.integers(10))
        _, strokes = pendigits.make_digit(label, rng)
        yield Digit(label, tuple(strokes))


def real_digits(group: str, seed: int) -> Iterator[Digit]:
    """Real writers' pen digits (UNIPEN, ``training/realwriters.py``) of one group, in a shuffled order, cycling."""
    from training import realwriters

    digits = [d for d in realwriters.of_group(realwriters.read_digits(), group) if realwriters.has_extent(d)]
    rng = np.random.default_rng(seed)
    while True:
        for i in rng.permutation(len(digits)):
            yield Digit(digits[i].label, digits[i].strokes)


SOURCES: dict[str, Callable[[int], Iterator[Digit]]] = {
    "MNIST test": mnist_digits,
    "pen proxy": pen_digits,
    "MNIST train": lambda start: mnist_digits(start, "train"),  # for tuning the rules (--sources)
    "real writers (report)": lambda seed: real_digits("report", seed),  # reported, never chose
    "real writers (choosing)": lambda seed: real_digits("choosing", seed),  # for choosing (--sources)
}


# --- composing numbers ----------------------------------------------------------


def place(digit: Digit, height: float, left: float, bottom: float) -> Digit:
    """``digit`` scaled to ``height`` with its box's left edge at ``left`` and bottom at ``bottom``."""
    lo, hi = digit.lo, digit.hi
    scale = height / max(float(hi[1] - lo[1]), 1e-9)
    corner = np.array([lo[0], hi[1]])
    return Digit(digit.label, tuple((s - corner) * scale + (left, bottom) for s in digit.strokes))


def compose(digits: list[Digit], rng: np.random.Generator, gaps: tuple[float, float]) -> Number:
    """Digits side by side: heights +-15 %, baselines +-5 %, gaps from ``gaps`` (shares of the height)."""
    nominal = NOMINAL_HEIGHT_PX
    bottom = MARGIN_PX + (1 + SIZE_JITTER + BASELINE_JITTER) * nominal
    left, placed = MARGIN_PX, []
    for d in digits:
        height = nominal * rng.uniform(1 - SIZE_JITTER, 1 + SIZE_JITTER)
        p = place(d, height, left, bottom + rng.uniform(-BASELINE_JITTER, BASELINE_JITTER) * nominal)
        placed.append(p)
        left = float(p.hi[0]) + rng.uniform(*gaps) * nominal
    return framed(placed)


def framed(digits: list[Digit]) -> Number:
    """The digits on a canvas that holds them with a margin."""
    hi = np.max([d.hi for d in digits], axis=0)
    return Number(tuple(digits), float(hi[0]) + MARGIN_PX, float(hi[1]) + MARGIN_PX)


def with_overhang(number: Number, at: int, rng: np.random.Generator) -> Number:
    """Digit ``at`` (a 7) grows to 115-130 % of the height and its top bar reaches over the next
    digit, which shrinks where needed to stay 10-25 % of the height below the bar."""
    nominal = NOMINAL_HEIGHT_PX
    digits = list(number.digits)
    old = digits[at]
    seven = place(old, nominal * rng.uniform(1.15, 1.3), float(old.lo[0]), float(old.hi[1]))
    shift = float(seven.hi[0] - old.hi[0])  # keep the gaps as they were
    digits[at + 1 :] = [Digit(d.label, tuple(s + np.array([shift, 0.0]) for s in d.strokes)) for d in digits[at + 1 :]]
    points = np.concatenate(seven.strokes)
    top = points[points[:, 1] <= seven.lo[1] + 0.2 * (seven.hi[1] - seven.lo[1])]
    anchor = top[np.argmax(top[:, 0])]  # the right end of the top bar
    end_y = anchor[1] + rng.uniform(-0.03, 0.03) * nominal
    after = digits[at + 1]
    room = float(after.hi[1]) - max(anchor[1], end_y) - rng.uniform(0.1, 0.25) * nominal
    if after.hi[1] - after.lo[1] > room:
        after = digits[at + 1] = place(after, room, float(after.lo[0]), float(after.hi[1]))
    reach = float(after.lo[0]) + min(rng.uniform(*OVERHANG) * nominal, 0.9 * float(after.hi[0] - after.lo[0]))
    digits[at] = Digit(7, (*seven.strokes, np.linspace(anchor, (reach, end_y), 12)))
    return framed(digits)


def numbers(source: Iterator[Digit], count: int, kind: str, seed: int) -> Iterator[Number]:
    """``count`` numbers of the set ``kind`` from the digits of ``source``."""
    rng = np.random.default_rng(seed)
    sevens: list[Digit] = []
    for _ in range(count):
        n = int(rng.integers(DIGITS[kind][0], DIGITS[kind][1] + 1))
        digits = [next(source) for _ in range(n)]
        if kind == "cursive":
            links = [i for i in range(n - 1) if rng.random() < LINKED] or [int(rng.integers(n - 1))]
            yield replace(compose(digits, rng, GAPS[kind]), links=tuple(links))
            continue
        if kind != "overhang":
            yield compose(digits, rng, GAPS[kind])
            continue
        while not sevens:
            d = next(source)
            if d.label == 7:
                sevens.append(d)
        at = int(rng.integers(n - 1))
        digits[at] = sevens.pop()
        yield with_overhang(compose(digits, rng, GAPS[kind]), at, rng)
