"""Look at an untrusted image before any decoder does: its format from the magic bytes, and its structure.

Pillow parses the metadata of PNG, JPEG and GIF files in Python, one chunk, marker or block at a
time, and skips junk between JPEG markers and GIF blocks a byte at a time: a few megabytes of
empty chunks or comment markers keep it busy for a long time (tests/test_hostile.py makes such
files).  So the structure is walked here first, cheaply and with a limit on the number of
pieces, and absurd files are refused.
"""

from __future__ import annotations

import os
import struct
from typing import BinaryIO

READABLE = "PNG, JPEG, BMP, GIF or WebP"
MAX_PNG_CHUNKS = 1_000  # plus one per 4 KiB of file: libpng writes 8 KiB image-data chunks
MAX_JPEG_STEPS = 10_000  # markers, fill and junk bytes before the first scan; real files have about 20
MAX_GIF_STEPS = 10_000  # extension blocks, their sub-blocks and junk bytes before the first frame

# Magic bytes -> (Pillow format name, the plugin module that reads it).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG", "PngImagePlugin"),
    (b"\xff\xd8\xff", "JPEG", "JpegImagePlugin"),
    (b"GIF87a", "GIF", "GifImagePlugin"),
    (b"GIF89a", "GIF", "GifImagePlugin"),
    (b"BM", "BMP", "BmpImagePlugin"),
)
# Formats people do send, refused by name with the way out.
_REFUSED: tuple[tuple[bytes, str], ...] = (
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"II+\x00", "a TIFF image"),
    (b"MM\x00+", "a TIFF image"),
    (b"8BPS", "a Photoshop file"),
    (b"%PDF", "a PDF document"),
)
_JPEG_STANDALONE = {0x01, 0xD8, *range(0xD0, 0xD8)}  # markers without a length field
_JPEG_SOS = 0xDA


class HeaderError(ValueError):
    """The file is not an image this program reads, or is built to waste time; ``str()`` says which."""


def sniff(head: bytes) -> tuple[str, str]:
    """The first 32 bytes of a file -> (Pillow format, plugin module); HeaderError says what it is instead."""
    for magic, name, plugin in _SIGNATURES:
        if head.startswith(magic):
            return name, plugin
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP", "WebPImagePlugin"
    for magic, what in _REFUSED:
        if head.startswith(magic):
            raise HeaderError(f"{what}, which this program does not read; save it as PNG or JPEG")
    if head[4:8] == b"ftyp":
        raise HeaderError(f"a HEIC or AVIF photo, which this program does not read; save it as {READABLE}")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml", b"<!doctype svg")):
        raise HeaderError("an SVG or XML file, not a picture made of pixels; export it as PNG")
    raise HeaderError(f"not an image this program can read (it reads {READABLE})")


def check_structure(f: BinaryIO, fmt: str) -> None:
    """Walk the pieces a decoder would parse in Python; HeaderError when there are absurdly many.

    A file that ends early passes: the decoder then says it is cut short.  ``f`` is left at 0.
    """
    try:
        if fmt == "PNG":
            _check_png(f)
        elif fmt == "JPEG":
            _check_jpeg(f)
        elif fmt == "GIF":
            _check_gif(f)
    finally:
        f.seek(0)


def _check_png(f: BinaryIO) -> None:
    size = f.seek(0, os.SEEK_END)
    limit = MAX_PNG_CHUNKS + size // 4096
    f.seek(8)
    for _ in range(limit):
        head = f.read(8)
        if len(head) < 8:
            return
        length, kind = struct.unpack(">I4s", head)
        if kind == b"IEND":
            return
        f.seek(length + 4, os.SEEK_CUR)  # the data and its CRC
    raise HeaderError(f"a PNG made of more than {limit} chunks, too many to read; save it again")


def _check_jpeg(f: BinaryIO) -> None:
    """Count what Pillow steps over, a marker or a byte at a time, before the first scan."""
    f.seek(2)
    steps = 0
    while steps < MAX_JPEG_STEPS:
        byte = f.read(1)
        if not byte:
            return
        steps += 1
        if byte != b"\xff":
            continue  # junk between markers: Pillow skips it a byte at a time
        marker = f.read(1)
        if not marker or marker[0] == _JPEG_SOS:
            break
        if marker[0] == 0xFF:
            f.seek(-1, os.SEEK_CUR)  # a fill byte
        elif marker[0] not in _JPEG_STANDALONE:
            length = f.read(2)
            if len(length) < 2 or struct.unpack(">H", length)[0] < 2:
                return  # damaged: the decoder says so
            f.seek(struct.unpack(">H", length)[0] - 2, os.SEEK_CUR)
    else:
        raise HeaderError(f"a JPEG with more than {MAX_JPEG_STEPS} markers before its image; save it again")


def count_jpeg_scans(f: BinaryIO, stop_after: int) -> int:
    """Start-of-scan markers (FF DA) in the file, counted up to ``stop_after`` + 1.

    Entropy-coded data cannot hold FF DA (an FF there is followed by 00 or a restart marker), so
    each is a scan, or one in an embedded thumbnail.  ``f``'s position is kept.
    """
    where = f.tell()
    f.seek(0)
    scans, tail = 0, b""
    while scans <= stop_after and (chunk := f.read(2**20)):
        scans += (tail + chunk).count(b"\xff\xda")
        tail = chunk[-1:]
    f.seek(where)
    return scans


def _check_gif(f: BinaryIO) -> None:
    """Header, colour table, then the blocks before the first image descriptor (',')."""
    screen = f.read(13)
    if len(screen) < 13:
        return
    if screen[10] & 0x80:  # a global colour table follows
        f.seek(3 << ((screen[10] & 7) + 1), os.SEEK_CUR)
    steps = 0
    while steps < MAX_GIF_STEPS:
        byte = f.read(1)
        if byte in (b",", b";", b""):
            return
        steps += 1
        if byte == b"!":
            f.read(1)  # the extension's label
            while steps < MAX_GIF_STEPS and (length := f.read(1)) not in (b"", b"\x00"):
                f.seek(length[0], os.SEEK_CUR)
                steps += 1
    raise HeaderError(f"a GIF with more than {MAX_GIF_STEPS} blocks before its image; save it again")
