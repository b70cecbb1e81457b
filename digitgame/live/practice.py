"""The practice round's rules, without pygame: ask for each digit once in random order, judge, score, keep the best.

A prompt is judged once, on the first finished drawing: right when it is read as the digit
asked for (a number, or nothing, is not).  The score is how many were right; the time runs from
the first prompt to the last judgement.  The best score (and, for equal scores, the best time)
is kept in ``practice.json`` in the profile's folder, written atomically.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np

from digitgame.files.atomic import set_aside, write_bytes_atomically
from digitgame.files.strokefile import Strokes
from digitgame.recognition.reading import Reading

PROMPTS = tuple(range(10))  # one of each digit per round
SCORES_FILE = "practice.json"
SCORES_FORMAT = "digitgame-practice"
T = TypeVar("T")


@dataclass(frozen=True)
class Attempt:
    """One judged prompt: what was asked, what was read, and the drawing itself (for teaching)."""

    prompt: int
    read: str | None  # the digits read ("3", "12"), None when nothing was
    ms: float  # from the prompt appearing to the judgement
    strokes: Strokes
    canvas: tuple[float, float]
    image: np.ndarray | None  # the (28, 28) model input when one digit was read

    @property
    def is_correct(self) -> bool:
        return self.read == str(self.prompt)


@dataclass(frozen=True)
class Best:
    """The personal best: the highest score, and the shortest time it was reached in."""

    score: int
    seconds: float

    def beaten_by(self, score: int, seconds: float) -> bool:
        return score > self.score or (score == self.score and seconds < self.seconds)


class PracticeRound:
    """Ten prompts in random order; ``judge`` records one attempt and moves on to the next prompt."""

    def __init__(self, rng: random.Random | None = None, clock: Callable[[], float] = time.perf_counter) -> None:
        self.prompts = list(PROMPTS)
        (rng or random.Random()).shuffle(self.prompts)
        self.attempts: list[Attempt] = []
        self._clock = clock
        self.started = self.prompt_shown = clock()

    @property
    def prompt(self) -> int | None:
        """The digit asked for now (None when the round is over)."""
        return self.prompts[len(self.attempts)] if not self.is_over else None

    @property
    def number(self) -> int:
        """Which prompt this is, counting from 1."""
        return min(len(self.attempts) + 1, len(self.prompts))

    @property
    def is_over(self) -> bool:
        return len(self.attempts) >= len(self.prompts)

    def judge(self, reading: Reading, strokes: Strokes, canvas: tuple[float, float]) -> Attempt:
        """Record the drawing for the current prompt as read in ``reading``; the next prompt starts now."""
        prompt = self.prompt
        if prompt is None:
            raise RuntimeError("the round is over")
        now = self._clock()
        single = reading.single
        image = single.image if single is not None and not single.is_empty else None
        attempt = Attempt(prompt, reading.number, (now - self.prompt_shown) * 1000, strokes, canvas, image)
        self.attempts.append(attempt)
        self.prompt_shown = now
        return attempt

    @property
    def score(self) -> int:
        return sum(a.is_correct for a in self.attempts)

    @property
    def seconds(self) -> float:
        """From the first prompt to the last judgement (so far)."""
        end = self.prompt_shown if self.attempts else self._clock()
        return end - self.started

    def to_teach(self) -> list[Attempt]:
        """The round's drawings that can be taught (one digit read), the misread ones first."""
        drawn = [a for a in self.attempts if a.image is not None]
        return [a for a in drawn if not a.is_correct] + [a for a in drawn if a.is_correct]


def load_kept(path: Path | None, file_format: str, parse: Callable[[dict[str, Any]], T]) -> tuple[T | None, str]:
    """What ``parse`` makes of the kept JSON record at ``path`` (None: no path or no file yet), and a message
    when the file was broken.  ``parse`` raises ValueError, KeyError or TypeError for a record it cannot use.

    A broken file is set aside (renamed, not deleted) so that the next save does not overwrite it.
    """
    if path is None or not path.exists():
        return None, ""
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
        if not isinstance(data, dict) or data.get("format") != file_format:
            raise ValueError(f"not a {file_format} file")
        return parse(data), ""
    except (OSError, ValueError, KeyError, TypeError) as exc:
        try:
            aside = set_aside(path)
        except OSError:
            return None, f"{path}: cannot read the personal best ({exc}); it is ignored"
        return None, f"{path}: cannot read the personal best ({exc}); set aside as {aside.name}"


def save_kept(path: Path, file_format: str, fields: dict[str, Any], version: int = 1) -> Path:
    """Keep ``fields`` as a versioned JSON record at ``path``, atomically (a kill leaves the old file whole)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"format": file_format, "version": version, **fields}
    return write_bytes_atomically(path, json.dumps(record).encode("utf-8"))


def parse_best(score: object, seconds: object, top: int) -> Best:
    """A ``Best`` from a kept score (0 to ``top``) and time; ValueError when they are not that."""
    if not (isinstance(score, int) and 0 <= score <= top and isinstance(seconds, int | float) and seconds >= 0):
        raise ValueError("the best score is not a score")
    return Best(score, float(seconds))


def load_best(folder: Path | None) -> tuple[Best | None, str]:
    """The kept personal best (None: no folder or no file yet), and a message when the file was broken."""
    path = (folder / SCORES_FILE) if folder is not None else None
    return load_kept(path, SCORES_FORMAT, lambda d: parse_best(d["best_score"], d["best_seconds"], len(PROMPTS)))


def save_best(folder: Path, best: Best) -> Path:
    """Keep ``best`` atomically in ``folder``."""
    fields = {"best_score": best.score, "best_seconds": round(best.seconds, 2)}
    return save_kept(folder / SCORES_FILE, SCORES_FORMAT, fields)
