"""Fuzz the readers of untrusted files: mutated images and stroke files through `predict`'s code path.

    python benchmarks/fuzz_inputs.py [--images 8000] [--strokes 4000] [--model-flips 300] [--seed 1] [--keep DIR]

Valid seeds are made here (PNG in eight modes, interlaced; baseline, progressive, CMYK and rotated
JPEG; BMP from 1 to 32 bits and RLE; GIF still, animated and transparent; WebP lossy, lossless and
animated; stroke files compact and indented), then mutated: bit flips, bytes set to 0/FF/7F/80,
header fields overwritten with small or huge numbers, truncation, repeated and inserted slices,
splices of two seeds.  Each file goes to a worker process that answers it as `predict` does
(Recognizer.read_file); the worker's stderr is captured, so a native library's chatter is seen.

Counted: crashes (the worker killed by a signal), tracebacks (an exception other than the one-line
error), messages that are not one line naming the file, and stderr chatter; and the worst time
and the worst peak resident memory of the worker.  Last, the real command line reads every file
in batches, to check that each gets exactly one line and the exit status is 0 or 1.

Then the model file: copies of the committed .tflite with one random bit flipped, each beside the
committed model card, must all be refused; and the time the card check adds to reading the model
(read + SHA-256 + card, against the read alone) is measured on the good file.  With the default
arguments it writes ``benchmarks/results/fuzz_inputs.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(Path(__file__).resolve().parent)]

import record
from fuzz_corpus import giant_cases, make_corpus

WORKER = """
import json, os, resource, sys, time
sys.path.insert(0, sys.argv[1])
from digitgame.files.strokefile import StrokeFileError
from digitgame.files.imagefile import ImageFileError
from digitgame.recognition.predictor import load_predictor
from digitgame.recognition.recognizer import Recognizer
from digitgame.files.userfile import display_name
from PIL import BmpImagePlugin, GifImagePlugin, Image, JpegImagePlugin, PngImagePlugin, WebPImagePlugin
recognizer = Recognizer(load_predictor())  # and Pillow imported: the times below are each file's own
print(json.dumps({"ready": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}), flush=True)
for line in sys.stdin:
    path = line.rstrip("\\n")
    t = time.perf_counter()
    try:
        recognizer.read_file(path)
        outcome, text = "answered", ""
    except (StrokeFileError, ImageFileError) as exc:
        outcome, text = "refused", str(exc)
        if "\\n" in text or not text.startswith(display_name(path) + ": ") or text.endswith(": "):
            outcome = "bad message"
    except BaseException as exc:
        outcome, text = "traceback", f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - t
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"outcome": outcome, "text": text, "s": seconds, "rss_kb": rss}), flush=True)
"""


# --- running --------------------------------------------------------------------------


class Worker:
    """A child process that answers one path per line; restarted after a crash."""

    def __init__(self, stderr_path: Path) -> None:
        self.stderr = open(stderr_path, "ab")  # noqa: SIM115 -- kept open for the worker's lifetime
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(ROOT)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            text=True,
            cwd=ROOT,
        )
        self.baseline_kb = json.loads(self.proc.stdout.readline())["ready"]

    def ask(self, path: Path) -> dict | None:
        """The worker's answer for ``path``, or None when it died reading it."""
        try:
            self.proc.stdin.write(f"{path}\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
        except BrokenPipeError:
            line = ""
        return json.loads(line) if line else None

    def close(self) -> int:
        self.proc.stdin.close()
        code = self.proc.wait()
        self.stderr.close()
        return code


def fuzz(files: list[Path], folder: Path) -> dict:
    counts: dict[str, int] = {}
    crashes, tracebacks, worst, worst_rss = [], [], (0.0, ""), (0, "")
    stderr_path = folder / "worker-stderr.txt"
    worker = Worker(stderr_path)
    baseline_kb = worker.baseline_kb
    for path in files:
        answer = worker.ask(path)
        if answer is None:
            crashes.append((path.name, worker.close()))
            worker = Worker(stderr_path)
            continue
        counts[answer["outcome"]] = counts.get(answer["outcome"], 0) + 1
        if answer["outcome"] in ("traceback", "bad message"):
            tracebacks.append((path.name, answer["text"][:200]))
        if answer["s"] > worst[0]:
            worst = (answer["s"], path.name)
        if answer["rss_kb"] > worst_rss[0]:
            worst_rss = (answer["rss_kb"], path.name)
    worker.close()
    return {
        "counts": counts,
        "crashes": crashes,
        "tracebacks": tracebacks,
        "worst_s": worst,
        "worst_rss_kb": worst_rss,
        "baseline_kb": baseline_kb,
        "stderr": stderr_path.read_bytes(),
    }


def through_the_cli(files: list[Path], batch: int = 500) -> tuple[int, list[str]]:
    """Run `python -m digitgame predict` over every file in batches; problems found, as lines."""
    problems, checked = [], 0
    for start in range(0, len(files), batch):
        part = files[start : start + batch]
        out = subprocess.run(
            [sys.executable, "-m", "digitgame", "predict", *map(str, part)], capture_output=True, cwd=ROOT
        )
        lines = out.stdout.splitlines() + out.stderr.splitlines()
        if out.returncode not in (0, 1):
            problems.append(f"batch {start}: exit status {out.returncode}")
        if len(lines) != len(part) or b"Traceback" in out.stderr:
            problems.append(f"batch {start}: {len(lines)} lines for {len(part)} files")
        checked += len(part)
    return checked, problems


def model_flips(n: int, rng: random.Random, folder: Path) -> dict:
    """Load ``n`` bit-flipped copies of the model beside its card; time the check on the good model."""
    import shutil
    import statistics

    from digitgame.files import paths
    from digitgame.files.userfile import read_regular
    from digitgame.recognition.predictor import CARD_NAME, MAX_MODEL_BYTES, LiteRTPredictor, ModelError, read_tflite

    good = paths.model_path()
    shutil.copy(good.parent / CARD_NAME, folder / CARD_NAME)
    original, target = good.read_bytes(), folder / good.name
    refused = 0
    for _ in range(n):
        flipped = bytearray(original)
        flipped[rng.randrange(len(flipped))] ^= 1 << rng.randrange(8)
        target.write_bytes(flipped)
        try:
            LiteRTPredictor(target)
        except ModelError:
            refused += 1
    checked, plain = [], []
    for _ in range(300):
        t = time.perf_counter()
        read_tflite(good)
        checked.append(time.perf_counter() - t)
        t = time.perf_counter()
        read_regular(good, MAX_MODEL_BYTES, "a model file")
        plain.append(time.perf_counter() - t)
    extra = sorted(c - p for c, p in zip(checked, plain, strict=True))
    return {
        "n": n,
        "refused": refused,
        "check_p50_ms": statistics.median(extra) * 1000,
        "check_p99_ms": extra[int(0.99 * len(extra))] * 1000,
        "read_p50_ms": statistics.median(plain) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=8000, help="mutated images (default 8000)")
    parser.add_argument("--strokes", type=int, default=4000, help="mutated stroke files (default 4000)")
    parser.add_argument("--model-flips", type=int, default=300, help="bit-flipped model copies (default 300)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="write the corpus here and keep it")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        files = make_corpus(folder, args.images, args.strokes, rng)
        result = fuzz(files, folder)
        seconds = time.perf_counter() - t
        checked, problems = through_the_cli(files)
        flips = model_flips(args.model_flips, rng, folder)
    counts = result["counts"]
    print(
        f"{len(files)} files ({args.images} mutated images, {args.strokes} mutated stroke files, "
        f"{len(giant_cases())} giants), seed {args.seed}, {seconds:.0f} s"
    )
    print(f"  answered {counts.get('answered', 0)}, refused with one line {counts.get('refused', 0)}")
    print(
        f"  crashes {len(result['crashes'])}, tracebacks {counts.get('traceback', 0)}, "
        f"bad messages {counts.get('bad message', 0)}, stderr chatter {len(result['stderr'])} bytes"
    )
    print(f"  worst time {result['worst_s'][0] * 1000:.1f} ms ({result['worst_s'][1]})")
    print(
        f"  worst peak memory {result['worst_rss_kb'][0] / 1024:.0f} MB ({result['worst_rss_kb'][1]}); "
        f"the worker after loading the model: {result['baseline_kb'] / 1024:.0f} MB"
    )
    print(f"  command line: {checked} files in batches, {len(problems)} problems")
    print(
        f"model: {flips['refused']} of {flips['n']} bit-flipped copies beside the card refused; the card check adds "
        f"{flips['check_p50_ms']:.2f} ms p50, {flips['check_p99_ms']:.2f} ms p99 to reading the file "
        f"({flips['read_p50_ms']:.2f} ms)"
    )
    for name, code in result["crashes"][:10]:
        print(f"  CRASH {name}: exit {code}")
    for name, text in result["tracebacks"][:10]:
        print(f"  TRACEBACK {name}: {text}")
    for line in problems[:10]:
        print(f"  CLI {line}")
    if result["stderr"]:
        print("  stderr:", result["stderr"][:500].decode("utf-8", "replace"))
    figures = {
        "files": len(files),
        "mutated_images": args.images,
        "mutated_stroke_files": args.strokes,
        "giants": [name for name, _ in giant_cases()],
        "seconds": round(seconds, 1),
        "answered": counts.get("answered", 0),
        "refused": counts.get("refused", 0),
        "crashes": len(result["crashes"]),
        "tracebacks": counts.get("traceback", 0),
        "bad_messages": counts.get("bad message", 0),
        "stderr_bytes": len(result["stderr"]),
        "worst_ms": round(result["worst_s"][0] * 1000, 1),
        "worst_ms_file": result["worst_s"][1],
        "worst_peak_mb": round(result["worst_rss_kb"][0] / 1024, 1),
        "worst_peak_file": result["worst_rss_kb"][1],
        "worker_after_model_mb": round(result["baseline_kb"] / 1024, 1),
        "command_line_files": checked,
        "command_line_problems": len(problems),
        "model_flips": {k: round(v, 3) if isinstance(v, float) else v for k, v in flips.items()},
    }
    record.publish(parser, args, "fuzz_inputs", figures, started, load)


if __name__ == "__main__":
    main()
