"""Cold start of `python -m digitgame predict one.json`: wall time of the whole process, median of N.

    python benchmarks/cold_start.py [--runs 9]

Each run is a fresh interpreter (imports, model load, one prediction, exit), as a person
or a script calling the command would see it.  Also prints the same for `--json`.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import pendigits

from digitgame.drawing import Drawing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    _, _, strokes = pendigits.dataset(1, seed=3)[7]
    drawing = Drawing(pendigits.CANVAS, pendigits.CANVAS, [[(float(x), float(y)) for x, y in s] for s in strokes])
    with tempfile.TemporaryDirectory() as tmp:
        path = drawing.save(Path(tmp) / "one.json")
        for extra in ([], ["--json"]):
            cmd = [sys.executable, "-m", "digitgame", "predict", *extra, str(path)]
            subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)  # warm the OS file cache
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp)
                times.append(time.perf_counter() - t)
            print(f"{' '.join(['predict', *extra, 'one.json']):28s} median {statistics.median(times):.3f} s  "
                  f"min {min(times):.3f}  max {max(times):.3f}  ({args.runs} runs)   -> {out.stdout.strip()[-60:]}")


if __name__ == "__main__":
    main()
