"""What the person can ask for: one ``Action`` per command, reached by a key and (mostly) a button."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import Enum

os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
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


@dataclass(frozen=True)
class Chord:
    """A key, with or without Ctrl (Cmd on macOS)."""

    key: int
    ctrl: bool = False


@dataclass(frozen=True)
class Binding:
    """An action with its keys, its button label (empty: no button) and its line in the help."""

    action: Action
    chords: tuple[Chord, ...]
    keys_text: str
    label: str
    help: str


BINDINGS: tuple[Binding, ...] = (
    Binding(
        Action.CLEAR, (Chord(pygame.K_c), Chord(pygame.K_BACKSPACE)), "C / Backspace", "Clear", "clear the drawing"
    ),
    Binding(Action.UNDO, (Chord(pygame.K_z, ctrl=True),), "Ctrl+Z", "Undo", "undo the last stroke, erase or clear"),
    Binding(Action.TOGGLE_ERASER, (Chord(pygame.K_e),), "E", "Eraser", "eraser on/off (or hold the right button)"),
    Binding(Action.TOGGLE_GRID, (Chord(pygame.K_g),), "G", "Grid", "grid on/off"),
    Binding(Action.TOGGLE_LIVE, (Chord(pygame.K_l),), "L", "Live", "live mode: recognise while you draw"),
    Binding(
        Action.PREDICT,
        (Chord(pygame.K_RETURN), Chord(pygame.K_KP_ENTER), Chord(pygame.K_SPACE)),
        "Enter / Space",
        "Predict",
        "recognise now",
    ),
    Binding(Action.SAVE, (Chord(pygame.K_s, ctrl=True),), "Ctrl+S", "Save", "save the drawing (.json) and a .png"),
    Binding(Action.TOGGLE_HELP, (Chord(pygame.K_h), Chord(pygame.K_F1)), "H / F1", "Help", "this help"),
    Binding(Action.TOGGLE_FULLSCREEN, (Chord(pygame.K_F11),), "F11", "", "full screen on/off"),
    Binding(Action.QUIT, (Chord(pygame.K_ESCAPE),), "Esc", "", "quit (closes this help first)"),
)

BUTTON_BINDINGS: tuple[Binding, ...] = tuple(b for b in BINDINGS if b.label)

_CTRL_MASK = pygame.KMOD_CTRL | pygame.KMOD_META
_PLAIN_BLOCKERS = pygame.KMOD_CTRL | pygame.KMOD_META | pygame.KMOD_ALT


def action_for_key(key: int, mod: int = 0) -> Action | None:
    """The action a key press asks for: Ctrl chords need Ctrl (or Cmd); plain keys must come without
    Ctrl, Cmd or Alt (Shift is fine), so Ctrl+C does not clear the drawing."""
    has_ctrl = bool(mod & _CTRL_MASK)
    is_plain = not (mod & _PLAIN_BLOCKERS)
    for binding in BINDINGS:
        for chord in binding.chords:
            if chord.key == key and (has_ctrl if chord.ctrl else is_plain):
                return binding.action
    return None
