"""strokefile: the stroke file round trip, atomic saves -- and every bad file gets one clear line."""

from __future__ import annotations

import errno
import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from digitgame.files import strokefile as S
from digitgame.files.strokefile import StrokeFileError, load_stroke_file, parse_stroke_file
from digitgame.live.drawing import Drawing

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


# --- the stroke file -------------------------------------------------------------


def test_save_and_load_round_trip(tmp_path):
    d = Drawing(560, 400)
    draw(d, (1.25, 2.5), (3, 4), (10, 20))
    draw(d, (7, 7))
    path = d.to_file().save(tmp_path / "x.json")
    back = load_stroke_file(path)
    assert (back.width, back.height, back.strokes) == (560, 400, d.snapshot())
    assert json.loads(path.read_text())["format"] == "digitgame-strokes"


def test_save_is_atomic_a_failed_write_leaves_the_old_file(tmp_path, monkeypatch):
    d = Drawing(560, 400)
    draw(d, (1, 1), (2, 2))
    path = d.to_file().save(tmp_path / "x.json")
    old = path.read_bytes()

    def broken(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(S.json, "dumps", lambda *a, **k: "{" + "x" * 100)  # a different payload ...
    monkeypatch.setattr(os, "fsync", broken)  # ... that never reaches the disk
    with pytest.raises(OSError):
        d.to_file().save(path)
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
        (
            '{"format": "digitgame-strokes", "version": 1, "width": 5, "height": 5, "strokes": [[[Infinity, 1]]]}',
            "Infinity",
        ),
        (
            '{"format": "digitgame-strokes", "version": 1, "width": 5, "height": 5, "strokes": [[[1e999, 1]]]}',
            "stroke 0",
        ),
        (json.dumps({**GOOD, "strokes": [[[10**400, 1]]]}), "stroke 0"),
        ("[" * 100_000, "not"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
    ],
)
def test_bad_files_get_one_clear_line(tmp_path, content, problem):
    path = write(tmp_path, content)
    with pytest.raises(StrokeFileError) as err:
        load_stroke_file(path)
    message = str(err.value)
    assert message.startswith(str(path)) and problem in message and "\n" not in message


def test_too_many_points(tmp_path, monkeypatch):
    monkeypatch.setattr(S, "MAX_POINTS", 1000)
    path = write(tmp_path, json.dumps({**GOOD, "strokes": [[[i, i] for i in range(600)]] * 2}))
    with pytest.raises(StrokeFileError, match="too many points"):
        load_stroke_file(path)


def test_tens_of_thousands_of_points_load_and_recognise(tmp_path, recognizer):
    pts = [[280 + 200 * math.cos(i / 500), 280 + 200 * math.sin(i / 700)] for i in range(40_000)]
    drawing = load_stroke_file(write(tmp_path, json.dumps({**GOOD, "width": 560, "height": 560, "strokes": [pts]})))
    reading = recognizer.read_drawing(drawing)
    assert reading.number is not None or reading.is_not_a_digit  # an answer: this scribble is no digit


def test_zero_strokes_is_an_empty_drawing_not_an_error(tmp_path, recognizer):
    drawing = load_stroke_file(write(tmp_path, json.dumps({**GOOD, "strokes": []})))
    assert drawing.is_empty and recognizer.read_drawing(drawing).is_empty


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(StrokeFileError, match="no such file"):
        load_stroke_file(tmp_path / "absent.json")
    with pytest.raises(StrokeFileError, match="is a folder"):
        load_stroke_file(tmp_path)


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
        drawing = parse_stroke_file(obj, "fuzz.json")
    except StrokeFileError as exc:
        assert str(exc).startswith("fuzz.json: ") and "\n" not in str(exc)
        return
    reading = recognizer.read_drawing(drawing)
    # every part is answered: a digit 0-9, or "not a digit" (an answer too, never a part left empty)
    assert reading.is_empty or all(
        d.prediction.is_not_a_digit if d.prediction.digit is None else 0 <= d.prediction.digit <= 9
        for d in reading.digits
    )


@pytest.mark.slow
@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stroke_files)
@example({"format": "digitgame-strokes", "version": 1, "width": 1, "height": 1, "strokes": [[[0, 0], [1, 1]]]})
def test_fuzz_structured_stroke_files(recognizer, obj):
    check_result_or_one_line(recognizer, obj)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None)
@given(json_values)
def test_fuzz_arbitrary_json(recognizer, obj):
    check_result_or_one_line(recognizer, obj)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_fuzz_arbitrary_bytes(tmp_path_factory, recognizer, raw):
    path = tmp_path_factory.mktemp("fuzz") / "f.json"
    path.write_bytes(raw)
    try:
        drawing = load_stroke_file(path)
    except StrokeFileError as exc:
        assert "\n" not in str(exc)
    else:
        recognizer.read_drawing(drawing)


def test_saved_files_get_the_usual_permissions(tmp_path):
    d = Drawing(10, 10)
    path = d.to_file().save(tmp_path / "new.json")
    plain = tmp_path / "plain.json"
    plain.write_text("{}")
    assert path.stat().st_mode & 0o777 == plain.stat().st_mode & 0o777
