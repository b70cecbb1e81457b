"""Turn vector strokes or raster images into the model's input, the way MNIST was made.

MNIST's recipe (LeCun et al.): crop to the ink, fit the longer side into a 20x20
box keeping the aspect ratio, anti-alias, paste into 28x28 and translate so that
the centre of mass lands at the centre.  On MNIST's training set the centre of
mass sits at (14, 14) in pixel-index coordinates and the longer side of the ink is
20 px; tests/test_preprocess.py checks our inputs against both.

Strokes are *re-rendered* at that MNIST-like pen width after fitting, instead of
drawing them at screen size and shrinking the pixels: so the ink looks the same
whether the person drew a tiny digit or one filling a 4K screen, and a thin "1"
stays a thin line rather than being stretched into a block.

Every public function returns a (28, 28) float32 array in [0, 1], white ink on
black (the contract in ``model.py``), or raises ``NothingToRecognise``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from digitgame.files.strokefile import Point
from digitgame.recognition.model import INPUT_SIDE_PX
from digitgame.recognition.raster import EDGE_SOFTNESS_PX, PEN_RADIUS_PX, SegmentBatch, render_tiles
from digitgame.recognition.raster import Segments as Segments  # part of this module's API: segments_to_input takes them
from digitgame.recognition.reading import Nothing
from digitgame.recognition.segment import flatten

BOX_SIDE_PX = 20.0  # the longer side of the ink after fitting (MNIST)
CENTRE_PX = 14.0  # where the centre of mass lands, row and column (measured on MNIST)
MIN_CONTRAST = 0.12  # an image whose ink differs from its background by less is empty
NOISE_FLOOR = 0.10  # after normalising an image, ink below this is treated as paper noise
MIN_EXTENT_FRACTION = 0.01  # a drawing smaller than this share of its canvas is a tap, not a digit


class NothingToRecognise(ValueError):
    """The drawing or image holds no ink to recognise; ``nothing`` says why."""

    def __init__(self, nothing: Nothing) -> None:
        super().__init__(nothing.value)
        self.nothing = nothing


def centre_of_mass(image: np.ndarray) -> tuple[float, float]:
    """Ink-weighted mean (row, column) of a 2-D image, in pixel-index coordinates.

    The same numbers as ``scipy.ndimage.center_of_mass`` (the tests check it), in two dot
    products, so that the app needs no SciPy at run time.
    """
    total = float(image.sum())
    if total == 0.0:
        return (float("nan"), float("nan"))
    rows = image.sum(axis=1) @ np.arange(image.shape[0]) / total
    cols = image.sum(axis=0) @ np.arange(image.shape[1]) / total
    return (float(rows), float(cols))


# --- strokes ------------------------------------------------------------------


def segments_to_input(segments: Segments, canvas_side: float | None = None) -> np.ndarray:
    """A drawing as segments in canvas coordinates -> (28, 28) float32 model input."""
    image = _inputs(SegmentBatch.of([segments]), canvas_side)[0]
    if isinstance(image, Nothing):
        raise NothingToRecognise(image)
    return image


def segments_to_inputs(drawings: Sequence[Segments], canvas_side: float | None = None) -> list[np.ndarray | None]:
    """``segments_to_input`` for several separate drawings: ``drawings_to_inputs`` of them stored together."""
    return drawings_to_inputs(SegmentBatch.of(drawings), canvas_side)


def drawings_to_inputs(drawings: SegmentBatch, canvas_side: float | None = None) -> list[np.ndarray | None]:
    """Several drawings (the digits of a number) -> each one's (28, 28) input, all rendered in one pass.

    Each entry is the input ``segments_to_input`` makes for that drawing alone, or None where
    it would raise ``NothingToRecognise`` (a tap on its own).
    """
    return [image if isinstance(image, np.ndarray) else None for image in _inputs(drawings, canvas_side)]


def _inputs(drawings: SegmentBatch, canvas_side: float | None) -> list[np.ndarray | Nothing]:
    """Each drawing's (28, 28) input, or why there is none."""
    fitted, nothing = _fitted(drawings, canvas_side)
    if not fitted.count:
        return [n for n in nothing if n is not None]
    images = iter(_centred_tiles(render_tiles(fitted, INPUT_SIDE_PX + 2 * _CENTRING_PAD_PX)))  # (36, 36) tiles
    return [next(images) if n is None else n for n in nothing]


