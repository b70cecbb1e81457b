"""--self-test: the shipped drawings are recognised; one line each; wrong answers and broken models fail clearly."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from benchmarks.alone import file_alone
from digitgame.commands import selftest
from digitgame.files import paths
from digitgame.live import verdict
from digitgame.recognition.predictor import Outputs
from digitgame.recognition.recognizer import Recognizer

SHIPPED = paths.asset_path(selftest.SELFTEST_FOLDER)


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "digitgame", *args], capture_output=True, text=True, cwd=cwd)


class AlwaysPredicts:
    """A predictor that answers ``digit`` whatever it is shown."""

    backend, embedding_size, not_a_digit_threshold, not_a_digit_doubt = "fake", 0, 1.0, 1.0

    def __init__(self, digit: int) -> None:
        self.digit = digit
        self.path = Path("fake.tflite")

    def predict(self, images: np.ndarray) -> Outputs:
        return Outputs(np.tile(np.eye(10, dtype=np.float32)[self.digit], (len(images), 1)), None)


def test_shipped_drawings_cover_every_digit_alone_some_numbers_and_ink_that_is_none():
    expected = [case.expected for case in selftest.find_cases(SHIPPED)]
    assert {e for e in expected if len(e) == 1} == {str(d) for d in range(10)}
    assert sum(len(e) > 1 and e.isdigit() for e in expected) >= 3
    assert expected.count(verdict.NOT_A_DIGIT) >= 3


@pytest.mark.parametrize("case", selftest.find_cases(SHIPPED), ids=lambda case: case.path.name)
def test_the_model_reads_each_shipped_drawing_whole(recognizer, case):
    reading = recognizer.read_file(case.path)
    if case.expected == verdict.NOT_A_DIGIT:
        assert reading.is_not_a_digit and reading.number is None
        return
    assert reading.number == case.expected  # a single digit is not split, a number is split right
    if len(case.expected) == 1:
        assert file_alone(recognizer, case.path).digit == int(case.expected)  # all its ink read as one digit


def test_self_test_prints_one_line_per_drawing_and_a_summary(tmp_path):
    result = run("--self-test", cwd=tmp_path)
    lines = result.stdout.splitlines()
    count = len(selftest.find_cases(SHIPPED))
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(lines) == count + 1
    assert all(line.startswith("ok   ") for line in lines[:-1])
    assert lines[-1].startswith(f"self-test PASSED: {count}/{count} right")


def test_a_wrong_answer_is_reported_and_counted():
    cases = [selftest.Case(SHIPPED / "1-stick.json", "1"), selftest.Case(SHIPPED / "7-plain.json", "7")]
    out = io.StringIO()
    assert selftest.check_cases(Recognizer(AlwaysPredicts(1)), cases, out) == 1
    assert out.getvalue().splitlines() == [
        "ok   1-stick.json: 1 (100.0%)",
        "FAIL 7-plain.json: expected 7, got 1 (100.0%)",
    ]


def test_a_number_prints_each_digit_and_a_wrong_number_fails():
    cases = [selftest.Case(SHIPPED / "2026-year.json", "2026"), selftest.Case(SHIPPED / "2026-year.json", "2027")]
    out = io.StringIO()
    assert selftest.check_cases(Recognizer(AlwaysPredicts(2)), cases, out) == 2
    assert out.getvalue().splitlines() == [
        "FAIL 2026-year.json: expected 2026, got 2222 (2 100.0%, 2 100.0%, 2 100.0%, 2 100.0%)",
        "FAIL 2026-year.json: expected 2027, got 2222 (2 100.0%, 2 100.0%, 2 100.0%, 2 100.0%)",
    ]


def test_a_digit_read_as_two_fails(tmp_path):
    shutil.copy(SHIPPED / "74-bar-over-the-four.json", tmp_path / "7-really-two-digits.json")
    out = io.StringIO()
    assert selftest.check_cases(Recognizer(AlwaysPredicts(7)), selftest.find_cases(tmp_path), out) == 1
    assert out.getvalue().startswith("FAIL 7-really-two-digits.json: expected 7, got 77 (")


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


@pytest.mark.parametrize("name", ["seven.json", "7x.json", "x7.json", "-7.json"])
def test_a_drawing_without_its_digits_in_the_name_is_refused(tmp_path, capsys, name):
    shutil.copy(SHIPPED / "7-plain.json", tmp_path / name)
    assert selftest.run_self_test(folder=tmp_path) == 2
    assert "must start with the digits drawn" in capsys.readouterr().err


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
