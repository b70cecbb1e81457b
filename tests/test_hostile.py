"""Hostile files (issue 9): the rows of its table about files, each file built here from a few bytes.

Each command-line case runs `python -m digitgame predict HOSTILE GOOD` in a child process and
checks one line on stderr naming the hostile file, exit status 1, the good file still answered,
and the child's CPU time and peak memory (its resource usage, see LAUNCHER).  The rows about
full disks and kill -9 are in test_saving.py.
"""

from __future__ import annotations

import ctypes
import io
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digitgame.files import paths
from digitgame.files.imagefile import ImageFileError, load_grey
from digitgame.files.strokefile import MAX_FILE_BYTES, StrokeFileError, load_stroke_file
from digitgame.live.drawing import Drawing
from digitgame.recognition.predictor import CARD_NAME, LiteRTPredictor, ModelError, load_predictor

Image = pytest.importorskip("PIL.Image")
ROOT = Path(__file__).resolve().parent.parent
HEADER_REFUSAL_S = 0.1  # the bound for a refusal from the header
EXTRA_MEMORY_MB = 100  # ... and for the memory it may cost beyond reading a good file


@dataclass(frozen=True)
class Child:
    """A finished `python -m digitgame` child: its output and what it cost."""

    returncode: int
    stdout: str
    stderr: str
    cpu_s: float  # user + system
    peak_mb: float  # maximum resident set size

    @property
    def errors(self) -> list[str]:
        return self.stderr.splitlines()


# The child is started by this small launcher, which reports RUSAGE_CHILDREN when it ends: wait4
# on a child of the test process itself would count the test process's own memory (the kernel
# folds the parent's peak into a vfork()ed child's maxrss at exec).
LAUNCHER = """
import resource, subprocess, sys
code = subprocess.call(sys.argv[2:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as f:
    f.write(f"{code} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss}")
"""


def run_child(*args: str, timeout: float = 60, preexec=None) -> Child:
    """Run `python -m digitgame ARGS` and measure that process alone (see LAUNCHER)."""
    with tempfile.TemporaryDirectory() as tmp:
        out, err, report = (Path(tmp) / name for name in ("out", "err", "usage"))
        with open(out, "wb") as stdout, open(err, "wb") as stderr:
            proc = subprocess.Popen(
                [sys.executable, "-c", LAUNCHER, str(report), sys.executable, "-m", "digitgame", *args],
                stdout=stdout,
                stderr=stderr,
                cwd=ROOT,
                preexec_fn=preexec,
                start_new_session=True,
            )
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)  # a hang fails the test instead of the suite
                proc.wait()
                pytest.fail(f"`digitgame {' '.join(args)}` still running after {timeout} s")
        code, cpu, peak_kb = report.read_text().split()
        return Child(
            int(code),
            out.read_bytes().decode("utf-8", "replace"),
            err.read_bytes().decode("utf-8", "replace"),
            float(cpu),
            int(peak_kb) / 1024,
        )


@pytest.fixture(scope="module")
def good(tmp_path_factory) -> Path:
    """A stroke file of a 1: the file after each hostile one, which must still be answered."""
    drawing = Drawing(560, 560, [[(280.0, 60.0 + y) for y in range(0, 440, 10)]])
    return drawing.to_file().save(tmp_path_factory.mktemp("good") / "one.json")


@pytest.fixture(scope="module")
def baseline(good) -> Child:
    """`predict` on the good file alone: what a child costs before any hostile file."""
    child = run_child("predict", str(good))
    assert child.returncode == 0 and child.stdout.startswith(f"{good}: 1 ("), child.stderr
    return child


def check_one_line_and_the_next_file(child: Child, hostile: Path, good: Path, baseline: Child, phrase: str) -> None:
    assert child.returncode == 1, child.stderr
    assert len(child.errors) == 1 and child.errors[0].startswith(f"{hostile}: "), child.stderr
    assert phrase in child.errors[0]
    assert child.stdout.startswith(f"{good}: 1 (") and len(child.stdout.splitlines()) == 1
    assert child.peak_mb - baseline.peak_mb < EXTRA_MEMORY_MB, (child.peak_mb, baseline.peak_mb)
    assert child.cpu_s - baseline.cpu_s < 2.0, (child.cpu_s, baseline.cpu_s)