def _fitted(drawings: SegmentBatch, canvas_side: float | None) -> tuple[SegmentBatch, list[Nothing | None]]:
    """Each drawing scaled and moved so that its centre of mass is about the centre of a padded canvas.

    Returns the drawings that can be read, and for each drawing None or why it cannot.
    """
    seg, so, do = drawings.segments, drawings.segment_owner, drawings.dot_owner
    points = seg.points()  # (P, 2) canvas px: starts, ends, dots
    owner = np.concatenate((so, so, do))  # (P,)
    lo, hi = _boxes(points, owner, drawings.count)  # (count, 2) each
    has_ink = np.isfinite(lo[:, 0])
    extent = np.where(has_ink, (hi - lo).max(axis=1), 0.0)  # (count,) canvas px
    too_small = has_ink & (extent < MIN_EXTENT_FRACTION * canvas_side) if canvas_side else np.zeros_like(has_ink)
    nothing = [
        Nothing.EMPTY if not ink else Nothing.TOO_SMALL if small else None
        for ink, small in zip(has_ink.tolist(), too_small.tolist(), strict=True)
    ]
    # Fit: the stroke centre-lines go into a box 2*radius+softness smaller than 20 px, so that
    # the ink including its soft edge is 20 px long, as MNIST's.
    inner = BOX_SIDE_PX - 2 * PEN_RADIUS_PX - EDGE_SOFTNESS_PX
    scale = inner / np.where(extent > 0, extent, inner)  # (count,) 1 where the ink has no extent
    # Centre: put the estimated centre of mass at the centre of a padded canvas, render once,
    # then crop the 28x28 window that brings the measured centre of mass to (14, 14) to the
    # nearest pixel -- MNIST also centred by whole pixels (its centres spread +-0.5 px).
    offset = CENTRE_PX + _CENTRING_PAD_PX - _centroids(drawings, points, owner) * scale[:, None]  # (count, 2)
    if drawings.count == 1:  # one digit, the common case: no need to look up each segment's drawing
        moved = SegmentBatch(seg.transformed(float(scale[0]), offset[0]), so, do, 1)
    else:
        starts, deltas = seg.starts * scale[so, None] + offset[so], seg.deltas * scale[so, None]
        moved = SegmentBatch(Segments(starts, deltas, seg.dots * scale[do, None] + offset[do]), so, do, drawings.count)
    readable = np.array([n is None for n in nothing], dtype=bool)
    return (moved if readable.all() else moved.only(readable)), nothing


