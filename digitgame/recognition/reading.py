"""What the recogniser says: a ``Prediction`` per digit, and a ``Reading`` of a whole drawing or image.

Values only (no pygame, no model): the recogniser makes them, ``verdict`` turns them into words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

import numpy as np

from digitgame.recognition.model import NUM_CLASSES

# A prediction is "confident" only when the top class has at least this probability and
# leads the runner-up by at least this margin (0.8 implies a margin of 0.6).  Chosen by
# benchmarks/confidence.py on data no model trained on -- the CHOOSING group of real writers (as
# written and as 8-point strokes) and the first half of load_digits (raw and upscaled) -- as the
# pair whose confident answers are least often wrong while answering at least 95 % of those
# writers' digits confidently and calling at most 10 % of the load_digits answers unsure.  The
# model card's figures are measured with this pair, so it changes together with the model: the
# benchmark re-chooses on each model and docs/figures.md says whether it still picks this pair.
CONFIDENT_PROBABILITY = 0.8
CONFIDENT_MARGIN = 0.6
# "Not a digit" when the network gives its eleventh class at least this share.  Each model's own threshold is
# chosen on validation writers when it is trained and kept in its card (``not_a_digit``), which the predictor
# reads; this one is for a model without a card: never, so such a model answers as before.
NOT_A_DIGIT_THRESHOLD = 1.0
# A digit whose "not a digit" share reaches this (but not the threshold) is read, never confidently: "not sure:
# 4, or not a digit?".  A Y written like a 4 or an f like a 1 is rarely given the threshold, but often a share
# no real digit gets.  Chosen with the threshold on validation writers and kept in the card beside it
# (``not_a_digit.doubt``); this one is for a model without a card: never.
NOT_A_DIGIT_DOUBT = 1.0

Box = tuple[float, float, float, float]  # x, y, width, height in the drawing's (or image's) pixels


def is_confident(probabilities: np.ndarray) -> np.ndarray:
    """The confidence rule: (..., 10) probabilities -> (...) bool, top at least CONFIDENT_PROBABILITY and
    leading the runner-up by at least CONFIDENT_MARGIN (in the probabilities' own dtype)."""
    top2 = np.sort(probabilities, axis=-1)[..., -2:]  # (..., 2) runner-up, top
    return (top2[..., 1] >= CONFIDENT_PROBABILITY) & (top2[..., 1] - top2[..., 0] >= CONFIDENT_MARGIN)


class Nothing(Enum):
    """Why there is no digit to show; the value is the plain reason."""

    EMPTY = "the drawing is empty"
    TOO_SMALL = "the drawing is too small to be a digit"
    BLANK = "the image is blank"
    NO_PIXELS = "the image has no pixels"
    FAILED = "could not recognise it"  # an unexpected error; ``Prediction.detail`` says which
    NOT_A_DIGIT = "not a digit"  # ink that looks like no digit (a letter, a scribble): an answer, not an error


@dataclass(frozen=True)
class Prediction:
    """What the recogniser says about one digit."""

    digit: int | None  # None: nothing to recognise
    probabilities: tuple[float, ...]  # ten values summing to 1; all zero when empty
    runner_up: int | None
    is_confident: bool
    image: np.ndarray | None = field(default=None, compare=False, repr=False)  # (28, 28) the model saw
    nothing: Nothing | None = None  # why there is no digit (set exactly when ``digit`` is None)
    detail: str = ""  # more about ``nothing`` (the error, for FAILED)
    not_digit: float = 0.0  # the share the network gives "not a digit" (0 for a model without that class)
    looks_like: int | None = None  # for NOT_A_DIGIT: the digit it is nearest to, whose bar leads (faded)
    perhaps_not_a_digit: bool = False  # a digit, but ``not_digit`` reached the model's doubt: never confident

    @property
    def confidence(self) -> float:
        """Probability of the predicted digit (0 when empty)."""
        return self.probabilities[self.digit] if self.digit is not None else 0.0

    @property
    def is_empty(self) -> bool:
        """Nothing to recognise (an empty drawing, a blank image, an error); "not a digit" is an answer."""
        return self.digit is None and not self.is_not_a_digit

    @property
    def is_not_a_digit(self) -> bool:
        """The ink looks like no digit: an answer (with faded bars), not an empty drawing."""
        return self.nothing is Nothing.NOT_A_DIGIT

    @property
    def is_unsure_of_division(self) -> bool:
        """Not sure, though its own probabilities are: the ink may divide into digits otherwise
        (``splitting``'s rival rule, neighbours that together read as no digit, or a digit wider
        than one can be)."""
        return (
            self.digit is not None
            and not self.is_confident
            and not self.perhaps_not_a_digit
            and bool(is_confident(np.asarray(self.probabilities)))
        )

    @property
    def shown(self) -> tuple[float, ...]:
        """The ten values its bars show: the probabilities; for "not a digit", each digit's share of the
        network's whole answer (small: the rest went to "not a digit")."""
        if not self.is_not_a_digit:
            return self.probabilities
        return tuple(p * (1.0 - self.not_digit) for p in self.probabilities)

    @classmethod
    def empty(cls, nothing: Nothing = Nothing.EMPTY, detail: str = "") -> Prediction:
        return cls(None, (0.0,) * NUM_CLASSES, None, False, None, nothing, detail)

    @classmethod
    def from_probabilities(
        cls,
        probabilities: np.ndarray,
        image: np.ndarray | None = None,
        not_digit: float = 0.0,
        threshold: float = NOT_A_DIGIT_THRESHOLD,
        doubt: float = NOT_A_DIGIT_DOUBT,
    ) -> Prediction:
        """Digit, runner-up and confidence from a (10,) probability vector; "not a digit" when ``not_digit``
        (the network's share for it) reaches ``threshold``, and never confident when it reaches ``doubt``."""
        p = np.asarray(probabilities, dtype=np.float64).reshape(NUM_CLASSES)
        order = np.argsort(p)[::-1]
        top, second = int(order[0]), int(order[1])
        share = float(not_digit)
        if share >= threshold:
            return cls(None, tuple(p.tolist()), None, False, image, Nothing.NOT_A_DIGIT, "", share, top)
        perhaps = share >= doubt
        confident = bool(is_confident(p)) and not perhaps
        return cls(top, tuple(p.tolist()), second, confident, image, not_digit=share, perhaps_not_a_digit=perhaps)


@dataclass(frozen=True)
class DigitReading:
    """One digit of a reading: where its ink is and what it was read as."""

    prediction: Prediction
    box: Box
    is_taught: bool = False  # the person's taught examples decided this digit
    is_wide: bool = False  # wider than one digit can be: probably digits that touch, read as one (never confident)


@dataclass(frozen=True)
class Reading:
    """A whole drawing or image: its digits in reading order (left to right), or why there are none."""

    digits: tuple[DigitReading, ...]
    nothing: Nothing | None = None  # set exactly when ``digits`` is empty
    detail: str = ""

    @classmethod
    def empty(cls, nothing: Nothing = Nothing.EMPTY, detail: str = "") -> Reading:
        return cls((), nothing, detail)

    @classmethod
    def of(cls, prediction: Prediction, box: Box = (0.0, 0.0, 0.0, 0.0), *, is_taught: bool = False) -> Reading:
        """A reading of one digit (or of nothing, when ``prediction`` is empty)."""
        if prediction.is_empty:
            return cls.empty(prediction.nothing or Nothing.EMPTY, prediction.detail)
        return cls((DigitReading(prediction, box, is_taught),))

    @property
    def is_empty(self) -> bool:
        return not self.digits

    @property
    def is_number(self) -> bool:
        """True when the ink holds more than one digit."""
        return len(self.digits) > 1

    @property
    def number(self) -> str | None:
        """The digits as a string ("2026"), or None when there are none or a part is not a digit."""
        if self.not_a_digit_parts:
            return None
        return "".join(str(d.prediction.digit) for d in self.digits) or None

    @property
    def not_a_digit_parts(self) -> tuple[int, ...]:
        """The positions (from 0, in reading order) of the parts that look like no digit."""
        return tuple(i for i, d in enumerate(self.digits) if d.prediction.is_not_a_digit)

    @property
    def is_not_a_digit(self) -> bool:
        """Every part of the ink looks like no digit (a letter, a scribble)."""
        return bool(self.digits) and len(self.not_a_digit_parts) == len(self.digits)

    @property
    def is_confident(self) -> bool:
        """Every digit is confident (False when there are none)."""
        return bool(self.digits) and all(d.prediction.is_confident for d in self.digits)

    @property
    def is_taught(self) -> bool:
        """Some digit was decided by the person's taught examples."""
        return any(d.is_taught for d in self.digits)

    @property
    def single(self) -> Prediction | None:
        """The one digit's Prediction; an empty Prediction when there is none; None for several digits."""
        if len(self.digits) == 1:
            return self.digits[0].prediction
        if not self.digits:
            return Prediction.empty(self.nothing or Nothing.EMPTY, self.detail)
        return None
