"""Strokes as straight segments, rasterised into 28x28 tiles with the round anti-aliased pen the model was trained on.

Each pixel's ink is ``clip((radius + softness/2 - d) / softness, 0, 1)`` where ``d`` is the
distance from the pixel centre to the nearest stroke, approximated by points stamped densely
along the strokes (``SAMPLE_SPACING_PX`` apart).  The nearest stamp is found by scattering
squared distances with ``np.minimum.at`` into a padded tile, and the ramp is applied once per
pixel afterwards: the ramp is monotone, so the ink is exactly the largest of the stamps' inks,
for a fraction of the work of computing every stamp's ink.

Several drawings (the digits of a number) render in one pass, each into its own tile.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import numpy as np

from digitgame.recognition.model import INPUT_SIDE_PX

PEN_RADIUS_PX = 1.2  # half the solid core of a re-rendered stroke, in 28x28 pixels
EDGE_SOFTNESS_PX = 1.1  # width of the anti-aliased ramp at the stroke's edge
# Radius + softness were tuned so that skeletonised MNIST digits re-rendered through
# `render` match MNIST's own stroke width and share of grey pixels.
SAMPLE_SPACING_PX = 0.35  # distance between points stamped along a stroke
MAX_SAMPLES = 10_000  # per drawing: caps the work (and the time the GIL is held) for pathological scribbles
_STAMP_CHUNK = 1024  # samples stamped at once: small temporaries reuse freed memory


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


class SegmentBatch:
    """Several drawings stored together: all their ``segments``, and the drawing each segment and dot is in."""

    __slots__ = ("count", "dot_owner", "segment_owner", "segments")

    def __init__(self, segments: Segments, segment_owner: np.ndarray, dot_owner: np.ndarray, count: int) -> None:
        self.segments, self.count = segments, count
        self.segment_owner, self.dot_owner = segment_owner, dot_owner  # (S,), (D,) in range(count)

    @classmethod
    def of(cls, drawings: Sequence[Segments]) -> SegmentBatch:
        """Separate drawings, stored together in the given order."""
        if len(drawings) == 1:
            d = drawings[0]
            return cls(d, np.zeros(len(d.starts), dtype=np.int64), np.zeros(len(d.dots), dtype=np.int64), 1)
        number = np.arange(len(drawings))
        return cls(
            Segments(
                np.concatenate([d.starts for d in drawings]).reshape(-1, 2),
                np.concatenate([d.deltas for d in drawings]).reshape(-1, 2),
                np.concatenate([d.dots for d in drawings]).reshape(-1, 2),
            ),
            np.repeat(number, [len(d.starts) for d in drawings]),
            np.repeat(number, [len(d.dots) for d in drawings]),
            len(drawings),
        )

    def only(self, keep: np.ndarray) -> SegmentBatch:
        """The drawings where ``keep`` (count,) is True, renumbered in order."""
        number = np.cumsum(keep) - 1  # (count,) new number of each kept drawing
        s, d = keep[self.segment_owner], keep[self.dot_owner]
        seg = self.segments
        return SegmentBatch(
            Segments(seg.starts[s], seg.deltas[s], seg.dots[d]),
            number[self.segment_owner[s]],
            number[self.dot_owner[d]],
            int(keep.sum()),
        )


def render(
    segments: Segments,
    side: int = INPUT_SIDE_PX,
    radius: float | None = None,
    softness: float | None = None,
) -> np.ndarray:
    """Draw segments given in output pixel coordinates with a round anti-aliased pen: (side, side) float32 in [0, 1]."""
    return render_tiles(SegmentBatch.of([segments]), side, radius, softness)[0]


def render_tiles(
    drawings: SegmentBatch, side: int, radius: float | None = None, softness: float | None = None
) -> np.ndarray:
    """Each drawing into its own tile, in one pass: (count, side, side) float32 in [0, 1].

    A pixel's tile is part of its index, so the ink of one drawing never reaches another's and
    every tile is exactly what ``render`` makes of that drawing alone.
    """
    radius = PEN_RADIUS_PX if radius is None else radius
    softness = EDGE_SOFTNESS_PX if softness is None else softness
    reach = radius + softness / 2
    samples, tile = stamp_points(drawings)  # (N, 2) float32, (N,)
    sx, sy = samples[:, 0], samples[:, 1]
    keep = (sx > -reach - 1) & (sx < side + reach) & (sy > -reach - 1) & (sy < side + reach)
    sx, sy, tile = sx[keep], sy[keep], tile[keep]
    oy, ox, k = _stamp_offsets(reach)  # (M,) float32 each, and how far they reach
    pad = int(np.ceil(reach)) + 1 + k  # every stamp kept above lands inside the padded tile
    wide = side + 2 * pad
    nearest = np.full(drawings.count * wide * wide, np.inf, dtype=np.float32)  # squared distance to a stamp
    offsets = (oy * wide + ox).astype(np.int64)  # (M,) from a stamp's pixel to each pixel it reaches
    for lo in range(0, len(sx), _STAMP_CHUNK):
        x, y = sx[lo : lo + _STAMP_CHUNK], sy[lo : lo + _STAMP_CHUNK]
        rx, ry = np.rint(x), np.rint(y)  # (n,) the pixel each stamp sits in
        fx, fy = x - rx, y - ry  # (n,) exact: where in that pixel
        d2 = (oy[None, :] - fy[:, None]) ** 2 + (ox[None, :] - fx[:, None]) ** 2  # (n, M)
        base = (tile[lo : lo + _STAMP_CHUNK] * wide + (ry.astype(np.int64) + pad)) * wide + rx.astype(np.int64) + pad
        np.minimum.at(nearest, (base[:, None] + offsets[None, :]).ravel(), d2.ravel())
    ink = (reach - np.sqrt(nearest.reshape(drawings.count, wide, wide)[:, pad : pad + side, pad : pad + side])) * (
        1.0 / softness
    )
    return np.minimum(np.maximum(ink, 0.0, out=ink), 1.0, out=ink)  # (count, side, side) float32 in [0, 1]


def stamp_points(drawings: SegmentBatch) -> tuple[np.ndarray, np.ndarray]:
    """Points at most ``SAMPLE_SPACING_PX`` apart along every segment, ends included, plus the dots.

    Returns (N, 2) float32 points and (N,) the drawing of each.  A segment's end is left out
    where it is exactly the next segment's start in the same drawing (it would be stamped
    twice).  A drawing whose stamps would pass ``MAX_SAMPLES`` (thousands of tiny segments,
    or a very long path) is sampled along its whole arc at a wider spacing instead.
    """
    seg, owner = drawings.segments, drawings.segment_owner
    lengths = np.hypot(seg.deltas[:, 0], seg.deltas[:, 1])  # (S,)
    spacing = np.maximum(SAMPLE_SPACING_PX, np.bincount(owner, lengths, minlength=drawings.count) / MAX_SAMPLES)
    steps = np.maximum(np.ceil(lengths / spacing[owner]), 1).astype(np.int64)  # (S,)
    crowded = np.bincount(owner, steps + 1, minlength=drawings.count) > MAX_SAMPLES  # (count,)
    if crowded.any():
        return _with_arcs(drawings, crowded, spacing)
    starts, ends = seg.starts.astype(np.float32), (seg.starts + seg.deltas).astype(np.float32)  # as stamped
    joined = (ends[:-1, 0] == starts[1:, 0]) & (ends[:-1, 1] == starts[1:, 1]) & (owner[:-1] == owner[1:])
    count = steps + 1  # samples of each segment: t = 0, 1/steps, ..., 1 ...
    count[:-1] -= joined  # ... but for the end where the next segment starts
    which = np.repeat(np.arange(len(steps)), count)  # (N,) segment of each sample
    t = (np.arange(len(which)) - (np.cumsum(count) - count)[which]) / steps[which]  # (N,) in [0, 1]
    points = (seg.starts[which] + t[:, None] * seg.deltas[which]).astype(np.float32)
    return (
        np.concatenate((points, seg.dots.astype(np.float32))),
        np.concatenate((owner[which], drawings.dot_owner)),
    )


def _with_arcs(drawings: SegmentBatch, crowded: np.ndarray, spacing: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``stamp_points`` where the ``crowded`` drawings are sampled along their arcs."""
    easy = np.flatnonzero(~crowded)
    points, owner = stamp_points(drawings.only(~crowded))
    parts, owners = [points], [easy[owner]]
    for number in np.flatnonzero(crowded):
        mine = drawings.segment_owner == number
        seg = Segments(drawings.segments.starts[mine], drawings.segments.deltas[mine], np.zeros((0, 2)))
        arc = _arc_points(seg, float(spacing[number]))
        dots = drawings.segments.dots[drawings.dot_owner == number].astype(np.float32)
        parts += [arc, dots]
        owners.append(np.full(len(arc) + len(dots), number))
    return np.concatenate(parts), np.concatenate(owners)


