"""Turn vector strokes or raster images into the model's input, the way MNIST was made.

MNIST's recipe (LeCun et al.): crop to the ink, fit the longer side into a 20x20
box keeping the aspect ratio, anti-alias, paste into 28x28 and translate so that
the centre of mass lands at the centre.  Measured on the MNIST training set the
centre of mass sits at (14.0, 14.0) in pixel-index coordinates (std 0.29), the
longer side of the ink is exactly 20 px, and a stroke is about 2.8 px wide.

Strokes are *re-rendered* at that MNIST-like pen width after fitting, instead of
drawing them at screen size and shrinking the pixels: so the ink looks the same
whether the person drew a tiny digit or one filling a 4K screen, and a thin "1"
stays a thin line rather than being stretched into a block.

Every public function returns a (28, 28) float32 array in [0, 1], white ink on
black (the contract in ``model.py``), or raises ``NothingToRecognise``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from digitgame.model import INPUT_SIDE_PX
from digitgame.reading import Nothing

BOX_SIDE_PX = 20.0  # the longer side of the ink after fitting (MNIST)
CENTRE_PX = 14.0  # where the centre of mass lands, row and column (measured on MNIST)
PEN_RADIUS_PX = 1.2  # half the solid core of a re-rendered stroke, in 28x28 pixels
EDGE_SOFTNESS_PX = 1.1  # width of the anti-aliased ramp at the stroke's edge
# Radius + softness were tuned so that skeletonised MNIST digits re-rendered through
# `render` match MNIST's own stroke width (2.8 px) and grey-pixel share (57 %).
SAMPLE_SPACING_PX = 0.35  # distance between points stamped along a stroke
MAX_SAMPLES = 10_000  # caps the work (and the time the GIL is held) for pathological scribbles
MIN_CONTRAST = 0.12  # an image whose ink differs from its background by less is empty
NOISE_FLOOR = 0.10  # after normalising an image, ink below this is treated as paper noise
MIN_EXTENT_FRACTION = 0.01  # a drawing smaller than this share of its canvas is a tap, not a digit

Stroke = Sequence[Sequence[float]]


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


def _flatten(strokes: Sequence[Stroke]) -> tuple[np.ndarray, np.ndarray]:
    """All points of the non-empty strokes in one (P, 2) float64 array, and each stroke's count.

    One conversion for the whole drawing: thousands of strokes cost one numpy call, not thousands.
    """
    counts = np.array([len(s) for s in strokes], dtype=np.int64)
    counts = counts[counts > 0]
    try:
        points = np.array([p for s in strokes for p in s], dtype=np.float64).reshape(-1, 2)
    except (ValueError, TypeError):
        raise ValueError("every point must be a pair [x, y] of numbers") from None
    if len(points) != counts.sum():
        raise ValueError("every point must be a pair [x, y]")
    if not np.isfinite(points).all():
        raise ValueError("stroke coordinates must be finite numbers")
    return points, counts


class Segments:
    """A drawing as straight pieces: ``starts`` and ``deltas`` (S, 2) and lone ``dots`` (K, 2), as (x, y)."""

    __slots__ = ("deltas", "dots", "starts")

    def __init__(self, starts: np.ndarray, deltas: np.ndarray, dots: np.ndarray) -> None:
        self.starts, self.deltas, self.dots = starts, deltas, dots

    @classmethod
    def from_points(cls, points: np.ndarray, counts: np.ndarray) -> Segments:
        """Segments of strokes stored back to back: ``points`` (P, 2), ``counts`` (K,) points per stroke."""
        ends = np.cumsum(counts)  # (K,) one past each stroke's last point
        within = np.ones(max(len(points) - 1, 0), dtype=bool)  # (P-1,) segment i joins points i, i+1
        within[ends[:-1] - 1] = False  # ... unless it would jump from one stroke to the next
        dots = points[(ends - 1)[counts == 1]]
        return cls(points[:-1][within], np.diff(points, axis=0)[within], dots)

    def transformed(self, scale: float, offset: np.ndarray) -> Segments:
        """The same drawing under ``p * scale + offset``."""
        return Segments(self.starts * scale + offset, self.deltas * scale, self.dots * scale + offset)

    def as_strokes(self) -> list[list[list[float]]]:
        """The drawing as stroke-file strokes: one two-point stroke per segment, one-point per dot."""
        ends = self.starts + self.deltas
        return [[a, b] for a, b in zip(self.starts.tolist(), ends.tolist(), strict=True)] + [
            [d] for d in self.dots.tolist()
        ]

    def points(self) -> np.ndarray:
        """Every endpoint and dot: (P, 2)."""
        return np.concatenate((self.starts, self.starts + self.deltas, self.dots))

    def lengths(self) -> np.ndarray:
        """Length of each segment: (S,)."""
        return np.hypot(self.deltas[:, 0], self.deltas[:, 1])

    def centroid(self) -> np.ndarray:
        """Length-weighted centroid (x, y): the centre of mass of ink of uniform width."""
        lengths = self.lengths()
        total = float(lengths.sum())
        if total == 0.0:  # only dots, or strokes of zero length
            return self.points().mean(axis=0)
        return lengths @ (self.starts + self.deltas / 2) / total

    def resample(self, spacing: float) -> np.ndarray:
        """Points at most ``spacing`` apart along every segment, ends included, plus the dots: (N, 2)."""
        lengths = self.lengths()
        steps = np.maximum(np.ceil(lengths / spacing), 1).astype(np.int64)  # (S,)
        if int(steps.sum()) + len(steps) > MAX_SAMPLES:  # thousands of tiny segments: sample the arc instead
            return self._resample_arc(lengths, max(spacing, float(lengths.sum()) / MAX_SAMPLES))
        owner = np.repeat(np.arange(len(steps)), steps + 1)  # (N,) segment of each sample
        first = np.cumsum(steps + 1) - (steps + 1)  # (S,) index of each segment's first sample
        t = (np.arange(len(owner)) - first[owner]) / steps[owner]  # (N,) in [0, 1]
        return np.concatenate((self.starts[owner] + t[:, None] * self.deltas[owner], self.dots))

    def _resample_arc(self, lengths: np.ndarray, spacing: float) -> np.ndarray:
        """Points every ``spacing`` along all segments taken end to end, plus the dots: (N, 2).

        Bounded by the total length, not the number of segments, so a scribble of 50,000 points
        costs no more than a long smooth stroke.
        """
        arc = np.concatenate(([0.0], np.cumsum(lengths)))  # (S+1,)
        s = np.arange(0.0, arc[-1], spacing)  # (N,)
        owner = np.clip(np.searchsorted(arc, s, side="right") - 1, 0, len(lengths) - 1)
        t = (s - arc[owner]) / np.maximum(lengths[owner], 1e-12)
        return np.concatenate((self.starts[owner] + t[:, None] * self.deltas[owner], self.dots))


@functools.lru_cache(maxsize=8)
def _stamp_offsets(reach: float) -> tuple[np.ndarray, np.ndarray]:
    """Pixel offsets (dy, dx) that a point rounded to the nearest pixel can reach: two (M,) arrays."""
    k = int(np.ceil(reach + 0.5))
    dy, dx = np.mgrid[-k : k + 1, -k : k + 1]
    near = np.hypot(dy, dx) <= reach + np.sqrt(0.5)  # a sample sits within 0.71 px of its pixel
    oy, ox = dy[near].astype(np.float32), dx[near].astype(np.float32)
    oy.flags.writeable = ox.flags.writeable = False  # cached: every render shares them
    return oy, ox


def render(
    segments: Segments,
    side: int = INPUT_SIDE_PX,
    radius: float | None = None,
    softness: float | None = None,
) -> np.ndarray:
    """Draw segments given in output pixel coordinates with a round anti-aliased pen.

    Each pixel's ink is ``clip((radius + softness/2 - d) / softness, 0, 1)`` where ``d`` is the
    distance from the pixel centre to the nearest stroke, approximated by stamping points
    densely along the strokes.  Returns (side, side) float32 in [0, 1].
    """
    return _render_tiles([segments], side, radius, softness)[0]


def _render_tiles(
    drawings: Sequence[Segments], side: int, radius: float | None = None, softness: float | None = None
) -> np.ndarray:
    """``render`` for several drawings in one pass: (len(drawings), side, side) float32 in [0, 1].

    Each drawing is stamped into its own tile; a pixel's tile is part of its index, so the ink
    of one drawing never reaches another's and every tile is exactly what ``render`` makes alone.
    """
    radius = PEN_RADIUS_PX if radius is None else radius
    softness = EDGE_SOFTNESS_PX if softness is None else softness
    reach = radius + softness / 2
    parts = [d.resample(max(SAMPLE_SPACING_PX, float(d.lengths().sum()) / MAX_SAMPLES)) for d in drawings]
    samples, tile = np.concatenate(parts), np.repeat(np.arange(len(parts)), [len(p) for p in parts])  # (N, 2), (N,)
    sx = samples[:, 0].astype(np.float32)
    sy = samples[:, 1].astype(np.float32)
    keep = (sx > -reach - 1) & (sx < side + reach) & (sy > -reach - 1) & (sy < side + reach)
    sx, sy, tile = sx[keep], sy[keep], tile[keep]
    oy, ox = _stamp_offsets(reach)  # (M,)
    image = np.zeros(len(drawings) * side * side, dtype=np.float32)
    for lo in range(0, len(sx), _STAMP_CHUNK):  # in chunks: small temporaries reuse freed memory (measured)
        x, y, base = sx[lo : lo + _STAMP_CHUNK], sy[lo : lo + _STAMP_CHUNK], tile[lo : lo + _STAMP_CHUNK]
        py = np.rint(y)[:, None] + oy[None, :]  # (N, M) pixel rows, float32
        px = np.rint(x)[:, None] + ox[None, :]  # (N, M) pixel columns
        dist = np.sqrt((py - y[:, None]) ** 2 + (px - x[:, None]) ** 2)  # (N, M)
        ink = np.clip((reach - dist) * (1.0 / softness), 0.0, 1.0)  # (N, M) float32 in [0, 1]
        inside = (ink > 0) & (py >= 0) & (py < side) & (px >= 0) & (px < side)
        stamped = np.flatnonzero(inside)  # taking by index is about twice as fast as a boolean mask here
        flat = (py * side + px).astype(np.int32) + (base * side * side).astype(np.int32)[:, None]  # into the tiles
        np.maximum.at(image, np.take(flat, stamped), np.take(ink, stamped))
    return image.reshape(len(drawings), side, side)  # (D, side, side) float32 in [0, 1]


_STAMP_CHUNK = 512  # samples stamped at once


def segments_to_input(segments: Segments, canvas_side: float | None = None) -> np.ndarray:
    """A drawing as segments in canvas coordinates -> (28, 28) float32 model input."""
    return _centred_tiles(render(_fitted(segments, canvas_side), side=INPUT_SIDE_PX + 2 * _CENTRING_PAD_PX)[None])[0]


def segments_to_inputs(drawings: Sequence[Segments], canvas_side: float | None = None) -> list[np.ndarray | None]:
    """``segments_to_input`` for several drawings (the digits of a number), rendered in one pass.

    Each entry is the (28, 28) input ``segments_to_input`` makes for that drawing, or None where
    it would raise ``NothingToRecognise`` (a tap on its own).
    """
    fitted: list[Segments] = []
    where: list[int] = []
    for i, drawing in enumerate(drawings):
        try:
            fitted.append(_fitted(drawing, canvas_side))
        except NothingToRecognise:
            continue
        where.append(i)
    out: list[np.ndarray | None] = [None] * len(drawings)
    if fitted:
        tiles = _render_tiles(fitted, INPUT_SIDE_PX + 2 * _CENTRING_PAD_PX)  # (D, 36, 36)
        for i, image in zip(where, _centred_tiles(tiles), strict=True):
            out[i] = image
    return out


def _fitted(segments: Segments, canvas_side: float | None) -> Segments:
    """The drawing scaled and moved so that its centre of mass is about the centre of a padded canvas."""
    points = segments.points()  # (P, 2) canvas px
    if len(points) == 0:
        raise NothingToRecognise(Nothing.EMPTY)
    extent = float((points.max(axis=0) - points.min(axis=0)).max())  # canvas px
    if canvas_side and extent < MIN_EXTENT_FRACTION * canvas_side:
        raise NothingToRecognise(Nothing.TOO_SMALL)
    # Fit: the stroke centre-lines go into a box 2*radius+softness smaller than 20 px, so that
    # the ink including its soft edge is 20 px long, as MNIST's.
    inner = BOX_SIDE_PX - 2 * PEN_RADIUS_PX - EDGE_SOFTNESS_PX
    scale = inner / extent if extent > 0 else 1.0
    # Centre: put the estimated centre of mass at the centre of a padded canvas, render once,
    # then crop the 28x28 window that brings the measured centre of mass to (14, 14) to the
    # nearest pixel -- MNIST also centred by whole pixels (its centres spread +-0.5 px).
    offset = CENTRE_PX + _CENTRING_PAD_PX - segments.centroid() * scale
    return segments.transformed(scale, offset)


def _centred_tiles(tiles: np.ndarray) -> list[np.ndarray]:
    """The 28x28 window of each padded canvas (D, 36, 36) whose centre of mass is at (14, 14)."""
    index = np.arange(tiles.shape[1])
    total = tiles.reshape(len(tiles), -1).sum(axis=1).astype(np.float64)  # (D,)
    com = np.stack((tiles.sum(axis=2) @ index, tiles.sum(axis=1) @ index), axis=1) / total[:, None]  # (D, 2)
    corners = np.clip(np.rint(com - CENTRE_PX).astype(int), 0, 2 * _CENTRING_PAD_PX).tolist()
    return [
        tile[top : top + INPUT_SIDE_PX, left : left + INPUT_SIDE_PX].copy()
        for tile, (top, left) in zip(tiles, corners, strict=True)
    ]


_CENTRING_PAD_PX = 4  # the estimate of the centre of mass is off by less than this


def strokes_to_input(strokes: Sequence[Stroke], canvas_side: float | None = None) -> np.ndarray:
    """Vector strokes in canvas coordinates (x right, y down) -> (28, 28) float32 model input.

    ``canvas_side`` (the longer side of the canvas they were drawn on) lets a tiny tap be
    told apart from a digit: a drawing under 1 % of it is "nothing to recognise".
    """
    points, counts = _flatten(strokes)  # (P, 2) float64 canvas px, (K,) points per stroke
    if len(points) == 0:
        raise NothingToRecognise(Nothing.EMPTY)
    return segments_to_input(Segments.from_points(points, counts), canvas_side)


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
