"""saving: "Saved" means saved -- full disks, writers that write nothing, kill -9 in the middle of a save.

The full disk is a real one where the test may mount a 256 kB tmpfs (as root); elsewhere it is
simulated (see the ``full_disk`` fixture).
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digitgame.files import atomic, saving
from digitgame.files.strokefile import load_stroke_file
from digitgame.live.drawing import Drawing

Image = pytest.importorskip("PIL.Image")
ROOT = Path(__file__).resolve().parent.parent


def pillow_bytes(image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.fixture()
def full_disk(tmp_path, monkeypatch):
    """A folder on a full disk: a 256 kB tmpfs filled to the last byte (as root), or, where mounting
    is not allowed, a folder whose writes fail with ENOSPC after writing nothing (monkeypatched
    ``open`` in digitgame.files.atomic).  Yields (folder, is_real)."""
    folder = tmp_path / "full"
    folder.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
        if shutil.which("mount")
        else False
    )
    if mounted:
        with contextlib.suppress(OSError), open(folder / "filler", "wb") as f:
            while True:
                f.write(b"\0" * 4096)
                f.flush()
    else:
        real_open = open

        def failing_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            if "w" in mode:
                handle.close()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return handle

        monkeypatch.setattr(atomic, "open", failing_open, raising=False)
    try:
        yield folder, mounted
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], check=False)


def visible_and_hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != "filler")


def png_writer(f) -> None:
    f.write(pillow_bytes(Image.new("L", (200, 200), 255), "PNG"))


def test_saving_on_a_full_disk_says_so_and_leaves_nothing(full_disk):
    folder, _ = full_disk
    drawing = Drawing(560, 560, [[(10.0, 10.0), (500.0, 500.0)] * 200])
    result = saving.save_drawing(drawing.to_file(), folder, png_writer)
    assert not result.is_saved and result.problem == "disk full"
    assert result.message.startswith("Could not save: disk full")
    assert visible_and_hidden(folder) == []


def test_a_writer_that_writes_nothing_is_a_failed_save(tmp_path):
    result = saving.save_drawing(Drawing(10, 10, [[(1.0, 1.0)]]).to_file(), tmp_path, lambda f: None)
    assert result.problem == "the picture came out empty" and list(tmp_path.iterdir()) == []
    result = saving.save_drawing(
        Drawing(10, 10, [[(1.0, 1.0)]]).to_file(), tmp_path, lambda f: f.write(b"\x89PNG\r\n\x1a\n")
    )
    assert result.problem == "the picture is not a complete PNG" and list(tmp_path.iterdir()) == []


@pytest.fixture()
def make_app(predictor):
    """Apps (through the tests' driver) on an 800x600 window with the committed model, closed afterwards."""
    pytest.importorskip("pygame")
    from driver import Driver

    from digitgame.app import Settings

    apps = []

    def make(save_dir: Path, **settings):
        apps.append(
            Driver(Settings(is_fullscreen=False, window_size=(800, 600), save_dir=save_dir, **settings), predictor)
        )
        return apps[-1]

    yield make
    for app in apps:
        app.close()


def test_ctrl_s_on_a_full_disk_shows_could_not_save(full_disk, make_app):
    import pygame
    from driver import line

    folder, _ = full_disk
    app = make_app(folder)
    app.drag(line((0.5, 0.2), (0.5, 0.8)))
    app.key(pygame.K_s, pygame.KMOD_LCTRL)
    assert app.toast is not None and app.toast[1] and "Could not save: disk full" in app.toast[0]
    assert visible_and_hidden(folder) == [] and not app.drawing.is_empty


def test_the_app_finishes_or_removes_what_a_killed_save_left(tmp_path, make_app):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Drawing(10, 10, [[(1.0, 1.0)]]).to_file().save(tmp_path / "digit-1.json")
    (tmp_path / f".digit-1.{dead.pid}.abcdefgh.tmp.png").write_bytes(pillow_bytes(Image.new("L", (4, 4)), "PNG"))
    (tmp_path / f".digit-2.{dead.pid}.abcdefgh.tmp.json").write_text("{")
    make_app(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["digit-1.json", "digit-1.png"]


def test_screenshot_on_a_full_disk_exits_non_zero_with_one_line(full_disk, make_app, capsys):
    """In a child process on a real full disk; in this process when the full disk is monkeypatched."""
    folder, is_real = full_disk
    shot = folder / "shot.png"
    expected = [f"digitgame: cannot write the screenshot {shot}: disk full"]
    if is_real:
        child = subprocess.run(
            [sys.executable, "-m", "digitgame", "--windowed", "--size", "800x600", "--screenshot", str(shot)],
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=120,
        )
        assert child.returncode != 0 and child.stderr.splitlines() == expected
    else:
        assert make_app(folder, screenshot=shot).run() != 0
        assert capsys.readouterr().err.splitlines() == expected
    assert visible_and_hidden(folder) == []


SAVER = """
import sys, time
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from digitgame.files import saving
from digitgame.live.drawing import Drawing
picture = Path(sys.argv[3]).read_bytes()
drawing = Drawing(560, 560, [[(float(i), float(i * 2 % 500)) for i in range(3000)]])
print("ready", flush=True)
while True:
    saving.save_drawing(drawing.to_file(), Path(sys.argv[2]), lambda f: f.write(picture))
"""


@pytest.mark.slow
def test_kill_9_during_saves_leaves_complete_pairs_after_recovery(tmp_path, rng):
    """A child saves as fast as it can; it is killed 25 times at random moments; after each,
    recover() (the next start) must leave only complete pairs and no temporary files."""
    folder, picture = tmp_path / "saves", tmp_path / "picture.png"
    picture.write_bytes(pillow_bytes(Image.new("L", (300, 300), 255), "PNG"))
    for _ in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", SAVER, str(ROOT), str(folder), str(picture)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline() == "ready\n"
        time.sleep(float(rng.uniform(0.0, 0.05)))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        saving.recover(folder)
        names = [p.name for p in folder.iterdir()]
        assert not [n for n in names if n.startswith(".")], names
        stems = {Path(n).stem for n in names}
        assert sorted(names) == sorted(f"{s}{x}" for s in stems for x in (".json", ".png"))
    for path in folder.glob("*.json"):
        assert load_stroke_file(path).point_count == 3000
    for path in folder.glob("*.png"):
        assert path.read_bytes() == picture.read_bytes()


def test_recovery_puts_a_finished_picture_beside_its_drawing(tmp_path):
    """The moment between the two renames, made by hand: the drawing in place, the picture still temporary."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    Drawing(10, 10, [[(1.0, 1.0)]]).to_file().save(tmp_path / "digit-1.json")
    png = pillow_bytes(Image.new("L", (4, 4)), "PNG")
    (tmp_path / f".digit-1.{dead.pid}.abcdefgh.tmp.png").write_bytes(png)
    (tmp_path / f".digit-2.{dead.pid}.abcdefgh.tmp.json").write_text("{")  # no pair: removed
    (tmp_path / f".digit-3.{os.getppid()}.abcdefgh.tmp.json").write_text("{")  # a living writer's: kept
    recovery = saving.recover(tmp_path)
    assert recovery.completed == (tmp_path / "digit-1.png",) and recovery.removed == 1
    assert (tmp_path / "digit-1.png").read_bytes() == png
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f".digit-3.{os.getppid()}.abcdefgh.tmp.json",
        "digit-1.json",
        "digit-1.png",
    ]


def test_the_folder_is_fsynced_after_the_rename(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (synced.append(Path(f"/proc/self/fd/{fd}").is_dir()), real_fsync(fd)))
    atomic.write_bytes_atomically(tmp_path / "a.json", b"{}")
    assert synced == [False, True]  # the file's bytes, then the folder's names


def test_a_failed_rename_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    path = tmp_path / "sums.json"
    path.write_bytes(b"old")

    def full(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(OSError):
        atomic.write_bytes_atomically(path, b"new")
    assert [p.name for p in tmp_path.iterdir()] == ["sums.json"] and path.read_bytes() == b"old"


def test_set_aside_keeps_every_broken_file_under_a_free_name(tmp_path):
    """Two files broken in the same second are both kept, in the order they broke."""
    path = tmp_path / "sums.json"
    for content in ("first", "second", "third"):
        path.write_text(content)
        atomic.set_aside(path)
    assert not path.exists()
    assert [p.read_text() for p in atomic.set_aside_files(path)] == ["first", "second", "third"]


def test_set_aside_keeps_only_the_newest_of_one_name(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "MAX_SET_ASIDE", 3)
    path = tmp_path / "profile.npz"
    (tmp_path / "other.json.broken-20260101-000000").write_text("another name's")
    for n in range(5):
        path.write_text(str(n))
        atomic.set_aside(path)
    assert [p.read_text() for p in atomic.set_aside_files(path)] == ["2", "3", "4"]
    assert (tmp_path / "other.json.broken-20260101-000000").exists()


def test_set_aside_of_a_file_that_cannot_be_moved_raises(tmp_path):
    with pytest.raises(OSError):
        atomic.set_aside(tmp_path / "missing.json")
