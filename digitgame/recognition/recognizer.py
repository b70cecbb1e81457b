"""The one entry point to recognition: strokes, an image or a file in, a ``Reading`` out.

Every ``read_*`` reads everything the ink holds, split into digits, with the person's taught
examples when there are any.  To measure the model on one digit alone, give ``read_inputs`` the
model input that ``preprocess`` makes of all the ink (the benchmarks do).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import numpy as np

from digitgame.files.strokefile import Point, StrokeFile
from digitgame.recognition import merging, preprocess, regrouping, segment, splitting
from digitgame.recognition.predictor import Predictor
from digitgame.recognition.raster import SegmentBatch, Segments
from digitgame.recognition.reading import Box, DigitReading, Nothing, Prediction, Reading


@dataclass(frozen=True)
class Adjusted:
    """The taught examples' answer for a batch."""

    probabilities: np.ndarray  # (N, 10) float32, rows sum to 1
    is_taught: np.ndarray  # (N,) bool: the taught examples decided (changed the digit, or made it sure)


class Personal(Protocol):
    """The person's taught examples, as the recogniser reads with them (``teaching.personal.PersonalModel``)."""

    def adjust(self, probabilities: np.ndarray, embeddings: np.ndarray | None) -> Adjusted:
        """The CNN's (N, 10) probabilities, changed where an (N, E + 1) embedding is close to a taught example."""
        ...


