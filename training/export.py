"""The trained model as files: the .keras model, the .tflite flatbuffer, the numpy weights and the model card,
written atomically."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from digitgame.files.atomic import fsync_directory
from digitgame.recognition import numpy_net
from training.stop import StopRequest

MODEL_NAME = "digit_cnn"


def convert_to_tflite(model: Any) -> bytes:
    """The Keras model as a float32 TFLite flatbuffer."""
    import tensorflow as tf

    with contextlib.redirect_stdout(io.StringIO()):  # Keras prints the exported graph's signature
        return bytes(tf.lite.TFLiteConverter.from_keras_model(model).convert())


def numpy_weights(model: Any) -> bytes:
    """The Keras model's weights as the numpy fallback reads them (``recognition/numpy_net.py``), byte-deterministic.

    Each BatchNormalization is folded into its convolution here (in float64, then float32):
    kernel * gamma / sqrt(variance + epsilon), bias beta - mean * that scale -- what the TFLite
    converter does too, so the two backends run the same arithmetic.  Dropout does nothing at inference.
    """
    arrays: dict[str, np.ndarray] = {}
    for conv in numpy_net.CONVS:
        (kernel,) = model.get_layer(conv).get_weights()  # use_bias=False: the batch norm carries the shift
        norm = model.get_layer(conv.replace("conv", "batch_norm"))
        gamma, beta, mean, variance = (np.asarray(w, np.float64) for w in norm.get_weights())
        scale = gamma / np.sqrt(variance + norm.epsilon)
        arrays[f"{conv}.kernel"] = (np.asarray(kernel, np.float64) * scale).astype(np.float32)
        arrays[f"{conv}.bias"] = (beta - mean * scale).astype(np.float32)
    names = [numpy_net.CLASSIFIER] + [n for n in numpy_net.EMBEDDING if n in {x.name for x in model.layers}]
    for name in names:
        kernel, bias = model.get_layer(name).get_weights()
        arrays[f"{name}.kernel"], arrays[f"{name}.bias"] = kernel, bias
    return numpy_net.weights_bytes(arrays)


def write_model_files(
    model: Any, tflite_bytes: bytes, weights_bytes: bytes, card: dict[str, Any], out: Path, stop: StopRequest
) -> list[Path]:
    """Write model, .tflite, numpy weights and card into ``out`` atomically: all to a temporary folder, then renamed.

    A stop requested before the renames leaves the previous files untouched; once they start,
    ``stop`` only notes a request, so the four files are all old or all new.
    """
    out.mkdir(parents=True, exist_ok=True)
    targets = [
        out / f"{MODEL_NAME}.keras",
        out / f"{MODEL_NAME}.tflite",
        out / f"{MODEL_NAME}{numpy_net.WEIGHTS_SUFFIX}",
        out / "model_card.json",
    ]
    with tempfile.TemporaryDirectory(prefix=".training-", dir=out) as tmp:
        staged = [Path(tmp) / t.name for t in targets]
        model.save(staged[0])
        staged[1].write_bytes(tflite_bytes)
        staged[2].write_bytes(weights_bytes)
        staged[3].write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
        for path in staged:
            with open(path, "rb") as f:
                os.fsync(f.fileno())
        stop.check()
        stop.hold()  # the new model goes into place and stays
        for src, dst in zip(staged, targets, strict=True):
            os.replace(src, dst)
        fsync_directory(out)  # the renames themselves survive a power cut, as the app's saves do
    return targets
