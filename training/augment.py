"""One epoch of training data: MNIST under random transforms, and MNIST re-drawn as styled pen strokes.

Everything is made with numpy/SciPy outside the network, so no augmentation layer can leak
into the exported model.  Each epoch has its own generator, derived from (seed, epoch): the
data do not depend on which thread made them or when.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from digitgame.recognition import preprocess
from training import lowres, penpath, strokestyle
from training.data import Mnist

STROKE_SHARE = 0.3  # stroke-style digits per epoch, as a share of the MNIST training set
SPARSE_SHARE = 0.2  # one-stroke digits of a handful of points (pen-ups joined), same unit
SPARSE_EIGHT_SHARE = 0.5  # of those, the share with exactly eight points
LOWRES_SHARE = 0.1  # any of the above re-made as an 8x8, 17-level scan, same unit
SCRATCH_SHARE = 0.03  # 9s with small angular loops and 1s with flag and foot, drawn from scratch, same unit
SCRATCH_LABELS = (1, 9)  # the classes drawn from scratch, in equal numbers
SCRATCH_LOWRES_SHARE = 0.75  # of those, the share re-made as an 8x8 scan, with a thick pen (where they fail)
UNTOUCHED_SHARE = 0.3  # MNIST digits left as they are, keeping the native test set in view
CANVAS_SHARE = 0.3  # MNIST digits transformed, then enlarged and read back through the app's image path
# The remaining 0.4 of MNIST is transformed only.  This mix is the best of those measured (README, "Training").


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


def augmented_images(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One epoch of augmented MNIST images: uint8 (N, 28, 28) -> (N, 28, 28) float32 in [0, 1]."""
    out = np.empty(x.shape, dtype=np.float32)
    for i, raw in enumerate(x):
        image = raw.astype(np.float32) / 255.0
        roll = rng.random()
        if roll < UNTOUCHED_SHARE:
            out[i] = image
            continue
        image = random_thickness(random_affine(image, rng), rng)
        if roll < UNTOUCHED_SHARE + CANVAS_SHARE:
            image = through_canvas(image, rng)
        out[i] = np.clip(image, 0, 1)
    return out


@dataclass(frozen=True)
class Drawings:
    """Every training digit's skeleton as segments and as one pen path in writing order (made once per run)."""

    segments: list[preprocess.Segments]
    paths: list[np.ndarray]  # (P, 2) each


def drawings(x: np.ndarray) -> Drawings:
    """Skeletonise every uint8 (28, 28) digit once: the costliest step of a run's data, so it is not repeated."""
    segments, paths = [], []
    for raw in x:
        skeleton = strokestyle.skeleton_pixels(raw.astype(np.float32) / 255.0)
        segments.append(strokestyle.segments_of(skeleton))
        paths.append(penpath.path_of(skeleton))
    return Drawings(segments, paths)


