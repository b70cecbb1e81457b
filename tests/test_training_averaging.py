"""training/schedule.py and averaging.py: one learning-rate cycle then a constant averaged tail; weight averaging."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

pytest.importorskip("tensorflow")

from training import averaging, schedule
from training.schedule import Plan


def rates(plan: Plan) -> list[float]:
    learning_rate = plan.learning_rate()
    steps = range(plan.epochs * plan.steps_per_epoch)
    return [float(learning_rate(step)) if callable(learning_rate) else learning_rate for step in steps]


def test_one_cycle_rises_to_the_peak_falls_to_the_averaging_rate_and_holds_it():
    for epochs in (2, 6, 8):
        plan = Plan(epochs, steps_per_epoch=50)
        each = rates(plan)
        warmup = int(plan.cycle_steps * schedule.WARMUP_SHARE)
        assert each[0] == pytest.approx(schedule.START_LEARNING_RATE)
        assert all(a < b for a, b in itertools.pairwise(each[: warmup + 1]))
        assert each[warmup] == pytest.approx(schedule.PEAK_LEARNING_RATE)
        assert all(a >= b for a, b in itertools.pairwise(each[warmup : plan.cycle_steps + 1]))
        assert each[plan.cycle_steps :] == pytest.approx(
            [schedule.AVERAGING_LEARNING_RATE] * (len(each) - plan.cycle_steps)
        )
        assert plan.averaged_epochs == epochs // 4
        assert [plan.is_averaged(e) for e in range(epochs)] == [e >= epochs - epochs // 4 for e in range(epochs)]


def test_a_run_that_continues_a_trained_net_averages_every_epoch_at_the_constant_rate():
    plan = Plan(3, steps_per_epoch=20, from_trained=True)
    assert plan.averaged_epochs == 3 and all(plan.is_averaged(e) for e in range(3))
    assert rates(plan) == [schedule.AVERAGING_LEARNING_RATE] * 60


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
    np.testing.assert_allclose(
        np.asarray(first.moving_variance), batches.var(axis=1).mean(axis=0), rtol=1e-3, atol=1e-6
    )
