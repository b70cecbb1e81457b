"""The ``teach`` command (add drawings to the profile as examples of a digit, list it, forget it), and the
profile that ``predict`` reads with."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from digitgame.files import paths
from digitgame.files.imagefile import ImageFileError
from digitgame.files.strokefile import StrokeFile, StrokeFileError
from digitgame.live.taught_words import count_of, examples_text, source_text, when_text
from digitgame.live.verdict import nothing_text
from digitgame.recognition.predictor import Predictor
from digitgame.recognition.recognizer import Recognizer, load_file
from digitgame.teaching import personal, taught

TEACH_DESCRIPTION = """\
Teach digitgame your handwriting: each FILE (a stroke file saved by the app, or an image of one
digit) becomes a taught example of digit D.  From then on the app and `predict` read drawings
close to your examples as you taught them, and leave everything else to the network.

  {prog} --digit 7 a.json b.png     teach two drawings as 7s
  {prog} --list                     every taught example, per digit, numbered, with its date
  {prog} --remove 4                 remove example #4 of the list (a wrong one)
  {prog} --forget                   remove every taught example

The profile lives in {default} unless --profile DIR says otherwise.
At most {cap} examples are kept per digit; teaching more drops the oldest."""


def digit_argument(text: str) -> int:
    """'7' -> 7; anything but 0..9 is refused with a clear message."""
    if text.strip() not in tuple("0123456789"):
        raise argparse.ArgumentTypeError(f"a digit is 0 to 9, got {text!r}")
    return int(text)


def description(prog: str) -> str:
    """The ``teach`` command's help text, its examples written with ``prog``."""
    return TEACH_DESCRIPTION.format(prog=prog, default=paths.default_profile_dir(), cap=taught.MAX_PER_DIGIT)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The ``teach`` command's arguments, on its subcommand parser (digitgame/cli.py) or a standalone one."""
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--digit", type=digit_argument, metavar="D", help="teach each FILE as an example of D")
    action.add_argument("--list", action="store_true", help="show what is taught, per digit")
    action.add_argument("--remove", type=int, metavar="N", help="remove example #N (the number --list shows)")
    action.add_argument("--forget", action="store_true", help="remove the profile: every taught example")
    parser.add_argument("files", nargs="*", type=Path, metavar="FILE", help="stroke files (.json) or images")
    parser.add_argument("--profile", type=Path, metavar="DIR", help="the profile folder (default: your data folder)")
    parser.add_argument("--model", type=Path, metavar="FILE", help="model file (default: the one shipped)")


