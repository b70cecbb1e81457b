"""The CNN's definition and the input contract shared by training and inference.

This module is the one source of truth for what the network eats: ``train_model.py`` (with
``training/``), ``predictor.py`` and the numpy forward pass in ``numpy_net.py`` import it, so they
cannot drift apart.  TensorFlow is imported lazily, inside functions, so
that importing the contract costs nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:  # pragma: no cover - typing only
    import keras

# --- the input contract -------------------------------------------------------
INPUT_SIDE_PX = 28  # MNIST images are 28x28
INPUT_SHAPE = (INPUT_SIDE_PX, INPUT_SIDE_PX, 1)  # (H, W, C), batch axis added by callers
INPUT_DTYPE = np.float32
INPUT_RANGE = (0.0, 1.0)  # 0 = background, 1 = full ink
INK_IS_WHITE = True  # white ink on a black background, as MNIST
NUM_CLASSES = 10  # the digits
NOT_A_DIGIT = 10  # the network's eleventh class: letters, scribbles, shapes, noise -- ink that is no digit
NUM_SCORES = NUM_CLASSES + 1  # the network's softmax: the ten digits, then "not a digit"


def check_input(x: np.ndarray) -> np.ndarray:
    """Return ``x`` as a (N, 28, 28, 1) float32 batch, or raise ValueError if it breaks the contract."""
    x = np.asarray(x, dtype=INPUT_DTYPE)
    if x.shape == INPUT_SHAPE[:2]:
        x = x[None, :, :, None]
    elif x.shape == INPUT_SHAPE:
        x = x[None]
    elif x.ndim == 3 and x.shape[1:] == INPUT_SHAPE[:2]:
        x = x[..., None]
    if x.ndim != 4 or x.shape[1:] != INPUT_SHAPE:
        raise ValueError(f"model input must be (N, 28, 28, 1), got {x.shape}")
    lo, hi = INPUT_RANGE
    if x.size and (not np.isfinite(x).all() or x.min() < lo - 1e-6 or x.max() > hi + 1e-6):
        raise ValueError("model input must be finite and within [0, 1]")
    return x


def split_scores(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The network's (N, 11) softmax -> the digits' (N, 10) probabilities, renormalised to sum to 1, and (N,) the
    share it gives "not a digit".  A model of ten outputs (made before the eleventh class) -> itself and zeros."""
    scores = np.asarray(scores, dtype=np.float32)
    if scores.shape[-1] == NUM_CLASSES:
        return scores, np.zeros(scores.shape[:-1], dtype=np.float32)
    digits = scores[..., :NUM_CLASSES]
    total = digits.sum(axis=-1, keepdims=True)
    even = np.full_like(digits, 1.0 / NUM_CLASSES)  # all on "not a digit": no digit leads
    renormalised = np.divide(digits, total, out=even, where=total > 0)
    return renormalised.astype(np.float32), scores[..., NOT_A_DIGIT].astype(np.float32)


@dataclass(frozen=True)
class Architecture:
    """Hyper-parameters of the CNN; the defaults were chosen by measured training runs (the model card records one)."""

    conv1_filters: int = 32  # 28x28 feature maps: keep small, this layer is the costliest per filter
    conv2_filters: int = 64  # 14x14
    conv3_filters: int = 192  # 7x7 -> 5x5 (valid padding): the widest layer, at a 7x7 map it is cheap
    dropout: float = 0.4  # before the classifier; the net is small, so moderate


def build_model(arch: Architecture | None = None) -> keras.Model:
    """Build the (uncompiled) digit CNN: (N, 28, 28, 1) float32 -> (N, 11) softmax, the digits then "not a digit"."""
    import keras
    from keras import layers

    arch = arch or Architecture()

    # Every layer is named: Keras's automatic names count the layers made earlier in the same
    # process, and they reach the exported .tflite, which must not depend on what ran before.
    def conv_bn_relu(x: Any, filters: int, n: int, padding: str = "same") -> Any:
        x = layers.Conv2D(filters, 3, padding=padding, use_bias=False, name=f"conv{n}")(x)
        x = layers.BatchNormalization(name=f"batch_norm{n}")(x)
        return layers.ReLU(name=f"relu{n}")(x)

    inputs = keras.Input(shape=INPUT_SHAPE, dtype="float32", name="image")  # (N, 28, 28, 1)
    x = conv_bn_relu(inputs, arch.conv1_filters, 1)  # (N, 28, 28, 32)
    x = layers.MaxPooling2D(name="pool1")(x)  # (N, 14, 14, 32)
    x = conv_bn_relu(x, arch.conv2_filters, 2)  # (N, 14, 14, 64)
    x = layers.MaxPooling2D(name="pool2")(x)  # (N, 7, 7, 64)
    x = conv_bn_relu(x, arch.conv3_filters, 3, padding="valid")  # (N, 5, 5, 192)
    x = layers.Flatten(name="flatten")(x)  # (N, 4800): training/embedding.py reads it by this name
    x = layers.Dropout(arch.dropout, name="dropout")(x)
    outputs = layers.Dense(NUM_SCORES, activation="softmax", name="probabilities")(x)  # (N, 11)
    return keras.Model(inputs, outputs, name="digit_cnn")


def compile_model(model: keras.Model, learning_rate: Any = 1e-3) -> keras.Model:
    """Compile with Adam and cross-entropy; ``learning_rate`` is a rate or a Keras schedule of the step."""
    import keras

    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model
