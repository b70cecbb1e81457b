"""What a person is told about the taught examples: counts, dates, the taught view's lines -- beside ``verdict``.

The app's taught view, its toasts and the ``teach`` command take these words from here, so a
count reads "1 example" everywhere.  No pygame here.
"""

from __future__ import annotations

import time

from digitgame.teaching.taught import Example

# How a person teaches in the app (draw scene: a digit key, or a click on a bar; ``live.corrections``).
HOW_TO_TEACH = "Draw a digit, then press its number key (0–9) to teach it, or click its bar."
NOTHING_TAUGHT = "Nothing taught yet."
NOT_READY = "What you taught shows here once the model has loaded."
TAUGHT_HINT = "Click a drawing to choose it; × or Delete removes it."
TAUGHT_SUBTITLE = "what you taught, by digit"


def count_of(n: int, noun: str) -> str:
    """'1 example', '2 examples', '0 drawings'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def examples_text(n: int) -> str:
    return count_of(n, "example")


def when_text(example: Example, *, seconds: bool = False) -> str:
    """When ``example`` was taught, in local time: '2026-12-05 15:04'."""
    return time.strftime("%Y-%m-%d %H:%M" + (":%S" if seconds else ""), time.localtime(example.taught_at))


def source_text(example: Example) -> str:
    """Where an example came from: a drawing (its strokes are kept) or a 28×28 image alone."""
    if example.strokes is None:
        return "28×28 image (an image file, or a digit of a number)"
    return f"drawing, {count_of(len(example.strokes), 'stroke')}"


def removed_text(example: Example, left: int) -> str:
    """The toast after a removal in the app."""
    return (
        f"Removed a taught {example.digit} (taught {when_text(example)}); "
        f"{examples_text(left)} of {example.digit} left."
    )
