"""training/stop.py: Ctrl+C and SIGTERM as a request that is raised, remembered, or only noted."""

from __future__ import annotations

import os
import signal
import time

import pytest

from training.stop import StopRequest


@pytest.mark.usefixtures("ctrl_c_as_at_a_terminal")
def test_a_stop_request_once_files_move_is_noted_not_acted_on():
    stop = StopRequest()
    with stop.installed():
        stop.hold()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)  # handled here: noted, no exception
        assert stop.signal == signal.SIGTERM
        with pytest.raises(KeyboardInterrupt):
            stop.check()
    with stop.installed():  # each run starts afresh: no request, and a signal raises again
        stop.check()
        with pytest.raises(KeyboardInterrupt):
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with stop.installed():  # an ignored Ctrl+C (a background job) stays ignored
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(0.1)
        assert stop.signal is None


@pytest.mark.usefixtures("ctrl_c_as_at_a_terminal")
def test_ctrl_c_while_the_data_workers_start_comes_after_they_have_started() -> None:
    """A worker interrupted half-way through receiving its start-up data prints a traceback of its own."""
    from training.feed import _signals_held

    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt):
        with _signals_held():
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.05)  # a signal handler would have run by now
            steps.append("workers started")
        time.sleep(0.05)
        steps.append("not reached")
    assert steps == ["workers started"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the run's own handler is back


@pytest.mark.usefixtures("ctrl_c_as_at_a_terminal")
def test_ctrl_c_while_tensorflow_works_is_raised_when_its_step_ends(capfd) -> None:
    """TensorFlow's C++ code mangles an exception raised inside it and prints a traceback of its own."""
    stop = StopRequest()
    steps: list[str] = []
    with stop.installed():
        with pytest.raises(KeyboardInterrupt):
            with stop.deferred():
                os.kill(os.getpid(), signal.SIGINT)
                os.kill(os.getpid(), signal.SIGINT)
                time.sleep(0.1)  # both handled here: noted, no exception
                steps.append("step finished")
                with pytest.raises(KeyboardInterrupt):
                    stop.check()  # a safe point inside the step (after a training batch) acts on it
            steps.append("not reached")
        with pytest.raises(KeyboardInterrupt):  # outside the block a signal raises at once again
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(0.1)
    assert steps == ["step finished"]
    assert capfd.readouterr().err.count("stopping at the end of this step") == 1
