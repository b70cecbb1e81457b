"""Corrections: "this is a 7" turns the digit on screen into a taught example, and undo takes it back.

The answer changes at once (the corrected digit, marked taught) and the drawing is read again
with the new profile, so the bars follow within a frame or two.  Undo takes back a teach when
nothing was drawn since it, as one more step in the same Ctrl+Z history as the strokes.
No pygame here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from digitgame.live.drawing import Drawing
from digitgame.live.session import RecognitionSession
from digitgame.live.taught_words import count_of, examples_text, removed_text
from digitgame.live.teacher import Teachable, Teacher
from digitgame.live.verdict import ModelStatus
from digitgame.live.worker import RecognitionWorker
from digitgame.recognition.reading import Reading

Notify = Callable[..., None]  # stage.notify(text, is_error=...)


class Corrections:
    """Teaching from the draw scene: one gesture teaches, Ctrl+Z untaught, Forget forgets."""

    def __init__(self, teacher: Teacher, session: RecognitionSession, notify: Notify) -> None:
        self.teacher = teacher
        self.session = session
        self._notify = notify
        self._marks: list[int] = []  # the drawing's undo depth at each teach still undoable

    def sync(self, worker: RecognitionWorker) -> None:
        """Once per frame: say if what was taught could not be saved; once the model is ready, take over
        the profile the worker loaded (and say if it was set aside)."""
        if news := self.teacher.news():
            self._notify(news, is_error=True)
        if self.teacher.is_ready or worker.status is not ModelStatus.READY:
            return
        if worker.notice:
            self._notify(worker.notice, is_error=True)
        if worker.profile is not None:
            self.teacher.adopt(worker.profile)
            self.session.profile = self.teacher.profile

    def teach(self, digit: int, index: int, drawing: Drawing) -> bool:
        """Teach the ``index``-th digit on screen as ``digit``; False (and a message) when there is nothing to teach."""
        shown = self.session.shown
        if not self.teacher.is_ready:
            why = "the model is still loading" if self.session.model is ModelStatus.LOADING else "see the message"
            self._notify(f"Teaching is not available yet: {why}.")
            return False
        if shown is None or shown.reading.is_empty or shown.revision != self.session.revision:
            self._notify(f"Draw a {digit} first (or press Enter to read the drawing), then press {digit} to teach it.")
            return False
        reading = shown.reading
        index = min(index, len(reading.digits) - 1)
        chosen = reading.digits[index]
        image = chosen.prediction.image
        if image is None:
            return False
        strokes = drawing.snapshot() if not reading.is_number else None  # a number's digit: its 28x28 input only
        count = self.teacher.teach(image, digit, strokes, (drawing.width, drawing.height))
        self._marks.append(drawing.undo_depth)
        self.session.profile = self.teacher.profile
        self.session.retaught(_corrected(reading, index, digit))
        kept = "" if self.teacher.folder is not None else " (for this session only: --no-profile)"
        self._notify(
            f"Taught: that is a {digit} ({examples_text(count)} of your {digit}s). Ctrl+Z takes it back.{kept}"
        )
        return True

    def teach_many(self, drawings: Sequence[Teachable]) -> str:
        """Teach a practice round's drawings; returns what to tell the person."""
        if not self.teacher.is_ready or not drawings:
            return "Teaching is not available." if drawings else "Nothing to teach."
        self.teacher.teach_many(drawings)
        self.session.profile = self.teacher.profile
        self.session.retaught()
        self._marks.clear()  # a round's teaching is not undone stroke by stroke
        digits = sorted({d for _, d, _, _ in drawings})
        of = ", ".join(map(str, digits))
        return f"Taught {count_of(len(drawings), 'drawing')} of {of}: it knows your style better now."

    def follow(self) -> None:
        """Another scene taught with the same teacher (a correction in the sums game): read with its profile."""
        self._marks.clear()  # Ctrl+Z here takes back only what was taught here
        self.session.profile = self.teacher.profile
        self.session.retaught()

    def can_undo(self, drawing: Drawing) -> bool:
        """True when the newest undo step is a teach (nothing drawn or undone since)."""
        return bool(self._marks) and self._marks[-1] == drawing.undo_depth

    def undo(self) -> None:
        self._marks.pop()
        if self.teacher.undo():
            self.session.profile = self.teacher.profile
            self.session.retaught()
            self._notify("Taken back: that drawing is not taught any more.")

    def remove(self, index: int) -> bool:
        """Remove the ``index``-th taught example (the taught view); the drawing on screen is read again."""
        example = self.teacher.remove(index)
        if example is None:
            return False
        self._marks.clear()  # Ctrl+Z takes back the newest teach: after a removal that may be another drawing
        self.session.profile = self.teacher.profile
        self.session.retaught()
        left = self.teacher.profile.counts()[example.digit] if self.teacher.profile is not None else 0
        self._notify(removed_text(example, left))
        return True

    def forget(self) -> None:
        count = self.teacher.forget()
        self._marks.clear()
        self.session.profile = self.teacher.profile
        self.session.retaught()
        self._notify(f"Forgot {count_of(count, 'taught drawing')}: it reads as the network alone again.")


def _corrected(reading: Reading, index: int, digit: int) -> Reading:
    """``reading`` with its ``index``-th digit read as ``digit``, marked taught (until the real answer comes)."""
    chosen = reading.digits[index]
    old = chosen.prediction
    was = old.digit if old.digit is not None else old.looks_like  # "not a digit" that looked most like a 4
    runner_up = was if was != digit else old.runner_up
    corrected = replace(  # taught: a sure digit, whatever the network thought of it
        old,
        digit=digit,
        runner_up=runner_up,
        is_confident=True,
        nothing=None,
        looks_like=None,
        perhaps_not_a_digit=False,
    )
    digits = list(reading.digits)
    digits[index] = replace(chosen, prediction=corrected, is_taught=True)
    return replace(reading, digits=tuple(digits))
