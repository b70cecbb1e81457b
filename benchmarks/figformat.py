"""The figures pages' shared parts: where the figures come from (``Sources``), and how each is written.

A row names the results file it came from; ``source_line`` says how that file was measured:
command, date, commit, machine, load, and the share of the CPU other processes took meanwhile.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Record = dict[str, Any]


@dataclass(frozen=True)
class Sources:
    """What the pages are made from: the model card and every ``benchmarks/results/*.json`` by name."""

    card: dict[str, Any]
    results: dict[str, Record]

    def figures(self, name: str) -> dict[str, Any] | None:
        record = self.results.get(name)
        return None if record is None else record["figures"]


# --- formatting ----------------------------------------------------------------------------


def percent(value: float, places: int = 2) -> str:
    return f"{100 * value:.{places}f} %"


def when(record: Record) -> str:
    return record["measured_at"][:16].replace("T", " ") + " UTC"


def command_for(name: str) -> str:
    """The command that writes ``benchmarks/results/<name>.json``."""
    script, *variant = name.split("-")
    options = {"xvfb": "--xvfb", "dummy": "", "draw": ""}
    args = [options.get(v, f"--scene {v}") for v in variant]
    return " ".join(["python", f"benchmarks/{script}.py", *[a for a in args if a]])


def source_line(name: str, record: Record | None, model_sha256: str | None = None) -> str:
    """How ``benchmarks/results/<name>.json`` was measured, in one line."""
    if record is None:
        return f"- `{name}.json`: **not measured yet** (`{command_for(name)}`)"
    machine, load = record["machine"], record["load_average"]
    others = record.get("others_cpu_share")
    busy = "" if others is None else f"; other processes took {percent(others, 0)} of the CPU meanwhile"
    return (
        f"- `{name}.json`: `{record['command']}`, {when(record)}, commit `{record['commit'][:10]}`"
        f"{' (with uncommitted changes)' if record['commit'].endswith('+changes') else ''}; "
        f"{machine['processor'] or 'processor unknown'}, {machine['cpus']} cores, Python {machine['python']}; "
        f"load {load['at_start']} at start, {load['at_end']} at end{busy}{earlier_model(record, model_sha256)}"
    )


def earlier_model(record: Record, model_sha256: str | None) -> str:
    """A warning when a result names a model other than the committed one (results before it was recorded say nothing)."""
    measured = record.get("model_sha256")
    if measured is None or model_sha256 is None or measured == model_sha256:
        return ""
    return "; **measured on an earlier model: run it again**"


def sources(s: Sources, names: list[str]) -> str:
    return "Measured by:\n\n" + "\n".join(
        source_line(n, s.results.get(n), s.card.get("tflite_sha256")) for n in dict.fromkeys(names)
    )


def verdict(value: float | None, op: str, limit: float) -> str:
    if value is None:
        return ""
    met = value <= limit if op == "≤" else value >= limit
    return ": met" if met else ": **not met**"


def target(text: str, value: float | None = None, op: str = "≤", limit: float | None = None) -> str:
    """A target as the issue states it, and whether the figure meets it."""
    return text + ("" if limit is None else verdict(value, op, limit))


def ms(f: dict[str, Any] | None) -> str:
    """p50 and p99 in ms (medians over rounds) and the rounds' range of p50."""
    if f is None:
        return "—"
    p50s = [r["p50_ms"] for r in f["rounds"]]
    spread = f"rounds {min(p50s):.2f}–{max(p50s):.2f}" if len(p50s) > 1 else "one round"
    return f"p50 **{f['p50_ms']:.2f} ms** ({spread}), p99 {f['p99_ms']:.2f} ms"


def seconds(f: dict[str, Any] | None) -> str:
    """A launch time: the median of the rounds' medians, and their range."""
    if f is None:
        return "—"
    medians = [r["median_s"] for r in f["rounds"]]
    return f"**{f['median_s']:.2f} s** (rounds {min(medians):.2f}–{max(medians):.2f}, {f['launches_per_round']} launches each)"


def dig(figures: dict[str, Any] | None, *path: str) -> Any:
    for key in path:
        if not isinstance(figures, dict) or figures.get(key) is None:
            return None
        figures = figures[key]
    return figures


Row = tuple[str, str, str, str]  # what, figure, target, results file


def table(rows: list[Row], s: Sources) -> str:
    out = ["| what | figure | target | from |", "|---|---|---|---|"]
    out += [f"| {what} | {figure} | {goal} | `{name}` |" for what, figure, goal, name in rows]
    return "\n".join(out) + "\n\n" + sources(s, [name for *_, name in rows])


# --- speed ---------------------------------------------------------------------------------
