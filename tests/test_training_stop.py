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
