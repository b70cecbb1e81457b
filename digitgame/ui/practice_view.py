"""What the practice round looks like: the prompt and progress in the panel, and the round's drawings at the end."""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from digitgame.files.strokefile import Strokes
from digitgame.live.practice import Attempt, Best
from digitgame.ui import theme
from digitgame.ui.layout import MIN_FONT_PX, Layout
from digitgame.ui.theme import Colour, Fonts

RIGHT: Colour = theme.LIVE
WRONG: Colour = theme.ERROR


class Column:
    """Lines of text down the panel, each fitted to its width."""

    def __init__(self, surface: pygame.Surface, fonts: Fonts, layout: Layout) -> None:
        pad = round(22 * layout.unit)
        self.surface, self.fonts = surface, fonts
        self.x, self.width, self.y = layout.panel.left + pad, layout.panel.width - 2 * pad, layout.inner.label_y

    def line(self, text: str, size: int, colour: Colour) -> None:
        rendered = self.fonts.render(self.fonts.fit(text, size, self.width), size, colour)
        self.surface.blit(rendered, (self.x, self.y))
        self.y += round(rendered.get_height() * 1.15)

    def glyph(self, text: str, height: float, colour: Colour, *, centred: bool = False) -> None:
        """Big text whose digits are ``height`` tall, at the left or in the middle."""
        face = self.fonts.render(text, self.fonts.size_for_digit_height(max(20.0, height)), colour)
        ink = face.get_bounding_rect()
        x = self.x + (self.width - ink.width) // 2 if centred else self.x
        self.surface.blit(face, (x, self.y), area=ink)
        self.y += ink.height

    def skip(self, px: float) -> None:
        self.y += round(px)


