"""Real writers' pen digits as training data: each one drawn again through the app's stroke path, varied.

The training writers' digits (``realwriters``, never the choosing or report writers) are what
the app meets: strokes as a hand wrote them.  Each epoch sees each of them ``pen_repeats`` times,
each time turned, sheared and stretched a little and wobbled (a different day's hand), sometimes
with its points thinned out (a slower tablet), sometimes as ONE stroke of a handful of points with
the pen-ups joined (a fast flick, another tool's files), and sometimes re-made as an 8x8 scan.

Coordinates: each digit is first scaled into MNIST's 20-unit box (x right, y down), so that the
variations of ``strokestyle`` (made for 28x28 units) mean the same for every tablet.
"""

from __future__ import annotations

import numpy as np

from digitgame.recognition import preprocess
from digitgame.recognition.raster import Segments
from training import lowres, penpath, realwriters, strokestyle
from training.realwriters import PenDigit
from training.recipe import Recipe

BOX_UNITS = 20.0

PenDigits = list[tuple[np.ndarray, np.ndarray]]  # per digit: points (P, 2) float64 and points per stroke (K,)


def training_set(digits: list[PenDigit], limit: int | None = None) -> tuple[PenDigits, np.ndarray]:
    """The training writers' digits (the first ``limit``, leaving out any whose pen never moved), normalised."""
    chosen = [d for d in digits if realwriters.has_extent(d)][:limit]
    return [normalised(d.strokes) for d in chosen], np.array([d.label for d in chosen], dtype=np.int64)


def normalised(strokes: tuple[np.ndarray, ...]) -> tuple[np.ndarray, np.ndarray]:
    """A digit's strokes as one (P, 2) array in a 20-unit box (longer side 20), and the points per stroke."""
    points = np.concatenate(strokes).astype(np.float64)
    lo, hi = points.min(axis=0), points.max(axis=0)
    scale = BOX_UNITS / max(float((hi - lo).max()), 1e-9)
    return (points - lo) * scale + 4.0, np.array([len(s) for s in strokes], dtype=np.int64)


def varied(points: np.ndarray, counts: np.ndarray, rng: np.random.Generator, recipe: Recipe) -> Segments:
    """One variation of a normalised digit, as segments in 28x28 units."""
    roll = rng.random()
    if roll < recipe.pen_one_stroke:
        points = penpath.resample(points, penpath.sparse_points(rng))
        counts = np.array([len(points)])
    elif roll < recipe.pen_one_stroke + (1 - recipe.pen_one_stroke) * recipe.pen_thinned:
        points, counts = thinned(points, counts, int(rng.integers(2, 5)))
    seg = Segments.from_points(points, counts)
    return strokestyle.warp(strokestyle.affine(seg, rng, rotate_deg=12.0, shear=0.25, stretch=0.15), rng, 0.6)


def thinned(points: np.ndarray, counts: np.ndarray, every: int) -> tuple[np.ndarray, np.ndarray]:
    """Every ``every``-th point of each stroke, its last point kept."""
    kept, new_counts, start = [], [], 0
    for count in counts:
        stroke = points[start : start + count]
        start += count
        take = np.unique(np.append(np.arange(0, len(stroke), every), len(stroke) - 1))
        kept.append(stroke[take])
        new_counts.append(len(take))
    return np.concatenate(kept), np.array(new_counts, dtype=np.int64)


def augmented(
    digits: PenDigits,
    labels: np.ndarray,
    rng: np.random.Generator,
    recipe: Recipe,
    repeats: int | None = None,
    scans: float | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """``repeats`` variations of every drawing through the app's stroke path, a share ``scans`` of them
    re-made as 8x8 scans (defaults: the recipe's for pen digits): (N, 28, 28), (N,).  Letters go the same
    way as digits, with their label NOT_A_DIGIT."""
    repeats = recipe.pen_repeats if repeats is None else repeats
    scans = recipe.pen_scans if scans is None else scans
    out = np.zeros((len(digits) * repeats, 28, 28), dtype=np.float32)
    for i in range(len(out)):
        points, counts = digits[i % len(digits)]
        try:
            image = preprocess.segments_to_input(varied(points, counts, rng, recipe))
        except preprocess.NothingToRecognise:
            continue
        out[i] = lowres.low_resolution(image, rng) if rng.random() < scans else image
    return out, np.tile(labels, repeats)
