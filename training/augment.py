"""One epoch of training data: MNIST under random transforms, and MNIST re-drawn as styled pen strokes.

Everything is made with numpy/SciPy outside the network, so no augmentation layer can leak
into the exported model.  An epoch is made in ``PARTS`` parts, each from its own digits with its
own generator, derived from (seed, epoch, part): the data do not depend on which process made
them or when.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from digitgame.recognition.model import NOT_A_DIGIT
from training import junk, lowres, penpath, realpen, strokestyle, touching
from training.recipe import RECIPE, Recipe
from training.skeletons import Skeletons

SCRATCH_LABELS = (1, 9)  # the classes drawn from scratch, in equal numbers
PARTS = 2  # an epoch is made in this many parts, side by side in worker processes (feed.py)


def random_affine(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Rotate, scale, shear and shift one (28, 28) float image about its centre."""
    angle = np.deg2rad(rng.uniform(-12, 12))
    shear = rng.uniform(-0.25, 0.25)
    scale = rng.uniform(0.85, 1.1)
    aspect = np.exp(rng.uniform(-0.15, 0.15))
    c, s = np.cos(angle), np.sin(angle)
    forward = np.array([[c, -s], [s, c]]) @ np.array([[1, shear], [0, 1]]) @ np.diag((scale * aspect, scale / aspect))
    inverse = np.linalg.inv(forward)  # affine_transform maps output -> input, in (row, col)
    centre = np.array([14.0, 14.0])
    shift = rng.uniform(-2, 2, size=2)
    offset = centre - inverse @ (centre + shift)
    return ndimage.affine_transform(image, inverse, offset=offset, order=1)


