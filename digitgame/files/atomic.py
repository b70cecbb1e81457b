"""Write files so that a reader, a crash or Ctrl+C never sees half of one: temporary file, then rename.

A temporary file is a hidden sibling named ``.STEM.PID.RANDOM.tmpSUFFIX``: the writer's process id
lets a later start tell the leftovers of a killed writer (removed by ``remove_stale_temporaries``)
from a save still running in another process.  After the rename the folder is fsynced too, so the
new name survives a power cut, not only the bytes.
"""

from __future__ import annotations

import contextlib
import errno
import glob
import os
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()  # read once: os.umask can only be read by setting it
_TEMPORARY = re.compile(r"\.(?P<stem>.+)\.(?P<pid>\d+)\.[a-z0-9_]{8}\.tmp(?P<suffix>\.[^.]*)?")
MAX_SET_ASIDE = 20  # broken files of ours kept per name (set_aside)
STALE_AFTER_S = 24 * 3600  # a temporary file of a process still alive is removed only when this old


@dataclass(frozen=True)
class Temporary:
    """A temporary file left in a folder, and the file it was going to become."""

    path: Path
    target: Path


def temporary_for(path: Path) -> Path:
    """A new, empty hidden sibling of ``path`` to write into, with the mode a plain open() would give."""
    fd, name = tempfile.mkstemp(prefix=f".{path.stem}.{os.getpid()}.", suffix=f".tmp{path.suffix}", dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    with contextlib.suppress(OSError):  # mkstemp makes 0600
        tmp.chmod(path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_UMASK)
    return tmp


def write_temporary(path: Path, data: bytes) -> Path:
    """A temporary sibling of ``path`` holding ``data``, flushed to disk; removed again on any failure.

    Every write is checked: a full disk raises OSError(ENOSPC) here, from write, flush or fsync.
    """
    tmp = temporary_for(path)
    try:
        with open(tmp, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        if tmp.stat().st_size != len(data):
            raise OSError(errno.EIO, f"wrote {tmp.stat().st_size} of {len(data)} bytes")
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return tmp


def fsync_directory(folder: Path) -> None:
    """Make the names in ``folder`` durable (after a rename); a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # Windows: folders cannot be opened, and renames are durable there
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def commit(tmp: Path, path: Path) -> Path:
    """Rename the finished temporary file over ``path`` and make the rename durable."""
    os.replace(tmp, path)
    fsync_directory(path.parent)
    return path


def write_atomically(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)`` for a sibling of ``path``, then rename it over ``path``.

    The temporary name keeps ``path``'s suffix, so writers that pick a format from the
    extension still work.  A writer that leaves the file empty has failed (pygame's image.save
    on a full disk does that), so it raises OSError.  On any failure the temporary file is
    removed and ``path`` is untouched.
    """
    path = Path(path)
    tmp = temporary_for(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
            if os.fstat(f.fileno()).st_size == 0:
                raise OSError(errno.EIO, "nothing was written")
        commit(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def write_bytes_atomically(path: Path, data: bytes) -> Path:
    """Atomically replace ``path`` with ``data``; on any failure the temporary file is removed, ``path`` untouched."""
    path = Path(path)
    tmp = write_temporary(path, data)
    try:
        return commit(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def set_aside(path: Path) -> Path:
    """Rename a file of ours that cannot be read to a free ``NAME.broken-<date>-<time>`` beside it (``-2``, ...
    when two break in the same second), so that the next write does not destroy what someone may still want to
    look at; returns the new name.  Raises OSError when it cannot be renamed.

    Only the newest MAX_SET_ASIDE of one name are kept: a folder never fills with them.
    """
    path = Path(path)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    same_second = [n for when, n in map(_set_aside_order, set_aside_files(path)) if when == stamp]
    n = max(same_second, default=0) + 1  # after every earlier one, even when the oldest was pruned
    aside = path.with_name(f"{path.name}.broken-{stamp}" + (f"-{n}" if n > 1 else ""))
    while os.path.lexists(aside):  # a name of that form not made here: never replaced
        n += 1
        aside = path.with_name(f"{path.name}.broken-{stamp}-{n}")
    path.rename(aside)
    _prune_set_aside(path)
    return aside


def set_aside_files(path: Path) -> list[Path]:
    """The files ``set_aside`` made of ``path``, oldest first."""
    return sorted(path.parent.glob(f"{glob.escape(path.name)}.broken-*"), key=_set_aside_order)


def _set_aside_order(path: Path) -> tuple[str, int]:
    """(date-time, n) of ``NAME.broken-<date>-<time>[-n]``: the tenth of one second sorts after the second."""
    date, _, rest = path.name.rpartition(".broken-")[2].partition("-")
    time_of_day, _, n = rest.partition("-")
    return f"{date}-{time_of_day}", int(n) if n.isdigit() else 1


def _prune_set_aside(path: Path) -> None:
    for old in set_aside_files(path)[:-MAX_SET_ASIDE]:
        with contextlib.suppress(OSError):
            old.unlink()


def stale_temporaries(folder: Path) -> list[Temporary]:
    """The temporary files in ``folder`` whose writer is gone (its process ended, or a day has passed)."""
    try:
        paths = list(Path(folder).iterdir())
    except OSError:
        return []
    stale = []
    for path in paths:
        match = _TEMPORARY.fullmatch(path.name)
        if match is not None and _is_stale(path, int(match["pid"])):
            stale.append(Temporary(path, path.with_name(f"{match['stem']}{match['suffix'] or ''}")))
    return stale


def remove_stale_temporaries(folder: Path) -> int:
    """Delete the leftovers of writers that were killed; returns how many went."""
    removed = 0
    for stale in stale_temporaries(folder):
        with contextlib.suppress(OSError):
            stale.path.unlink()
            removed += 1
    return removed


_STARTED = time.time()  # about when this process started: its own older temporaries are a namesake's


def _is_stale(path: Path, pid: int) -> bool:
    try:
        modified = path.stat().st_mtime
    except OSError:
        return False
    if pid == os.getpid():  # process ids are reused (in a container the app may always be pid 1)
        return modified < _STARTED
    if time.time() - modified > STALE_AFTER_S:
        return True
    if os.name == "nt":  # os.kill(pid, 0) would send Ctrl+C there; age alone decides
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return True
    except OSError:  # another user's process, alive: leave its file alone
        return False
    return False
