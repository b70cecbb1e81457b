"""The desktop app, headless: events in, drawing / answer / pixels out, with the committed model."""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # headless, before pygame starts
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import json
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pygame
import pytest
from driver import Driver, line, mouse

from digitgame.app import Settings
from digitgame.files.strokefile import load_stroke_file
from digitgame.live.drawing import Drawing
from digitgame.live.verdict import ModelStatus, Tone
from digitgame.recognition.predictor import Outputs, load_predictor
from digitgame.ui import theme
from digitgame.ui.actions import Action, with_buttons
from digitgame.ui.layout import compute_layout
from digitgame.ui.scenes.draw import DRAW_BINDINGS

ROOT = Path(__file__).resolve().parent.parent
WINDOW = (1024, 768)
PREDICTION_LINE = re.compile(
    r"^prediction digit=(\d|none) confidence=\d\.\d{3} ms=\d+\.\d live=[01] button_down=[01]$", re.M
)


@pytest.fixture
def make_app(tmp_path: Path, predictor) -> Iterator:  # type: ignore[no-untyped-def]
    """Build apps on a fixed-size window with the committed model; closes them afterwards."""
    apps: list[Driver] = []

    def make(**settings: object) -> Driver:
        source = settings.pop("predictor", predictor)
        drawing = settings.pop("drawing", None)
        base: dict[str, object] = {"is_fullscreen": False, "window_size": WINDOW, "save_dir": tmp_path / "saves"}
        base.update(settings)
        app = Driver(Settings(**base), source, drawing)  # type: ignore[arg-type]
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.close()


@pytest.fixture
def app(make_app) -> Driver:  # type: ignore[no-untyped-def]
    """A ready app with the model loaded."""
    a: Driver = make_app()
    assert a.wait_for_model()
    return a


# --- live recognition -------------------------------------------------------------


def test_vertical_stroke_is_recognised_as_1_while_the_button_is_held(app: Driver) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)), release=False)
    assert app.wait_for_reading()
    assert app.is_drawing
    assert app.prediction is not None and app.prediction.digit == 1
    assert any(ln.startswith("prediction digit=1 ") and ln.endswith("button_down=1") for ln in app.log.lines)


def test_what_the_model_gets_is_the_drawing_on_screen(app: Driver, recognizer) -> None:  # type: ignore[no-untyped-def]
    app.drag(line((0.3, 0.25), (0.7, 0.25)) + line((0.7, 0.25), (0.45, 0.8)))
    assert app.wait_for_reading()
    expected = recognizer.read_drawing(app.drawing.to_file()).single
    assert app.shown is not None
    assert app.prediction.probabilities == pytest.approx(expected.probabilities, abs=1e-6)
    assert np.array_equal(app.prediction.image, expected.image)


def test_ink_appears_under_the_pointer(app: Driver) -> None:
    assert app.ink_pixels() == 0
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    x, y = app.at(0.5, 0.5)
    assert app.screen.get_at((x, y))[:3] == theme.INK
    assert app.screen.get_at(app.at(0.2, 0.5))[:3] != theme.INK
    assert app.ink_pixels() > 0


def test_the_28x28_view_shows_the_models_input(app: Driver) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    app.run_frames(2)
    box = app.layout.inner.preview
    scale = box.width // 28
    shown = pygame.surfarray.pixels3d(app.screen)[box.left : box.right : scale, box.top : box.bottom : scale, 0]
    image = app.prediction.image  # type: ignore[union-attr]
    assert np.abs(shown.T.astype(int) - np.round(image * 255).astype(int)).max() <= 1


def test_empty_canvas_shows_no_guess(app: Driver) -> None:
    app.run_frames(3)
    assert app.prediction is not None and app.prediction.is_empty
    assert app.bars[1] == [0.0] * 10
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    app.key(pygame.K_c)
    app.run_frames(2)
    assert app.prediction is not None and app.prediction.digit is None
    assert any(ln.startswith("prediction digit=none confidence=0.000") for ln in app.log.lines)


class SlowPredictor:
    """A predictor that takes its time (``delay`` runs before every answer) and is never sure."""

    backend, path, embedding_size, not_a_digit_threshold = "slow", Path("slow"), 0, 1.0
    not_a_digit_doubt = 1.0

    def __init__(self, delay: Callable[[], object]) -> None:
        self.delay = delay

    def predict(self, images: np.ndarray) -> Outputs:
        self.delay()
        return Outputs(np.full((len(images), 10), 0.1, dtype=np.float32), None)


