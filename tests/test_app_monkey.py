"""A seeded monkey: 100,000 random events (mouse, finger, every shortcut, resizes, quits) into the app."""

from __future__ import annotations

import gc
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # headless, before pygame starts
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import random
import tracemalloc
from pathlib import Path

import pygame
import pytest
from driver import Driver

from digitgame.app import Settings
from digitgame.ui.scenes.draw import DRAW_BINDINGS
from digitgame.ui.shell import SHELL_BINDINGS

EVENTS = 100_000
SEED = 20261127
MAX_EVENTS_PER_FRAME = 60
MEMORY_SLACK_BYTES = 1_500_000  # second-half growth allowed: 30 bytes per event


def live_memory() -> int:
    """Bytes traced that are still reachable: garbage collected first.  Without it the figure
    depends on when Python last ran a full collection, which comes rarer the more long-lived
    objects earlier tests in the same process left (the apps closed at each restart hold cycles)."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


OTHER_KEYS = (pygame.K_a, pygame.K_x, pygame.K_TAB, pygame.K_DELETE, pygame.K_UP, pygame.K_F5)


def random_event(rng: random.Random, size: tuple[int, int]) -> pygame.event.Event:
    """One plausible-or-hostile event; pointer positions may fall outside the window."""
    w, h = size
    roll = rng.random()
    pos = (rng.randint(-40, w + 40), rng.randint(-40, h + 40))
    touch = rng.random() < 0.1
    if roll < 0.55:
        buttons = (rng.random() < 0.7, False, rng.random() < 0.1)
        return pygame.event.Event(pygame.MOUSEMOTION, pos=pos, rel=(0, 0), buttons=buttons, touch=touch)
    if roll < 0.70:
        kind = pygame.MOUSEBUTTONDOWN if rng.random() < 0.5 else pygame.MOUSEBUTTONUP
        return pygame.event.Event(kind, pos=pos, button=rng.choice((1, 1, 1, 2, 3, 4)), touch=touch)
    if roll < 0.90:
        kind = rng.choice((pygame.FINGERDOWN, pygame.FINGERMOTION, pygame.FINGERMOTION, pygame.FINGERUP))
        x, y = rng.uniform(-0.1, 1.1), rng.uniform(-0.1, 1.1)
        return pygame.event.Event(kind, x=x, y=y, dx=0.0, dy=0.0, finger_id=rng.randint(0, 2), touch_id=1)
    if roll < 0.97:
        binding = rng.choice((*DRAW_BINDINGS, *SHELL_BINDINGS))
        chord = rng.choice(binding.chords)
        key = chord.key if rng.random() < 0.8 else rng.choice(OTHER_KEYS)
        mod = rng.choice((0, 0, pygame.KMOD_LSHIFT, pygame.KMOD_LALT)) | (pygame.KMOD_LCTRL if chord.ctrl else 0)
        return pygame.event.Event(pygame.KEYDOWN, key=key, mod=mod, unicode="", scancode=0)
    if roll < 0.985:
        new = (rng.randint(200, 1700), rng.randint(150, 1100))
        return pygame.event.Event(pygame.VIDEORESIZE, size=new, w=new[0], h=new[1])
    if roll < 0.995:
        return pygame.event.Event(rng.choice((pygame.WINDOWFOCUSLOST, pygame.WINDOWLEAVE)))
    return pygame.event.Event(pygame.QUIT)


def check_invariants(app: Driver) -> None:
    assert app.layout.size == app.screen.get_size()
    d = app.drawing
    assert all(0 <= x <= d.width and 0 <= y <= d.height for s in d.strokes for x, y in s)
    assert app.shown is None or app.shown.revision <= app.revision


@pytest.mark.slow
def test_monkey_events_never_crash_and_memory_stays_flat(tmp_path: Path, predictor) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(SEED)
    settings = Settings(is_fullscreen=False, window_size=(1024, 700), save_dir=tmp_path / "saves")
    app = Driver(settings, predictor)
    restarts = sent = 0
    tracemalloc.start()
    try:
        halfway = None
        while sent < EVENTS:
            batch = [random_event(rng, app.screen.get_size()) for _ in range(rng.randint(1, MAX_EVENTS_PER_FRAME))]
            sent += len(batch)
            app.step(batch)
            check_invariants(app)
            if not app.running:  # Esc or a close request: start again, as a person would
                app.close()
                app = Driver(settings, predictor)
                restarts += 1
            if halfway is None and sent >= EVENTS // 2:
                halfway = tracemalloc.get_traced_memory()[0]
        end = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
        app.close()
    print(f"monkey: {sent} events, {restarts} restarts, traced memory {halfway / 1e6:.1f} MB -> {end / 1e6:.1f} MB")
    assert restarts > 0  # the quits really happened
    # Bounded state (undo history, caches) fills up in the first half; the second half must not keep growing.
    assert halfway is not None and end - halfway < max(MEMORY_SLACK_BYTES, 0.1 * halfway), (halfway, end)
