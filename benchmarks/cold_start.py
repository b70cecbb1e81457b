"""Cold start of `python -m digitgame predict one.json`: wall time of the whole process, median of N.

    python benchmarks/cold_start.py [--runs 9]

Each run is a fresh interpreter (imports, model load, one prediction, exit), as a person
or a script calling the command would see it.  Also prints the same for `--json`, and for a
560x560 PNG of the same drawing (which imports Pillow to read it).
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

import numpy as np
import pendigits
from PIL import Image, ImageDraw

from digitgame.live.drawing import Drawing


def render_png(drawing: Drawing) -> np.ndarray:
    """The drawing as black 14 px strokes on white, (H, W) uint8."""
    image = Image.new("L", (int(drawing.width), int(drawing.height)), 255)
    for stroke in drawing.strokes:
        ImageDraw.Draw(image).line(stroke, fill=0, width=14, joint="curve")
    return np.asarray(image)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    _, _, strokes = pendigits.dataset(1, seed=3)[7]
    drawing = Drawing(pendigits.CANVAS, pendigits.CANVAS, [[(float(x), float(y)) for x, y in s] for s in strokes])
    with tempfile.TemporaryDirectory() as tmp:
        path = drawing.to_file().save(Path(tmp) / "one.json")
        image = Path(tmp) / "one.png"
        Image.fromarray(render_png(drawing)).save(image)
        for extra, target in (([], path), (["--json"], path), ([], image)):
            cmd = [sys.executable, "-m", "digitgame", "predict", *extra, str(target)]
            subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)  # warm the OS file cache
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp)
                times.append(time.perf_counter() - t)
            print(
                f"{' '.join(['predict', *extra, target.name]):28s} median {statistics.median(times):.3f} s  "
                f"min {min(times):.3f}  max {max(times):.3f}  ({args.runs} runs)   -> {out.stdout.strip()[-60:]}"
            )


if __name__ == "__main__":
    main()
