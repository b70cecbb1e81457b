"""A question over a darkened app: Y (or the Yes button) does it, any other key or a click elsewhere does not."""

from __future__ import annotations

from collections.abc import Callable

import pygame

from digitgame.ui import theme
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import Phase
from digitgame.ui.scene import KeyPress, Scene, SceneEvent, Stage


class ConfirmScene(Scene):
    """Asks ``question``; ``on_yes`` runs only on an explicit yes."""

    is_opaque = False

    def __init__(self, stage: Stage, question: str, detail: str, on_yes: Callable[[], None]) -> None:
        self.stage = stage
        self.question = question
        self.detail = detail
        self.on_yes = on_yes
        self._yes_button = pygame.Rect(0, 0, 0, 0)
        self._shade: pygame.Surface | None = None

    def handle(self, event: SceneEvent) -> None:
        if isinstance(event, KeyPress):
            self._answer(event.key == pygame.K_y)
        elif getattr(event, "phase", None) is Phase.DOWN:
            self._answer(self._yes_button.collidepoint(getattr(event, "pos", (-1, -1))))

    def _answer(self, yes: bool) -> None:
        self.stage.remove(self)
        if yes:
            self.on_yes()

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((*theme.BACKGROUND, theme.OVERLAY_ALPHA))
        surface.blit(self._shade, (0, 0))
        fonts, size = self.stage.fonts, layout.text_px
        width = min(surface.get_width() - 2 * size, max(fonts.font(size).size(self.question)[0] + 4 * size, 24 * size))
        lines = fonts.wrap(self.detail, layout.small_px, width - 4 * size)
        button_h = round(size * 2.2)
        height = round(size * 2.5) + len(lines) * round(layout.small_px * 1.3) + button_h + 2 * size
        card = pygame.Rect(0, 0, width, height)
        card.center = surface.get_rect().center
        pygame.draw.rect(surface, theme.CARD, card, border_radius=layout.radius)
        pygame.draw.rect(surface, theme.CARD_BORDER, card, width=1, border_radius=layout.radius)
        x, y = card.left + 2 * size, card.top + size
        surface.blit(fonts.render(fonts.fit(self.question, size, width - 4 * size), size, theme.TEXT), (x, y))
        y += round(size * 1.5)
        for line in lines:
            surface.blit(fonts.render(line, layout.small_px, theme.TEXT_MUTED), (x, y))
            y += round(layout.small_px * 1.3)
        label = fonts.render("Y  yes", size, theme.BACKGROUND)
        self._yes_button = pygame.Rect(x, card.bottom - size - button_h, label.get_width() + 2 * size, button_h)
        pygame.draw.rect(surface, theme.ERROR, self._yes_button, border_radius=layout.radius)
        surface.blit(label, label.get_rect(center=self._yes_button.center))
        hint = fonts.render("any other key: no", layout.small_px, theme.TEXT_FAINT)
        surface.blit(hint, hint.get_rect(midleft=(self._yes_button.right + size, self._yes_button.centery)))
