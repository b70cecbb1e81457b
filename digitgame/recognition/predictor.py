"""Load the digit model once and predict: LiteRT on the .tflite, numpy only where LiteRT is missing.

No path imports TensorFlow: ``ai_edge_litert`` answers within the frame (benchmarks/latency.py); where it
has no wheel, ``numpy_net`` runs the same network from ``digit_cnn.weights.npz`` beside the .tflite
(benchmarks/numpy_agreement.py: its agreement with LiteRT and its speed).
A missing, unreadable, empty, truncated, damaged or foreign model file raises ``ModelError``
whose text is one line naming the path and the fix.  A ``.tflite`` (weights file) with a ``model_card.json``
beside it must match the card's ``tflite_sha256`` (``weights_sha256``); one without a card (your own) loads
unverified.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from digitgame.files import paths
from digitgame.files.nativelog import native_stderr_filtered
from digitgame.files.userfile import UnreadableFile, display_name, read_regular
from digitgame.recognition import numpy_net
from digitgame.recognition.model import INPUT_SHAPE, NUM_CLASSES, NUM_SCORES, check_input, split_scores
from digitgame.recognition.reading import NOT_A_DIGIT_DOUBT, NOT_A_DIGIT_THRESHOLD

TRAIN_HINT = "run `python train_model.py` to create it"
BUNDLE_HINT = "download digitgame again, or pass --model FILE"
INSTALLED_HINT = "reinstall digitgame (pip install --force-reinstall digitgame), or pass --model FILE"
CARD_NAME = "model_card.json"  # written beside the model by train_model.py
CARD_CHECKSUM = "tflite_sha256"  # the card's key for the .tflite's SHA-256, in hex
WEIGHTS_CHECKSUM = "weights_sha256"  # and for the numpy weights file's
MAX_MODEL_BYTES = 256 * 2**20  # far beyond the digit model's size (models/): a file this big is something else
MAX_CARD_BYTES = 2**20


def _fix() -> str:
    """What the person can do about a bad model file: train one, or (in the bundle) get it back."""
    if paths.is_frozen():
        return BUNDLE_HINT
    return INSTALLED_HINT if paths.is_installed() else TRAIN_HINT


class ModelError(RuntimeError):
    """The model cannot be used; ``str()`` is one line with the path and the fix."""


@dataclass(frozen=True)
class Outputs:
    """What the network says about a batch of model inputs."""

    probabilities: np.ndarray  # (N, 10) float32, each row sums to 1: which digit, if it is one
    embeddings: np.ndarray | None  # (N, E) float32 features for the personal model; None: the model has none
    not_digit: np.ndarray | None = None  # (N,) float32, the share the network gives "not a digit"; None: no such class


class Predictor(Protocol):
    """Anything that turns a batch of (28, 28) model inputs into probabilities (and, if it can, embeddings)."""

    backend: str
    path: Path
    embedding_size: int  # E, or 0 when the model has no embedding output
    not_a_digit_threshold: float  # "not a digit" from this share of the network's eleventh class (the card's)
    not_a_digit_doubt: float  # never a confident digit from this share (the card's; at most the threshold)

    def predict(self, images: np.ndarray) -> Outputs:
        """(N, 28, 28) or (N, 28, 28, 1) float32 in [0, 1] -> Outputs for the N images, in one call."""
        ...


SCORE_WIDTHS = (NUM_CLASSES, NUM_SCORES)  # the softmax of a model: ten digits, or ten and "not a digit"


def _split_outputs(values: list[np.ndarray]) -> Outputs:
    """The model's outputs as Outputs: the (N, 10) or (N, 11) one is the softmax, any other the embedding."""
    scores = [v for v in values if v.shape[-1] in SCORE_WIDTHS]
    others = [v for v in values if v.shape[-1] not in SCORE_WIDTHS]
    probabilities, not_digit = split_scores(scores[0])
    embeddings = np.asarray(others[0], dtype=np.float32) if others else None
    return Outputs(probabilities, embeddings, not_digit if scores[0].shape[-1] == NUM_SCORES else None)


def _is_scores(shape: tuple[int, ...]) -> bool:
    return len(shape) == 1 and shape[0] in SCORE_WIDTHS


def _open_problem(path: Path, problem: str) -> str:
    """ModelError's text for a model file that could not be opened or read."""
    shown = display_name(path)
    if problem == "no such file":
        return f"model file not found: {shown} ({_fix()})"
    if problem.startswith("is a folder"):
        return f"model path is a folder, not a file: {shown} ({_fix()})"
    if problem.startswith("not a regular file"):
        return f"model path is {problem.split(', so')[0]}: {shown} ({_fix()})"
    if problem.startswith("permission denied"):
        return f"cannot read the model file {shown}: permission denied (make it readable: chmod a+r FILE)"
    if problem == "the file is empty":
        return f"model file is empty: {shown} ({_fix()})"
    return f"cannot read the model file {shown}: {problem} ({_fix()})"