def draw_progress(column: Column, layout: Layout, attempts: Sequence[Attempt], total: int) -> None:
    """A dot per prompt: green when read right, red when not, hollow when still to come."""
    r = max(4, min(round(layout.unit * 9), column.width // (3 * total)))
    step = min(4 * r, column.width // total)
    for i in range(total):
        centre = (column.x + r + i * step, column.y + r)
        if i < len(attempts):
            pygame.draw.circle(column.surface, RIGHT if attempts[i].is_correct else WRONG, centre, r)
        else:
            pygame.draw.circle(column.surface, theme.TEXT_FAINT, centre, r, width=max(1, r // 3))
    column.skip(2 * r + layout.unit * 12)


def draw_prompt(
    surface: pygame.Surface,
    layout: Layout,
    fonts: Fonts,
    *,
    prompt: int,
    number: int,
    total: int,
    attempts: Sequence[Attempt],
    seconds: float,
    feedback: Attempt | None,
) -> None:
    """The panel during the round: which digit to draw, how the round goes, and the last judgement."""
    inner = layout.inner
    col = Column(surface, fonts, layout)
    col.line(f"PRACTICE · {number} OF {total}", inner.small_px, theme.TEXT_FAINT)
    draw_progress(col, layout, attempts, total)
    col.line("draw the digit", inner.text_px, theme.TEXT_MUTED)
    col.skip(inner.text_px)
    colour = theme.TEXT if feedback is None else (RIGHT if feedback.is_correct else WRONG)
    height = min(inner.digit.height * 1.4, layout.panel.bottom - col.y - 6 * inner.text_px)
    col.glyph(str(prompt), height, colour, centred=True)
    col.skip(inner.text_px)
    if feedback is None:
        col.line("lift the pen and wait a moment, or press Enter", inner.small_px, theme.TEXT_FAINT)
    elif feedback.is_correct:
        col.line(f"right: read as {feedback.read}", inner.text_px, RIGHT)
    else:
        col.line(f"read as {'nothing' if feedback.read is None else feedback.read}", inner.text_px, WRONG)
    col.line(f"{seconds:.1f} s", inner.small_px, theme.TEXT_MUTED)


def draw_summary(
    surface: pygame.Surface,
    layout: Layout,
    fonts: Fonts,
    *,
    score: int,
    total: int,
    seconds: float,
    best: Best | None,
    is_new_best: bool,
    taught: bool,
) -> None:
    """The panel when the round is over: the score, the time, the personal best and what to do next."""
    inner = layout.inner
    col = Column(surface, fonts, layout)
    col.line("ROUND OVER", inner.small_px, theme.TEXT_FAINT)
    col.skip(inner.text_px * 0.4)
    height = min(inner.digit.height, layout.panel.height * 0.22)
    col.glyph(f"{score}/{total}", height, RIGHT if score == total else theme.ACCENT)
    col.skip(inner.text_px * 0.8)
    col.line(f"read right at the first try, in {seconds:.1f} s", inner.small_px, theme.TEXT)
    if is_new_best:
        col.line("a new personal best!", inner.text_px, RIGHT)
    elif best is not None:
        col.line(f"personal best: {best.score}/{total} in {best.seconds:.1f} s", inner.small_px, theme.TEXT_MUTED)
    col.skip(inner.text_px * 0.8)
    if taught:
        col.line("taught: it will read your style better now", inner.small_px, RIGHT)
    else:
        col.line("T  teach it these drawings (misread first)", inner.small_px, theme.ACCENT)
    col.line("P  play again", inner.small_px, theme.ACCENT)
    col.line("Esc  back to drawing", inner.small_px, theme.ACCENT)


def draw_attempts(surface: pygame.Surface, layout: Layout, fonts: Fonts, attempts: Sequence[Attempt]) -> None:
    """The round's drawings in a grid over the drawing area, misread first, each with what was asked and read."""
    surface.fill(theme.PAPER, layout.canvas)
    area = layout.canvas.inflate(-round(16 * layout.unit), -round(16 * layout.unit))
    columns = 5
    rows = max(1, -(-len(attempts) // columns))
    cell_w, cell_h = area.width // columns, area.height // rows
    size = max(MIN_FONT_PX, min(layout.small_px, cell_h // 6))
    order = [a for a in attempts if not a.is_correct] + [a for a in attempts if a.is_correct]
    for i, attempt in enumerate(order):
        cell = pygame.Rect(area.left + (i % columns) * cell_w, area.top + (i // columns) * cell_h, cell_w, cell_h)
        colour = RIGHT if attempt.is_correct else WRONG
        pygame.draw.rect(surface, theme.mix(theme.PAPER, colour, 0.35), cell.inflate(-6, -6), width=1, border_radius=6)
        label = f"{attempt.prompt}" if attempt.is_correct else f"{attempt.prompt} → {attempt.read or '–'}"
        text = fonts.render(label, size, colour)
        surface.blit(text, text.get_rect(midbottom=(cell.centerx, cell.bottom - 8)))
        ink_box = cell.inflate(-cell_w // 4, -cell_h // 4).move(0, -size // 2)
        draw_strokes(surface, ink_box, attempt.strokes, max(2, round(ink_box.height / 22)))


def draw_strokes(surface: pygame.Surface, box: pygame.Rect, strokes: Strokes, width: int) -> None:
    """``strokes`` scaled to fit ``box`` (keeping their shape), as ink."""
    points = [p for s in strokes for p in s]
    if not points:
        return
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    extent = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    scale = min(box.width, box.height) / extent
    ox = box.centerx - (max(xs) + min(xs)) / 2 * scale
    oy = box.centery - (max(ys) + min(ys)) / 2 * scale
    for stroke in strokes:
        pts = [(ox + x * scale, oy + y * scale) for x, y in stroke]
        if len(pts) > 1:
            pygame.draw.lines(surface, theme.INK, False, pts, width)
        for p in pts[:: max(1, len(pts) - 1)]:
            pygame.draw.circle(surface, theme.INK, p, width / 2)
