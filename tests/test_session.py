"""live/session: the recognition state without a window -- live and on-demand readings, stale answers, slow models."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from digitgame.live.drawing import Drawing
from digitgame.live.session import RecognitionSession
from digitgame.live.verdict import ModelStatus
from digitgame.live.worker import RecognitionWorker
from digitgame.recognition.predictor import Outputs

ROOT = Path(__file__).resolve().parent.parent


class CountingPredictor:
    """Answers a fixed digit, counts its calls, and can be held back by a gate."""

    backend, path, embedding_size, not_a_digit_threshold = "counting", Path("counting"), 0, 1.0
    not_a_digit_doubt = 1.0

    def __init__(self, digit: int = 3) -> None:
        self.digit = digit
        self.calls = 0
        self.gate = threading.Event()
        self.gate.set()

    def predict(self, images: np.ndarray) -> Outputs:
        self.gate.wait(10)
        self.calls += 1
        return Outputs(np.tile(np.eye(10, dtype=np.float32)[self.digit], (len(images), 1)), None)


@pytest.fixture
def worker():
    """A worker over a CountingPredictor, stopped afterwards."""
    w = RecognitionWorker(CountingPredictor())
    yield w
    w.stop()


def stroke(drawing: Drawing) -> None:
    drawing.begin_stroke((50.0, 10.0))
    drawing.extend_stroke((52.0, 90.0))
    drawing.end_stroke()


def settle(session: RecognitionSession, drawing: Drawing, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not session.is_settled(drawing):
        if time.monotonic() > deadline:
            return False
        session.update(drawing)
        time.sleep(0.001)
    return True


def test_an_empty_drawing_is_answered_without_the_model(worker) -> None:
    session, drawing = RecognitionSession(worker), Drawing(100, 100)
    shown = session.update(drawing)
    assert len(shown) == 1 and shown[0].reading.is_empty and shown[0].revision == 0
    assert settle(session, drawing) and worker._source.calls == 0


def test_live_mode_reads_every_change(worker) -> None:
    session, drawing = RecognitionSession(worker), Drawing(100, 100)
    stroke(drawing)
    session.changed()
    assert settle(session, drawing)
    assert session.shown is not None and session.shown.reading.number == "3" and session.shown.revision == 1
    assert session.is_idle() and not session.is_stale


def test_on_demand_mode_waits_for_a_request_and_the_old_answer_goes_stale(worker) -> None:
    session, drawing = RecognitionSession(worker, is_live=False), Drawing(100, 100)
    assert settle(session, drawing)
    stroke(drawing)
    session.changed()
    for _ in range(20):
        session.update(drawing)
    assert session.shown is not None and session.shown.revision == 0 and session.is_stale
    assert worker._source.calls == 0 and session.is_idle()  # nothing to do until asked
    session.request()
    assert not session.is_idle()
    assert settle(session, drawing) and session.shown.revision == 1 and not session.is_stale


def test_only_the_newest_drawing_is_read_while_the_model_is_busy(worker) -> None:
    predictor = worker._source
    session, drawing = RecognitionSession(worker), Drawing(100, 100)
    assert settle(session, drawing)
    predictor.gate.clear()
    stroke(drawing)
    session.changed()
    session.update(drawing)  # submitted; the model is held back
    for _ in range(5):
        drawing.begin_stroke((10.0, 10.0))
        drawing.extend_stroke((20.0, 20.0))
        session.changed()
        session.update(drawing)  # busy: nothing more is queued
    predictor.gate.set()
    assert settle(session, drawing)
    assert session.shown.revision == session.revision == 6 and predictor.calls == 2


def test_a_failed_model_keeps_the_session_answering_and_idle(tmp_path) -> None:
    from digitgame.recognition.predictor import load_predictor

    worker = RecognitionWorker(lambda: load_predictor(tmp_path / "missing.tflite"))
    try:
        session, drawing = RecognitionSession(worker), Drawing(100, 100)
        assert settle(session, drawing)
        assert session.model is ModelStatus.FAILED and "missing.tflite" in worker.message
        stroke(drawing)
        session.changed()
        session.request()
        session.update(drawing)
        assert session.is_idle() and session.is_settled(drawing)
    finally:
        worker.stop()


def test_two_sessions_never_receive_each_others_answers(worker) -> None:
    a, b = RecognitionSession(worker), RecognitionSession(worker)
    drawing_a, drawing_b = Drawing(100, 100), Drawing(100, 100)
    stroke(drawing_a)
    a.changed()
    assert settle(a, drawing_a)
    assert b.update(drawing_b)[0].reading.is_empty and b.shown.revision == 0


def test_the_session_and_the_verdict_need_no_pygame() -> None:
    code = "import sys, digitgame.live.session, digitgame.live.verdict; print('pygame' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "False"


def test_a_worker_told_to_wait_loads_its_model_only_when_begun() -> None:
    loaded = threading.Event()

    def source() -> CountingPredictor:
        loaded.set()
        return CountingPredictor()

    worker = RecognitionWorker(source, load_at_once=False)
    try:
        assert not loaded.wait(0.2) and worker.status is ModelStatus.LOADING
        worker.begin()
        assert loaded.wait(10)
    finally:
        worker.stop()


def test_a_waiting_worker_stops_without_loading() -> None:
    calls = []
    worker = RecognitionWorker(lambda: calls.append(1) or CountingPredictor(), load_at_once=False)
    worker.stop()
    assert calls == [] and not worker._thread.is_alive()
