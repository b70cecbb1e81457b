"""What the sums game looks like: the sum's card over the writing area, the level choice, and the round's end.

During a round the drawing area is split: the top holds a card with the sum ("7 + 5 = ?"), its
progress dots and the verdict; the player writes below it.  The results panel beside it is the
drawing mode's own (the answer's digits as tiles, the bars that a click corrects).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pygame

from digitgame.live.practice import Best
from digitgame.live.sums import LEVELS, MINUS, ROUND_LENGTH, Answer, Outcome, Sum
from digitgame.live.sums_play import RoundPlay
from digitgame.live.verdict import nothing_reason
from digitgame.recognition.reading import Reading
from digitgame.ui import theme
from digitgame.ui.layout import MIN_FONT_PX, Layout
from digitgame.ui.practice_view import Column
from digitgame.ui.theme import Colour, Fonts

RIGHT: Colour = theme.LIVE
WRONG: Colour = theme.ERROR
AGAIN: Colour = theme.UNSURE
CARD_SHARE = 0.3  # of the drawing area's height: the sum's card; the rest is for writing
LEVEL_NAMES = {
    "add10": "Addition within 10",
    "add20": "Addition within 20",
    "sub20": "Subtraction within 20",
    "times": "Times tables 2 – 10",
    "mixed": "Mixed",
}
ORDINALS = ("first", "second", "third")


def split_canvas(layout: Layout) -> tuple[pygame.Rect, Layout]:
    """The sum's card at the top of the drawing area, and the layout whose canvas is the writing area below."""
    area = layout.canvas
    gap = max(4, round(12 * layout.unit))
    card = pygame.Rect(area.left, area.top, area.width, max(1, round(area.height * CARD_SHARE)))
    paper = pygame.Rect(area.left, card.bottom + gap, area.width, max(1, area.bottom - card.bottom - gap))
    return card, replace(layout, canvas=paper)


def shown_sum(asked: Sum) -> str:
    """'7 + 5 =', with a real minus sign."""
    op = "−" if asked.op == MINUS else asked.op
    return f"{asked.a} {op} {asked.b} ="


def why_again(reading: Reading) -> str:
    """Why an answer is to be written again, in a few words."""
    if reading.is_empty:
        return nothing_reason(reading) or "nothing was read"
    for i, d in enumerate(reading.digits):
        p = d.prediction
        which = f"the {ORDINALS[i]} digit" if len(reading.digits) > 1 and i < len(ORDINALS) else "it"
        if p.is_not_a_digit:
            return f"{which} does not look like a digit"
        if p.perhaps_not_a_digit:
            return f"{which} may not be a digit"
        if p.is_unsure_of_division:  # sure alone: another way to divide the ink reads as well
            return f"{which} may run into its neighbour: leave a gap" if which != "it" else "it may be several digits"
        if not p.is_confident:
            return f"{which} could be {p.digit} or {p.runner_up}"
    return "it was not clear"


def _card(surface: pygame.Surface, rect: pygame.Rect, layout: Layout, border: Colour = theme.CARD_BORDER) -> None:
    pygame.draw.rect(surface, theme.CARD, rect, border_radius=layout.radius)
    pygame.draw.rect(surface, border, rect, width=max(1, round(layout.unit * 1.5)), border_radius=layout.radius)


def draw_tick(surface: pygame.Surface, centre: tuple[int, int], size: float, colour: Colour) -> None:
    """A check mark (the default font has none)."""
    x, y = centre
    points = [(x - size * 0.5, y), (x - size * 0.15, y + size * 0.35), (x + size * 0.55, y - size * 0.45)]
    pygame.draw.lines(surface, colour, False, points, max(2, round(size * 0.16)))


def draw_cross(surface: pygame.Surface, centre: tuple[int, int], size: float, colour: Colour) -> None:
    """An x mark, ``size`` across."""
    x, y, h, w = centre[0], centre[1], size / 2, max(2, round(size * 0.16))
    pygame.draw.line(surface, colour, (x - h, y - h), (x + h, y + h), w)
    pygame.draw.line(surface, colour, (x - h, y + h), (x + h, y - h), w)


