"""Start-up of the frozen app on Xvfb (launch -> first frame) and cold `predict --json`, median of N.

    python3 packaging/build.py               # first: the bundle in dist/digitgame/
    python3 benchmarks/bundle_startup.py [--program dist/digitgame/digitgame] [--runs 5] [--display :93]

Starts its own Xvfb on --display.  Each app run is a fresh process started with `--windowed
--verbose`; the app's `first_frame ms=...` line (measured from DIGITGAME_LAUNCH_TIME, set here
just before the launch) is the figure, cross-checked by `xdotool search --sync --onlyvisible`
(the window mapped, as the window system sees it).  Each predict run is a fresh process on a
shipped drawing, after one untimed run to warm the OS file cache.  Targets: 0.5 s for both.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "assets" / "selftest" / "7-plain.json"
TARGET_S = 0.5
FIRST_FRAME = re.compile(rb"first_frame ms=([0-9.]+)")


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    """Xvfb on ``display``, ready to accept clients."""
    if shutil.which("Xvfb") is None:
        sys.exit("bundle_startup.py: needs Xvfb and xdotool (apt-get install -y xvfb xdotool)")
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket = Path("/tmp/.X11-unix") / f"X{display.lstrip(':')}"
    deadline = time.monotonic() + 10
    while not socket.exists():
        if xvfb.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"bundle_startup.py: Xvfb did not start on {display} (is it in use?)")
        time.sleep(0.05)
    return xvfb


def launch_once(program: Path, display: str) -> tuple[float, float]:
    """One launch: (first_frame as the app logs it, window visible per xdotool), both in seconds."""
    env = {**os.environ, "DISPLAY": display, "DIGITGAME_LAUNCH_TIME": repr(time.time())}
    env.pop("SDL_VIDEODRIVER", None)
    start = time.perf_counter()
    app = subprocess.Popen(
        [str(program), "--windowed", "--verbose"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    visible: list[float] = []

    def wait_visible() -> None:
        subprocess.run(
            ["xdotool", "search", "--sync", "--onlyvisible", "--pid", str(app.pid)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
        )
        visible.append(time.perf_counter() - start)

    watcher = threading.Thread(target=wait_visible)
    watcher.start()
    first_frame = None
    assert app.stderr is not None
    for line in app.stderr:
        match = FIRST_FRAME.search(line)
        if match:
            first_frame = float(match.group(1)) / 1000
            break
    watcher.join(timeout=30)
    app.terminate()
    try:
        app.wait(timeout=10)
    except subprocess.TimeoutExpired:
        app.kill()
        app.wait()
    if first_frame is None:
        sys.exit(f"bundle_startup.py: no first_frame line from {program} (exit {app.returncode})")
    return first_frame, visible[0] if visible else float("nan")


def predict_once(program: Path) -> float:
    """Wall time of one `predict --json` process."""
    start = time.perf_counter()
    subprocess.run([str(program), "predict", "--json", str(DRAWING)], check=True, capture_output=True)
    return time.perf_counter() - start


def report(name: str, times: list[float]) -> bool:
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET_S else f"OVER the {TARGET_S} s target"
    runs = " ".join(f"{t:.3f}" for t in times)
    print(f"{name:34s} median {median:.3f} s  ({runs})  {verdict}", flush=True)
    return median <= TARGET_S


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", type=Path, default=ROOT / "dist" / "digitgame" / "digitgame")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--display", default=":93")
    args = parser.parse_args()
    if not args.program.is_file():
        sys.exit(f"bundle_startup.py: {args.program} not found; build it with `python3 packaging/build.py`")
    xvfb = start_xvfb(args.display)
    try:
        launch_once(args.program, args.display)  # untimed: warms the OS file cache
        launches = [launch_once(args.program, args.display) for _ in range(args.runs)]
    finally:
        xvfb.terminate()
        xvfb.wait()
    predict_once(args.program)
    predicts = [predict_once(args.program) for _ in range(args.runs)]
    print(f"{args.program}")
    ok = report("launch -> first frame (app log)", [f for f, _ in launches])
    report("launch -> window visible (xdotool)", [v for _, v in launches])
    ok = report("predict --json, cold process", predicts) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
