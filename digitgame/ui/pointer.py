"""Mouse, touch and pen become one kind of event: a pointer going down, moving, going up or leaving.

SDL reports a touch twice -- as FINGER events and as a copy in mouse events marked ``touch`` --
so the copies are dropped.  A mouse button released outside the window is never reported; the
next motion without that button held stands in for the release.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from enum import Enum

import pygame

MOUSE = "mouse"
DRAW_BUTTON = 1  # the left mouse button, a pen tip or a finger
ERASE_BUTTON = 3  # the right mouse button erases
_MOUSE_KINDS = (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP, pygame.MOUSEMOTION)
_FINGER_PHASES = {pygame.FINGERDOWN: "down", pygame.FINGERMOTION: "move", pygame.FINGERUP: "up"}


class Phase(Enum):
    DOWN = "down"
    MOVE = "move"
    UP = "up"
    LEAVE = "leave"  # the pointer left the window (hover ends)


@dataclass(frozen=True)
class PointerEvent:
    """One pointer event in window pixels; ``source`` tells the mouse from each finger."""

    phase: Phase
    source: Hashable
    pos: tuple[int, int]
    button: int = DRAW_BUTTON
    is_hover: bool = False  # a mouse moving with no button held


class PointerTracker:
    """Turns pygame's mouse and finger events into PointerEvents."""

    def __init__(self) -> None:
        self._held = 0  # the mouse button whose release we wait for (0: none)

    def translate(self, event: pygame.event.Event, window_size: tuple[int, int]) -> list[PointerEvent]:
        """The pointer events in ``event`` (none for other kinds of event)."""
        kind = event.type
        if kind in _MOUSE_KINDS:
            return [] if getattr(event, "touch", False) else self._mouse(event)
        if kind in _FINGER_PHASES:
            w, h = window_size
            pos = _int_pos((event.x * w, event.y * h))
            return [PointerEvent(Phase(_FINGER_PHASES[kind]), ("finger", getattr(event, "finger_id", 0)), pos)]
        if kind == pygame.WINDOWLEAVE:
            return [PointerEvent(Phase.LEAVE, MOUSE, (-1, -1))]
        return []

    def forget(self) -> None:
        """Stop waiting for a release (the scene cancelled the gesture, or focus was lost)."""
        self._held = 0

    def _mouse(self, event: pygame.event.Event) -> list[PointerEvent]:
        pos = _int_pos(getattr(event, "pos", (0, 0)))
        if event.type == pygame.MOUSEBUTTONDOWN:
            if event.button not in (DRAW_BUTTON, ERASE_BUTTON) or self._held:
                return []
            self._held = event.button
            return [PointerEvent(Phase.DOWN, MOUSE, pos, event.button)]
        if event.type == pygame.MOUSEBUTTONUP:
            if event.button != self._held:
                return []
            self._held = 0
            return [PointerEvent(Phase.UP, MOUSE, pos, event.button)]
        buttons = getattr(event, "buttons", (0, 0, 0))
        held = self._held
        if held and len(buttons) >= held and not buttons[held - 1]:
            self._held = 0  # the release happened where we could not see it
            return [PointerEvent(Phase.UP, MOUSE, pos, held)]
        return [PointerEvent(Phase.MOVE, MOUSE, pos, held or DRAW_BUTTON, is_hover=not held)]


def _int_pos(pos: tuple[float, float]) -> tuple[int, int]:
    return int(pos[0]), int(pos[1])
