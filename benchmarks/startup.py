"""Time from launching ``python -m digitgame`` to its first frame and to the model being ready.

    python benchmarks/startup.py            # headless (SDL dummy driver), median of 5 launches
    python benchmarks/startup.py --xvfb     # a real X window on Xvfb (started here if DISPLAY is unset)

The launch time is handed to the app in DIGITGAME_LAUNCH_TIME (epoch seconds, taken just
before the process is spawned); the app's ``--verbose`` log reports ``first_frame ms=...``
and ``model_ready ms=...`` measured from it.  Targets: first frame <= 0.5 s, model <= 1 s.
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
sys.path.insert(0, str(ROOT))

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
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--xvfb", action="store_true", help="a real X window (starts Xvfb when DISPLAY is unset)")
    args = parser.parse_args()
    env = dict(os.environ, SDL_AUDIODRIVER="dummy")
    xvfb = None
    if args.xvfb:
        from benchmarks.frame_time import start_xvfb

        env.pop("SDL_VIDEODRIVER", None)
        xvfb = start_xvfb((1600, 1000))
        env["DISPLAY"] = os.environ["DISPLAY"]
    else:
        env["SDL_VIDEODRIVER"] = "dummy"
    try:
        launch_once(env)  # warm the file cache; not counted
        runs = [launch_once(env) for _ in range(args.runs)]
    finally:
        if xvfb is not None:
            xvfb.terminate()
    first = [r[0] for r in runs]
    ready = [r[1] for r in runs]
    print(f"driver={'x11 (Xvfb)' if args.xvfb else 'dummy'} runs={args.runs}")
    print(f"first_frame ms: median={statistics.median(first):.0f} runs={[round(v) for v in first]}")
    print(f"model_ready ms: median={statistics.median(ready):.0f} runs={[round(v) for v in ready]}")
    ok_first = statistics.median(first) <= FIRST_FRAME_TARGET_MS
    ok_ready = statistics.median(ready) <= MODEL_READY_TARGET_MS
    print(f"targets: first frame <= {FIRST_FRAME_TARGET_MS} ms {'met' if ok_first else 'NOT met'}; ", end="")
    print(f"model ready <= {MODEL_READY_TARGET_MS} ms {'met' if ok_ready else 'NOT met'}")


if __name__ == "__main__":
    main()
