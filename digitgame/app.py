"""The desktop app put together: a window, the recognition worker, the shell and its first scene.

Choices worth knowing:
- The window comes first and the model loads behind it on the worker's thread.
- ``--open`` with a broken or foreign file prints one line on stderr and exits with status 2.
- ``--size`` without ``--windowed`` also opens a window (a size only makes sense for one).
- Nothing is lost on quit: the drawing on the canvas comes back at the next start, and live mode, the
  grid, full screen and the window's size are remembered (``live/keeping.py``, ``live/settings.py``);
  ``--windowed`` and ``--size`` win over what is remembered, for that run; ``--no-profile`` keeps nothing.
"""

from __future__ import annotations

import argparse
import functools
import logging
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digitgame.files import paths, saving
from digitgame.files.strokefile import StrokeFileError, load_stroke_file
from digitgame.live import keeping
from digitgame.live import settings as remembering
from digitgame.live.drawing import Drawing
from digitgame.live.worker import RecognitionWorker
from digitgame.ui.scenes.draw import DrawScene
from digitgame.ui.shell import Shell
from digitgame.ui.window import NoDisplayError, Window, display_available

if TYPE_CHECKING:
    from digitgame.recognition.predictor import Predictor

LAUNCH_TIME_ENV = "DIGITGAME_LAUNCH_TIME"  # epoch seconds when the process was started (benchmarks set it)


@dataclass(frozen=True)
class Settings:
    """What the app is told at start; tests build one directly."""

    is_fullscreen: bool = True
    window_size: tuple[int, int] | None = None  # windowed size; None: the default window
    window_size_is_remembered: bool = False  # then it is kept within the desktop (the screen may be smaller now)
    save_dir: Path = field(default_factory=paths.default_save_dir)
    model_path: Path | None = None  # None: the bundled model
    profile_dir: Path | None = None  # the person's taught examples and practice scores; None: nothing kept
    screenshot: Path | None = None
    is_live: bool = True
    show_grid: bool = True
    launch_time: float | None = None  # epoch seconds; origin of the first_frame / model_ready figures
    state_dir: Path | None = None  # the drawing kept between runs and the remembered settings; None: nothing kept
    remembered: remembering.Loaded | None = None  # what state_dir's settings file said (None: read it at start)

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> Settings:
        """Settings from the parsed command line of ``digitgame.cli``."""
        launch = os.environ.get(LAUNCH_TIME_ENV)
        try:
            launch_time = float(launch) if launch else None
        except ValueError:
            launch_time = None
        return cls.remembered_in(
            None if args.no_profile else paths.default_state_dir(),
            windowed=args.windowed,
            size=args.size,
            save_dir=args.save_dir if args.save_dir is not None else paths.default_save_dir(),
            model_path=args.model,
            profile_dir=None if args.no_profile else (args.profile or paths.default_profile_dir()),
            screenshot=args.screenshot,
            launch_time=launch_time,
        )

    @classmethod
    def remembered_in(
        cls, state_dir: Path | None, *, windowed: bool = False, size: tuple[int, int] | None = None, **rest: Any
    ) -> Settings:
        """The settings remembered in ``state_dir`` (None: the defaults); ``windowed`` and ``size`` (the command
        line's) win over them for this run."""
        loaded = remembering.load(state_dir) if state_dir is not None else remembering.Loaded()
        kept = loaded.preferences
        return cls(
            is_fullscreen=kept.is_fullscreen and not (windowed or size is not None),
            window_size=size or kept.window_size,
            window_size_is_remembered=size is None and kept.window_size is not None,
            is_live=kept.is_live,
            show_grid=kept.show_grid,
            state_dir=state_dir,
            remembered=loaded,
            **rest,
        )


def _load_default_predictor(path: Path | None) -> Predictor:
    from digitgame.recognition.predictor import load_predictor

    return load_predictor(path)


class App:
    """The assembled app: ``shell`` runs it, ``scene`` is the draw scene it starts in."""

    def __init__(
        self,
        settings: Settings,
        predictor: Predictor | Callable[[], Predictor] | None = None,
        drawing: Drawing | None = None,
    ) -> None:
        self.settings = settings
        window = Window(
            is_fullscreen=settings.is_fullscreen,
            size=settings.window_size,
            fit_desktop=settings.window_size_is_remembered,
        )
        source = predictor if predictor is not None else functools.partial(_load_default_predictor, settings.model_path)
        worker = RecognitionWorker(source, settings.profile_dir, load_at_once=False)
        saving.recover(settings.save_dir)  # finish or remove what a killed save left behind
        self.shell = Shell(window, worker, screenshot=settings.screenshot, launch_time=settings.launch_time)
        canvas = self.shell.layout.canvas
        keeper, notices = self._keeping(window) if settings.state_dir is not None else (None, [])
        if keeper is not None and drawing is None:  # --open wins over the kept drawing
            restored = keeping.restore(keeper.folder)
            drawing = Drawing.from_file(restored.drawing) if restored.drawing is not None else None
            notices.append((restored.notice, restored.is_error))
        self.scene = DrawScene(
            self.shell,
            worker,
            drawing if drawing is not None else Drawing(canvas.width, canvas.height),
            save_dir=settings.save_dir,
            profile_dir=settings.profile_dir,
            is_live=settings.is_live,
            show_grid=settings.show_grid,
            keeping=keeper,
        )
        self.shell.push(self.scene)
        if said := [text for text, _ in notices if text]:
            self.shell.notify("  ".join(said), is_error=any(is_error for text, is_error in notices if text))

    def _keeping(self, window: Window) -> tuple[keeping.Keeping, list[tuple[str, bool]]]:
        """What keeps the drawing and the settings in the state folder, and what to tell about its settings file."""
        folder = self.settings.state_dir
        assert folder is not None
        loaded = self.settings.remembered if self.settings.remembered is not None else remembering.load(folder)
        notice = keeping.settings_set_aside(loaded) if loaded.problem else ""
        windowed = None if window.is_fullscreen else window.size
        start = remembering.Preferences(self.settings.is_live, self.settings.show_grid, window.is_fullscreen, windowed)
        keeper = keeping.Keeping(folder, loaded, start, lambda: (window.is_fullscreen, window.size))
        return keeper, [(notice, True)]

    def run(self) -> int:
        return self.shell.run()

    def close(self) -> None:
        self.shell.close()


def configure_logging(verbose: bool) -> None:
    """``--verbose``: logfmt lines (the message alone) on stderr."""
    logger = logging.getLogger("digitgame")
    if verbose and not any(getattr(h, "_digitgame", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._digitgame = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def run_app(args: argparse.Namespace) -> int:
    """``python -m digitgame``: open the window and run until the person quits."""
    configure_logging(args.verbose)
    drawing = None
    if args.open is not None:
        try:
            drawing = Drawing.from_file(load_stroke_file(args.open))
        except StrokeFileError as exc:
            print(f"digitgame: cannot open {exc}", file=sys.stderr)
            return 2
    if args.screenshot is not None and not display_available():
        os.environ["SDL_VIDEODRIVER"] = "dummy"  # a screenshot needs no screen
    try:
        app = App(Settings.from_args(args), drawing=drawing)
    except NoDisplayError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    try:
        return app.run()
    except KeyboardInterrupt:
        return 130
