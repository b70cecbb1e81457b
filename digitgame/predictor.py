"""Load the digit model once and predict: LiteRT on the .tflite, Keras only where LiteRT is missing.

The normal path never imports TensorFlow: ``ai_edge_litert`` answers in about 0.1 ms.
A missing, empty, truncated or foreign model file raises ``ModelError`` whose text is one
line naming the path and the fix.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from digitgame import paths
from digitgame.model import INPUT_SHAPE, NUM_CLASSES, check_input
from digitgame.nativelog import native_stderr_filtered

TRAIN_HINT = "run `python train_model.py` to create it"
BUNDLE_HINT = "download digitgame again, or pass --model FILE"


def _fix() -> str:
    """What the person can do about a bad model file: train one, or (in the bundle) get it back."""
    return BUNDLE_HINT if paths.is_frozen() else TRAIN_HINT


class ModelError(RuntimeError):
    """The model cannot be used; ``str()`` is one line with the path and the fix."""


@dataclass(frozen=True)
class Outputs:
    """What the network says about a batch of model inputs."""

    probabilities: np.ndarray  # (N, 10) float32, each row sums to 1
    embeddings: np.ndarray | None  # (N, E) float32 features for the personal model; None: the model has none


class Predictor(Protocol):
    """Anything that turns a batch of (28, 28) model inputs into probabilities (and, if it can, embeddings)."""

    backend: str
    path: Path
    embedding_size: int  # E, or 0 when the model has no embedding output

    def predict(self, images: np.ndarray) -> Outputs:
        """(N, 28, 28) or (N, 28, 28, 1) float32 in [0, 1] -> Outputs for the N images, in one call."""
        ...


def _split_outputs(values: list[np.ndarray]) -> Outputs:
    """The model's outputs as Outputs: the (N, 10) one is the probabilities, any other the embedding."""
    probs = [v for v in values if v.shape[-1] == NUM_CLASSES]
    others = [v for v in values if v.shape[-1] != NUM_CLASSES]
    return Outputs(np.asarray(probs[0], dtype=np.float32), np.asarray(others[0], dtype=np.float32) if others else None)


def _check_file(path: Path, magic: bytes | None) -> None:
    if not path.exists():
        raise ModelError(f"model file not found: {path} ({_fix()})")
    if not path.is_file():
        raise ModelError(f"model path is not a file: {path} ({_fix()})")
    size = path.stat().st_size
    if size == 0:
        raise ModelError(f"model file is empty: {path} ({_fix()})")
    if magic is not None:
        with open(path, "rb") as f:
            head = f.read(8)
        if len(head) < 8 or head[4:8] != magic:
            raise ModelError(f"not a TensorFlow Lite model: {path} ({_fix()})")


class LiteRTPredictor:
    """One LiteRT interpreter, created once and reused for every prediction."""

    backend = "litert"

    def __init__(self, path: Path, num_threads: int = 1, *, content: bytes | None = None) -> None:
        """Open the model file at ``path``, or (``content``) a model held in memory, named ``path``."""
        self.path = Path(path)
        if content is None:
            _check_file(self.path, b"TFL3")
        source = {"model_path": str(self.path)} if content is None else {"model_content": content}
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:
            raise ModelError(f"LiteRT is not installed ({exc}); run `pip install ai-edge-litert`") from exc
        try:
            # The interpreter verifies the flatbuffer, so a truncated file is refused here.
            with native_stderr_filtered(b"INFO: "):
                self._interpreter = Interpreter(**source, num_threads=num_threads)
                self._interpreter.allocate_tensors()
        except Exception as exc:
            raise ModelError(f"model file is corrupt or truncated: {self.path} ({_fix()})") from exc
        inputs = self._interpreter.get_input_details()
        outputs = self._interpreter.get_output_details()
        shapes = [tuple(o["shape"]) for o in outputs]
        if (
            len(inputs) != 1
            or tuple(inputs[0]["shape"]) != (1, *INPUT_SHAPE)
            or inputs[0]["dtype"] != np.float32
            or not 1 <= len(outputs) <= 2
            or sum(shape == (1, NUM_CLASSES) for shape in shapes) != 1
            or any(len(shape) != 2 for shape in shapes)
        ):
            raise ModelError(f"not a digit model (wrong input or output shape): {self.path} ({_fix()})")
        self._input = inputs[0]["index"]
        self._outputs = [o["index"] for o in outputs]
        # A batch dimension of -1 in the signature lets one invoke() read every digit of a number.
        self._resizable = int(inputs[0]["shape_signature"][0]) == -1
        self._batch = 1
        embedding = [shape[1] for shape in shapes if shape != (1, NUM_CLASSES)]
        self.embedding_size = embedding[0] if embedding else 0

    def predict(self, images: np.ndarray) -> Outputs:
        x = check_input(images)  # (N, 28, 28, 1) float32
        if not self._resizable:
            parts = [self._invoke(x[i : i + 1]) for i in range(len(x))]
            return _split_outputs([np.concatenate(p) for p in zip(*parts, strict=True)])
        return _split_outputs(self._invoke(x))

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """One (28, 28) input -> (10,) float32 probabilities."""
        return self.predict(check_input(image)[:1]).probabilities[0]

    def _invoke(self, x: np.ndarray) -> list[np.ndarray]:
        if len(x) != self._batch:
            self._interpreter.resize_tensor_input(self._input, x.shape)
            self._interpreter.allocate_tensors()
            self._batch = len(x)
        self._interpreter.set_tensor(self._input, x)
        self._interpreter.invoke()
        return [np.array(self._interpreter.get_tensor(i)) for i in self._outputs]  # copied: the next call reuses them


