"""The training data, made in worker processes while the network trains.

Two processes (``augment.PARTS``) skeletonise the training digits at the start, one half each,
then make every epoch's data, part by part, while the previous epoch trains.  Processes, not
threads: the augmentation is Python and numpy, which would hold the interpreter lock that
Keras's training loop needs between steps.  The workers ignore Ctrl+C, so a stopped run says
one thing once; ``close`` ends them at once, so a stopped run does not wait for data it will
never use.  A worker that dies (the out-of-memory killer, a signal) ends the run with one line,
never a hang: ``concurrent.futures`` notices a lost worker, where ``multiprocessing.Pool``
quietly starts another and can wait for ever on a lock the dead one held.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import TypeVar

import numpy as np

from training import augment, realpen, skeletons
from training.data import TrainingError
from training.recipe import Recipe
from training.skeletons import Skeletons

Made = tuple[np.ndarray, np.ndarray, float]  # one part's images, labels, and the seconds it took
T = TypeVar("T")


def _ignore_ctrl_c() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the training process decides what a Ctrl+C means


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl+C and SIGTERM held back, not lost, while worker processes start: a worker stopped half-way
    through receiving its start-up data prints a traceback of its own.  A signal that came meanwhile is
    sent again as the block ends, to the run's own handlers."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    caught: list[int] = []
    old = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    for number, handler in old.items():
        if handler is not signal.SIG_IGN:
            signal.signal(number, lambda n, frame: caught.append(n))
    try:
        yield
    finally:
        for number, handler in old.items():
            signal.signal(number, handler)
        if caught:
            os.kill(os.getpid(), caught[0])


def _timed_part(sources: augment.Sources, recipe: Recipe, seed: int, epoch: int, part: int) -> Made:
    started = time.perf_counter()
    images, labels = augment.epoch_part(sources, recipe, seed, epoch, part)
    return images, labels, time.perf_counter() - started


class EpochFeed:
    """Each epoch's data, one epoch ahead: from MNIST digits ``x`` (uint8) and ``y``, real pen digits and letters."""

    def __init__(
        self,
        x: np.ndarray,
        y: np.ndarray,
        pen: realpen.PenDigits,
        pen_y: np.ndarray,
        letters: realpen.PenDigits,
        recipe: Recipe,
        seed: int,
        epochs: int,
    ) -> None:
        self._x, self._y, self._pen, self._pen_y, self._recipe = x, y, pen, pen_y, recipe
        self._letters = letters
        self._seed, self._epochs = seed, epochs
        self._parts = augment.parts(len(y))
        self._pen_parts = augment.parts(len(pen_y))
        self._letter_parts = augment.parts(len(letters))
        # spawn, not fork: the training process may already hold TensorFlow's threads
        self._workers = ProcessPoolExecutor(
            len(self._parts), mp_context=multiprocessing.get_context("spawn"), initializer=_ignore_ctrl_c
        )
        self.seconds: list[float] = []  # each epoch's data: the workers' seconds, summed over its parts
        self._skeletons: list[Skeletons] = []
        self._pending: list[Future[Made]] = []

    def __enter__(self) -> EpochFeed:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def skeletonise(self) -> None:
        """Every digit's skeleton and pen path, made by the workers side by side; then epoch 1's data starts."""
        chunks = [self._x[p] for p in self._parts]
        with _signals_held():  # the first submits start the worker processes
            started = [self._workers.submit(skeletons.skeletonise, chunk) for chunk in chunks]
        self._skeletons = self._gather(started)
        self._start(0)

    def take(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        """This epoch's shuffled data, (M, 28, 28, 1) float32 and (M,); starts making the next epoch's."""
        made = self._gather(self._pending)
        self.seconds.append(sum(seconds for _, _, seconds in made))
        if epoch + 1 < self._epochs:
            self._start(epoch + 1)
        return augment.shuffled([(images, labels) for images, labels, _ in made], self._seed, epoch)

    def close(self) -> None:
        """End the workers now, whatever they are doing."""
        for process in list(getattr(self._workers, "_processes", {}).values()):  # Python 3.14: terminate_workers()
            process.terminate()
        self._workers.shutdown(wait=True, cancel_futures=True)

    def _start(self, epoch: int) -> None:
        self._pending = []
        parts = zip(self._parts, self._pen_parts, self._letter_parts, self._skeletons, strict=True)
        for k, (p, q, r, drawn) in enumerate(parts):
            sources = augment.Sources(self._x[p], self._y[p], drawn, self._pen[q], self._pen_y[q], self._letters[r])
            self._pending.append(self._workers.submit(_timed_part, sources, self._recipe, self._seed, epoch, k))

    @staticmethod
    def _gather(pending: list[Future[T]]) -> list[T]:
        try:
            return [future.result() for future in pending]
        except BrokenProcessPool as exc:
            raise TrainingError(
                "a data worker process ended unexpectedly (out of memory, or killed); nothing was written"
            ) from exc
