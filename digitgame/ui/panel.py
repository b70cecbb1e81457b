"""The results panel: the answer big (from the verdict), the 28x28 image the model saw, and ten confidence bars."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pygame

from digitgame.live.verdict import Tone, Verdict
from digitgame.recognition.reading import Prediction, Reading
from digitgame.ui import theme
from digitgame.ui.layout import MIN_FONT_PX, Layout
from digitgame.ui.number_row import draw_number
from digitgame.ui.theme import Colour, Fonts

NUM_DIGITS = 10
PREVIEW_CAPTIONS = ("MODEL INPUT 28×28", "MODEL INPUT", "28×28")  # the longest that fits
SPINNER_TURNS_PER_S = 0.8
HEADLINE_COLOUR = {Tone.CONFIDENT: theme.ACCENT, Tone.UNSURE: theme.UNSURE, Tone.STALE: theme.TEXT_FAINT}
CAPTION_COLOUR = {Tone.CONFIDENT: theme.TEXT_MUTED, Tone.UNSURE: theme.UNSURE, Tone.STALE: theme.TEXT_MUTED}


@dataclass(frozen=True)
class PanelState:
    """Everything the results panel shows."""

    verdict: Verdict
    prediction: Prediction | None  # the digit whose bars and 28x28 input are shown (None: none)
    bars: tuple[float, ...]  # ten animated values in [0, 1]
    seconds: float  # clock for the spinner
    reading: Reading | None = None  # a number's digits, drawn as tiles
    selected: int = 0  # which of them ``prediction`` is


class Bars:
    """Ten bar lengths easing towards their targets."""

    def __init__(self) -> None:
        self.values = [0.0] * NUM_DIGITS
        self.targets = [0.0] * NUM_DIGITS

    def aim(self, probabilities: Sequence[float]) -> None:
        self.targets = list(probabilities)

    def step(self, dt: float) -> None:
        k = 1.0 - math.exp(-dt / theme.BAR_ANIMATION_S)
        self.values = [v + (t - v) * k for v, t in zip(self.values, self.targets, strict=True)]

    def settle(self) -> None:
        """Jump to the targets (a screenshot shows the end state)."""
        self.values = list(self.targets)

    @property
    def is_still(self) -> bool:
        return all(abs(v - t) < 1e-3 for v, t in zip(self.values, self.targets, strict=True))


class ResultsPanel:
    """Big answer with its confidence, the 28x28 view, and ten confidence bars."""

    def __init__(self) -> None:
        self._preview_key: tuple[int, int] | None = None
        self._preview: pygame.Surface | None = None
        self._glyphs: dict[tuple[str, int, Colour], tuple[pygame.Surface, pygame.Rect]] = {}

    def draw(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        """The panel's contents; its card is part of the backdrop."""
        label = fonts.render("PREDICTION", layout.inner.small_px, theme.TEXT_FAINT)
        surface.blit(label, (layout.inner.summary.left, layout.inner.label_y))
        tone = state.verdict.tone
        if tone is Tone.ERROR:
            self._draw_failure(surface, layout, fonts, state.verdict)
        elif tone is Tone.LOADING:
            self._draw_loading(surface, layout, fonts, state)
        elif tone in (Tone.QUIET, Tone.NOT_A_DIGIT):
            self._draw_quiet(surface, layout, fonts, state.verdict)
        elif state.reading is not None and state.reading.is_number:
            caption = (state.verdict.caption, CAPTION_COLOUR[tone])
            glyph = functools.partial(self._glyph, fonts)
            draw_number(surface, layout, fonts, glyph, state.reading, state.selected, caption, tone is Tone.STALE)
        else:
            self._draw_answer(surface, layout, fonts, state.verdict)
        if tone is not Tone.ERROR:
            self._draw_preview(surface, layout, fonts, state.prediction)
        self._draw_bars(surface, layout, fonts, state)

    # --- the summary, one kind of verdict each ------------------------------------------
    @staticmethod
    def _text_box(layout: Layout) -> pygame.Rect:
        inner = layout.inner
        return pygame.Rect(inner.digit.left, inner.digit.top, inner.info.right - inner.digit.left, inner.digit.height)

    def _draw_failure(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, verdict: Verdict) -> None:
        inner, box = layout.inner, self._text_box(layout)
        width = inner.summary.width
        lines = [(verdict.headline, theme.ERROR, inner.text_px)]
        wrapped = fonts.wrap(verdict.caption, inner.small_px, width)
        lines += [(line, theme.TEXT_MUTED, inner.small_px) for line in wrapped]
        lines += [(verdict.note, theme.TEXT, inner.small_px)]
        _draw_lines(surface, fonts, lines, box.left, box.top, width)

    def _draw_loading(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        box, size = self._text_box(layout), layout.inner.text_px
        _draw_spinner(surface, (box.left + size // 2, box.centery), size, state.seconds)
        lines = [(state.verdict.caption, theme.TEXT_MUTED, size)]
        _draw_lines(surface, fonts, lines, box.left + 2 * size, box.centery - size // 3, box.width - 2 * size)

    def _draw_quiet(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, verdict: Verdict) -> None:
        inner, box = layout.inner, self._text_box(layout)
        colour = theme.TEXT if verdict.tone is Tone.NOT_A_DIGIT else theme.TEXT_MUTED  # an answer, in words
        lines = [(verdict.headline, colour, round(inner.text_px * 1.3))]
        if verdict.caption:
            lines += [
                (line, theme.TEXT_FAINT, inner.small_px)
                for line in fonts.wrap(verdict.caption, inner.small_px, box.width)[:2]
            ]
        _draw_lines(surface, fonts, lines, box.left, box.centery - inner.text_px, box.width)

    def _glyph(self, fonts: Fonts, text: str, size: int, colour: Colour) -> tuple[pygame.Surface, pygame.Rect]:
        """The headline drawn opaque on the card colour (fast to blit), and where its ink lies."""
        key = (text, size, colour)
        if key not in self._glyphs:
            if len(self._glyphs) > 64:
                self._glyphs.clear()
            font = fonts.font(size)
            bounds = font.render(text, True, colour).get_bounding_rect()
            self._glyphs[key] = (font.render(text, True, colour, theme.CARD), bounds)
        return self._glyphs[key]

    def _draw_answer(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, verdict: Verdict) -> None:
        inner, box, info = layout.inner, layout.inner.digit, layout.inner.info
        colour = HEADLINE_COLOUR[verdict.tone]
        glyph, ink = self._glyph(fonts, verdict.headline, fonts.size_for_digit_height(box.height), colour)
        surface.blit(glyph, (box.centerx - ink.width // 2, box.top), area=ink)  # only the glyph's own box
        pct_size = round(inner.text_px * 1.5)
        while pct_size > inner.small_px and fonts.font(pct_size).size(verdict.figure)[0] > info.width:
            pct_size -= 1
        pct = fonts.render(verdict.figure, pct_size, theme.TEXT_FAINT if verdict.tone is Tone.STALE else theme.TEXT)
        texts = lines_beside_digit(fonts, verdict.caption, inner.small_px, info.width)
        caption_colour = CAPTION_COLOUR[verdict.tone]
        fitted = [fonts.fit(t, inner.small_px, info.width) for t in texts]
        rendered = [fonts.render(t, inner.small_px, caption_colour) for t in fitted]
        y = info.top + max(0, (info.height - pct.get_height() - sum(r.get_height() for r in rendered)) // 2)
        for line in (pct, *rendered):
            surface.blit(line, (info.left, y))
            y += line.get_height()

    # --- the 28x28 image the model saw, enlarged with crisp pixels -------------------------
    def _draw_preview(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, p: Prediction | None) -> None:
        inner = layout.inner
        box = inner.preview
        font = fonts.font(inner.small_px)
        fitting = [t for t in PREVIEW_CAPTIONS if font.size(t)[0] <= box.width]
        caption = fonts.render(fitting[0] if fitting else "", inner.small_px, theme.TEXT_FAINT)
        surface.blit(caption, caption.get_rect(topright=(box.right, inner.label_y)))
        pygame.draw.rect(surface, theme.PAPER_BORDER, box.inflate(2, 2), width=1)
        image = p.image if p is not None else None
        if image is None:
            surface.fill(theme.PAPER, box)
            return
        key = (id(image), box.width)
        if key != self._preview_key or self._preview is None:
            self._preview = preview_surface(image, box.width)
            self._preview_key = key
        surface.blit(self._preview, box)

    # --- ten bars, the top one highlighted ------------------------------------------------
    def _draw_bars(self, surface: pygame.Surface, layout: Layout, fonts: Fonts, state: PanelState) -> None:
        inner = layout.inner
        area, row_h = inner.bars, inner.row_height
        p = state.prediction if state.verdict.tone is not Tone.ERROR else None
        top = p.digit if p is not None else None
        is_stale = state.verdict.tone is Tone.STALE
        is_faded = is_stale or state.verdict.tone is Tone.NOT_A_DIGIT
        size = max(MIN_FONT_PX, min(inner.text_px, round(row_h * 0.72)))
        label_w = fonts.font(size).size("0")[0] + max(6, size // 2)
        pct_w = fonts.font(size).size("100.0%")[0]
        track_left = area.left + label_w
        track_w = max(1, area.width - label_w - pct_w - max(8, size // 2))
        bar_h = max(4, round(row_h * 0.34))
        top_colour = theme.ACCENT if p is not None and p.is_confident else theme.UNSURE
        for d in range(NUM_DIGITS):
            cy = area.top + d * row_h + row_h // 2
            value = state.bars[d] if d < len(state.bars) else 0.0
            is_top = d == top
            digit = fonts.render(str(d), size, theme.TEXT if is_top else theme.TEXT_MUTED)
            surface.blit(digit, digit.get_rect(midleft=(area.left, cy)))
            track = pygame.Rect(track_left, cy - bar_h // 2, track_w, bar_h)
            pygame.draw.rect(surface, theme.BAR_TRACK, track, border_radius=bar_h // 2)
            fill_w = round(track_w * min(1.0, max(0.0, value)))
            if fill_w > 0:
                colour = top_colour if is_top else theme.BAR_FILL
                if is_faded:
                    colour = theme.mix(theme.TEXT_FAINT, theme.CARD, 0.3)
                fill = (track.left, track.top, max(fill_w, bar_h), bar_h)
                pygame.draw.rect(surface, colour, fill, border_radius=bar_h // 2)
            # the bar glides to its new length; the number states the answer at once, so the top
            # bar never disagrees with the big percentage beside the digit
            shown = p.shown[d] if p is not None and not is_stale else value
            pct = fonts.render(f"{shown * 100:.1f}%", size, theme.TEXT if is_top else theme.TEXT_FAINT)
            surface.blit(pct, pct.get_rect(midright=(area.right, cy)))


def _draw_lines(
    surface: pygame.Surface, fonts: Fonts, lines: Sequence[tuple[str, Colour, int]], x: int, y: int, width: int
) -> None:
    for text, colour, size in lines:
        line = fonts.render(fonts.fit(text, size, width), size, colour)
        surface.blit(line, (x, y))
        y += round(line.get_height() * 1.15)


def _draw_spinner(surface: pygame.Surface, centre: tuple[int, int], size: int, seconds: float) -> None:
    radius = max(4, size // 2)
    start = (seconds * SPINNER_TURNS_PER_S * 2 * math.pi) % (2 * math.pi)
    rect = pygame.Rect(0, 0, 2 * radius, 2 * radius)
    rect.center = centre
    pygame.draw.circle(surface, theme.BAR_TRACK, centre, radius, width=max(2, radius // 4))
    pygame.draw.arc(surface, theme.ACCENT, rect, -start - 1.6, -start, width=max(2, radius // 4))


def preview_surface(image: np.ndarray, side: int) -> pygame.Surface:
    """A (28, 28) image in [0, 1] as a ``side`` x ``side`` grey surface, enlarged nearest-neighbour."""
    grey = (np.clip(image, 0.0, 1.0) * 255 + 0.5).astype(np.uint8)  # (28, 28) rows, cols
    rgb = np.repeat(grey.T[:, :, None], 3, axis=2)  # (x, y, 3) for surfarray
    small = pygame.surfarray.make_surface(rgb)
    return pygame.transform.scale(small, (side, side))


def lines_beside_digit(fonts: Fonts, caption: str, size: int, width: int) -> list[str]:
    """The caption beside the big digit, on as few lines as fit ``width``: whole; 'not sure:' above the
    rest; or, narrower still, broken after the rest's comma ('not sure: 4,' above 'or not a digit?')."""
    fits = fonts.font(size).size
    head, sep, tail = caption.partition(": ")
    if fits(caption)[0] <= width:
        return [caption]
    if not sep:
        return fonts.wrap(caption, size, width)[:2]
    first, comma, rest = tail.partition(", ")
    if fits(tail)[0] <= width or not comma:
        return [f"{head}:", tail]
    if fits(f"{head}: {first},")[0] <= width:
        return [f"{head}: {first},", rest]
    return [f"{head}:", f"{first},", rest]
