"""The figures pages, generated from what was measured: the model card and the benchmarks' JSON, never typed by hand.

    python benchmarks/figures.py           # rewrite docs/figures.md and the generated blocks of README.md and docs/
    python benchmarks/figures.py --check   # exit 1, naming the file, if a page is out of date (the tests run this)

A generated block sits between ``<!-- figures:NAME -->`` and ``<!-- /figures:NAME -->`` in a
Markdown file; everything outside the markers is left as it is.  ``docs/figures.md`` is generated
whole: every figure, with the command, date, commit, machine and load it was measured with.
The tables come from ``figtables.py`` (speed) and ``figquality.py`` (how well it reads), both written with ``figformat.py``.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import figures_page
from figformat import Sources
from figquality import QUALITY_BLOCKS
from figtables import SPEED_BLOCKS

from training import sibling
from training.realwriters import UNLIKE_DIGITS

CARD = ROOT / "models" / "model_card.json"
RESULTS = ROOT / "benchmarks" / "results"
MEASURED_CHOICES = ROOT / "training" / "measured_choices.json"
FIGURES_PAGE = ROOT / "docs" / "figures.md"

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


SHORT = {  # card key -> a column heading
    "real_writers_choosing": "choosing writers",
    "real_writers_choosing_sparse": "sparse",
    "mnist_validation": "MNIST validation",
    "load_digits_first_half_raw": "`load_digits` 1st half raw",
    "load_digits_first_half_upscaled": "upscaled",
}


JOBS = (("test", "**test**: reported, never chose"), ("validation", "validation: chose"))


def percent(value: float) -> str:
    return f"{100 * value:.2f} %"


def model_table(card: dict[str, Any]) -> str:
    """The committed model's figures, each with the split it was measured on and that split's job."""
    rows = [
        "| set | how it is read | split | accuracy | confident but wrong | called unsure | called not a digit |",
        "|---|---|---|---|---|---|---|",
    ]
    for part, job in JOBS:
        figures = card[part]
        for key, (what, how) in SETS.items():
            if key in figures:
                f = figures[key]
                rows.append(
                    f"| {what} | {how} | {job} | **{percent(f['accuracy'])}** ({f['correct']:,} of {f['images']:,}) "
                    f"| {percent(f['confident_but_wrong'])} | {percent(f['unsure'])} | {percent(f.get('not_a_digit', 0))} |"
                )
    return "\n".join(rows)


def not_a_digit_table(card: dict[str, Any]) -> str:
    """How the committed model answers letters that look like no digit, and the threshold it chose."""
    chosen = card.get("not_a_digit")
    if chosen is None:
        return "The committed model has no 'not a digit' answer."
    rows = [
        f"Letters that look like no digit ({', '.join(UNLIKE_DIGITS)}), written by the same groups of writers, "
        "each letter's ink as one model input through the app's stroke path (read through the whole app, "
        "the ink split into digits first: docs/figures.md, *Real writers*). "
        f'"Not a digit" from a share of **{chosen["threshold"]:.2f}**, '
        "chosen on validation by the run (the card's `not_a_digit`): "
        f"{chosen['how']}." + doubt_sentence(chosen),
        "",
        '| letters | split | answered "not a digit" | answered as a confident digit | unsure |',
        "|---|---|---|---|---|",
    ]
    for part, job in JOBS:
        for key, f in card[part].items():
            if key.endswith("_letters"):
                group = key.removeprefix("real_writers_").removesuffix("_letters")
                rows.append(
                    f"| the {group} group ({f['images']:,}) | {job} | **{percent(f['not_a_digit'])}** "
                    f"| **{percent(f['confident_digit'])}** | {percent(f['unsure'])} |"
                )
    return "\n".join(rows)


def doubt_sentence(chosen: dict[str, Any]) -> str:
    """How the card's doubt was chosen ('' for a card without one)."""
    if "doubt" not in chosen:
        return ""
    return (
        f' A digit given a share of **{chosen["doubt"]:.2f}** or more is never confident ("not sure: 4, or not a '
        f'digit?"), chosen on the same sets: {chosen["doubt_how"].split(": ", 1)[-1]}.'
    )


def training_line(card: dict[str, Any]) -> str:
    """How the committed model was made and how long it took."""
    seconds = card["seconds_by_step"]
    training = card["training"]
    return (
        f"Made by `{card['command']}` at commit `{card['code']['commit'][:10]}` on {card['trained_at'][:10]}: "
        f"**{seconds['total'] / 60:.1f} minutes** on {card['machine']['cpus']} cores "
        f"({training['epochs']} epochs of {training['images_per_epoch']:,} images; fitting {seconds['fitting'] / 60:.1f} min). "
        f"`.tflite`: {card['tflite_bytes'] / 1e6:.2f} MB." + remeasured_sentence(card)
    )


