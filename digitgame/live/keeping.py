"""Nothing lost on quit: the drawing on the canvas and the settings, kept in the data folder behind the frame loop.

The choice: like a modern desktop app, digitgame restores your work at the next start rather than
asking "save before quitting?" in a dialog.  The drawing on the canvas is written (the stroke file
format, ``last-drawing.json``) after each finished stroke, erase, clear or undo, and at quit; an empty
canvas removes the file.  So a kill -9 after a stroke has ended loses at most the write in flight, and
atomic writes leave the old file or the new one, never half of one.  At the next start without
``--open`` the drawing comes back, with a notice; a file that cannot be read is set aside
(``last-drawing.json.broken``) with one message.  The settings (``live/settings.py``) are written when
the person changes one; a change made by a command-line flag (``--windowed``, ``--size``) holds for
that run only.

Writes run on one daemon thread that keeps only the newest state of each file, so no frame waits for
the disk: encoding the largest drawing the stroke file allows (200,000 points) takes about 0.15 s
there, while the frame loop only takes the drawing's snapshot (0.05 ms).
A write that fails is told once, and tried again with the next change and at quit.  No pygame here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digitgame.files import atomic
from digitgame.files.saving import problem_of
from digitgame.files.strokefile import StrokeFile, StrokeFileError, load_stroke_file
from digitgame.live import settings
from digitgame.live.drawing import Drawing
from digitgame.live.settings import Loaded, Preferences

log = logging.getLogger("digitgame.app")
DRAWING_FILE = "last-drawing.json"
WindowState = Callable[[], tuple[bool, tuple[int, int]]]  # full screen?, the window's size now

# --- what the person is told (this feature's words, in one place) ----------------------------------
RESTORED = "Your last drawing is back. Press C to clear it."


def drawing_set_aside(problem: str, aside: Path | None) -> str:
    where = f"; it was set aside as {aside.name}" if aside is not None else ""
    return f"Your last drawing could not be read ({problem}){where}. Starting with an empty canvas."


def settings_set_aside(loaded: Loaded) -> str:
    where = f"; it was set aside as {loaded.set_aside_as.name}" if loaded.set_aside_as is not None else ""
    return f"Your settings could not be read ({loaded.problem}){where}. Using the defaults."


def not_kept(problem: str, folder: Path) -> str:
    return (
        f"Could not keep your drawing and settings for next time: {problem} ({folder}). "
        "Saving is tried again after your next stroke and when you quit."
    )


# --- the writer thread -----------------------------------------------------------------------------
class Writer:
    """One daemon thread running the newest write handed over for each file (older ones not yet run are skipped)."""

    def __init__(self) -> None:
        self.problem = ""  # why the last write failed, in a few words; "" when it worked
        self.failures = 0
        self._cond = threading.Condition()
        self._pending: dict[str, Callable[[], object]] = {}
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="digitgame-keeping", daemon=True)
        self._thread.start()

    def put(self, name: str, write: Callable[[], object]) -> None:
        with self._cond:
            self._pending[name] = write
            self._cond.notify()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed over is written; False if that took longer than ``timeout``."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: bool(self._pending))
                name, write = next(iter(self._pending.items()))
                del self._pending[name]
                self._busy = True
            try:
                write()
                self.problem = ""
            except OSError as exc:
                self.problem = problem_of(exc)
                self.failures += 1
                log.info('not_kept file=%s problem="%s"', name, self.problem)
            with self._cond:
                self._busy = False
                self._cond.notify_all()


# --- at start ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Restored:
    """What ``restore`` found: the kept drawing (None: there was none, or it was set aside), and what to say."""

    drawing: StrokeFile | None = None
    notice: str = ""
    is_error: bool = False


def restore(folder: Path) -> Restored:
    """The drawing kept in ``folder`` at the last quit; a file that cannot be read is set aside."""
    atomic.remove_stale_temporaries(folder)  # what a killed write left behind
    path = Path(folder) / DRAWING_FILE
    if not path.exists() and not path.is_symlink():
        return Restored()
    try:
        kept = load_stroke_file(path)
    except StrokeFileError as exc:
        aside: Path | None = None
        with contextlib.suppress(OSError):
            aside = atomic.set_aside(path)
        log.info('kept_drawing_set_aside problem="%s"', exc.problem)
        return Restored(notice=drawing_set_aside(exc.problem, aside), is_error=True)
    if kept.is_empty:
        return Restored()
    log.info("kept_drawing_restored strokes=%d points=%d", len(kept.strokes), kept.point_count)
    return Restored(kept, RESTORED)


def _write_drawing(path: Path, drawing: StrokeFile) -> None:
    if drawing.is_empty:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    drawing.save(path)


# --- while the app runs --------------------------------------------------------------------------------
class Keeping:
    """Keeps the draw scene's drawing and the settings in ``folder``; the scene calls ``update`` every frame."""

    def __init__(self, folder: Path, remembered: Loaded, start: Preferences, window: WindowState) -> None:
        self.folder = Path(folder)
        self._window = window
        self._remembered = remembered.preferences  # what the file says: the base that this run's changes go onto
        self._kept = remembered.preferences  # what the file says now (after this run's writes)
        self._may_write_settings = not remembered.is_newer
        self._start = start  # this run's settings as it began (the command line's flags included)
        self._windowed = start.window_size  # the last windowed size seen
        self._revision = 0  # the drawing's revision last kept: what the canvas starts with is in the folder already
        self._writer = Writer()
        self._told = 0
        if remembered.is_newer:
            log.info("settings_newer file=%s (read, never overwritten)", settings.FILE_NAME)

    def update(self, drawing: Drawing, revision: int, *, is_pen_down: bool, is_live: bool, show_grid: bool) -> None:
        """Keep the drawing when it changed and the pen is up; the settings when one changed."""
        if revision != self._revision and not is_pen_down:
            self._keep_drawing(drawing, revision)
        self._note(is_live, show_grid)

    def news(self) -> str:
        """What to tell the person about a write that failed since the last call; "" when there is none."""
        writer = self._writer
        if writer.failures == self._told:
            return ""
        self._told = writer.failures
        return not_kept(writer.problem, self.folder) if writer.problem else ""

    def close(self, drawing: Drawing, revision: int) -> None:
        """At quit: keep the drawing as it is now (even mid-stroke), wait for the writes, retry once if one failed."""
        if revision != self._revision:
            self._keep_drawing(drawing, revision)
        writer = self._writer
        writer.flush()
        if writer.problem:  # the newest state of each file again: the failure may have been a moment's
            self._writer.put(DRAWING_FILE, self._drawing_write(drawing.to_file()))
            if self._may_write_settings and self._kept != self._remembered:
                self._put_settings(self._kept)
            writer.flush()
        if writer.problem:
            log.warning("digitgame: your drawing and settings could not be kept in %s: %s", self.folder, writer.problem)

    def _keep_drawing(self, drawing: Drawing, revision: int) -> None:
        self._revision = revision
        self._writer.put(DRAWING_FILE, self._drawing_write(drawing.to_file()))

    def _drawing_write(self, snapshot: StrokeFile) -> Callable[[], object]:
        return functools.partial(_write_drawing, self.folder / DRAWING_FILE, snapshot)

    def _note(self, is_live: bool, show_grid: bool) -> None:
        is_fullscreen, size = self._window()
        if not is_fullscreen:
            self._windowed = size
        now = Preferences(is_live, show_grid, is_fullscreen, self._windowed)
        changed = {
            f.name: getattr(now, f.name)
            for f in dataclasses.fields(Preferences)
            if getattr(now, f.name) != getattr(self._start, f.name)
        }
        wanted = dataclasses.replace(self._remembered, **changed)
        if wanted != self._kept and self._may_write_settings:
            self._kept = wanted
            self._put_settings(wanted)

    def _put_settings(self, preferences: Preferences) -> None:
        self._writer.put(settings.FILE_NAME, functools.partial(settings.save, self.folder, preferences))
