"""Write files so that a reader, a crash or Ctrl+C never sees half of one: temporary file, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once: os.umask can only be read by setting it


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)`` for a sibling of ``path``, then rename it over ``path``.

    The temporary name keeps ``path``'s suffix, so writers that pick a format from the
    extension (pygame's image.save) still work.  On any failure the temporary file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    with contextlib.suppress(OSError):  # mkstemp makes 0600; give the file the mode a plain open() would
        tmp.chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_UMASK)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Atomically replace ``path`` with ``data``."""
    def write(tmp: Path) -> None:
        tmp.write_bytes(data)

    return write_atomically(path, write)
