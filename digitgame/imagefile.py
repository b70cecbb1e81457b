"""Read an image file (PNG, JPEG, BMP, ...) into a greyscale array, with pygame and no display."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from digitgame.nativelog import native_stderr_filtered

MAX_PIXELS = 40_000_000  # a 6000x6000 photo is fine; a 100-megapixel scan is not a digit


class ImageFileError(ValueError):
    """An image that cannot be read; ``str()`` is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


def _pygame() -> Any:
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    return pygame


def load_grey(path: str | Path) -> np.ndarray:
    """The image at ``path`` as (H, W) float32 luminance in [0, 1].

    Transparent pixels are laid on whichever of black or white contrasts with the
    opaque ones, so both black ink and white ink on a transparent sheet survive.
    """
    path = Path(path)
    if not path.exists():
        raise ImageFileError(path, "no such file")
    if path.is_dir():
        raise ImageFileError(path, "is a folder, not an image")
    try:
        if path.stat().st_size == 0:
            raise ImageFileError(path, "the file is empty")
    except OSError as exc:
        raise ImageFileError(path, f"cannot read it ({exc.strerror or exc})") from None
    pygame = _pygame()
    try:
        with native_stderr_filtered(b"libpng", b"Corrupt JPEG", b"Premature end of JPEG"):
            surface = pygame.image.load(str(path))
    except (pygame.error, OSError, ValueError) as exc:
        raise ImageFileError(path, f"not an image this program can read ({exc})") from None
    w, h = surface.get_size()
    if w == 0 or h == 0:
        raise ImageFileError(path, "the image has zero size")
    if w * h > MAX_PIXELS:
        raise ImageFileError(path, f"the image is too large ({w}x{h}); scale it down to a few megapixels")
    return surface_to_grey(surface)


def surface_to_grey(surface: Any) -> np.ndarray:
    """A pygame Surface -> (H, W) float32 luminance in [0, 1] (alpha handled as in ``load_grey``)."""
    pygame = _pygame()
    rgb = pygame.surfarray.array3d(surface).astype(np.float32) / 255.0  # (W, H, 3)
    grey = (rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).T  # (H, W) Rec. 601 luma
    if surface.get_flags() & pygame.SRCALPHA or surface.get_alpha() is not None:
        alpha = pygame.surfarray.array_alpha(surface).astype(np.float32).T / 255.0  # (H, W)
        if alpha.min() < 0.5:
            opaque = alpha >= 0.5
            ink_is_light = opaque.any() and float(grey[opaque].mean()) > 0.5
            paper = 0.0 if ink_is_light else 1.0
            grey = alpha * grey + (1 - alpha) * paper
    return np.ascontiguousarray(grey, dtype=np.float32)