class Recognizer:
    """Preprocess like MNIST, then ask the predictor; each Prediction carries the 28x28 image used."""

    def __init__(self, predictor: Predictor, personal: Personal | None = None) -> None:
        self.predictor = predictor
        self.personal = personal  # the taught examples; replaced, never changed, when the person teaches

    # --- whole drawings and images -> Reading ---------------------------------------
    def read_strokes(self, strokes: Sequence[Sequence[Point]], width: float, height: float) -> Reading:
        """Read strokes drawn on a ``width`` x ``height`` canvas: the app and ``predict`` both come here.

        The strokes are split into digits (``segment``), each digit goes through MNIST's recipe,
        and all of them through the model in one call.
        """
        points, counts = segment.flatten(strokes)  # (P, 2) canvas px, (K,) points per stroke
        groups = segment.group_points(points, counts)
        if not groups:
            return Reading.empty(Nothing.EMPTY)
        # A digit under 1 % of the canvas's longer side is a tap, not a digit (None).
        side = max(width, height)
        inputs = preprocess.drawings_to_inputs(_drawings_of(points, counts, groups), side)
        kept = [(image, g) for image, g in zip(inputs, groups, strict=True) if image is not None]
        if not kept:
            return Reading.empty(Nothing.TOO_SMALL)
        return self._read_groups(points, counts, [k[1] for k in kept], [k[0] for k in kept], side)

    def _read_groups(
        self, points: np.ndarray, counts: np.ndarray, groups: list[segment.Group], images: list[np.ndarray], side: float
    ) -> Reading:
        """Read the groups, and neighbours that may be one digit as one too; the model chooses (``merging``);
        then neighbours that may have each other's stroke are read with it moved (``regrouping``), and
        a digit that may be several touching digits is tried as several (``splitting``)."""
        pairs = merging.candidates([g.box for g in groups])
        near = [i for i in merging.close([g.box for g in groups]) if i not in pairs]
        joined = [_joined(groups[i], groups[i + 1]) for i in pairs + near]
        if joined:
            inputs = preprocess.drawings_to_inputs(_drawing_batch(points, counts, joined), side)
            images = images + [image for image in inputs if image is not None]  # two digits are never a tap
        every = _doubt_wide(self.read_inputs(images, [g.box for g in groups + joined]), groups + joined)
        digits, kept = list(every.digits), list(groups)
        if joined:
            n = len(groups)
            single = np.array([d.prediction.probabilities for d in every.digits[:n]])  # (N, 10)
            merged = {i: np.array(every.digits[n + k].prediction.probabilities) for k, i in enumerate(pairs)}
            spans = merging.choose(single, merged)
            digits = [every.digits[s[0]] if len(s) == 1 else every.digits[n + pairs.index(s[0])] for s in spans]
            kept = [groups[s[0]] if len(s) == 1 else joined[pairs.index(s[0])] for s in spans]
            together = {i: every.digits[n + len(pairs) + k] for k, i in enumerate(near)}
            digits = _doubt_letters(digits, spans, together)
        kept, digits = self._regroup(points, counts, kept, digits, side)
        return self._split_touching(points, counts, kept, digits, side)

    def _regroup(
        self,
        points: np.ndarray,
        counts: np.ndarray,
        groups: list[segment.Group],
        digits: list[DigitReading],
        side: float,
    ) -> tuple[list[segment.Group], list[DigitReading]]:
        """Neighbours that read better with a stroke moved from one to the other, so regrouped (``regrouping``)."""
        moves = regrouping.moves([g.parts for g in groups], [g.box for g in groups], _across(points, counts))
        if not moves:
            return groups, digits
        parts = [p for m in moves for p in (m.left, m.right)]
        drawings = [_strokes_of(points, counts, p) for p in parts]
        new = [segment.Group(p, splitting.box_of([d])) for p, d in zip(parts, drawings, strict=True)]
        read = self._read_drawings(drawings, side)
        height = max(g.box[1] + g.box[3] for g in groups) - min(g.box[1] for g in groups)
        read = [
            None if r is None or g.box[2] > segment.RULES.wide * height else r for r, g in zip(read, new, strict=True)
        ]
        groups, digits = list(groups), list(digits)
        for move, left, right in regrouping.chosen(digits, moves, list(zip(read[::2], read[1::2], strict=True))):
            k = moves.index(move)
            groups[move.at : move.at + 2] = new[2 * k : 2 * k + 2]
            digits[move.at : move.at + 2] = [left, right]
        return groups, digits

    def _split_touching(
        self,
        points: np.ndarray,
        counts: np.ndarray,
        groups: list[segment.Group],
        digits: list[DigitReading],
        side: float,
    ) -> Reading:
        """Each digit that may be several touching digits, read as the digits its best cut gives."""
        first = np.cumsum(counts) - counts  # (K,) each stroke's first point
        out: list[DigitReading] = []
        for g, d in zip(groups, digits, strict=True):
            strokes = [
                Segments.from_points(points[first[i] : first[i] + counts[i]], counts[i : i + 1])
                for i in g.parts
                if counts[i]
            ]
            if d.is_taught or not splitting.should_try(d, strokes):
                out.append(d)
                continue
            out += splitting.split(strokes, d, lambda drawings: self._read_drawings(drawings, side))
        return Reading(tuple(out))

    def _read_drawings(self, drawings: Sequence[Segments], side: float) -> list[DigitReading | None]:
        """Each drawing read as one digit, all in one model call (None: too small to be one)."""
        inputs = preprocess.drawings_to_inputs(SegmentBatch.of(list(drawings)), side)
        present = [i for i, image in enumerate(inputs) if image is not None]
        out: list[DigitReading | None] = [None] * len(drawings)
        if present:
            boxes = [splitting.box_of([drawings[i]]) for i in present]
            reading = self.read_inputs([image for image in inputs if image is not None], boxes)  # in ``present`` order
            for k, i in enumerate(present):
                out[i] = reading.digits[k]
        return out

    def read_drawing(self, drawing: StrokeFile) -> Reading:
        """Read a stroke file's drawing."""
        return self.read_strokes(drawing.strokes, drawing.width, drawing.height)

    def read_image(self, grey: np.ndarray) -> Reading:
        """Read a greyscale image (H, W) in [0, 1], either polarity: its ink split into digits as strokes are."""
        try:
            ink = preprocess.ink_from_grey(grey)  # (H, W) float32 in [0, 1]
        except preprocess.NothingToRecognise as exc:
            return Reading.empty(exc.nothing)
        groups, labels = segment.group_ink(ink)  # and which group each grid cell is in
        if not groups:
            return Reading.empty(Nothing.BLANK)
        images = [preprocess.fit_ink(_group_ink(ink, labels, n, g.box)) for n, g in enumerate(groups)]  # (28, 28) each
        return _doubt_wide(self.read_inputs(images, [g.box for g in groups]), groups)

    def read_inputs(self, images: Sequence[np.ndarray], boxes: Sequence[Box]) -> Reading:
        """Read preprocessed digits, given in reading order with their boxes, in one model call."""
        outputs = self.predictor.predict(np.stack(images))  # (N, 10) probabilities, (N, E + 1) embeddings
        probabilities, is_taught = outputs.probabilities, np.zeros(len(images), dtype=bool)
        personal = self.personal  # one snapshot for the whole reading
        if personal is not None:
            adjusted = personal.adjust(outputs.probabilities, outputs.embeddings)
            probabilities, is_taught = adjusted.probabilities, adjusted.is_taught
        # What the person taught as a digit is one, whatever the network thinks of it.
        not_digit = np.zeros(len(images)) if outputs.not_digit is None else np.where(is_taught, 0.0, outputs.not_digit)
        rule = self.predictor.not_a_digit_threshold, self.predictor.not_a_digit_doubt
        digits = (
            DigitReading(Prediction.from_probabilities(p, image, float(nd), *rule), box, bool(taught))
            for p, image, box, taught, nd in zip(probabilities, images, boxes, is_taught, not_digit, strict=True)
        )
        return Reading(tuple(digits))

    def read_file(self, path: str | Path) -> Reading:
        """Read a stroke file (.json, or any file starting with '{') or an image file.

        Raises StrokeFileError or ImageFileError, whose text is one line naming the file.
        """
        return self.read_loaded(load_file(path))

    def read_loaded(self, content: StrokeFile | np.ndarray) -> Reading:
        """Read what ``load_file`` returned: a stroke file's drawing, or a greyscale image."""
        return self.read_drawing(content) if isinstance(content, StrokeFile) else self.read_image(content)


