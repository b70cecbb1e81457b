"""Cold start of `python -m digitgame predict one.json`: wall time of the whole process, median of N.

    python benchmarks/cold_start.py [--runs 9] [--rounds 3]

Each run is a fresh interpreter (imports, model load, one prediction, exit), as a person
or a script calling the command would see it.  Also prints the same for `--json`, and for a
560x560 PNG of the same drawing (which imports Pillow to read it).  Each form is launched
``--runs`` times per round, in ``--rounds`` rounds; the figure is the median of the rounds'
medians (``timing.py``).  With the default arguments it writes ``benchmarks/results/cold_start.json``.
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
import record
import timing
from PIL import Image, ImageDraw

from digitgame.live.drawing import Drawing


def render_png(drawing: Drawing) -> np.ndarray:
    """The drawing as black 14 px strokes on white, (H, W) uint8."""
    image = Image.new("L", (int(drawing.width), int(drawing.height)), 255)
    for stroke in drawing.strokes:
        ImageDraw.Draw(image).line(stroke, fill=0, width=14, joint="curve")
    return np.asarray(image)


FORMS = {"stroke_file": ([], "one.json"), "stroke_file_json": (["--json"], "one.json"), "png": ([], "one.png")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="launches per round (default 9)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds (default 3)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    _, _, strokes = pendigits.dataset(1, seed=3)[7]
    drawing = Drawing(pendigits.CANVAS, pendigits.CANVAS, [[(float(x), float(y)) for x, y in s] for s in strokes])
    times: dict[str, list[list[float]]] = {form: [] for form in FORMS}
    with tempfile.TemporaryDirectory() as tmp:
        drawing.to_file().save(Path(tmp) / "one.json")
        Image.fromarray(render_png(drawing)).save(Path(tmp) / "one.png")
        for r in range(args.rounds):
            print(f"round {r + 1} of {args.rounds}")
            for form, (extra, target) in FORMS.items():
                cmd = [sys.executable, "-m", "digitgame", "predict", *extra, target]
                subprocess.run(cmd, check=True, capture_output=True, cwd=tmp)  # warm the OS file cache
                launches = []
                for _ in range(args.runs):
                    t = time.perf_counter()
                    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=tmp)
                    launches.append(time.perf_counter() - t)
                times[form].append(launches)
                print(
                    f"{' '.join(['predict', *extra, target]):28s} median {statistics.median(launches):.3f} s  "
                    f"min {min(launches):.3f}  max {max(launches):.3f}  ({args.runs} runs)   -> {out.stdout.strip()[-60:]}"
                )
    figures = {form: timing.launches_over_rounds(rounds) for form, rounds in times.items()}
    print(
        ", ".join(f"{form} {f['median_s']:.3f} s" for form, f in figures.items()), f"(medians of {args.rounds} rounds)"
    )
    record.publish(parser, args, "cold_start", figures, started, load)


if __name__ == "__main__":
    main()
