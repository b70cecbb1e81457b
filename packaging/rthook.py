"""PyInstaller runtime hook: a two-function ``scipy.special`` for the bundle.

``scipy.ndimage`` imports ``scipy.special`` at import time, but only ``rotate()`` calls it
(``cosdg``/``sindg``); digitgame uses ``ndimage.center_of_mass`` alone.  The real
``scipy.special`` links SciPy's own OpenBLAS (28 MB with libgfortran), so the spec leaves it
out and this hook registers a stand-in before the app starts.  Anything else asked of it
fails loudly, naming this file, rather than answering wrongly.
"""

import math
import sys
import types

special = types.ModuleType("scipy.special", "Stand-in for scipy.special in the digitgame bundle (cosdg, sindg only).")


def cosdg(x: float) -> float:
    """Cosine of an angle in degrees (what ndimage.rotate asks for)."""
    return math.cos(math.radians(float(x)))


def sindg(x: float) -> float:
    """Sine of an angle in degrees (what ndimage.rotate asks for)."""
    return math.sin(math.radians(float(x)))


def _missing(name: str) -> object:
    raise AttributeError(f"scipy.special.{name} is not in the digitgame bundle (see packaging/rthook_scipy_special.py)")


special.cosdg = cosdg  # type: ignore[attr-defined]
special.sindg = sindg  # type: ignore[attr-defined]
special.__getattr__ = _missing  # type: ignore[attr-defined]
sys.modules.setdefault("scipy.special", special)
