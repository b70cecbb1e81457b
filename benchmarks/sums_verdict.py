"""Time from the pen coming to rest on a sums answer to the verdict on screen, in the app's own loop: p50 / p99.

    python benchmarks/sums_verdict.py --xvfb     # a real X window on Xvfb (started here if DISPLAY is unset)
    python benchmarks/sums_verdict.py            # headless (SDL dummy driver)

A scripted player plays the sums game (level ``mixed``) in the app's own loop, ``Shell.run`` with
its idle sleep and 60 Hz tick.  From a second thread it posts pen events to pygame's queue, one
point every 1/60 s, as SDL delivers a mouse's; it writes each answer in pen-proxy digits
(``frame_time.written``) under the sum's card, lifts the pen and waits; once the verdict is up it
presses Enter for the next sum.  DIGITGAME_SUMS_SEED is fixed, one seed per game round; each timing
round starts from other seeds (other sums, other handwriting), so the misreads are of different answers.

Timed: from posting an answer's last pen-up to the end of the first frame (after ``display.flip``)
that shows its verdict.  The app waits on purpose (``digitgame.live.sums_play``): REST_RIGHT_S when
the reading is the right answer, REST_S otherwise, counted from the pen-up; so also timed apart,
``after_rest``: from that rest being over to the verdict on screen, the app's own delay.  Every
WRONG_EVERY-th answer (up to ``--wrong`` per round) is written wrong on purpose (the answer plus
one) and timed apart, since it waits REST_S.  A right answer not judged right is a misread: counted (read as another number, or
"write it again") and left out of the right answers' times, since it waits REST_S too.  Each round
is a fresh app with at least ``--answers`` right answers; the figures are each round's p50 and p99
and their medians (``timing.py``).  With the default arguments it writes
``benchmarks/results/sums_verdict-<xvfb or dummy>.json``.
"""

from __future__ import annotations

import argparse
import os
import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks"), str(ROOT / "tests")]

import pygame
import record
import timing
from driver import Driver, mouse  # tests/driver.py: the app as a person uses it
from frame_time import start_xvfb, written

from digitgame.app import Settings
from digitgame.live.sums import LEVELS
from digitgame.live.sums_play import REST_RIGHT_S, REST_S
from digitgame.ui.scenes.sums_keys import SEED_VARIABLE

LEVEL = "mixed"  # every kind of sum: answers of one to three digits
SEED = 1  # the first round's DIGITGAME_SUMS_SEED and handwriting; each next game round the next seed
ROUND_SEEDS = 1000  # round r starts from seed SEED + r * ROUND_SEEDS: other sums, other handwriting
WRONG_EVERY = 6  # every 6th answer is written wrong on purpose (while --wrong allows)
POINT_S = 1 / 60  # one pen point per frame of a 60 Hz mouse
STROKE_POINTS = 30  # at most: half a second a stroke, as a person writes (pen-proxy strokes have up to ~300)
SIZE = (1600, 1000)
WAIT_S = 15.0  # for the app to reach a state (a verdict, the next sum): longer means it is stuck


@dataclass(frozen=True)
class Timed:
    """One answer written and judged."""

    is_meant_right: bool  # the player wrote the right answer
    written: str
    read: str | None  # what the app read (None: no digits)
    outcome: str  # "right", "wrong" or "write it again"
    seconds: float  # the last pen-up -> the end of the first frame showing the verdict
    after_rest: float  # the app's rest over (its last ink change + the rest it waits) -> the same frame's end

    @property
    def is_misread(self) -> bool:
        return self.outcome != ("right" if self.is_meant_right else "wrong")


