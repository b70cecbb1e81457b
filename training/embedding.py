"""The model's second output, for the personal model: a compact embedding of each drawing, without retraining.

``with_embedding(model, images)`` is what training calls before export.  It appends, beside the
classifier, fixed layers computed from MNIST training digits; no weight of the network changes,
so the probabilities are the original model's, bit for bit.  The second output, (N, E + 1):

* E = 32 values: the principal components (PCA) of the network's penultimate features -- the
  4,800 values the classifier reads -- scaled so that MNIST's embeddings have a mean squared
  length of 1;
* 1 value: the squared distance from those E values to the nearest of ``REFERENCES`` MNIST
  training digits.  The personal model compares it with the distance to the person's taught
  drawings: a taught drawing decides only where it is much closer than anything in MNIST.

E, the reference count and the rule were chosen on ``benchmarks/teach.py`` (docs/teaching.md); the
.tflite grows by 4,800 x 32 + 32 x 4,000 floats (its size: the model card, docs/figures.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

EMBEDDING_SIZE = 32  # PCA components: 16 and 24 taught worse, 48 and 64 no better (docs/teaching.md)
REFERENCES = 4000  # MNIST digits whose nearest measures "typical of MNIST": 3,000 hurt MNIST more, 5,000 taught less
FEATURE_LAYER = "flatten"  # the penultimate features: conv3's (5, 5, 192) maps as 4,800 values
OUTPUT_NAME = "embedding"
BATCH = 1000
POWER_ITERATIONS = 6  # randomized PCA: subspace iterations; the tests compare with an exact eigendecomposition
OVERSAMPLE = 32  # extra directions carried through the iterations


@dataclass(frozen=True)
class Projection:
    """A fitted PCA: mean (F,), components (F, E) already divided by ``scale``, and what it keeps."""

    mean: np.ndarray
    components: np.ndarray
    variance_kept: float  # share of the features' variance the E components hold

    def __call__(self, features: np.ndarray) -> np.ndarray:
        """(N, F) -> (N, E) float32, as the exported layer computes it."""
        return ((features - self.mean) @ self.components).astype(np.float32)


def fit_projection(features: np.ndarray, size: int = EMBEDDING_SIZE, seed: int = 0) -> Projection:
    """PCA of ``features`` (N, F) by randomized subspace iteration, scaled to a mean squared length of 1.

    Exact to float precision for the top ``size`` components (the tests compare with numpy's
    ``eigh``), in seconds rather than the minutes an F x F eigendecomposition takes.
    """
    x = np.asarray(features, dtype=np.float32)
    mean = x.mean(axis=0, dtype=np.float64).astype(np.float32)  # (F,)
    centred = x - mean  # (N, F)
    rng = np.random.default_rng(seed)
    basis, _ = np.linalg.qr(rng.standard_normal((x.shape[1], size + OVERSAMPLE)).astype(np.float32))  # (F, K)
    for _ in range(POWER_ITERATIONS):
        basis, _ = np.linalg.qr(centred.T @ (centred @ basis))  # (F, K): the covariance applied, re-orthonormalised
    small = (centred @ basis).astype(np.float64)  # (N, K)
    variances, rotation = np.linalg.eigh(small.T @ small / max(len(x) - 1, 1))  # ascending
    order = np.argsort(variances)[::-1][:size]
    components = basis.astype(np.float64) @ rotation[:, order]  # (F, E)
    components *= np.sign(components[np.abs(components).argmax(axis=0), np.arange(size)])  # a fixed sign each
    kept = variances[order]
    total = float(np.einsum("ij,ij->", centred, centred, dtype=np.float64)) / max(len(x) - 1, 1)
    scale = float(np.sqrt(kept.sum()))  # RMS length of the projected features
    return Projection(mean, (components / scale).astype(np.float32), float(kept.sum() / total))


def penultimate_features(model: Any, images: np.ndarray) -> np.ndarray:
    """(N, 4800) float32: the features the classifier reads, for uint8 or [0, 1] float images (N, 28, 28[, 1])."""
    import keras

    features_of = keras.Model(model.inputs, model.get_layer(FEATURE_LAYER).output)
    x = np.asarray(images)
    x = (x.astype(np.float32) / 255.0 if x.dtype == np.uint8 else x.astype(np.float32)).reshape(len(x), 28, 28, 1)
    return np.concatenate([np.asarray(features_of(x[i : i + BATCH], training=False)) for i in range(0, len(x), BATCH)])


def with_embedding(model: Any, images: np.ndarray, size: int = EMBEDDING_SIZE, references: int = REFERENCES) -> Any:
    """``model`` with two outputs, [probabilities (N, 10), embedding (N, size + 1)]; nothing is retrained.

    ``model``: the trained Keras digit CNN of ``digitgame.recognition.model.build_model`` (a ``flatten``
    layer feeds the classifier).  ``images``: MNIST training digits, uint8 (N, 28, 28) or float
    in [0, 1]; the PCA is fitted on all of them and ``references`` of them, chosen with a fixed
    seed, become the reference digits.  The layers are Keras built-ins, so the .keras file loads
    in safe mode; ``card_entry(model)`` gives the model card's description.
    """
    import keras
    from keras import layers

    features = penultimate_features(model, images)  # (N, 4800)
    projection = fit_projection(features, size)
    chosen = np.random.default_rng(0).choice(len(features), size=min(references, len(features)), replace=False)
    refs = projection(features[np.sort(chosen)])  # (R, E)
    z = layers.Dense(size, name="embedding_pca")(model.get_layer(FEATURE_LAYER).output)  # (N, E)
    squared = layers.Dot(axes=1, name="embedding_squared_length")([z, z])  # (N, 1) |z|^2
    scores = layers.Dense(len(refs), name="reference_scores")(z)  # (N, R) 2 z.r - |r|^2
    column = layers.Reshape((len(refs), 1), name="reference_scores_column")(scores)  # (N, R, 1)
    best = layers.GlobalMaxPooling1D(name="best_reference")(column)  # (N, 1)
    nearest = layers.Subtract(name="nearest_reference_squared")([squared, best])  # (N, 1) min |z - r|^2
    embedding = layers.Concatenate(name=OUTPUT_NAME)([z, nearest])  # (N, E + 1)
    combined = keras.Model(model.inputs, [model.outputs[0], embedding], name=model.name)
    combined.get_layer("embedding_pca").set_weights([projection.components, -projection.mean @ projection.components])
    combined.get_layer("reference_scores").set_weights([2.0 * refs.T, -(refs * refs).sum(axis=1)])
    return combined


def card_entry(model: Any) -> dict[str, Any]:
    """The model card's "embedding" entry, read from the layers ``with_embedding`` added to ``model``."""
    components = int(model.get_layer("embedding_pca").units)
    references = int(model.get_layer("reference_scores").units)
    features = int(model.get_layer(FEATURE_LAYER).output.shape[-1])
    return {
        "size": components + 1,
        "layout": f"values 0..{components - 1}: PCA of the {features} penultimate features ({FEATURE_LAYER}) of MNIST "
        f"training digits, scaled to a mean squared length of 1; value {components}: squared distance to the nearest "
        f"of {references} MNIST training digits in that space",
        "components": components,
        "references": references,
    }