def teach_parser() -> argparse.ArgumentParser:
    """A parser of ``teach``'s arguments alone (``run_teach``)."""
    prog = f"{paths.command()} teach"
    parser = argparse.ArgumentParser(
        prog=prog, description=description(prog), formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_arguments(parser)
    return parser


def run_teach(argv: Sequence[str]) -> int:
    """``teach`` with its arguments as a list (``digitgame teach ARGS``)."""
    parser = teach_parser()
    return teach(parser.parse_args(argv), parser)


def teach(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """The ``teach`` command; exit status 0, 1 (some files not taught) or 2 (nothing could be done)."""
    if args.digit is not None and not args.files:
        parser.error("--digit D needs at least one FILE to teach")
    if args.digit is None and args.files:
        parser.error("FILE... go with --digit D")
    folder = args.profile if args.profile is not None else paths.default_profile_dir()
    if folder.exists() and not folder.is_dir():
        return _fail(f"{folder} is a file, not a profile folder; pass --profile DIR with a folder")
    if args.list:
        return list_profile(folder)
    if args.forget:
        return forget_profile(folder)
    if args.remove is not None:
        return remove_example(folder, args.remove)
    return teach_files(folder, args.digit, args.files, args.model)


def _fail(message: str, status: int = 2) -> int:
    print(f"digitgame: {message}", file=sys.stderr)
    return status


def list_profile(folder: Path) -> int:
    """Print every example per digit with the number ``--remove`` takes: '    #3  2026-11-30 10:42:05  drawing, ...'."""
    loaded = taught.load(folder)
    if loaded.message:
        print(f"digitgame: {loaded.message}", file=sys.stderr)
    profile = loaded.profile
    if profile.is_empty:
        print(f"{folder}: nothing taught yet")
        return 0
    print(f"{folder}: {examples_text(len(profile))} taught (remove one with --remove N)")
    for digit, count in enumerate(profile.counts()):
        if not count:
            continue
        print(f"  {digit}: {examples_text(count)}")
        for number, example in enumerate(profile.examples, start=1):
            if example.digit == digit:
                print(f"    #{number:<3d} {digit}  {when_text(example, seconds=True)}  {source_text(example)}")
    return 0


def remove_example(folder: Path, number: int) -> int:
    """Remove example #``number`` (as ``--list`` numbers them: 1 is the oldest) and save the rest atomically."""
    try:
        profile = taught.read(folder)
    except taught.ProfileError as exc:
        return _fail(f"{exc}; nothing was removed")
    if profile.is_empty:
        return _fail(f"{folder}: nothing taught, nothing to remove")
    if not 1 <= number <= len(profile):
        return _fail(f"{folder}: no example #{number}: the examples are #1 to #{len(profile)} (see teach --list)")
    example = profile.examples[number - 1]
    rest = profile.without(number - 1)
    try:
        taught.save(folder, rest)
    except OSError as exc:
        return _fail(f"cannot write the profile in {folder} ({exc.strerror or exc}); nothing was removed", 1)
    left = rest.counts()[example.digit]
    print(
        f"{folder}: removed #{number}, a {example.digit} taught {when_text(example)}; "
        f"digit {example.digit} has {examples_text(left)} left"
    )
    return 0


def forget_profile(folder: Path) -> int:
    """Remove the profile's file and its cache; set-aside broken files are left for the person."""
    try:
        count = len(taught.read(folder))
    except taught.ProfileError:
        count = -1  # unreadable: forgotten all the same
    try:
        existed = personal.forget(folder)
    except OSError as exc:
        return _fail(f"cannot remove the profile in {folder} ({exc.strerror or exc})")
    if not existed:
        print(f"{folder}: nothing taught, nothing to forget")
    else:
        print(f"{folder}: forgot {'the unreadable profile' if count < 0 else count_of(count, 'taught example')}")
    return 0


def teach_files(folder: Path, digit: int, files: Sequence[Path], model: Path | None) -> int:
    """Add every readable FILE as an example of ``digit``, save the profile once, and refresh the cache."""
    from digitgame.recognition.predictor import ModelError, load_predictor

    try:
        recognizer = Recognizer(load_predictor(model))
    except ModelError as exc:
        return _fail(str(exc))
    loaded = taught.load(folder)
    if loaded.message:
        print(f"digitgame: {loaded.message}", file=sys.stderr)
    profile, failed = loaded.profile, 0
    for path in files:
        example = read_example(recognizer, path, digit)
        if example is None:
            failed += 1
            continue
        profile = profile.add(example)
    if len(profile) == len(loaded.profile) and failed:
        return 1
    try:
        saved = taught.save(folder, profile)
    except OSError as exc:
        return _fail(f"cannot write the profile in {folder} ({exc.strerror or exc}); nothing was taught", 1)
    _refresh_cache(folder, profile, recognizer.predictor)
    count = profile.counts()[digit]
    print(f"{saved}: digit {digit} has {examples_text(count)}")
    return 1 if failed else 0


def read_example(recognizer: Recognizer, path: Path, digit: int) -> taught.Example | None:
    """The file as a taught example of ``digit``, printing one line either way (None when it cannot be)."""
    try:
        content = load_file(path)
        reading = recognizer.read_loaded(content)
    except (StrokeFileError, ImageFileError) as exc:
        print(f"{exc}", file=sys.stderr)
        return None
    except (OSError, ValueError, MemoryError) as exc:  # anything else a hostile file can cause
        print(f"{path}: cannot read it ({type(exc).__name__}: {exc})", file=sys.stderr)
        return None
    if reading.is_empty:
        reason = nothing_text(reading.nothing, reading.detail).removeprefix("nothing to recognise: ")
        print(f"{path}: nothing to teach: {reason}", file=sys.stderr)
        return None
    if reading.is_number:
        print(f"{path}: holds {len(reading.digits)} digits ({reading.number}); teach one per file", file=sys.stderr)
        return None
    prediction = reading.digits[0].prediction
    assert prediction.image is not None
    strokes = content.strokes if isinstance(content, StrokeFile) else None
    canvas = (content.width, content.height) if isinstance(content, StrokeFile) else None
    print(f"{path}: taught as {digit} (the network alone reads {prediction.digit}, {prediction.confidence:.1%})")
    return taught.Example.from_input(prediction.image, digit, strokes=strokes, canvas=canvas)


def _refresh_cache(folder: Path, profile: taught.Profile, predictor: Predictor) -> None:
    """Embed the new examples now, so the next ``predict`` or app start need not."""
    with contextlib.suppress(ValueError):  # a model without an embedding output: `predict` says so
        model = personal.PersonalModel.build(profile, predictor, personal.read_cache(folder))
        personal.write_cache(folder, model.bank)