class VerdictWatch:
    """Wraps the shell's ``step``: after each frame, notes when a new verdict was first on screen."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.shown: queue.Queue[tuple[Any, float, float]] = queue.Queue()  # (Answer, shown at, last ink change)
        self._last: object = None
        self._step = shell.step
        setattr(shell, "step", self.step)  # noqa: B010 -- Shell.run calls self.step: this instance's

    def step(self, events: Any = None) -> None:
        self._step(events)  # input, update (the judgement), draw, display.flip()
        scene = self.shell.top
        verdict = getattr(scene, "feedback", None)
        if verdict is not None and verdict is not self._last:
            self.shown.put((verdict, time.perf_counter(), scene.play.last_edit))
        self._last = verdict


class Player:
    """Plays the sums game from its own thread: posts events to pygame's queue, reads the scene's state."""

    def __init__(self, app: Any, watch: VerdictWatch, answers: int, wrong: int, seed: int) -> None:
        self.app, self.watch = app, watch
        self.answers, self.wrong = answers, wrong
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.timed: list[Timed] = []
        self.error: BaseException | None = None

    def run(self) -> None:
        """The thread's job: play, then quit the app (also when something went wrong)."""
        try:
            self.play()
        except BaseException as exc:
            self.error = exc
        finally:
            pygame.event.post(pygame.event.Event(pygame.QUIT))

    @property
    def scene(self) -> Any:
        return self.app.shell.top

    def play(self) -> None:
        seed = self.seed
        os.environ[SEED_VARIABLE] = str(seed)
        self.key(pygame.K_m)
        self.wait(lambda: getattr(self.scene, "phase", None) == "choose", "the level choice")
        self.key(pygame.K_0 + LEVELS.index(LEVEL) + 1)
        while not self.is_done():
            self.wait(lambda: self.scene.phase == "over" or self.is_asked(), "a sum to answer")
            if self.scene.phase == "over":  # another game round, with the next seed
                seed += 1
                os.environ[SEED_VARIABLE] = str(seed)
                self.key(pygame.K_RETURN)
                self.wait(lambda: self.scene.phase == "round", "the next game round")
            else:
                self.answer(self.scene.round.current)

    def is_done(self) -> bool:
        meant_right = sum(t.is_meant_right for t in self.timed)
        return meant_right >= self.answers and len(self.timed) - meant_right >= self.wrong

    def is_asked(self) -> bool:
        """A sum is up and the writing area is clean."""
        scene = self.scene
        return bool(scene.phase == "round" and scene.may_draw() and scene.sketchpad.drawing.is_empty)

    def answer(self, asked: Any) -> None:
        """Write the answer to ``asked`` (or a wrong one), time its verdict, then go on (Enter)."""
        wrong_so_far = sum(not t.is_meant_right for t in self.timed)
        is_right = not (len(self.timed) % WRONG_EVERY == WRONG_EVERY - 1 and wrong_so_far < self.wrong)
        text = str(asked.answer if is_right else asked.answer + 1)
        lifted = self.write(written(text, self.rng))
        try:
            verdict, shown_at, last_edit = self.watch.shown.get(timeout=WAIT_S)
        except queue.Empty:
            raise TimeoutError(f"no verdict on {asked.text} = {text} within {WAIT_S:.0f} s") from None
        rest = REST_RIGHT_S if verdict.is_right else REST_S
        outcome = verdict.outcome.value
        self.timed.append(Timed(is_right, text, verdict.read, outcome, shown_at - lifted, shown_at - last_edit - rest))
        self.key(pygame.K_RETURN)
        self.wait(lambda: self.scene.feedback is None, "the verdict to go")

    def write(self, strokes: list[list[tuple[float, float]]]) -> float:
        """Post ``strokes`` (fractions of the drawing area) one point a frame; returns when the pen was lifted."""
        kinds_points = []
        for stroke in strokes:
            points = [self.app.at(fx, fy) for fx, fy in thin(stroke, STROKE_POINTS)]
            kinds_points += [(pygame.MOUSEBUTTONDOWN, points[0])]
            kinds_points += [(pygame.MOUSEMOTION, p) for p in points[1:]]
            kinds_points += [(pygame.MOUSEBUTTONUP, points[-1])]
        due = lifted = time.perf_counter()
        for kind, pos in kinds_points:
            time.sleep(max(0.0, due - time.perf_counter()))
            lifted = time.perf_counter()
            pygame.event.post(mouse(kind, pos))
            due += POINT_S
        while not self.watch.shown.empty():  # a verdict before the last pen-up is not this answer's
            self.watch.shown.get_nowait()
        return lifted

    def key(self, key: int) -> None:
        pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=key, mod=0, unicode="", scancode=0))

    def wait(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {WAIT_S:.0f} s for {what}")
            time.sleep(0.002)


def thin(stroke: list[tuple[float, float]], most: int) -> list[tuple[float, float]]:
    """At most ``most`` of ``stroke``'s points, evenly by index, the first and last kept."""
    if len(stroke) <= most:
        return stroke
    return [stroke[int(i)] for i in np.linspace(0, len(stroke) - 1, most).round()]


def one_round(answers: int, wrong: int, seed: int) -> tuple[list[Timed], str]:
    """A fresh app, played until ``answers`` right and ``wrong`` wrong answers are judged; and the video driver."""
    app = Driver(Settings(is_fullscreen=False, window_size=SIZE, save_dir=Path("/tmp")))
    try:
        app.wait_for_model(60)
        app.wait_for_reading(120)
        driver = pygame.display.get_driver()
        player = Player(app, VerdictWatch(app.shell), answers, wrong, seed)
        thread = threading.Thread(target=player.run, name="player", daemon=True)
        thread.start()
        app.run()  # the app's own loop, until the player quits it
        thread.join(WAIT_S)
        logged = len(app.logged("sums result "))
    finally:
        app.close()
    if player.error is not None:
        raise SystemExit(f"sums_verdict: {player.error}")
    if logged != len(player.timed):  # every judgement logs one line: a verdict seen twice, or one missed
        raise SystemExit(f"sums_verdict: {len(player.timed)} verdicts seen on screen, {logged} logged")
    return player.timed, driver


def summary(timed: list[Timed]) -> dict[str, int]:
    """How many answers of each kind, and how many the app misread."""
    right = [t for t in timed if t.is_meant_right]
    wrong = [t for t in timed if not t.is_meant_right]
    return {
        "right_written": len(right),
        "right_misread": sum(t.is_misread for t in right),
        "right_read_as_other_number": sum(t.outcome == "wrong" for t in right),
        "right_to_write_again": sum(t.outcome == "write it again" for t in right),
        "wrong_written": len(wrong),
        "wrong_misread": sum(t.is_misread for t in wrong),
    }


def report(r: int, rounds: int, timed: list[Timed], driver: str) -> None:
    counts = summary(timed)
    print(f"round {r + 1} of {rounds}: driver={driver} level={LEVEL} answers={len(timed)} {counts}")
    for meant, rest in ((True, REST_RIGHT_S), (False, REST_S)):
        kept = [t for t in timed if t.is_meant_right == meant and not t.is_misread]
        if kept:
            p50, p99 = timing.percentiles_ms([t.seconds for t in kept])
            beyond = timing.percentiles_ms([t.after_rest for t in kept])
            print(
                f"  {'right' if meant else 'wrong'} answers n={len(kept)}: pen-up -> verdict p50={p50:.0f} ms "
                f"p99={p99:.0f} ms (the app waits {rest} s); after the rest p50={beyond[0]:.1f} p99={beyond[1]:.1f} ms"
            )
    for t in timed:
        if t.is_misread:
            what = "the answer" if t.is_meant_right else "a wrong answer"
            print(f"  misread: wrote {t.written} ({what}), read {t.read} ({t.outcome}) in {t.seconds * 1e3:.0f} ms")


def figures_of(played: list[list[Timed]], driver: str) -> dict[str, Any]:
    """The published figures of the rounds ``played``: times per kind of answer, and the misreads."""
    right = [[t for t in ts if t.is_meant_right and not t.is_misread] for ts in played]
    wrong = [[t for t in ts if not t.is_meant_right and not t.is_misread] for ts in played]
    counts = [summary(ts) for ts in played]
    return {
        "driver": driver,
        "size": list(SIZE),
        "level": LEVEL,
        "seeds": [SEED + r * ROUND_SEEDS for r in range(len(played))],
        "rest_right_s": REST_RIGHT_S,
        "rest_s": REST_S,
        "right": timing.over_rounds([[t.seconds for t in ts] for ts in right]),
        "wrong": timing.over_rounds([[t.seconds for t in ts] for ts in wrong]),
        "right_after_rest": timing.over_rounds([[t.after_rest for t in ts] for ts in right]),
        "wrong_after_rest": timing.over_rounds([[t.after_rest for t in ts] for ts in wrong]),
        "answers_per_round": counts,
        "answers": {key: sum(c[key] for c in counts) for key in counts[0]},
        "misread": [
            {"written": t.written, "meant_right": t.is_meant_right, "read": t.read, "outcome": t.outcome}
            for ts in played
            for t in ts
            if t.is_misread
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--xvfb", action="store_true", help="a real X window (starts Xvfb when DISPLAY is unset)")
    parser.add_argument("--answers", type=int, default=30, help="right answers per round, at least (default 30)")
    parser.add_argument("--wrong", type=int, default=5, help="wrong answers per round, on purpose (default 5)")
    parser.add_argument("--rounds", type=int, default=timing.ROUNDS, help="rounds, a fresh app each (default 3)")
    args = parser.parse_args()
    started, load = time.time(), record.load_average()
    xvfb = None
    if args.xvfb or os.environ.get("DISPLAY"):
        os.environ.pop("SDL_VIDEODRIVER", None)
        xvfb = start_xvfb(SIZE)
    else:
        os.environ["SDL_VIDEODRIVER"] = "dummy"
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    played: list[list[Timed]] = []
    try:
        for r in range(args.rounds):
            timed, driver = one_round(args.answers, args.wrong, SEED + r * ROUND_SEEDS)
            played.append(timed)
            report(r, args.rounds, timed, driver)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait()
    figures = figures_of(played, driver)
    for kind in ("right", "wrong"):
        f, a = figures[kind], figures[f"{kind}_after_rest"]
        print(
            f"median over {args.rounds} rounds, {kind} answers: pen-up -> verdict on screen p50 {f['p50_ms']:.0f} ms, "
            f"p99 {f['p99_ms']:.0f} ms; rest over -> verdict on screen p50 {a['p50_ms']:.1f} ms, p99 {a['p99_ms']:.1f} ms"
        )
    print(f"misread, all rounds: {figures['answers']}")
    variant = "xvfb" if driver == "x11" else driver
    record.publish(parser, args, "sums_verdict", figures, started, load, variant, choosers=("xvfb",))


if __name__ == "__main__":
    main()
