"""training/touching.py: pieces of two or three real writers' digits written into each other, "not a digit"."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("scipy")

from digitgame.recognition.splitting import SPLITTING
from training import realpen, realwriters, touching
from training.recipe import RECIPE


@pytest.fixture(scope="module")
def pen() -> realpen.PenDigits:
    return realpen.training_set(realwriters.of_group(realwriters.read_digits(), "training"), limit=40)[0]


def ring(points: int = 24) -> tuple[np.ndarray, np.ndarray]:
    """A 0 as one stroke: 12 units wide, 20 tall."""
    t = np.linspace(0, 2 * np.pi, points)
    return np.column_stack((10 + 6 * np.cos(t), 14 + 10 * np.sin(t))), np.array([points])


def test_a_piece_is_two_or_three_digits_side_by_side_touching_or_overlapping():
    rng = np.random.default_rng(5)
    sizes = set()
    for _ in range(60):
        points, counts = touching.piece([ring()], rng)
        digits = np.split(points, len(counts))  # each ring is one stroke
        sizes.add(len(digits))
        heights = np.array([np.ptp(d[:, 1]) for d in digits])
        assert np.all(np.abs(np.log(heights / realpen.BOX_UNITS)) <= touching.SIZE + 1e-9)
        for a, b in itertools.pairwise(digits):
            gap = (b[:, 0].min() - a[:, 0].max()) / realpen.BOX_UNITS
            assert touching.GAP[0] - 1e-9 <= gap <= touching.GAP[1] + 1e-9
    assert sizes == {2, 3}


def test_pieces_are_broad_enough_to_be_cut_and_read_through_the_stroke_path(pen):
    rng = np.random.default_rng(0)
    images = touching.touching(pen, 40, rng, RECIPE)
    assert images.shape == (40, 28, 28) and images.dtype == np.float32
    for image in images:
        rows, cols = np.nonzero(image > 0.2)
        assert len(rows)  # every one made
        assert np.ptp(cols) + 2 >= SPLITTING.broad * np.ptp(rows)  # as broad as splitting needs (the pen adds width)
    again = touching.touching(pen, 40, np.random.default_rng(0), RECIPE)
    np.testing.assert_array_equal(images, again)


def test_digits_too_narrow_to_make_a_broad_piece_give_blank_images_not_a_hang():
    stem = (np.array([[10.0, 4.0], [10.3, 24.0]]), np.array([2]))  # a 1: twenty tall, a third of a unit wide
    images = touching.touching([stem], 5, np.random.default_rng(1), RECIPE)
    assert images.shape == (5, 28, 28) and not images.any()


def ink_left_of(points: np.ndarray, counts: np.ndarray, c: float) -> float:
    """The reference: each stroke sampled finely, the length of its ink at x < c."""
    total, start = 0.0, 0
    for count in counts:
        stroke = points[start : start + count]
        start += count
        for a, b in itertools.pairwise(stroke):
            t = np.linspace(0.0, 1.0, 20_001)
            mid = a + np.outer((t[1:] + t[:-1]) / 2, b - a)
            total += float(np.linalg.norm(b - a)) * float(np.mean(mid[:, 0] < c))
    return total


def test_a_stroke_clipped_at_a_line_keeps_exactly_its_ink_on_that_side():
    rng = np.random.default_rng(2)
    points = np.cumsum(rng.normal(0, 3, size=(30, 2)), axis=0) + 12
    counts = np.array([12, 18])
    for c in (8.0, 12.0, 15.5):
        left, left_counts = touching.clipped(points, counts, c, left=True)
        right, right_counts = touching.clipped(points, counts, c, left=False)
        assert np.all(left[:, 0] <= c + 1e-9) and np.all(right[:, 0] >= c - 1e-9)
        assert left_counts.sum() == len(left) and right_counts.sum() == len(right)
        whole = touching._ink(points, counts)
        assert touching._ink(left, left_counts) == pytest.approx(ink_left_of(points, counts, c), abs=1e-2 * whole)
        assert touching._ink(left, left_counts) + touching._ink(right, right_counts) == pytest.approx(whole)


def four() -> tuple[np.ndarray, np.ndarray]:
    """A two-stroke 4: its corner, then its stem."""
    corner = np.array([[6.0, 4.0], [4.0, 16.0], [16.0, 16.0]])
    stem = np.array([[13.0, 6.0], [13.0, 24.0]])
    return np.concatenate((corner, stem)), np.array([3, 2])


def test_a_mixed_part_is_one_digit_with_some_but_not_all_of_the_other_ones_strokes(monkeypatch):
    monkeypatch.setattr(touching, "MIXED_BY_STROKES", 1.0)
    rng = np.random.default_rng(4)
    seen = 0
    for _ in range(50):
        part = touching.mixed_part([ring(), four()], rng)
        if part is None:
            continue
        points, counts = part
        seen += 1
        assert counts.sum() == len(points)
        assert 1 + 1 <= len(counts) <= 2 + 1  # a whole ring or 4, and one stroke of the other 4
        width, height = np.ptp(points, axis=0)
        assert width >= touching.MIXED_NARROWEST * height
    assert seen > 5


def test_mixed_parts_are_read_through_the_stroke_path_the_same_for_a_seed(pen):
    images = touching.mixed(pen, 30, np.random.default_rng(0), RECIPE)
    assert images.shape == (30, 28, 28) and images.dtype == np.float32
    assert all(image.max() > 0.2 for image in images)  # every one made
    np.testing.assert_array_equal(images, touching.mixed(pen, 30, np.random.default_rng(0), RECIPE))


def test_digits_that_can_only_make_a_narrow_mix_give_blank_images_not_a_hang():
    stem = (np.array([[10.0, 4.0], [10.3, 24.0]]), np.array([2]))
    images = touching.mixed([stem], 5, np.random.default_rng(1), RECIPE)
    assert images.shape == (5, 28, 28) and not images.any()
