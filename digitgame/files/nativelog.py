"""Keep chatter that C libraries print straight to stderr out of the person's terminal."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator


@contextlib.contextmanager
def native_stderr_filtered(*drop_prefixes: bytes) -> Iterator[None]:
    """Capture file descriptor 2 for the block; pass on every line not starting with a prefix.

    For lines such as LiteRT's "INFO: Created TensorFlow Lite XNNPACK delegate" or libpng's
    "libpng error: ...", which the libraries print from C with no switch to turn them off.
    Lines written meanwhile by other threads are passed on afterwards, not lost.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):  # no usable stderr (a windowed bundle)
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            kept = [line for line in capture.read().splitlines(keepends=True) if not line.startswith(drop_prefixes)]
            if kept:
                os.write(2, b"".join(kept))
