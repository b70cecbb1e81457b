"""drawing: editing with undo, and the stroke file -- every bad file gets one clear line."""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitgame.live import drawing as D
from digitgame.live.drawing import Drawing, StrokeFileError, load_drawing, parse_drawing

GOOD = {"format": "digitgame-strokes", "version": 1, "width": 560, "height": 400, "strokes": [[[1, 2], [3.5, 4]]]}


def write(tmp_path: Path, content: str | bytes, name: str = "d.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return path


def draw(d: Drawing, *points: tuple[float, float]) -> None:
    d.begin_stroke(points[0])
    for p in points[1:]:
        d.extend_stroke(p)
    d.end_stroke()


# --- editing ------------------------------------------------------------------


def test_undo_removes_exactly_the_last_stroke():
    d = Drawing(100, 100)
    draw(d, (1, 1), (2, 2))
    draw(d, (5, 5), (6, 6), (7, 7))
    before = d.snapshot()[:1]
    assert d.undo()
    assert d.snapshot() == before
    assert d.undo() and d.is_empty and not d.undo()


def test_clear_is_undoable_and_empty_clear_is_a_no_op():
    d = Drawing(100, 100)
    assert not d.clear()
    draw(d, (1, 1), (9, 9))
    kept = d.snapshot()
    assert d.clear() and d.is_empty
    assert d.undo() and d.snapshot() == kept


def test_extend_without_pen_down_does_nothing():
    d = Drawing(100, 100)
    assert not d.extend_stroke((3, 3))
    assert d.is_empty


def test_erase_splits_strokes_and_undoes_as_one_step():
    d = Drawing(100, 100)
    draw(d, *[(float(x), 50.0) for x in range(0, 100, 10)])
    assert d.erase((50, 50), 6, new_step=True)
    assert d.erase((60, 50), 6, new_step=False)
    assert [len(s) for s in d.strokes] == [5, 3]
    assert d.undo() and len(d.strokes) == 1 and len(d.strokes[0]) == 10


def test_undo_history_is_bounded():
    d = Drawing(100, 100)
    for i in range(D.UNDO_LIMIT + 50):
        draw(d, (i, 0), (i, 1))
    undone = 0
    while d.undo():
        undone += 1
    assert undone == D.UNDO_LIMIT


# --- the stroke file -------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path):
    d = Drawing(560, 400)
    draw(d, (1.25, 2.5), (3, 4), (10, 20))
    draw(d, (7, 7))
    path = d.save(tmp_path / "x.json")
    back = load_drawing(path)
    assert (back.width, back.height, back.snapshot()) == (560, 400, d.snapshot())
    assert json.loads(path.read_text())["format"] == "digitgame-strokes"


def test_save_is_atomic_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    d = Drawing(560, 400)
    draw(d, (1, 1), (2, 2))
    path = d.save(tmp_path / "x.json")
    old = path.read_bytes()

    def broken(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(D.json, "dumps", lambda *a, **k: "{" + "x" * 100)  # a different payload ...
    monkeypatch.setattr(os, "fsync", broken)  # ... that never reaches the disk
    with pytest.raises(OSError):
        d.save(path)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]  # no temporary file left behind


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("", "empty"),
        ("   \n", "empty"),
        ("{nope", "not valid JSON"),
        ("[1, 2]", "not a digitgame stroke file"),
        ('{"format": "other"}', "not a digitgame stroke file"),
        (json.dumps({**GOOD, "version": 2}), "version"),
        (json.dumps({**GOOD, "version": True}), "version"),
        (json.dumps({**GOOD, "width": 0}), '"width" must be between'),
        (json.dumps({**GOOD, "height": -5}), '"height" must be between'),
        (json.dumps({**GOOD, "width": "560"}), '"width" must be a number'),
        (json.dumps({**GOOD, "width": True}), '"width" must be a number'),
        (json.dumps({**GOOD, "strokes": {}}), '"strokes" must be a list'),
        (json.dumps({**GOOD, "strokes": [5]}), "stroke 0 must be a list"),
        (json.dumps({**GOOD, "strokes": [[[1]]]}), "point 0 of stroke 0"),
        (json.dumps({**GOOD, "strokes": [[["1", 2]]]}), "point 0 of stroke 0"),
        (json.dumps({**GOOD, "strokes": [[[1, 2], [1e300, 2]]]}), "far outside the canvas"),
        ('{"format": "digitgame-strokes", "version": 1, "width": NaN, "height": 1, "strokes": []}', "NaN"),
        ('{"format": "digitgame-strokes", "version": 1, "width": 5, "height": 5, "strokes": [[[Infinity, 1]]]}', "Infinity"),
        ('{"format": "digitgame-strokes", "version": 1, "width": 5, "height": 5, "strokes": [[[1e999, 1]]]}', "stroke 0"),
        (json.dumps({**GOOD, "strokes": [[[10**400, 1]]]}), "stroke 0"),
        ("[" * 100_000, "not"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(StrokeFileError) as err:
        load_drawing(path)
    message = str(err.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_too_many_points(tmp_path, monkeypatch):
    monkeypatch.setattr(D, "MAX_POINTS", 1000)
    path = write(tmp_path, json.dumps({**GOOD, "strokes": [[[i, i] for i in range(600)]] * 2}))
    with pytest.raises(StrokeFileError, match="too many points"):
        load_drawing(path)


def test_tens_of_thousands_of_points_load_and_recognise(tmp_path, recognizer):
    pts = [[280 + 200 * math.cos(i / 500), 280 + 200 * math.sin(i / 700)] for i in range(40_000)]
    drawing = load_drawing(write(tmp_path, json.dumps({**GOOD, "width": 560, "height": 560, "strokes": [pts]})))
    assert recognizer.drawing(drawing).digit is not None


def test_zero_strokes_is_an_empty_drawing_not_an_error(tmp_path, recognizer):
    drawing = load_drawing(write(tmp_path, json.dumps({**GOOD, "strokes": []})))
    assert drawing.is_empty and recognizer.drawing(drawing).is_empty


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(StrokeFileError, match="no such file"):
        load_drawing(tmp_path / "absent.json")
    with pytest.raises(StrokeFileError, match="is a folder"):
        load_drawing(tmp_path)


# --- fuzzing: whatever the file holds, a result or one line ---------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=6), inner, max_size=5),
    max_leaves=30,
)
numbers = st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True))
points = st.lists(st.one_of(st.tuples(numbers, numbers).map(list), json_values), max_size=30)
stroke_files = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["digitgame-strokes", "x"]),
        "version": st.sampled_from([1, 1, 1, 2, "1", None]),
        "width": st.one_of(numbers, json_values),
        "height": st.one_of(numbers, json_values),
        "strokes": st.one_of(st.lists(points, max_size=6), json_values),
    }
)