def augmented_strokes(drawings: list[preprocess.Segments], y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One epoch of stroke-style digits through the app's stroke path: (N, 28, 28) float32."""
    out = np.empty((len(drawings), 28, 28), dtype=np.float32)
    for i, (seg, label) in enumerate(zip(drawings, y, strict=True)):
        try:
            out[i] = preprocess.segments_to_input(strokestyle.augment(seg, int(label), rng))
        except (preprocess.NothingToRecognise, ValueError, IndexError):
            out[i] = preprocess.segments_to_input(seg) if len(seg.points()) else 0.0
    return out


def sparse_points(rng: np.random.Generator) -> int:
    """How many points a one-stroke digit keeps: often eight (a common tablet format), else five to sixteen."""
    return 8 if rng.random() < SPARSE_EIGHT_SHARE else int(rng.integers(5, 17))


def augmented_paths(paths: list[np.ndarray], y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """One epoch of one-stroke digits of a handful of points, through the app's stroke path: (N, 28, 28) float32."""
    out = np.zeros((len(paths), 28, 28), dtype=np.float32)
    for i, (path, label) in enumerate(zip(paths, y, strict=True)):
        if len(path) < 2:
            continue
        points = penpath.resample(penpath.restyle_path(path, int(label), rng), sparse_points(rng))
        seg = preprocess.Segments.from_points(points, np.array([len(points)]))
        seg = strokestyle.warp(strokestyle.affine(seg, rng, rotate_deg=15.0, shear=0.3, stretch=0.2), rng, 0.5)
        try:
            out[i] = preprocess.segments_to_input(seg)
        except preprocess.NothingToRecognise:
            continue
    return out


def scratch_digits(count: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
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
        if rng.random() < SCRATCH_LOWRES_SHARE:
            if rng.random() < 0.6:
                image = ndimage.grey_dilation(image, size=(2, 2) if rng.random() < 0.6 else (3, 3))
            image = lowres.low_resolution(image, rng)
        out[i] = image
    return out, labels


def epoch_size(n: int) -> int:
    """How many images an epoch holds for ``n`` MNIST training digits."""
    return n + int(n * STROKE_SHARE) + int(n * SPARSE_SHARE) + int(n * LOWRES_SHARE) + int(n * SCRATCH_SHARE)


def recipe() -> dict[str, float]:
    """The epoch's mix, for the model card."""
    return {
        "untouched_mnist": UNTOUCHED_SHARE,
        "mnist_through_image_path": CANVAS_SHARE,
        "stroke_style": STROKE_SHARE,
        "one_stroke_few_points": SPARSE_SHARE,
        "one_stroke_eight_points_of_those": SPARSE_EIGHT_SHARE,
        "low_resolution_scans": LOWRES_SHARE,
        "from_scratch_1s_and_9s": SCRATCH_SHARE,
        "from_scratch_as_scans_of_those": SCRATCH_LOWRES_SHARE,
    }


def epoch_data(data: Mnist, drawn: Drawings, seed: int, epoch: int) -> tuple[np.ndarray, np.ndarray]:
    """One epoch's shuffled images (M, 28, 28, 1) float32 and labels (M,): MNIST, its strokes and scans.

    M = N (1 + STROKE_SHARE + SPARSE_SHARE + LOWRES_SHARE + SCRATCH_SHARE) for N training digits.
    """
    rng = np.random.default_rng([seed, epoch])
    n = len(data.y_train)
    chosen = rng.permutation(n)[: int(n * STROKE_SHARE)]  # a fresh choice each epoch
    strokes = augmented_strokes([drawn.segments[i] for i in chosen], data.y_train[chosen], rng)
    images = augmented_images(data.x_train, rng)
    sparse = rng.permutation(n)[: int(n * SPARSE_SHARE)]
    paths = augmented_paths([drawn.paths[i] for i in sparse], data.y_train[sparse], rng)
    x = np.concatenate((images, strokes, paths))
    y = np.concatenate((data.y_train, data.y_train[chosen], data.y_train[sparse]))
    scanned = rng.permutation(len(y))[: int(n * LOWRES_SHARE)]  # any of the above, re-made as a coarse scan
    low = np.stack([lowres.low_resolution(x[i], rng) for i in scanned]) if len(scanned) else x[:0]
    scratch, scratch_y = scratch_digits(int(n * SCRATCH_SHARE), rng)
    x, y = np.concatenate((x, low, scratch)), np.concatenate((y, y[scanned], scratch_y))
    order = rng.permutation(len(y))
    return x[order, :, :, None], y[order]


class EpochData:
    """Freshly augmented data for every epoch, each made in a background thread while the previous trains.

    The thread is a daemon, so a stopped run exits at once instead of waiting for data it will
    never use.
    """

    def __init__(self, data: Mnist, drawn: Drawings, seed: int, epochs: int) -> None:
        self._data, self._drawn, self._seed = data, drawn, seed
        self._epochs = epochs
        self.seconds: list[float] = []  # how long each epoch's data took to make, alongside training
        self._next = self._start(0)

    def _start(self, epoch: int) -> Future[tuple[np.ndarray, np.ndarray]]:
        future: Future[tuple[np.ndarray, np.ndarray]] = Future()

        def work() -> None:
            try:
                started = time.perf_counter()
                made = epoch_data(self._data, self._drawn, self._seed, epoch)
                self.seconds.append(time.perf_counter() - started)
                future.set_result(made)
            except BaseException as exc:  # handed to take(), in the training thread
                future.set_exception(exc)

        threading.Thread(target=work, name=f"epoch-{epoch + 1}-data", daemon=True).start()
        return future

    def take(self, epoch: int) -> tuple[np.ndarray, np.ndarray]:
        """This epoch's data; starts making the next epoch's."""
        x, y = self._next.result()
        if epoch + 1 < self._epochs:
            self._next = self._start(epoch + 1)
        return x, y
