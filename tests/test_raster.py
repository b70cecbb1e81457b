"""raster: the round anti-aliased pen, checked against the true distance and against a pixel-by-pixel reference."""

from __future__ import annotations

import numpy as np
import pytest

from digitgame.recognition import raster

REACH = raster.PEN_RADIUS_PX + raster.EDGE_SOFTNESS_PX / 2


def random_drawing(rng: np.random.Generator, side: int, strokes: int = 3) -> raster.Segments:
    """Random polylines around (and partly beyond) a side x side tile, and a dot."""
    points, counts = [], []
    for _ in range(strokes):
        n = int(rng.integers(2, 40))
        points.append(rng.uniform(-3, side + 3, size=2) + rng.normal(scale=2.0, size=(n, 2)).cumsum(axis=0))
        counts.append(n)
    points.append(rng.uniform(0, side, size=(1, 2)))
    counts.append(1)
    return raster.Segments.from_points(np.concatenate(points), np.array(counts))


def naive_samples(seg: raster.Segments, spacing: float = raster.SAMPLE_SPACING_PX) -> np.ndarray:
    """Every segment sampled at t = 0, 1/n, ..., 1 on its own, and the dots: (N, 2) float32."""
    parts = [seg.dots]
    for a, d in zip(seg.starts, seg.deltas, strict=True):
        n = max(int(np.ceil(np.hypot(*d) / spacing)), 1)
        parts.append(a + (np.arange(n + 1) / n)[:, None] * d)
    return np.concatenate(parts).astype(np.float32)


def reference_render(samples: np.ndarray, side: int) -> np.ndarray:
    """Each pixel's ink from its distance to the nearest sample, pixel by pixel: (side, side) float32."""
    yy, xx = np.mgrid[0:side, 0:side].astype(np.float32)
    nearest = np.full((side, side), np.inf, dtype=np.float32)
    for x, y in samples:
        nearest = np.minimum(nearest, (yy - y) ** 2 + (xx - x) ** 2)
    return np.clip((REACH - np.sqrt(nearest)) * (1.0 / raster.EDGE_SOFTNESS_PX), 0.0, 1.0)


def test_render_matches_distance_to_segment():
    """The stamped pen equals the analytic ramp of the true distance to the segment (to sample spacing)."""
    seg = raster.Segments(np.array([[5.0, 6.0]]), np.array([[15.0, 10.0]]), np.zeros((0, 2)))
    image = raster.render(seg)
    yy, xx = np.mgrid[0:28, 0:28]
    a, d = seg.starts[0], seg.deltas[0]
    t = np.clip(((xx - a[0]) * d[0] + (yy - a[1]) * d[1]) / (d @ d), 0, 1)
    dist = np.hypot(xx - (a[0] + t * d[0]), yy - (a[1] + t * d[1]))
    expected = np.clip((REACH - dist) / raster.EDGE_SOFTNESS_PX, 0, 1)
    assert np.abs(image - expected).max() <= raster.SAMPLE_SPACING_PX**2 / (2 * raster.EDGE_SOFTNESS_PX) + 0.02


@pytest.mark.parametrize("seed", range(6))
def test_render_is_the_nearest_sample_pixel_by_pixel(seed):
    """Scattering squared distances into a padded tile gives what a pixel-by-pixel search does, edges included."""
    rng = np.random.default_rng(seed)
    side = 36
    seg = random_drawing(rng, side)
    np.testing.assert_allclose(raster.render(seg, side), reference_render(naive_samples(seg), side), atol=1e-6)


def test_stamps_are_every_sample_once_in_writing_order():
    rng = np.random.default_rng(7)
    seg = random_drawing(rng, 28)
    points, owner = raster.stamp_points(raster.SegmentBatch.of([seg]))
    naive = naive_samples(seg)
    assert {tuple(p) for p in points.tolist()} == {tuple(p) for p in naive.tolist()}  # nothing lost
    assert len(points) < len(naive)  # the joints between a stroke's segments are stamped once
    assert (owner == 0).all()


def test_each_drawing_renders_into_its_own_tile_exactly_as_alone():
    rng = np.random.default_rng(3)
    drawings = [random_drawing(rng, 36) for _ in range(4)]
    together = raster.render_tiles(raster.SegmentBatch.of(drawings), 36)
    for drawing, tile in zip(drawings, together, strict=True):
        np.testing.assert_array_equal(tile, raster.render(drawing, 36))


def test_a_crowded_drawing_is_sampled_along_its_arc_and_leaves_its_neighbours_alone():
    rng = np.random.default_rng(5)
    scribble = raster.Segments.from_points(rng.uniform(0, 28, size=(30_000, 2)), np.array([30_000]))
    plain = random_drawing(rng, 28)
    _, owner = raster.stamp_points(raster.SegmentBatch.of([plain, scribble]))
    assert (owner == 1).sum() <= raster.MAX_SAMPLES
    together = raster.render_tiles(raster.SegmentBatch.of([plain, scribble]), 28)
    np.testing.assert_array_equal(together[0], raster.render(plain))
    assert together[1].max() == pytest.approx(1.0)


def test_only_keeps_the_chosen_drawings_in_order():
    rng = np.random.default_rng(2)
    drawings = [random_drawing(rng, 28) for _ in range(3)]
    kept = raster.SegmentBatch.of(drawings).only(np.array([True, False, True]))
    assert kept.count == 2
    np.testing.assert_array_equal(
        raster.render_tiles(kept, 28), raster.render_tiles(raster.SegmentBatch.of(drawings[::2]), 28)
    )
