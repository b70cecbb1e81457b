"""The theme's text is readable: WCAG 2.x contrast of at least 4.5:1 wherever the app draws text."""

from __future__ import annotations

import itertools

import pytest

from digitgame.ui import theme
from digitgame.ui.toolbar import ButtonLook, button_colours

WCAG_TEXT_RATIO = 4.5  # WCAG 2.1 success criterion 1.4.3, text of normal size


def relative_luminance(colour: theme.Colour) -> float:
    """WCAG 2.x relative luminance of an sRGB colour (the formula as the standard states it)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: theme.Colour, b: theme.Colour) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_the_standards_end_points() -> None:
    assert contrast((255, 255, 255), (0, 0, 0)) == pytest.approx(21.0)
    assert contrast((118, 118, 118), (255, 255, 255)) == pytest.approx(4.54, abs=0.01)  # WCAG's lightest grey on white


@pytest.mark.parametrize(("text", "surface"), list(itertools.product(theme.TEXT_COLOURS, theme.TEXT_SURFACES)))
def test_every_text_colour_reads_on_every_surface(text: theme.Colour, surface: theme.Colour) -> None:
    assert contrast(text, surface) >= WCAG_TEXT_RATIO


LOOKS = [
    ButtonLook(is_hovered=h, is_pressed=p, is_on=o, is_primary=q)
    for h, p, o, q in itertools.product((False, True), repeat=4)
]


@pytest.mark.parametrize("look", LOOKS, ids=repr)
def test_button_labels_and_key_hints_read_in_every_state(look: ButtonLook) -> None:
    fill, _, label = button_colours(look)
    assert contrast(label, fill) >= WCAG_TEXT_RATIO
    assert contrast(theme.key_hint_colour(label, fill), fill) >= WCAG_TEXT_RATIO


def test_the_faint_text_is_still_quieter_than_the_muted() -> None:
    assert (
        contrast(theme.TEXT_FAINT, theme.CARD)
        < contrast(theme.TEXT_MUTED, theme.CARD)
        < contrast(theme.TEXT, theme.CARD)
    )
