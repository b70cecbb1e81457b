"""Time from launching ``python -m digitgame`` to its first frame and to the model being ready.

    python benchmarks/startup.py            # headless (SDL dummy driver), 3 rounds of 9 launches
    python benchmarks/startup.py --xvfb     # a real X window on Xvfb (started here if DISPLAY is unset)

The launch time is handed to the app in DIGITGAME_LAUNCH_TIME (epoch seconds, taken just
before the process is spawned); the app's ``--verbose`` log reports ``first_frame ms=...``
and ``model_ready ms=...`` measured from it.  Targets: first frame <= 0.5 s, model <= 1 s.  The
figures are the medians of the ``--rounds`` rounds' medians (``timing.py``); with the default
arguments it writes ``benchmarks/results/startup-<xvfb or dummy>.json``.
"""

from __future__ import annotations

import argparse
import os
import re
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import record
import timing

FIRST_FRAME_TARGET_MS = 500
MODEL_READY_TARGET_MS = 1000
TIMEOUT_S = 60


def launch_once(env: dict[str, str]) -> tuple[float, float]:
    """One launch: (first_frame ms, model_ready ms) from the app's log lines."""
    env = dict(env, DIGITGAME_LAUNCH_TIME=repr(time.time()))
    proc = subprocess.Popen(
        [sys.executable, "-m", "digitgame", "--windowed", "--size", "1280x800", "--verbose"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    found: dict[str, float] = {}
    selector = selectors.DefaultSelector()
    selector.register(proc.stderr, selectors.EVENT_READ)
    deadline = time.monotonic() + TIMEOUT_S
    log = []
    try:
        while len(found) < 2 and time.monotonic() < deadline:
            if not selector.select(timeout=1):
                continue
            line = proc.stderr.readline()
            if not line:
                break
            log.append(line)
            match = re.match(r"(first_frame|model_ready) ms=([\d.]+)", line)
            if match:
                found[match.group(1)] = float(match.group(2))
    finally:
        proc.terminate()
        proc.wait(10)
    if len(found) < 2:
        sys.exit("startup: the app did not report first_frame and model_ready:\n" + "".join(log))
    return found["first_frame"], found["model_ready"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="launches per round (default 9)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds (default 3)")
    parser.add_argument("--xvfb", action="store_true", help="a real X window (starts Xvfb when DISPLAY is unset)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    env = dict(os.environ, SDL_AUDIODRIVER="dummy")
    xvfb = None
    if args.xvfb:
        from frame_time import start_xvfb

        env.pop("SDL_VIDEODRIVER", None)
        xvfb = start_xvfb((1600, 1000))
        env["DISPLAY"] = os.environ["DISPLAY"]
    else:
        env["SDL_VIDEODRIVER"] = "dummy"
    first: list[list[float]] = []
    ready: list[list[float]] = []
    try:
        launch_once(env)  # warm the file cache; not counted
        for r in range(args.rounds):
            runs = [launch_once(env) for _ in range(args.runs)]
            first.append([f / 1e3 for f, _ in runs])
            ready.append([m / 1e3 for _, m in runs])
            print(f"round {r + 1} of {args.rounds}: driver={'x11 (Xvfb)' if args.xvfb else 'dummy'} runs={args.runs}")
            print(
                f"first_frame ms: median={statistics.median(f for f, _ in runs):.0f} runs={[round(f) for f, _ in runs]}"
            )
            print(
                f"model_ready ms: median={statistics.median(m for _, m in runs):.0f} runs={[round(m) for _, m in runs]}"
            )
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    figures = {"first_frame": timing.launches_over_rounds(first), "model_ready": timing.launches_over_rounds(ready)}
    median_first, median_ready = (figures[k]["median_s"] * 1e3 for k in ("first_frame", "model_ready"))
    print(f"medians of {args.rounds} rounds: first frame {median_first:.0f} ms, model ready {median_ready:.0f} ms")
    ok_first = median_first <= FIRST_FRAME_TARGET_MS
    ok_ready = median_ready <= MODEL_READY_TARGET_MS
    print(f"targets: first frame <= {FIRST_FRAME_TARGET_MS} ms {'met' if ok_first else 'NOT met'}; ", end="")
    print(f"model ready <= {MODEL_READY_TARGET_MS} ms {'met' if ok_ready else 'NOT met'}")
    variant = "xvfb" if args.xvfb else "dummy"
    record.publish(parser, args, "startup", figures, started, load, variant, choosers=("xvfb",))


if __name__ == "__main__":
    main()
