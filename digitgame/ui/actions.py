"""What the person can ask for: one ``Action`` per command, and the ``Binding`` that reaches it by key and button.

Each scene owns a tuple of bindings; its toolbar shows the ones with a label, and help lists them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import KW_ONLY, dataclass
from enum import Enum

import pygame


class Action(Enum):
    """A command; the key and the button for it produce the same member."""

    CLEAR = "clear"
    UNDO = "undo"
    TOGGLE_ERASER = "eraser"
    TOGGLE_GRID = "grid"
    TOGGLE_LIVE = "live"
    PREDICT = "predict"
    SAVE = "save"
    TOGGLE_HELP = "help"
    TOGGLE_FULLSCREEN = "fullscreen"
    QUIT = "quit"
    PRACTICE = "practice"  # start a practice round
    DONE = "done"  # judge this drawing now (practice)
    TEACH_ROUND = "teach-round"  # teach the round's drawings (practice)
    LEAVE = "leave"  # leave the practice round
    TEACH = "teach"  # the digit on screen is this one (a digit key, or a click on its bar)
    FORGET = "forget"  # forget everything taught
    TAUGHT = "taught"  # open the taught view: every taught drawing, by digit
    REMOVE = "remove"  # remove the chosen taught drawing (taught view)
    SUMS = "sums"  # start a round of sums (again, at the same level, from the end screen)
    PICK_LEVEL = "pick-level"  # choose the sums' level (a digit key 1-5, or a click on its card)
    LEVELS = "levels"  # back to the sums' level choice


@dataclass(frozen=True)
class Chord:
    """A key, with or without Ctrl (Cmd on macOS)."""

    key: int
    ctrl: bool = False


@dataclass(frozen=True)
class Keys:
    """The chords that reach one action, and how the help writes them."""

    text: str  # all the keys, for the help: "C / Backspace"
    chords: tuple[Chord, ...]

    @classmethod
    def of(cls, text: str, *chords: Chord) -> Keys:
        return cls(text, chords)


# Keys that more than one scene binds (each scene says what they do there).
CLEAR_KEYS = Keys.of("C / Backspace", Chord(pygame.K_c), Chord(pygame.K_BACKSPACE))
UNDO_KEYS = Keys.of("Ctrl+Z", Chord(pygame.K_z, ctrl=True))
ENTER_KEYS = Keys.of("Enter / Space", Chord(pygame.K_RETURN), Chord(pygame.K_KP_ENTER), Chord(pygame.K_SPACE))
HELP_KEYS = Keys.of("H / F1", Chord(pygame.K_h), Chord(pygame.K_F1))
ESCAPE_KEYS = Keys.of("Esc", Chord(pygame.K_ESCAPE))
PRACTICE_KEYS = Keys.of("P", Chord(pygame.K_p))
SUMS_KEYS = Keys.of("M", Chord(pygame.K_m))
# The digit keys (top row and keypad): what each one means
DIGIT_KEYS = {getattr(pygame, f"K_{d}"): d for d in range(10)} | {getattr(pygame, f"K_KP{d}"): d for d in range(10)}
DIGITS = Keys("0 – 9", tuple(Chord(k) for k in DIGIT_KEYS))


@dataclass(frozen=True)
class Binding:
    """An action with its keys, its button (empty label: no button) and its line in the help."""

    action: Action
    keys: Keys
    _: KW_ONLY
    label: str = ""  # the button's text
    help: str = ""  # the help's description
    hint: str = ""  # the key printed on the button, when it fits: "C"

    @property
    def chords(self) -> tuple[Chord, ...]:
        return self.keys.chords

    @property
    def keys_text(self) -> str:
        return self.keys.text


_CTRL_MASK = pygame.KMOD_CTRL | pygame.KMOD_META
_PLAIN_BLOCKERS = pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT


def action_for_key(bindings: Sequence[Binding], key: int, mod: int = 0) -> Action | None:
    """The action a key press asks for among ``bindings``: Ctrl chords need Ctrl (or Cmd); plain keys
    must come without Ctrl, Cmd or Alt (Shift is fine), so Ctrl+C does not clear the drawing."""
    has_ctrl = bool(mod & _CTRL_MASK)
    is_plain = not (mod & _PLAIN_BLOCKERS)
    for binding in bindings:
        for chord in binding.chords:
            if chord.key == key and (has_ctrl if chord.ctrl else is_plain):
                return binding.action
    return None


def with_buttons(bindings: Sequence[Binding]) -> tuple[Binding, ...]:
    """The bindings that have a button, in toolbar order."""
    return tuple(b for b in bindings if b.label)