def random_thickness(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Thicker or thinner strokes, as different pens make."""
    roll = rng.random()
    if roll < 0.15:
        return ndimage.grey_dilation(image, size=(2, 2))
    if roll < 0.25:
        return ndimage.grey_erosion(image, size=(2, 2)) if image.sum() > 40 else image
    return image


def through_canvas(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Enlarge as if drawn on a big canvas and read back through the app's image path.

    Three to five times: the result differs from a ten-times enlargement by 0.001-0.003 per pixel
    on average (a tenth of what the round trip itself changes) at a fraction of the cost.
    """
    big = ndimage.zoom(image, rng.uniform(3, 5), order=1, grid_mode=True, mode="grid-constant")
    try:
        return preprocess.image_to_input(np.clip(big, 0, 1))
    except preprocess.NothingToRecognise:
        return image


def augmented_images(x: np.ndarray, rng: np.random.Generator, recipe: Recipe) -> np.ndarray:
    """One epoch of augmented MNIST images: uint8 (N, 28, 28) -> (N, 28, 28) float32 in [0, 1]."""
    out = np.empty(x.shape, dtype=np.float32)
    for i, raw in enumerate(x):
        image = raw.astype(np.float32) / 255.0
        roll = rng.random()
        if roll < recipe.untouched:
            out[i] = image
            continue
        image = random_thickness(random_affine(image, rng), rng)
        if roll < recipe.untouched + recipe.through_canvas:
            image = through_canvas(image, rng)
        out[i] = np.clip(image, 0, 1)
    return out


def augmented_strokes(
    drawings: list[preprocess.Segments], y: np.ndarray, rng: np.random.Generator, styles: bool
) -> np.ndarray:
    """Stroke-style digits through the app's stroke path: (N, 28, 28) float32."""
    out = np.empty((len(drawings), 28, 28), dtype=np.float32)
    for i, (seg, label) in enumerate(zip(drawings, y, strict=True)):
        try:
            out[i] = preprocess.segments_to_input(strokestyle.augment(seg, int(label), rng, styles))
        except (preprocess.NothingToRecognise, ValueError, IndexError):
            out[i] = preprocess.segments_to_input(seg) if len(seg.points()) else 0.0
    return out


def augmented_paths(paths: list[np.ndarray], y: np.ndarray, rng: np.random.Generator, styles: bool) -> np.ndarray:
    """One-stroke digits of a handful of points, through the app's stroke path: (N, 28, 28) float32."""
    out = np.zeros((len(paths), 28, 28), dtype=np.float32)
    for i, (path, label) in enumerate(zip(paths, y, strict=True)):
        if len(path) < 2:
            continue
        styled = penpath.restyle_path(path, int(label), rng) if styles else path
        points = penpath.resample(styled, penpath.sparse_points(rng))
        seg = preprocess.Segments.from_points(points, np.array([len(points)]))
        seg = strokestyle.warp(strokestyle.affine(seg, rng, rotate_deg=15.0, shear=0.3, stretch=0.2), rng, 0.5)
        try:
            out[i] = preprocess.segments_to_input(seg)
        except preprocess.NothingToRecognise:
            continue
    return out


def scratch_digits(
    count: int, rng: np.random.Generator, scans: float = RECIPE.scratch_scans
) -> tuple[np.ndarray, np.ndarray]:
    """``count`` digits of SCRATCH_LABELS, as many of each, drawn by ``penpath.from_scratch``: images and labels.

    Most are re-made as thick-pen 8x8 scans, the rest reach the model as pen strokes.
    """
    labels = np.resize(np.array(SCRATCH_LABELS, dtype=np.int64), count)
    out = np.zeros((count, 28, 28), dtype=np.float32)
    for i, label in enumerate(labels):
        points = penpath.from_scratch(int(label), rng)
        seg = preprocess.Segments.from_points(points, np.array([len(points)]))
        seg = strokestyle.warp(strokestyle.affine(seg, rng, rotate_deg=10.0, shear=0.2, stretch=0.2), rng, 0.6)
        image = preprocess.segments_to_input(seg)
        if rng.random() < scans:
            if rng.random() < 0.6:
                image = ndimage.grey_dilation(image, size=(2, 2) if rng.random() < 0.6 else (3, 3))
            image = lowres.low_resolution(image, rng)
        out[i] = image
    return out, labels


@dataclass(frozen=True)
class Sources:
    """What an epoch, or one part of it, is made from."""

    x: np.ndarray  # (N, 28, 28) uint8 MNIST training digits
    y: np.ndarray  # (N,) their labels
    skeletons: Skeletons  # their skeletons and pen paths
    pen: realpen.PenDigits  # the training writers' digits, normalised (realpen.normalised)
    pen_y: np.ndarray  # their labels
    letters: realpen.PenDigits = field(default_factory=list)  # their letters that look like no digit, normalised

    def part(self, k: int) -> Sources:
        """The k-th of the PARTS parts an epoch is made in."""
        mnist, pen, letters = parts(len(self.y))[k], parts(len(self.pen_y))[k], parts(len(self.letters))[k]
        skeletons = self.skeletons.take(np.arange(mnist.start, mnist.stop))
        return Sources(self.x[mnist], self.y[mnist], skeletons, self.pen[pen], self.pen_y[pen], self.letters[letters])


def part_size(n: int, n_pen: int, recipe: Recipe, n_letters: int = 0) -> int:
    """How many images one part of an epoch holds for its ``n`` MNIST digits, ``n_pen`` pen digits and letters."""
    r = recipe
    made = n + int(n * r.strokes) + int(n * r.one_stroke) + int(n * r.scans) + int(n * r.scratch)
    not_digits = int(n * r.junk) + int(n * r.touching) + int(n * r.mixed)
    return made + n_pen * r.pen_repeats + n_letters * r.letter_repeats + not_digits


def parts(n: int) -> list[slice]:
    """Which of ``n`` digits each part of an epoch is made from: PARTS slices of ``range(n)``."""
    bounds = [n * k // PARTS for k in range(PARTS + 1)]
    return [slice(a, b) for a, b in itertools.pairwise(bounds)]


def epoch_size(n: int, n_pen: int, recipe: Recipe, n_letters: int = 0) -> int:
    """How many images an epoch holds for ``n`` MNIST training digits, ``n_pen`` real pen digits and letters."""
    halves = zip(parts(n), parts(n_pen), parts(n_letters), strict=True)
    return sum(part_size(a.stop - a.start, b.stop - b.start, recipe, c.stop - c.start) for a, b, c in halves)


def epoch_part(sources: Sources, recipe: Recipe, seed: int, epoch: int, part: int) -> tuple[np.ndarray, np.ndarray]:
    """One part of an epoch, made from its sources: images (M, 28, 28) float32 and labels (M,), not yet shuffled.

    M = part_size(N, P, recipe, L) for the part's N MNIST digits, P pen digits and L letters: every
    MNIST digit augmented as an image, shares of them as strokes, one-stroke paths and
    low-resolution scans, digits drawn from scratch, every pen digit varied ``recipe.pen_repeats``
    times, and "not a digit": every letter ``recipe.letter_repeats`` times, scribbles, blobs and noise,
    and pen digits written into each other.  Its own
    generator (seed, epoch, part) makes it the same whichever process makes it, and whenever.
    """
    rng = np.random.default_rng([seed, epoch, part])
    x, y, skeletons = sources.x, sources.y, sources.skeletons
    n = len(y)
    chosen = rng.permutation(n)[: int(n * recipe.strokes)]  # a fresh choice each epoch
    strokes = augmented_strokes([skeletons.segments(i) for i in chosen], y[chosen], rng, recipe.styles)
    images = augmented_images(x, rng, recipe)
    sparse = rng.permutation(n)[: int(n * recipe.one_stroke)]
    paths = augmented_paths([skeletons.path(i) for i in sparse], y[sparse], rng, recipe.styles)
    made = np.concatenate((images, strokes, paths))
    labels = np.concatenate((y, y[chosen], y[sparse]))
    scanned = rng.permutation(len(labels))[: int(n * recipe.scans)]  # any of the above, re-made as a coarse scan
    low = np.stack([lowres.low_resolution(made[i], rng) for i in scanned]) if len(scanned) else made[:0]
    scratch, scratch_y = scratch_digits(int(n * recipe.scratch), rng, recipe.scratch_scans)
    pen, pen_y = realpen.augmented(sources.pen, sources.pen_y, rng, recipe)
    not_digits = np.full(len(sources.letters), NOT_A_DIGIT, dtype=np.int64)
    letters, letters_y = realpen.augmented(
        sources.letters, not_digits, rng, recipe, recipe.letter_repeats, recipe.letter_scans
    )
    scribbles = junk.junk(int(n * recipe.junk), rng)
    pieces = touching.touching(sources.pen, int(n * recipe.touching), rng, recipe)
    pieces = np.concatenate((pieces, touching.mixed(sources.pen, int(n * recipe.mixed), rng, recipe)))
    images = np.concatenate((made, low, scratch, pen, letters, scribbles, pieces))
    not_digit = np.full(len(scribbles) + len(pieces), NOT_A_DIGIT, dtype=np.int64)
    return images, np.concatenate((labels, labels[scanned], scratch_y, pen_y, letters_y, not_digit))


def shuffled(made: list[tuple[np.ndarray, np.ndarray]], seed: int, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """An epoch's parts as one shuffled batch of model inputs (M, 28, 28, 1) float32 and labels (M,)."""
    x = np.concatenate([images for images, _ in made])
    y = np.concatenate([labels for _, labels in made])
    order = np.random.default_rng([seed, epoch, PARTS]).permutation(len(y))  # a stream no part uses
    return x[order, :, :, None], y[order]


def epoch_data(sources: Sources, recipe: Recipe, seed: int, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """One whole epoch made here, part after part: what ``feed.EpochFeed`` makes in worker processes."""
    return shuffled([epoch_part(sources.part(k), recipe, seed, epoch, k) for k in range(PARTS)], seed, epoch)
