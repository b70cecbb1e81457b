"""The app's own self-test on the model a run has just written: told at the end of the run.

The self-test (``python -m digitgame --self-test``, ``digitgame/commands/selftest.py``) reads the
drawings shipped in ``assets/selftest/`` -- digits, numbers, and ink that is no digit -- and fails
when one reads otherwise than its name says.  A run whose model fails it would leave the app's
self-test, and the tests that read those drawings, failing after it; the person who ran it should
hear that from the run, not later from a test.
"""

from __future__ import annotations

import io
from pathlib import Path

from digitgame.commands.selftest import run_self_test
from training.export import MODEL_NAME


def report(folder: Path) -> list[str]:
    """The self-test's verdict on ``folder``'s model: its summary line, after the drawings it got wrong."""
    said = io.StringIO()
    code = run_self_test(model=folder / f"{MODEL_NAME}.tflite", out=said)
    lines = said.getvalue().splitlines()
    failures = [line for line in lines if line.startswith("FAIL")]
    summary = next((line for line in reversed(lines) if line.startswith("self-test")), f"self-test exit status {code}")
    told = [f"the app's {summary}", *(f"  {line}" for line in failures)]
    if code != 0:
        told.append(
            "  with this model in place, `python -m digitgame --self-test` and the tests that read assets/selftest/ "
            "fail too"
        )
    return told
