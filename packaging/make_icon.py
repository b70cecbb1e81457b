"""Draw the app's icon, assets/icon.png: a hand-written 2 in the app's ink, with three confidence bars.

Run ``python packaging/make_icon.py`` after changing the look; the PNG is committed (the window,
the wheel and the bundle read it).  Drawn 4x larger and smoothed down, so the edges are soft.
"""

from __future__ import annotations

import itertools
import os
import sys
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
import pygame

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from digitgame.ui import theme  # noqa: E402

SIDE_PX = 256  # the size window managers scale from; the bundle's .ico is made from it
SCALE = 4  # drawn at SIDE_PX * SCALE, then smoothed down
PEN_RADIUS = 0.065  # of the side: the app's felt pen, a little bolder to read at 32 px
# The 2, as points in [0, 1]: a hook over, a diagonal down, a foot to the right (the app's own pen path style)
STROKE = [
    (0.25, 0.33),
    (0.31, 0.22),
    (0.42, 0.15),
    (0.55, 0.15),
    (0.65, 0.21),
    (0.69, 0.31),
    (0.66, 0.42),
    (0.57, 0.53),
    (0.43, 0.65),
    (0.28, 0.78),
    (0.40, 0.78),
    (0.56, 0.78),
    (0.73, 0.77),
]
BARS = [(0.17, theme.BAR_FILL), (0.62, theme.ACCENT), (0.09, theme.BAR_FILL)]  # share, colour


def _dense(points: list[tuple[float, float]], step: float) -> list[tuple[float, float]]:
    """The polyline sampled every ``step``, so round dabs along it make a smooth stroke."""
    out = [points[0]]
    for (x0, y0), (x1, y1) in itertools.pairwise(points):
        n = max(1, int(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5 / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def draw_icon() -> pygame.Surface:
    side = SIDE_PX * SCALE
    big = pygame.Surface((side, side), pygame.SRCALPHA)
    pygame.draw.rect(big, theme.CARD, big.get_rect(), border_radius=side // 5)
    pygame.draw.rect(big, theme.ACCENT, big.get_rect(), width=side // 40, border_radius=side // 5)
    for x, y in _dense(STROKE, 0.004):
        pygame.draw.circle(big, theme.INK, (x * side, (0.04 + y * 0.8) * side), PEN_RADIUS * side)
    bar_w, gap, base = 0.12 * side, 0.05 * side, 0.9 * side
    left = (side - 3 * bar_w - 2 * gap) / 2
    for i, (share, colour) in enumerate(BARS):
        height = max(0.02, share / 0.62 * 0.11) * side
        rect = pygame.Rect(round(left + i * (bar_w + gap)), round(base - height), round(bar_w), round(height))
        pygame.draw.rect(big, colour, rect, border_radius=side // 80)
    return pygame.transform.smoothscale(big, (SIDE_PX, SIDE_PX))


def main() -> None:
    pygame.display.init()
    out = ROOT / "assets" / "icon.png"
    pygame.image.save(draw_icon(), str(out))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
