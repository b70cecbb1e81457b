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
(read + SHA-256 + card, against the read alone) is measured on the good file.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

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


# --- seeds --------------------------------------------------------------------------


def image_seeds() -> list[tuple[str, bytes]]:
    """Small valid images of every format and mode the reader allows, made with Pillow."""
    from PIL import Image, ImageDraw

    def digit(mode: str, size: tuple[int, int] = (40, 48)) -> Image.Image:
        im = Image.new("L", size, 255)
        ImageDraw.Draw(im).line([(10, 8), (30, 8), (18, 40)], fill=0, width=4)
        return im.convert(mode)

    def save(im: Image.Image, fmt: str, **options: object) -> bytes:
        buf = io.BytesIO()
        im.save(buf, fmt, **options)
        return buf.getvalue()

    seeds = [(f"png-{m}", save(digit(m), "PNG")) for m in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16")]
    seeds.append(("png-interlaced", save(digit("RGB"), "PNG", interlace=True)))
    seeds.append(("png-transparent", save(digit("P"), "PNG", transparency=255)))
    seeds += [("jpeg", save(digit("RGB"), "JPEG")), ("jpeg-grey", save(digit("L"), "JPEG"))]
    seeds.append(("jpeg-progressive", save(digit("RGB"), "JPEG", progressive=True)))
    seeds.append(("jpeg-cmyk", save(digit("CMYK"), "JPEG")))
    exif = Image.Exif()
    exif[0x0112] = 6
    seeds.append(("jpeg-exif", save(digit("RGB"), "JPEG", exif=exif.tobytes())))
    seeds += [(f"bmp-{m}", save(digit(m), "BMP")) for m in ("1", "L", "P", "RGB", "RGBA")]
    seeds.append(("gif", save(digit("P"), "GIF")))
    seeds.append(("gif-transparent", save(digit("P"), "GIF", transparency=255)))
    frames = [digit("P"), digit("P").rotate(90)]
    seeds.append(("gif-animated", save(frames[0], "GIF", save_all=True, append_images=frames[1:], loop=0)))
    seeds += [("webp-lossy", save(digit("RGB"), "WEBP")), ("webp-lossless", save(digit("RGBA"), "WEBP", lossless=True))]
    frames = [digit("RGB"), digit("RGB").rotate(90)]
    seeds.append(("webp-animated", save(frames[0], "WEBP", save_all=True, append_images=frames[1:])))
    return seeds


def rle_bmp() -> bytes:
    """An 8-bit run-length-encoded BMP (Pillow does not write RLE): 8x2, two runs per row."""
    import struct

    rows = b"".join(bytes([4, 0, 4, 255, 0, 0]) for _ in range(2)) + b"\x00\x01"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    info = struct.pack("<IiiHHIIiiII", 40, 8, 2, 1, 8, 1, len(rows), 2835, 2835, 256, 0)
    offset = 14 + 40 + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(rows), 0, 0, offset) + info + palette + rows


def stroke_seeds() -> list[tuple[str, bytes]]:
    strokes = [[[120.0 + i, 110.0 + 3 * i] for i in range(40)], [[300.5, 100.25], [200, 400]]]
    doc = {"format": "digitgame-strokes", "version": 1, "width": 560, "height": 560, "strokes": strokes}
    return [
        ("strokes-compact", json.dumps(doc, separators=(",", ":")).encode()),
        ("strokes-indented", json.dumps(doc, indent=2).encode()),
        ("strokes-empty", json.dumps({**doc, "strokes": []}).encode()),
    ]


# --- mutations ------------------------------------------------------------------------

INTERESTING = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 46341, 65535]


def mutate(data: bytes, rng: random.Random, seeds: list[bytes]) -> bytes:
    """One to four random mutations of ``data``, biased towards the header."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        if not out:
            out = bytearray(rng.choice(seeds))
        where = min(len(out) - 1, int(rng.expovariate(1 / 48))) if rng.random() < 0.7 else rng.randrange(len(out))
        kind = rng.randrange(8)
        if kind == 0:  # bit flip
            out[where] ^= 1 << rng.randrange(8)
        elif kind == 1:  # an interesting byte
            out[where] = rng.choice([0, 0x7F, 0x80, 0xFF])
        elif kind == 2:  # a header field: a 2- or 4-byte number, either byte order
            width = rng.choice([2, 4])
            value = rng.choice(INTERESTING) & (2 ** (8 * width) - 1)
            out[where : where + width] = value.to_bytes(width, rng.choice(["little", "big"]))
        elif kind == 3:  # truncation
            del out[rng.randrange(len(out)) :]
        elif kind == 4:  # a slice repeated
            a = rng.randrange(len(out))
            piece = out[a : a + rng.randint(1, 64)]
            out[a:a] = piece * rng.randint(1, 50)
        elif kind == 5:  # random bytes inserted
            out[where:where] = rng.randbytes(rng.randint(1, 16))
        elif kind == 6:  # a slice removed
            del out[where : where + rng.randint(1, 32)]
        else:  # the tail of another seed spliced on
            other = rng.choice(seeds)
            out[where:] = other[rng.randrange(len(other)) :]
    return bytes(out)


def giant_cases() -> list[tuple[str, bytes]]:
    """Files a few bytes long that declare enormous images, and stroke files at the size limit."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    def png(w: int, h: int, depth: int = 8) -> bytes:
        ihdr = struct.pack(">IIBBBBB", w, h, depth, 0, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")

    def bmp(w: int, h: int) -> bytes:
        info = struct.pack("<IiiHHIIiiII", 40, w, h, 1, 24, 0, 0, 2835, 2835, 0, 0)
        return b"BM" + struct.pack("<IHHI", 54, 0, 0, 54) + info

    empty_strokes = b'{"format":"digitgame-strokes","version":1,"width":5,"height":5,"strokes":[' + b"[]," * 5_000_000
    return [
        ("png-65535x65535", png(65535, 65535)),
        ("png-1bit-46341x46341", png(46341, 46341, 1)),
        ("png-6000x6000-no-data", png(6000, 6000)),
        ("bmp-1x2147483647", bmp(1, 2147483647)),
        ("bmp-header-only-6000x6000", bmp(6000, 6000)),
        ("strokes-5M-empty", empty_strokes + b"[]]}"),
    ]


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


def make_corpus(folder: Path, n_images: int, n_strokes: int, rng: random.Random) -> list[Path]:
    images, strokes = [*image_seeds(), ("bmp-rle8", rle_bmp())], stroke_seeds()
    image_bytes, stroke_bytes = [d for _, d in images], [d for _, d in strokes]
    files = []
    for name, data in giant_cases():
        files.append(folder / f"giant-{name}")
        files[-1].write_bytes(data)
    for i in range(n_images):
        name, data = rng.choice(images)
        files.append(folder / f"{i:05d}-{name}{rng.choice(['.png', '.jpg', '.img', ''])}")
        files[-1].write_bytes(mutate(data, rng, image_bytes))
    for i in range(n_strokes):
        name, data = rng.choice(strokes)
        files.append(folder / f"{i:05d}-{name}.json")
        files[-1].write_bytes(mutate(data, rng, stroke_bytes))
    return files


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


if __name__ == "__main__":
    main()
