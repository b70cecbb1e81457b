"""Is a model just made the one it replaced, or a sibling within the spread another seed gives?

The default command makes the same ``.tflite`` byte for byte on the same machine; on another
processor it makes a sibling (docs/training.md).  ``tolerance.json`` holds the figures of the same
recipe run with several seeds.  Both models are one run each, so what a figure may move between them
is the spread of a *difference* of two runs: √2 times its standard deviation across the seeds.  The
tolerance is three of those, so a sibling whose every figure is that close to the replaced model's
is the recipe working as usual, and one that is not points at a change in the code, the data or the
libraries.

    python -m training.sibling OLD_CARD NEW_CARD    # compare two cards
    python -m training.sibling --record "seed 1=DIR/model_card.json" ... [--siblings NAME=CARD ...]
                                                    # write tolerance.json from the runs' cards
    python -m training.sibling --add "seed 4=DIR/model_card.json" ...
                                                    # add seeds' runs to those tolerance.json holds
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path
from typing import Any

from digitgame.files.atomic import write_bytes_atomically

TOLERANCE = Path(__file__).resolve().parent / "tolerance.json"
SPREADS = 3  # standard deviations of the difference of two runs a sibling may lie from the replaced model
# Two runs' difference varies √2 times as much as one run: the replaced model is one seed, not the
# recipe's mean (docs/training.md: how often each rule calls a genuine sibling "outside").
DIFFERENCE = math.sqrt(2)
PARTS = ("test", "validation")


def figures(card: dict[str, Any]) -> dict[str, float]:
    """Every accuracy on a card, as ``"part set": value``, and for letters the share answered as a confident
    digit, as ``"part set confident"`` (test figures only when the run measured them)."""
    found = {}
    for part in PARTS:
        sets = card.get(part)
        if isinstance(sets, dict):
            for name, entry in sets.items():
                if isinstance(entry, dict) and isinstance(entry.get("accuracy"), int | float):
                    found[f"{part} {name}"] = float(entry["accuracy"])
                    if name.endswith("_letters") and isinstance(entry.get("confident_digit"), int | float):
                        found[f"{part} {name} confident"] = float(entry["confident_digit"])
    return found


def tolerances(record: dict[str, Any]) -> dict[str, float]:
    """Per figure, SPREADS standard deviations of the difference of two runs, from the recorded runs'
    spread (figures all of them have)."""
    runs = list(record["runs"].values())
    shared = set.intersection(*(set(run) for run in runs)) if len(runs) > 1 else set()
    return {name: SPREADS * DIFFERENCE * statistics.stdev(run[name] for run in runs) for name in sorted(shared)}


def compare(old: dict[str, Any], new: dict[str, Any], record: dict[str, Any] | None) -> list[str]:
    """What to tell the person about ``new`` against the model it replaced: lines, the verdict last.

    ``record``: tolerance.json's content; without it, a sibling's figures are not judged."""
    if old.get("tflite_sha256") == new.get("tflite_sha256"):
        return [f"the same model as the one it replaced, byte for byte (sha256 {new['tflite_sha256'][:12]}...)"]
    if not isinstance(old.get("command"), str):
        return ["the model it replaced had no card to compare with"]
    if old.get("command") != new.get("command"):
        return [f"a different model from the one it replaced, which was made by another command: {old.get('command')}"]
    commits = [str(card.get("code", {}).get("commit", "unknown"))[:7] for card in (old, new)]
    code = "" if commits[0] == commits[1] else f", from the code of commit {commits[0]} (this one: {commits[1]})"
    made = (
        f"not the model it replaced byte for byte: that one was made on {machine(old)}{code}; this one on "
        f"{machine(new)} (another processor makes a sibling: docs/training.md)"
    )
    said = [made, *not_a_digit_rule(old, new)]
    if record is None:
        return [*said, f"no seeds' figures to judge its figures by: {TOLERANCE} cannot be read"]
    return [*said, *judged(figures(old), figures(new), record)]


def not_a_digit_rule(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """A line when the "not a digit" rule differs: of everything a sibling changes, it moves most (the
    threshold is chosen afresh on each model, docs/training.md), and no accuracy figure shows it."""
    rules: list[dict[str, Any]] = [r if isinstance(r := card.get("not_a_digit"), dict) else {} for card in (old, new)]
    (threshold_was, doubt_was), (threshold, doubt) = ((r.get("threshold"), r.get("doubt")) for r in rules)
    if threshold == 1.0:
        return [
            "this model never answers 'not a digit': every threshold cost a validation digit set more than its "
            "tolerance, so letters and scribbles will be read as digits (docs/training.md)"
        ]
    if (threshold, doubt) == (threshold_was, doubt_was):
        return []
    was = ["none" if value is None else value for value in (threshold_was, doubt_was)]
    return [f"'not a digit' from a share of {threshold} (was {was[0]}), doubted from {doubt} (was {was[1]})"]


def judged(before: dict[str, float], after: dict[str, float], record: dict[str, Any]) -> list[str]:
    """One line per figure both cards have, within the tolerance or OUTSIDE it, and the verdict."""
    lines = [
        f"figures against the replaced model's; tolerance: {SPREADS} standard deviations of the difference "
        f"of two runs, from {len(record['runs'])} seeds' figures ({TOLERANCE.name})"
    ]
    limits = tolerances(record)
    outside: list[str] = []
    for name in [n for n in limits if n in before and n in after]:
        change = 100 * (after[name] - before[name])
        within = abs(change) <= 100 * limits[name]
        if not within:
            outside.append(name)
        lines.append(
            f"  {name:<52} {100 * after[name]:6.2f} %  was {100 * before[name]:6.2f} %  {change:+5.2f}  "
            f"{'within' if within else 'OUTSIDE'} ±{100 * limits[name]:.2f}"
        )
    lines.append(
        "every figure is within the tolerance: a sibling of the replaced model"
        if not outside
        else f"{len(outside)} figure(s) outside the tolerance ({', '.join(outside)}): more than another seed "
        f"usually changes (the tolerance is an estimate from {len(record['runs'])} seeds; by how much is on each "
        "line); look for a change in the code, the data or the libraries"
    )
    return lines


def read_card(path: Path) -> dict[str, Any] | None:
    """The card at ``path``, or None when there is none or it cannot be read (nothing to compare with)."""
    try:
        card = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return card if isinstance(card, dict) else None


def report(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """``compare``'s lines for the end of a training run; none when there was no model before."""
    return [] if old is None else compare(old, new, read_card(TOLERANCE))