# --- tiny hostile images, built byte by byte -------------------------------------------------


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int, depth: int = 8, extra: bytes = b"") -> bytes:
    """A PNG that declares its size and holds (nearly) no pixels: 57 bytes plus ``extra`` chunks."""
    ihdr = struct.pack(">IIBBBBB", width, height, depth, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", ihdr)
        + extra
        + png_chunk(b"IDAT", zlib.compress(b""))
        + png_chunk(b"IEND", b"")
    )


def bmp_header(width: int, height: int, bits: int = 24, compression: int = 0, pixels: bytes = b"") -> bytes:
    """A BMP file header and BITMAPINFOHEADER (54 bytes), then ``pixels``."""
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, bits, compression, len(pixels), 2835, 2835, 0, 0)
    palette = bytes(4 * 256) if bits == 8 else b""
    offset = 14 + 40 + len(palette)
    return b"BM" + struct.pack("<IHHI", offset + len(pixels), 0, 0, offset) + info + palette + pixels


def pillow_bytes(image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def small_gif() -> bytes:
    return pillow_bytes(Image.new("P", (8, 8), 1), "GIF")


def gif_with_frame_beyond_the_screen() -> bytes:
    """A GIF whose one frame is placed at (65000, 65000) on an 8x8 screen."""
    data = bytearray(small_gif())
    at = data.index(b",")
    data[at + 1 : at + 5] = struct.pack("<HH", 65000, 65000)
    return bytes(data)


def gif_with_bad_lzw_code_size() -> bytes:
    data = bytearray(small_gif())
    at = data.index(b",") + 10  # image descriptor, then the LZW minimum code size
    data[at] = 0xFF
    return bytes(data)


def tga_header() -> bytes:
    """A 50-byte Targa: an 18-byte header declaring 65535x65535 run-length pixels, then 32 bytes."""
    return struct.pack("<BBBHHBHHHHBB", 0, 0, 10, 0, 0, 0, 0, 0, 65535, 65535, 32, 8) + bytes(range(32))


def svg_25000() -> bytes:
    return b'<svg xmlns="http://www.w3.org/2000/svg" width="25000" height="25000"><rect width="9" height="9"/></svg>'


CRASHED_SDL_IMAGE = {  # the table's first row: these segfaulted pygame's loader
    "mutated-frame.gif": (gif_with_frame_beyond_the_screen, ""),
    "mutated-lzw.gif": (gif_with_bad_lzw_code_size, ""),
    "header.tga": (tga_header, "not an image this program can read"),
    "wide.svg": (svg_25000, "SVG"),
    "onebit-46341.png": (lambda: png_header(46341, 46341, depth=1), "too large"),
}


@pytest.mark.parametrize("name", sorted(CRASHED_SDL_IMAGE))
def test_files_that_crashed_the_old_loader_get_one_line(tmp_path, good, baseline, name):
    build, phrase = CRASHED_SDL_IMAGE[name]
    hostile = tmp_path / name
    hostile.write_bytes(build())
    child = run_child("predict", str(hostile), str(good))
    check_one_line_and_the_next_file(child, hostile, good, baseline, phrase)


DECLARED_HUGE = {  # the second row: refused from the header, before any pixel is decoded
    "65535x65535.png": lambda: png_header(65535, 65535),
    "1x2147483647.bmp": lambda: bmp_header(1, 2147483647),
    "header-only-7000x7000.bmp": lambda: bmp_header(7000, 7000),
    "header-only-100000x1.bmp": lambda: bmp_header(100_000, 1),
    "16384x16384.webp": lambda: b"RIFF\x16\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00" + bytes(4) + b"\xff\x3f\x00" * 2,
}


@pytest.fixture(scope="module")
def warm_pillow():
    """Pillow imported once, so that a refusal is timed alone."""
    load_grey_or_error(Path(__file__))


def load_grey_or_error(path: Path) -> tuple[float, str]:
    start = time.perf_counter()
    try:
        load_grey(path)
    except ImageFileError as exc:
        return time.perf_counter() - start, str(exc)
    return time.perf_counter() - start, ""


@pytest.mark.parametrize("name", sorted(DECLARED_HUGE))
def test_huge_declared_sizes_are_refused_from_the_header(tmp_path, warm_pillow, good, baseline, name):
    hostile = tmp_path / name
    hostile.write_bytes(DECLARED_HUGE[name]())
    assert len(hostile.read_bytes()) < 100
    seconds, message = load_grey_or_error(hostile)
    assert "too large" in message and seconds < HEADER_REFUSAL_S, (seconds, message)
    child = run_child("predict", str(hostile), str(good))
    check_one_line_and_the_next_file(child, hostile, good, baseline, "too large")


def jpeg_with_markers(n: int) -> bytes:
    data = pillow_bytes(Image.new("L", (8, 8), 255), "JPEG")
    return data[:2] + b"\xff\xfe\x00\x02" * n + data[2:]


def jpeg_with_scans(n: int) -> bytes:
    """A blank 2000x2000 progressive JPEG whose last scan is repeated ``n`` times (each pass reads every block)."""
    data = pillow_bytes(Image.new("L", (2000, 2000), 255), "JPEG", progressive=True)
    last = data.rindex(b"\xff\xda")
    return data[:-2] + data[last:-2] * n + b"\xff\xd9"


def gif_with_comments(n: int) -> bytes:
    data = small_gif()
    at = data.index(b",")
    return data[:at] + b"\x21\xfe\x01x\x00" * n + data[at:]


SLOW_TO_PARSE = {  # small files that kept Pillow's Python parsers busy for seconds to minutes
    "200k-empty-chunks.png": (lambda: png_header(8, 8, extra=png_chunk(b"tEXt", b"") * 200_000), "chunks"),
    "300k-comment-markers.jpg": (lambda: jpeg_with_markers(300_000), "markers"),
    "300k-comments.gif": (lambda: gif_with_comments(300_000), "blocks"),
    "1000-scans.jpg": (lambda: jpeg_with_scans(1000), "scans"),
    "rle-16384x1024.bmp": (
        lambda: bmp_header(16384, 1024, bits=8, compression=1, pixels=b"\x00\x00" * 1024),
        "run-length",
    ),
}


@pytest.mark.parametrize("name", sorted(SLOW_TO_PARSE))
def test_files_built_to_be_slow_are_refused_quickly(tmp_path, warm_pillow, name):
    build, phrase = SLOW_TO_PARSE[name]
    hostile = tmp_path / name
    hostile.write_bytes(build())
    seconds, message = load_grey_or_error(hostile)
    assert message.startswith(f"{hostile}: ") and phrase in message
    assert seconds < 0.5, seconds


# --- special files, permissions, names -------------------------------------------------------


def test_a_named_pipe_is_refused_at_once(tmp_path, good, baseline):
    pipe = tmp_path / "pipe.png"
    os.mkfifo(pipe)
    child = run_child("predict", str(pipe), str(good), timeout=20)
    check_one_line_and_the_next_file(child, pipe, good, baseline, "not a regular file (a named pipe)")
    stroke_pipe = tmp_path / "pipe.json"
    os.mkfifo(stroke_pipe)
    child = run_child("--open", str(stroke_pipe), timeout=20)
    assert child.returncode == 2 and child.errors == [
        f"digitgame: cannot open {stroke_pipe}: not a regular file (a named pipe), so not a stroke file"
    ]


def test_devices_and_folders_are_named_as_such(tmp_path, good):
    child = run_child("predict", "/dev/zero", str(tmp_path), str(good))
    assert child.errors == [
        "/dev/zero: not a regular file (a device), so not an image",
        f"{tmp_path}: is a folder, not an image",
    ]
    assert child.returncode == 1 and child.stdout.startswith(f"{good}: 1 (")


def without_root_read_powers() -> None:
    """In the child, before exec: give up the capabilities that let root read any file."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


@pytest.fixture()
def unreadable(tmp_path) -> Path:
    """A copy of the model with no read permission, in a folder of its own (with its card)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    shutil.copy(paths.model_path().parent / CARD_NAME, folder)
    model = Path(shutil.copy(paths.model_path(), folder / "digit_cnn.tflite"))
    model.chmod(0)
    probe = subprocess.run(
        [sys.executable, "-c", f"open({str(model)!r}, 'rb')"], preexec_fn=without_root_read_powers, capture_output=True
    )
    if probe.returncode == 0:
        pytest.skip("cannot take away the power to read the file here")
    return model


def test_an_unreadable_model_is_one_line_naming_the_path_and_the_fix(unreadable, good):
    for args in (["predict", "--model", str(unreadable), str(good)], ["--self-test", "--model", str(unreadable)]):
        child = run_child(*args, preexec=without_root_read_powers)
        assert child.returncode == 2 and len(child.errors) == 1, child.stderr
        assert str(unreadable) in child.stderr and "permission denied" in child.stderr and "chmod" in child.stderr


def test_an_unreadable_image_says_permission_denied(unreadable, tmp_path, good):
    image = tmp_path / "locked.png"
    image.write_bytes(pillow_bytes(Image.new("L", (8, 8)), "PNG"))
    image.chmod(0)
    child = run_child("predict", str(image), str(good), preexec=without_root_read_powers)
    assert child.errors == [f"{image}: permission denied: you may not read this file (check its permissions)"]


def test_file_names_that_are_not_utf8_are_printed_with_replacement_characters(tmp_path, good):
    folder = os.fsencode(tmp_path)
    named = [folder + b"/caf\xe9.json", folder + b"/\xff\xfe.png", folder + b"/ok-\xc3.json"]
    shutil.copy(good, named[0])
    Path(os.fsdecode(named[1])).write_bytes(b"not an image")
    shutil.copy(good, named[2])
    args = [os.fsdecode(n) for n in named]
    child = run_child("predict", *args, str(good))
    assert child.returncode == 1 and "Traceback" not in child.stderr
    shown = [n.decode("utf-8", "replace") for n in named]
    assert child.stdout.splitlines()[0].startswith(f"{shown[0]}: 1 (")
    assert child.errors == [f"{shown[1]}: not an image this program can read (it reads PNG, JPEG, BMP, GIF or WebP)"]
    assert child.stdout.splitlines()[1].startswith(f"{shown[2]}: 1 (")
    assert child.stdout.splitlines()[2].startswith(f"{good}: 1 (")
    records = run_child("predict", "--json", args[0]).stdout
    assert json.loads(records)["file"] == shown[0]


# --- TIFF, stroke files, messages --------------------------------------------------------------


def test_tiffs_get_the_one_promised_line_and_nothing_from_libtiff(tmp_path, good, rng):
    base = pillow_bytes(Image.new("L", (16, 16), 200), "TIFF", compression="tiff_lzw")
    files = []
    for i in range(20):
        data = bytearray(base)
        for at in rng.integers(0, len(data), size=3):
            data[at] = int(rng.integers(0, 256))
        data[:4] = base[:4]
        files.append(tmp_path / f"{i}.tif")
        files[-1].write_bytes(bytes(data))
    child = run_child("predict", *map(str, files), str(good))
    assert child.returncode == 1 and len(child.errors) == len(files)
    for path, line in zip(files, child.errors, strict=True):
        assert line == f"{path}: a TIFF image, which this program does not read; save it as PNG or JPEG"


def test_a_stroke_file_of_millions_of_empty_strokes_is_refused_quickly(tmp_path, good, baseline):
    head = b'{"format":"digitgame-strokes","version":1,"width":5,"height":5,"strokes":['
    big = tmp_path / "22M-empty-strokes.json"
    big.write_bytes(head + b"[]," * (22 * 2**20) + b"[]]}")  # 64 MB
    child = run_child("predict", str(big), str(good))
    check_one_line_and_the_next_file(child, big, good, baseline, "too big for a stroke file")
    under = tmp_path / "5M-empty-strokes.json"
    under.write_bytes(head + b"[]," * ((MAX_FILE_BYTES - 200) // 3) + b"[]]}")  # just under the size limit
    start = time.perf_counter()
    with pytest.raises(StrokeFileError, match="too many strokes or points"):
        load_stroke_file(under)
    assert time.perf_counter() - start < 0.5


def test_each_message_is_true_for_its_own_file(tmp_path, good):
    good_png = pillow_bytes(Image.new("RGBA", (30, 30), (0, 0, 0, 0)), "PNG")
    cases = {
        "truncated.png": (good_png[: len(good_png) // 2], "cut short"),
        "text.png": (b"hello, I am text", "not an image this program can read"),
        "empty.png": (b"", "the file is empty"),
        "garbled.gif": (b"GIF89a" + bytes(20), "damaged GIF"),
        "blank-clear.png": (good_png, None),
    }
    for name, (data, _) in cases.items():
        (tmp_path / name).write_bytes(data)
    child = run_child("predict", *(str(tmp_path / name) for name in cases), str(tmp_path / "missing.png"))
    errors = iter(child.errors)
    for name, (_, phrase) in cases.items():
        if phrase is not None:
            line = next(errors)
            assert line.startswith(f"{tmp_path / name}: ") and phrase in line and "()" not in line, line
    assert next(errors) == f"{tmp_path / 'missing.png'}: no such file"
    assert child.stdout == f"{tmp_path / 'blank-clear.png'}: nothing to recognise: the image is blank\n"


# --- the model file -------------------------------------------------------------------------


def test_a_keras_model_is_not_silently_swapped_for_the_tflite(tmp_path, good):
    keras_copy = Path(shutil.copy(paths.model_path().with_suffix(".keras"), tmp_path / "x.keras"))
    child = run_child("predict", "--model", str(keras_copy), str(good))
    assert child.returncode == 2 and len(child.errors) == 1
    assert str(keras_copy) in child.stderr and "pass a .tflite model" in child.stderr
    shutil.copy(paths.model_path(), tmp_path / "x.tflite")
    child = run_child("predict", "--model", str(keras_copy), str(good))
    assert f"pass --model {tmp_path / 'x.tflite'}" in child.stderr


@pytest.mark.slow
def test_every_bit_flipped_model_beside_its_card_is_refused(tmp_path, rng):
    """300 copies, one random bit flipped in each: the card's checksum catches every one."""
    shutil.copy(paths.model_path().parent / CARD_NAME, tmp_path)
    original = paths.model_path().read_bytes()
    target = tmp_path / "digit_cnn.tflite"
    for at, bit in zip(rng.integers(0, len(original), 300), rng.integers(0, 8, 300), strict=True):
        flipped = bytearray(original)
        flipped[at] ^= 1 << int(bit)
        target.write_bytes(flipped)
        with pytest.raises(ModelError) as err:
            LiteRTPredictor(target)
        message = str(err.value)
        assert "\n" not in message and str(target) in message
        assert "does not match its model_card.json" in message or "not a TensorFlow Lite model" in message
    target.write_bytes(original)
    assert LiteRTPredictor(target).backend == "litert"


def test_a_model_without_a_card_loads_unverified_and_a_broken_card_is_one_line(tmp_path):
    model = Path(shutil.copy(paths.model_path(), tmp_path / "mine.tflite"))
    assert load_predictor(model).embedding_size >= 0
    (tmp_path / CARD_NAME).write_text("{not json")
    with pytest.raises(ModelError, match="not valid JSON"):
        load_predictor(model)
    (tmp_path / CARD_NAME).write_text(json.dumps({"model": "digit_cnn"}))  # an older card: nothing to check
    assert load_predictor(model).backend == "litert"


def test_the_committed_card_records_the_committed_models_checksum():
    import hashlib

    card = json.loads((paths.model_path().parent / CARD_NAME).read_text())
    assert card["tflite_sha256"] == hashlib.sha256(paths.model_path().read_bytes()).hexdigest()


# --- fuzzing the image path (hypothesis, about a minute) --------------------------------------


def fuzz_seeds() -> list[bytes]:
    """Small valid files of every allowed format, in the modes and variants people's tools write."""
    mark = Image.new("L", (24, 20), 255)
    mark.paste(0, (5, 3, 9, 17))
    seeds = [pillow_bytes(mark.convert(mode), "PNG") for mode in ("1", "L", "LA", "P", "RGB", "RGBA", "I;16")]
    seeds += [pillow_bytes(mark.convert("RGB"), "PNG", interlace=True)]
    seeds += [pillow_bytes(mark.convert("RGB"), "JPEG"), pillow_bytes(mark, "JPEG", progressive=True)]
    seeds += [pillow_bytes(mark.convert(mode), "BMP") for mode in ("1", "P", "RGB", "RGBA")]
    seeds += [bmp_header(8, 2, bits=8, compression=1, pixels=b"\x04\x00\x04\xff\x00\x00" * 2 + b"\x00\x01")]
    seeds += [pillow_bytes(mark.convert("P"), "GIF"), pillow_bytes(mark.convert("P"), "GIF", transparency=255)]
    seeds += [pillow_bytes(mark.convert("RGBA"), "WEBP", lossless=True), pillow_bytes(mark.convert("RGB"), "WEBP")]
    return seeds


FUZZ_SEEDS = fuzz_seeds()
FIELD_VALUES = [0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 46341, 65535, 0x7FFFFFFF, 0xFFFFFFFF]


@st.composite
def mutated_images(draw) -> bytes:
    """A valid seed with one to four mutations, most of them in the first 64 bytes (the header)."""
    data = bytearray(draw(st.sampled_from(FUZZ_SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        header = draw(st.booleans())
        at = draw(st.integers(0, min(63, len(data) - 1) if header else len(data) - 1))
        kind = draw(st.sampled_from(["flip", "byte", "field", "cut", "repeat", "insert"]))
        if kind == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[at] = draw(st.sampled_from([0, 0x7F, 0x80, 0xFF]))
        elif kind == "field":
            width = draw(st.sampled_from([2, 4]))
            value = draw(st.sampled_from(FIELD_VALUES)) & (2 ** (8 * width) - 1)
            data[at : at + width] = value.to_bytes(width, draw(st.sampled_from(["little", "big"])))
        elif kind == "cut":
            del data[at:]
        elif kind == "repeat":
            data[at:at] = data[at : at + draw(st.integers(1, 16))] * draw(st.integers(1, 40))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=8))
    return bytes(data)


@pytest.fixture(scope="module")
def fuzz_file(tmp_path_factory) -> Path:
    """The one file each fuzz case is written to."""
    return tmp_path_factory.mktemp("fuzz") / "mutated.img"


@pytest.mark.slow
@settings(
    max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)  # capfd: read each time
@given(mutated_images())
def test_fuzz_mutated_images_give_a_picture_or_one_line(fuzz_file, warm_pillow, capfd, data):
    """Each mutation: a (H, W) float32 picture in [0, 1], or ImageFileError as one line naming the file,
    within a second, and nothing from a native decoder on stderr."""
    path = fuzz_file
    path.write_bytes(data)
    start = time.perf_counter()
    try:
        grey = load_grey(path)
    except ImageFileError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message and not message.endswith(("()", ": "))
    else:
        assert grey.ndim == 2 and grey.dtype == np.float32 and grey.size > 0
        assert float(grey.min()) >= 0.0 and float(grey.max()) <= 1.0
    assert time.perf_counter() - start < 1.0
    assert capfd.readouterr().err == ""
