"""The person's taught examples as the frame loop sees them: teach, undo, forget -- and kept on disk behind it.

The profile is an immutable value: each change makes a new one, handed to the recognition
worker with the next drawing (it rebuilds the personal model from it) and to a keeper thread
that writes the newest one atomically, so no frame waits for the disk.  A write that fails is
reported once (``Teacher.news``) and tried again with the next change, or when the app quits;
what was taught stays in memory meanwhile.  No pygame here.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitgame.files.saving import problem_of
from digitgame.files.strokefile import Strokes
from digitgame.teaching import taught
from digitgame.teaching.taught import Example, Profile

log = logging.getLogger("digitgame.app")
Teachable = tuple[np.ndarray, int, Strokes | None, tuple[float, float]]  # model input, digit, strokes, canvas size


class ProfileKeeper:
    """One daemon thread that writes the newest profile handed to it (older ones not yet written are skipped)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problem = ""  # why the last write failed, in a few words ("disk full"); "" when it worked
        self.failures = 0  # how many writes have failed so far (the frame loop reports each failure once)
        self._cond = threading.Condition()
        self._pending: Profile | None = None
        self._forget = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="digitgame-profile", daemon=True)
        self._thread.start()

    def keep(self, profile: Profile) -> None:
        with self._cond:
            self._pending, self._forget = profile, False
            self._cond.notify()

    def forget(self) -> None:
        """Remove the profile's file (after any write in progress)."""
        with self._cond:
            self._pending, self._forget = None, True
            self._cond.notify()

    def flush(self, timeout: float = 5.0) -> bool:
        """Wait until everything handed over is on disk; False if that took longer than ``timeout``."""
        with self._cond:
            return self._cond.wait_for(lambda: self._pending is None and not self._forget and not self._busy, timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending is not None or self._forget)
                pending, forget = self._pending, self._forget
                self._pending, self._forget, self._busy = None, False, True
            try:
                if forget:
                    from digitgame.teaching import (
                        personal,  # here, not at the top: the first frame does not wait for it
                    )

                    personal.forget(self.folder)  # the profile and the embeddings cached beside it
                elif pending is not None:
                    taught.save(self.folder, pending)
                self.problem = ""
            except OSError as exc:
                self.problem = problem_of(exc)
                self.failures += 1
                log.info('profile_not_saved problem="%s"', self.problem)
            with self._cond:
                self._busy = False
                self._cond.notify_all()


class Teacher:
    """Teach, undo and forget on the frame loop's side; ``profile`` is what the worker should use now."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self.profile: Profile | None = None  # None until the worker has loaded it (or when there is no folder)
        self._keeper = ProfileKeeper(folder) if folder is not None else None
        self._told = 0  # the keeper's failures already reported
        self._forgot_last = False  # the last change handed to the keeper was a forget
        self._removed_last = False  # ... was the removal of one example (the taught view)

    @property
    def is_ready(self) -> bool:
        return self.profile is not None

    @property
    def count(self) -> int:
        return len(self.profile) if self.profile is not None else 0

    def news(self) -> str:
        """What to tell the person about a write that failed since the last call; "" when there is none."""
        keeper = self._keeper
        if keeper is None or keeper.failures == self._told:
            return ""
        self._told = keeper.failures
        if not keeper.problem:  # a later write worked
            return ""
        if self._removed_last:
            return (
                f"Could not save the removal: {keeper.problem} ({self.folder}). "
                "It is removed for now; saving is tried again when you teach, remove or quit."
            )
        return (
            f"Could not save what you taught: {keeper.problem} ({self.folder}). "
            "It still counts, and saving is tried again when you teach or quit."
        )

    def adopt(self, loaded: Profile) -> None:
        """The profile the worker loaded from the folder at start."""
        if self.profile is None:
            self.profile = loaded

    def teach(self, image: np.ndarray, digit: int, strokes: Strokes | None, canvas: tuple[float, float]) -> int:
        """Keep the drawing whose model input is ``image`` as an example of ``digit``; returns that digit's count."""
        return self.teach_many([(image, digit, strokes, canvas)])[digit]

    def teach_many(self, drawings: Sequence[Teachable]) -> tuple[int, ...]:
        """Keep several drawings at once (a practice round's); returns every digit's count."""
        profile = self.profile if self.profile is not None else Profile()
        for image, digit, strokes, canvas in drawings:
            profile = profile.add(Example.from_input(image, digit, strokes=strokes, canvas=canvas))
        self._change(profile)
        counts = profile.counts()
        for digit in sorted({d for _, d, _, _ in drawings}):
            log.info("taught digit=%d examples=%d", digit, counts[digit])
        return counts

    def undo(self) -> bool:
        """Take back the last example taught; False when there is none."""
        if self.profile is None or self.profile.is_empty:
            return False
        self._change(self.profile.remove_last())
        log.info("untaught examples=%d", len(self.profile))
        return True

    def remove(self, index: int) -> Example | None:
        """Remove the ``index``-th example (``profile.examples`` order) and keep the rest on disk; None: no such one."""
        if self.profile is None or not 0 <= index < len(self.profile):
            return None
        example = self.profile.examples[index]
        self._change(self.profile.without(index))
        self._removed_last = True
        log.info("removed digit=%d examples=%d", example.digit, len(self.profile))
        return example

    def forget(self) -> int:
        """Forget every taught example (and remove the file); returns how many there were."""
        count = self.count
        self.profile = Profile()
        self._forgot_last = True
        if self._keeper is not None:
            self._keeper.forget()
        log.info("forgot examples=%d", count)
        return count

    def close(self) -> None:
        """Let the last write finish, and try once more if it failed (a kill leaves the old file or the new)."""
        keeper = self._keeper
        if keeper is None:
            return
        keeper.flush()
        if keeper.problem and self.profile is not None:
            if self._forgot_last:
                keeper.forget()
            else:
                keeper.keep(self.profile)
            keeper.flush()
        if keeper.problem:
            log.warning("digitgame: what you taught could not be saved in %s: %s", self.folder, keeper.problem)

    def _change(self, profile: Profile) -> None:
        self.profile = profile
        self._forgot_last = self._removed_last = False
        if self._keeper is not None:
            self._keeper.keep(profile)
