"""scikit-learn's ``load_digits``: real writers not in MNIST, in a half that chooses and a half that reports.

1,797 digits by 13 writers, 8x8 with 17 grey levels.  The app meets them as images, either
as they are or upscaled to 32x32 (bicubic, with a margin), always through its own image path.
Nothing trains on them.  The first half (``CHOOSING``) is validation data: settings and
thresholds are chosen on it.  The second half (``REPORTING``) is measured once and only reported.
"""

from __future__ import annotations

import numpy as np

from digitgame.recognition import preprocess
from training.lowres import upscaled

SIZE = 1797
CHOOSING = slice(0, 899)  # the first half: validation, chooses
REPORTING = slice(899, SIZE)  # the second half: test, reported and never chosen on


def load_dev_digits() -> tuple[np.ndarray, np.ndarray]:
    """(1797, 8, 8) float32 ink in [0, 1] as an 8-bit image file holds it, and int64 labels (1797,)."""
    from sklearn.datasets import load_digits

    digits = load_digits()
    grey = np.rint(digits.images * 255 / 16) / 255  # 0..16 -> 0..255 -> [0, 1]
    return grey.astype(np.float32), digits.target.astype(np.int64)


def raw_inputs(images: np.ndarray) -> np.ndarray:
    """Each 8x8 image as it is, through the app's image path: (N, 28, 28) float32."""
    return np.stack([preprocess.image_to_input(image) for image in images])


def upscaled_inputs(images: np.ndarray) -> np.ndarray:
    """Each 8x8 image upscaled to 32x32 (bicubic) inside a margin, through the app's image path: (N, 28, 28)."""
    return np.stack([preprocess.image_to_input(upscaled(image)) for image in images])
