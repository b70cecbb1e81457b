"""Read an untrusted image file into a greyscale array: the header first, then Pillow's decoder.

The file must be a regular file; its format comes from its magic bytes and only PNG, JPEG, BMP,
GIF and WebP go further (``imageheader``); Pillow opens it lazily (the header alone) with only that
format's plugin, the declared size is checked, and only then are the pixels decoded.  Pillow is
made and fuzzed for untrusted input (OSS-Fuzz); SDL_image, which pygame would use, crashed on a
mutated 122-byte GIF.
"""

from __future__ import annotations

import importlib
import math
import warnings
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from digitgame.files.imageheader import READABLE, HeaderError, check_structure, count_jpeg_scans, sniff
from digitgame.files.userfile import UnreadableFile, display_name, open_regular

__all__ = ["MAX_PIXELS", "MAX_SIDE_PX", "READABLE", "ImageFileError", "load_grey"]

MAX_PIXELS = 40_000_000  # a 6000x6000 photo is fine; a 100-megapixel scan is not a digit
MAX_SIDE_PX = 16_384  # a longer side is no digit, and costs the resampler memory in proportion
MAX_FILE_BYTES = 200 * 2**20  # the largest file of MAX_PIXELS: an uncompressed 32-bit BMP, 4 bytes a pixel
# Every scan of a progressive JPEG passes over the whole image, so a small file repeating one scan of
# a large blank image takes very long to decode (tests/test_hostile.py makes one).  Allowed: scans x
# pixels up to what a 40-megapixel JPEG with 12 scans needs (libjpeg's progressive files have 6 to
# 10), and at least 12.
JPEG_SCAN_PIXELS = 12 * MAX_PIXELS
MIN_JPEG_SCANS = 12
# Pillow decodes run-length-encoded BMPs in Python, a byte at a time: a tiny file declaring millions of
# pixels takes long to decode (tests/test_hostile.py makes one).  This cap keeps the worst case short.
MAX_RLE_PIXELS = 1_000_000
# Larger images are averaged down (a box filter in Pillow; JPEGs are decoded at 1/2, 1/4 or 1/8
# scale by libjpeg) to about this many pixels before they become float arrays: the recogniser fits
# the ink into 20x20 pixels, and a 40-megapixel photo as floats would cost far more time and memory
# than the digit needs (benchmarks/fuzz_inputs.py reports the worst time and memory of a file).
WORK_PIXELS = 4_000_000
# EXIF orientation -> how to turn the stored pixels (H, W) upright.
_UPRIGHT = {
    2: lambda a: a[:, ::-1],
    3: lambda a: a[::-1, ::-1],
    4: lambda a: a[::-1],
    5: lambda a: a.T,
    6: lambda a: np.rot90(a, -1),
    7: lambda a: np.rot90(a, 2).T,
    8: lambda a: np.rot90(a, 1),
}
_EXIF_ORIENTATION = 0x0112
_MAX_EXIF_BYTES = 65_536  # what a JPEG's APP1 segment holds; a larger block is not parsed for one tag


class ImageFileError(ValueError):
    """An image that cannot be read; ``str()`` is one line naming the file and the problem."""

    def __init__(self, path: str | Path, problem: str) -> None:
        super().__init__(f"{display_name(path)}: {problem}")
        self.path = str(path)
        self.problem = problem


def load_grey(path: str | Path) -> np.ndarray:
    """The image at ``path`` as (H, W) float32 luminance in [0, 1], upright by its EXIF orientation.

    Images over WORK_PIXELS come back averaged down to about that size.  Transparent pixels are
    laid on whichever of black or white contrasts with the opaque ones, so both black ink and
    white ink on a transparent sheet survive.  Raises ImageFileError, one line naming the file.
    """
    try:
        f = open_regular(path, MAX_FILE_BYTES, "an image")
    except UnreadableFile as exc:
        raise ImageFileError(path, exc.problem) from None
    with f:
        try:
            head = f.read(32)
            if not head:
                raise ImageFileError(path, "the file is empty")
            fmt, plugin = sniff(head)
            check_structure(f, fmt)
        except HeaderError as exc:
            raise ImageFileError(path, str(exc)) from None
        except OSError as exc:
            raise ImageFileError(path, f"cannot read it ({exc.strerror or type(exc).__name__})") from None
        with warnings.catch_warnings():  # Pillow warns about odd metadata; the answer or one line is enough
            warnings.simplefilter("ignore")
            image = _open(f, fmt, plugin, path)
            grey, alpha = _decode(image, fmt, path)
    return _lay_on_paper(grey, alpha)


_PILLOW_MAX_PIXELS = MAX_PIXELS  # fixed at import: Pillow's setting is process-wide


def _pillow() -> Any:
    from PIL import Image

    # Pillow's own guard, a second line behind the size check in _open (it refuses at twice this).
    Image.MAX_IMAGE_PIXELS = _PILLOW_MAX_PIXELS
    return Image


def _open(f: BinaryIO, fmt: str, plugin: str, path: str | Path) -> Any:
    """Pillow's lazy open: the header only, with only the plugin for ``fmt``; the size checked."""
    Image = _pillow()  # noqa: N806 -- Pillow's module, by its usual name
    importlib.import_module(f"PIL.{plugin}")  # registered, so that open() does not import every plugin
    try:
        image = Image.open(f, formats=[fmt])
    except Image.DecompressionBombError:
        limit = _PILLOW_MAX_PIXELS // 10**6
        problem = f"the image is too large (over {2 * limit} megapixels; the limit is {limit})"
        raise ImageFileError(path, problem) from None
    except Image.UnidentifiedImageError:
        raise ImageFileError(path, f"a damaged {fmt} file: its header cannot be read") from None
    except MemoryError:
        raise ImageFileError(path, "the image is too large to read") from None
    except Exception as exc:  # any fault in an untrusted header is one line, not a traceback
        raise ImageFileError(path, f"a damaged {fmt} file ({_reason(exc)})") from None
    _check_size(image.size, path)
    _check_cost(f, fmt, image, path)
    return image


