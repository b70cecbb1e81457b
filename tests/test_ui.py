"""The UI rooms on their own: layout, coordinates and clipping, ink rendering, pen, keys, text."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # headless, before pygame starts
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import itertools
import math

import numpy as np
import pygame
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitgame.live.drawing import Drawing
from digitgame.recognition.model import INPUT_SIDE_PX
from digitgame.ui import theme
from digitgame.ui.actions import Action, action_for_key, with_buttons
from digitgame.ui.canvas import CanvasView, InkCanvas, clip_segment, stamp_segment
from digitgame.ui.layout import CANVAS_MAX_ASPECT, button_row, compute_layout
from digitgame.ui.panel import preview_surface
from digitgame.ui.pen import Edit, Pen
from digitgame.ui.scenes.draw import DRAW_BINDINGS
from digitgame.ui.scenes.practice import ROUND_BINDINGS, SUMMARY_BINDINGS
from digitgame.ui.scenes.sums_keys import BINDINGS as SUMS_BINDINGS
from digitgame.ui.scenes.taught import TAUGHT_BINDINGS
from digitgame.ui.shell import SHELL_BINDINGS

BINDINGS = (*DRAW_BINDINGS, *SHELL_BINDINGS)
BUTTONS = with_buttons(DRAW_BINDINGS)


@pytest.fixture(scope="module", autouse=True)
def pygame_video():
    """Surfaces and fonts need pygame's video and font modules (headless)."""
    pygame.display.init()
    pygame.font.init()
    pygame.display.set_mode((64, 64))
    yield
    pygame.display.quit()


# --- layout ---------------------------------------------------------------------------

sizes = st.tuples(st.integers(320, 4096), st.integers(240, 2400))


@given(sizes)
@settings(max_examples=300, deadline=None)
def test_layout_fits_the_window_without_overlaps(size: tuple[int, int]) -> None:
    layout = compute_layout(*size)
    window = pygame.Rect(0, 0, *size)
    blocks = [layout.header, layout.canvas, layout.panel, *button_row(layout.toolbar, len(BUTTONS), layout.button_gap)]
    assert all(window.contains(r) for r in blocks)
    assert (
        layout.canvas.height > 0
        and layout.canvas.height <= layout.canvas.width <= CANVAS_MAX_ASPECT * layout.canvas.height
    )
    for a, b in itertools.combinations(blocks, 2):
        assert not a.colliderect(b)
    inner = layout.inner
    for r in (inner.digit, inner.info, inner.preview, inner.bars):
        assert layout.panel.contains(r)
    assert inner.preview.width % INPUT_SIDE_PX == 0 and not inner.preview.colliderect(inner.info)
    assert inner.row_height * 10 <= inner.bars.height


@pytest.mark.parametrize("size", [(800, 600), (1600, 1000), (3840, 2160)])
def test_the_drawing_area_gets_most_of_a_landscape_window(size: tuple[int, int]) -> None:
    layout = compute_layout(*size)
    assert layout.canvas.width >= 0.7 * size[1]
    assert layout.canvas.right < layout.panel.left and layout.panel.width >= 0.5 * layout.canvas.width


def test_portrait_windows_stack_the_panel_below() -> None:
    layout = compute_layout(600, 1000)
    assert layout.panel.top > layout.canvas.bottom and layout.panel.left == layout.canvas.left


@given(st.integers(1, 300), st.integers(1, 300))
@settings(max_examples=100, deadline=None)
def test_tiny_windows_still_get_a_layout(w: int, h: int) -> None:
    layout = compute_layout(w, h)
    buttons = button_row(layout.toolbar, len(BUTTONS), layout.button_gap)
    assert layout.canvas.width >= 1 and len(buttons) == len(BUTTONS) and all(b.width >= 1 for b in buttons)


def test_text_and_pen_scale_with_the_window() -> None:
    small, large = (compute_layout(*s) for s in ((800, 600), (3840, 2160)))
    assert large.text_px > small.text_px and large.pen_width_px > small.pen_width_px
    assert large.pen_width_px / large.canvas.height == pytest.approx(small.pen_width_px / small.canvas.height)


# --- coordinates and clipping ---------------------------------------------------------------

# No subnormals: a delta of 5e-324 underflows to 0 in the test's own sampling below, not in clip_segment.
coords = st.floats(-500, 1500, allow_nan=False, allow_subnormal=False)


