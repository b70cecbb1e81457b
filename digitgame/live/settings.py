"""The settings a person changes while the app runs, remembered between runs in a small JSON file (no pygame).

    {"format": "digitgame-settings", "version": 1,
     "live": true, "grid": true, "fullscreen": false, "window": [1280, 800]}

Reading is forgiving key by key and strict about the whole file:
- an unknown key is ignored; a key of the wrong type or out of range takes its default;
- a file that is not JSON, not an object, not ours, or cannot be read is set aside (renamed
  ``settings.json.broken-<date>-<time>``) and the defaults are used; ``Loaded.problem`` says why in a few words;
- a file of a newer version is read for the keys this program knows, and never overwritten
  (``Loaded.is_newer``): it may hold settings a newer digitgame wrote that this one would drop, and a
  person going back and forth between two versions should not lose them to the older one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitgame.files import atomic
from digitgame.files.userfile import UnreadableFile, read_regular

FORMAT = "digitgame-settings"
VERSION = 1
FILE_NAME = "settings.json"
MAX_FILE_BYTES = 64 * 1024  # a settings file is a few dozen bytes
MIN_WINDOW_PX = 200  # a remembered window smaller or larger than these is not one to open again
MAX_WINDOW_PX = 16384


@dataclass(frozen=True)
class Preferences:
    """What is remembered: live mode, the grid, full screen, and the window's size (None: the default one)."""

    is_live: bool = True
    show_grid: bool = True
    is_fullscreen: bool = True
    window_size: tuple[int, int] | None = None

    def to_json(self) -> dict[str, Any]:
        obj: dict[str, Any] = {
            "format": FORMAT,
            "version": VERSION,
            "live": self.is_live,
            "grid": self.show_grid,
            "fullscreen": self.is_fullscreen,
        }
        if self.window_size is not None:
            obj["window"] = list(self.window_size)
        return obj

    def encode(self) -> bytes:
        return (json.dumps(self.to_json(), indent=1) + "\n").encode("utf-8")


@dataclass(frozen=True)
class Loaded:
    """What ``load`` found: the preferences to use, and what happened to the file."""

    preferences: Preferences = field(default_factory=Preferences)
    problem: str = ""  # why the file could not be used, in a few words; "" when it could (or there was none)
    set_aside_as: Path | None = None  # where the unusable file went (None: it could not be moved either)
    is_newer: bool = False  # written by a newer digitgame: read what is known, never overwrite it


class NotSettings(ValueError):
    """The file is not a settings file of ours; ``str()`` is the problem in a few words."""


def parse(obj: Any) -> tuple[Preferences, bool]:
    """The preferences in a decoded settings file, and whether it is of a newer version; NotSettings when it is
    not one.  Each known key of the wrong type or out of range takes its default."""
    if not isinstance(obj, dict):
        raise NotSettings("not a JSON object")
    if obj.get("format") != FORMAT:
        raise NotSettings(f'"format" is not "{FORMAT}"')
    version = obj.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise NotSettings('"version" is not a whole number from 1 up')
    default = Preferences()
    preferences = Preferences(
        is_live=_flag(obj.get("live"), default.is_live),
        show_grid=_flag(obj.get("grid"), default.show_grid),
        is_fullscreen=_flag(obj.get("fullscreen"), default.is_fullscreen),
        window_size=_size(obj.get("window")),
    )
    return preferences, version > VERSION


def _flag(value: Any, default: bool) -> bool:
    return value if isinstance(value, bool) else default


def _size(value: Any) -> tuple[int, int] | None:
    """``[w, h]`` of whole pixels within reason, else None (the default window)."""
    if not (isinstance(value, list) and len(value) == 2):
        return None
    if not all(isinstance(v, int) and not isinstance(v, bool) and MIN_WINDOW_PX <= v <= MAX_WINDOW_PX for v in value):
        return None
    return (value[0], value[1])


def load(folder: Path) -> Loaded:
    """The remembered preferences in ``folder``; defaults when there are none, or (set aside) when unusable."""
    path = Path(folder) / FILE_NAME
    if not os.path.lexists(path):
        return Loaded()
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "a settings file")
        preferences, is_newer = parse(json.loads(raw.decode("utf-8")))
    except UnreadableFile as exc:
        return _set_aside(path, exc.problem)
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:  # NotSettings is a ValueError, as is bad JSON
        return _set_aside(path, str(exc) if isinstance(exc, NotSettings) else "not JSON")
    return Loaded(preferences, is_newer=is_newer)


def _set_aside(path: Path, problem: str) -> Loaded:
    try:
        aside: Path | None = atomic.set_aside(path)
    except OSError:
        aside = None  # a read-only folder: the file stays where it is (and writing a new one fails, and is told)
    return Loaded(problem=problem, set_aside_as=aside)


def save(folder: Path, preferences: Preferences) -> Path:
    """Write the preferences atomically (the folder is made if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return atomic.write_bytes_atomically(folder / FILE_NAME, preferences.encode())
