"""--self-test: the shipped drawings are recognised; one line each; wrong answers and broken models fail clearly."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digitgame import paths, selftest
from digitgame.predictor import Outputs
from digitgame.recognizer import Recognizer

SHIPPED = paths.asset_path(selftest.SELFTEST_FOLDER)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digitgame", *args], capture_output=True, text=True, cwd=cwd)


class AlwaysPredicts:
    """A predictor that answers ``digit`` whatever it is shown."""

    backend, embedding_size = "fake", 0

    def __init__(self, digit: int) -> None:
        self.digit = digit
        self.path = Path("fake.tflite")

    def predict(self, images: np.ndarray) -> Outputs:
        return Outputs(np.tile(np.eye(10, dtype=np.float32)[self.digit], (len(images), 1)), None)


def test_shipped_drawings_cover_every_digit():
    assert {case.expected for case in selftest.find_cases(SHIPPED)} == set(range(10))


@pytest.mark.parametrize("case", selftest.find_cases(SHIPPED), ids=lambda case: case.path.name)
def test_the_model_recognises_each_shipped_drawing(recognizer, case):
    assert recognizer.file(case.path).digit == case.expected


def test_self_test_prints_one_line_per_drawing_and_a_summary(tmp_path):
    result = run("--self-test", cwd=tmp_path)
    lines = result.stdout.splitlines()
    count = len(selftest.find_cases(SHIPPED))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(lines) == count + 1
    assert all(line.startswith("ok   ") for line in lines[:-1])
    assert lines[-1].startswith(f"self-test PASSED: {count}/{count} right")


def test_a_wrong_answer_is_reported_and_counted():
    cases = [selftest.Case(SHIPPED / "1-stick.json", 1), selftest.Case(SHIPPED / "7-plain.json", 7)]
    out = io.StringIO()
    assert selftest.check_cases(Recognizer(AlwaysPredicts(1)), cases, out) == 1
    assert out.getvalue().splitlines() == [
        "ok   1-stick.json: 1 (100.0%)",
        "FAIL 7-plain.json: expected 7, got 1 (100.0%)",
    ]


def test_an_unreadable_drawing_counts_as_wrong(tmp_path):
    (tmp_path / "3-broken.json").write_text("{not json")
    out = io.StringIO()
    assert selftest.check_cases(Recognizer(AlwaysPredicts(3)), selftest.find_cases(tmp_path), out) == 1
    assert out.getvalue().startswith("FAIL 3-broken.json: expected 3, cannot read it (not valid JSON")


def test_wrong_answers_make_the_exit_status_1(tmp_path):
    shutil.copy(SHIPPED / "1-stick.json", tmp_path / "8-really-a-one.json")
    out = io.StringIO()
    assert selftest.run_self_test(folder=tmp_path, out=out) == 1
    assert out.getvalue().splitlines()[-1].startswith("self-test FAILED: 0/1 right")


@pytest.mark.parametrize("name", ["seven.json", "10-ten.json", "x7.json"])
def test_a_drawing_without_its_digit_in_the_name_is_refused(tmp_path, capsys, name):
    shutil.copy(SHIPPED / "7-plain.json", tmp_path / name)
    assert selftest.run_self_test(folder=tmp_path) == 2
    assert "must start with the digit drawn" in capsys.readouterr().err


def test_no_drawings_cannot_pass(tmp_path, capsys):
    assert selftest.run_self_test(folder=tmp_path) == 2
    assert selftest.run_self_test(folder=tmp_path / "missing") == 2
    assert capsys.readouterr().err.count("no self-test drawings") == 2


@pytest.mark.parametrize("model", ["missing", "empty", "truncated"])
def test_a_missing_or_broken_model_is_one_line_and_exit_2(tmp_path, model):
    path = tmp_path / "digit_cnn.tflite"
    if model != "missing":
        path.write_bytes(b"" if model == "empty" else paths.model_path().read_bytes()[:2000])
    result = run("--self-test", "--model", str(path), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert (
        result.stderr.count("\n") == 1
        and result.stderr.startswith("self-test: model file ")
        and str(path) in result.stderr
    )
