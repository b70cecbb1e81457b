"""``--self-test``: recognise the drawings shipped in assets/selftest/ and say whether every answer is right.

Each drawing is a stroke file whose name starts with the digits it shows: ``7-crossed.json`` is
one digit, ``2026-year.json`` a number.  A single digit must be read as exactly that one digit
(not split), a number as exactly its digits.  A name starting ``not-a-digit`` (``not-a-digit-M.json``)
is ink that is no digit, and must be answered "not a digit".
One line per drawing, then a summary; the exit status is 0 only when every answer is right,
1 when some are wrong and 2 when the test cannot run (no model, a broken model, no drawings).
It runs the same code as the app and ``predict``, so it checks a source tree and a frozen
bundle alike.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from digitgame import __version__
from digitgame.files import paths
from digitgame.files.strokefile import StrokeFileError
from digitgame.live import verdict
from digitgame.recognition.predictor import ModelError, load_predictor
from digitgame.recognition.recognizer import Recognizer

SELFTEST_FOLDER = "selftest"  # under assets/
NAME_PATTERN = re.compile(r"(?P<number>[0-9]+|not-a-digit)(?:[-_ ].*)?\.json", re.IGNORECASE)


class SelfTestError(RuntimeError):
    """The self-test cannot run; ``str()`` is one line saying why."""


@dataclass(frozen=True)
class Case:
    """One shipped drawing and the digits its file name promises."""

    path: Path
    expected: str  # "7", "2026"; verdict.NOT_A_DIGIT


def find_cases(folder: Path) -> list[Case]:
    """The stroke files in ``folder``, sorted, each with the digits its name starts with."""
    if not folder.is_dir():
        raise SelfTestError(f"no self-test drawings: {folder} is not a folder")
    cases = []
    for path in sorted(folder.glob("*.json")):
        match = NAME_PATTERN.fullmatch(path.name)
        if match is None:
            raise SelfTestError(
                f"{path}: the name must start with the digits drawn, like 7-crossed.json or 2026-year.json "
                "(or not-a-digit, for ink that is none)"
            )
        number = match["number"]
        cases.append(Case(path, number if number.isdigit() else verdict.NOT_A_DIGIT))
    if not cases:
        raise SelfTestError(f"no self-test drawings (*.json) in {folder}")
    return cases


def check_cases(recognizer: Recognizer, cases: list[Case], out: TextIO) -> int:
    """Recognise each case, print one line for it; return how many were wrong or unreadable."""
    wrong = 0
    for case in cases:
        name = case.path.name
        try:
            reading = recognizer.read_file(case.path)
        except StrokeFileError as exc:
            print(f"FAIL {name}: expected {case.expected}, cannot read it ({exc.problem})", file=out)
            wrong += 1
            continue
        answer = verdict.line(name, reading).removeprefix(f"{name}: ")  # "7 (98.1%)", "2026 (2 98.0%, ...)"
        got_it = reading.is_not_a_digit if case.expected == verdict.NOT_A_DIGIT else reading.number == case.expected
        if got_it:
            print(f"ok   {name}: {answer}", file=out)
        else:
            got = "nothing" if reading.is_empty else answer
            print(f"FAIL {name}: expected {case.expected}, got {got}", file=out)
            wrong += 1
    return wrong


def run_self_test(model: Path | None = None, folder: Path | None = None, out: TextIO | None = None) -> int:
    """The whole ``--self-test``: 0 when every shipped drawing is recognised, 1 if not, 2 if it cannot run."""
    out = out or sys.stdout
    folder = folder or paths.asset_path(SELFTEST_FOLDER)
    try:
        cases = find_cases(folder)
        predictor = load_predictor(model)
    except (SelfTestError, ModelError) as exc:
        print(f"self-test: {exc}", file=sys.stderr)
        return 2
    wrong = check_cases(Recognizer(predictor), cases, out)
    frozen = " (bundle)" if getattr(sys, "frozen", False) else ""
    outcome = "PASSED" if wrong == 0 else "FAILED"
    print(
        f"self-test {outcome}: {len(cases) - wrong}/{len(cases)} right, digitgame {__version__}{frozen}, "
        f"model {predictor.path} ({predictor.backend})",
        file=out,
        flush=True,
    )
    return 0 if wrong == 0 else 1
