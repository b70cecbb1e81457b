"""Command line: ``digitgame`` runs the app; ``digitgame predict FILE...`` and ``digitgame teach ...`` are commands.

One argparse parser with a subcommand per command, so ``--help`` shows one usage block, named as the
person typed it (``digitgame`` or ``python -m digitgame``).
"""

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
Draw a digit -- or a whole number -- and watch a convolutional network trained on MNIST read it as
you draw.  With no command it opens the app (full screen; --windowed for a window)."""
EPILOG = """\
keys in the app (H or F1 shows them too):
  mouse, pen, finger  draw; the right button erases    E  eraser on/off
  C, Backspace        clear                            Ctrl+Z  undo
  Enter, Space        recognise now (live mode off)    L  live mode on/off
  0-9                 teach it: the digit on screen is this one (or click its bar)
  T                   see what was taught, remove a drawing
  F                   forget everything taught (asks first)
  P                   a practice round                 G  grid on/off
  M                   the sums game: write the answers to ten sums
  Ctrl+S              save the drawing                 F11  full screen / window
  Esc                 close what is open; quit

`{prog} COMMAND --help` explains a command."""


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
    """The app's options alone (the whole command line: ``parser()``)."""
    prog = paths.command()
    parser = argparse.ArgumentParser(
        prog=prog,
        description=DESCRIPTION,
        epilog=EPILOG.format(prog=prog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"digitgame {__version__}")
    parser.add_argument("--windowed", action="store_true", help="open a resizable window instead of full screen")
    parser.add_argument("--size", type=parse_size, metavar="WxH", help="window size with --windowed (default 1280x800)")
    parser.add_argument("--open", type=Path, metavar="FILE.json", help="open a saved drawing")
    parser.add_argument("--save-dir", type=Path, metavar="DIR", help="where Ctrl+S saves drawings")
    parser.add_argument("--model", type=Path, metavar="FILE", help="model file (default: the one shipped)")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="where taught examples and scores live")
    parser.add_argument("--no-profile", action="store_true", help="start with nothing taught and keep nothing")
    parser.add_argument("--screenshot", type=Path, metavar="OUT.png", help="render one frame to OUT.png and exit")
    parser.add_argument("--verbose", action="store_true", help="log predictions and layout to stderr (logfmt)")
    parser.add_argument(
        "--self-test", action="store_true", help="recognise the drawings in assets/ and exit 0 if all are right"
    )
    return parser


def parser() -> argparse.ArgumentParser:
    """The whole command line: the app's options, and the ``predict`` and ``teach`` commands."""
    from digitgame.commands import predict, teach

    top = app_parser()
    commands = top.add_subparsers(dest="command", title="commands", metavar="COMMAND")
    raw = argparse.RawDescriptionHelpFormatter
    recognise = commands.add_parser(
        "predict",
        help="recognise saved drawings (.json) and images",
        description=predict.PREDICT_DESCRIPTION,
        formatter_class=raw,
    )
    predict.add_arguments(recognise)
    learn = commands.add_parser(
        "teach",
        help="teach it your handwriting; list or remove what was taught",
        description=teach.description(f"{top.prog} teach"),
        formatter_class=raw,
    )
    teach.add_arguments(learn)
    learn.set_defaults(command_parser=learn)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _dispatch(list(sys.argv[1:] if argv is None else argv))
    except BrokenPipeError:  # `predict ... | head`: the reader has gone, which is not an error to report
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # so the exit's flush is silent too
        return 1


def _dispatch(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.command == "predict":
        from digitgame.commands.predict import predict

        return predict(args)
    if args.command == "teach":
        from digitgame.commands.teach import teach

        return teach(args, args.command_parser)
    if args.self_test:
        from digitgame.commands.selftest import run_self_test

        return run_self_test(args.model)
    from digitgame.app import run_app

    return run_app(args)