def load_file(path: str | Path) -> StrokeFile | np.ndarray:
    """A stroke file as a StrokeFile, or an image file as (H, W) float32 grey; StrokeFileError / ImageFileError."""
    from digitgame.files.strokefile import load_stroke_file

    path = Path(path)
    if is_stroke_file(path):
        return load_stroke_file(path)
    from digitgame.files.imagefile import load_grey

    return load_grey(path)


def _drawings_of(points: np.ndarray, counts: np.ndarray, groups: Sequence[segment.Group]) -> SegmentBatch:
    """The groups' strokes as one SegmentBatch, a drawing per group; ignored specks belong to none."""
    index = np.flatnonzero(counts)  # (K',) the non-empty strokes
    n = counts[index]
    whole = Segments.from_points(points, n)  # the whole drawing, stroke after stroke
    if len(groups) == 1 and len(groups[0].parts) == len(index):
        return SegmentBatch.of([whole])
    group_of = np.full(len(counts), -1)
    for number, g in enumerate(groups):
        group_of[list(g.parts)] = number
    segment_group = group_of[np.repeat(index, n - 1)]  # (S,) the group of each segment
    dot_group = group_of[index[n == 1]]  # (D,) the group of each one-point stroke
    s, d = segment_group >= 0, dot_group >= 0
    return SegmentBatch(
        Segments(whole.starts[s], whole.deltas[s], whole.dots[d]), segment_group[s], dot_group[d], len(groups)
    )


def _across(points: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The left and right x of every stroke's ink (K, 2); NaN for an empty stroke."""
    spans = np.full((len(counts), 2), np.nan)
    index = np.flatnonzero(counts)
    if len(index):  # an empty stroke adds no points, so each stroke's points run to the next one's first
        starts = (np.cumsum(counts) - counts)[index]
        spans[index, 0] = np.minimum.reduceat(points[:, 0], starts)
        spans[index, 1] = np.maximum.reduceat(points[:, 0], starts)
    return spans


def _strokes_of(points: np.ndarray, counts: np.ndarray, parts: Sequence[int]) -> Segments:
    """The strokes ``parts`` as one drawing."""
    first = np.cumsum(counts) - counts
    kept = [i for i in parts if counts[i]]
    return Segments.from_points(np.concatenate([points[first[i] : first[i] + counts[i]] for i in kept]), counts[kept])


def _joined(a: segment.Group, b: segment.Group) -> segment.Group:
    """Two neighbouring groups as one digit."""
    return segment.Group(tuple(sorted(a.parts + b.parts)), merging.joined(a.box, b.box))


def _drawing_batch(points: np.ndarray, counts: np.ndarray, groups: Sequence[segment.Group]) -> SegmentBatch:
    """The groups' strokes as one SegmentBatch, a drawing per group; unlike ``_drawings_of``, they may share strokes."""
    return SegmentBatch.of([_strokes_of(points, counts, g.parts) for g in groups])


def _group_ink(ink: np.ndarray, labels: segment.CellLabels, n: int, box: Box) -> np.ndarray:
    """The ink of group ``n`` alone, cropped to its box: other groups' ink inside the box is blanked."""
    x, y, w, h = (int(v) for v in box)
    return np.where(labels.crop(box) == n, ink[y : y + h, x : x + w], 0.0)


def _doubt_letters(
    digits: list[DigitReading], spans: Sequence[merging.Span], together: dict[int, DigitReading]
) -> list[DigitReading]:
    """Neighbours whose ink together reads as "not a digit" about as well as they read as two
    digits (an H as "14") are not sure: the same rule as ``splitting``'s rival cuts."""
    at = {span: k for k, span in enumerate(spans)}
    out = list(digits)
    for i, union in together.items():
        left, right = at.get((i,)), at.get((i + 1,))
        if left is None or right is None or not union.prediction.is_not_a_digit:
            continue
        if out[left].is_taught or out[right].is_taught:  # what the person taught as a digit is one
            continue
        if splitting.log_p(union) >= splitting.log_p(out[left]) + splitting.log_p(out[right]) - merging.MERGING.letter:
            out[left], out[right] = splitting.unsure(out[left]), splitting.unsure(out[right])
    return out


def _doubt_wide(reading: Reading, groups: Sequence[segment.Group]) -> Reading:
    """A digit whose ink is wider than one digit can be (probably digits that touch) is never confident."""
    digits = tuple(
        replace(d, prediction=replace(d.prediction, is_confident=False), is_wide=True) if g.is_wide else d
        for d, g in zip(reading.digits, groups, strict=True)
    )
    return Reading(digits, reading.nothing, reading.detail)


def is_stroke_file(path: Path) -> bool:
    """Stroke files are told from images by suffix, or by a leading '{' for other names."""
    if path.suffix.lower() == ".json":
        return True
    from digitgame.files.userfile import read_head  # never blocks on a named pipe

    return read_head(path, 64).lstrip().startswith(b"{")