def test_a_slow_recognition_never_stalls_the_frame_loop(make_app) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    app = make_app(predictor=SlowPredictor(lambda: release.wait(10)))
    assert app.wait_for_model()
    app.drag(line((0.5, 0.2), (0.5, 0.8), n=6), release=False)
    started = time.perf_counter()
    app.run_frames(20)
    assert app.is_busy  # still thinking...
    assert time.perf_counter() - started < 5  # ...yet 20 frames went by
    release.set()
    assert app.wait_for_reading()


def test_bars_animate_towards_the_new_values(app: Driver) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.run_until(lambda: app.shown is not None and not app.prediction.is_empty)
    app.step()
    top = app.prediction.digit  # type: ignore[union-attr]
    values, targets = app.bars
    assert 0 < values[top] < targets[top]
    assert app.run_until(lambda: abs(app.bars[0][top] - app.bars[1][top]) < 1e-3, timeout=5)


def test_live_mode_off_predicts_only_on_demand(app: Driver) -> None:
    app.key(pygame.K_l)
    assert not app.is_live
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    app.run_frames(10)
    assert app.prediction is not None and app.prediction.is_empty  # still the empty canvas's answer
    app.key(pygame.K_RETURN)
    assert app.wait_for_reading()
    assert app.prediction is not None and app.prediction.digit is not None


def test_model_loads_behind_the_first_frame(make_app) -> None:  # type: ignore[no-untyped-def]
    gate = threading.Event()

    def slow_factory():  # type: ignore[no-untyped-def]
        gate.wait(10)
        return load_predictor()

    app = make_app(predictor=slow_factory)
    app.run_frames(3)
    assert app.shell.frames == 3 and app.model is ModelStatus.LOADING
    assert app.verdict.tone is Tone.LOADING
    app.drag(line((0.5, 0.2), (0.5, 0.8)))  # drawing works while loading
    gate.set()
    assert app.wait_for_reading()
    assert app.prediction is not None and app.prediction.digit is not None