def next_steps(old: dict[str, Any] | None, new: dict[str, Any]) -> list[str]:
    """What to do after a run that put another model in the committed one's place: the README and docs/
    still describe the model it replaced."""
    if old is None or old.get("tflite_sha256") == new.get("tflite_sha256"):
        return []
    return [
        "models/ now holds this model, and the README and docs/ still describe the one it replaced: "
        "`python3 dev.py figures` measures this one and redraws them; `git checkout models/` puts the committed "
        "model back"
    ]


def machine(card: dict[str, Any]) -> str:
    found = card.get("machine")
    found = found if isinstance(found, dict) else {}
    return f"{found.get('processor') or 'an unnamed processor'} ({found.get('platform', 'unknown platform')})"


def record_runs(seeds: list[str], siblings: list[str], record: dict[str, Any] | None = None) -> dict[str, Any]:
    """``tolerance.json``'s content from ``NAME=CARD`` arguments: each run's command, machine and figures,
    added to ``record``'s runs when given (a copy; a name it already has is replaced).

    ``seeds``: the recipe with several seeds, which set the tolerance; ``siblings``: the default command on
    other machines, kept beside them to show how far a machine moves the figures (never part of the tolerance)."""
    made: dict[str, Any] = {
        "what": "the default recipe's figures, one run per seed: the spread another seed gives",
        **json.loads(json.dumps(record or {})),
    }
    for key in ("how", "runs", "siblings"):
        made.setdefault(key, {})
    for group, items in (("runs", seeds), ("siblings", siblings)):
        for item in items:
            name, _, path = item.partition("=")
            card = json.loads(Path(path).read_text(encoding="utf-8"))
            made[group][name] = figures(card)
            made["how"][name] = {
                "command": card["command"],
                "machine": machine(card),
                "commit": card["code"]["commit"],
                "trained_at": card["trained_at"],
                "tflite_sha256": card["tflite_sha256"],
            }
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.sibling", description=__doc__.split("\n\n")[0])
    writes = parser.add_mutually_exclusive_group()
    writes.add_argument("--record", nargs="+", metavar="NAME=CARD", help="write tolerance.json from these seeds' runs")
    writes.add_argument("--add", nargs="+", metavar="NAME=CARD", help="add these seeds' runs to tolerance.json's")
    parser.add_argument("--siblings", nargs="*", default=[], metavar="NAME=CARD", help="and these, shown beside them")
    parser.add_argument("cards", nargs="*", type=Path, help="OLD_CARD NEW_CARD")
    args = parser.parse_args(argv)
    if args.record or args.add:
        kept = None
        if args.add:
            kept = read_card(TOLERANCE)
            if kept is None:
                parser.error(f"--add: cannot read {TOLERANCE}; make it with --record")
        try:
            record = record_runs(args.record or args.add, args.siblings, kept)
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            parser.error(f"cannot read a run's card ({exc}); give NAME=PATH/model_card.json")
        write_bytes_atomically(TOLERANCE, (json.dumps(record, indent=1) + "\n").encode("utf-8"))
        print(f"wrote {TOLERANCE}")
        return 0
    if len(args.cards) != 2:
        parser.error("give two cards: the replaced model's and the new one's (or --record)")
    old, new = (read_card(path) for path in args.cards)
    if old is None or new is None:
        unreadable = [str(path) for path, card in zip(args.cards, (old, new), strict=True) if card is None]
        parser.error(f"cannot read {' or '.join(unreadable)} as a model card (missing, or not JSON)")
    print("\n".join(compare(old, new, read_card(TOLERANCE))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
