"""Command line: ``python -m digitgame`` runs the app; ``python -m digitgame predict FILE...`` recognises files."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from digitgame import __version__
from digitgame.files import paths
from digitgame.live import verdict
from digitgame.recognition.reading import DigitReading, Reading

DESCRIPTION = """\
Draw a digit and watch a convolutional network trained on MNIST recognise it as you draw.

usage:
  {prog} [options]                 open the app (full screen; --windowed for a window)
  {prog} predict FILE... [--json]  recognise saved drawings (.json) and images (PNG, JPEG, ...)
  {prog} teach --digit D FILE...   teach it your handwriting (also: teach --list, teach --forget)

Keys in the app: draw with the mouse, pen or finger; C/Backspace clear, Enter/Space predict,
L live mode, Ctrl+Z undo, E or right button eraser, G grid, Ctrl+S save, H/F1 help, F11 full
screen, Esc quit."""

PREDICT_DESCRIPTION = """\
Recognise each FILE -- a stroke file saved by the app (.json) or an image (PNG, JPEG, BMP, ...,
dark ink on light paper or light on dark) -- and print "FILE: 7 (98.1%)" per file ("FILE: 2026 (2 98 %,
0 99 %, 2 97 %, 6 95 %)" for a number), or with --json one JSON object per line with the keys file,
digit (null when there is nothing to recognise or several digits), confidence, probabilities,
is_confident, number (the digits as a string, null when empty), digits (per digit: digit,
confidence, is_confident, probabilities, box [x, y, w, h], taught) and taught.  A file that cannot
be read gets one line on stderr; the others are still processed and the exit status is 1.
Drawings close to the examples taught with `teach` are read as taught ("taught": true); --profile
DIR reads with another profile, --no-profile with none."""


def parse_size(text: str) -> tuple[int, int]:
    """'1280x800' -> (1280, 800)."""
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}") from None
    if not (320 <= w <= 16384 and 240 <= h <= 16384):
        raise argparse.ArgumentTypeError(f"window size {w}x{h} is outside 320x240 .. 16384x16384")
    return w, h


def app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=paths.command(),
        description=DESCRIPTION.format(prog=paths.command()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"digitgame {__version__}")
    parser.add_argument("--windowed", action="store_true", help="open a resizable window instead of full screen")
    parser.add_argument("--size", type=parse_size, metavar="WxH", help="window size with --windowed (default 1280x800)")
    parser.add_argument("--open", type=Path, metavar="FILE.json", help="open a saved drawing")
    parser.add_argument("--save-dir", type=Path, metavar="DIR", help="where Ctrl+S saves drawings")
    parser.add_argument("--model", type=Path, metavar="FILE", help="model file (default: models/digit_cnn.tflite)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="where taught examples and scores live")
    parser.add_argument("--no-profile", action="store_true", help="start with nothing taught and keep nothing")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png", help="render one frame to OUT.png and exit")
    parser.add_argument("--verbose", action="store_true", help="log predictions and layout to stderr (logfmt)")
    parser.add_argument(
        "--self-test", action="store_true", help="recognise the drawings in assets/ and exit 0 if all are right"
    )
    return parser


def predict_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=f"{paths.command()} predict",
        description=PREDICT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="stroke files (.json) or images")
    parser.add_argument("--json", action="store_true", help="print one JSON object per line")
    parser.add_argument("--model", type=Path, metavar="FILE", help="model file (default: models/digit_cnn.tflite)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="taught examples (default: your data folder)")
    parser.add_argument("--no-profile", action="store_true", help="ignore the taught examples")
    return parser


def format_json(file: str, reading: Reading) -> str:
    """One JSON object per file, as documented in PREDICT_DESCRIPTION."""
    single = reading.single
    record: dict[str, object] = {
        "file": file,
        "digit": single.digit if single is not None else None,
        "confidence": None if single is None or single.is_empty else round(single.confidence, 6),
        "probabilities": None if single is None or single.is_empty else [round(p, 6) for p in single.probabilities],
        "is_confident": single is not None and single.is_confident,
        "number": reading.number,
        "digits": [_digit_record(d) for d in reading.digits],
        "taught": reading.is_taught,
    }
    if reading.is_empty:
        record["reason"] = verdict.nothing_text(reading.nothing, reading.detail)
    return json.dumps(record)


def _digit_record(d: DigitReading) -> dict[str, object]:
    p = d.prediction
    return {
        "digit": p.digit,
        "confidence": round(p.confidence, 6),
        "is_confident": p.is_confident,
        "probabilities": [round(v, 6) for v in p.probabilities],
        "box": [round(v, 2) for v in d.box],
        "taught": d.is_taught,
    }


def run_predict(argv: Sequence[str]) -> int:
    """The ``predict`` command: one process, one interpreter, every file."""
    args = predict_parser().parse_args(argv)
    from digitgame.files.imagefile import ImageFileError
    from digitgame.files.userfile import display_name
    from digitgame.live.drawing import StrokeFileError
    from digitgame.recognition.predictor import ModelError, load_predictor
    from digitgame.recognition.recognizer import Recognizer

    try:
        recognizer = Recognizer(load_predictor(args.model))
    except ModelError as exc:
        print(f"digitgame: {exc}", file=sys.stderr)
        return 2
    if not args.no_profile:
        from digitgame.commands.teach import open_profile

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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # `predict ... | head`: the reader has gone, which is not an error to report
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent too
        return 1


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "predict":
        return run_predict(argv[1:])
    if argv and argv[0] == "teach":
        from digitgame.commands.teach import run_teach

        return run_teach(argv[1:])
    args = app_parser().parse_args(argv)
    if args.self_test:
        from digitgame.commands.selftest import run_self_test

        return run_self_test(args.model)
    from digitgame.app import run_app

    return run_app(args)
