"""imagefile: images of any polarity, with or without transparency, and clear errors."""

from __future__ import annotations

import numpy as np
import pytest

from digitgame import imagefile
from digitgame.imagefile import ImageFileError, load_grey

pygame = pytest.importorskip("pygame")


def save(tmp_path, name: str, rgba: np.ndarray) -> str:
    """Write an (H, W, 4) uint8 array as an image file."""
    h, w = rgba.shape[:2]
    surface = pygame.image.frombuffer(np.ascontiguousarray(rgba).tobytes(), (w, h), "RGBA")
    path = tmp_path / name
    pygame.image.save(surface, str(path))
    return str(path)


def bar_image(ink: int, paper: int, alpha_paper: int = 255) -> np.ndarray:
    rgba = np.zeros((60, 40, 4), dtype=np.uint8)
    rgba[..., :3] = paper
    rgba[..., 3] = alpha_paper
    rgba[10:50, 18:22, :3] = ink
    rgba[10:50, 18:22, 3] = 255
    return rgba


@pytest.mark.parametrize(
    ("name", "ink", "paper", "alpha"),
    [("dark.png", 0, 255, 255), ("light.png", 255, 0, 255), ("black-on-clear.png", 0, 0, 0), ("white-on-clear.png", 255, 255, 0)],
)
def test_ink_is_found_whatever_the_polarity_or_transparency(tmp_path, recognizer, name, ink, paper, alpha):
    grey = load_grey(save(tmp_path, name, bar_image(ink, paper, alpha)))
    assert grey.shape == (60, 40) and grey.dtype == np.float32
    reference = recognizer.grey_image(load_grey(save(tmp_path, "ref.png", bar_image(255, 0))))
    prediction = recognizer.grey_image(grey)
    np.testing.assert_allclose(prediction.image, reference.image, atol=1e-6)


def test_jpeg_is_read(tmp_path):
    path = save(tmp_path, "bar.jpg", bar_image(0, 255))
    grey = load_grey(path)
    assert grey[30, 20] < 0.2 and grey[5, 5] > 0.8


def test_errors_are_one_line_naming_the_file(tmp_path, monkeypatch):
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("not an image")
    cases = {"empty.png": "empty", "text.png": "not an image", "missing.png": "no such file"}
    for name, problem in cases.items():
        with pytest.raises(ImageFileError) as err:
            load_grey(tmp_path / name)
        assert str(err.value).startswith(str(tmp_path / name)) and problem in str(err.value)
    with pytest.raises(ImageFileError, match="folder"):
        load_grey(tmp_path)
    monkeypatch.setattr(imagefile, "MAX_PIXELS", 100)
    with pytest.raises(ImageFileError, match="too large"):
        load_grey(save(tmp_path, "big.png", bar_image(0, 255)))
