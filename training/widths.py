"""How wide people write each digit: the table ``digitgame/recognition/widths.py`` holds, from the training writers.

    python -m training.widths           # print the table to paste into digitgame/recognition/widths.py
    python -m training.widths --check   # exit 1 when the committed table is not what the data gives

For each digit, the width of the ink over its height (the box of the pen's points, as the app
measures a digit) at which a share ``widths.SHARES`` of the UNIPEN *training* writers' digits of
that class are at least as wide.  Training writers only: the choosing writers chose how much the
table weighs (``Splitting.width_weight``), and the report writers are never looked at.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from digitgame.recognition import widths
from training import realwriters


def aspects() -> dict[int, np.ndarray]:
    """Per digit, the width / height of every training writer's digit of that class, sorted."""
    digits = [d for d in realwriters.of_group(realwriters.read_digits(), "training") if realwriters.has_extent(d)]
    found = {}
    for label in range(10):
        extents = np.array([np.ptp(np.concatenate(d.strokes), axis=0) for d in digits if d.label == label])
        extents = extents[extents[:, 1] > 0]  # a flat stroke has no height to compare with
        found[label] = np.sort(extents[:, 0] / extents[:, 1])
    return found


def table() -> dict[int, tuple[float, ...]]:
    """Per digit, width / height at each of ``widths.SHARES`` (rounded as the committed table is)."""
    return {
        label: tuple(round(float(np.quantile(seen, 1.0 - share)), 3) for share in widths.SHARES)
        for label, seen in aspects().items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.widths", description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the committed table")
    args = parser.parse_args(argv)
    made = table()
    if args.check:
        if made != widths.ASPECTS:
            print("digitgame/recognition/widths.py's ASPECTS is not what the training writers give: run")
            print("python -m training.widths and paste its table there")
            return 1
        print("the committed table is what the training writers give")
        return 0
    print("ASPECTS = {")
    for label, row in made.items():
        print(f"    {label}: ({', '.join(f'{v:.3f}' for v in row)}),")
    print("}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