@given(st.tuples(coords, coords), st.tuples(coords, coords))
@settings(max_examples=500, deadline=None)
def test_clip_segment_keeps_exactly_the_inside_part(a: tuple[float, float], b: tuple[float, float]) -> None:
    w, h = 1000.0, 600.0
    clipped = clip_segment(a, b, w, h)
    samples = [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for t in np.linspace(0, 1, 201)]
    inside = [p for p in samples if 0 <= p[0] <= w and 0 <= p[1] <= h]
    if clipped is None:
        assert len(inside) <= 1  # at most a grazing touch between samples
        return
    (x0, y0), (x1, y1) = clipped
    assert all(0 <= x <= w and 0 <= y <= h for x, y in clipped)  # exactly, despite rounding
    if len(inside) >= 2:  # the clipped piece spans every inside sample
        length = math.dist((x0, y0), (x1, y1))
        assert length + 1e-6 >= math.dist(inside[0], inside[-1]) - 1e-6


def test_view_round_trip_and_letterboxing() -> None:
    view = CanvasView((100, 50, 400, 400), 300.0, 200.0)  # a wide drawing in a square area
    assert view.scale == pytest.approx(400 / 300)
    rect, area = view.canvas_rect(), pygame.Rect(view.area)
    assert area.contains(rect) and (rect.left, rect.width) == (area.left, area.width)
    assert abs((rect.top - area.top) - (area.bottom - rect.bottom)) <= 1  # centred
    assert rect.height == pytest.approx(200 * view.scale, abs=1)
    for pos in [(100, 120), (320, 200), (499, 300)]:
        x, y = view.to_window(view.to_canvas(pos))
        assert (x, y) == pytest.approx((pos[0] + 0.5, pos[1] + 0.5))
    assert view.contains((300, 250)) and not view.contains((300, 55))


# --- ink ------------------------------------------------------------------------------------


def reference_stamp(shape: tuple[int, int], a: tuple[float, float], b: tuple[float, float], r: float) -> np.ndarray:
    """Coverage from the exact distance of each pixel centre to the segment, pixel by pixel."""
    out = np.zeros(shape, dtype=np.uint8)
    for x in range(shape[0]):
        for y in range(shape[1]):
            px, py = x + 0.5, y + 0.5
            dx, dy = b[0] - a[0], b[1] - a[1]
            t = (
                0.0
                if dx == dy == 0
                else min(1.0, max(0.0, ((px - a[0]) * dx + (py - a[1]) * dy) / (dx * dx + dy * dy)))
            )
            d = math.hypot(px - a[0] - t * dx, py - a[1] - t * dy)
            out[x, y] = round(min(1.0, max(0.0, r + 0.5 - d)) * 255)
    return out


@pytest.mark.parametrize(
    ("a", "b", "r"),
    [((10.2, 12.7), (30.5, 25.1), 4.0), ((20.0, 20.0), (20.0, 20.0), 6.5), ((-3.0, 5.0), (12.0, 39.5), 2.2)],
)
def test_stamped_ink_matches_the_exact_distance(a: tuple[float, float], b: tuple[float, float], r: float) -> None:
    alpha = np.zeros((40, 40), dtype=np.uint8)
    stamp_segment(alpha, a, b, r)
    assert np.abs(alpha.astype(int) - reference_stamp(alpha.shape, a, b, r)).max() <= 1


def test_drawing_stroke_by_stroke_gives_the_same_pixels_as_one_redraw() -> None:
    rng = np.random.default_rng(3)
    drawing = Drawing(240, 240)
    ink = InkCanvas()
    ink.configure(CanvasView((0, 0, 120, 120), 240, 240), 5.0, show_grid=True)
    for _ in range(4):
        drawing.begin_stroke(tuple(rng.uniform(0, 240, 2)))
        ink.sync(drawing)
        for _ in range(15):
            drawing.extend_stroke(tuple(rng.uniform(0, 240, 2)))
            ink.sync(drawing)
        drawing.end_stroke()
    assert ink.full_renders == 1
    live = pygame.surfarray.array3d(ink.surface)
    ink.invalidate()
    ink.sync(drawing)
    assert ink.full_renders == 2
    assert np.array_equal(live, pygame.surfarray.array3d(ink.surface))


