"""How wide people write each digit, and how plausible a digit of a given width is as ONE digit.

Two digits written touching often read as one sure digit of their ink ("17" as a 7, "11" as a 1),
and the model's probabilities cannot tell such a whole from a digit.  Its width can: the whole is
wider than that digit is usually written.  ``ASPECTS`` holds, per digit, the width of the ink over
its height at which a share ``SHARES`` of real writers' digits of that class are at least as wide
(UNIPEN's *training* writers; made by ``python -m training.widths``, which also checks this table).
``splitting`` weighs a whole's answer by how plausible its width is (``Splitting.width_weight``).
"""

from __future__ import annotations

import math

import numpy as np

SHARES = (0.5, 0.25, 0.1, 0.05, 0.025, 0.01, 0.005)  # of a class's digits, those at least this wide
ASPECTS = {
    0: (0.881, 1.073, 1.349, 1.599, 2.247, 2.875, 3.720),
    1: (0.211, 0.393, 0.605, 0.724, 1.000, 7.448, 11.273),
    2: (0.883, 1.056, 1.241, 1.348, 1.437, 1.586, 1.700),
    3: (0.646, 0.789, 0.947, 1.057, 1.102, 1.168, 1.326),
    4: (0.667, 0.778, 0.917, 1.002, 1.069, 1.170, 1.267),
    5: (0.773, 0.912, 1.144, 1.260, 1.397, 1.522, 1.657),
    6: (0.582, 0.691, 0.805, 0.870, 0.932, 1.031, 1.211),
    7: (0.778, 0.950, 1.100, 1.193, 1.276, 1.356, 1.397),
    8: (0.617, 0.724, 0.854, 1.000, 1.054, 1.118, 1.199),
    9: (0.590, 0.700, 0.791, 0.814, 0.861, 0.923, 1.047),
}

_LOG_SHARES = np.log(SHARES)
_LOG_ASPECTS = {digit: np.log(row) for digit, row in ASPECTS.items()}  # the table on the scale it is read on


def plausibility(digit: int, width: float, height: float) -> float:
    """Up to 1: twice the share of real writers' ``digit``s at least this wide (as wide as the
    median or narrower: 1), read between the table's widths on a log scale, never below twice its
    last share."""
    row = _LOG_ASPECTS.get(digit)
    if row is None or width <= 0 or height <= 0:
        return 1.0
    share = np.interp(math.log(width / height), row, _LOG_SHARES)
    return min(1.0, 2.0 * math.exp(float(share)))
