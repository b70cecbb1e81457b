"""Write files so that a reader, a crash or Ctrl+C never sees half of one: temporary file, then rename."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


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
