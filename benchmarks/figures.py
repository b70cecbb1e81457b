"""The figures pages, generated from what was measured: the model card, never numbers typed by hand.

    python benchmarks/figures.py           # rewrite the generated blocks of README.md and docs/
    python benchmarks/figures.py --check   # exit 1, naming the file, if a block is out of date (the tests run this)

A generated block sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->`` in a
Markdown file; everything outside the markers is left as it is.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CARD = ROOT / "models" / "model_card.json"
PAGES = (ROOT / "README.md", ROOT / "docs" / "training.md")

SETS = {  # card key -> (what it is, how it reaches the model)
    "real_writers_report": ("real writers' pen digits, the report group (UNIPEN)", "strokes, the app's stroke path"),
    "real_writers_report_sparse": ("the same digits as one stroke of 8 points", "strokes, the app's stroke path"),
    "real_writers_choosing": ("real writers' pen digits, the choosing group", "strokes, the app's stroke path"),
    "real_writers_choosing_sparse": ("the same digits as one stroke of 8 points", "strokes, the app's stroke path"),
    "mnist_test": ("MNIST test digits", "straight into the `.tflite`"),
    "mnist_validation": ("MNIST validation digits", "straight into the `.tflite`"),
    "load_digits_second_half_raw": (
        "`load_digits` second half (writers not in MNIST)",
        "raw 8×8, the app's image path",
    ),
    "load_digits_second_half_upscaled": ("`load_digits` second half", "upscaled to 32×32, the app's image path"),
    "load_digits_first_half_raw": ("`load_digits` first half (writers not in MNIST)", "raw 8×8, the app's image path"),
    "load_digits_first_half_upscaled": ("`load_digits` first half", "upscaled to 32×32, the app's image path"),
}


def percent(value: float) -> str:
    return f"{100 * value:.2f} %"


def model_table(card: dict[str, Any]) -> str:
    """The committed model's figures, each with the split it was measured on and that split's job."""
    rows = [
        "| set | how it is read | split | accuracy | confident but wrong | called unsure |",
        "|---|---|---|---|---|---|",
    ]
    for part, job in (("test", "**test**: reported, never chose"), ("validation", "validation: chose")):
        figures = card[part]
        for key, (what, how) in SETS.items():
            if key in figures:
                f = figures[key]
                rows.append(
                    f"| {what} | {how} | {job} | **{percent(f['accuracy'])}** ({f['correct']:,} of {f['images']:,}) "
                    f"| {percent(f['confident_but_wrong'])} | {percent(f['unsure'])} |"
                )
    return "\n".join(rows)


def training_line(card: dict[str, Any]) -> str:
    """How the committed model was made and how long it took."""
    seconds = card["seconds_by_step"]
    training = card["training"]
    return (
        f"Made by `{card['command']}` at commit `{card['code']['commit'][:10]}` on {card['trained_at'][:10]}: "
        f"**{seconds['total'] / 60:.1f} minutes** on {card['machine']['cpus']} cores "
        f"({training['epochs']} epochs of {training['images_per_epoch']:,} images; fitting {seconds['fitting'] / 60:.1f} min). "
        f"`.tflite`: {card['tflite_bytes'] / 1e6:.2f} MB."
    )


def choices_tables(card: dict[str, Any]) -> str:
    """Each measured choice of the recipe: its runs' validation figures, how it was chosen, and a note."""
    out = []
    for choice in card["measured_choices"]:
        out += [f"**{choice['choice']}.** {choice['how']}; chosen by {choice['chosen_by']}.", ""]
        out += [
            "| run | MNIST validation | `load_digits` 1st half raw | upscaled | validation errors |",
            "|---|---|---|---|---|",
        ]
        for name, f in choice["runs"].items():
            out.append(
                f"| {name} | {percent(f['mnist_validation'])} | {percent(f['load_digits_first_half_raw'])} "
                f"| {percent(f['load_digits_first_half_upscaled'])} | {f['validation_errors']} |"
            )
        out += ["", choice["note"], ""]
    return "\n".join(out).rstrip()


BLOCKS: dict[str, Callable[[dict[str, Any]], str]] = {
    "model": lambda card: f"{training_line(card)}\n\n{model_table(card)}",
    "choices": choices_tables,
}


def render(text: str, card: dict[str, Any]) -> str:
    """``text`` with every generated block made afresh."""

    def block(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in BLOCKS:
            raise SystemExit(f"figures.py: unknown block {name!r}")
        return f"<!-- figures:{name} -->\n{BLOCKS[name](card)}\n<!-- /figures:{name} -->"

    return re.sub(r"<!-- figures:(\w+) -->.*?<!-- /figures:\1 -->", block, text, flags=re.DOTALL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate the figures in README.md and docs/ from what was measured."
    )
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a page is out of date")
    args = parser.parse_args(argv)
    card = json.loads(CARD.read_text(encoding="utf-8"))
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        fresh = render(text, card)
        if fresh != text:
            stale.append(page)
            if not args.check:
                page.write_text(fresh, encoding="utf-8")
    for page in stale:
        verb = "is out of date: run `python benchmarks/figures.py`" if args.check else "rewritten"
        print(f"{page.relative_to(ROOT)} {verb}", file=sys.stderr if args.check else sys.stdout)
    return 1 if stale and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
