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
