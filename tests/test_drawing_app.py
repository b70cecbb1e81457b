"""Drawing methods added for the app: continue_stroke keeps one drag one undo step."""

from __future__ import annotations

import pytest

from digitgame.live.drawing import Drawing


def test_continue_stroke_adds_a_piece_in_the_same_undo_step() -> None:
    d = Drawing(100, 100, [[(1.0, 1.0), (2.0, 2.0)]])
    d.begin_stroke((10, 10))
    d.extend_stroke((20, 20))
    d.end_stroke()
    d.continue_stroke((30, 30))
    d.extend_stroke((40, 40))
    assert d.is_stroke_open and d.strokes[-2:] == [[(10.0, 10.0), (20.0, 20.0)], [(30.0, 30.0), (40.0, 40.0)]]
    assert d.undo() and d.strokes == [[(1.0, 1.0), (2.0, 2.0)]]


def test_continue_stroke_on_a_fresh_drawing_is_still_undoable() -> None:
    d = Drawing(100, 100)
    d.continue_stroke((5, 5))
    assert d.point_count == 1 and d.undo() and d.is_empty


@pytest.mark.slow
def test_a_drawing_stops_growing_where_its_file_could_no_longer_be_opened(tmp_path) -> None:
    from digitgame.files.strokefile import MAX_POINTS, load_stroke_file

    d = Drawing(500, 500)
    d.strokes.append([(float(i % 500), float(i // 500 % 500)) for i in range(MAX_POINTS - 10)])
    assert d.begin_stroke((1.5, 1.5))
    added = sum(d.extend_stroke((2.0 + i, 3.0)) for i in range(100))
    d.end_stroke()
    assert added == 9 and d.point_count == MAX_POINTS and d.is_full
    assert not d.begin_stroke((5.0, 5.0)) and d.point_count == MAX_POINTS
    d.to_file().save(tmp_path / "full.json")
    assert load_stroke_file(tmp_path / "full.json").point_count == MAX_POINTS  # what was made opens again
    d.undo()
    assert not d.is_full and d.begin_stroke((5.0, 5.0))