def _check_cost(f: BinaryIO, fmt: str, image: Any, path: str | Path) -> None:
    """Refuse the files whose decoding would take long for their size (see the limits above)."""
    (w, h), pixels = image.size, math.prod(image.size)
    if fmt == "BMP" and image.info.get("compression") in (1, 2) and pixels > MAX_RLE_PIXELS:
        raise ImageFileError(path, f"a run-length-encoded BMP of {w}x{h}, too large to decode; save it as PNG")
    if fmt == "JPEG":
        allowed = max(MIN_JPEG_SCANS, JPEG_SCAN_PIXELS // pixels)
        if count_jpeg_scans(f, allowed) > allowed:
            problem = f"a JPEG of {w}x{h} in more than {allowed} scans, too slow to decode; save it again"
            raise ImageFileError(path, problem)


def _check_size(size: tuple[int, int], path: str | Path) -> None:
    w, h = size
    if w <= 0 or h <= 0:
        raise ImageFileError(path, f"the image has no pixels ({w}x{h})")
    if w * h > MAX_PIXELS or max(w, h) > MAX_SIDE_PX:
        limits = f"at most {MAX_PIXELS // 10**6} megapixels and {MAX_SIDE_PX} pixels a side"
        raise ImageFileError(path, f"the image is too large ({w}x{h}); scale it down to {limits}")


def _reduction(size: tuple[int, int]) -> int:
    """The integer factor that brings ``size`` down to about WORK_PIXELS (1: keep it)."""
    return max(1, math.ceil(math.sqrt(math.prod(size) / WORK_PIXELS)))


def _decode(image: Any, fmt: str, path: str | Path) -> tuple[np.ndarray, np.ndarray | None]:
    """Decode the pixels: (grey, alpha), (H, W) float32 in [0, 1], upright; alpha None when opaque."""
    try:
        factor = _reduction(image.size)
        if fmt == "JPEG" and factor > 1:  # libjpeg scales by 1/2, 1/4 or 1/8 while decoding
            w, h = image.size
            image.draft("L" if image.mode in ("L", "RGB") else None, (w // factor, h // factor))
        image.load()
        _check_size(image.size, path)  # a GIF frame may enlarge the canvas
        grey, alpha = _channels(image, _reduction(image.size))
        orientation = _orientation(image)
    except ImageFileError:
        raise
    except MemoryError:
        raise ImageFileError(path, "the image is too large to decode in memory") from None
    except Exception as exc:  # a decoder's complaint about untrusted data is one line
        if str(exc).startswith("image file is truncated"):
            raise ImageFileError(path, f"the {fmt} file is cut short: its pixels are incomplete") from None
        raise ImageFileError(path, f"the {fmt} image data is damaged ({_reason(exc)})") from None
    upright = _UPRIGHT.get(orientation)
    if upright is not None:
        grey = upright(grey)
        alpha = upright(alpha) if alpha is not None else None
    return grey, alpha


def _channels(image: Any, factor: int) -> tuple[np.ndarray, np.ndarray | None]:
    """Luminance (ITU-R 601, Pillow's "L") and alpha of a loaded image, averaged down by ``factor``."""
    alpha = None
    if image.mode.startswith("I"):  # 16-bit greyscale PNG: "L" would clip every value above 255
        grey, full_scale = image.convert("F"), 65535.0
    elif image.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        grey, alpha, full_scale = rgba.convert("L"), rgba.getchannel("A"), 255.0
    else:
        grey, full_scale = image.convert("L"), 255.0
    if factor > 1:
        grey = grey.reduce(factor)
        alpha = alpha.reduce(factor) if alpha is not None else None
    scale = np.float32(1 / full_scale)

    def as_array(channel: Any) -> np.ndarray:
        return np.clip(np.asarray(channel, dtype=np.float32) * scale, 0.0, 1.0)  # (H, W) float32 in [0, 1]

    return as_array(grey), (as_array(alpha) if alpha is not None else None)


def _orientation(image: Any) -> int:
    """The EXIF orientation (1 = upright); metadata too damaged or too large to read counts as upright."""
    exif = image.info.get("exif")
    if not isinstance(exif, bytes) or not exif or len(exif) > _MAX_EXIF_BYTES:
        return 1
    try:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except Exception:  # a broken EXIF block must not cost the picture
        return 1
    return value if isinstance(value, int) else 1


def _lay_on_paper(grey: np.ndarray, alpha: np.ndarray | None) -> np.ndarray:
    """Composite transparent pixels onto black or white paper, whichever contrasts with the ink."""
    if alpha is not None and alpha.min() < 0.5:
        opaque = alpha >= 0.5
        ink_is_light = opaque.any() and float(grey[opaque].mean()) > 0.5
        paper = np.float32(0.0 if ink_is_light else 1.0)
        grey = alpha * grey + (1 - alpha) * paper
    return np.ascontiguousarray(grey, dtype=np.float32)  # (H, W) float32 in [0, 1]


def _reason(exc: BaseException) -> str:
    """An exception as a short, non-empty phrase."""
    text = " ".join(str(exc).split())
    return text[:120] if text else type(exc).__name__
