"""One digit alone: all the ink read as a single digit, the way the benchmarks and tests measure the model itself.

The app's path (``Recognizer.read_*``) first splits the ink into digits; these skip that step and
hand ``Recognizer.read_inputs`` the one input that ``preprocess`` makes of all the ink, so a
digit's answer can be compared with how the same digit reads inside a number.  Nothing here edits
``sys.path``: tests import it as ``benchmarks.alone``, the benchmark scripts as ``alone``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from digitgame.files.strokefile import StrokeFile
from digitgame.recognition import preprocess
from digitgame.recognition.reading import Prediction
from digitgame.recognition.recognizer import Recognizer, load_file

NO_BOX = (0.0, 0.0, 0.0, 0.0)  # a digit alone has no place to report


def input_alone(recognizer: Recognizer, image: np.ndarray) -> Prediction:
    """The answer for one preprocessed (28, 28) model input in [0, 1]."""
    return recognizer.read_inputs([image], [NO_BOX]).digits[0].prediction


def strokes_alone(
    recognizer: Recognizer, strokes: Sequence[Sequence[Sequence[float]]], canvas_side: float | None = None
) -> Prediction:
    """All of ``strokes`` (canvas px) as one digit; ``canvas_side`` lets a mere tap count as nothing."""
    try:
        image = preprocess.strokes_to_input(strokes, canvas_side)  # type: ignore[arg-type]
    except preprocess.NothingToRecognise as exc:
        return Prediction.empty(exc.nothing)
    return input_alone(recognizer, image)


def image_alone(recognizer: Recognizer, grey: np.ndarray) -> Prediction:
    """All the ink of a greyscale image (H, W) in [0, 1], either polarity, as one digit."""
    try:
        image = preprocess.image_to_input(grey)
    except preprocess.NothingToRecognise as exc:
        return Prediction.empty(exc.nothing)
    return input_alone(recognizer, image)


def file_alone(recognizer: Recognizer, path: str | Path) -> Prediction:
    """A stroke file or an image file as one digit (StrokeFileError / ImageFileError as ``read_file``)."""
    content = load_file(path)
    if isinstance(content, StrokeFile):
        return strokes_alone(recognizer, content.strokes, max(content.width, content.height))
    return image_alone(recognizer, content)
