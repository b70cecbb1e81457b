"""training/augment.py and feed.py: each epoch's data is reproducible from (seed, epoch), and made in worker processes."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

pytest.importorskip("skimage")

from training import augment as A
from training import penpath, realpen, realwriters, strokestyle
from training.data import TrainingError
from training.feed import EpochFeed
from training.recipe import RECIPE
from training.skeletons import joined, skeletonise


@pytest.fixture(scope="module")
def small(mnist):
    """Fifty MNIST training digits with their labels and skeletons, and twelve training writers' pen digits and letters."""
    x, y = mnist.x_train[:50], mnist.y_train[:50]
    pen, pen_y = realpen.training_set(realwriters.of_group(realwriters.read_digits(), "training"), limit=12)
    letters, _ = realpen.training_set(realwriters.of_group(realwriters.read_letters(), "training"), limit=12)
    return A.Sources(x, y, skeletonise(x), pen, pen_y, letters)


def test_augmented_epochs_are_deterministic_and_differ(small):
    a0, y0 = A.epoch_data(small, RECIPE, seed=3, epoch=0)
    b0, _ = A.epoch_data(small, RECIPE, seed=3, epoch=0)
    a1, _ = A.epoch_data(small, RECIPE, seed=3, epoch=1)
    np.testing.assert_array_equal(a0, b0)
    assert not np.array_equal(a0, a1)
    size = A.epoch_size(50, 12, RECIPE, 12)
    assert a0.shape == (size, 28, 28, 1) and size > 50 + 12 * RECIPE.pen_repeats  # every digit, and more
    counts = np.bincount(y0, minlength=11)
    base = np.bincount(small.y, minlength=11) + RECIPE.pen_repeats * np.bincount(small.pen_y, minlength=11)
    assert (counts >= base).all() and counts.sum() == size
    made_here = sum(
        int(len(range(50)[p]) * share) for p in A.parts(50) for share in (RECIPE.junk, RECIPE.touching, RECIPE.mixed)
    )
    assert counts[10] == 12 * RECIPE.letter_repeats + made_here  # "not a digit": letters, junk, pieces, wrong cuts
    assert a0.dtype == np.float32 and a0.min() >= 0 and a0.max() <= 1


def test_the_stored_skeletons_give_exactly_the_segments_and_paths_made_from_the_image(small):
    x, drawn = small.x, small.skeletons
    for i in (0, 17, 49):
        skeleton = strokestyle.skeleton_pixels(x[i] / 255.0)
        np.testing.assert_array_equal(drawn.skeleton(i), skeleton)
        np.testing.assert_array_equal(drawn.path(i), penpath.path_of(skeleton))
        expected, got = strokestyle.segments_of(skeleton), drawn.segments(i)
        np.testing.assert_array_equal(got.starts, expected.starts)
        np.testing.assert_array_equal(got.deltas, expected.deltas)
    halves = joined([skeletonise(x[:20]), skeletonise(x[20:])])
    for field in ("bits", "path_pixels", "path_starts"):
        np.testing.assert_array_equal(getattr(halves, field), getattr(drawn, field))


def test_the_feed_makes_in_worker_processes_exactly_what_the_direct_call_makes(small):
    with EpochFeed(small.x, small.y, small.pen, small.pen_y, small.letters, RECIPE, seed=3, epochs=2) as feed:
        feed.skeletonise()
        for epoch in range(2):
            made_x, made_y = feed.take(epoch)
            direct_x, direct_y = A.epoch_data(small, RECIPE, 3, epoch)
            np.testing.assert_array_equal(made_x, direct_x)
            np.testing.assert_array_equal(made_y, direct_y)
        assert len(feed.seconds) == 2


