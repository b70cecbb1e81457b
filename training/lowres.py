"""Digits as low-resolution scans see them: 8x8 with 17 grey levels, as a person would upscale and open them.

The recipe is the one documented for that kind of data (NIST's form scans, as in the UCI
"optical recognition of handwritten digits" set that scikit-learn's ``load_digits`` copies):
a binary 32x32 bitmap whose 4x4 blocks become the count of their ink pixels, 0-16.  The digit
fills the bitmap's height (every ``load_digits`` digit spans all 8 rows) and keeps its aspect.  A thick
pen and a coarse grid turn a 1 with a flag and a foot into a blob the network must still read.
The 8x8 result then reaches the app either as it is or upscaled (bicubic, as image tools do),
and always through the app's own image path.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from digitgame.recognition import preprocess

BITMAP_PX = 32  # the binary bitmap before counting
BLOCK_PX = 4  # each 4x4 block of it becomes one pixel: 8x8, levels 0-16
INK_LEVEL = 0.1  # what counts as ink when cropping
MARGIN_PX = 4  # blank paper around an upscaled scan
UPSCALED_SHARE = 0.6  # scans opened upscaled; the rest reach the app as 8x8 images


def bitmap_counts(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(28, 28) ink in [0, 1] -> (8, 8) float32 in [0, 1]: counts of ink in 4x4 blocks of a 32x32 bitmap."""
    rows = np.flatnonzero(image.max(axis=1) > INK_LEVEL)
    cols = np.flatnonzero(image.max(axis=0) > INK_LEVEL)
    if len(rows) == 0:
        return np.zeros((BITMAP_PX // BLOCK_PX,) * 2, dtype=np.float32)
    crop = image[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]  # (h, w)
    scale = BITMAP_PX / crop.shape[0]  # fill the height; the width follows the aspect ratio
    big = ndimage.zoom(crop, (scale, min(scale, BITMAP_PX / crop.shape[1])), order=1, grid_mode=True, mode="nearest")
    ink = big > rng.uniform(0.25, 0.6)  # binarised, lighter or heavier
    if rng.random() < 0.5:
        ink = ndimage.binary_dilation(ink, iterations=int(rng.integers(1, 3)))  # a thicker pen than MNIST's
    bitmap = np.zeros((BITMAP_PX, BITMAP_PX), dtype=np.float32)
    h, w = min(ink.shape[0], BITMAP_PX), min(ink.shape[1], BITMAP_PX)
    left = (BITMAP_PX - w) // 2
    bitmap[:h, left : left + w] = ink[:h, :w]
    blocks = bitmap.reshape(BITMAP_PX // BLOCK_PX, BLOCK_PX, BITMAP_PX // BLOCK_PX, BLOCK_PX).sum(axis=(1, 3))
    return blocks / BLOCK_PX**2  # (8, 8): 17 levels, 0 to 1


def upscaled(grey: np.ndarray) -> np.ndarray:
    """An (8, 8) image in [0, 1] enlarged to 32x32 (Pillow's bicubic) inside a 4 px margin: (40, 40)."""
    image = Image.fromarray(np.asarray(grey, dtype=np.float32), mode="F")
    big = np.asarray(image.resize((BITMAP_PX, BITMAP_PX), Image.Resampling.BICUBIC))
    return np.pad(np.clip(big, 0.0, 1.0), MARGIN_PX)


def as_opened(low: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """An (8, 8) scan as the app gets it: as it is, or upscaled, through the app's image path -> (28, 28)."""
    grey = np.rint(low * 255) / 255  # as stored in an 8-bit file
    return preprocess.image_to_input(upscaled(grey) if rng.random() < UPSCALED_SHARE else grey)


def low_resolution(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A (28, 28) model input re-made as a low-resolution scan and read back: (28, 28) float32."""
    try:
        return as_opened(bitmap_counts(image, rng), rng)
    except preprocess.NothingToRecognise:
        return image