class KerasPredictor:
    """The fallback where LiteRT has no wheel: the .keras model behind a fixed-signature tf.function."""

    backend = "keras"

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        _check_file(self.path, None)
        try:
            os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
            import keras
            import tensorflow as tf
        except ImportError as exc:
            raise ModelError(
                f"neither LiteRT nor TensorFlow is installed ({exc}); run `pip install ai-edge-litert`"
            ) from exc
        try:
            model = keras.models.load_model(self.path, compile=False, safe_mode=True)
        except Exception as exc:
            if "safe_mode" in str(exc) or "unsafe" in str(exc).lower():
                problem = "model file carries Python code, which safe mode refuses to run"
            else:
                problem = "model file is corrupt or not a Keras model"
            raise ModelError(f"{problem}: {self.path} ({_fix()})") from exc
        shapes = [tuple(shape[1:]) for shape in _output_shapes(model)]
        if tuple(model.input_shape[1:]) != INPUT_SHAPE or shapes.count((NUM_CLASSES,)) != 1 or len(shapes) > 2:
            raise ModelError(f"not a digit model (wrong input or output shape): {self.path} ({_fix()})")
        self.embedding_size = next((shape[0] for shape in shapes if shape != (NUM_CLASSES,)), 0)
        spec = tf.TensorSpec((None, *INPUT_SHAPE), tf.float32)
        self._call: Any = tf.function(lambda x: model(x, training=False), input_signature=[spec])

    def predict(self, images: np.ndarray) -> Outputs:
        out = self._call(check_input(images))  # a tensor, or a list of two
        values = [np.asarray(v) for v in (out if isinstance(out, list | tuple) else [out])]
        return _split_outputs(values)

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """One (28, 28) input -> (10,) float32 probabilities."""
        return self.predict(check_input(image)[:1]).probabilities[0]


def _output_shapes(model: Any) -> list[tuple[Any, ...]]:
    """A Keras model's output shapes as a list, whether it has one output or several."""
    shape = model.output_shape
    return list(shape) if isinstance(shape, list) else [shape]


def litert_available() -> bool:
    """True when ``ai_edge_litert`` can be imported."""
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


def load_predictor(path: str | Path | None = None, backend: str = "auto") -> Predictor:
    """Open the model: LiteRT on the .tflite, or Keras on the .keras when LiteRT cannot be imported.

    ``path`` may name either file; the sibling with the other suffix is used by the other backend.
    """
    if backend not in ("auto", "litert", "keras"):
        raise ValueError(f"unknown backend {backend!r}")
    path = Path(path) if path is not None else paths.model_path()
    if backend == "auto":
        backend = "litert" if litert_available() else "keras"
    if backend == "litert":
        return LiteRTPredictor(path if path.suffix != ".keras" else path.with_suffix(".tflite"))
    return KerasPredictor(path if path.suffix == ".keras" else path.with_suffix(".keras"))