def _read_verified(path: Path, key: str) -> bytes:
    """A model file's bytes: a readable, non-empty regular file matching its card's ``key`` checksum, if any."""
    try:
        content = read_regular(path, MAX_MODEL_BYTES, "a model file")
    except UnreadableFile as exc:
        raise ModelError(_open_problem(path, exc.problem)) from None
    expected = _card_checksum(path.parent / CARD_NAME, key)
    if expected is not None and hashlib.sha256(content).hexdigest() != expected:
        raise ModelError(
            f"model file does not match its {CARD_NAME} (SHA-256 differs; damaged or replaced): "
            f"{display_name(path)} ({_fix()})"
        )
    return content


def read_tflite(path: Path) -> bytes:
    """The .tflite's bytes: a readable regular file, a TFLite flatbuffer, matching its model card if any."""
    content = _read_verified(path, CARD_CHECKSUM)
    if len(content) < 8 or content[4:8] != b"TFL3":
        raise ModelError(f"not a TensorFlow Lite model: {display_name(path)} ({_fix()})")
    return content


def _read_card(card: Path) -> dict[str, Any]:
    """The model card beside a model ({} when there is none); ModelError when it cannot be read or is not JSON."""
    try:
        raw = read_regular(card, MAX_CARD_BYTES, "a model card")
    except UnreadableFile as exc:
        if exc.problem == "no such file":
            return {}
        raise ModelError(f"cannot read the model card {display_name(card)}: {exc.problem}") from None
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        value = None
    if not isinstance(value, dict):
        raise ModelError(f"the model card is not valid JSON: {display_name(card)} ({_fix()})") from None
    return value


def _card_checksum(card: Path, key: str) -> str | None:
    """The card's checksum under ``key`` (a SHA-256 in hex), or None when there is no card or it records none."""
    value = _read_card(card).get(key)
    if value is None:
        return None
    if not (isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value)):
        raise ModelError(f"the model card's {key} is not a SHA-256 in hex: {display_name(card)}")
    return value


def not_a_digit_rule(model: Path) -> tuple[float, float]:
    """The "not a digit" threshold and doubt chosen for this model when it was trained (its card's
    ``not_a_digit``); ``reading.NOT_A_DIGIT_THRESHOLD`` and ``NOT_A_DIGIT_DOUBT`` for a model without a
    card or a card without them (a card without a doubt doubts from its threshold: never below it)."""
    card = model.parent / CARD_NAME
    entry = _read_card(card).get("not_a_digit")
    entry = entry if isinstance(entry, dict) else {}
    threshold = _share(entry.get("threshold", NOT_A_DIGIT_THRESHOLD), "threshold", card)
    doubt = _share(entry.get("doubt", threshold), "doubt", card)
    if doubt > threshold:
        raise ModelError(f"the model card's not_a_digit doubt is above its threshold: {display_name(card)}")
    return threshold, doubt


