"""Ink that is no digit, made here: scribbles, filled blobs and noise, taught as "not a digit".

Real writers' letters (``realwriters.read_letters``) teach most of what "not a digit" means; these
cover what people also give the app and no letter looks like: a pen scribbled back and forth, a
shape coloured in until it is one solid blob, and photos of nothing (noise, blotches) read through
the image path.  Each kind is drawn so that it cannot pass for a digit: many sharp turns, or solid
ink, or no stroke at all.  Made by this team's code, not by people: the real measure of "not a
digit" is the letters of writers nobody trained on (docs/training.md).
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from digitgame.recognition.raster import Segments
from training import strokestyle

KINDS = ("scribble", "blob", "noise")


MAX_ASPECT = 1.6  # longer side over shorter: nothing here may be drawn as thin as a 1


def scribble(rng: np.random.Generator) -> Segments:
    """One to three strokes of a hand moving back and forth, 6 to 20 sharp turns, squeezed into a box no
    thinner than MAX_ASPECT allows (28x28 units)."""
    strokes = []
    for _ in range(int(rng.integers(1, 4))):
        turns = int(rng.integers(6, 21))
        heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.uniform(1.6, 3.0, size=turns) * rng.choice((-1, 1), turns))
        steps = rng.uniform(3, 9, size=(turns, 1)) * np.stack([np.cos(heading), np.sin(heading)], axis=1)
        strokes.append(rng.uniform(6, 22, size=2) + np.cumsum(steps, axis=0))
    points = np.concatenate(strokes)
    lo, extent = points.min(axis=0), np.maximum(np.ptp(points, axis=0), 1e-6)
    side = rng.uniform(12, 20)
    box = np.array([side, side * np.exp(rng.uniform(-np.log(MAX_ASPECT), np.log(MAX_ASPECT)))])
    points = (points - lo) / extent * box + (28 - box) / 2
    return Segments.from_points(points, np.array([len(s) for s in strokes]))


def blob(rng: np.random.Generator) -> Segments:
    """A rectangle or ellipse coloured in: a zigzag of lines closer together than the pen is wide."""
    width = rng.uniform(10, 22)
    height = width * np.exp(rng.uniform(-np.log(MAX_ASPECT), np.log(MAX_ASPECT)))
    rows = np.arange(-height / 2, height / 2, rng.uniform(0.5, 1.0))
    half = width / 2 * (np.sqrt(np.clip(1 - (2 * rows / height) ** 2, 0, 1)) if rng.random() < 0.5 else 1.0)
    sign = np.where(np.arange(len(rows)) % 2 == 0, 1.0, -1.0)  # left to right, then back
    ends = np.stack([-sign * half, sign * half], axis=1)
    points = np.stack([ends.reshape(-1), np.repeat(rows, 2)], axis=1) + 14.0
    seg = Segments.from_points(points, np.array([len(points)]))
    return strokestyle.affine(seg, rng, rotate_deg=30.0, shear=0.2, stretch=0.1)


def noise_image(rng: np.random.Generator) -> np.ndarray:
    """A photo of nothing: grain or blotches at a random size, as the image path reads it: (28, 28)."""
    side = int(rng.integers(28, 160))
    shape = (side, max(28, int(side * np.exp(rng.uniform(-np.log(MAX_ASPECT), np.log(MAX_ASPECT))))))
    grey = rng.random(shape)
    if rng.random() < 0.5:
        grey = ndimage.gaussian_filter(grey, rng.uniform(1, 6))
        grey = (grey - grey.min()) / max(float(np.ptp(grey)), 1e-6)
    return preprocess.image_to_input(grey.astype(np.float32))


def junk(count: int, rng: np.random.Generator) -> np.ndarray:
    """``count`` model inputs of no digit, the kinds in turn: (count, 28, 28) float32."""
    out = np.zeros((count, 28, 28), dtype=np.float32)
    for i in range(count):
        kind = KINDS[i % len(KINDS)]
        try:
            if kind == "noise":
                out[i] = noise_image(rng)
            else:
                out[i] = preprocess.segments_to_input(scribble(rng) if kind == "scribble" else blob(rng))
        except preprocess.NothingToRecognise:
            continue
    return out
