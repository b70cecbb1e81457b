"""The trained model as files: the .keras model, the .tflite flatbuffer and the model card, written atomically."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from digitgame.files.atomic import fsync_directory
from training.stop import StopRequest

MODEL_NAME = "digit_cnn"


def convert_to_tflite(model: Any) -> bytes:
    """The Keras model as a float32 TFLite flatbuffer."""
    import tensorflow as tf

    with contextlib.redirect_stdout(io.StringIO()):  # Keras prints the exported graph's signature
        return bytes(tf.lite.TFLiteConverter.from_keras_model(model).convert())


def write_model_files(
    model: Any, tflite_bytes: bytes, card: dict[str, Any], out: Path, stop: StopRequest
) -> list[Path]:
    """Write model, .tflite and card into ``out`` atomically: all to a temporary folder, then renamed.

    A stop requested before the renames leaves the previous files untouched; once they start,
    ``stop`` only notes a request, so the three files are all old or all new.
    """
    out.mkdir(parents=True, exist_ok=True)
    targets = [out / f"{MODEL_NAME}.keras", out / f"{MODEL_NAME}.tflite", out / "model_card.json"]
    with tempfile.TemporaryDirectory(prefix=".training-", dir=out) as tmp:
        staged = [Path(tmp) / t.name for t in targets]
        model.save(staged[0])
        staged[1].write_bytes(tflite_bytes)
        staged[2].write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        for path in staged:
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        stop.check()
        stop.hold()  # the new model goes into place and stays
        for src, dst in zip(staged, targets, strict=True):
            os.replace(src, dst)
        fsync_directory(out)  # the renames themselves survive a power cut, as the app's saves do
    return targets
