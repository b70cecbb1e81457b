"""The ``predict`` command: recognise stroke files and images, one line (or JSON object) per file."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from digitgame.files import paths
from digitgame.live import verdict
from digitgame.recognition.reading import DigitReading, Reading

if TYPE_CHECKING:
    from digitgame.recognition.predictor import Predictor
    from digitgame.teaching.personal import PersonalModel

PREDICT_DESCRIPTION = """\
Recognise each FILE -- a stroke file saved by the app (.json) or an image (PNG, JPEG, BMP, ...,
dark ink on light paper or light on dark) -- and print "FILE: 7 (98.1%)" per file ("FILE: 2026 (2 98.0%,
0 99.2%, 2 97.4%, 6 95.1%)" for a number, "FILE: not a digit" for a letter or a scribble), or with --json
one JSON object per line with the keys file, digit (null when there is nothing to recognise, when
it is not a digit, or for several digits), confidence, probabilities, is_confident, not_a_digit,
number (the digits as a string, null when empty or when a part is not a digit), digits (per part:
digit, confidence, is_confident, not_a_digit, probabilities, box [x, y, w, h], taught), taught,
and reason when there is no number ("not a digit", "the 2nd of 3 parts is not a digit", why
there is nothing).  "Not a digit" is an answer: the exit status stays 0.  A file that cannot be
read gets one line on stderr; the others are still processed and the exit status is 1.
Drawings close to the examples taught with `teach` are read as taught ("taught": true); --profile
DIR reads with another profile, --no-profile with none."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``predict`` command's arguments, on its subcommand parser (digitgame/cli.py) or a standalone one."""
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="stroke files (.json) or images")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument("--model", type=Path, metavar="FILE", help="model file (default: the one shipped)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="taught examples (default: your data folder)")
    parser.add_argument("--no-profile", action="store_true", help="ignore the taught examples")


def predict_parser() -> argparse.ArgumentParser:
    """A parser of ``predict``'s arguments alone (``run_predict``)."""
    parser = argparse.ArgumentParser(
        prog=f"{paths.command()} predict",
        description=PREDICT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_arguments(parser)
    return parser


def format_json(file: str, reading: Reading) -> str:
    """One JSON object per file, as documented in PREDICT_DESCRIPTION."""
    single = reading.single
    has_digit = single is not None and single.digit is not None
    record: dict[str, object] = {
        "file": file,
        "digit": single.digit if single is not None else None,
        "confidence": round(single.confidence, 6) if single is not None and has_digit else None,
        "probabilities": None if single is None or single.is_empty else [round(p, 6) for p in single.shown],
        "is_confident": single is not None and single.is_confident,
        "not_a_digit": reading.is_not_a_digit,
        "number": reading.number,
        "digits": [_digit_record(d) for d in reading.digits],
        "taught": reading.is_taught,
    }
    if reading.is_empty:
        record["reason"] = verdict.nothing_text(reading.nothing, reading.detail)
    elif reading.is_not_a_digit:
        record["reason"] = verdict.NOT_A_DIGIT
    elif reading.not_a_digit_parts:
        record["reason"] = verdict.not_a_digit_text(reading)
    return json.dumps(record)


def _digit_record(d: DigitReading) -> dict[str, object]:
    p = d.prediction
    return {
        "digit": p.digit,
        "confidence": round(p.confidence, 6) if p.digit is not None else None,
        "is_confident": p.is_confident,
        "not_a_digit": p.is_not_a_digit,
        "probabilities": [round(v, 6) for v in p.shown],
        "box": [round(v, 2) for v in d.box],
        "taught": d.is_taught,
    }


def run_predict(argv: Sequence[str]) -> int:
    """``predict`` with its arguments as a list (``digitgame predict ARGS``)."""
    return predict(predict_parser().parse_args(argv))


def predict(args: argparse.Namespace) -> int:
    """The ``predict`` command: one process, one interpreter, every file."""
    from digitgame.files.imagefile import ImageFileError
    from digitgame.files.strokefile import StrokeFileError
    from digitgame.files.userfile import display_name
    from digitgame.recognition.predictor import ModelError, load_predictor
    from digitgame.recognition.recognizer import Recognizer

    try:
        recognizer = Recognizer(load_predictor(args.model))
    except ModelError as exc:
        print(f"digitgame: {exc}", file=sys.stderr)
        return 2
    if not args.no_profile:
        recognizer.personal = open_profile(args.profile, recognizer.predictor)
    failed = 0
    with contextlib.suppress(AttributeError, ValueError):  # a name that cannot be encoded is shown with '?'
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    for path in args.files:
        name = display_name(path)  # undecodable bytes in a file name shown as U+FFFD, never a traceback
        try:
            reading = recognizer.read_file(path)
        except (StrokeFileError, ImageFileError) as exc:
            print(f"{exc}", file=sys.stderr, flush=True)
            failed += 1
            continue
        except Exception as exc:  # anything else a hostile file can cause: one line, then the next file
            reason = " ".join(f"{type(exc).__name__}: {exc}".split())
            print(f"{name}: cannot recognise it ({reason})", file=sys.stderr, flush=True)
            failed += 1
            continue
        print(format_json(name, reading) if args.json else verdict.line(name, reading), flush=True)
    return 1 if failed else 0


def open_profile(folder: Path | None, predictor: Predictor) -> PersonalModel | None:
    """The personal model ``predict`` reads with (None: nothing taught), telling stderr of any problem in one line."""
    from digitgame.teaching import personal, taught

    chosen = folder if folder is not None else paths.default_profile_dir()
    if chosen.exists() and not chosen.is_dir():
        print(f"digitgame: {chosen} is a file, not a profile folder; reading without taught examples", file=sys.stderr)
        return None
    if folder is not None and not taught.file_in(chosen).exists():
        print(f"digitgame: no profile in {chosen} yet; reading without taught examples", file=sys.stderr)
        return None
    if not taught.file_in(chosen).exists():
        return None
    try:
        opened = personal.open_folder(chosen, predictor)
    except ValueError as exc:
        print(f"digitgame: {exc}; reading without taught examples", file=sys.stderr)
        return None
    if opened.message:
        print(f"digitgame: {opened.message}", file=sys.stderr)
    return None if opened.model.is_empty else opened.model
