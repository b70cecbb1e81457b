"""PyInstaller runtime hook: what the bundle sets up before digitgame starts.

1. A two-function ``scipy.special``.  ``scipy.ndimage`` imports ``scipy.special`` at import time,
   but only ``rotate()`` calls it (``cosdg``/``sindg``); digitgame uses ``ndimage.center_of_mass``
   alone.  The real ``scipy.special`` links SciPy's own OpenBLAS (28 MB with libgfortran), so the
   spec leaves it out and this stand-in takes its place.  Anything else asked of it fails loudly,
   naming this file, rather than answering wrongly.
2. One OpenBLAS thread.  NumPy's OpenBLAS starts a thread per core when it loads, which costs
   start-up time (tens of ms on 2 cores, more on big machines) and buys nothing for 28x28 arrays.
   A value set by the person running the app wins.
"""

import math
import os
import sys
import types

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

special = types.ModuleType("scipy.special", "Stand-in for scipy.special in the digitgame bundle (cosdg, sindg only).")


def cosdg(x: float) -> float:
    """Cosine of an angle in degrees (what ndimage.rotate asks for)."""
    return math.cos(math.radians(float(x)))


def sindg(x: float) -> float:
    """Sine of an angle in degrees (what ndimage.rotate asks for)."""
    return math.sin(math.radians(float(x)))


def _missing(name: str) -> object:
    raise AttributeError(f"scipy.special.{name} is not in the digitgame bundle (see packaging/rthook.py)")


special.cosdg = cosdg  # type: ignore[attr-defined]
special.sindg = sindg  # type: ignore[attr-defined]
special.__getattr__ = _missing  # type: ignore[attr-defined]
sys.modules.setdefault("scipy.special", special)
