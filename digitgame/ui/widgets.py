"""Widgets: each draws onto the surface it is given, from the state it is given.

Buttons, the header, the results panel (big digit, ten confidence bars, the 28x28 view),
the toast line and the help overlay.  They hold only caches, never app state.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

import numpy as np

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
import pygame

from digitgame import verdict
from digitgame.reading import Reading
from digitgame.ui import theme
from digitgame.ui.actions import BINDINGS, Action, Binding
from digitgame.ui.layout import MIN_FONT_PX, Layout
from digitgame.ui.theme import Colour, Fonts

if TYPE_CHECKING:
    from digitgame.reading import Prediction

NUM_DIGITS = 10
PREVIEW_CAPTIONS = ("MODEL INPUT 28×28", "MODEL INPUT", "28×28")  # the longest that fits
SPINNER_TURNS_PER_S = 0.8


def _blit_centred(surface: pygame.Surface, text: pygame.Surface, centre: tuple[int, int]) -> pygame.Rect:
    rect = text.get_rect(center=centre)
    surface.blit(text, rect)
    return rect


# --- buttons ------------------------------------------------------------------


@dataclass(frozen=True)
class ButtonLook:
    """How one button should look this frame."""

    is_hovered: bool = False
    is_pressed: bool = False
    is_on: bool = False  # a toggle that is on
    is_primary: bool = False  # the button to press next (Predict when live mode is off)


def draw_button(
    surface: pygame.Surface, rect: pygame.Rect, binding: Binding, look: ButtonLook, fonts: Fonts, layout: Layout
) -> None:
    """A rounded button with its label and, when it fits, its key."""
    radius = layout.radius
    if look.is_primary:
        fill, border, label_colour = theme.ACCENT, theme.ACCENT, theme.BACKGROUND
        if look.is_hovered:
            fill = theme.mix(theme.ACCENT, theme.TEXT, 0.25)
    elif look.is_on:
        fill, border, label_colour = theme.ACCENT_DIM, theme.ACCENT, theme.TEXT
        if look.is_hovered:
            fill = theme.mix(theme.ACCENT_DIM, theme.ACCENT, 0.18)
    else:
        fill = theme.BUTTON_HOVER if look.is_hovered else theme.BUTTON
        border = theme.mix(theme.BUTTON_BORDER, theme.TEXT_MUTED, 0.35) if look.is_hovered else theme.BUTTON_BORDER
        label_colour = theme.TEXT
    if look.is_pressed:
        fill = theme.mix(fill, theme.BUTTON_PRESSED, 0.6)
    shift = max(1, round(layout.unit * 1.5)) if look.is_pressed else 0
    body = rect.move(0, shift)
    if not look.is_pressed:  # a thin lower lip makes it read as a raised key
        pygame.draw.rect(
            surface,
            theme.mix(theme.BACKGROUND, (0, 0, 0), 0.5),
            rect.move(0, max(1, round(layout.unit * 2))),
            border_radius=radius,
        )
    pygame.draw.rect(surface, fill, body, border_radius=radius)
    pygame.draw.rect(surface, border, body, width=max(1, round(layout.unit)), border_radius=radius)

    size = max(MIN_FONT_PX, round(body.height * 0.36))
    hint_size = max(MIN_FONT_PX - 1, round(size * 0.8))
    hint_colour = theme.mix(label_colour, fill, 0.45)
    label = fonts.render(binding.label, size, label_colour)
    hint_text = binding.keys_text.split(" / ")[0]
    hint = fonts.render(hint_text, hint_size, hint_colour)
    dot_r = max(2, round(size * 0.16)) if binding.action in _TOGGLE_DOTS else 0
    gap = max(4, round(size * 0.45))
    dot_w = 2 * dot_r + gap if dot_r else 0
    full_w = dot_w + label.get_width() + gap + hint.get_width()
    show_hint = full_w <= body.width - 2 * gap
    content_w = full_w if show_hint else dot_w + label.get_width()
    x = body.centerx - content_w // 2
    cy = body.centery
    if dot_r:
        dot_colour = (
            theme.LIVE
            if (look.is_on and binding.action is Action.TOGGLE_LIVE)
            else theme.ACCENT
            if look.is_on
            else theme.TEXT_FAINT
        )
        pygame.draw.circle(surface, dot_colour, (x + dot_r, cy), dot_r)
        x += dot_w
    surface.blit(label, label.get_rect(midleft=(x, cy)))
    if show_hint:
        surface.blit(hint, hint.get_rect(midleft=(x + label.get_width() + gap, cy + 1)))


_TOGGLE_DOTS = frozenset({Action.TOGGLE_ERASER, Action.TOGGLE_GRID, Action.TOGGLE_LIVE})


# --- header -------------------------------------------------------------------


class ModelStatus(Enum):
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


def draw_header(
    surface: pygame.Surface, layout: Layout, fonts: Fonts, *, is_live: bool, is_erasing: bool, model: ModelStatus
) -> None:
    """Title on the left; mode chips on the right."""
    rect = layout.header
    title = fonts.render("digitgame", layout.title_px, theme.TEXT)
    title_rect = title.get_rect(midleft=(rect.left, rect.centery))
    surface.blit(title, title_rect)
    subtitle = fonts.render("draw a digit from 0 to 9", layout.small_px, theme.TEXT_MUTED)
    sub_rect = subtitle.get_rect(bottomleft=(title_rect.right + round(14 * layout.unit), title_rect.bottom - 2))
    chips: list[tuple[str, Colour]] = []
    if is_erasing:
        chips.append(("ERASER", theme.UNSURE))
    chips.append(("LIVE", theme.LIVE) if is_live else ("ON DEMAND", theme.TEXT_MUTED))
    if model is ModelStatus.LOADING:
        chips.append(("LOADING MODEL", theme.TEXT_MUTED))
    elif model is ModelStatus.FAILED:
        chips.append(("NO MODEL", theme.ERROR))
    right = rect.right
    size = layout.small_px
    pad_x, pad_y = round(size * 0.7), round(size * 0.35)
    for text, colour in chips:
        label = fonts.render(text, size, colour)
        dot_r = max(2, size // 5)
        w = pad_x * 2 + dot_r * 2 + pad_x // 2 + label.get_width()
        h = label.get_height() + 2 * pad_y
        chip = pygame.Rect(right - w, rect.centery - h // 2, w, h)
        if chip.left < sub_rect.right + pad_x:
            break
        pygame.draw.rect(surface, theme.CARD, chip, border_radius=h // 2)
        pygame.draw.rect(surface, theme.mix(theme.CARD, colour, 0.35), chip, width=1, border_radius=h // 2)
        pygame.draw.circle(surface, colour, (chip.left + pad_x + dot_r, chip.centery), dot_r)
        surface.blit(label, label.get_rect(midleft=(chip.left + pad_x + 2 * dot_r + pad_x // 2, chip.centery + 1)))
        right = chip.left - pad_x
    if sub_rect.right < right:
        surface.blit(subtitle, sub_rect)


# --- the results panel ----------------------------------------------------------


@dataclass(frozen=True)
class PanelState:
    """Everything the results panel shows."""

    model: ModelStatus
    model_message: str
    prediction: Prediction | None  # None until the first answer
    bars: tuple[float, ...]  # ten animated values in [0, 1]
    is_stale: bool  # the drawing changed since (live mode off)
    seconds: float  # clock for the spinner


class ResultsPanel:
    """Big digit with its confidence, the 28x28 view, and ten confidence bars."""

    def __init__(self) -> None:
        self._preview_key: tuple[int, int] | None = None
        self._preview: pygame.Surface | None = None
        self._digits: dict[tuple[str, int, Colour], tuple[pygame.Surface, pygame.Rect]] = {}

    def _big_digit(self, fonts: Fonts, text: str, size: int, colour: Colour) -> tuple[pygame.Surface, pygame.Rect]:
        """The big digit drawn opaque on the card colour (fast to blit), and where its ink lies."""
        key = (text, size, colour)
        if key not in self._digits:
            if len(self._digits) > 64:
                self._digits.clear()
            font = fonts.font(size)
            bounds = font.render(text, True, colour).get_bounding_rect()
            self._digits[key] = (font.render(text, True, colour, theme.CARD), bounds)
        return self._digits[key]

    def draw(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        """The panel's contents; its card is part of the backdrop (``Backdrop``)."""
        self._draw_summary(surface, layout, fonts, state)
        if state.model is not ModelStatus.FAILED:
            self._draw_preview(surface, layout, fonts, state.prediction)
        self._draw_bars(surface, layout, fonts, state)

    # summary: one big digit, its confidence, and the answer in words
    def _draw_summary(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        inner = layout.inner
        label = fonts.render("PREDICTION", inner.small_px, theme.TEXT_FAINT)
        surface.blit(label, (inner.summary.left, inner.label_y))
        text_box = pygame.Rect(
            inner.digit.left, inner.digit.top, inner.info.right - inner.digit.left, inner.digit.height
        )
        p = state.prediction
        if state.model is ModelStatus.FAILED:
            width = inner.summary.width
            lines = [("The model could not be loaded.", theme.ERROR, inner.text_px)]
            lines += [
                (line, theme.TEXT_MUTED, inner.small_px)
                for line in fonts.wrap(state.model_message, inner.small_px, width)
            ]
            lines += [("You can still draw.", theme.TEXT, inner.small_px)]
            self._draw_lines(surface, fonts, lines, text_box.left, text_box.top, width)
            return
        if p is None or p.is_empty:
            if state.model is ModelStatus.LOADING and p is None:
                size = inner.text_px
                self._draw_spinner(surface, (text_box.left + size // 2, text_box.centery), size, state.seconds)
                self._draw_lines(
                    surface,
                    fonts,
                    [("loading the model…", theme.TEXT_MUTED, size)],
                    text_box.left + 2 * size,
                    text_box.centery - size // 3,
                    text_box.width - 2 * size,
                )
                return
            lines = [("draw a digit", theme.TEXT_MUTED, round(inner.text_px * 1.3))]
            reason = verdict.tell(Reading.of(p)).caption if p is not None else ""
            if reason:
                lines.append((reason, theme.TEXT_FAINT, inner.small_px))
            self._draw_lines(surface, fonts, lines, text_box.left, text_box.centery - inner.text_px, text_box.width)
            return
        assert p.digit is not None
        colour = theme.ACCENT if p.is_confident else theme.UNSURE
        if state.is_stale:
            colour = theme.TEXT_FAINT  # an old answer: grey until Predict
        box = inner.digit
        digit, ink = self._big_digit(fonts, str(p.digit), fonts.size_for_digit_height(box.height), colour)
        surface.blit(digit, (box.centerx - ink.width // 2, box.top), area=ink)  # only the glyph's own box
        info = inner.info
        pct_text = f"{p.confidence:.1%}"
        pct_size = round(inner.text_px * 1.5)
        while pct_size > inner.small_px and fonts.font(pct_size).size(pct_text)[0] > info.width:
            pct_size -= 1
        pct = fonts.render(pct_text, pct_size, theme.TEXT_FAINT if state.is_stale else theme.TEXT)
        if state.is_stale:
            caption, caption_colour = "press Enter to predict", theme.TEXT_MUTED
        elif p.is_confident:
            caption, caption_colour = "confident", theme.TEXT_MUTED
        else:
            caption, caption_colour = verdict.doubt(p), theme.UNSURE
        texts = [caption]
        if fonts.font(inner.small_px).size(caption)[0] > info.width:
            if ": " in caption:
                head, tail = caption.split(": ", 1)
                texts = [f"{head}:", tail]  # "not sure:" over "4 or 9?"
            else:
                texts = fonts.wrap(caption, inner.small_px, info.width)[:2]
        rendered = [
            fonts.render(fonts.fit(t, inner.small_px, info.width), inner.small_px, caption_colour) for t in texts
        ]
        block_h = pct.get_height() + sum(line.get_height() for line in rendered)
        y = info.top + max(0, (info.height - block_h) // 2)
        surface.blit(pct, (info.left, y))
        y += pct.get_height()
        for line in rendered:
            surface.blit(line, (info.left, y))
            y += line.get_height()

    def _draw_lines(
        self,
        surface: pygame.Surface,
        fonts: Fonts,
        lines: Sequence[tuple[str, Colour, int]],
        x: int,
        y: int,
        width: int,
    ) -> None:
        for text, colour, size in lines:
            line = fonts.render(fonts.fit(text, size, width), size, colour)
            surface.blit(line, (x, y))
            y += round(line.get_height() * 1.15)

    @staticmethod
    def _draw_spinner(surface: pygame.Surface, centre: tuple[int, int], size: int, seconds: float) -> None:
        radius = max(4, size // 2)
        start = (seconds * SPINNER_TURNS_PER_S * 2 * math.pi) % (2 * math.pi)
        rect = pygame.Rect(0, 0, 2 * radius, 2 * radius)
        rect.center = centre
        pygame.draw.circle(surface, theme.BAR_TRACK, centre, radius, width=max(2, radius // 4))
        pygame.draw.arc(surface, theme.ACCENT, rect, -start - 1.6, -start, width=max(2, radius // 4))

    # the 28x28 image the model saw, enlarged with crisp pixels
    def _draw_preview(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, p: Prediction | None) -> None:
        inner = layout.inner
        box = inner.preview
        font = fonts.font(inner.small_px)
        fitting = [t for t in PREVIEW_CAPTIONS if font.size(t)[0] <= box.width]
        caption = fonts.render(fitting[0] if fitting else "", inner.small_px, theme.TEXT_FAINT)
        surface.blit(caption, caption.get_rect(topright=(box.right, inner.label_y)))
        frame = box.inflate(2, 2)
        pygame.draw.rect(surface, theme.PAPER_BORDER, frame, width=1)
        image = p.image if p is not None else None
        if image is None:
            surface.fill(theme.PAPER, box)
            return
        key = (id(image), box.width)
        if key != self._preview_key or self._preview is None:
            self._preview = preview_surface(image, box.width)
            self._preview_key = key
        surface.blit(self._preview, box)

    # ten bars, the top one highlighted
    def _draw_bars(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        inner = layout.inner
        area = inner.bars
        row_h = inner.row_height
        p = state.prediction
        top = p.digit if p is not None and not p.is_empty and state.model is not ModelStatus.FAILED else None
        size = max(MIN_FONT_PX, min(inner.text_px, round(row_h * 0.72)))
        label_w = fonts.font(size).size("0")[0] + max(6, size // 2)
        pct_w = fonts.font(size).size("100.0%")[0]
        track_left = area.left + label_w
        track_w = max(1, area.width - label_w - pct_w - max(8, size // 2))
        bar_h = max(4, round(row_h * 0.34))
        for d in range(NUM_DIGITS):
            cy = area.top + d * row_h + row_h // 2
            value = state.bars[d] if d < len(state.bars) else 0.0
            is_top = d == top
            label_colour = theme.TEXT if is_top else theme.TEXT_MUTED
            digit = fonts.render(str(d), size, label_colour)
            surface.blit(digit, digit.get_rect(midleft=(area.left, cy)))
            track = pygame.Rect(track_left, cy - bar_h // 2, track_w, bar_h)
            pygame.draw.rect(surface, theme.BAR_TRACK, track, border_radius=bar_h // 2)
            fill_w = round(track_w * min(1.0, max(0.0, value)))
            if fill_w > 0:
                colour = (
                    (theme.ACCENT if p is not None and p.is_confident else theme.UNSURE) if is_top else theme.BAR_FILL
                )
                if state.is_stale:
                    colour = theme.mix(theme.TEXT_FAINT, theme.CARD, 0.3)
                pygame.draw.rect(
                    surface, colour, (track.left, track.top, max(fill_w, bar_h), bar_h), border_radius=bar_h // 2
                )
            # the bar glides to its new length; the number states the answer at once, so the top
            # bar never disagrees with the big percentage beside the digit
            shown = p.probabilities[d] if p is not None and not p.is_empty and not state.is_stale else value
            pct = fonts.render(f"{shown * 100:.1f}%", size, theme.TEXT if is_top else theme.TEXT_FAINT)
            surface.blit(pct, pct.get_rect(midright=(area.right, cy)))


def preview_surface(image: np.ndarray, side: int) -> pygame.Surface:
    """A (28, 28) image in [0, 1] as a ``side`` x ``side`` grey surface, enlarged nearest-neighbour."""
    grey = (np.clip(image, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)  # (28, 28) rows, cols
    rgb = np.repeat(grey.T[:, :, None], 3, axis=2)  # (x, y, 3) for surfarray
    small = pygame.surfarray.make_surface(rgb)
    return pygame.transform.scale(small, (side, side))


# --- toast and help ---------------------------------------------------------------


@dataclass(frozen=True)
class Toast:
    """A short message shown over the bottom of the drawing area."""

    text: str
    is_error: bool
    shown_at: float
    expires_at: float


def draw_toast(surface: pygame.Surface, layout: Layout, fonts: Fonts, toast: Toast, now: float) -> None:
    """The message in a pill, fading out at the end."""
    remaining = toast.expires_at - now
    if remaining <= 0:
        return
    alpha = min(1.0, remaining / theme.TOAST_FADE_S, (now - toast.shown_at) / theme.TOAST_FADE_S + 0.3)
    size = layout.small_px
    max_w = layout.canvas.width - 2 * round(layout.unit * 16)
    colour = theme.ERROR if toast.is_error else theme.TEXT
    lines = fonts.wrap(toast.text, size, max(1, max_w - 2 * size))[:3]
    rendered = [fonts.render(line, size, colour) for line in lines]
    if not rendered:
        return
    pad = round(size * 0.8)
    w = max(r.get_width() for r in rendered) + 2 * pad
    h = sum(r.get_height() for r in rendered) + 2 * round(pad * 0.6)
    pill = pygame.Surface((w, h), pygame.SRCALPHA)
    fill = (*theme.mix(theme.CARD, theme.ERROR, 0.12 if toast.is_error else 0.0), 240)
    pygame.draw.rect(pill, fill, pill.get_rect(), border_radius=min(h // 2, round(size * 1.1)))
    pygame.draw.rect(
        pill,
        (*(theme.ERROR if toast.is_error else theme.CARD_BORDER), 255),
        pill.get_rect(),
        width=1,
        border_radius=min(h // 2, round(size * 1.1)),
    )
    y = round(pad * 0.6)
    for r in rendered:
        pill.blit(r, ((w - r.get_width()) // 2, y))
        y += r.get_height()
    pill.set_alpha(round(255 * max(0.0, alpha)))
    rect = pill.get_rect(midbottom=(layout.canvas.centerx, layout.canvas.bottom - round(layout.unit * 16)))
    surface.blit(pill, rect)


class HelpOverlay:
    """The list of keys over a darkened app."""

    def __init__(self) -> None:
        self._shade: pygame.Surface | None = None

    def draw(
        self, surface: pygame.Surface, layout: Layout, fonts: Fonts, bindings: Sequence[Binding] = BINDINGS
    ) -> None:
        if self._shade is None or self._shade.get_size() != surface.get_size():
            self._shade = pygame.Surface(surface.get_size(), pygame.SRCALPHA)
            self._shade.fill((*theme.BACKGROUND, theme.OVERLAY_ALPHA))
        surface.blit(self._shade, (0, 0))
        size = layout.text_px
        row_h = round(size * 1.55)
        key_w = max(fonts.font(size).size(b.keys_text)[0] for b in bindings) + size * 2
        rows = [(b.keys_text, b.help) for b in bindings]
        rows.insert(0, ("mouse, pen, finger", "draw; right button erases"))
        text_w = max(fonts.font(size).size(text)[0] for _, text in rows)
        w = min(surface.get_width() - 2 * size, key_w + text_w + 4 * size)
        title_h = fonts.font(layout.title_px).get_linesize()
        chrome_h = 2 * size + title_h + size // 2 + fonts.font(layout.small_px).get_linesize()
        row_h = max(1, min(row_h, (surface.get_height() - 2 * size - chrome_h) // len(rows)))
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
            surface.blit(
                fonts.render(fonts.fit(text, size, max(1, card.right - x - key_w - size)), size, theme.TEXT),
                (x + key_w, y),
            )
            y += row_h
        hint = fonts.render("press any key or click to close", layout.small_px, theme.TEXT_FAINT)
        surface.blit(hint, hint.get_rect(bottomright=(card.right - size, card.bottom - size // 2)))


class Backdrop:
    """What never changes between frames -- background, the panel's card, the drawing area's frame --
    drawn once per window size and copied in one blit."""

    def __init__(self) -> None:
        self._surface: pygame.Surface | None = None
        self._layout: Layout | None = None

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        if self._surface is None or self._layout is not layout or self._surface.get_size() != surface.get_size():
            self._surface = pygame.Surface(surface.get_size()).convert(surface) if surface.get_bitsize() else None
            if self._surface is None:  # a surface without pixel format (never on a real display)
                self._surface = pygame.Surface(surface.get_size())
            self._layout = layout
            back = self._surface
            back.fill(theme.BACKGROUND)
            pygame.draw.rect(back, theme.CARD, layout.panel, border_radius=layout.radius)
            pygame.draw.rect(back, theme.CARD_BORDER, layout.panel, width=1, border_radius=layout.radius)
            pygame.draw.rect(back, theme.PAPER_BORDER, layout.canvas.inflate(2, 2), width=1)
        surface.blit(self._surface, (0, 0))


def draw_eraser_ring(surface: pygame.Surface, centre: tuple[int, int], radius: float, unit: float) -> None:
    """The eraser's reach around the pointer."""
    width = max(1, round(1.5 * unit))
    pygame.draw.aacircle(surface, theme.UNSURE, centre, max(2.0, radius), width)


def draw_canvas_frame(
    surface: pygame.Surface, layout: Layout, fonts: Fonts, *, is_empty: bool, is_drawing: bool
) -> None:
    """A hint in the drawing area while it is empty (its frame is part of the backdrop)."""
    if is_empty and not is_drawing:
        hint = fonts.render("draw a digit here", layout.text_px, theme.TEXT_FAINT)
        _blit_centred(surface, hint, layout.canvas.center)