def remeasured_sentence(card: dict[str, Any]) -> str:
    """When the card's figures were measured again on the same .tflite by later reading rules ('' if never)."""
    again = card.get("re_measured")
    if not again:
        return ""
    return (
        f" Its figures and 'not a digit' rule were measured again, on the same `.tflite`, by `{again['command']}` "
        f"at commit `{again['code']['commit'][:10]}` on {again['at'][:10]}."
    )


def choices_tables(choices: list[dict[str, Any]]) -> str:
    """Each measured choice of the recipe: its runs' validation figures, how it was chosen, and a note."""
    out = []
    for choice in choices:
        out += [f"**{choice['choice']}.** {choice['how']}; chosen by {choice['chosen_by']}.", ""]
        keys = [k for k in SETS if any(k in f for f in choice["runs"].values())]
        out += [
            "| run | " + " | ".join(SHORT.get(k, k) for k in keys) + " | validation errors |",
            "|---|" + "---|" * (len(keys) + 1),
        ]
        for name, f in choice["runs"].items():
            cells = " | ".join(percent(f[k]) if k in f else "—" for k in keys)
            out.append(f"| {name} | {cells} | {f['validation_errors']} |")
        out += ["", choice["note"], ""]
    return "\n".join(out).rstrip()


SPREAD_COLUMNS = {  # "part set" of training/sibling.figures -> a column heading
    "test real_writers_report": "report writers",
    "test real_writers_report_sparse": "sparse",
    "test mnist_test": "MNIST test",
    "test load_digits_second_half_raw": "`load_digits` 2nd half raw",
    "test load_digits_second_half_upscaled": "upscaled",
    "test real_writers_report_letters confident": "report letters read as a sure digit",
    "validation real_writers_choosing": "choosing writers (validation)",
    "validation mnist_validation": "MNIST validation",
    "validation load_digits_first_half_upscaled": "`load_digits` 1st half upscaled",
}


def seeds_table(record: dict[str, Any]) -> str:
    """The default recipe with several seeds, the tolerance their spread gives, and siblings from other machines."""
    limits = sibling.tolerances(record)
    columns = [c for c in SPREAD_COLUMNS if c in limits]
    rows = [
        "| run | machine | " + " | ".join(SPREAD_COLUMNS[c] for c in columns) + " |",
        "|---|---|" + "---|" * len(columns),
    ]
    for group in ("runs", "siblings"):
        for name, figures in record.get(group, {}).items():
            cells = " | ".join(percent(figures[c]) if c in figures else "—" for c in columns)
            rows.append(f"| {name} | {record['how'][name]['machine']} | {cells} |")
    tolerance = " | ".join(f"± {100 * limits[c]:.2f}" for c in columns)
    rows.append(
        f"| **tolerance**: {sibling.SPREADS} standard deviations of two seeds' difference (√2 × the seeds' spread) "
        f"| | {tolerance} |"
    )
    return "\n".join(rows)


BLOCKS: dict[str, Callable[[Sources], str]] = {
    "model": lambda s: f"{training_line(s.card)}\n\n{model_table(s.card)}\n\n{not_a_digit_table(s.card)}",
    # the file, not the card's copy: a choice made by comparing runs is recorded after the chosen run
    "choices": lambda s: choices_tables(json.loads(MEASURED_CHOICES.read_text(encoding="utf-8"))),
    "seeds": lambda s: seeds_table(json.loads(sibling.TOLERANCE.read_text(encoding="utf-8"))),
    **SPEED_BLOCKS,
    **QUALITY_BLOCKS,
}


def pages() -> list[Path]:
    """The pages that may hold generated blocks: the README and every page in docs/ but figures.md."""
    return [ROOT / "README.md", *sorted(p for p in (ROOT / "docs").glob("*.md") if p != FIGURES_PAGE)]


def load_sources() -> Sources:
    results = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(RESULTS.glob("*.json"))}
    return Sources(json.loads(CARD.read_text(encoding="utf-8")), results)


def render(text: str, sources: Sources | dict[str, Any]) -> str:
    """``text`` with every generated block made afresh (from ``sources``, or from a model card alone)."""
    if not isinstance(sources, Sources):
        sources = Sources(sources, {})

    def block(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in BLOCKS:
            raise SystemExit(f"figures.py: unknown block {name!r}")
        return f"<!-- figures:{name} -->\n{BLOCKS[name](sources)}\n<!-- /figures:{name} -->"

    return re.sub(r"<!-- figures:(\w+) -->.*?<!-- /figures:\1 -->", block, text, flags=re.DOTALL)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Regenerate the figures in README.md and docs/ from what was measured."
    )
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if a page is out of date")
    args = parser.parse_args(argv)
    sources = load_sources()
    stale = []
    for page in [*pages(), FIGURES_PAGE]:
        text = page.read_text(encoding="utf-8") if page.exists() else ""
        fresh = render(figures_page.TEMPLATE if page == FIGURES_PAGE else text, sources)
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
