"""What every scene with a drawing area and a toolbar shares: keys to actions, the pointer to buttons or ink.

A key and the button bound to the same action both end in ``perform``.  One pointer at a time:
while a finger draws or a button is held, a second pointer does nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

import pygame

from digitgame.files.strokefile import MAX_POINTS, MAX_STROKES
from digitgame.ui.actions import HELP_KEYS, Action, Binding, action_for_key
from digitgame.ui.layout import Layout
from digitgame.ui.pen import Edit
from digitgame.ui.pointer import DRAW_BUTTON, MOUSE, Phase, PointerEvent
from digitgame.ui.scene import FocusLost, KeyPress, Scene, SceneEvent, Stage
from digitgame.ui.sketchpad import Sketchpad
from digitgame.ui.toolbar import Toolbar

log = logging.getLogger("digitgame.app")


HELP_BINDING = Binding(Action.TOGGLE_HELP, HELP_KEYS, label="Help", help="this help", hint="H")  # every such scene's
# More would save a file that could not be opened again (the stroke file's limits, files/strokefile.py).
DRAWING_FULL = (
    f"This drawing is full ({MAX_POINTS:,} points or {MAX_STROKES:,} strokes): save it, or clear it to draw on."
)


class SketchingScene(Scene):
    """A Sketchpad and a Toolbar; subclasses give ``actions`` and may take pointer presses first."""

    sketchpad: Sketchpad
    actions: dict[Action, Callable[[], object]]
    stage: Stage

    @property
    def toolbar(self) -> Toolbar:
        raise NotImplementedError

    def place(self, layout: Layout) -> None:
        self.sketchpad.place(layout)
        self.toolbar.place(layout)

    # --- input -----------------------------------------------------------------------------------
    def handle(self, event: SceneEvent) -> None:
        if isinstance(event, KeyPress):
            self.key(event)
        elif isinstance(event, FocusLost):
            self.sketchpad.cancel()
            self.toolbar.cancel()
        else:
            if event.source == MOUSE:
                self.hover(None if event.phase is Phase.LEAVE else event.pos)
            if not self.sketchpad.is_drawing and not self.toolbar.is_pressed and self.take(event):
                return
            self.pointer(event)

    def key(self, event: KeyPress) -> None:
        action = action_for_key(self.bindings, event.key, event.mod)
        if action is not None:
            self.toolbar.flash(action, time.perf_counter())
            self.perform(action)

    def hover(self, pos: tuple[int, int] | None) -> None:
        """The mouse is at ``pos`` (None: it left the window)."""
        self.toolbar.hover(pos)
        self.sketchpad.pointer = pos

    def take(self, event: PointerEvent) -> bool:
        """A subclass's first look at a pointer event while nothing is held; True when it used it."""
        return False

    def pointer(self, event: PointerEvent) -> None:
        if event.phase is Phase.DOWN:
            self.pointer_down(event)
        elif event.phase is Phase.MOVE:
            self.toolbar.drag(event.pos, event.source)
            self.sketchpad.move(event.source, event.pos)
        elif event.phase is Phase.UP:
            action = self.toolbar.release(event.pos, event.source)
            if action is not None:
                self.perform(action)
            self.sketchpad.up(event.source, event.pos)

    def pointer_down(self, event: PointerEvent) -> None:
        if self.sketchpad.is_drawing or self.toolbar.is_pressed:
            return  # one pointer at a time: a second finger does not draw
        if self.toolbar.at(event.pos) is not None:
            if event.button == DRAW_BUTTON:
                self.toolbar.press(event.pos, event.source)
        elif self.may_draw() and self.sketchpad.contains(event.pos):
            edit = self.sketchpad.down(event.source, event.pos, event.button)
            if edit is Edit.FULL:  # the pen would draw, but the drawing is at the stroke file's limits
                self.stage.notify(DRAWING_FULL, is_error=True)

    def may_draw(self) -> bool:
        """Whether the drawing area takes ink now."""
        return True

    # --- actions ----------------------------------------------------------------------------------
    def perform(self, action: Action) -> None:
        """Do what a key or a button asked for; both come here with the same Action."""
        log.info("action name=%s", action.value)
        self.actions[action]()

    def cursor(self, pos: tuple[int, int]) -> int:
        if self.toolbar.hovered is not None:
            return pygame.SYSTEM_CURSOR_HAND
        return pygame.SYSTEM_CURSOR_CROSSHAIR if self.sketchpad.contains(pos) else pygame.SYSTEM_CURSOR_ARROW
