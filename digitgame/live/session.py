"""The recognition session: what the person is shown, and when the drawing is read next (no pygame).

Every change of the ink bumps ``revision``.  In live mode each new revision is handed to the
worker as soon as it is free; with live mode off only ``request()`` does.  The answer shown is
the newest that came back, tagged with the revision it belongs to, so a scene can tell a
current answer from a stale one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from digitgame.live.drawing import Drawing
from digitgame.live.verdict import ModelStatus, Verdict, tell
from digitgame.live.worker import Job, RecognitionWorker
from digitgame.recognition.reading import Reading
from digitgame.teaching.taught import Profile

LIVE_REST_FRACTION = 1.0  # after a slow reading of T ms, live mode waits T * this before the next one
SLOW_RECOGNITION_MS = 8.0  # "slow": half a frame; normal drawings take far less (benchmarks/latency.py), never wait


@dataclass(frozen=True)
class Shown:
    """The reading on screen, the drawing revision it belongs to, and what it cost."""

    reading: Reading
    revision: int
    ms: float
    is_live: bool


class RecognitionSession:
    """Recognition state for one drawing; ``update`` once per frame does all the talking to the worker."""

    def __init__(
        self, worker: RecognitionWorker, *, is_live: bool = True, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.worker = worker
        self.is_live = is_live
        self.revision = 0  # bumps on every change of the ink
        self.submitted: int | None = None  # the revision last handed to the worker
        self.is_requested = False  # the person asked for a reading (Enter)
        self.shown: Shown | None = None
        self.profile: Profile | None = None  # the taught examples readings use (None: the worker's own)
        self._clock = clock
        self._rest_until = 0.0

    # --- what the person did ------------------------------------------------------
    def changed(self) -> None:
        """The ink changed."""
        self.revision += 1

    def request(self) -> None:
        """Read the drawing now, live mode or not."""
        self.is_requested = True

    def retaught(self, provisional: Reading | None = None) -> None:
        """The taught examples changed: read the same ink again, showing ``provisional`` until the answer comes."""
        if provisional is not None and self.shown is not None:
            self.shown = Shown(provisional, self.shown.revision, 0.0, self.shown.is_live)
        self.submitted = None
        self.is_requested = True

    def verdict(self, asking: str = "draw a digit") -> Verdict:
        """What the panel tells the person about the reading on screen (``asking``: while there is none)."""
        reading = self.shown.reading if self.shown is not None else None
        return tell(reading, self.model, model_message=self.worker.message, is_stale=self.is_stale, asking=asking)

    def toggle_live(self) -> None:
        self.is_live = not self.is_live

    def close(self) -> None:
        """This session is done: the worker forgets its pending work and unread answers."""
        self.worker.forget(self)

    # --- state ---------------------------------------------------------------------
    @property
    def model(self) -> ModelStatus:
        return self.worker.status

    @property
    def is_stale(self) -> bool:
        """True when the answer on screen is for an older drawing and will not follow by itself."""
        return self.shown is not None and self.shown.revision != self.revision and not self.is_live

    @property
    def is_busy(self) -> bool:
        return self.worker.is_busy(self)

    def is_settled(self, drawing: Drawing) -> bool:
        """True when the model is loaded (or failed) and the shown answer is for the current ink."""
        if self.model is ModelStatus.LOADING:
            return False
        if self.model is ModelStatus.FAILED and not drawing.is_empty:
            return True  # no answer will come
        is_asked = self.is_requested or (self.is_live and self.submitted != self.revision)
        return self.shown is not None and self.shown.revision == self.revision and not self.is_busy and not is_asked

    def is_idle(self) -> bool:
        """True when nothing will change without new input."""
        return (
            self.model is not ModelStatus.LOADING
            and not (self.is_live and self.revision != self.submitted)
            and not self.is_requested
            and not self.is_busy
        )

    # --- once per frame --------------------------------------------------------------
    def update(self, drawing: Drawing) -> list[Shown]:
        """Take in the worker's answers and hand it new work; returns the answers newly shown."""
        shown: list[Shown] = []
        for result in self.worker.results(self):
            if result.ms > SLOW_RECOGNITION_MS:
                self._rest_until = self._clock() + result.ms / 1000 * LIVE_REST_FRACTION
            if self.shown is None or result.job.revision >= self.shown.revision:
                shown.append(self._show(result.reading, result.job.revision, result.ms, result.job.is_live))
        if (news := self._request(drawing)) is not None:
            shown.append(news)
        return shown

    def _show(self, reading: Reading, revision: int, ms: float, is_live: bool) -> Shown:
        self.shown = Shown(reading, revision, ms, is_live)
        return self.shown

    def _request(self, drawing: Drawing) -> Shown | None:
        wanted = self.is_requested or (self.is_live and self.revision != self.submitted)
        if not wanted and not (self.shown is None and drawing.is_empty):  # the first frame says "draw a digit"
            return None
        if drawing.is_empty:
            self.submitted, self.is_requested = self.revision, False
            if self.shown is None or self.shown.revision != self.revision or not self.shown.reading.is_empty:
                return self._show(Reading.empty(), self.revision, 0.0, self.is_live)
            return None
        if self.model is ModelStatus.FAILED:  # nothing will ever read it: do not keep the loop awake
            self.submitted, self.is_requested = self.revision, False
            return None
        if self.model is not ModelStatus.READY or self.is_busy:
            return None
        if not self.is_requested and self._clock() < self._rest_until:
            return None  # a slow (huge) drawing: let the frame loop breathe between readings
        job = Job(self, self.revision, drawing.snapshot(), drawing.width, drawing.height, self.is_live, self.profile)
        self.worker.submit(job)
        self.submitted, self.is_requested = self.revision, False
        return None
