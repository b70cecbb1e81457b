"""training/averaging.py: the learning-rate schedule, and weight averaging with batch-norm re-measured."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from training import averaging


def test_learning_rate_decays_then_holds_for_the_averaged_epochs():
    for epochs in (4, 15, 20, 30):
        rates = [averaging.learning_rate(e, epochs) for e in range(epochs)]
        held = averaging.averaged_epochs(epochs)
        assert held == epochs // 4 and rates[0] == pytest.approx(2e-3)
        decaying = rates[: epochs - held]
        assert all(a > b for a, b in itertools.pairwise(decaying)) and decaying[-1] > averaging.SWA_LEARNING_RATE
        assert rates[epochs - held :] == [averaging.SWA_LEARNING_RATE] * held
    assert averaging.averaged_epochs(3) == 0 and averaging.learning_rate(2, 3) > averaging.SWA_LEARNING_RATE


def test_weight_average_is_the_mean_and_remeasures_batch_norm():
    import keras

    from digitgame.recognition.model import build_model

    keras.utils.set_random_seed(1)
    model = build_model()
    rng = np.random.default_rng(1)
    snapshots = [[w + rng.normal(0, 0.1, w.shape).astype(w.dtype) for w in model.get_weights()] for _ in range(3)]
    average = averaging.WeightAverage()
    for weights in snapshots:
        average.add(weights)
    x = rng.random((2000, 28, 28, 1), dtype=np.float32)
    average.apply(model, x, batch_size=500)  # 4 batches: a moving average (momentum 0.99) would stay near 0

    by_name = dict(zip([w.path for w in model.weights], range(len(model.weights)), strict=True))
    for weight in model.trainable_weights:  # trainable weights: exactly the mean of the snapshots
        i = by_name[weight.path]
        np.testing.assert_allclose(np.asarray(weight), np.mean([s[i] for s in snapshots], axis=0), rtol=1e-5, atol=1e-6)
    first = next(layer for layer in model.layers if isinstance(layer, keras.layers.BatchNormalization))
    assert first.momentum == 0.99  # the layer's own momentum is back for later training
    # its statistics, measured afresh: the mean of the conv outputs it normalises over all of x,
    # and the mean of the per-batch variances (each batch's biased variance, as batch-norm uses)
    conv_out = keras.Model(model.input, model.layers[model.layers.index(first) - 1].output)(x, training=False)
    batches = np.asarray(conv_out, dtype=np.float64).reshape(4, -1, conv_out.shape[-1])
    np.testing.assert_allclose(np.asarray(first.moving_mean), batches.mean(axis=(0, 1)), rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(np.asarray(first.moving_variance), batches.var(axis=1).mean(axis=0), rtol=1e-3, atol=1e-6)


def test_a_run_that_continues_a_trained_net_averages_every_epoch_at_the_constant_rate():
    assert averaging.averaged_epochs(3, from_trained=True) == 3
    assert [averaging.learning_rate(e, 3, from_trained=True) for e in range(3)] == [averaging.SWA_LEARNING_RATE] * 3
