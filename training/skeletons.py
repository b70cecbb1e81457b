"""Every training digit's skeleton and pen path, made once per run: the costliest part of a run's data.

A skeleton is kept as its (56, 56) bits, packed, and the path as its pixels in the order a pen
visits them (``penpath.path_pixels``), so the whole store is a few tens of MB that cross to
the data workers cheaply; the segments and the path in 28x28 units are made from them on use,
exactly as ``strokestyle.segments_of`` and ``penpath.path_of`` would.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitgame.recognition.preprocess import Segments
from training import penpath, strokestyle

SIDE = 28 * strokestyle.UPSAMPLE  # skeletons are thinned at twice MNIST's resolution


@dataclass(frozen=True)
class Skeletons:
    """The skeletons and pen paths of N digits."""

    bits: np.ndarray  # (N, SIDE * SIDE / 8) uint8: np.packbits of each (SIDE, SIDE) bool skeleton
    path_pixels: np.ndarray  # (total, 2) uint8: every path's pixels (x, y), one path after the other
    path_starts: np.ndarray  # (N + 1,) int64: path i is path_pixels[path_starts[i] : path_starts[i + 1]]

    def __len__(self) -> int:
        return len(self.bits)

    def skeleton(self, i: int) -> np.ndarray:
        """Digit ``i``'s skeleton: (SIDE, SIDE) bool."""
        return np.unpackbits(self.bits[i], count=SIDE * SIDE).reshape(SIDE, SIDE).astype(bool)

    def segments(self, i: int) -> Segments:
        """Digit ``i``'s skeleton as segments between neighbouring pixels, in 28x28 units."""
        return strokestyle.segments_of(self.skeleton(i))

    def path(self, i: int) -> np.ndarray:
        """Digit ``i``'s skeleton as one pen path: (P, 2) float64 in 28x28 units."""
        return penpath.in_units(self.path_pixels[self.path_starts[i] : self.path_starts[i + 1]])

    def take(self, indices: np.ndarray) -> Skeletons:
        """The skeletons of the digits at ``indices``, in that order."""
        starts, ends = self.path_starts[indices], self.path_starts[np.asarray(indices) + 1]
        pixels = [self.path_pixels[a:b] for a, b in zip(starts, ends, strict=True)]
        return Skeletons(self.bits[indices], *_joined(pixels))


def skeletonise(x: np.ndarray) -> Skeletons:
    """Thin every uint8 (N, 28, 28) digit and walk its skeleton as a pen would."""
    bits, pixels = [], []
    for raw in x:
        skeleton = strokestyle.skeleton_pixels(raw.astype(np.float32) / 255.0)
        bits.append(np.packbits(skeleton))
        pixels.append(penpath.path_pixels(skeleton))
    empty = np.zeros((0, SIDE * SIDE // 8), dtype=np.uint8)
    return Skeletons(np.stack(bits) if bits else empty, *_joined(pixels))


def joined(parts: list[Skeletons]) -> Skeletons:
    """Several stores as one, in order."""
    pixels = [p.path_pixels[p.path_starts[i] : p.path_starts[i + 1]] for p in parts for i in range(len(p))]
    return Skeletons(np.concatenate([p.bits for p in parts]), *_joined(pixels))


def _joined(pixels: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    lengths = np.array([len(p) for p in pixels], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    flat = np.concatenate(pixels).astype(np.uint8) if pixels else np.zeros((0, 2), dtype=np.uint8)
    return flat.reshape(-1, 2), starts