def test_missing_model_keeps_the_app_up_with_the_message(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app = make_app(predictor=None, model_path=tmp_path / "missing.tflite")
    assert app.wait_for_model()
    assert app.model is ModelStatus.FAILED
    assert "missing.tflite" in app.model_message and "train_model.py" in app.model_message
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    app.run_frames(5)
    assert app.running and len(app.drawing.strokes) == 1 and app.ink_pixels() > 0
    assert app.verdict.tone is Tone.ERROR and app.verdict.caption == app.model_message


# --- editing ------------------------------------------------------------------------


def test_clear_empties_everything(app: Driver) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    app.key(pygame.K_c)
    assert app.wait_for_reading()
    assert app.drawing.is_empty and app.ink_pixels() == 0
    assert app.prediction is not None and app.prediction.is_empty
    assert app.run_until(lambda: max(app.bars[0]) < 0.01, timeout=5)  # the bars ease down to nothing


def test_undo_removes_exactly_the_last_stroke(app: Driver) -> None:
    app.drag(line((0.3, 0.3), (0.7, 0.3)))
    first, first_ink = app.drawing.snapshot(), app.ink_pixels()
    app.drag(line((0.5, 0.3), (0.5, 0.8)))
    assert len(app.drawing.strokes) == 2 and app.ink_pixels() > first_ink
    app.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert app.drawing.snapshot() == first and app.ink_pixels() == first_ink


@pytest.mark.parametrize("binding", with_buttons(DRAW_BINDINGS), ids=lambda b: b.action.value)
def test_key_and_button_give_the_same_action(app: Driver, binding) -> None:  # type: ignore[no-untyped-def]
    chord = binding.chords[0]
    app.key(chord.key, pygame.KMOD_LCTRL if chord.ctrl else 0)
    by_key = app.actions[-1]
    if app.shell.top is not app.scene:
        app.key(pygame.K_ESCAPE)  # close help or leave the practice round, so the button can be clicked
    app.click(app.button_pos(binding.action))
    assert app.actions[-1] == by_key == binding.action.value


def test_clear_by_key_and_by_button_leave_the_same_state(app: Driver) -> None:
    states = []
    for use_key in (True, False):
        app.drag(line((0.5, 0.2), (0.5, 0.8)))
        if use_key:
            app.key(pygame.K_BACKSPACE)
        else:
            app.click(app.button_pos(Action.CLEAR))
        states.append((app.drawing.snapshot(), app.ink_pixels()))
    assert states[0] == states[1] == ((), 0)


def test_buttons_show_hover_and_press(app: Driver) -> None:
    rect = app.button_rect(Action.UNDO)
    pos = (rect.left + rect.width // 12, rect.top + rect.height // 3)  # plain button face, no text
    before = app.screen.get_at(pos)
    app.step([mouse(pygame.MOUSEMOTION, pos, held=False)])
    hovered = app.screen.get_at(pos)
    app.step([mouse(pygame.MOUSEBUTTONDOWN, pos)])
    pressed = app.screen.get_at(pos)
    assert len({tuple(before), tuple(hovered), tuple(pressed)}) == 3


def test_stroke_leaving_the_area_stops_at_the_edge_and_resumes(app: Driver) -> None:
    app.drag(line((0.5, 0.5), (1.4, 0.5), n=10) + line((1.4, 0.5), (0.5, 0.7), n=10))
    strokes = app.drawing.strokes
    assert len(strokes) == 2
    assert all(0 <= x <= app.drawing.width and 0 <= y <= app.drawing.height for s in strokes for x, y in s)
    assert strokes[0][-1][0] == pytest.approx(app.drawing.width)
    assert strokes[1][0][0] == pytest.approx(app.drawing.width)
    app.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert app.drawing.is_empty  # one drag, one undo step


def test_eraser_by_key_and_right_button(app: Driver) -> None:
    app.drag(line((0.2, 0.5), (0.8, 0.5)))
    drawn = app.drawing.snapshot()
    app.drag(line((0.5, 0.3), (0.5, 0.7)), button=3)
    assert len(app.drawing.strokes) == 2  # cut in two
    app.key(pygame.K_z, pygame.KMOD_LCTRL)
    assert app.drawing.snapshot() == drawn
    app.key(pygame.K_e)
    app.drag(line((0.15, 0.5), (0.85, 0.5)))
    assert app.drawing.is_empty and app.ink_pixels() == 0


def test_finger_draws_and_touch_copies_of_mouse_events_are_ignored(app: Driver) -> None:
    w, h = app.screen.get_size()
    points = [app.at(0.5, 0.2 + 0.6 * i / 20) for i in range(21)]

    def finger(kind: int, p: tuple[int, int]) -> pygame.event.Event:
        return pygame.event.Event(kind, x=(p[0] + 0.5) / w, y=(p[1] + 0.5) / h, dx=0, dy=0, finger_id=7, touch_id=1)

    app.step([finger(pygame.FINGERDOWN, points[0]), mouse(pygame.MOUSEBUTTONDOWN, points[0], touch=True)])
    for p in points[1:]:
        app.step([finger(pygame.FINGERMOTION, p), mouse(pygame.MOUSEMOTION, (p[0] + 3, p[1]), touch=True)])
    app.step([finger(pygame.FINGERUP, points[-1]), mouse(pygame.MOUSEBUTTONUP, points[-1], touch=True)])
    assert len(app.drawing.strokes) == 1
    assert [app.to_window(q) for q in app.drawing.strokes[0]] == [pytest.approx((x + 0.5, y + 0.5)) for x, y in points]
    assert app.wait_for_reading() and app.prediction.digit == 1  # type: ignore[union-attr]


def test_a_finger_presses_buttons(app: Driver) -> None:
    w, h = app.screen.get_size()
    x, y = app.button_pos(Action.TOGGLE_GRID)
    for kind in (pygame.FINGERDOWN, pygame.FINGERUP):
        app.step([pygame.event.Event(kind, x=x / w, y=y / h, dx=0, dy=0, finger_id=1, touch_id=1)])
    assert not app.show_grid


def test_resize_mid_stroke(app: Driver) -> None:
    app.drag(line((0.3, 0.3), (0.5, 0.5)), release=False)
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(800, 600), w=800, h=600)])
    assert app.screen.get_size() == (800, 600) and app.layout.size == (800, 600)
    app.step([mouse(pygame.MOUSEMOTION, app.at(0.6, 0.8))])
    app.step([mouse(pygame.MOUSEBUTTONUP, app.at(0.6, 0.8))])
    assert len(app.drawing.strokes) == 1 and not app.is_drawing
    assert app.drawing.strokes[0][-1] == pytest.approx(app.to_canvas(app.at(0.6, 0.8)))
    c = app.layout.canvas
    assert f"drawing_area x={c.x} y={c.y} w={c.width} h={c.height}" in app.log.lines
    assert app.ink_pixels() > 0


