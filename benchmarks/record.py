"""What a benchmark measured, kept as JSON: the figures, with the command, the commit, the machine and the time.

Every benchmark ends with ``record.write(name, figures, started, load_at_start)``;
``benchmarks/figures.py`` makes the figures pages from these files, so a figure shown anywhere is
one a program measured.  The files live in ``benchmarks/results/`` and are committed with the
change they measure.  A benchmark with several published forms (``frame_time.py --scene number``)
writes one file per form, ``<name>-<variant>.json``.  A benchmark records only when run with the
arguments its figures are published with (a quicker look does not overwrite them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"


def busy_cpu_seconds() -> float | None:
    """CPU seconds the whole machine has spent busy since boot (all cores; stolen time counts), where told."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(v) for v in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + waiting for I/O
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds of this process and of the children it has waited for."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


_AT_IMPORT = (time.time(), busy_cpu_seconds(), own_cpu_seconds())  # a benchmark imports this module first


def machine() -> dict[str, Any]:
    """The processor, how many of it, the system and the Python the figures were measured on."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    from training.provenance import processor  # the model card's own record of the processor

    return {
        "processor": processor()["processor"],
        "cpus": os.cpu_count(),
        "system": platform.platform(),
        "python": platform.python_version(),
    }


def commit() -> str:
    """The commit measured, with "+changes" when the work tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


_COMMIT_AT_IMPORT = commit()  # the code that ran, not what the work tree holds when the run ends


def load_average() -> float | None:
    """The one-minute load average (how busy the machine was), where the system tells it."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def others_share() -> float | None:
    """The share of the machine's CPU that other processes used since this module was imported.

    How idle the machine really was: the load average at start says nothing of a job that starts
    midway.  0.05 is the background of an idle machine; an Xvfb this benchmark did not wait for
    counts as other.
    """
    then, busy_then, own_then = _AT_IMPORT
    busy_now = busy_cpu_seconds()
    if busy_then is None or busy_now is None:
        return None
    others = (busy_now - busy_then) - (own_cpu_seconds() - own_then)
    return round(max(others, 0.0) / ((time.time() - then) * (os.cpu_count() or 1)), 3)


def model_sha256() -> str | None:
    """The committed model's sha256: the pages tell a figure measured on an earlier model by it."""
    path = Path(__file__).resolve().parent.parent / "models" / "digit_cnn.tflite"
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None


def write(
    name: str, figures: dict[str, Any], started: float, load_at_start: float | None, variant: str | None = None
) -> Path:
    """Write ``benchmarks/results/<name>.json`` (or ``<name>-<variant>.json``) atomically and return its path."""
    record: dict[str, Any] = {
        "benchmark": name,
        "command": " ".join(["python", f"benchmarks/{name}.py", *sys.argv[1:]]),
        "commit": _COMMIT_AT_IMPORT,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "seconds": round(time.time() - started, 1),
        "machine": machine(),
        "load_average": {"at_start": load_at_start, "at_end": load_average()},
        "others_cpu_share": others_share(),
        "model_sha256": model_sha256(),
        "figures": figures,
    }
    if variant:
        record["variant"] = variant
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / (f"{name}-{variant}.json" if variant else f"{name}.json")
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path


def is_standard(parser: argparse.ArgumentParser, args: argparse.Namespace, *choosers: str) -> bool:
    """Whether ``args`` are the parser's defaults, apart from the options that choose a variant."""
    defaults = vars(parser.parse_args([]))
    return all(value == defaults.get(key) for key, value in vars(args).items() if key not in choosers)


def publish(
    parser: argparse.ArgumentParser,
    args: argparse.Namespace,
    name: str,
    figures: dict[str, Any],
    started: float,
    load_at_start: float | None,
    variant: str | None = None,
    choosers: tuple[str, ...] = (),
) -> None:
    """Write the figures when the benchmark ran as published (see ``is_standard``); say either way."""
    if is_standard(parser, args, *choosers):
        print(f"wrote {write(name, figures, started, load_at_start, variant).relative_to(ROOT)}")
    else:
        print("not recorded: the figures are published from the default arguments only")