def draw_dots(surface: pygame.Surface, x: int, y: int, r: int, answers: Sequence[Answer], total: int) -> None:
    """A dot per sum of the round: green right, red wrong, hollow still to come (re-asks add dots)."""
    for i in range(total):
        centre = (x + r + i * 3 * r, y)
        if i < len(answers):
            pygame.draw.circle(surface, RIGHT if answers[i].is_right else WRONG, centre, r)
        else:
            pygame.draw.circle(surface, theme.TEXT_FAINT, centre, r, width=max(1, r // 3))


@dataclass(frozen=True)
class SumCard:
    """What the sum's card shows: the sum, where the round is, and the latest verdict (or a reason to rewrite)."""

    asked: Sum
    level: str
    number: int  # which sum this is, from 1
    total: int  # sums in the round so far (re-asks included)
    answers: Sequence[Answer]
    verdict: Answer | None  # the judgement on screen (None: writing)
    seconds: float
    streak: int
    again: Answer | None = None  # the latest "write it again" of this sum (the card says why until it is judged)
    may_write_on: bool = False  # the verdict may have come too soon: writing on takes it back

    @classmethod
    def of(cls, play: RoundPlay, seconds: float, now: float) -> SumCard:
        """The card for the round ``play`` plays at ``now``, ``seconds`` into it."""
        sums = play.round
        return cls(
            play.asked,
            sums.level,
            play.number,
            len(sums.queue),
            sums.answers,
            play.feedback,
            seconds,
            sums.streak,
            again=play.again,
            may_write_on=play.may_write_on(now),
        )


def draw_sum_card(surface: pygame.Surface, rect: pygame.Rect, layout: Layout, fonts: Fonts, card: SumCard) -> None:
    """The sum large on the left, the answer (or '?') after it, progress above and the verdict below."""
    verdict = card.verdict
    tone = {None: theme.CARD_BORDER, Outcome.RIGHT: RIGHT, Outcome.WRONG: WRONG, Outcome.AGAIN: AGAIN}[
        verdict.outcome if verdict is not None else None
    ]
    _card(surface, rect, layout, theme.mix(theme.CARD, tone, 0.7) if verdict is not None else tone)
    pad = round(16 * layout.unit)
    small = max(MIN_FONT_PX, layout.small_px)
    inner = rect.inflate(-2 * pad, -2 * pad)
    r = max(3, min(round(small * 0.3), inner.width // (6 * max(1, card.total))))
    dots_w = 3 * r * card.total - r
    draw_dots(surface, inner.right - dots_w, inner.top + small // 2, r, card.answers, card.total)
    label = f"{card.number} OF {card.total} · {LEVEL_NAMES[card.level].upper()}"
    room = max(1, inner.width - dots_w - pad)
    surface.blit(fonts.render(fonts.fit(label, small, room), small, theme.TEXT_FAINT), inner.topleft)
    footer = fonts.render(f"{card.seconds:.0f} s · streak {card.streak}", small, theme.TEXT_MUTED)
    surface.blit(footer, footer.get_rect(bottomright=inner.bottomright))
    line_h = fonts.font(small).get_linesize()
    sum_box = pygame.Rect(inner.left, inner.top + line_h, inner.width, max(1, inner.height - 2 * line_h))
    right = _draw_equation(surface, sum_box, fonts, card.asked, verdict, reveal=not card.may_write_on)
    words, colour = _verdict_words(verdict if verdict is not None else card.again, card.may_write_on)
    text = fonts.render(fonts.fit(words, small, max(1, inner.width - footer.get_width() - pad)), small, colour)
    surface.blit(text, text.get_rect(bottomleft=(inner.left, inner.bottom)))
    if verdict is not None and verdict.is_right:
        draw_tick(surface, (right + round(sum_box.height * 0.45), sum_box.centery), sum_box.height * 0.5, RIGHT)


def _draw_equation(
    surface: pygame.Surface, box: pygame.Rect, fonts: Fonts, asked: Sum, verdict: Answer | None, *, reveal: bool
) -> int:
    """'7 + 5 = ?' (writing), '= 12' in green (right), '= 13' struck through then '12' (wrong; the right answer's
    place kept empty unless ``reveal``: the writer may yet go on); its right edge."""
    parts: list[tuple[str, Colour | None, bool]] = [(shown_sum(asked) + " ", theme.TEXT, False)]
    if verdict is None or verdict.outcome is Outcome.AGAIN:
        parts.append(("?", AGAIN if verdict is not None else theme.TEXT_FAINT, False))
    elif verdict.is_right:
        parts.append((str(asked.answer), RIGHT, False))
    else:
        parts += [(verdict.read or "", WRONG, True), ("  " + str(asked.answer), RIGHT if reveal else None, False)]
    size = fonts.size_for_digit_height(box.height * 0.72)
    width = sum(fonts.font(size).size(text)[0] for text, _, _ in parts)
    if width > box.width * 0.85:  # long sums in a narrow window: smaller, never clipped
        size = max(MIN_FONT_PX, int(size * box.width * 0.85 / width))
    x = box.left
    for text, colour, struck in parts:
        if colour is None:  # its place, left empty
            x += fonts.font(size).size(text)[0]
            continue
        face = fonts.render(text, size, colour)
        rect = face.get_rect(midleft=(x, box.centery))
        surface.blit(face, rect)
        if struck:
            y = rect.centery + rect.height // 12
            pygame.draw.line(surface, colour, (rect.left, y), (rect.right, y), max(2, size // 14))
        x = rect.right
    return x


def _verdict_words(verdict: Answer | None, may_write_on: bool) -> tuple[str, Colour]:
    if verdict is None:
        return "write the answer below, then lift the pen", theme.TEXT_MUTED
    if verdict.outcome is Outcome.AGAIN:
        return f"write it again: {why_again(verdict.reading)}", AGAIN
    if verdict.is_right:
        return ("right (corrected)" if verdict.corrected else "right!"), RIGHT
    if may_write_on:
        return f"read {verdict.read} · not finished? keep writing", WRONG
    return f"read {verdict.read} · misread? press the digit you wrote", WRONG


# --- the level choice -------------------------------------------------------------------------------------
def level_cards(area: pygame.Rect, layout: Layout) -> list[pygame.Rect]:
    """One card per level, stacked in ``area`` under a title line."""
    title_h = round(layout.title_px * 1.4)
    gap = max(4, round(10 * layout.unit))
    h = max(1, (area.height - title_h - gap * (len(LEVELS) - 1)) // len(LEVELS))
    return [pygame.Rect(area.left, area.top + title_h + i * (h + gap), area.width, h) for i in range(len(LEVELS))]


def level_at(layout: Layout, pos: tuple[int, int]) -> int | None:
    """The index of the level card under ``pos`` (the cards fill the drawing area)."""
    return next((i for i, r in enumerate(level_cards(layout.canvas, layout)) if r.collidepoint(pos)), None)


def draw_levels(
    surface: pygame.Surface,
    area: pygame.Rect,
    layout: Layout,
    fonts: Fonts,
    bests: Mapping[str, Best],
    hovered: int | None,
) -> None:
    """'Choose a level' and a card per level: its key, its name and the best kept for it."""
    title = fonts.render("Choose a level", layout.title_px, theme.TEXT)
    surface.blit(title, (area.left, area.top))
    size = layout.text_px
    for i, (rect, level) in enumerate(zip(level_cards(area, layout), LEVELS, strict=True)):
        _card(surface, rect, layout, theme.ACCENT if i == hovered else theme.CARD_BORDER)
        pad = round(18 * layout.unit)
        key = fonts.render(str(i + 1), fonts.size_for_digit_height(min(rect.height * 0.45, size * 1.2)), theme.ACCENT)
        surface.blit(key, key.get_rect(midleft=(rect.left + pad, rect.centery)))
        name_x = rect.left + pad * 2 + key.get_width()
        best = bests.get(level)
        note = f"best {best.score}/{ROUND_LENGTH} in {best.seconds:.0f} s" if best is not None else "not played yet"
        note_face = fonts.render(note, layout.small_px, RIGHT if best is not None else theme.TEXT_FAINT)
        room = max(1, rect.right - pad - note_face.get_width() - pad - name_x)
        name = fonts.render(fonts.fit(LEVEL_NAMES[level], size, room), size, theme.TEXT)
        surface.blit(name, name.get_rect(midleft=(name_x, rect.centery)))
        surface.blit(note_face, note_face.get_rect(midright=(rect.right - pad, rect.centery)))


# --- the round's end --------------------------------------------------------------------------------------
def draw_answers(
    surface: pygame.Surface, area: pygame.Rect, layout: Layout, fonts: Fonts, answers: Sequence[Answer]
) -> None:
    """Every counted answer of the round, in order, in two columns: the sum, what was read, right or not."""
    _card(surface, area, layout)
    pad = round(18 * layout.unit)
    inner = area.inflate(-2 * pad, -2 * pad)
    title = fonts.render("YOUR ANSWERS, IN ORDER", layout.small_px, theme.TEXT_FAINT)
    surface.blit(title, inner.topleft)
    inner.height -= title.get_height() + pad // 2
    inner.top += title.get_height() + pad // 2
    per_column = max(1, -(-len(answers) // 2))
    row_h = max(1, inner.height // max(per_column, 6))
    size = max(MIN_FONT_PX, min(layout.text_px, round(row_h * 0.6)))
    col_w = inner.width // 2
    for i, answer in enumerate(answers):
        x = inner.left + (i // per_column) * col_w
        y = inner.top + (i % per_column) * row_h + row_h // 2
        asked = answer.sum
        colour = RIGHT if answer.is_right else WRONG
        text = f"{shown_sum(asked)} {answer.read if answer.is_right else asked.answer}"
        if not answer.is_right:
            text += f"   (read {answer.read})"
        if not answer.is_first:  # a re-ask: said in full when it fits
            long = f"{text}   (asked again)"
            text = long if fonts.font(size).size(long)[0] <= col_w - size * 2 else f"{text} (again)"
        face = fonts.render(
            fonts.fit(text, size, col_w - size * 2), size, colour if not answer.is_right else theme.TEXT
        )
        mark = (x + size // 2, y)
        if answer.is_right:
            draw_tick(surface, mark, size * 0.8, RIGHT)
        else:
            draw_cross(surface, mark, size * 0.6, WRONG)
        surface.blit(face, face.get_rect(midleft=(x + size * 3 // 2, y)))


@dataclass(frozen=True)
class RoundOver:
    """The panel's figures at the end of a round."""

    level: str
    score: int
    seconds: float
    best_streak: int
    best: Best | None  # the level's best, this round included (None: nothing kept)
    is_new_best: bool
    is_kept: bool  # False: no profile (no best is kept), or the new best could not be written


def draw_round_over(surface: pygame.Surface, layout: Layout, fonts: Fonts, over: RoundOver) -> None:
    """The panel when the round is over: the score, the time, the streak, the best, and what to do next."""
    inner = layout.inner
    col = Column(surface, fonts, layout)
    col.line(f"ROUND OVER · {LEVEL_NAMES[over.level].upper()}", inner.small_px, theme.TEXT_FAINT)
    col.skip(inner.text_px * 0.4)
    height = min(inner.digit.height * 0.8, layout.panel.height * 0.16)
    col.glyph(f"{over.score}/{ROUND_LENGTH}", height, RIGHT if over.score == ROUND_LENGTH else theme.ACCENT)
    col.skip(inner.text_px * 0.8)
    col.line(f"right at the first answer, in {over.seconds:.1f} s", inner.small_px, theme.TEXT)
    col.line(f"best streak: {over.best_streak} right in a row", inner.small_px, theme.TEXT)
    if over.is_new_best:
        col.line(
            "a new personal best!" if over.is_kept else "a new best, but it could not be kept", inner.text_px, RIGHT
        )
    elif over.best is not None:
        col.line(
            f"personal best: {over.best.score}/{ROUND_LENGTH} in {over.best.seconds:.1f} s",
            inner.small_px,
            theme.TEXT_MUTED,
        )
    elif not over.is_kept:
        col.line("best scores are not kept (--no-profile)", inner.small_px, theme.TEXT_MUTED)
    col.skip(inner.text_px * 0.8)
    col.line("Enter / M  play again", inner.small_px, theme.ACCENT)
    col.line("L  choose another level", inner.small_px, theme.ACCENT)
    col.line("Esc  back to drawing", inner.small_px, theme.ACCENT)


HOW_TO = (
    f"{ROUND_LENGTH} sums a round. Write each answer anywhere under the sum: it is read when you lift the pen.",
    "Judged before you were done? Keep writing at once, and that verdict is taken back.",
    "Not sure what you wrote? It asks again, and that is never marked wrong.",
    "Misread? Press the digit you wrote (or click its bar): that teaches it your hand, and the answer counts.",
    "A sum answered wrong comes back once, later in the round.",
)


def draw_how_to(surface: pygame.Surface, layout: Layout, fonts: Fonts) -> None:
    """The panel while a level is chosen: how the game goes."""
    inner = layout.inner
    col = Column(surface, fonts, layout)
    col.line("SUMS · HOW IT GOES", inner.small_px, theme.TEXT_FAINT)
    col.skip(inner.text_px * 0.4)
    for paragraph in HOW_TO:
        for line in fonts.wrap(paragraph, inner.small_px, col.width):
            col.line(line, inner.small_px, theme.TEXT)
        col.skip(inner.small_px * 0.6)
    col.line(f"1 – {len(LEVELS)}  choose a level", inner.small_px, theme.ACCENT)
    col.line("Esc  back to drawing", inner.small_px, theme.ACCENT)
