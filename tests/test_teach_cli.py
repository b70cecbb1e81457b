"""The ``teach`` command and ``predict --profile``: teach, list, read as taught, ignore, forget; bad input in one line."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time

import numpy as np
import pytest

from digitgame.files import paths
from digitgame.live.drawing import Drawing
from digitgame.teaching import taught


def run(*args: str, home=None) -> subprocess.CompletedProcess[str]:
    env = None
    if home is not None:  # the default profile folder lives under $HOME / $XDG_DATA_HOME
        env = os.environ | {"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "APPDATA": str(home / "data")}
    return subprocess.run(
        [sys.executable, "-m", "digitgame", *args], capture_output=True, text=True, cwd=paths.resource_root(), env=env
    )


@pytest.fixture()
def flagged_ones(tmp_path):
    """Four stroke files of a 1 with a long flag rising from the lower left (the network reads them as 1s)."""
    files = []
    for i in range(4):
        rng = np.random.default_rng(i)
        control = np.array([(0.0, 0.42), (0.62, 0.0), (0.62, 1.0)]) + rng.normal(0, 0.02, (3, 2))
        points = control * (210, 300) + (150 + 10 * i, 120)
        t = np.linspace(0, 1, 20, endpoint=False)[:, None]
        dense = np.concatenate([a + t * (b - a) for a, b in itertools.pairwise(points)] + [points[-1:]])
        path = tmp_path / f"one{i}.json"
        Drawing(560, 560, [[(float(x), float(y)) for x, y in dense]]).to_file().save(path)
        files.append(str(path))
    return files


@pytest.mark.slow
def test_teach_list_predict_and_forget(tmp_path, flagged_ones):
    profile = str(tmp_path / "profile")
    before = run("predict", "--json", "--profile", profile, flagged_ones[3])
    assert json.loads(before.stdout)["digit"] == 1 and not json.loads(before.stdout)["taught"]
    result = run("teach", "--profile", profile, "--digit", "7", *flagged_ones[:3])
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("taught as 7") == 3 and "digit 7 has 3 examples" in result.stdout
    listed = run("teach", "--profile", profile, "--list")
    assert "3 examples taught" in listed.stdout and "  7: 3 examples" in listed.stdout
    after = json.loads(run("predict", "--json", "--profile", profile, flagged_ones[3]).stdout)
    assert after["digit"] == 7 and after["taught"] and after["digits"][0]["taught"]
    assert run("predict", "--profile", profile, flagged_ones[3]).stdout.rstrip().endswith(" taught")
    ignored = json.loads(run("predict", "--json", "--no-profile", "--profile", profile, flagged_ones[3]).stdout)
    assert ignored["digit"] == 1 and not ignored["taught"]
    forgot = run("teach", "--profile", profile, "--forget")
    assert forgot.returncode == 0 and "forgot 3 taught examples" in forgot.stdout
    assert "nothing taught yet" in run("teach", "--profile", profile, "--list").stdout


def test_the_default_profile_lives_in_the_data_folder(tmp_path, flagged_ones):
    result = run("teach", "--digit", "7", flagged_ones[0], home=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "digitgame" / "profile" / taught.FILE_NAME).exists()
    assert json.loads(run("predict", "--json", flagged_ones[0], home=tmp_path).stdout)["taught"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--digit", "12", "x.json"], "a digit is 0 to 9"),
        (["--digit", "3"], "needs at least one FILE"),
        (["--list", "x.json"], "go with --digit"),
        ([], "one of the arguments"),
    ],
)
def test_bad_teach_arguments_get_a_clear_message(args, message):
    result = run("teach", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_bad_files_and_folders_get_one_line_each(tmp_path, flagged_ones):
    (tmp_path / "empty.json").write_text(json.dumps(Drawing(560, 560).to_file().to_json()))
    (tmp_path / "broken.json").write_text("{nope")
    profile = tmp_path / "p"
    result = run(
        "teach",
        "--profile",
        str(profile),
        "--digit",
        "2",
        str(tmp_path / "empty.json"),
        str(tmp_path / "broken.json"),
        str(tmp_path / "missing.png"),
        flagged_ones[0],
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 3 and "nothing to teach" in result.stderr
    assert len(taught.read(profile)) == 1  # the good file was taught all the same
    (tmp_path / "a-file").write_text("x")
    not_a_folder = run("teach", "--profile", str(tmp_path / "a-file"), "--list")
    assert not_a_folder.returncode == 2 and "is a file, not a profile folder" in not_a_folder.stderr


def test_a_corrupt_profile_is_set_aside_by_predict_with_one_line(tmp_path, flagged_ones):
    folder = tmp_path / "p"
    folder.mkdir()
    taught.file_in(folder).write_bytes(b"PK\x03\x04 not really a zip")
    result = run("predict", "--json", "--profile", str(folder), flagged_ones[0])
    assert result.returncode == 0 and json.loads(result.stdout)["digit"] == 1
    assert len(result.stderr.splitlines()) == 1 and "profile.npz" in result.stderr and "moved to" in result.stderr
    assert [p.name for p in folder.iterdir() if p.name.startswith("profile.npz.broken-")]


def two_digits_profile(folder) -> taught.Profile:
    """Three examples (7, 2, 7), taught a day apart; the 2 from a drawing of two strokes, the rest from images."""
    profile = taught.Profile()
    strokes = {1: [[(10.0, 10.0), (20.0, 30.0)], [(5.0, 5.0), (6.0, 7.0)]]}
    for i, digit in enumerate((7, 2, 7)):
        example = taught.Example.from_input(
            np.full((28, 28), 0.5), digit, strokes=strokes.get(i), canvas=(560.0, 560.0), taught_at=1.8e9 + i * 86400
        )
        profile = profile.add(example)
    taught.save(folder, profile)
    return profile


def test_teach_list_shows_each_example_numbered_with_its_date_and_source(tmp_path):
    two_digits_profile(tmp_path / "p")
    listed = run("teach", "--profile", str(tmp_path / "p"), "--list")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    assert lines[0] == f"{tmp_path / 'p'}: 3 examples taught (remove one with --remove N)"
    day = time.strftime("%Y-%m-%d", time.localtime(1.8e9))
    next_day = time.strftime("%Y-%m-%d", time.localtime(1.8e9 + 86400))
    assert lines[1] == "  2: 1 example" and lines[2].split()[:3] == ["#2", "2", next_day]
    assert lines[2].endswith("drawing, 2 strokes")
    assert lines[3] == "  7: 2 examples" and lines[4].split()[:3] == ["#1", "7", day]
    assert lines[5].split()[0] == "#3" and "28×28 image" in lines[5]


def test_teach_remove_takes_one_example_out_by_its_number(tmp_path):
    folder = tmp_path / "p"
    before = two_digits_profile(folder)
    removed = run("teach", "--profile", str(folder), "--remove", "1")
    assert removed.returncode == 0, removed.stderr
    assert (
        removed.stdout.startswith(f"{folder}: removed #1, a 7 taught ")
        and "digit 7 has 1 example left" in removed.stdout
    )
    after = taught.read(folder)
    assert [e.taught_at for e in after.examples] == [e.taught_at for e in before.examples[1:]]
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary file left behind


@pytest.mark.parametrize(
    ("number", "message"),
    [("0", "no example #0: the examples are #1 to #3"), ("4", "no example #4"), ("-1", "no example #-1")],
)
def test_teach_remove_with_a_bad_number_says_so_in_one_line_and_changes_nothing(tmp_path, number, message):
    folder = tmp_path / "p"
    two_digits_profile(folder)
    result = run("teach", "--profile", str(folder), "--remove", number)
    assert result.returncode == 2 and message in result.stderr and len(result.stderr.splitlines()) == 1
    assert len(taught.read(folder)) == 3


def test_teach_remove_needs_a_number_and_something_taught(tmp_path):
    not_a_number = run("teach", "--profile", str(tmp_path / "p"), "--remove", "x")
    assert not_a_number.returncode == 2 and "invalid int value: 'x'" in not_a_number.stderr
    nothing = run("teach", "--profile", str(tmp_path / "p"), "--remove", "1")
    assert nothing.returncode == 2 and "nothing taught, nothing to remove" in nothing.stderr
    assert "Traceback" not in not_a_number.stderr + nothing.stderr
