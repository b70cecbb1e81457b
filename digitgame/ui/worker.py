"""The recognition thread: loads the model, then recognises the latest drawing handed to it.

One thread, latest snapshot wins: while it works on one drawing, newer submissions replace
each other, so the frame loop never waits and never queues up stale work.  The thread
imports the recogniser itself (NumPy, SciPy, LiteRT), so the window appears before that cost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from digitgame.drawing import Strokes

if TYPE_CHECKING:
    from digitgame.predictor import Predictor
    from digitgame.reading import Prediction


@dataclass(frozen=True)
class Job:
    """A drawing to recognise: an immutable snapshot of its strokes and its canvas size."""

    revision: int
    strokes: Strokes
    width: float
    height: float
    is_live: bool


@dataclass(frozen=True)
class ModelReady:
    backend: str
    seconds: float


@dataclass(frozen=True)
class ModelFailed:
    message: str  # one line, with the fix


@dataclass(frozen=True)
class Result:
    job: Job
    prediction: Prediction
    ms: float  # preprocess + predict


Message = ModelReady | ModelFailed | Result


class RecognitionWorker:
    """Owns one daemon thread; ``submit`` and ``poll`` never block the caller for long."""

    def __init__(self, predictor: Predictor | Callable[[], Predictor]) -> None:
        self._source = predictor
        self._cond = threading.Condition()
        self._pending: Job | None = None
        self._outbox: list[Message] = []
        self._is_working = False
        self._is_stopping = False
        self._thread = threading.Thread(target=self._run, name="digitgame-recognizer", daemon=True)
        self._thread.start()

    @property
    def is_busy(self) -> bool:
        """True while a job is waiting or being recognised."""
        with self._cond:
            return self._pending is not None or self._is_working

    def submit(self, job: Job) -> None:
        """Recognise ``job`` next, replacing any job not yet started."""
        with self._cond:
            self._pending = job
            self._cond.notify()

    def poll(self) -> list[Message]:
        """Messages since the last poll, oldest first."""
        with self._cond:
            messages, self._outbox = self._outbox, []
        return messages

    def stop(self, timeout: float = 1.0) -> None:
        """Ask the thread to finish and wait a little for it (it is a daemon, so it cannot hold up exit)."""
        with self._cond:
            self._is_stopping = True
            self._cond.notify()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _post(self, message: Message) -> None:
        with self._cond:
            self._outbox.append(message)

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            from digitgame.predictor import ModelError
            from digitgame.reading import Nothing, Prediction
            from digitgame.recognizer import Recognizer
        except Exception as exc:  # a broken installation: say so, keep the app open
            self._post(ModelFailed(f"cannot load the recogniser ({type(exc).__name__}: {exc})"))
            return
        try:
            predictor = self._source() if callable(self._source) else self._source
            recognizer = Recognizer(predictor)
        except ModelError as exc:
            self._post(ModelFailed(str(exc)))
            return
        except Exception as exc:  # any other failure must not take the app down
            self._post(ModelFailed(f"could not load the model ({type(exc).__name__}: {exc})"))
            return
        self._post(ModelReady(getattr(predictor, "backend", "?"), time.perf_counter() - started))
        while True:
            with self._cond:
                while self._pending is None and not self._is_stopping:
                    self._cond.wait()
                if self._is_stopping:
                    return
                job, self._pending = self._pending, None
                self._is_working = True
            assert job is not None
            t0 = time.perf_counter()
            try:
                prediction = recognizer.on_canvas(job.strokes, job.width, job.height)
            except Exception as exc:  # a hostile drawing gets an explanation, not a dead thread
                prediction = Prediction.empty(Nothing.FAILED, f"{type(exc).__name__}: {exc}")
            ms = (time.perf_counter() - t0) * 1000
            with self._cond:
                self._outbox.append(Result(job, prediction, ms))
                self._is_working = False
