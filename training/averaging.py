"""Stochastic weight averaging (SWA) of a run's final epochs, and batch-norm statistics measured exactly."""

from __future__ import annotations

from typing import Any

import numpy as np


class WeightAverage:
    """Stochastic weight averaging (Izmailov et al., 2018): the mean of snapshots taken along training.

    Snapshots are taken ten times per averaged epoch (at every step if it has fewer), through
    ``callback``.  ``apply`` then measures the batch-norm statistics of the mean weights afresh,
    since averaging the weights changes every layer's activations.
    """

    SNAPSHOTS_PER_EPOCH = 10

    def __init__(self) -> None:
        import keras

        average = self

        class Snapshot(keras.callbacks.Callback):  # type: ignore[misc]
            def on_train_batch_end(self, batch: int, logs: dict[str, Any] | None = None) -> None:
                every = max(self.params.get("steps") or 1, 1) / average.SNAPSHOTS_PER_EPOCH
                if int((batch + 1) / every) > int(batch / every):  # crossed the next tenth of the epoch
                    average.add(self.model.get_weights())

        self.callback = Snapshot()
        self.count = 0
        self._sum: list[np.ndarray] = []

    def add(self, weights: list[np.ndarray]) -> None:
        """Add one snapshot of a model's weights (``model.get_weights()``)."""
        if not self._sum:
            self._sum = [np.zeros_like(w, dtype=np.float64) for w in weights]
        for total, w in zip(self._sum, weights, strict=True):
            total += w
        self.count += 1

    def apply(self, model: Any, x: np.ndarray, batch_size: int = 256) -> None:
        """Give ``model`` the mean weights, then re-measure its batch-norm statistics on ``x``."""
        current = model.get_weights()
        model.set_weights([(total / self.count).astype(w.dtype) for total, w in zip(self._sum, current, strict=True)])
        measure_batch_norm(model, x, batch_size)


def measure_batch_norm(model: Any, x: np.ndarray, batch_size: int = 256) -> None:
    """Set every batch-norm layer's moving mean and variance to their average over the batches of ``x``.

    Keras keeps exponential moving averages; a momentum of k/(k+1) at the k-th batch (counting
    from 0) turns them into the plain mean, so every batch counts equally, whatever the order,
    and nothing of the old statistics is left.
    """
    import keras

    norms = [layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization)]
    momenta = [layer.momentum for layer in norms]
    try:
        for k, start in enumerate(range(0, len(x), batch_size)):
            for layer in norms:
                layer.momentum = k / (k + 1)
            model(x[start : start + batch_size], training=True)  # training=True updates the statistics
    finally:
        for layer, momentum in zip(norms, momenta, strict=True):
            layer.momentum = momentum
