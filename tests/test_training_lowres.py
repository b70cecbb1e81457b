"""training/lowres.py: digits re-made as 8x8 scans with 17 grey levels, then opened as the app opens images."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("PIL")

from training import lowres


def test_a_scan_has_17_levels_and_fills_its_height(mnist, rng):
    for raw in mnist.x_test[:30]:
        low = lowres.bitmap_counts(raw / 255.0, rng)
        assert low.shape == (8, 8)
        np.testing.assert_allclose(low * 16, np.rint(low * 16), atol=1e-6)  # counts 0..16
        assert low[0].any() and low[-1].any()


def test_upscaling_is_pillows_bicubic_inside_a_margin():
    from PIL import Image

    grey = np.random.default_rng(3).random((8, 8)).astype(np.float32)
    big = lowres.upscaled(grey)
    reference = np.asarray(Image.fromarray(grey, mode="F").resize((32, 32), Image.Resampling.BICUBIC))
    assert big.shape == (40, 40) and not big[:4].any() and not big[:, -4:].any()
    np.testing.assert_allclose(big[4:-4, 4:-4], np.clip(reference, 0, 1))


def test_a_scanned_digit_reaches_the_model_as_a_model_input(mnist, rng):
    image = lowres.low_resolution(mnist.x_test[0] / 255.0, rng)
    assert image.shape == (28, 28) and image.dtype == np.float32 and image.min() >= 0 and image.max() <= 1
