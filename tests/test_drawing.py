"""drawing: editing with undo, snapshots, and the drawing as its stroke file."""

from __future__ import annotations

from pathlib import Path

from digitgame.files.strokefile import load_stroke_file
from digitgame.live import drawing as D
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


def test_a_drawing_goes_to_its_stroke_file_and_back(tmp_path):
    d = Drawing(560, 400)
    draw(d, (1.25, 2.5), (3, 4), (10, 20))
    draw(d, (7, 7))
    back = Drawing.from_file(load_stroke_file(d.to_file().save(tmp_path / "x.json")))
    assert (back.width, back.height, back.strokes, back.snapshot()) == (560, 400, d.strokes, d.snapshot())