def _arc_points(seg: Segments, spacing: float) -> np.ndarray:
    """Points along all segments taken end to end, at most ``MAX_SAMPLES``: (N, 2) float32.

    Bounded by the total length, not the number of segments, so a scribble of 50,000 points
    costs no more than a long smooth stroke.
    """
    lengths = seg.lengths()
    arc = np.concatenate(([0.0], np.cumsum(lengths)))  # (S+1,)
    s = np.arange(0.0, arc[-1], max(spacing, arc[-1] / MAX_SAMPLES))  # (N,)
    where = np.clip(np.searchsorted(arc, s, side="right") - 1, 0, len(lengths) - 1)
    t = (s - arc[where]) / np.maximum(lengths[where], 1e-12)
    return (seg.starts[where] + t[:, None] * seg.deltas[where]).astype(np.float32)


@functools.lru_cache(maxsize=8)
def _stamp_offsets(reach: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Pixel offsets (dy, dx) that a point rounded to the nearest pixel can reach: two (M,) arrays, and their bound."""
    k = int(np.ceil(reach + 0.5))
    dy, dx = np.mgrid[-k : k + 1, -k : k + 1]
    near = np.hypot(dy, dx) <= reach + np.sqrt(0.5)  # a sample sits within 0.71 px of its pixel
    oy, ox = dy[near].astype(np.float32), dx[near].astype(np.float32)
    oy.flags.writeable = ox.flags.writeable = False  # cached: every render shares them
    return oy, ox, k
