"""training/export.py: the four model files are written together, or not at all."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest

from training.export import write_model_files
from training.stop import StopRequest

OLD = {
    "digit_cnn.keras": b"old keras",
    "digit_cnn.tflite": b"old tflite",
    "digit_cnn.weights.npz": b"old weights",
    "model_card.json": b"{}",
}


class FakeModel:
    """Stands in for a Keras model: ``save`` writes known bytes."""

    def save(self, path: Path) -> None:
        Path(path).write_bytes(b"new keras")


@pytest.fixture()
def old_model(tmp_path):
    """A folder holding a previous model's four files."""
    for name, content in OLD.items():
        (tmp_path / name).write_bytes(content)
    return tmp_path


def test_all_four_files_are_replaced(old_model):
    paths = write_model_files(FakeModel(), b"new tflite", b"new weights", {"seed": 1}, old_model, StopRequest())
    assert [p.name for p in paths] == list(OLD)
    assert (old_model / "digit_cnn.keras").read_bytes() == b"new keras"
    assert (old_model / "digit_cnn.tflite").read_bytes() == b"new tflite"
    assert (old_model / "digit_cnn.weights.npz").read_bytes() == b"new weights"
    assert json.loads((old_model / "model_card.json").read_text()) == {"seed": 1}
    assert sorted(p.name for p in old_model.iterdir()) == sorted(OLD)  # no staging folder left


def test_a_stop_requested_before_the_files_move_leaves_the_previous_model(old_model):
    stop = StopRequest()
    stop.signal = signal.SIGTERM  # as the handler records it
    with pytest.raises(KeyboardInterrupt):
        write_model_files(FakeModel(), b"new tflite", b"new weights", {}, old_model, stop)
    assert {p.name: p.read_bytes() for p in old_model.iterdir()} == OLD
