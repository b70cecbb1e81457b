"""Drawing methods added for the app: continue_stroke keeps one drag one undo step."""

from __future__ import annotations

from digitgame.drawing import Drawing


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
