"""The scene protocol: one mode of the app (drawing, a practice round, help), with its own bindings.

The shell keeps a stack of scenes.  Events go to the top one; every scene updates each frame;
drawing starts at the topmost opaque scene, so an overlay is drawn over what lies beneath it.
A scene asks the shell for anything beyond itself through the ``Stage`` it is given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

import pygame

from digitgame.ui.actions import Binding
from digitgame.ui.layout import Layout
from digitgame.ui.pointer import PointerEvent
from digitgame.ui.theme import Fonts

log = logging.getLogger("digitgame.app")


@dataclass(frozen=True)
class KeyPress:
    """A key went down (``mod``: pygame's modifier bits)."""

    key: int
    mod: int = 0


@dataclass(frozen=True)
class FocusLost:
    """The window lost the keyboard and pointer: drags in progress end."""


SceneEvent = KeyPress | PointerEvent | FocusLost


class Stage(Protocol):
    """What a scene may ask of the shell."""

    fonts: Fonts

    @property
    def top(self) -> Scene | None:
        """The scene that gets the events."""
        ...

    def push(self, scene: Scene) -> None:
        """Put ``scene`` on top; it gets the events from now on."""
        ...

    def remove(self, scene: Scene) -> None:
        """Take ``scene`` off the stack (it is closed)."""
        ...

    def quit(self) -> None: ...

    def notify(self, text: str, *, is_error: bool = False) -> None:
        """Show ``text`` for a few seconds over the drawing area."""
        ...

    def withdraw(self, text: str) -> None:
        """Take ``text`` out of the message on screen, once it no longer holds (the rest stays)."""
        ...

    def bindings_below(self, scene: Scene) -> tuple[Binding, ...]:
        """The bindings of the scene under ``scene`` and of the shell (what help lists)."""
        ...


class Scene:
    """A mode of the app; subclasses override what they need."""

    bindings: tuple[Binding, ...] = ()
    is_opaque = True  # False: the scenes beneath show through

    def place(self, layout: Layout) -> None:
        """The window's layout, when the scene is pushed and whenever the window changes size."""

    def handle(self, event: SceneEvent) -> None:
        """One input event (only the top scene gets them)."""

    def update(self, now: float, dt: float) -> None:
        """Advance by ``dt`` seconds; ``now`` is ``time.perf_counter()``."""

    def draw(self, surface: pygame.Surface, layout: Layout) -> None:
        """Draw onto ``surface`` inside ``layout``."""

    def is_idle(self) -> bool:
        """True when the next frame would look like this one unless input arrives."""
        return True

    def is_settled(self) -> bool:
        """True when what is shown is final for now (a screenshot waits for this)."""
        return True

    def settle(self) -> None:
        """End animations at once (just before a screenshot)."""

    def cursor(self, pos: tuple[int, int]) -> int:
        """The system cursor to show at ``pos``."""
        return pygame.SYSTEM_CURSOR_ARROW

    def close(self) -> None:
        """The scene leaves the stack or the app quits."""
