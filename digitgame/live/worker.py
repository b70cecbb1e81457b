"""The recognition thread: loads the model, then reads the latest drawing handed to it.

One thread, latest snapshot wins: while it works on one drawing, newer submissions replace
each other, so the frame loop never waits and never queues up stale work.  Each session has
its own slot and its own results, so a scene underneath never receives another scene's answer.
The thread imports the recogniser itself (NumPy, LiteRT), so the window appears before that cost.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digitgame.files.atomic import remove_stale_temporaries
from digitgame.files.strokefile import Strokes
from digitgame.live.verdict import ModelStatus

if TYPE_CHECKING:
    from digitgame.recognition.predictor import Predictor
    from digitgame.recognition.reading import Reading
    from digitgame.recognition.recognizer import Recognizer
    from digitgame.teaching.personal import PersonalModel
    from digitgame.teaching.taught import Profile


@dataclass(frozen=True)
class Job:
    """A drawing to read: an immutable snapshot of its strokes and its canvas size."""

    owner: Hashable  # the session that asked; its results go back to it alone
    revision: int
    strokes: Strokes
    width: float
    height: float
    is_live: bool
    profile: Profile | None = None  # the taught examples to read with (None: the ones the worker has)


@dataclass(frozen=True)
class Result:
    job: Job
    reading: Reading
    ms: float  # preprocess + predict


class RecognitionWorker:
    """Owns one daemon thread; ``submit`` and ``results`` never block the caller for long."""

    def __init__(
        self,
        predictor: Predictor | Callable[[], Predictor],
        profile_folder: Path | None = None,
        *,
        load_at_once: bool = True,
    ) -> None:
        """``load_at_once=False``: the model loads when ``begin()`` is called (the app calls it after its first
        frame, so loading -- imports holding the GIL -- does not delay the window)."""
        self._source = predictor
        self._folder = profile_folder
        self.profile: Profile | None = None  # what was taught before, loaded with the model (None: nothing kept)
        self._personal: PersonalModel | None = None  # the profile's personal model the recogniser reads with
        self.notice = ""  # one line for the person about the profile (set aside, cannot be taught ...)
        self._cond = threading.Condition()
        self._pending: dict[Hashable, Job] = {}
        self._results: dict[Hashable, list[Result]] = {}
        self._working_for: Hashable | None = None
        self._forgotten: set[Hashable] = set()  # owners whose job in progress is to be dropped
        self._is_stopping = False
        self.status = ModelStatus.LOADING  # written once by the thread, read by the frame loop
        self.message = ""  # why the model failed, one line with the fix
        self.backend = ""
        self._may_load = threading.Event()
        if load_at_once:
            self._may_load.set()
        self._thread = threading.Thread(target=self._run, name="digitgame-recognizer", daemon=True)
        self._thread.start()

    def begin(self) -> None:
        """Start loading the model (no-op when it already has)."""
        self._may_load.set()

    def is_busy(self, owner: Hashable) -> bool:
        """True while ``owner`` has a job waiting or being read, or an answer it has not taken yet."""
        with self._cond:
            return owner in self._pending or self._working_for == owner or bool(self._results.get(owner))

    def submit(self, job: Job) -> None:
        """Read ``job`` next, replacing any job of the same owner not yet started."""
        with self._cond:
            self._pending[job.owner] = job
            self._cond.notify()

    def results(self, owner: Hashable) -> list[Result]:
        """``owner``'s results since it last asked, oldest first."""
        with self._cond:
            return self._results.pop(owner, [])

    def forget(self, owner: Hashable) -> None:
        """Drop ``owner``'s job not yet started and its unread results (the session closed)."""
        with self._cond:
            self._pending.pop(owner, None)
            self._results.pop(owner, None)
            if self._working_for == owner:
                self._forgotten.add(owner)

    def stop(self, timeout: float = 1.0) -> None:
        """Ask the thread to finish and wait a little for it (it is a daemon, so it cannot hold up exit)."""
        with self._cond:
            self._is_stopping = True
            self._cond.notify()
        self._may_load.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    def _fail(self, message: str) -> None:
        self.message = message
        self.status = ModelStatus.FAILED

    def _load(self) -> Recognizer | None:
        try:
            from digitgame.recognition.predictor import ModelError
            from digitgame.recognition.recognizer import Recognizer
        except Exception as exc:  # a broken installation: say so, keep the app open
            self._fail(f"cannot load the recogniser ({type(exc).__name__}: {exc})")
            return None
        try:
            predictor = self._source() if callable(self._source) else self._source
            return Recognizer(predictor)
        except ModelError as exc:
            self._fail(str(exc))
        except Exception as exc:  # any other failure must not take the app down
            self._fail(f"could not load the model ({type(exc).__name__}: {exc})")
        return None

    def _next_job(self) -> Job | None:
        with self._cond:
            while not self._pending and not self._is_stopping:
                self._cond.wait()
            if self._is_stopping:
                return None
            owner = next(iter(self._pending))
            self._working_for = owner
            return self._pending.pop(owner)

    def _open_profile(self, recognizer: Recognizer) -> None:
        """Load what the person taught before, with the embeddings kept beside it (or made now)."""
        from digitgame.teaching import personal
        from digitgame.teaching.taught import Profile

        if recognizer.predictor.embedding_size <= 0:
            self.notice = f"Teaching is off: the model {recognizer.predictor.path.name} has no embedding output."
            return
        if self._folder is None:  # --no-profile: teaching works, for this session only
            self.profile = Profile()
            return
        try:
            remove_stale_temporaries(self._folder)  # what a killed write left behind (the profile itself is whole)
            opened = personal.open_folder(self._folder, recognizer.predictor)
        except ValueError as exc:  # a model without an embedding output
            self.notice = f"Teaching is off: {exc}."
            return
        except OSError as exc:
            self.notice = f"Teaching is off: cannot open {self._folder} ({exc.strerror or exc})."
            return
        recognizer.personal = self._personal = opened.model
        self.profile = opened.model.profile
        self.notice = opened.message

    def _use_profile(self, recognizer: Recognizer, profile: Profile) -> None:
        """Read with ``profile``'s taught examples from now on, embedding only those not seen before."""
        from digitgame.teaching.personal import PersonalModel

        previous = self._personal.bank if self._personal is not None else None
        recognizer.personal = self._personal = PersonalModel.build(profile, recognizer.predictor, previous)
        self.profile = profile

    def _run(self) -> None:
        self._may_load.wait()
        if self._is_stopping:
            return
        recognizer = self._load()
        if recognizer is None:
            return
        self._open_profile(recognizer)
        self.backend = getattr(recognizer.predictor, "backend", "?")
        self.status = ModelStatus.READY
        while (job := self._next_job()) is not None:
            t0 = time.perf_counter()
            if job.profile is not None and job.profile is not self.profile:
                self._use_profile(recognizer, job.profile)
            reading = read_safely(recognizer, job)
            ms = (time.perf_counter() - t0) * 1000
            with self._cond:
                if job.owner in self._forgotten:
                    self._forgotten.discard(job.owner)
                else:
                    self._results.setdefault(job.owner, []).append(Result(job, reading, ms))
                self._working_for = None


def read_safely(recognizer: Recognizer, job: Job) -> Reading:
    """The reading of ``job``; a hostile drawing gets an explanation, not a dead thread."""
    from digitgame.recognition.reading import Nothing, Reading

    try:
        return recognizer.read_strokes(job.strokes, job.width, job.height)
    except Exception as exc:
        return Reading.empty(Nothing.FAILED, f"{type(exc).__name__}: {exc}")
