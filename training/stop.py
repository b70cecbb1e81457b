"""Ctrl+C and SIGTERM during a training run, as a request the run checks at safe points."""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterator
from typing import Any


class StopRequest:
    """Ctrl+C (SIGINT) and SIGTERM, kept as a flag that TensorFlow cannot lose.

    Outside TensorFlow the handler raises KeyboardInterrupt at once, as Python's own does.  An
    exception raised while TensorFlow's C++ code is running is mangled there (Ctrl+C during
    ``fit``'s set-up became a SystemError inside ``tf.nest``, whose traceback TensorFlow prints
    itself), so inside ``deferred`` a request is only remembered and ``check`` raises it at safe
    points: after every training step, between the stages after training, and just before the
    finished files are moved into place.  From then on (``hold``) a request is only noted: the
    three files are all old or all new, and a run whose new model is in place does not end
    claiming that the old one was kept.
    """

    def __init__(self) -> None:
        self.signal: int | None = None
        self._holding = False
        self._deferring = False

    @contextlib.contextmanager
    def installed(self) -> Iterator[None]:
        """Handle both signals inside the block (a fresh request each time), and restore the old handlers."""
        self.signal, self._holding = None, False
        old = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
        for number, handler in old.items():
            if handler is not signal.SIG_IGN:  # a shell's background job keeps ignoring Ctrl+C
                signal.signal(number, self._handle)
        try:
            yield
        finally:
            self._holding = True  # a signal now must not raise between the old handlers' return
            for number, handler in old.items():
                signal.signal(number, handler)

    def _handle(self, number: int, frame: Any) -> None:
        first = self.signal is None
        self.signal = number
        if self._holding:
            return
        if not self._deferring:
            raise KeyboardInterrupt
        if first:  # os.write: a print here could land inside another print and raise
            os.write(2, b"train_model.py: stopping at the end of this step ...\n")

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Inside the block (TensorFlow at work) a request is noted, and raised when the block ends."""
        self._deferring = True
        try:
            yield
        finally:
            self._deferring = False
        self.check()

    def check(self) -> None:
        """Raise KeyboardInterrupt if a stop was requested."""
        if self.signal is not None:
            raise KeyboardInterrupt

    def hold(self) -> None:
        """From now on until the end of ``installed``, note a request but do not act on it."""
        self._holding = True

    def callback(self) -> Any:
        """A Keras callback that checks for a request after every training step."""
        import keras

        return keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: self.check())