def test_f11_toggles_full_screen(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(window_size=(900, 700))
    app.key(pygame.K_F11)
    assert app.is_fullscreen and app.screen.get_size() == pygame.display.get_desktop_sizes()[0]
    app.key(pygame.K_F11)
    assert not app.is_fullscreen and app.screen.get_size() == (900, 700)
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(800, 640), w=800, h=640)])  # the person resized it
    app.key(pygame.K_F11)
    app.key(pygame.K_F11)
    assert not app.is_fullscreen and app.screen.get_size() == (800, 640)  # back to the window as they left it


def test_help_overlay_and_escape(app: Driver) -> None:
    app.key(pygame.K_F1)
    assert app.is_help_shown
    app.key(pygame.K_ESCAPE)
    assert not app.is_help_shown and app.running  # Esc closed the help first
    app.key(pygame.K_h)
    app.click(app.at(0.5, 0.5))
    assert not app.is_help_shown and app.drawing.is_empty  # the click closed the help, it did not draw
    app.key(pygame.K_ESCAPE)
    assert not app.running


def test_closing_the_window_quits(app: Driver) -> None:
    app.step([pygame.event.Event(pygame.QUIT)])
    assert not app.running


# --- save and open --------------------------------------------------------------------


def test_save_writes_the_drawing_and_a_picture_and_predict_agrees(app: Driver, tmp_path: Path) -> None:
    app.drag(line((0.3, 0.25), (0.7, 0.25)) + line((0.7, 0.25), (0.45, 0.8)))
    assert app.wait_for_reading()
    app.key(pygame.K_s, pygame.KMOD_LCTRL)
    saved = sorted((tmp_path / "saves").iterdir())
    assert [p.suffix for p in saved] == [".json", ".png"] and re.fullmatch(r"digit-\d{8}-\d{6}", saved[0].stem)
    assert Drawing.from_file(load_stroke_file(saved[0])).strokes == app.drawing.strokes
    assert pygame.image.load(saved[1]).get_size() == app.layout.canvas.size
    assert app.toast is not None and not app.toast[1] and str(tmp_path / "saves") in app.toast[0]
    out = subprocess.run(
        [sys.executable, "-m", "digitgame", "predict", "--json", str(saved[0])],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    record = json.loads(out.stdout)
    assert app.shown is not None
    assert record["digit"] == app.prediction.digit
    assert record["confidence"] == pytest.approx(app.prediction.confidence, abs=1e-5)


def test_two_saves_in_one_second_do_not_overwrite(app: Driver, tmp_path: Path) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    for _ in range(2):
        app.key(pygame.K_s, pygame.KMOD_LCTRL)
    assert len(list((tmp_path / "saves").glob("*.json"))) == 2


def test_unwritable_save_folder_keeps_the_drawing_and_says_why(make_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app = make_app(save_dir=blocker / "drawings")
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    drawn = app.drawing.snapshot()
    app.key(pygame.K_s, pygame.KMOD_LCTRL)
    assert app.toast is not None and app.toast[1]
    assert str(blocker / "drawings") in app.toast[0] and "Not a directory" in app.toast[0]
    assert app.drawing.snapshot() == drawn and app.ink_pixels() > 0


def test_open_shows_a_saved_drawing_at_its_own_canvas_size(make_app, recognizer) -> None:  # type: ignore[no-untyped-def]
    drawing = Drawing(300, 200, [[(150.0, 20.0), (150.0, 180.0)]])
    app = make_app(drawing=drawing)
    assert app.wait_for_reading()
    assert app.drawing is drawing and (app.drawing.width, app.drawing.height) == (300, 200)
    assert app.shown is not None
    assert app.prediction.probabilities == pytest.approx(
        recognizer.read_drawing(drawing.to_file()).single.probabilities, abs=1e-6
    )
    x, y = app.to_window((150.0, 100.0))
    assert app.screen.get_at((int(x), int(y)))[:3] == theme.INK


# --- the command line, in a subprocess ----------------------------------------------------


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ if env is None else env)
    return subprocess.run(
        [sys.executable, "-m", "digitgame", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environment,
    )


@pytest.mark.parametrize("content", ['{"format": "something-else"}', "{not json", ""])
def test_open_with_a_broken_file_gives_one_clear_line(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(content)
    result = run_cli("--windowed", "--open", str(path))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr and "Traceback" not in result.stderr


def test_screenshot_with_open_shows_the_answer_and_logs_logfmt(tmp_path: Path) -> None:
    drawing = tmp_path / "one.json"
    Drawing(560, 560, [[(280.0, 100.0 + i * 18) for i in range(20)]]).to_file().save(drawing)
    out = tmp_path / "shot.png"
    result = run_cli("--windowed", "--size", "800x600", "--open", str(drawing), "--screenshot", str(out), "--verbose")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    predictions = PREDICTION_LINE.findall(result.stderr)
    assert predictions and predictions[-1] != "none"
    layout = compute_layout(800, 600)
    c = layout.canvas
    assert f"drawing_area x={c.x} y={c.y} w={c.width} h={c.height}" in lines
    assert any(re.fullmatch(r"first_frame ms=\d+\.\d", ln) for ln in lines)
    assert any(re.fullmatch(r"model_ready ms=\d+\.\d backend=\w+", ln) for ln in lines)
    shot = pygame.image.load(out)
    assert shot.get_size() == (800, 600)
    preview = pygame.surfarray.array3d(shot)[
        layout.inner.preview.left : layout.inner.preview.right, layout.inner.preview.top : layout.inner.preview.bottom
    ]
    assert preview.max() > 200  # the 28x28 view shows the model's input


def test_screenshot_of_an_empty_canvas(tmp_path: Path) -> None:
    out = tmp_path / "empty.png"
    result = run_cli("--windowed", "--size", "1280x800", "--screenshot", str(out), "--verbose")
    assert result.returncode == 0, result.stderr
    assert "prediction digit=none confidence=0.000 ms=0.0 live=1 button_down=0" in result.stderr.splitlines()
    assert pygame.image.load(out).get_size() == (1280, 800)


def test_without_a_display_the_app_says_so_in_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    result = run_cli(env=env, timeout=60)
    assert result.returncode == 1
    assert result.stderr.startswith("digitgame: no display available") and result.stderr.count("\n") == 1


def test_a_display_that_cannot_be_reached_is_named_in_the_one_line() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    result = run_cli(env=dict(env, DISPLAY=":9876"), timeout=60)  # no X server listens there
    assert result.returncode == 1 and result.stderr.count("\n") == 1
    assert result.stderr.startswith("digitgame: no display available") and ":9876" in result.stderr


@pytest.mark.slow
def test_a_full_drawing_says_so_when_the_pen_goes_down(make_app) -> None:
    from digitgame.files.strokefile import MAX_POINTS

    full = Drawing(560, 560)
    full.strokes.append([(float(i % 500), float(i // 500 % 500)) for i in range(MAX_POINTS)])
    app = make_app(drawing=full)
    app.drag(line((0.4, 0.4), (0.6, 0.6)))
    assert app.drawing.point_count == MAX_POINTS
    assert app.toast is not None and app.toast[0].startswith("This drawing is full") and app.toast[1]


@pytest.mark.slow
def test_erasing_a_full_drawing_with_the_right_button_is_not_told_it_is_full(make_app) -> None:
    from digitgame.files.strokefile import MAX_POINTS

    full = Drawing(560, 560)
    full.strokes.append([(float(i % 500), float(i // 500 % 500)) for i in range(MAX_POINTS)])
    app = make_app(drawing=full)
    app.drag(line((0.93, 0.93), (0.97, 0.97)), button=3)  # below the ink (its rows end at y = 400 of 560)
    assert app.drawing.point_count == MAX_POINTS  # nothing there to erase, and nothing drawn
    assert app.toast is None or not app.toast[0].startswith("This drawing is full")


def test_run_sleeps_while_idle_and_quits_on_close(app: Driver) -> None:
    assert app.wait_for_reading() and app.run_until(app.is_idle, timeout=5)
    app.step([mouse(pygame.MOUSEBUTTONDOWN, app.at(0.5, 0.5))])
    assert not app.is_idle()  # the pen is down: every frame counts
    app.step([mouse(pygame.MOUSEBUTTONUP, app.at(0.5, 0.5))])
    pygame.event.post(pygame.event.Event(pygame.QUIT))
    assert app.run() == 0 and not app.running


def test_live_mode_rests_between_slow_recognitions(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(predictor=SlowPredictor(lambda: time.sleep(0.4)))
    assert app.wait_for_model()
    app.drag(line((0.5, 0.2), (0.5, 0.5), n=3), release=False)
    assert app.run_until(lambda: app.shown is not None and not app.prediction.is_empty)
    assert app.shown.ms >= 400  # type: ignore[union-attr]
    app.step([mouse(pygame.MOUSEMOTION, app.at(0.5, 0.8))])
    assert not app.is_busy and app.is_behind  # resting, not recognising
    assert app.run_until(lambda: app.is_busy, timeout=2)  # then the next one starts


def test_the_big_digit_is_drawn_in_the_colour_of_its_certainty(app: Driver) -> None:
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    assert app.wait_for_reading()
    app.step()
    box = app.layout.inner.digit
    pixels = pygame.surfarray.pixels3d(app.screen)[box.left : box.right, box.top : box.bottom].reshape(-1, 3)
    colour = theme.ACCENT if app.prediction.is_confident else theme.UNSURE  # type: ignore[union-attr]
    assert (pixels == colour).all(axis=1).sum() > 0.05 * len(pixels)


def test_a_screenshot_needs_no_display(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    out = tmp_path / "headless.png"
    result = run_cli("--windowed", "--size", "800x600", "--screenshot", str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert pygame.image.load(out).get_size() == (800, 600)


@pytest.mark.parametrize(
    ("argv", "fullscreen", "size"),
    [([], True, None), (["--windowed"], False, None), (["--size", "900x700"], False, (900, 700))],
)
def test_settings_from_the_command_line(argv: list[str], fullscreen: bool, size: tuple[int, int] | None) -> None:
    from digitgame.cli import app_parser

    settings = Settings.from_args(app_parser().parse_args(argv))
    assert settings.is_fullscreen is fullscreen and settings.window_size == size and settings.is_live


# --- numbers ---------------------------------------------------------------------------------


def test_a_wide_window_gives_a_wide_drawing_area_and_an_empty_drawing_follows_its_shape(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(window_size=(1600, 1000))
    c = app.layout.canvas
    assert c.width > 1.2 * c.height and (app.drawing.width, app.drawing.height) == (c.width, c.height)
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(900, 700), w=900, h=700)])
    c = app.layout.canvas
    assert c.width == c.height and app.drawing.width == app.drawing.height  # empty: it took the new shape
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    drawn = (app.drawing.width, app.drawing.height, app.drawing.snapshot())
    app.step([pygame.event.Event(pygame.VIDEORESIZE, size=(1600, 1000), w=1600, h=1000)])
    assert (app.drawing.width, app.drawing.height, app.drawing.snapshot()) == drawn  # ink keeps its canvas


def test_a_number_is_shown_digit_by_digit_and_hovering_a_digit_explains_it(make_app) -> None:  # type: ignore[no-untyped-def]
    app = make_app(window_size=(1600, 1000))
    assert app.wait_for_model()
    app.draw_drawing(load_stroke_file(ROOT / "assets" / "selftest" / "2026-year.json"), box=(0.05, 0.2, 0.9, 0.5))
    assert app.wait_for_reading()
    reading = app.reading
    assert reading is not None and reading.number == "2026" and app.prediction is None  # never one digit
    assert app.verdict.headline == "2026"
    app.run_frames(2)
    assert app.bars[1] == pytest.approx(list(reading.digits[-1].prediction.probabilities))  # the last one written
    from digitgame.ui.number_row import tile_rects

    first = tile_rects(app.layout, 4)[0].center
    app.step([mouse(pygame.MOUSEMOTION, first, held=False)])
    assert app.bars[1] == pytest.approx(list(reading.digits[0].prediction.probabilities))
    assert any(ln.startswith("prediction number=2026 confidence=") for ln in app.log.lines)
