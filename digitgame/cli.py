"""Command line: ``python -m digitgame`` runs the app; ``python -m digitgame predict FILE...`` recognises files."""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from digitgame import __version__
from digitgame.files import paths

DESCRIPTION = """\
Draw a digit and watch a convolutional network trained on MNIST recognise it as you draw.

usage:
  {prog} [options]                 open the app (full screen; --windowed for a window)
  {prog} predict FILE... [--json]  recognise saved drawings (.json) and images (PNG, JPEG, ...)
  {prog} teach --digit D FILE...   teach it your handwriting (also: teach --list, teach --forget)

Keys in the app: draw with the mouse, pen or finger; C/Backspace clear, Enter/Space predict,
L live mode, Ctrl+Z undo, E or right button eraser, G grid, Ctrl+S save, H/F1 help, F11 full
screen, Esc quit."""


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


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # `predict ... | head`: the reader has gone, which is not an error to report
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent too
        return 1


def _dispatch(argv: list[str]) -> int:
    if argv and argv[0] == "predict":
        from digitgame.commands.predict import run_predict

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
