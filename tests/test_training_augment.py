"""training/augment.py: each epoch's data is reproducible from (seed, epoch), and made off the training thread."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("skimage")

from training import augment as A
from training.data import Mnist


def test_augmented_epochs_are_deterministic_and_differ(mnist):
    small = Mnist(mnist.x_train[:50], mnist.y_train[:50], mnist.x_test[:1], mnist.y_test[:1], "")
    drawn = A.drawings(small.x_train)
    a0, y0 = A.epoch_data(small, drawn, seed=3, epoch=0)
    b0, _ = A.epoch_data(small, drawn, seed=3, epoch=0)
    a1, _ = A.epoch_data(small, drawn, seed=3, epoch=1)
    np.testing.assert_array_equal(a0, b0)
    assert not np.array_equal(a0, a1)
    assert a0.shape == (A.epoch_size(50), 28, 28, 1) and A.epoch_size(50) > 50  # all 50 MNIST digits, and more
    counts, base = np.bincount(y0, minlength=10), np.bincount(small.y_train, minlength=10)
    assert (counts >= base).all() and counts.sum() == A.epoch_size(50)
    assert a0.dtype == np.float32 and a0.min() >= 0 and a0.max() <= 1


def test_epoch_data_comes_from_a_daemon_thread_and_equals_the_direct_call(mnist, monkeypatch):
    """A stopped run must not wait for data it will never use (it waited 82 s with a thread pool)."""
    import threading

    small = Mnist(mnist.x_train[:50], mnist.y_train[:50], mnist.x_test[:1], mnist.y_test[:1], "")
    drawn = A.drawings(small.x_train)
    made_in, epoch_data = [], A.epoch_data

    def recording(*args):  # type: ignore[no-untyped-def]
        made_in.append(threading.current_thread())
        return epoch_data(*args)

    monkeypatch.setattr(A, "epoch_data", recording)
    feed = A.EpochData(small, drawn, seed=3, epochs=2)
    for epoch in range(2):
        x, y = feed.take(epoch)
        direct_x, direct_y = epoch_data(small, drawn, 3, epoch)
        np.testing.assert_array_equal(x, direct_x)
        np.testing.assert_array_equal(y, direct_y)
    assert len(made_in) == 2 and len(feed.seconds) == 2 and all(t.daemon and t is not threading.current_thread() for t in made_in)


def test_digits_from_scratch_come_as_model_inputs_of_their_classes_in_equal_numbers():
    images, labels = A.scratch_digits(12, np.random.default_rng(0))
    assert images.shape == (12, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1 and (images.reshape(12, -1).max(axis=1) > 0.5).all()
    assert sorted(set(labels.tolist())) == sorted(A.SCRATCH_LABELS)
    assert len(set(np.bincount(labels)[list(A.SCRATCH_LABELS)].tolist())) == 1
