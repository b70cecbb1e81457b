"""The help overlay: the keys of the scene beneath it, over a darkened app; any key or click closes it."""

from __future__ import annotations

import pygame

from digitgame import __version__
from digitgame.files import paths
from digitgame.ui import theme
from digitgame.ui.actions import Binding
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import Phase
from digitgame.ui.scene import KeyPress, Scene, SceneEvent, Stage

POINTER_ROW = ("mouse, pen, finger", "draw; right button erases")


def about_line() -> str:
    """The About line at the foot of the key card: the version, the licence, and where the command line is."""
    return f"digitgame {__version__} · MIT licence · {paths.command()} --help: the command line"


class HelpScene(Scene):
    """Lists ``stage.bindings_below(self)``; closes on any key (Esc included) or pointer press."""

    is_opaque = False

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self._shade: pygame.Surface | None = None

    def handle(self, event: SceneEvent) -> None:
        if isinstance(event, KeyPress) or getattr(event, "phase", None) is Phase.DOWN:
            self.stage.remove(self)

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((*theme.BACKGROUND, theme.OVERLAY_ALPHA))
        surface.blit(self._shade, (0, 0))
        draw_key_card(surface, layout, self.stage.fonts, self.stage.bindings_below(self))


def draw_key_card(surface: pygame.Surface, layout: Layout, fonts: theme.Fonts, bindings: tuple[Binding, ...]) -> None:
    """A card titled "Keys" with one row per binding, sized to its rows and centred."""
    size = layout.text_px
    rows = [POINTER_ROW, *((b.keys_text, b.help) for b in bindings)]
    key_w = max(fonts.font(size).size(keys)[0] for keys, _ in rows[1:]) + size * 2 if len(rows) > 1 else size * 8
    text_w = max(fonts.font(size).size(text)[0] for _, text in rows)
    w = min(surface.get_width() - 2 * size, key_w + text_w + 4 * size)
    title_h = fonts.font(layout.title_px).get_linesize()
    chrome_h = 2 * size + title_h + size // 2 + 2 * fonts.font(layout.small_px).get_linesize()
    row_h = max(1, min(round(size * 1.55), (surface.get_height() - 2 * size - chrome_h) // len(rows)))
    h = min(surface.get_height() - 2 * size, chrome_h + row_h * len(rows))
    card = pygame.Rect(0, 0, w, h)
    card.center = surface.get_rect().center
    pygame.draw.rect(surface, theme.CARD, card, border_radius=layout.radius)
    pygame.draw.rect(surface, theme.CARD_BORDER, card, width=1, border_radius=layout.radius)
    x, y = card.left + 2 * size, card.top + size
    title = fonts.render("Keys", layout.title_px, theme.TEXT)
    surface.blit(title, (x, y))
    y += title.get_height() + size // 2
    for keys, text in rows:
        surface.blit(fonts.render(keys, size, theme.ACCENT), (x, y))
        fitted = fonts.fit(text, size, max(1, card.right - x - key_w - size))
        surface.blit(fonts.render(fitted, size, theme.TEXT), (x + key_w, y))
        y += row_h
    hint = fonts.render("press any key or click to close", layout.small_px, theme.TEXT_FAINT)
    surface.blit(hint, hint.get_rect(bottomright=(card.right - size, card.bottom - size // 2)))
    about = fonts.fit(about_line(), layout.small_px, max(1, card.width - 4 * size))
    line = fonts.render(about, layout.small_px, theme.TEXT_MUTED)
    beside = line.get_width() + hint.get_width() + 2 * size <= card.width - 4 * size  # one line, else above
    bottom = card.bottom - size // 2 - (0 if beside else hint.get_height())
    surface.blit(line, line.get_rect(bottomleft=(x, bottom)))