def _boxes(points: np.ndarray, owner: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Each drawing's lowest and highest (x, y): (count, 2) each, inf and -inf for a drawing with no points."""
    if count == 1 and len(points):
        return points.min(axis=0, keepdims=True), points.max(axis=0, keepdims=True)
    lo, hi = np.full((2, count), np.inf), np.full((2, count), -np.inf)
    for axis in (0, 1):
        np.minimum.at(lo[axis], owner, points[:, axis])
        np.maximum.at(hi[axis], owner, points[:, axis])
    return lo.T, hi.T


def _centroids(drawings: SegmentBatch, points: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Each drawing's length-weighted centroid (x, y), the centre of mass of ink of uniform width: (count, 2).

    A drawing of dots or zero-length strokes alone: the mean of its points.
    """
    seg, so, count = drawings.segments, drawings.segment_owner, drawings.count
    lengths = seg.lengths()  # (S,)
    middles = seg.starts + seg.deltas / 2  # (S, 2)
    total = np.bincount(so, lengths, minlength=count)[:, None]  # (count, 1)
    weighted = np.empty((count, 2))
    weighted[:, 0] = np.bincount(so, lengths * middles[:, 0], count)
    weighted[:, 1] = np.bincount(so, lengths * middles[:, 1], count)
    if total.all():
        return weighted / total
    n = np.maximum(np.bincount(owner, minlength=count), 1)
    mean = np.stack([np.bincount(owner, points[:, axis], count) for axis in (0, 1)]) / n  # (2, count)
    return np.where(total > 0, weighted / np.where(total > 0, total, 1.0), mean.T)


def _centred_tiles(tiles: np.ndarray) -> list[np.ndarray]:
    """The 28x28 window of each padded canvas (D, 36, 36) whose centre of mass is at (14, 14)."""
    index = np.arange(tiles.shape[1], dtype=np.float64)
    total = tiles.reshape(len(tiles), -1).sum(axis=1).astype(np.float64)  # (D,)
    rows = np.rint((tiles.sum(axis=2) @ index) / total - CENTRE_PX).tolist()  # (D,) the window's top
    cols = np.rint((tiles.sum(axis=1) @ index) / total - CENTRE_PX).tolist()  # ... and left
    last = 2 * _CENTRING_PAD_PX
    return [
        tile[top : top + INPUT_SIDE_PX, left : left + INPUT_SIDE_PX].copy()
        for tile, top, left in zip(
            tiles, (min(max(int(r), 0), last) for r in rows), (min(max(int(c), 0), last) for c in cols), strict=True
        )
    ]


_CENTRING_PAD_PX = 4  # the estimate of the centre of mass is off by less than this


def strokes_to_input(strokes: Sequence[Sequence[Point]], canvas_side: float | None = None) -> np.ndarray:
    """Vector strokes in canvas coordinates (x right, y down) -> (28, 28) float32 model input.

    ``canvas_side`` (the longer side of the canvas they were drawn on) lets a tiny tap be
    told apart from a digit: a drawing under 1 % of it is "nothing to recognise".
    """
    points, counts = flatten(strokes)  # (P, 2) float64 canvas px, (K,) points per stroke, 0 for empty ones
    if len(points) == 0:
        raise NothingToRecognise(Nothing.EMPTY)
    return segments_to_input(Segments.from_points(points, counts[counts > 0]), canvas_side)


# --- raster images ------------------------------------------------------------


def ink_from_grey(grey: np.ndarray) -> np.ndarray:
    """Greyscale image, either polarity -> ink in [0, 1] on a zero background.

    The background is the median of the border pixels (people draw inside the frame);
    if it is light the image is inverted, then the contrast is stretched so that the
    strongest ink is 1, and faint paper noise is set to 0.
    """
    grey = np.asarray(grey, dtype=np.float32)  # (H, W) in [0, 1]
    if grey.ndim != 2 or grey.size == 0:
        raise NothingToRecognise(Nothing.NO_PIXELS)
    border = np.concatenate((grey[0], grey[-1], grey[:, 0], grey[:, -1]))
    background = float(np.median(border))
    ink = grey if background <= 0.5 else 1.0 - grey
    background = min(background, 1.0 - background)
    contrast = float(ink.max()) - background
    if contrast < MIN_CONTRAST:
        raise NothingToRecognise(Nothing.BLANK)
    ink = np.clip((ink - background) / contrast, 0.0, 1.0)
    ink[ink < NOISE_FLOOR] = 0.0
    return ink  # (H, W) float32 in [0, 1]


def resample_matrix(n_in: int, scale: float, shift: float, n_out: int) -> np.ndarray:
    """(n_out, n_in) weights mapping input pixel i (centre at i) to output ``i * scale + shift``.

    A triangle filter widened by 1/scale when shrinking, so downscaling averages (anti-aliases)
    and upscaling interpolates linearly -- Pillow's BILINEAR resampling.
    """
    support = max(1.0, 1.0 / scale)  # in input pixels
    centres = (np.arange(n_out) - shift) / scale  # (n_out,) input coordinates
    reach = int(np.ceil(support)) + 1
    lo = np.floor(centres).astype(np.int64) - reach + 1
    taps = lo[:, None] + np.arange(2 * reach)[None, :]  # (n_out, T) input indices, unclipped
    weights = np.clip(1.0 - np.abs(taps - centres[:, None]) / support, 0.0, None)
    weights /= np.maximum(weights.sum(axis=1, keepdims=True), 1e-12)  # outside the image is ink 0
    matrix = np.zeros((n_out, n_in))
    valid = (taps >= 0) & (taps < n_in)
    rows = np.broadcast_to(np.arange(n_out)[:, None], taps.shape)
    np.add.at(matrix, (rows[valid], taps[valid]), weights[valid])
    return matrix


def fit_ink(ink: np.ndarray) -> np.ndarray:
    """Ink on a zero background, any size -> (28, 28) float32, MNIST-normalised."""
    rows = np.flatnonzero(ink.max(axis=1) > 0)
    cols = np.flatnonzero(ink.max(axis=0) > 0)
    if len(rows) == 0:
        raise NothingToRecognise(Nothing.BLANK)
    crop = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1].astype(np.float64)  # (h, w)
    scale = BOX_SIDE_PX / max(crop.shape)
    cy, cx = centre_of_mass(crop)  # the centre of mass survives resampling
    ry = resample_matrix(crop.shape[0], scale, CENTRE_PX - cy * scale, INPUT_SIDE_PX)  # (28, h)
    rx = resample_matrix(crop.shape[1], scale, CENTRE_PX - cx * scale, INPUT_SIDE_PX)  # (28, w)
    image = ry @ crop @ rx.T  # (28, 28) float64
    return np.clip(image, 0.0, 1.0).astype(np.float32)


def image_to_input(grey: np.ndarray) -> np.ndarray:
    """Greyscale image (H, W) in [0, 1], dark-on-light or light-on-dark -> (28, 28) model input."""
    return fit_ink(ink_from_grey(grey))
