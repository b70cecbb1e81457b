"""The development set: scikit-learn's load_digits, real writers not in MNIST, in a half that chooses and a half that reports."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("PIL")

from training import devset


@pytest.fixture(scope="module")
def dev_digits():
    """load_digits: (1797, 8, 8) images in [0, 1] and their labels."""
    return devset.load_dev_digits()


def test_the_dev_set_is_all_of_load_digits_as_an_8_bit_image_holds_it(dev_digits):
    images, labels = dev_digits
    assert images.shape == (1797, 8, 8) and np.bincount(labels).min() >= 170
    levels = np.rint(images * 16)  # the 17 levels 0..16, each stored as the nearest of 256 grey values
    assert levels.max() == 16 and np.abs(images * 255 - np.rint(levels * 255 / 16)).max() < 1e-3


def test_the_choosing_and_reporting_halves_split_it_without_overlap(dev_digits):
    _, labels = dev_digits
    choosing, reporting = np.arange(devset.SIZE)[devset.CHOOSING], np.arange(devset.SIZE)[devset.REPORTING]
    assert len(labels) == devset.SIZE and not set(choosing) & set(reporting)
    assert sorted([*choosing, *reporting]) == list(range(devset.SIZE)) and abs(len(choosing) - len(reporting)) <= 1
    assert np.bincount(labels[devset.CHOOSING]).min() >= 85 and np.bincount(labels[devset.REPORTING]).min() >= 85
