"""training/penpath.py: a digit's skeleton walked as one pen path, resampled to a handful of points."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("skimage")

from training import penpath
from training.strokestyle import UPSAMPLE, skeleton_pixels


def test_the_path_visits_every_skeleton_pixel_once(mnist):
    for raw in mnist.x_test[:20]:
        skeleton = skeleton_pixels(raw / 255.0)
        path = penpath.path_of(skeleton)
        pixels = np.rint((path + 0.5) * UPSAMPLE - 0.5).astype(int)  # back to (x, y) skeleton pixels
        assert len(path) == skeleton.sum()
        assert {tuple(p) for p in pixels} == {(x, y) for y, x in zip(*np.nonzero(skeleton), strict=True)}


def test_a_line_is_walked_from_its_top_end_in_unit_steps():
    image = np.zeros((28, 28), dtype=np.float32)
    image[4:24, 13:15] = 1.0  # a thick vertical bar: its skeleton is one line
    path = penpath.pen_path(image)
    steps = np.abs(np.diff(path, axis=0)).max(axis=1)
    assert path[0, 1] < path[-1, 1] and (steps <= 1.0 / UPSAMPLE + 1e-9).all()


def test_pieces_apart_are_joined_by_one_jump_to_the_nearest():
    image = np.zeros((28, 28), dtype=np.float32)
    image[4:6, 4:24] = 1.0  # a bar on top
    image[14:16, 4:24] = 1.0  # another below: a pen-up between them
    path = penpath.pen_path(image)
    jumps = np.hypot(*np.diff(path, axis=0).T) > 1.0
    assert jumps.sum() == 1


def test_resample_spaces_points_evenly_along_the_whole_path():
    path = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 5.0]])
    points = penpath.resample(path, 4)
    np.testing.assert_allclose(points, [[0, 0], [5, 0], [10, 0], [10, 5]])


def test_a_long_flag_rises_from_the_lower_left_to_the_stem_top():
    stem = np.column_stack((np.full(21, 14.0), np.linspace(4, 24, 21)))
    for seed in range(20):
        flagged = penpath.long_flag(stem, np.random.default_rng(seed))
        run, rise = stem[0] - flagged[0]
        assert run > 0 and rise < 0  # starts left of and below the top
        assert 15 <= np.degrees(np.arctan2(-rise, run)) <= 60.5 and 0.2 * 20 <= -rise <= 0.55 * 20


def test_a_seven_crossed_in_one_stroke_ends_with_its_bar():
    seven = np.array([[6.0, 4.0], [20.0, 4.0], [12.0, 24.0]])
    path = penpath.crossed_in_one_stroke(seven, np.random.default_rng(0))
    bar = path[-2:]
    assert len(path) == len(seven) + 3 and bar[1, 0] > bar[0, 0]
    assert 4 + 0.3 * 20 < bar[:, 1].mean() < 4 + 0.7 * 20  # across the middle of the stem


def test_a_small_loop_shrinks_only_the_top_of_a_nine(mnist):
    nine = penpath.pen_path(mnist.x_test[7] / 255.0)  # MNIST test digit 7 is a 9
    assert mnist.y_test[7] == 9
    small = penpath.small_loop(nine, np.random.default_rng(0))
    lower = nine[:, 1] > nine[:, 1].min() + 0.55 * np.ptp(nine[:, 1])
    np.testing.assert_array_equal(small[lower], nine[lower])  # the stem stays
    assert np.ptp(small[~lower, 0]) < np.ptp(nine[~lower, 0])  # the loop narrows


def test_a_nine_from_scratch_starts_its_loop_at_the_top_right_and_ends_on_a_long_stem():
    for seed in range(30):
        nine = penpath.angular_nine(np.random.default_rng(seed))
        height = np.ptp(nine[:, 1])
        assert nine[0, 0] > nine[1, 0]  # the loop's first side runs left: counter-clockwise on screen
        assert nine[0, 1] - nine[:, 1].min() < 0.2 * height  # begun at the top
        assert nine[3:, 1].max() > 0.85 * height  # the stem reaches the bottom, well below the loop


def test_a_one_from_scratch_has_its_flag_below_and_left_of_the_stem_top():
    for seed in range(30):
        one = penpath.european_one(np.random.default_rng(seed))
        flag, top = one[0], one[1]
        assert flag[0] < top[0] and flag[1] > top[1] and top[1] == one[:, 1].min()
        if len(one) > 3:  # the foot: short and about centred under the stem's end
            assert abs(one[3:, 0].mean() - one[2, 0]) < 0.1 * 20


def test_digits_from_scratch_are_dense_paths_for_each_class_drawn():
    for label in (1, 2, 9):
        path = penpath.from_scratch(label, np.random.default_rng(label))
        assert path.shape == (40, 2) and np.isfinite(path).all()
