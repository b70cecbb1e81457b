"""Playing a round of sums in time, without pygame: when an answer is judged, how long a verdict stays, corrections.

An answer is judged when the pen has rested with the reading of the current ink known, or at once
when asked (Enter): REST_RIGHT_S when that reading is already the right answer (no more ink can
make it more right), REST_S otherwise, so that every verdict is on screen within half a second of
the pen resting.  But the pen also rests between the digits of an answer, and inside a digit (a
4's first stroke often reads as another digit: benchmarks/unfinished_digits.py); so a wrong or
write-again verdict judged on rest is taken back when the pen comes down again within GRACE_S of
it: the ink stays, the writer goes on, and nothing was counted.  Meanwhile the right answer is not
shown (it could be copied), and a wrong verdict stays GRACE_S longer, so that it is seen its time.
"""

from __future__ import annotations

from typing import Any

from digitgame.live.drawing import Drawing
from digitgame.live.hidden import OutOfSight
from digitgame.live.session import Shown
from digitgame.live.sums import Answer, Outcome, Sum, SumsRound, outcome_of
from digitgame.recognition.reading import Reading

REST_RIGHT_S = 0.35  # pen at rest this long with the right answer read: judged
REST_S = 0.45  # with another reading: the verdict on screen within half a second of the pen resting
GRACE_S = 0.8  # a verdict judged on rest, not right, is taken back by the pen coming down this soon after it
SHOWN_S = {Outcome.RIGHT: 0.9, Outcome.WRONG: 2.5, Outcome.AGAIN: 1.5}  # how long each verdict stays
CORRECTED_S = 1.5  # after a correction, the verdict stays at least this long, so its change is seen


class RoundPlay:
    """A SumsRound in time: the verdict on screen, when to judge, and corrections while a verdict shows."""

    def __init__(self, sums: SumsRound) -> None:
        self.round = sums
        self.feedback: Answer | None = None  # the verdict on screen
        self.feedback_until = 0.0
        self.again: Answer | None = None  # the latest "write it again" of the sum asked now
        self.judge_now = False  # Enter: judge as soon as the reading is current
        self.last_edit = 0.0
        self._sight = OutOfSight()
        self._before: list[tuple[tuple[object, ...], Answer]] = []  # the round and verdict before each correction
        self._judged: tuple[tuple[Any, ...], float] | None = None  # the round before a verdict that may be taken back,
        self._held = 0.0  # and the seconds out of sight since that verdict

    @property
    def asked(self) -> Sum:
        """The sum on the card: the one being judged, else the one asked now (else the last one)."""
        if self.feedback is not None:
            return self.feedback.sum
        current = self.round.current
        return current if current is not None else self.round.answers[-1].sum

    @property
    def number(self) -> int:
        """Which sum the card shows, from 1 (a counted verdict: its sum, though the round moved on)."""
        if self.feedback is not None and self.feedback.outcome is not Outcome.AGAIN:
            return len(self.round.answers)
        return self.round.number

    def is_held(self, now: float, *, is_covered: bool) -> bool:
        """Whether the round waits now, out of sight (``is_covered``: help over it).  When it comes back, it
        resumes where it stood: the time out of sight counts for no rest, verdict or clock."""
        hidden = self._sight.hidden_for(now, is_covered=is_covered)
        if hidden:
            self.hold(hidden)
        return hidden is None

    def hold(self, seconds: float) -> None:
        """The round was out of sight (help over it) for ``seconds``: nothing of it ran meanwhile."""
        self.feedback_until += seconds
        self.last_edit += seconds
        self.round.started += seconds
        self.round.sum_shown += seconds
        self._held += seconds

    def edited(self, now: float) -> None:
        """The ink changed at ``now``."""
        self.last_edit = now

    def is_ready(self, shown: Shown | None, revision: int, is_pen_down: bool, drawing: Drawing, now: float) -> bool:
        """Whether to judge now: ink, the pen up, its reading current, and rested (or asked for)."""
        if is_pen_down:  # the rest starts when the pen lifts, however long it was held still
            self.last_edit = now
        current = self.round.current
        if self.feedback is not None or current is None or is_pen_down or drawing.is_empty:
            return False
        if shown is None or shown.revision != revision:
            return False
        if self.judge_now:
            return True
        is_right = outcome_of(shown.reading, current.answer)[0] is Outcome.RIGHT
        return now - self.last_edit >= (REST_RIGHT_S if is_right else REST_S)

    def judge(self, reading: Reading, now: float) -> Answer:
        before = self.round.state()
        answer = self.round.judge(reading)
        may_go_on = not self.judge_now and answer.outcome is not Outcome.RIGHT
        self._judged, self._held = ((before, now) if may_go_on else None), 0.0
        self.judge_now = False
        self.feedback = answer
        self.feedback_until = now + SHOWN_S[answer.outcome]
        if may_go_on and answer.outcome is Outcome.WRONG:
            self.feedback_until += GRACE_S  # the right answer shows once the verdict stands
        return answer

    def may_write_on(self, now: float) -> bool:
        """Whether the pen coming down now takes back the verdict on screen (it came too soon: see GRACE_S)."""
        if self.feedback is None or self._judged is None or self._before:  # a correction is the player's word
            return False
        return now - self._judged[1] - self._held <= GRACE_S

    def write_on(self, now: float) -> Answer:
        """Take back the verdict on screen (``may_write_on``): the sum is asked again, as if never judged."""
        if self._judged is None or self.feedback is None:
            raise RuntimeError("no verdict to take back")
        state, _ = self._judged
        self.round.restore(state)
        self.round.sum_shown += self._held  # the sum's time stood still out of sight
        answer, self.feedback, self._judged = self.feedback, None, None
        self.last_edit = now
        return answer

    def correct(self, digit: int, index: int, reading: Reading | None, now: float) -> Answer:
        """The player taught digit ``index`` of the answer on screen as ``digit``; ``reading``: the ink's
        reading as corrected.  A counted answer is corrected in the round; a write-again is judged afresh."""
        shown = self.feedback
        if shown is None:
            raise RuntimeError("no verdict to correct")
        self._before.append((self.round.state(), shown))
        if shown.outcome is Outcome.AGAIN:
            new = self.round.judge(reading) if reading is not None else shown
        else:
            read = shown.read or ""
            new = self.round.correct(digit, min(index, max(0, len(read) - 1)))
        self.feedback = new
        self.feedback_until = max(self.feedback_until, now + CORRECTED_S)
        return new

    @property
    def can_undo(self) -> bool:
        """Whether a correction of the verdict on screen can be taken back."""
        return self.feedback is not None and bool(self._before)

    def undo(self, now: float) -> Answer:
        """Take back the latest correction of the verdict on screen; the verdict as it was."""
        state, self.feedback = self._before.pop()
        self.round.restore(state)
        self.feedback_until = max(self.feedback_until, now + CORRECTED_S)
        return self.feedback

    def move_on(self) -> Answer | None:
        """The verdict has been seen; returns it (None: there was none)."""
        self._before.clear()
        self._judged = None
        answer, self.feedback = self.feedback, None
        is_again = answer is not None and answer.outcome is Outcome.AGAIN
        self.again = answer if is_again else None
        return answer
