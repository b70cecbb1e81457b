"""Start-up of the frozen app on Xvfb (launch -> first frame) and cold `predict --json`, median of N.

    python3 packaging/build.py               # first: the bundle in dist/digitgame/
    python3 benchmarks/bundle_startup.py [--program dist/digitgame/digitgame] [--runs 9] [--rounds 3] [--display :93]

Starts its own Xvfb on --display.  Each app run is a fresh process started with `--windowed
--verbose`; the app's `first_frame ms=...` line (measured from DIGITGAME_LAUNCH_TIME, set here
just before the launch) is the figure, cross-checked from outside by the X server's MapNotify event for the first
top-level window (`xev -root -event substructure`; `xdotool search --sync` polls only every
0.5 s, too coarse for a 0.5 s target, and misses --onefile's child process).  Each predict run is a fresh process on a
shipped drawing, after one untimed run to warm the OS file cache.  Targets: 0.5 s for both.
Launches are made ``--runs`` at a time in ``--rounds`` rounds; the figures are the medians of the
rounds' medians (``timing.py``), with the bundle's size on disk (``du -sb``, apparent bytes).
With the default arguments it writes ``benchmarks/results/bundle_startup.json``.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

import record
import timing

DRAWING = ROOT / "assets" / "selftest" / "7-plain.json"
TARGET_S = 0.5
FIRST_FRAME = re.compile(rb"first_frame ms=([0-9.]+)")


def start_xvfb(display: str) -> subprocess.Popen[bytes]:
    """Xvfb on ``display``, ready to accept clients."""
    if shutil.which("Xvfb") is None:
        sys.exit("bundle_startup.py: needs Xvfb and xev (apt-get install -y xvfb x11-utils)")
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
    """One launch: (first frame as the app logs it, first window mapped as X sees it), in seconds."""
    env = {**os.environ, "DISPLAY": display}
    env.pop("SDL_VIDEODRIVER", None)
    xev = subprocess.Popen(
        ["stdbuf", "-oL", "xev", "-root", "-event", "substructure"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.3)  # xev has selected its events before the app starts
    mapped: list[float] = []

    def wait_mapped() -> None:
        assert xev.stdout is not None
        for line in xev.stdout:
            if line.startswith(b"MapNotify"):
                mapped.append(time.perf_counter() - start)
                return

    watcher = threading.Thread(target=wait_mapped, daemon=True)
    watcher.start()
    env["DIGITGAME_LAUNCH_TIME"] = repr(time.time())
    start = time.perf_counter()
    app = subprocess.Popen(
        [str(program), "--windowed", "--verbose"], env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    first_frame = None
    assert app.stderr is not None
    for line in app.stderr:
        match = FIRST_FRAME.search(line)
        if match:
            first_frame = float(match.group(1)) / 1000
            break
    watcher.join(timeout=10)
    for process in (app, xev):
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    if first_frame is None:
        sys.exit(f"bundle_startup.py: no first_frame line from {program} (exit {app.returncode})")
    return first_frame, mapped[0] if mapped else float("nan")


def predict_once(program: Path) -> float:
    """Wall time of one `predict --json` process."""
    start = time.perf_counter()
    subprocess.run([str(program), "predict", "--json", str(DRAWING)], check=True, capture_output=True)
    return time.perf_counter() - start


def report(name: str, times: list[float]) -> bool:
    median = statistics.median(times)
    verdict = "ok" if median <= TARGET_S else f"OVER the {TARGET_S} s target"
    runs = " ".join(f"{t:.3f}" for t in times)
    print(f"{name:36s} median {median:.3f} s  ({runs})  {verdict}", flush=True)
    return median <= TARGET_S


def size_on_disk(program: Path) -> int:
    """Bytes of the bundle as ``du -sb`` counts them: the folder beside the program (or the one file)."""
    where = program.parent if (program.parent / "_internal").exists() else program
    if shutil.which("du"):
        return int(
            subprocess.run(["du", "-sb", str(where)], capture_output=True, text=True, check=True).stdout.split()[0]
        )
    return sum(p.lstat().st_size for p in [where, *where.rglob("*")])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--program", type=Path, default=ROOT / "dist" / "digitgame" / "digitgame")
    parser.add_argument("--runs", type=int, default=9, help="launches per round (default 9)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds (default 3)")
    parser.add_argument("--display", default=":93")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    if not args.program.is_file():
        sys.exit(f"bundle_startup.py: {args.program} not found; build it with `python3 packaging/build.py`")
    firsts, mapped, predicts, ok = [], [], [], True
    xvfb = start_xvfb(args.display)
    try:
        launch_once(args.program, args.display)  # untimed: warms the OS file cache
        predict_once(args.program)
        for r in range(args.rounds):
            launches = [launch_once(args.program, args.display) for _ in range(args.runs)]
            predicts.append([predict_once(args.program) for _ in range(args.runs)])
            firsts.append([f for f, _ in launches])
            mapped.append([m for _, m in launches])
            print(f"round {r + 1} of {args.rounds}: {args.program}")
            ok = report("launch -> first frame (app log)", firsts[-1]) and ok
            report("launch -> window mapped (X server)", mapped[-1])
            ok = report("predict --json, cold process", predicts[-1]) and ok
    finally:
        xvfb.terminate()
        xvfb.wait()
    figures = {
        "bundle_bytes": size_on_disk(args.program),
        "first_frame": timing.launches_over_rounds(firsts),
        "window_mapped": timing.launches_over_rounds(mapped),
        "predict_json": timing.launches_over_rounds(predicts),
    }
    print(
        f"{figures['bundle_bytes'] / 1e6:.1f} MB on disk; medians of {args.rounds} rounds: first frame "
        f"{figures['first_frame']['median_s']:.3f} s, window mapped {figures['window_mapped']['median_s']:.3f} s, "
        f"predict --json {figures['predict_json']['median_s']:.3f} s"
    )
    record.publish(parser, args, "bundle_startup", figures, started, load)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
