"""preprocess: MNIST's recipe, checked against scipy and Pillow rather than typed-in arrays."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import ndimage

from digitgame.recognition import preprocess as P


def ink_box(image: np.ndarray, threshold: float = 0.0) -> tuple[int, int]:
    """(height, width) of the pixels above ``threshold``."""
    rows = np.flatnonzero(image.max(axis=1) > threshold)
    cols = np.flatnonzero(image.max(axis=0) > threshold)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def random_strokes(rng: np.random.Generator, n_strokes: int = 3, canvas: float = 560.0) -> list[np.ndarray]:
    """Smooth random strokes somewhere on a canvas."""
    centre = rng.uniform(0.2, 0.8, size=2) * canvas
    size = rng.uniform(0.05, 0.5) * canvas
    strokes = []
    for _ in range(n_strokes):
        steps = rng.normal(size=(rng.integers(5, 60), 2)).cumsum(axis=0)
        steps = steps / max(np.abs(steps).max(), 1e-9)
        strokes.append(centre + steps * size / 2)
    return strokes


def test_strokes_meet_the_contract(rng):
    for _ in range(50):
        x = P.strokes_to_input(random_strokes(rng))
        assert x.shape == (28, 28) and x.dtype == np.float32
        assert x.min() >= 0.0 and x.max() <= 1.0 and x.max() > 0.9


def test_strokes_centre_of_mass_lands_at_14(rng):
    for _ in range(100):
        x = P.strokes_to_input(random_strokes(rng))
        row, col = ndimage.center_of_mass(x)
        assert abs(row - P.CENTRE_PX) <= 0.5 + 1e-6 and abs(col - P.CENTRE_PX) <= 0.5 + 1e-6


def test_strokes_longer_side_fills_the_20px_box(rng):
    for _ in range(50):
        h, w = ink_box(P.strokes_to_input(random_strokes(rng)), threshold=0.05)
        assert 19 <= max(h, w) <= 21


def test_same_drawing_at_any_size_and_place_gives_the_same_input(rng):
    strokes = random_strokes(rng, canvas=1.0)
    small = P.strokes_to_input([s * 40 + 7 for s in strokes])
    large = P.strokes_to_input([s * 3000 + 500 for s in strokes])
    np.testing.assert_allclose(small, large, atol=1e-4)


def test_thin_vertical_line_stays_thin():
    one = P.strokes_to_input([[(300.0, 100.0), (301.0, 460.0)]])
    h, w = ink_box(one, threshold=0.05)
    assert h >= 19 and w <= 4  # the pen width, not a block stretched to 20 px


def test_stroke_width_does_not_depend_on_drawn_size():
    def width(scale: float) -> float:
        x = P.strokes_to_input([[(0.0, 0.0), (0.0, 100.0 * scale)], [(-40.0 * scale, 50.0 * scale), (0, 50.0 * scale)]])
        return float(x.sum())

    assert width(0.3) == pytest.approx(width(30.0), rel=1e-3)


def test_empty_drawing_is_nothing_to_recognise():
    for strokes in ([], [[]], [[], []]):
        with pytest.raises(P.NothingToRecognise):
            P.strokes_to_input(strokes)


def test_a_tap_on_a_big_canvas_is_nothing_to_recognise():
    with pytest.raises(P.NothingToRecognise):
        P.strokes_to_input([[(100.0, 100.0), (102.0, 101.0)]], canvas_side=560)
    assert P.strokes_to_input([[(100.0, 100.0), (100.0, 300.0)]], canvas_side=560).max() > 0


def test_a_single_dot_still_renders_without_canvas_size():
    x = P.strokes_to_input([[(5.0, 5.0)]])
    assert x.max() > 0.9 and ndimage.center_of_mass(x) == pytest.approx((14.0, 14.0), abs=0.5)


@pytest.mark.parametrize("bad", [[[(0.0, np.nan)]], [[(np.inf, 1.0)]], [[(1.0, 2.0, 3.0)]]])
def test_bad_points_raise_value_error(bad):
    with pytest.raises(ValueError):
        P.strokes_to_input(bad)


def test_tens_of_thousands_of_points_are_handled(rng):
    scribble = rng.uniform(0, 560, size=(50_000, 2))
    x = P.strokes_to_input([scribble])
    assert x.shape == (28, 28) and np.isfinite(x).all()


# --- images -------------------------------------------------------------------


def test_mnist_digit_comes_back_nearly_unchanged(mnist):
    """An MNIST digit is already normalised: the image path should barely move it."""
    differences = []
    for image in mnist.x_test[:300]:
        x = image / 255.0
        y = P.image_to_input(x)
        differences.append(np.abs(y - x).mean())  # sub-pixel centring blurs a little
        assert ndimage.center_of_mass(y) == pytest.approx((14.0, 14.0), abs=0.05)
    assert np.mean(differences) < 0.03 and np.max(differences) < 0.08


def test_image_polarity_and_paper_colour_do_not_matter(mnist):
    ink = np.zeros((300, 200), dtype=np.float32)
    ink[50:274, 20 : 244 - 60] = ndimage.zoom(mnist.x_test[0] / 255.0, (8, 5.85), order=1)[:224, :164]
    light_on_dark = P.image_to_input(ink)
    dark_on_light = P.image_to_input(1.0 - ink)
    on_grey_paper = P.image_to_input(0.8 - 0.6 * ink)
    np.testing.assert_allclose(light_on_dark, dark_on_light, atol=1e-5)
    np.testing.assert_allclose(light_on_dark, on_grey_paper, atol=0.02)


def test_image_centre_of_mass_and_box(rng):
    for _ in range(30):
        image = np.zeros((rng.integers(50, 400), rng.integers(50, 400)), dtype=np.float32)
        h, w = image.shape
        y0, x0 = rng.integers(0, h // 2), rng.integers(0, w // 2)
        image[y0 : y0 + rng.integers(5, h // 2), x0 : x0 + rng.integers(2, w // 2)] = 1.0
        x = P.image_to_input(image)
        assert ndimage.center_of_mass(x) == pytest.approx((14.0, 14.0), abs=0.05)
        assert 19 <= max(ink_box(x, 0.01)) <= 22


@pytest.mark.parametrize("shape", [(40, 40), (3, 500), (1, 1)])
def test_blank_images_are_nothing_to_recognise(shape):
    for value in (0.0, 1.0, 0.5):
        with pytest.raises(P.NothingToRecognise):
            P.image_to_input(np.full(shape, value, dtype=np.float32))


def test_zero_size_image_is_nothing_to_recognise():
    with pytest.raises(P.NothingToRecognise):
        P.image_to_input(np.zeros((0, 10), dtype=np.float32))


def test_resample_matrix_matches_pillow_bilinear(rng):
    Image = pytest.importorskip("PIL.Image")
    source = rng.random((90, 60)).astype(np.float32)
    for out_h, out_w in ((20, 13), (200, 150)):  # shrinking and enlarging
        sy, sx = out_h / 90, out_w / 60
        ours = (
            P.resample_matrix(90, sy, 0.5 * sy - 0.5, out_h)
            @ source
            @ P.resample_matrix(60, sx, 0.5 * sx - 0.5, out_w).T
        )
        pillow = np.asarray(Image.fromarray(source, mode="F").resize((out_w, out_h), Image.BILINEAR))
        margin = max(2, int(np.ceil(2 / min(sy, sx))))
        np.testing.assert_allclose(
            ours[margin:-margin, margin:-margin], pillow[margin:-margin, margin:-margin], atol=1e-4
        )


def test_resample_matrix_rows_sum_to_one_inside_the_image():
    m = P.resample_matrix(100, 0.2, 0.0, 20)
    np.testing.assert_allclose(m[2:18].sum(axis=1), 1.0, atol=1e-9)


def test_a_path_of_thousands_of_tiny_segments_renders_like_the_same_path_with_few():
    t = np.linspace(0, 2 * np.pi, 50_000)
    dense = np.column_stack((280 + 150 * np.cos(t), 280 + 220 * np.sin(t)))
    sparse = dense[::500]
    np.testing.assert_allclose(P.strokes_to_input([dense]), P.strokes_to_input([sparse]), atol=0.15)


def test_centre_of_mass_matches_scipy(rng):
    for shape in ((28, 28), (36, 36), (5, 300), (1, 1)):
        image = rng.random(shape) * (rng.random(shape) > 0.7)
        if image.sum() == 0:
            image[0, 0] = 1.0
        assert P.centre_of_mass(image) == pytest.approx(ndimage.center_of_mass(image), abs=1e-9)
