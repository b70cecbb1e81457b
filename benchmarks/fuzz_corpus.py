"""The fuzzer's corpus: valid files of every format the readers allow, made here, and their mutations.

Used by ``fuzz_inputs.py``: seeds made with Pillow (images) and by hand (stroke files), mutated
one to four times each, and a few giants (tiny files that declare enormous images; a stroke
file at the size limit).
"""

from __future__ import annotations

import io
import json
import random
from pathlib import Path

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
