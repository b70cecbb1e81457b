"""taught: the profile as values (cap, undo, snapshots) and as a file (round trip, set aside, kill -9 mid-save)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from digitgame.teaching import taught
from digitgame.teaching.taught import Example, Profile


def example(digit: int, seed: int = 0, strokes=None) -> Example:
    image = np.random.default_rng(seed).random((28, 28)).astype(np.float32)
    return Example.from_input(image, digit, strokes=strokes, canvas=(560.0, 400.0) if strokes else None)


def test_adding_makes_a_new_profile_and_leaves_the_snapshot_alone():
    before = Profile()
    after = before.add(example(3))
    assert len(before) == 0 and len(after) == 1 and after.counts()[3] == 1
    with pytest.raises(ValueError):
        after.examples[0].image[0, 0] = 1  # the pixels are read-only: threads share them


def test_each_digit_keeps_its_newest_examples_up_to_the_cap():
    profile = Profile(max_per_digit=3)
    for i in range(5):
        profile = profile.add(example(7, seed=i))
    profile = profile.add(example(1, seed=9))
    assert profile.counts()[7] == 3 and profile.counts()[1] == 1
    assert [e.image.tobytes() for e in profile.of_digit(7)] == [example(7, seed=i).image.tobytes() for i in (2, 3, 4)]


def test_remove_last_undoes_the_newest_teach():
    profile = Profile().add(example(1)).add(example(2))
    assert [e.digit for e in profile.remove_last().examples] == [1]


def test_from_input_refuses_a_digit_out_of_range():
    with pytest.raises(ValueError, match="0 to 9"):
        example(10)


def test_a_profile_round_trips_through_its_file(tmp_path):
    strokes = [[(10.0, 20.0), (30.5, 40.25)], [(5.0, 5.0)]]
    profile = Profile().add(example(4, 1, strokes)).add(example(0, 2)).add(example(9, 3, [[(1.0, 2.0), (3.0, 4.0)]]))
    taught.save(tmp_path, profile)
    again = taught.read(tmp_path)
    assert [e.digit for e in again.examples] == [4, 0, 9]
    for a, b in zip(profile.examples, again.examples, strict=True):
        np.testing.assert_array_equal(a.image, b.image)
        assert (a.digit, a.taught_at, a.canvas) == (b.digit, b.taught_at, b.canvas)
        assert (a.strokes is None) == (b.strokes is None)
        for sa, sb in zip(a.strokes or (), b.strokes or (), strict=True):
            np.testing.assert_array_equal(sa, sb)
    assert again.examples[0].strokes is not None and again.examples[0].strokes[1].tolist() == [[5.0, 5.0]]


def test_no_file_is_an_empty_profile_without_a_message(tmp_path):
    loaded = taught.load(tmp_path / "nowhere")
    assert loaded.profile.is_empty and loaded.message == ""


@pytest.mark.parametrize(
    "content",
    [b"", b"not a zip at all", b"PK\x03\x04" + b"\x00" * 40, "truncated", "foreign"],
)
def test_a_broken_or_foreign_profile_is_set_aside_with_one_line(tmp_path, content):
    path = taught.file_in(tmp_path)
    if content == "truncated":
        taught.save(tmp_path, Profile().add(example(5)))
        content = path.read_bytes()[:-60]
    elif content == "foreign":
        np.savez(path, format=np.array("something-else"), version=np.array(1))
        content = path.read_bytes()
    path.write_bytes(content)
    loaded = taught.load(tmp_path)
    assert loaded.profile.is_empty
    assert str(path) in loaded.message and "\n" not in loaded.message
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("profile.npz.broken-")]
    assert len(aside) == 1 and aside[0].read_bytes() == content  # renamed, never deleted
    assert aside[0].name in loaded.message and not path.exists()


def test_forget_removes_the_file(tmp_path):
    taught.save(tmp_path, Profile().add(example(2)))
    assert taught.forget(tmp_path) and not taught.file_in(tmp_path).exists()
    assert not taught.forget(tmp_path)


WRITER = textwrap.dedent(
    """
    import sys
    import numpy as np
    from digitgame.teaching import taught
    folder, = sys.argv[1:]
    profiles = []
    for n in (40, 400):  # a small and a large profile, saved in turn as fast as possible
        p = taught.Profile(max_per_digit=50)
        for i in range(n):
            p = p.add(taught.Example.from_input(np.full((28, 28), i % 7 / 7, np.float32), i % 10,
                                                strokes=[[(i, i), (i + 1.5, 2.0)]] * 3, canvas=(560.0, 560.0)))
        profiles.append(p)
    print("ready", flush=True)
    i = 0
    while True:
        taught.save(folder, profiles[i % 2])
        i += 1
    """
)


@pytest.mark.slow
def test_a_writer_killed_mid_save_always_leaves_a_whole_profile(tmp_path):
    """SIGKILL a process that saves profiles back to back, at random moments; every load sees one whole profile."""
    rng = np.random.default_rng(4)
    for _ in range(12):
        writer = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
        )
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.01, 0.25))
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        assert len(taught.read(tmp_path)) in (0, 40, 400)  # ProfileError would fail the test
    assert len(taught.read(tmp_path)) in (40, 400)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("profile.npz.broken")]