def _share(value: Any, name: str, card: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 < value <= 1.0:
        raise ModelError(f"the model card's not_a_digit {name} is not a number in (0, 1]: {display_name(card)}")
    return float(value)


# Two interpreter threads: when this was chosen, timed against one on the 2-core machine, they read one digit and
# a number's batch faster and the frame loop kept its p99.  benchmarks/latency.py and benchmarks/frame_time.py
# measure with two (docs/figures.md), not with one.  More were not tried (the machine has two cores).
NUM_THREADS = min(2, os.cpu_count() or 1)


class LiteRTPredictor:
    """One LiteRT interpreter, created once and reused for every prediction; safe to share between
    threads (an interpreter is not: one call resizing it while another reads fails)."""

    backend = "litert"

    def __init__(self, path: Path, num_threads: int = NUM_THREADS, *, content: bytes | None = None) -> None:
        """Open the model file at ``path``, or (``content``) a model held in memory, named ``path``."""
        self.path = Path(path)
        self.not_a_digit_threshold, self.not_a_digit_doubt = NOT_A_DIGIT_THRESHOLD, NOT_A_DIGIT_DOUBT
        if content is None:
            content = read_tflite(self.path)  # read once: what is verified is what is loaded
            self.not_a_digit_threshold, self.not_a_digit_doubt = not_a_digit_rule(self.path)
        try:
            from ai_edge_litert.interpreter import Interpreter
        except ImportError as exc:
            raise ModelError(f"LiteRT is not installed ({exc}); run `pip install ai-edge-litert`") from exc
        try:
            # The interpreter verifies the flatbuffer, so a truncated file is refused here.
            with native_stderr_filtered(b"INFO: "):
                self._interpreter = Interpreter(model_content=content, num_threads=num_threads)
                self._interpreter.allocate_tensors()
        except Exception as exc:
            raise ModelError(f"model file is corrupt or truncated: {display_name(self.path)} ({_fix()})") from exc
        inputs = self._interpreter.get_input_details()
        outputs = self._interpreter.get_output_details()
        shapes = [tuple(o["shape"]) for o in outputs]
        if (
            len(inputs) != 1
            or tuple(inputs[0]["shape"]) != (1, *INPUT_SHAPE)
            or inputs[0]["dtype"] != np.float32
            or not 1 <= len(outputs) <= 2
            or any(len(shape) != 2 for shape in shapes)
            or sum(_is_scores(shape[1:]) for shape in shapes) != 1
        ):
            raise ModelError(f"not a digit model (wrong input or output shape): {display_name(self.path)} ({_fix()})")
        self._input = inputs[0]["index"]
        self._outputs = [o["index"] for o in outputs]
        # A batch dimension of -1 in the signature lets one invoke() read every digit of a number.
        self._resizable = int(inputs[0]["shape_signature"][0]) == -1
        self._batch = 1
        self._lock = threading.Lock()  # one call at a time: resize, set, invoke and copy out together
        embedding = [shape[1] for shape in shapes if not _is_scores(shape[1:])]
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
        with self._lock:
            if len(x) != self._batch:
                self._interpreter.resize_tensor_input(self._input, x.shape)
                self._interpreter.allocate_tensors()
                self._batch = len(x)
            self._interpreter.set_tensor(self._input, x)
            self._interpreter.invoke()
            return [
                np.array(self._interpreter.get_tensor(i)) for i in self._outputs
            ]  # copied: the next call reuses them


class NumpyPredictor:
    """The fallback where LiteRT has no wheel: the same network in numpy, from the weights file beside the .tflite."""

    backend = "numpy"

    def __init__(self, path: Path) -> None:
        """``path``: the weights file (``digit_cnn.weights.npz``), verified against the card's ``weights_sha256``."""
        self.path = Path(path)
        content = _read_verified(self.path, WEIGHTS_CHECKSUM)
        try:
            self._net = numpy_net.NumpyNet(numpy_net.read_weights(content))
        except numpy_net.WeightsError as exc:
            raise ModelError(f"not a digit model's weights ({exc}): {display_name(self.path)} ({_fix()})") from None
        self.embedding_size = self._net.embedding_size
        self.not_a_digit_threshold, self.not_a_digit_doubt = not_a_digit_rule(self.path)

    def predict(self, images: np.ndarray) -> Outputs:
        return _split_outputs(self._net.forward(check_input(images)))

    def probabilities(self, image: np.ndarray) -> np.ndarray:
        """One (28, 28) input -> (10,) float32 probabilities."""
        return self.predict(check_input(image)[:1]).probabilities[0]


def weights_path(model: Path) -> Path:
    """The numpy weights beside a model: models/digit_cnn.tflite -> models/digit_cnn.weights.npz."""
    if model.name.endswith(numpy_net.WEIGHTS_SUFFIX):
        return model
    return model.with_name(model.stem + numpy_net.WEIGHTS_SUFFIX)


def litert_available() -> bool:
    """True when ``ai_edge_litert`` can be imported."""
    try:
        import ai_edge_litert.interpreter  # noqa: F401
    except ImportError:
        return False
    return True


def load_predictor(path: str | Path | None = None, backend: str = "auto") -> Predictor:
    """Open the model: LiteRT on the .tflite, or numpy on the weights beside it when LiteRT cannot be imported.

    ``backend``: "auto" (LiteRT if importable, else numpy), "litert" or "numpy".  ``path`` is the
    .tflite (or, for numpy, the weights file itself).  A ``.keras`` path is refused with the way out:
    the app never imports TensorFlow.
    """
    if backend not in ("auto", "litert", "numpy"):
        raise ValueError(f"unknown backend {backend!r}")
    path = Path(path) if path is not None else paths.model_path()
    if path.suffix == ".keras":
        tflite = path.with_suffix(".tflite")
        way_out = f"pass --model {display_name(tflite)}" if tflite.is_file() else "pass a .tflite model"
        raise ModelError(
            f"{display_name(path)} is a Keras model and this program runs TensorFlow Lite models: {way_out} "
            "(train_model.py writes both)"
        )
    if backend == "auto":
        backend = "litert" if litert_available() else "numpy"
    if backend == "litert":
        return LiteRTPredictor(path)
    weights = weights_path(path)
    if not weights.exists() and path.exists():
        raise ModelError(
            f"LiteRT is not installed, so {display_name(path)} cannot be run, and the numpy fallback finds no "
            f"{display_name(weights)} beside it ({_fix()}, or run `pip install ai-edge-litert`)"
        )
    return NumpyPredictor(weights)
