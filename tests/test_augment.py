"""augment: the numpy warp against scipy.ndimage, the pen-width changes, deterministic copies."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from digitgame.teaching import augment


def test_warp_matches_scipy_affine_transform(rng):
    images = rng.random((3, 28, 28)).astype(np.float32)
    matrices = np.eye(2) + rng.uniform(-0.2, 0.2, (3, 2, 2))
    shifts = rng.uniform(-2, 2, (3, 2))
    out = augment.warp(images, matrices, shifts)
    for image, matrix, shift, got in zip(images, matrices, shifts, out, strict=True):
        centre = np.full(2, augment.CENTRE)
        expected = ndimage.affine_transform(
            image, matrix, offset=centre - matrix @ centre - shift, order=1, mode="grid-constant"
        )
        np.testing.assert_allclose(got, expected, atol=1e-5)


def test_thicker_is_a_grey_dilation_and_thinner_an_erosion(rng):
    images = (rng.random((2, 28, 28)) > 0.7).astype(np.float32)
    dilated = np.stack(
        [ndimage.grey_dilation(x, footprint=np.ones((2, 2)), origin=(-1, -1), mode="constant") for x in images]
    )
    np.testing.assert_array_equal(augment.thicker(images)[:, 1:, 1:], dilated[:, 1:, 1:])
    thin = augment.thinner(images)
    assert (thin <= images).all() and (augment.thicker(images) >= images).all()


def test_copies_start_with_the_image_and_depend_only_on_its_pixels(rng):
    image = np.zeros((28, 28), np.float32)
    image[6:22, 12:16] = 1.0
    first, again = augment.copies(image, 8), augment.copies(image.copy(), 8)
    assert first.shape == (8, 28, 28) and first.dtype == np.float32
    np.testing.assert_array_equal(first[0], image)
    np.testing.assert_array_equal(first, again)
    assert first.min() >= 0.0 and first.max() <= 1.0
    assert all(np.abs(first[i] - image).sum() > 1.0 for i in range(1, 8))  # each copy is really varied
    assert augment.copies(image, 1).shape == (1, 28, 28)
