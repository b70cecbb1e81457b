"""Open a file that a person named: regular files only, the size checked with stat before reading.

Every reader of outside files (stroke files, images, model files) comes through here, so a
named pipe never blocks, a device is never read, and each refusal is one short phrase that the
caller puts after the file's name.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

# Opening a named pipe for reading blocks until a writer appears; O_NONBLOCK makes it return at once
# so that fstat can refuse it.  On a regular file the flag changes nothing.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
_KINDS = {
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
}


class UnreadableFile(Exception):
    """A file that will not be read; ``problem`` is a short phrase without the file's name."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def display_name(path: str | os.PathLike[str]) -> str:
    """``path`` as text that can always be printed: bytes that are not valid in the file system's
    encoding become U+FFFD replacement characters."""
    return os.fsencode(path).decode(sys.getfilesystemencoding(), "replace")


def megabytes(n: int) -> str:
    """A byte count for people: '16 MB', '0.7 MB'."""
    return f"{n / 2**20:.0f} MB" if n >= 10 * 2**20 else f"{n / 2**20:.1f} MB"


def os_problem(exc: OSError, path: str | os.PathLike[str], kind: str) -> str:
    """What an OSError from opening or reading ``path`` means, as a short phrase."""
    if exc.errno == errno.ENOENT:
        return "no such file"
    if exc.errno == errno.EISDIR or (isinstance(exc, PermissionError) and Path(path).is_dir()):
        return f"is a folder, not {kind}"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied: you may not read this file (check its permissions)"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is a file, not a folder)"
    return f"cannot read it ({exc.strerror or type(exc).__name__})"


def check_kind(mode: int, kind: str) -> None:
    """Refuse anything but a regular file."""
    if stat.S_ISDIR(mode):
        raise UnreadableFile(f"is a folder, not {kind}")
    if not stat.S_ISREG(mode):
        other = _KINDS.get(stat.S_IFMT(mode), "not a file")
        raise UnreadableFile(f"not a regular file ({other}), so not {kind}")


def open_regular(path: str | os.PathLike[str], max_bytes: int, kind: str) -> BinaryIO:
    """``path`` opened for reading, if it is a regular file of at most ``max_bytes`` bytes.

    ``kind`` names what the file should be ("an image"), for the messages.  The file is looked at
    with stat before it is opened (so a device is never opened) and with fstat after (so it cannot
    be swapped in between).  Raises UnreadableFile.
    """
    try:
        check_kind(Path(path).stat().st_mode, kind)
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        raise UnreadableFile(os_problem(exc, path, kind)) from None
    try:
        info = os.fstat(fd)
        check_kind(info.st_mode, kind)
        if info.st_size > max_bytes:
            raise UnreadableFile(f"too big for {kind} ({megabytes(info.st_size)}; the limit is {megabytes(max_bytes)})")
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | os.PathLike[str], max_bytes: int, kind: str) -> bytes:
    """The whole content of the regular file ``path`` (at most ``max_bytes``; never empty)."""
    with open_regular(path, max_bytes, kind) as f:
        try:
            data = f.read(max_bytes + 1)  # the size can grow after fstat
        except OSError as exc:
            raise UnreadableFile(os_problem(exc, path, kind)) from None
    if len(data) > max_bytes:
        raise UnreadableFile(f"too big for {kind} (over {megabytes(max_bytes)})")
    if not data:
        raise UnreadableFile("the file is empty")
    return data


def read_head(path: str | os.PathLike[str], n: int) -> bytes:
    """The first ``n`` bytes of ``path`` if it is a readable regular file, else b'' (never blocks)."""
    try:
        with open_regular(path, sys.maxsize, "a file") as f:
            return f.read(n)
    except (UnreadableFile, OSError):
        return b""
