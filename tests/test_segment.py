"""segment: ink -> digit groups. Each rule on a hand-built case, properties on composed numbers, references from scipy."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks import written_numbers as na
from digitgame.commands import selftest
from digitgame.files import paths
from digitgame.recognition import segment

H = 100.0  # the height of every hand-built digit below, in canvas px


def stick(x: float, top: float = 0.0, height: float = H) -> list[list[float]]:
    return [[x, top], [x + 2, top + height]]


def line(x0: float, y0: float, x1: float, y1: float, n: int = 10) -> list[list[float]]:
    return np.linspace((x0, y0), (x1, y1), n).tolist()


def loop(cx: float, cy: float, rx: float, ry: float) -> list[list[float]]:
    t = np.linspace(0, 2 * np.pi, 40)
    return np.column_stack((cx + rx * np.cos(t), cy + ry * np.sin(t))).tolist()


def parts(strokes) -> list[tuple[int, ...]]:
    return [g.parts for g in segment.group_strokes(strokes)]


def box_of(points) -> tuple[float, float, float, float]:
    p = np.asarray(points, dtype=float).reshape(-1, 2)
    lo, hi = p.min(axis=0), p.max(axis=0)
    return (lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])


# --- each rule --------------------------------------------------------------------


def test_nothing_and_empty_strokes_make_no_group():
    assert segment.group_strokes([]) == []
    assert segment.group_strokes([[], []]) == []


def test_one_stroke_is_one_group_boxed_by_its_points():
    s = loop(50, 50, 30, 50)
    (group,) = segment.group_strokes([[], s])
    assert group.parts == (1,) and group.box == pytest.approx(box_of(s)) and not group.is_wide


def test_digits_far_apart_are_read_left_to_right_whatever_the_drawing_order():
    assert parts([stick(200), stick(0), loop(100, 50, 25, 50)]) == [(1,), (2,), (0,)]


def test_crossing_strokes_are_one_digit():  # a 4: the stem crosses the bar
    assert parts([line(60, 0, 0, 65) + line(0, 65, 70, 65), stick(55, 20, 80)]) == [(0, 1)]


def test_a_stem_that_nearly_touches_its_loop_joins_it():  # a 9 drawn in two strokes, 5 % apart
    assert parts([loop(30, 25, 28, 25), stick(63, 5, 95)]) == [(0, 1)]


def test_a_corner_just_after_a_digit_joins_the_stem_to_its_right():  # "24", the 4 in two strokes, 5 % apart
    two = [[0, 20], [30, 0], [60, 20], [0, 100], [60, 100]]
    corner, stem = line(66, 0, 62, 60) + line(62, 60, 100, 60), stick(104, 0, 100)
    assert parts([two, corner, stem]) == [(0,), (1, 2)]
    without = segment.group_strokes(
        [two, corner, stem], segment.Rules(step=9.0)
    )  # the rule off: the corner joins the 2
    assert without[0].parts[:2] == (0, 1)


def test_a_short_corner_between_two_digits_joins_the_stem_after_it():  # "44", the second 4's corner low
    first = line(60, 0, 0, 65) + line(0, 65, 70, 65), stick(55, 0, 100)  # a 4 whose stem crosses its bar
    corner, stem = line(80, 10, 76, 50) + line(76, 50, 100, 50), stick(110, 10, 90)  # 40 % of H, 4 % from the 4
    assert parts([*first, corner, stem]) == [(0, 1), (2, 3)]
    without = segment.group_strokes([*first, corner, stem], segment.Rules(step=9.0))  # the rule off
    assert without[0].parts == (0, 1, 2)


def test_two_tall_digits_side_by_side_stay_apart_even_when_close():  # "11", 5 % of the height apart
    assert parts([stick(0), stick(7)]) == [(0,), (1,)]


def test_two_digits_that_touch_are_one_group():  # not split: the documented limit
    (group,) = segment.group_strokes([loop(30, 50, 30, 50), stick(58)])
    assert group.parts == (0, 1)


def test_a_dot_between_digits_is_ignored_and_a_dot_inside_a_digit_joins_it():
    strokes = [loop(30, 50, 30, 50), [[80.0, 98.0]], stick(120), [[121.0, 40.0], [123.0, 41.0]]]
    assert parts(strokes) == [(0,), (2, 3)]


def test_taps_alone_are_kept_so_that_the_recogniser_can_call_them_too_small():
    assert parts([[[5.0, 5.0]]]) == [(0,)]
    assert sorted(m for g in parts([[[5.0, 5.0]], [[9.0, 6.0]], [[30.0, 5.0]]]) for m in g) == [0, 1, 2]


def test_stacked_pieces_are_one_digit():  # an 8 of two loops that do not touch
    assert parts([loop(30, 22, 22, 22), loop(30, 75, 28, 24), stick(150)]) == [(0, 1), (2,)]


@pytest.mark.parametrize(
    "accent",
    [
        line(20, -8, 70, -10),  # a 5's hat floating above its body
        line(-5, 108, 45, 108),  # a 1's foot below its stem
        line(-25, 35, 13, 3),  # a 1's flag left of its stem, not touching
        line(20, 45, 55, 47),  # a 7's crossbar
    ],
)
def test_an_accent_joins_its_digit_and_not_the_next(accent):
    body = [stick(20), stick(25, 50, 50)]
    assert parts([*body, stick(140), accent]) == [(0, 1, 3), (2,)]


def test_a_seven_whose_bar_overhangs_the_next_digit_keeps_its_bar():
    seven = [line(0, 0, 150, 0), line(60, 0, 20, H)]  # the bar reaches 40 px over the 4
    four = [line(140, 20, 110, 70) + line(110, 70, 170, 70), stick(160, 25, 75)]
    assert parts([*seven, *four]) == [(0, 1), (2, 3)]


def test_a_group_much_wider_than_a_digit_is_flagged():
    touching = [loop(30, 50, 30, 50), line(60, 50, 100, 50), loop(130, 50, 30, 50)]  # 1.6 times as wide as high
    groups = segment.group_strokes([*touching, stick(400)])
    assert [g.is_wide for g in groups] == [True, False]


def test_bad_points_are_a_value_error():
    for bad in ([[[0.0, float("nan")]]], [[[0.0, 1.0, 2.0]]], [[["a", 1]]]):
        with pytest.raises(ValueError):
            segment.group_strokes(bad)


def test_a_huge_scribble_of_taps_is_handled_quickly(rng):
    taps = [[p] for p in (rng.random((100_000, 2)) * (5000, 300)).tolist()]
    groups = segment.group_strokes(taps)
    assert sum(len(g.parts) for g in groups) <= len(taps)


# --- shipped drawings and composed numbers --------------------------------------------


DIGIT_CASES = [c for c in selftest.find_cases(paths.asset_path("selftest")) if c.expected.isdigit()]


@pytest.mark.parametrize("case", DIGIT_CASES, ids=lambda c: c.path.name)
def test_every_self_test_drawing_of_digits_splits_into_its_digits(case):
    strokes = json.loads(case.path.read_text())["strokes"]
    assert len(segment.group_strokes(strokes)) == len(case.expected)


def digit_of_each_stroke(number: na.Number) -> np.ndarray:
    return np.repeat(np.arange(len(number.digits)), [len(d.strokes) for d in number.digits])


def split_right(number: na.Number, groups: list[segment.Group]) -> bool:
    owner = digit_of_each_stroke(number)
    return [sorted(set(owner[list(g.parts)])) for g in groups] == [[i] for i in range(len(number.digits))]


def pen_numbers(count: int, seed: int, kind: str = "main") -> list[na.Number]:
    return list(na.numbers(na.pen_digits(seed), count, kind, seed))


def test_pen_numbers_with_gaps_split_into_their_digits():
    numbers = pen_numbers(300, 11)
    wrong = [n.text for n in numbers if not split_right(n, segment.group_strokes(n.strokes))]
    assert len(wrong) <= 3, wrong  # 1 %: the benchmark's target; it measures the rate on thousands


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), scale=st.floats(0.05, 20.0), dx=st.floats(-1e4, 1e4), dy=st.floats(-1e4, 1e4))
def test_the_split_is_the_same_at_any_size_and_place(seed, scale, dx, dy):
    (number,) = pen_numbers(1, seed)
    moved = [(np.array(s) * scale + (dx, dy)).tolist() for s in number.strokes]
    expected = [g.parts for g in segment.group_strokes(number.strokes)]
    assert [g.parts for g in segment.group_strokes(moved)] == expected


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 10_000), order_seed=st.integers(0, 10_000))
def test_the_drawing_order_does_not_matter(seed, order_seed):
    (number,) = pen_numbers(1, seed, "tight")
    order = np.random.default_rng(order_seed).permutation(len(number.strokes))
    shuffled = [number.strokes[i] for i in order]
    expected = {frozenset(g.parts) for g in segment.group_strokes(number.strokes)}
    assert {frozenset(order[list(g.parts)].tolist()) for g in segment.group_strokes(shuffled)} == expected


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_groups_are_disjoint_boxed_by_their_ink_and_in_reading_order(seed):
    (number,) = pen_numbers(1, seed, "tight")
    groups = segment.group_strokes(number.strokes)
    taken = [m for g in groups for m in g.parts]
    assert len(taken) == len(set(taken)) and all(list(g.parts) == sorted(g.parts) for g in groups)
    for g in groups:
        x, y, w, h = g.box
        inside = box_of([p for m in g.parts for p in number.strokes[m]])
        assert x <= inside[0] + 1e-9 and y <= inside[1] + 1e-9
        assert x + w >= inside[0] + inside[2] - 1e-9 and y + h >= inside[1] + inside[3] - 1e-9
    centres = [g.box[0] + g.box[2] / 2 for g in groups]
    assert centres == sorted(centres)


@pytest.mark.slow
def test_numbers_of_mnist_test_digits_split_into_their_digits(mnist):
    pytest.importorskip("skimage")
    source = na.mnist_digits(start=5000)
    failures = [
        n.text for n in na.numbers(source, 40, "main", 3) if len(segment.group_strokes(n.strokes)) != len(n.text)
    ]
    assert len(failures) <= 1, failures  # the benchmark measures the rate on thousands


# --- images ---------------------------------------------------------------------------


def contact_only(height_px: float) -> segment.Rules:
    """Rules that keep only rule 1, on a one-pixel grid: plain 8-connected components."""
    return segment.Rules(contact=0.5 / height_px, touch=0.0, speck=0.0, stack=2.0, accent=0.0, wide=1e9)


def test_image_pieces_are_scipys_8_connected_components(rng):
    ndimage = pytest.importorskip("scipy.ndimage")
    mask = rng.random((40, 60)) < 0.1
    mask[0, 0] = mask[-1, 0] = True  # the ink spans the whole height: H = 40 px, one-pixel cells
    groups, cells = segment.group_ink(mask.astype(np.float32), contact_only(40))
    labels = cells.crop((0, 0, mask.shape[1], mask.shape[0]))  # (H, W): one-pixel cells
    reference, count = ndimage.label(mask, structure=np.ones((3, 3)))
    assert len(groups) == count
    pairs = set(zip(labels[mask].tolist(), reference[mask].tolist(), strict=True))
    assert len(pairs) == count  # the same partition of the ink pixels
    assert (labels[~mask] == -1).all()


def test_an_image_of_a_number_splits_into_its_digits(mnist):
    digits = [mnist.x_test[i] for i in range(8)]
    row = np.concatenate([np.pad(d, ((4, 4), (3, 3))) for d in digits], axis=1) / 255.0
    big = np.kron(row, np.ones((4, 4)))  # (144, 1088): digits about 80 px tall, 24 px apart
    groups, cells = segment.group_ink(big.astype(np.float32))
    labels = np.where(big > 0, cells.crop((0, 0, big.shape[1], big.shape[0])), -1)  # (H, W) each ink pixel's group
    assert len(groups) == len(digits)
    for n, g in enumerate(groups):
        x, y, w, h = (int(v) for v in g.box)
        assert x // (34 * 4) == n  # each group lies in its own digit's column, in order
        ys, xs = np.nonzero(labels == n)
        assert (xs.min(), ys.min(), xs.max() + 1, ys.max() + 1) == (x, y, x + w, y + h)


def test_components_match_scipys_connected_components(rng):
    csgraph = pytest.importorskip("scipy.sparse.csgraph")
    sparse = pytest.importorskip("scipy.sparse")
    n = 300
    a, b = rng.integers(0, n, 250), rng.integers(0, n, 250)
    label = segment._components(n, a, b)
    _, reference = csgraph.connected_components(sparse.coo_matrix((np.ones(250), (a, b)), shape=(n, n)), directed=False)
    assert len(set(zip(label.tolist(), reference.tolist(), strict=True))) == len(set(reference.tolist()))
    assert len(set(label.tolist())) == len(set(reference.tolist()))


def test_a_number_drawn_as_hundreds_of_tiny_strokes_splits_the_same():  # the grid path, beyond MAX_PAIRWISE
    (number,) = pen_numbers(1, 5)
    tiny, owner = [], []
    for d, digit in enumerate(number.digits):
        for s in digit.strokes:
            pieces = [s[i : i + 2].tolist() for i in range(len(s) - 1)] or [s.tolist()]
            tiny += pieces
            owner += [d] * len(pieces)
    assert len(tiny) > segment.MAX_PAIRWISE
    owner_of = np.array(owner)
    groups = segment.group_strokes(tiny)
    assert [sorted(set(owner_of[list(g.parts)])) for g in groups] == [[i] for i in range(len(number.digits))]


def test_a_thousand_bars_close_together_are_one_digit_quickly():
    bars = [line(0, 3.0 * i, 200 + (i % 7), 3.0 * i, 2) for i in range(1000)]  # wider than the pairwise limit
    (group,) = segment.group_strokes(bars)
    assert len(group.parts) == 1000
