"""Small variations of a 28x28 model input -- shifted, turned, sheared, scaled, thicker or thinner -- in numpy.

The personal model embeds each taught drawing together with a few such copies, so that one
example stands for the ways the same hand draws it again.  Deterministic: the copies of an
image depend only on its pixels, so re-embedding a profile gives the same bank.
"""

from __future__ import annotations

import hashlib

import numpy as np

from digitgame.recognition.model import INPUT_SIDE_PX

CENTRE = (INPUT_SIDE_PX - 1) / 2  # pixel-index centre of the 28x28 grid
MAX_TURN_DEG = 10.0  # a person's own digits vary by about this much in slant and angle
MAX_SHEAR = 0.15
MAX_SCALE_LOG = 0.1  # scale in exp(+-0.1): about +-10 %
MAX_SHIFT_PX = 1.2  # centring by whole pixels moves MNIST-like inputs by up to about 1 px
THICKER_SHARE = 0.2  # of the copies drawn with a broader pen
THINNER_SHARE = 0.15  # ... and with a narrower one
# Stored with cached embeddings, so a cache made with other variations is not reused.
RECIPE = f"augment-1;turn={MAX_TURN_DEG};shear={MAX_SHEAR};scale={MAX_SCALE_LOG};shift={MAX_SHIFT_PX}"


def warp(images: np.ndarray, matrices: np.ndarray, shifts: np.ndarray) -> np.ndarray:
    """Bilinear affine warp about the centre: (N, 28, 28) float32 -> (N, 28, 28), zero outside.

    Output pixel p (row, column) takes the input at ``matrices @ (p - centre) + centre - shifts``:
    the mapping of ``scipy.ndimage.affine_transform`` with ``order=1, mode="grid-constant"`` (tested).
    """
    n, side = len(images), images.shape[1]
    rows, cols = np.mgrid[0:side, 0:side].astype(np.float32)
    grid = np.stack((rows.ravel(), cols.ravel())) - CENTRE  # (2, P)
    source = np.einsum("nij,jp->nip", matrices.astype(np.float32), grid) + CENTRE - shifts[:, :, None]  # (N, 2, P)
    base = np.floor(source)
    frac = (source - base).astype(np.float32)  # (N, 2, P)
    r0, c0 = base[:, 0].astype(np.int64), base[:, 1].astype(np.int64)  # (N, P)
    flat = images.reshape(n, -1)
    out = np.zeros((n, side * side), dtype=np.float32)
    for dr, weight_r in ((0, 1 - frac[:, 0]), (1, frac[:, 0])):
        for dc, weight_c in ((0, 1 - frac[:, 1]), (1, frac[:, 1])):
            r, c = r0 + dr, c0 + dc
            inside = (r >= 0) & (r < side) & (c >= 0) & (c < side)
            values = np.take_along_axis(flat, np.clip(r, 0, side - 1) * side + np.clip(c, 0, side - 1), axis=1)
            out += np.where(inside, values, 0.0) * weight_r * weight_c
    return out.reshape(n, side, side)


def thicker(images: np.ndarray) -> np.ndarray:
    """Grey dilation by a 2x2 square (as ``scipy.ndimage.grey_dilation(size=(2, 2))`` up to its origin)."""
    out = images.copy()
    out[:, 1:, :] = np.maximum(out[:, 1:, :], images[:, :-1, :])
    out[:, :, 1:] = np.maximum(out[:, :, 1:], images[:, :, :-1])
    out[:, 1:, 1:] = np.maximum(out[:, 1:, 1:], images[:, :-1, :-1])
    return out


def thinner(images: np.ndarray) -> np.ndarray:
    """Grey erosion along each axis by one pixel: strokes lose about a pixel of width."""
    out = images.copy()
    out[:, 1:, :] = np.minimum(out[:, 1:, :], images[:, :-1, :])
    out[:, :, 1:] = np.minimum(out[:, :, 1:], images[:, :, :-1])
    return out


def copies(image: np.ndarray, count: int) -> np.ndarray:
    """``count`` versions of one (28, 28) input in [0, 1]: the image itself first, then varied copies."""
    image = np.asarray(image, dtype=np.float32)
    n = count - 1
    if n <= 0:
        return image[None].copy()
    rng = np.random.default_rng(int.from_bytes(hashlib.blake2b(image.tobytes(), digest_size=8).digest(), "little"))
    angle = np.deg2rad(rng.uniform(-MAX_TURN_DEG, MAX_TURN_DEG, n))
    shear = rng.uniform(-MAX_SHEAR, MAX_SHEAR, n)
    scale = np.exp(rng.uniform(-MAX_SCALE_LOG, MAX_SCALE_LOG, n))
    cos, sin = np.cos(angle), np.sin(angle)
    turn = np.stack((np.stack((cos, -sin), -1), np.stack((sin, cos), -1)), 1)  # (n, 2, 2)
    slant = np.tile(np.eye(2), (n, 1, 1))
    slant[:, 1, 0] = shear  # columns move with rows: a slant
    matrices = turn @ slant / scale[:, None, None]
    varied = warp(np.repeat(image[None], n, axis=0), matrices, rng.uniform(-MAX_SHIFT_PX, MAX_SHIFT_PX, (n, 2)))
    roll = rng.random(n)
    broad, narrow = roll < THICKER_SHARE, (roll >= THICKER_SHARE) & (roll < THICKER_SHARE + THINNER_SHARE)
    varied[broad] = thicker(varied[broad])
    varied[narrow] = thinner(varied[narrow])
    return np.concatenate((image[None], np.clip(varied, 0.0, 1.0)))  # (count, 28, 28) float32
