"""The sums game's rules, without pygame: ten fair sums per round, judged, scored, the best kept per level.

Levels (``LEVELS``): addition within 10 (``add10``: a + b ≤ 10), addition within 20 that bridges ten
(``add20``: 11 ≤ a + b ≤ 20, the sums within 10 being add10's), subtraction within 20 (``sub20``:
1 ≤ b ≤ a ≤ 20, so 0 to 19), the times tables 2 to 10 (``times``: a in 2..10, b in 1..10, up to 100)
and ``mixed`` (each sum from one of the four, chosen at random).  Every operand is at least 1.

A round is fair: no result is negative, every answer has one to three digits, no sum is asked twice
as a new sum (3 + 4 and 4 + 3 count as the same sum), and the same level and seed give the same round.

Judging a reading gives one of three outcomes (``Outcome``):

- RIGHT: every digit was read confidently and the number is the answer;
- WRONG: every digit was read confidently and the number is another one;
- AGAIN ("write it again"): nothing, "not a digit" or an unsure digit was read.  This is never marked
  wrong, the sum stays, its clock keeps running, and the reading is kept (``SumsRound.last``) so that
  the scene can show why.

A sum answered wrong the first time comes back once, ``COMES_BACK_AFTER`` sums later (or at the end).
**The score is the number of sums right at their first answer, out of ten**: a sum that comes back
can still be practised, and its answer is kept and counts for the streak, but not for the score, so
that a round always scores out of ten and a wrong answer costs the same however the re-ask goes.

A correction (the player teaches the digit it should have been read as) changes the kept reading of an
answer; when the corrected number is the answer, the answer is right (and scores, when it was the first
answer), and the sum's pending re-ask is withdrawn.

The streak is the number of consecutive right answers up to now (AGAIN does not break it).  The time
runs from the first sum to the last answer.  The best score per level (for equal scores, the shortest
time) is kept in ``sums.json`` in the profile's folder, with practice's atomic, set-aside-when-broken
helpers.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from digitgame.live.practice import Best, load_kept, parse_best, save_kept
from digitgame.recognition.reading import Reading

ROUND_LENGTH = 10  # new sums per round, and the score's "out of"
COMES_BACK_AFTER = 3  # a wrong sum is asked again this many sums later (or last)
LEVELS = ("add10", "add20", "sub20", "times", "mixed")
BESTS_FILE = "sums.json"
BESTS_FORMAT = "digitgame-sums"
PLUS, MINUS, TIMES = "+", "-", "×"


@dataclass(frozen=True)
class Sum:
    """One sum: ``a op b``, and the level whose range it was drawn from."""

    a: int
    op: str  # PLUS, MINUS or TIMES
    b: int
    level: str  # never "mixed": the level a mixed round drew it from

    @property
    def answer(self) -> int:
        return self.a + self.b if self.op == PLUS else self.a - self.b if self.op == MINUS else self.a * self.b

    @property
    def text(self) -> str:
        """As shown and logged: '7+5', '12-4', '6×7'."""
        return f"{self.a}{self.op}{self.b}"

    @property
    def key(self) -> tuple[str, int, int]:
        """The same for the same sum (order does not matter for + and ×)."""
        if self.op == MINUS:
            return (self.op, self.a, self.b)
        return (self.op, min(self.a, self.b), max(self.a, self.b))


def candidates(level: str) -> tuple[Sum, ...]:
    """Every sum ``level`` may ask, in a fixed order (``mixed``: every sum of the other four)."""
    if level == "mixed":
        return tuple(s for name in LEVELS[:-1] for s in candidates(name))
    pairs = {
        "add10": [(a, PLUS, b) for a in range(1, 10) for b in range(1, 11 - a)],
        "add20": [(a, PLUS, b) for a in range(1, 20) for b in range(1, 21 - a) if a + b >= 11],
        "sub20": [(a, MINUS, b) for a in range(1, 21) for b in range(1, a + 1)],
        "times": [(a, TIMES, b) for a in range(2, 11) for b in range(1, 11)],
    }.get(level)
    if pairs is None:
        raise ValueError(f"no such level: {level!r} (one of {', '.join(LEVELS)})")
    return tuple(Sum(a, op, b, level) for a, op, b in pairs)


def make_sums(level: str, seed: int | str | None = None, count: int = ROUND_LENGTH) -> tuple[Sum, ...]:
    """``count`` different sums of ``level``; the same level and seed give the same sums (None: any)."""
    rng = random.Random(seed)
    pools = {name: list(candidates(name)) for name in (LEVELS[:-1] if level == "mixed" else (level,))}
    chosen: list[Sum] = []
    seen: set[tuple[str, int, int]] = set()
    while len(chosen) < count:
        pool = pools[rng.choice(sorted(pools))]
        fresh = [s for s in pool if s.key not in seen]
        if not fresh:
            raise ValueError(f"{level} has fewer than {count} different sums")
        pick = rng.choice(fresh)
        chosen.append(pick)
        seen.add(pick.key)
    return tuple(chosen)


class Outcome(Enum):
    RIGHT = "right"
    WRONG = "wrong"
    AGAIN = "write it again"  # nothing, not a digit, or not sure: never marked wrong


@dataclass(frozen=True)
class Answer:
    """One judged reading of a sum: what was read, what became of it, and how long it took."""

    sum: Sum
    reading: Reading
    read: str | None  # the digits read ("12"), None when there were none or a part was no digit
    outcome: Outcome
    ms: float  # from the sum appearing to this judgement
    is_first: bool  # the sum's first counted answer (False: its re-ask); AGAIN is never counted
    corrected: bool = False  # ``read`` comes from the player's correction, not the recogniser

    @property
    def is_right(self) -> bool:
        return self.outcome is Outcome.RIGHT


def outcome_of(reading: Reading, answer: int) -> tuple[Outcome, str | None]:
    """RIGHT, WRONG or AGAIN for ``reading`` of a sum whose answer is ``answer``, and the digits read."""
    read = reading.number
    if read is None or not reading.is_confident:
        return Outcome.AGAIN, read
    return (Outcome.RIGHT if read == str(answer) else Outcome.WRONG), read


class SumsRound:
    """One round: ``judge`` each reading of the sum asked now; wrong sums come back once."""

    def __init__(
        self, level: str, seed: int | str | None = None, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.level = level
        self.queue: list[tuple[Sum, bool]] = [(s, True) for s in make_sums(level, seed)]  # (sum, is first ask)
        self.answers: list[Answer] = []  # counted answers (RIGHT and WRONG), in order
        self.last: Answer | None = None  # the latest judgement, AGAIN included (for the scene to show)
        self._asked = 0  # how many of ``queue`` have been answered
        self._clock = clock
        self.started = self.sum_shown = clock()

    @property
    def current(self) -> Sum | None:
        """The sum asked now (None when the round is over)."""
        return self.queue[self._asked][0] if not self.is_over else None

    @property
    def number(self) -> int:
        """Which sum this is, counting from 1 (re-asks included)."""
        return min(self._asked + 1, len(self.queue))

    @property
    def is_over(self) -> bool:
        return self._asked >= len(self.queue)

    def judge(self, reading: Reading) -> Answer:
        """Judge ``reading`` as the answer to the current sum; RIGHT or WRONG moves on to the next sum."""
        if self.is_over:
            raise RuntimeError("the round is over")
        asked, is_first = self.queue[self._asked]
        now = self._clock()
        outcome, read = outcome_of(reading, asked.answer)
        answer = Answer(asked, reading, read, outcome, (now - self.sum_shown) * 1000, is_first)
        self.last = answer
        if outcome is Outcome.AGAIN:
            return answer
        self.answers.append(answer)
        self._asked += 1
        self.sum_shown = now
        if outcome is Outcome.WRONG and is_first:
            self.queue.insert(min(self._asked + COMES_BACK_AFTER, len(self.queue)), (asked, False))
        return answer

    def state(self) -> tuple[Any, ...]:
        """Everything a correction changes, for ``restore`` (answers are frozen: a shallow copy keeps them)."""
        return (list(self.queue), list(self.answers), self.last, self._asked, self.sum_shown)

    def restore(self, state: tuple[Any, ...]) -> None:
        """Back to a ``state()`` taken earlier (a correction taken back)."""
        queue, answers, self.last, self._asked, self.sum_shown = state
        self.queue, self.answers = list(queue), list(answers)

    def show_next(self) -> None:
        """The next sum appears now: its time starts (a verdict on screen is not the player's time)."""
        self.sum_shown = self._clock()

    def correct(self, digit: int, position: int = 0, which: int = -1) -> Answer:
        """The player says digit ``position`` (from 0, left to right) of counted answer ``which`` (default: the
        latest) is ``digit``; returns the answer as corrected.  A first answer made right scores, and its
        sum's re-ask, when still to come, is withdrawn; a first answer made wrong comes back, as if judged so."""
        old = self.answers[which]
        if old.read is None or not 0 <= position < len(old.read) or not 0 <= digit <= 9:
            raise ValueError(f"cannot correct digit {position} of {old.read!r} to {digit}")
        read = old.read[:position] + str(digit) + old.read[position + 1 :]
        outcome = Outcome.RIGHT if read == str(old.sum.answer) else Outcome.WRONG
        new = replace(old, read=read, outcome=outcome, corrected=True)
        self.answers[which] = new
        if self.last is old:
            self.last = new
        if new.is_right and old.is_first:
            self._withdraw_reask(old.sum)
        elif old.is_right and old.is_first and not new.is_right:
            self.queue.insert(min(self._asked + COMES_BACK_AFTER, len(self.queue)), (old.sum, False))
        return new

    def _withdraw_reask(self, asked: Sum) -> None:
        for i in range(self._asked, len(self.queue)):
            if self.queue[i] == (asked, False):
                del self.queue[i]
                return

    @property
    def score(self) -> int:
        """Sums right at their first answer (out of ROUND_LENGTH)."""
        return sum(a.is_right and a.is_first for a in self.answers)

    @property
    def streak(self) -> int:
        """Right answers in a row, up to the latest."""
        run = 0
        for a in reversed(self.answers):
            if not a.is_right:
                break
            run += 1
        return run

    @property
    def best_streak(self) -> int:
        run = top = 0
        for a in self.answers:
            run = run + 1 if a.is_right else 0
            top = max(top, run)
        return top

    @property
    def seconds(self) -> float:
        """From the first sum to the latest counted answer (so far)."""
        end = self.sum_shown if self.answers else self._clock()
        return end - self.started

    def prompt_line(self) -> str:
        """The log line for the sum asked now."""
        asked = self.current
        if asked is None:
            raise RuntimeError("the round is over")
        return prompt_line(asked, self.level, self.number, len(self.queue))

    def done_line(self, best: Best | None) -> str:
        """The log line for the finished round; ``best``: the level's best, this round included."""
        return done_line(self.level, self.score, self.seconds, best.score if best is not None else self.score)


# --- log lines (logfmt, as the app's other lines) ---------------------------------------------------------
def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def prompt_line(asked: Sum, level: str, number: int, of: int = ROUND_LENGTH) -> str:
    """'sums prompt="7+5" answer=12 level=add20 round=3 of=10'"""
    return f"sums prompt={_quoted(asked.text)} answer={asked.answer} level={level} round={number} of={of}"


def result_line(answer: Answer, event: str = "result") -> str:
    """'sums result prompt="7+5" read=12 correct=1 ms=840' (read=none when no digits; correct=? for AGAIN).

    ``event`` names what happened to the answer: "result" (judged), "correction" (as the player
    corrected it, or as it was again when the correction was taken back), "taken-back" (a verdict
    that came too soon: the writer went on)."""
    correct = "?" if answer.outcome is Outcome.AGAIN else str(int(answer.is_right))
    read = answer.read if answer.read is not None else "none"
    return f"sums {event} prompt={_quoted(answer.sum.text)} read={read} correct={correct} ms={int(answer.ms)}"


def done_line(level: str, score: int, seconds: float, best: int) -> str:
    """'sums done level=add20 score=8 of=10 seconds=41.2 best=9'"""
    return f"sums done level={level} score={score} of={ROUND_LENGTH} seconds={seconds:.1f} best={best}"


# --- the best per level, kept in the profile's folder -----------------------------------------------------
def _parse_bests(data: Mapping[str, Any]) -> dict[str, Best]:
    kept = data["best"]
    if not isinstance(kept, dict):
        raise ValueError("the bests are not a table")
    unknown = sorted(set(kept) - set(LEVELS))
    if unknown:  # a newer version's level: refuse rather than drop it at the next save
        raise ValueError(f"unknown level {unknown[0]!r}")
    return {level: parse_best(b["score"], b["seconds"], ROUND_LENGTH) for level, b in kept.items()}


def load_bests(folder: Path | None) -> tuple[dict[str, Best], str]:
    """The best per level kept in ``folder`` (empty: no folder or file yet), and a message when the file was
    broken and set aside (renamed beside it, never deleted)."""
    path = (folder / BESTS_FILE) if folder is not None else None
    bests, message = load_kept(path, BESTS_FORMAT, _parse_bests)
    return bests or {}, message


def save_bests(folder: Path, bests: Mapping[str, Best]) -> Path:
    """Keep every level's best atomically in ``folder`` (a kill mid-write leaves the previous file whole)."""
    table = {level: {"score": b.score, "seconds": round(b.seconds, 2)} for level, b in sorted(bests.items())}
    return save_kept(folder / BESTS_FILE, BESTS_FORMAT, {"best": table})


def record_best(bests: dict[str, Best], level: str, score: int, seconds: float) -> bool:
    """Put a finished round into ``bests``; True when it is the level's new best (then save ``bests``)."""
    old = bests.get(level)
    if old is not None and not old.beaten_by(score, seconds):
        return False
    bests[level] = Best(score, seconds)
    return True


def keep_best(bests: dict[str, Best], folder: Path | None, level: str, score: int, seconds: float) -> tuple[bool, str]:
    """Record a finished round in ``bests`` and, when it is the level's new best, keep them all in ``folder``
    (None: nothing is kept, and nothing is a new best).  Whether it is a new best, and what to tell when it
    could not be kept (the file on disk is then the previous one, whole)."""
    if folder is None or not record_best(bests, level, score, seconds):
        return False, ""
    try:
        save_bests(folder, bests)
    except OSError as exc:
        return True, f"Could not keep the best score: {exc.strerror or exc}"
    return True, ""