def test_undo_and_grid_changes_redraw_everything() -> None:
    drawing = Drawing(100, 100)
    for a, b in (((10, 10), (90, 90)), ((10, 90), (90, 10))):
        drawing.begin_stroke(a)
        drawing.extend_stroke(b)
    ink = InkCanvas()
    view = CanvasView((0, 0, 100, 100), 100, 100)
    ink.configure(view, 3.0, show_grid=False)
    ink.sync(drawing)
    assert drawing.undo()
    ink.sync(drawing)  # a new strokes list: redrawn without being told
    one_stroke = pygame.surfarray.array3d(ink.surface)
    assert one_stroke[75, 25].tolist() == list(theme.PAPER)  # the undone diagonal is gone
    ink.configure(view, 3.0, show_grid=True)
    ink.sync(drawing)
    assert not np.array_equal(one_stroke, pygame.surfarray.array3d(ink.surface))


def test_a_huge_scribble_is_drawn_with_the_fast_path() -> None:
    rng = np.random.default_rng(0)
    strokes = [[tuple(p) for p in rng.uniform(0, 500, (50, 2))] for _ in range(200)]  # 10,000 points
    ink = InkCanvas()
    ink.configure(CanvasView((0, 0, 300, 300), 500, 500), 4.0, show_grid=False)
    ink.sync(Drawing(500, 500, strokes))
    assert (pygame.surfarray.array3d(ink.surface) == theme.INK).all(axis=2).sum() > 1000


def test_the_clean_copy_has_no_grid() -> None:
    ink = InkCanvas()
    ink.configure(CanvasView((0, 0, 80, 80), 80, 80), 3.0, show_grid=True)
    ink.sync(Drawing(80, 80))
    assert (pygame.surfarray.array3d(ink.clean_copy()) == theme.PAPER).all()
    assert not (pygame.surfarray.array3d(ink.surface) == theme.PAPER).all()


def test_preview_enlarges_with_crisp_pixels() -> None:
    image = np.random.default_rng(1).uniform(0, 1, (28, 28)).astype(np.float32)
    side = 28 * 5
    pixels = pygame.surfarray.array3d(preview_surface(image, side))[:, :, 0]  # (x, y)
    expected = np.round(image * 255).astype(np.uint8).T.repeat(5, axis=0).repeat(5, axis=1)
    assert np.abs(pixels.astype(int) - expected).max() <= 1


# --- pen --------------------------------------------------------------------------------------


def test_pen_strokes_clip_at_the_edge_and_resume_in_one_undo_step() -> None:
    drawing = Drawing(100, 100)
    pen = Pen(drawing)
    assert pen.down("m", (50, 50), erasing=False) is Edit.GREW
    pen.move("m", (150, 50))  # leaves on the right
    assert drawing.strokes == [[(50.0, 50.0), (100.0, 50.0)]]
    assert pen.move("m", (150, 80)) is Edit.NONE  # outside: nothing
    pen.move("m", (50, 80))  # comes back
    assert drawing.strokes[1] == [(100.0, 80.0), (50.0, 80.0)]
    pen.up("m")
    assert drawing.undo() and drawing.is_empty


def test_pen_ignores_a_second_pointer_and_downs_off_the_canvas() -> None:
    drawing = Drawing(100, 100)
    pen = Pen(drawing)
    assert pen.down("m", (-5, 50), erasing=False) is Edit.NONE
    pen.down(1, (10, 10), erasing=False)
    assert pen.down(2, (20, 20), erasing=False) is Edit.NONE
    assert pen.move(2, (30, 30)) is Edit.NONE and not pen.up(2)
    pen.move(1, (40, 40))
    assert drawing.strokes == [[(10.0, 10.0), (40.0, 40.0)]]


def test_eraser_drag_is_one_undo_step_even_when_it_starts_on_paper() -> None:
    drawing = Drawing(100, 100, [[(float(x), 50.0) for x in range(0, 101, 2)]])
    before = drawing.snapshot()
    pen = Pen(drawing)
    pen.eraser_radius = 5
    assert pen.down("m", (50, 10), erasing=True) is Edit.NONE  # nothing under it yet
    assert pen.move("m", (50, 90)) is Edit.RESHAPED  # fast move: interpolated through the line
    pen.up("m")
    assert len(drawing.strokes) == 2
    assert drawing.undo() and drawing.snapshot() == before


# --- keys ------------------------------------------------------------------------------------------


