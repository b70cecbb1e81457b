"""A row of buttons for a scene's bindings: hover, press, release to act, and a flash when a key does the same."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import pygame

from digitgame.ui import theme
from digitgame.ui.actions import Action, Binding, with_buttons
from digitgame.ui.layout import MIN_FONT_PX, Layout, button_row
from digitgame.ui.theme import Fonts


@dataclass(frozen=True)
class ButtonLook:
    """How one button should look this frame."""

    is_hovered: bool = False
    is_pressed: bool = False
    is_on: bool = False  # a toggle that is on
    is_primary: bool = False  # the button to press next
    has_dot: bool = False  # a toggle: shows a dot, lit when on
    dot_colour: theme.Colour = theme.ACCENT


@dataclass(frozen=True)
class ButtonState:
    """What the scene says about one of its buttons."""

    is_on: bool = False
    is_primary: bool = False
    is_toggle: bool = False
    on_colour: theme.Colour = theme.ACCENT


class Toolbar:
    """The buttons of ``bindings`` that have a label, laid out in the layout's toolbar row."""

    def __init__(self, bindings: Sequence[Binding]) -> None:
        self.bindings = with_buttons(bindings)
        self.hovered: Action | None = None
        self._pressed: tuple[Action, Hashable] | None = None
        self._pressed_inside = False
        self._flash_until: dict[Action, float] = {}
        self._rects: tuple[pygame.Rect, ...] = ()
        self._row: pygame.Rect | None = None

    def place(self, layout: Layout) -> None:
        """Lay the buttons out in ``layout``'s toolbar row."""
        if layout.toolbar != self._row:
            self._row = pygame.Rect(layout.toolbar)
            self._rects = button_row(layout.toolbar, len(self.bindings), layout.button_gap)

    def rect(self, action: Action) -> pygame.Rect:
        """Where the button for ``action`` is (KeyError: none)."""
        for rect, binding in zip(self._rects, self.bindings, strict=False):
            if binding.action is action:
                return rect
        raise KeyError(action)

    def at(self, pos: tuple[int, int]) -> Action | None:
        """The action of the button under ``pos``."""
        for rect, binding in zip(self._rects, self.bindings, strict=False):
            if rect.collidepoint(pos):
                return binding.action
        return None

    @property
    def is_pressed(self) -> bool:
        return self._pressed is not None

    def hover(self, pos: tuple[int, int] | None) -> None:
        self.hovered = self.at(pos) if pos is not None else None

    def press(self, pos: tuple[int, int], source: Hashable) -> bool:
        """A pointer went down at ``pos``; True when it landed on a button (which is now held)."""
        action = self.at(pos)
        if action is None:
            return False
        self._pressed, self._pressed_inside = (action, source), True
        return True

    def drag(self, pos: tuple[int, int], source: Hashable) -> None:
        if self._pressed is not None and self._pressed[1] == source:
            self._pressed_inside = self.rect(self._pressed[0]).collidepoint(pos)

    def release(self, pos: tuple[int, int], source: Hashable) -> Action | None:
        """The pointer went up: the action when it was released on the button it pressed."""
        if self._pressed is None or self._pressed[1] != source:
            return None
        action, _ = self._pressed
        self._pressed = None
        return action if self.rect(action).collidepoint(pos) else None

    def cancel(self) -> None:
        self._pressed = None

    def flash(self, action: Action, now: float) -> None:
        """Show ``action``'s button pressed for a moment (its key was pressed)."""
        self._flash_until[action] = now + theme.KEY_FLASH_S

    def is_idle(self, now: float) -> bool:
        return self._pressed is None and all(until <= now for until in self._flash_until.values())

    def draw(
        self,
        surface: pygame.Surface,
        layout: Layout,
        fonts: Fonts,
        state: Callable[[Action], ButtonState],
        now: float,
    ) -> None:
        """Every button, each as ``state`` says (on, primary) plus hover and press."""
        self.place(layout)
        for rect, binding in zip(self._rects, self.bindings, strict=False):
            s = state(binding.action)
            is_held = self._pressed is not None and self._pressed[0] is binding.action and self._pressed_inside
            is_pressed = is_held or self._flash_until.get(binding.action, 0.0) > now
            look = ButtonLook(
                is_hovered=self.hovered is binding.action,
                is_pressed=is_pressed,
                is_on=s.is_on,
                is_primary=s.is_primary,
                has_dot=s.is_toggle,
                dot_colour=s.on_colour,
            )
            draw_button(surface, rect, binding, look, fonts, layout)


