"""The committed model on real writers who are not in MNIST: scikit-learn's load_digits, through the app's image path."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("sklearn")
pytest.importorskip("PIL")

from digitgame.files import paths
from digitgame.recognition.predictor import LiteRTPredictor
from training import devset

# The real-writers issue asks for 97 % here; the committed model reads 98.05 % (1,762 of 1,797;
# the model before it, without the 9s and 1s drawn from scratch, 96.88 %).
UPSCALED_TARGET = 0.97
RAW_TARGET = 0.95  # the committed model reads 97.27 % of them as raw 8x8 images (the one before it 95.33 %)


@pytest.fixture(scope="module")
def dev_digits():
    """load_digits: (1797, 8, 8) images in [0, 1] and their labels."""
    return devset.load_dev_digits()


def accuracy(inputs: np.ndarray, labels: np.ndarray) -> float:
    probabilities = LiteRTPredictor(paths.model_path()).predict(inputs).probabilities
    return float((probabilities.argmax(axis=1) == labels).mean())


def test_the_dev_set_is_all_of_load_digits_as_an_8_bit_image_holds_it(dev_digits):
    images, labels = dev_digits
    assert images.shape == (1797, 8, 8) and np.bincount(labels).min() >= 170
    levels = np.rint(images * 16)  # the 17 levels 0..16, each stored as the nearest of 256 grey values
    assert levels.max() == 16 and np.abs(images * 255 - np.rint(levels * 255 / 16)).max() < 1e-3


def test_committed_model_reads_load_digits_upscaled(dev_digits):
    images, labels = dev_digits
    score = accuracy(devset.upscaled_inputs(images), labels)
    assert score >= UPSCALED_TARGET, f"load_digits upscaled: {score:.4f} < {UPSCALED_TARGET}"


def test_committed_model_reads_load_digits_as_raw_8x8_images(dev_digits):
    images, labels = dev_digits
    score = accuracy(devset.raw_inputs(images), labels)
    assert score >= RAW_TARGET, f"load_digits raw: {score:.4f} < {RAW_TARGET}"
