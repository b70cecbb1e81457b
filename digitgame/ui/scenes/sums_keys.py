"""The sums game's keys and buttons in each of its phases, and the seed that fixes a round for tests."""

from __future__ import annotations

import os

import pygame

from digitgame.live.sums import LEVELS
from digitgame.ui.actions import (
    CLEAR_KEYS,
    DIGIT_KEYS,
    DIGITS,
    ENTER_KEYS,
    ESCAPE_KEYS,
    SUMS_KEYS,
    UNDO_KEYS,
    Action,
    Binding,
    Chord,
    Keys,
)
from digitgame.ui.scenes.sketching import HELP_BINDING

SEED_VARIABLE = "DIGITGAME_SUMS_SEED"  # a fixed round, for tests and benchmarks
LEAVE = Binding(Action.LEAVE, ESCAPE_KEYS, label="Back", help="back to drawing", hint="Esc")
LEVEL_KEYS = Keys(f"1 – {len(LEVELS)}", tuple(Chord(k) for k, d in DIGIT_KEYS.items() if 1 <= d <= len(LEVELS)))
CHOOSE_BINDINGS = (
    Binding(Action.PICK_LEVEL, LEVEL_KEYS, help="choose a level (or click it)"),
    HELP_BINDING,
    LEAVE,
)
ROUND_BINDINGS = (
    Binding(Action.DONE, ENTER_KEYS, label="Done", help="judge the answer now; after a verdict, go on", hint="Enter"),
    Binding(Action.CLEAR, CLEAR_KEYS, label="Clear", help="write the answer again", hint="C"),
    Binding(Action.UNDO, UNDO_KEYS, label="Undo", help="undo the last stroke", hint="Ctrl+Z"),
    Binding(Action.TEACH, DIGITS, help="after a verdict: the selected digit is this one (or click its bar)"),
    HELP_BINDING,
    LEAVE,
)
OVER_BINDINGS = (
    Binding(
        Action.SUMS,
        Keys(f"Enter / {SUMS_KEYS.text}", ENTER_KEYS.chords + SUMS_KEYS.chords),
        label="Again",
        help="play another round at this level",
        hint="Enter",
    ),
    Binding(Action.LEVELS, Keys.of("L", Chord(pygame.K_l)), label="Levels", help="choose another level", hint="L"),
    HELP_BINDING,
    LEAVE,
)
BINDINGS = {"choose": CHOOSE_BINDINGS, "round": ROUND_BINDINGS, "over": OVER_BINDINGS}


def seed_from_environment() -> int | None:
    """The round's seed from DIGITGAME_SUMS_SEED (None: unset or not a whole number, so a new round each time)."""
    text = os.environ.get(SEED_VARIABLE, "").strip()
    return int(text) if text.lstrip("-").isdigit() else None