def button_colours(look: ButtonLook) -> tuple[theme.Colour, theme.Colour, theme.Colour]:
    """Fill, border and label colours of a button."""
    if look.is_primary:
        fill = theme.mix(theme.ACCENT, theme.TEXT, 0.25) if look.is_hovered else theme.ACCENT
        fill_border_label = (fill, theme.ACCENT, theme.BACKGROUND)
    elif look.is_on:
        fill = theme.mix(theme.ACCENT_DIM, theme.ACCENT, 0.18) if look.is_hovered else theme.ACCENT_DIM
        fill_border_label = (fill, theme.ACCENT, theme.TEXT)
    else:
        fill = theme.BUTTON_HOVER if look.is_hovered else theme.BUTTON
        border = theme.mix(theme.BUTTON_BORDER, theme.TEXT_MUTED, 0.35) if look.is_hovered else theme.BUTTON_BORDER
        fill_border_label = (fill, border, theme.TEXT)
    fill, border, label = fill_border_label
    if look.is_pressed and not look.is_primary:  # darker; the primary's dark label needs its light fill (and the
        fill = theme.mix(fill, theme.BUTTON_PRESSED, 0.6)  # pressed button moves down, which shows the press)
    return fill, border, label


def draw_button(
    surface: pygame.Surface, rect: pygame.Rect, binding: Binding, look: ButtonLook, fonts: Fonts, layout: Layout
) -> None:
    """A rounded button with its label and, when it fits, its key."""
    radius = layout.radius
    fill, border, label_colour = button_colours(look)
    shift = max(1, round(layout.unit * 1.5)) if look.is_pressed else 0
    body = rect.move(0, shift)
    if not look.is_pressed:  # a thin lower lip makes it read as a raised key
        lip = theme.mix(theme.BACKGROUND, (0, 0, 0), 0.5)
        pygame.draw.rect(surface, lip, rect.move(0, max(1, round(layout.unit * 2))), border_radius=radius)
    pygame.draw.rect(surface, fill, body, border_radius=radius)
    pygame.draw.rect(surface, border, body, width=max(1, round(layout.unit)), border_radius=radius)

    size = max(MIN_FONT_PX, round(body.height * 0.36))
    label = fonts.render(binding.label, size, label_colour)
    hint = fonts.render(
        binding.hint, max(MIN_FONT_PX - 1, round(size * 0.8)), theme.key_hint_colour(label_colour, fill)
    )
    dot_r = max(2, round(size * 0.16)) if look.has_dot else 0
    gap = max(4, round(size * 0.45))
    dot_w = 2 * dot_r + gap if dot_r else 0
    full_w = dot_w + label.get_width() + (gap + hint.get_width() if binding.hint else 0)
    show_hint = bool(binding.hint) and full_w <= body.width - 2 * gap
    x = body.centerx - (full_w if show_hint else dot_w + label.get_width()) // 2
    cy = body.centery
    if dot_r:
        pygame.draw.circle(surface, look.dot_colour if look.is_on else theme.TEXT_FAINT, (x + dot_r, cy), dot_r)
        x += dot_w
    surface.blit(label, label.get_rect(midleft=(x, cy)))
    if show_hint:
        surface.blit(hint, hint.get_rect(midleft=(x + label.get_width() + gap, cy + 1)))