def check_result_or_one_line(recognizer, obj) -> None:
    try:
        drawing = parse_drawing(obj, "fuzz.json")
    except StrokeFileError as exc:
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
        return
    prediction = recognizer.drawing(drawing)
    assert prediction.is_empty or 0 <= prediction.digit <= 9


@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stroke_files)
def test_fuzz_structured_stroke_files(recognizer, obj):
    check_result_or_one_line(recognizer, obj)


@settings(max_examples=1500, deadline=None)
@given(json_values)
def test_fuzz_arbitrary_json(recognizer, obj):
    check_result_or_one_line(recognizer, obj)


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(tmp_path_factory, recognizer, raw):
    path = tmp_path_factory.mktemp("fuzz") / "f.json"
    path.write_bytes(raw)
    try:
        drawing = load_drawing(path)
    except StrokeFileError as exc:
        assert "\n" not in str(exc)
    else:
        recognizer.drawing(drawing)


def test_undo_history_shares_unchanged_strokes():
    """Each undo step costs a reference per stroke, not a copy of every point."""
    d = Drawing(100, 100)
    for i in range(50):
        draw(d, *[(i, y) for y in range(100)])
    first, second = d._history[-2], d._history[-1]
    assert all(a is b for a, b in zip(first, second[: len(first)], strict=False))


def test_snapshot_follows_every_kind_of_edit():
    d = Drawing(100, 100)
    draw(d, (0, 0), (1, 1))
    d.begin_stroke((5, 5))
    assert d.snapshot() == (((0, 0), (1, 1)), ((5, 5),))
    d.extend_stroke((6, 6))
    assert d.snapshot()[-1] == ((5, 5), (6, 6))
    d.end_stroke()
    d.erase((0, 0), 0.5, new_step=True)
    assert d.snapshot() == (((1, 1),), ((5, 5), (6, 6)))
    d.undo()
    assert d.snapshot() == (((0, 0), (1, 1)), ((5, 5), (6, 6)))
    d.clear()
    assert d.snapshot() == ()


def test_saved_files_get_the_usual_permissions(tmp_path):
    d = Drawing(10, 10)
    path = d.save(tmp_path / "new.json")
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
