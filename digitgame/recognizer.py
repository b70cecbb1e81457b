"""The app's one entry point to recognition: a drawing or an image in, a ``Prediction`` out."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitgame import preprocess
from digitgame.drawing import Drawing
from digitgame.predictor import Prediction, Predictor


class Recognizer:
    """Preprocess like MNIST, then ask the predictor; the Prediction carries the 28x28 image used."""

    def __init__(self, predictor: Predictor) -> None:
        self.predictor = predictor

    def strokes(self, strokes: Sequence[Sequence[Sequence[float]]], canvas_side: float | None = None) -> Prediction:
        """Recognise vector strokes in canvas pixels (``canvas_side`` lets a mere tap count as empty)."""
        try:
            image = preprocess.strokes_to_input(strokes, canvas_side)  # (28, 28) float32 in [0, 1]
        except preprocess.NothingToRecognise as exc:
            return Prediction.empty(f"nothing to recognise: {exc}")
        return self.input(image)

    def on_canvas(self, strokes: Sequence[Sequence[Sequence[float]]], width: float, height: float) -> Prediction:
        """Recognise strokes drawn on a ``width`` x ``height`` canvas: the app and ``predict`` both come here."""
        return self.strokes(strokes, max(width, height))

    def drawing(self, drawing: Drawing) -> Prediction:
        """Recognise a Drawing."""
        return self.on_canvas(drawing.strokes, drawing.width, drawing.height)

    def grey_image(self, grey: np.ndarray) -> Prediction:
        """Recognise a greyscale image (H, W) in [0, 1], either polarity."""
        try:
            image = preprocess.image_to_input(grey)
        except preprocess.NothingToRecognise as exc:
            return Prediction.empty(f"nothing to recognise: {exc}")
        return self.input(image)

    def input(self, image: np.ndarray) -> Prediction:
        """Recognise an already preprocessed (28, 28) model input."""
        return Prediction.from_probabilities(self.predictor.predict(image[None]).probabilities[0], image)

    def file(self, path: str | Path) -> Prediction:
        """Recognise a stroke file (.json, or any file starting with '{') or an image file.

        Raises StrokeFileError or ImageFileError, whose text is one line naming the file.
        """
        from digitgame.drawing import load_drawing

        path = Path(path)
        if is_stroke_file(path):
            return self.drawing(load_drawing(path))
        from digitgame.imagefile import load_grey

        return self.grey_image(load_grey(path))


def is_stroke_file(path: Path) -> bool:
    """Stroke files are told from images by suffix, or by a leading '{' for other names."""
    if path.suffix.lower() == ".json":
        return True
    from digitgame.userfile import read_head  # never blocks on a named pipe

    return read_head(path, 64).lstrip().startswith(b"{")
