"""The one place that finds models/, assets/ and the folder for saved drawings.

Works from a source tree, an editable install, an installed wheel (the build puts models/ and
assets/ inside the package, setup.py) and a PyInstaller bundle (``sys._MEIPASS``); nothing depends
on the working directory.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path

MODEL_FILE = "digit_cnn.tflite"
KERAS_MODEL_FILE = "digit_cnn.keras"


def is_frozen() -> bool:
    """True inside the PyInstaller bundle."""
    return bool(getattr(sys, "frozen", False) and getattr(sys, "_MEIPASS", None))


def command() -> str:
    """How the person starts this program: the bundle's executable, or ``python -m digitgame``."""
    if is_frozen():
        return Path(sys.executable).name
    script = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "digitgame" if script.startswith("digitgame") else "python -m digitgame"


def installed_root() -> Path | None:
    """The package folder when models/ ships inside it (an installed wheel), else None."""
    root = Path(str(importlib.resources.files("digitgame")))  # a folder: the wheel is not zip-safe
    return root if (root / "models").is_dir() else None


def is_installed() -> bool:
    """True when running from an installed wheel (not a checkout, an editable install or the bundle)."""
    return not is_frozen() and installed_root() is not None


def resource_root() -> Path:
    """The folder holding models/ and assets/: the bundle's folder when frozen, the package folder when
    installed from a wheel, else the repository."""
    if is_frozen():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return installed_root() or Path(__file__).resolve().parents[2]


def model_path(name: str = MODEL_FILE) -> Path:
    """Path of a model file shipped in models/."""
    return resource_root() / "models" / name


def asset_path(*parts: str) -> Path:
    """Path of a file shipped in assets/."""
    return resource_root().joinpath("assets", *parts)


def default_save_dir() -> Path:
    """Where Ctrl+S puts drawings: the platform's per-user data folder, under digitgame/drawings."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or home / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = home / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return base / "digitgame" / "drawings"


def default_profile_dir() -> Path:
    """Where the taught examples live: the per-user data folder, beside the saved drawings."""
    return default_save_dir().parent / "profile"


def default_state_dir() -> Path:
    """The per-user data folder itself (the parent of the saved drawings and the profile): where the drawing
    on the canvas is kept between runs and the settings are remembered."""
    return default_save_dir().parent
