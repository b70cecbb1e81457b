"""training/realwriters.py and realpen.py: real writers' pen digits, their fixed groups, and their use in training."""

from __future__ import annotations

import gzip
import json
import os
import string
from collections import Counter

import numpy as np
import pytest

from training import realpen, realwriters
from training.recipe import RECIPE


@pytest.fixture(scope="module")
def digits():
    """Every pen digit of the development half."""
    return realwriters.read_digits()


def test_the_data_is_the_development_half_as_its_readme_describes_it(digits):
    assert len(digits) == 6373 and len({d.writer for d in digits}) == 252 and len({d.source for d in digits}) == 11
    assert Counter(d.label for d in digits).keys() == set(range(10))
    assert all(s.ndim == 2 and s.shape[1] == 2 and len(s) for d in digits for s in d.strokes)
    assert "Creative Commons Attribution 4.0" in (realwriters.FOLDER / "README.md").read_text(encoding="utf-8")


def test_every_writer_is_in_exactly_one_group_and_the_report_group_spans_the_sources(digits):
    groups = realwriters.groups(letters_only=None)
    assert set(groups) == {"training", "choosing", "report"}
    writers = {d.writer for d in digits}
    assert sum(len(g) for g in groups.values()) == len(writers) == len(set().union(*groups.values()))
    assert set().union(*groups.values()) == writers
    report_sources = {d.source for d in digits if d.writer in groups["report"]}
    assert report_sources == {d.source for d in digits}  # every institution is in the report group
    assert 0.15 < len(groups["report"]) / len(writers) < 0.25


def test_the_committed_groups_are_the_rule_they_were_made_by(digits):
    listed = json.loads(realwriters.GROUPS_FILE.read_text(encoding="utf-8"))
    assert {name: listed[name] for name in realwriters.GROUPS} == realwriters.make_groups(digits)


def test_letters_are_the_ones_like_no_digit_and_their_writers_are_in_one_group_each(digits):
    letters = realwriters.read_letters()
    assert {d.letter for d in letters} == set(realwriters.UNLIKE_DIGITS) and {d.label for d in letters} == {10}
    digit_groups, groups = realwriters.groups(letters_only=None), realwriters.groups()
    for name in realwriters.GROUPS:  # a writer of digits keeps their group; the others are added
        assert digit_groups[name] <= groups[name]
        assert not (groups[name] & set().union(*(groups[o] for o in realwriters.GROUPS if o != name)))
    assert {d.writer for d in letters} <= set().union(*groups.values())
    listed = json.loads(realwriters.LETTER_GROUPS_FILE.read_text(encoding="utf-8"))
    writers_of_digits = {d.writer for d in digits}
    every_letter = realwriters.read_letters(only=string.ascii_letters)
    made = realwriters.make_groups(d for d in every_letter if d.writer not in writers_of_digits)
    assert {name: listed[name] for name in realwriters.GROUPS} == made  # the same dealing rule


def test_a_digit_on_the_canvas_keeps_its_shape_and_fills_the_share_asked(digits):
    d = digits[0]
    placed = realwriters.on_canvas(d.strokes, 560, 0.6)
    points, original = np.concatenate([np.array(s) for s in placed]), np.concatenate(d.strokes)
    extent = np.ptp(points, axis=0)
    assert max(extent) == pytest.approx(336) and points.min() >= 0 and points.max() <= 560
    np.testing.assert_allclose(extent / max(extent), np.ptp(original, axis=0) / np.ptp(original, axis=0).max())
    assert [len(s) for s in placed] == [len(s) for s in d.strokes]


def test_one_stroke_joins_the_pen_ups_and_spaces_the_points_evenly():
    strokes = [[(0.0, 0.0), (0.0, 10.0)], [(10.0, 10.0), (10.0, 0.0)]]
    (path,) = realwriters.one_stroke(strokes, 4)
    np.testing.assert_allclose(path, [(0, 0), (0, 10), (10, 10), (10, 0)])
    (path,) = realwriters.one_stroke(strokes, 7)
    steps = np.hypot(*np.diff(np.array(path), axis=0).T)
    np.testing.assert_allclose(steps, 5.0)


def test_training_pen_digits_are_normalised_and_varied_through_the_stroke_path(digits):
    pen, labels = realpen.training_set(realwriters.of_group(digits, "training"), limit=40)
    assert len(pen) == 40 and labels.tolist() == [d.label for d in realwriters.of_group(digits, "training")[:40]]
    for points, counts in pen:
        assert counts.sum() == len(points) and np.ptp(points, axis=0).max() == pytest.approx(realpen.BOX_UNITS)
    images, image_labels = realpen.augmented(pen, labels, np.random.default_rng(0), RECIPE)
    repeats = RECIPE.pen_repeats
    assert images.shape == (40 * repeats, 28, 28) and image_labels.tolist() == labels.tolist() * repeats
    assert images.dtype == np.float32 and images.min() >= 0 and images.max() <= 1
    assert (images.reshape(len(images), -1).max(axis=1) > 0.5).all()  # every variation has ink


def test_thinning_keeps_every_stroke_s_ends():
    points = np.arange(20, dtype=np.float64).reshape(10, 2)
    kept, counts = realpen.thinned(points, np.array([7, 3]), 3)
    assert counts.tolist() == [3, 2]
    np.testing.assert_array_equal(kept, points[[0, 3, 6, 7, 9]])


def test_the_files_are_parsed_once_and_what_a_caller_gets_cannot_change_what_the_next_one_gets(tmp_path):
    rows = [{"label": 3, "writer": "w1", "source": "S", "checked": True, "strokes": [[[0, 0], [1, 5]]]}]
    path = tmp_path / "digits.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    first, again = realwriters.read_digits(path), realwriters.read_digits(path)
    assert first is not again and first[0] is again[0]  # one parse, a list of one's own
    first.pop()
    assert len(realwriters.read_digits(path)) == 1
    with pytest.raises(ValueError):
        again[0].strokes[0][0, 0] = 9.0  # read-only: the next caller gets the file's strokes
    rows.append({**rows[0], "label": 7})
    path.write_bytes(gzip.compress("".join(json.dumps(r) + "\n" for r in rows).encode()))
    os.utime(path, ns=(1, 1))  # another time: the file is read again, even when its size would not tell
    assert [d.label for d in realwriters.read_digits(path)] == [3, 7]