def test_closing_the_feed_ends_its_workers_at_once(mnist):
    """A stopped run must not wait for data it will never use."""
    feed = EpochFeed(
        mnist.x_train[:20_000], mnist.y_train[:20_000], [], np.zeros(0, dtype=np.int64), [], RECIPE, seed=3, epochs=2
    )
    busy = [feed._workers.submit(time.sleep, 60) for _ in range(2)]  # busy, as while skeletonising
    time.sleep(3)  # the workers have started and taken the work
    workers = list(feed._workers._processes.values())
    started = time.perf_counter()
    feed.close()
    assert time.perf_counter() - started < 10 and len(workers) == 2 and not any(w.is_alive() for w in workers)
    assert all(future.done() for future in busy)


def test_a_worker_that_dies_ends_the_run_with_one_line_not_a_hang(mnist):
    """The out-of-memory killer, or a stray kill: multiprocessing.Pool would wait for ever."""
    x, y = mnist.x_train[:2000], mnist.y_train[:2000]
    with EpochFeed(x, y, [], np.zeros(0, dtype=np.int64), [], RECIPE, seed=3, epochs=2) as feed:
        feed.skeletonise()  # epoch 1's data is being made now
        for worker in list(feed._workers._processes.values()):
            os.kill(worker.pid, signal.SIGKILL)
        started = time.perf_counter()
        with pytest.raises(TrainingError, match="data worker process ended unexpectedly"):
            feed.take(0)
        assert time.perf_counter() - started < 30


def test_digits_from_scratch_come_as_model_inputs_of_their_classes_in_equal_numbers():
    images, labels = A.scratch_digits(12, np.random.default_rng(0))
    assert images.shape == (12, 28, 28) and images.dtype == np.float32
    assert images.min() >= 0 and images.max() <= 1 and (images.reshape(12, -1).max(axis=1) > 0.5).all()
    assert sorted(set(labels.tolist())) == sorted(A.SCRATCH_LABELS)
    assert len(set(np.bincount(labels)[list(A.SCRATCH_LABELS)].tolist())) == 1


def test_the_recipe_changes_what_an_epoch_holds(small):
    from training.recipe import with_changes

    without_pen = with_changes("pen_repeats=0")
    _, y = A.epoch_data(small, without_pen, seed=3, epoch=0)
    size = A.epoch_size(50, 12, RECIPE, 12)
    assert len(y) == A.epoch_size(50, 12, without_pen, 12) == size - 12 * RECIPE.pen_repeats
    plain = with_changes("styles=false,strokes=0")
    assert A.epoch_size(50, 12, plain, 12) < size and len(A.epoch_data(small, plain, 3, 0)[1]) == A.epoch_size(
        50, 12, plain, 12
    )
    no_letters = with_changes("letter_repeats=0,junk=0,touching=0,mixed=0")
    assert (A.epoch_data(small, no_letters, 3, 0)[1] != 10).all()
    pieces = with_changes("letter_repeats=0,junk=0,touching=0.2,mixed=0")  # touching digits: "not a digit" too
    images, y = A.epoch_data(small, pieces, 3, 0)
    assert len(y) == A.epoch_size(50, 12, pieces, 12) and (y == 10).sum() == 2 * int(25 * 0.2)
    assert images[y == 10].reshape(-1, 784).max(axis=1).min() > 0.5  # each one drawn
    wrong_cuts = with_changes("letter_repeats=0,junk=0,mixed=0.2")  # a wrong cut's parts: "not a digit" too
    images, y = A.epoch_data(small, wrong_cuts, 3, 0)
    assert len(y) == A.epoch_size(50, 12, wrong_cuts, 12) and (y == 10).sum() == 2 * int(25 * 0.2)
    assert images[y == 10].reshape(-1, 784).max(axis=1).min() > 0.5


@pytest.mark.parametrize("text", ["colour=blue", "pen_repeats=two", "styles=maybe", "scans=-1", "strokes"])
def test_a_recipe_change_that_means_nothing_is_refused_with_its_reason(text):
    from training.recipe import with_changes

    with pytest.raises(ValueError, match=r"recipe setting|number|true or false|negative"):
        with_changes(text)
