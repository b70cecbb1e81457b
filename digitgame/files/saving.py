"""Save a drawing and its picture so that "Saved" means saved (no pygame here: the picture's writer is passed in).

A save writes the stroke file's bytes and the picture's bytes each to a temporary file, checked
and fsynced; then renames the stroke file into place, then the picture.  So a picture never
exists without its drawing, and a kill -9 between the two renames leaves the finished picture in
its temporary file, which ``recover`` (called at the next start) renames into place.  Any failure
removes what this save wrote and says why in a few words ("disk full").
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from digitgame.files import atomic
from digitgame.files.strokefile import StrokeFile

WritePicture = Callable[[BinaryIO], None]  # writes the picture into the stream (picture_writer makes one)
STEM_FORMAT = "digit-%Y%m%d-%H%M%S"  # the file names of saved drawings, by local time
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_END = b"\x00\x00\x00\x00IEND\xaeB`\x82"  # the empty IEND chunk that closes every PNG
_PILLOW_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".bmp": "BMP", ".webp": "WEBP", ".tga": "TGA"}
_PROBLEMS = {
    errno.ENOSPC: "disk full",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "no permission to write there",
    errno.EPERM: "no permission to write there",
}
if hasattr(errno, "EDQUOT"):
    _PROBLEMS[errno.EDQUOT] = "disk full (your quota is used up)"


class PictureError(Exception):
    """The picture writer failed or made something that is not a whole picture."""


@dataclass(frozen=True)
class SaveResult:
    """What a save did: the files written, or (``problem``) why nothing was."""

    folder: Path
    drawing: Path | None = None
    picture: Path | None = None
    problem: str = ""  # a few words: "disk full"; empty when saved

    @property
    def is_saved(self) -> bool:
        return not self.problem

    @property
    def message(self) -> str:
        """What to tell the person, in one line."""
        if not self.is_saved:
            return f"Could not save: {self.problem} ({self.folder}). Your drawing is still here."
        if self.drawing is not None:
            return f"Saved {self.drawing.stem}.json and .png in {self.folder}"
        return f"Saved {self.picture}"


@dataclass(frozen=True)
class Recovery:
    """What ``recover`` found in a folder: interrupted saves completed, leftovers removed."""

    completed: tuple[Path, ...] = ()
    removed: int = 0


def problem_of(exc: OSError) -> str:
    """An OSError as the few words a person needs: "disk full", "the disk is read-only", ..."""
    return _PROBLEMS.get(exc.errno or 0) or exc.strerror or str(exc) or type(exc).__name__


def picture_writer(width: int, height: int, rgb: bytes, suffix: str = ".png") -> WritePicture:
    """A writer of an RGB picture (``rgb``: rows of ``width`` x 3 bytes, top to bottom) in the format that
    ``suffix`` names (PNG for any other), encoded by Pillow: the app needs no image library of SDL's."""

    def write(stream: BinaryIO) -> None:
        from PIL import Image

        Image.frombytes("RGB", (width, height), rgb).save(stream, _PILLOW_FORMATS.get(suffix.lower(), "PNG"))

    return write


def render(write_picture: WritePicture, suffix: str = ".png") -> bytes:
    """The picture's bytes, from ``write_picture``; PictureError unless it is a whole (PNG) file."""
    stream = io.BytesIO()
    try:
        write_picture(stream)
    except Exception as exc:  # the writer is the UI's (pygame.error and the like): its failure is one line
        raise PictureError(f"the picture could not be made ({str(exc) or type(exc).__name__})") from None
    data = stream.getvalue()
    if not data:
        raise PictureError("the picture came out empty")
    if suffix.lower() == ".png" and not (data.startswith(PNG_SIGNATURE) and data.endswith(PNG_END)):
        raise PictureError("the picture is not a complete PNG")
    return data


def free_stem(folder: Path, stem: str) -> str:
    """``stem``, or ``stem-2``, ``stem-3``... so that two saves in one second do not overwrite each other."""
    taken = {p.name for p in folder.iterdir() if p.name.startswith(stem)}  # one look at the folder
    candidate, n = stem, 1
    while f"{candidate}.json" in taken or f"{candidate}.png" in taken:
        n += 1
        candidate = f"{stem}-{n}"
    return candidate


def save_drawing(drawing: StrokeFile, folder: Path, write_picture: WritePicture) -> SaveResult:
    """Write ``drawing`` as STEM.json and its picture as STEM.png in ``folder`` (made if missing)."""
    folder = Path(folder)
    try:
        picture = render(write_picture)
        folder.mkdir(parents=True, exist_ok=True)
        stem = free_stem(folder, time.strftime(STEM_FORMAT))
        json_path, png_path = folder / f"{stem}.json", folder / f"{stem}.png"
        _write_pair((json_path, drawing.encode()), (png_path, picture))
    except PictureError as exc:
        return SaveResult(folder, problem=str(exc))
    except OSError as exc:
        return SaveResult(folder, problem=problem_of(exc))
    return SaveResult(folder, json_path, png_path)


def _write_pair(first: tuple[Path, bytes], second: tuple[Path, bytes]) -> None:
    """Both files or neither: both written to temporaries, then renamed first, second; undone on failure."""
    temporaries: list[Path] = []
    placed: list[Path] = []
    try:
        for path, data in (first, second):
            temporaries.append(atomic.write_temporary(path, data))
        for tmp, (path, _) in zip(temporaries, (first, second), strict=True):
            os.replace(tmp, path)
            placed.append(path)
        atomic.fsync_directory(first[0].parent)
    except BaseException:
        for path in temporaries + placed:
            with contextlib.suppress(OSError):
                path.unlink()
        raise


def save_picture(path: Path, write_picture: WritePicture) -> SaveResult:
    """Write one picture atomically (``--screenshot``), in the format its suffix names."""
    path = Path(path)
    try:
        data = render(write_picture, path.suffix)
        atomic.remove_stale_temporaries(path.parent)
        atomic.write_bytes_atomically(path, data)
    except PictureError as exc:
        return SaveResult(path.parent, problem=str(exc))
    except OSError as exc:
        return SaveResult(path.parent, problem=problem_of(exc))
    return SaveResult(path.parent, picture=path)


def recover(folder: Path) -> Recovery:
    """Clean up after saves that were killed: put a finished picture beside its drawing, remove the rest."""
    completed: list[Path] = []
    removed = 0
    for stale in atomic.stale_temporaries(Path(folder)):
        target = stale.target
        try:
            if _completes_a_pair(stale.path, target):
                os.replace(stale.path, target)
                completed.append(target)
            else:
                stale.path.unlink()
                removed += 1
        except OSError:
            continue  # a read-only folder, say: try again next start
    if completed:
        with contextlib.suppress(OSError):
            atomic.fsync_directory(Path(folder))
    return Recovery(tuple(completed), removed)


def _completes_a_pair(tmp: Path, target: Path) -> bool:
    """A leftover picture is finished work when its drawing is in place and it is a whole PNG."""
    if target.suffix != ".png" or target.exists() or not target.with_suffix(".json").is_file():
        return False
    with open(tmp, "rb") as f:
        head = f.read(len(PNG_SIGNATURE))
        f.seek(max(0, os.fstat(f.fileno()).st_size - len(PNG_END)))
        return head == PNG_SIGNATURE and f.read() == PNG_END