def test_every_key_maps_to_its_action_and_ctrl_matters() -> None:
    for binding in BINDINGS:
        for chord in binding.chords:
            mod = pygame.KMOD_LCTRL if chord.ctrl else pygame.KMOD_LSHIFT
            assert action_for_key(BINDINGS, chord.key, mod) is binding.action
            if chord.ctrl:
                assert action_for_key(BINDINGS, chord.key, pygame.KMOD_LMETA) is binding.action  # Cmd on macOS
    assert action_for_key(BINDINGS, pygame.K_c, pygame.KMOD_LCTRL) is None  # copying does not clear
    assert action_for_key(BINDINGS, pygame.K_z) is None and action_for_key(BINDINGS, pygame.K_s) is None
    every_scene = (
        BINDINGS,
        (*ROUND_BINDINGS, *SHELL_BINDINGS),
        (*SUMMARY_BINDINGS, *SHELL_BINDINGS),
        TAUGHT_BINDINGS,
        *((*sums, *SHELL_BINDINGS) for sums in SUMS_BINDINGS.values()),
    )
    assert {b.action for bindings in every_scene for b in bindings} == set(Action)  # every action is reachable
    for bindings in every_scene:  # and within a scene no key means two things
        assert len({c for b in bindings for c in b.chords}) == sum(len(b.chords) for b in bindings)


# --- text -------------------------------------------------------------------------------------------


@given(st.text(min_size=0, max_size=80), st.integers(20, 400))
@settings(max_examples=100, deadline=None)
def test_fitted_and_wrapped_text_stays_within_the_width(text: str, width: int) -> None:
    fonts = theme.Fonts()
    font = fonts.font(18)
    fitted = fonts.fit(text, 18, width)
    assert font.size(fitted)[0] <= width or len(fitted) <= 2
    for line in fonts.wrap(text, 18, width):
        assert font.size(line)[0] <= width or len(line) <= 2


def test_digit_font_size_gives_the_asked_height() -> None:
    fonts = theme.Fonts()
    for height in (40, 150, 400):
        glyph = fonts.render("8", fonts.size_for_digit_height(height), theme.TEXT).get_bounding_rect()
        assert abs(glyph.height - height) <= max(3, 0.04 * height)


def test_a_narrow_tile_shows_its_note_short_rather_than_cut() -> None:
    from digitgame.ui.number_row import note_that_fits

    fonts = theme.Fonts()
    width = fonts.font(12).size("100")[0] + 2  # "100%" does not fit, "100" does
    assert note_that_fits(fonts, ("100%", "100"), 12, width) == "100"
    assert note_that_fits(fonts, ("100%", "100"), 12, 400) == "100%"


def test_a_caption_too_wide_for_beside_the_digit_breaks_at_its_colon_then_its_comma_rather_than_being_cut() -> None:
    from digitgame.ui.panel import lines_beside_digit

    fonts = theme.Fonts()
    caption = "not sure: 4, or not a digit?"
    width_of = fonts.font(14).size
    assert lines_beside_digit(fonts, caption, 14, width_of(caption)[0]) == [caption]
    assert lines_beside_digit(fonts, caption, 14, width_of("4, or not a digit?")[0]) == [
        "not sure:",
        "4, or not a digit?",
    ]
    narrow = width_of("or not a digit?")[0]
    lines = lines_beside_digit(fonts, caption, 14, narrow)
    assert lines == ["not sure: 4,", "or not a digit?"] and all(width_of(ln)[0] <= narrow for ln in lines)
    narrower = width_of("not sure:")[0]
    assert lines_beside_digit(fonts, caption, 14, narrower)[:2] == ["not sure:", "4,"]
    assert lines_beside_digit(fonts, "not sure: 4 or 9?", 14, width_of("4 or 9?")[0]) == ["not sure:", "4 or 9?"]


def test_a_number_caption_too_wide_for_one_line_takes_two_where_there_is_room_its_clauses_apart() -> None:
    from digitgame.ui.number_row import lines_under_tiles

    fonts = theme.Fonts()
    words = "the 3rd of 3 parts is not a digit; not sure where digits divide"
    part, where = "the 3rd of 3 parts is not a digit", "not sure where digits divide"
    width_of = fonts.font(14).size
    assert lines_under_tiles(fonts, words, 14, width_of(words)[0], below=400) == [words]
    narrow = width_of(part)[0]
    assert lines_under_tiles(fonts, words, 14, narrow, below=narrow) == [part, where]
    # beside the tiles there is room for the shorter clause only: the longer goes below, where it is wider
    assert lines_under_tiles(fonts, words, 14, width_of(where)[0], below=narrow) == [where, part]
    (one,) = lines_under_tiles(fonts, words, 14, narrow, below=0)  # no room below the tiles: one line, cut to fit
    assert width_of(one)[0] <= narrow and one != words
    lines = lines_under_tiles(fonts, "not sure: 4 or 9, 1 or not a digit, 7 or 1?", 14, 90, below=90)
    assert len(lines) == 2 and all(width_of(ln)[0] <= 90 for ln in lines)
