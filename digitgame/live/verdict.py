"""What a person is told about a reading: the words and their tone, for the panel and for ``predict`` alike.

Pure functions of values (a ``Reading``, the model's status); nothing here draws, and nothing
anywhere decides by matching these words -- they decide by ``Tone`` and ``Nothing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from digitgame.recognition.reading import DigitReading, Nothing, Prediction, Reading

UNSURE_MARK = "?"  # stands for an unsure digit inside a number: "20?6"
NOT_A_DIGIT_MARK = "×"  # stands for a part of a number that is no digit: "20×6" (in the default font)
NOT_A_DIGIT = "not a digit"
NOT_A_DIGIT_HELP = "it looks like no digit from 0 to 9"
TOUCHING = "digits that touch are read as one: leave a gap"  # for a digit wider than one can be
DIVISION = "not sure where digits divide"  # digits sure alone, but another division reads as well


class ModelStatus(Enum):
    """Where the model is: loading behind the window, ready, or failed with a one-line message."""

    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


class Tone(Enum):
    """How an answer should look: each tone has one colour in the theme."""

    CONFIDENT = "confident"
    UNSURE = "unsure"
    STALE = "stale"  # an old answer: the drawing changed since (live mode off)
    NOT_A_DIGIT = "not a digit"  # an answer that is no digit: said in words, the bars faded
    QUIET = "quiet"  # nothing to show yet
    LOADING = "loading"
    ERROR = "error"


@dataclass(frozen=True)
class Verdict:
    """The answer in words: a headline (the digit or number), a figure, a caption and a closing note."""

    headline: str  # "7", "2026", "20?6"; or a sentence when there is no answer
    figure: str  # "98.1%" for one digit, "" otherwise
    caption: str  # "confident", "not sure: 4 or 9?", "press Enter to predict", the reason there is nothing
    tone: Tone
    note: str = ""  # one more line, e.g. "You can still draw."

    @property
    def has_answer(self) -> bool:
        """True when the headline is a digit or a number."""
        return self.tone in (Tone.CONFIDENT, Tone.UNSURE, Tone.STALE)


def doubt(prediction: Prediction) -> str:
    """'not sure: 4 or 9?'; or, when its own probabilities are sure and another way to divide the
    ink is what it doubts, 'not sure: 4, or several?'; when it may be no digit, 'not sure: 4, or not a digit?'"""
    if prediction.perhaps_not_a_digit:
        return f"not sure: {prediction.digit}, or {NOT_A_DIGIT}?"
    if prediction.is_unsure_of_division:
        return f"not sure: {prediction.digit}, or several?"
    return f"not sure: {prediction.digit} or {prediction.runner_up}?"


def _alternative(prediction: Prediction) -> str:
    """'4 or 9', or '4 or not a digit' for a digit that may be none."""
    return f"{prediction.digit} or {NOT_A_DIGIT if prediction.perhaps_not_a_digit else prediction.runner_up}"


def nothing_text(nothing: Nothing | None, detail: str = "") -> str:
    """The reason there is no digit, as ``predict`` prints it: 'nothing to recognise: the drawing is empty'."""
    nothing = nothing or Nothing.EMPTY
    if nothing is Nothing.FAILED:
        return f"{nothing.value} ({detail})" if detail else nothing.value
    return f"nothing to recognise: {nothing.value}"


def mark(d: DigitReading) -> str:
    """How one digit of a reading is written: the digit, or '×' for a part that is no digit."""
    return NOT_A_DIGIT_MARK if d.prediction.is_not_a_digit else str(d.prediction.digit)


def number_text(reading: Reading) -> str:
    """The number with each unsure digit replaced by '?' and each part that is no digit by '×': '20?6', '2×'."""
    return "".join(
        str(d.prediction.digit)
        if d.prediction.is_confident
        else UNSURE_MARK
        if not d.prediction.is_not_a_digit
        else NOT_A_DIGIT_MARK
        for d in reading.digits
    )


def not_a_digit_text(reading: Reading) -> str:
    """'the 2nd of 3 parts is not a digit', 'the 1st and 3rd of 3 parts are not digits' ('' when none is)."""
    parts = [_ordinal(i + 1) for i in reading.not_a_digit_parts]
    if not parts:
        return ""
    named = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
    verb = "is not a digit" if len(parts) == 1 else "are not digits"
    return f"the {named} of {len(reading.digits)} parts {verb}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def nothing_reason(reading: Reading) -> str:
    """Why an empty reading has no digit, in a few words ('the drawing is too small to be a digit'); '' when
    there was simply no ink."""
    if reading.nothing in (None, Nothing.EMPTY):
        return ""
    return nothing_text(reading.nothing, reading.detail).removeprefix("nothing to recognise: ")


def tell(
    reading: Reading | None,
    model: ModelStatus = ModelStatus.READY,
    *,
    model_message: str = "",
    is_stale: bool = False,
    asking: str = "draw a digit",
) -> Verdict:
    """The verdict on ``reading`` (None: no answer yet) given the model's status; ``asking``: the headline
    while there is nothing to read (the sums game asks for an answer)."""
    if model is ModelStatus.FAILED:
        return Verdict("The model could not be loaded.", "", model_message, Tone.ERROR, "You can still draw.")
    if reading is None or (reading.is_empty and model is ModelStatus.LOADING):
        if model is ModelStatus.LOADING:
            return Verdict("", "", "loading the model…", Tone.LOADING)
        return Verdict(asking, "", "", Tone.QUIET)
    if reading.is_empty:
        return Verdict(asking, "", nothing_reason(reading), Tone.QUIET)
    if reading.is_not_a_digit:
        return Verdict(NOT_A_DIGIT, "", "press Enter to predict" if is_stale else NOT_A_DIGIT_HELP, Tone.NOT_A_DIGIT)
    if reading.is_number:
        return _tell_number(reading, is_stale)
    return _tell_digit(reading.digits[0], is_stale)


def _tell_digit(d: DigitReading, is_stale: bool) -> Verdict:
    p = d.prediction
    figure = f"{p.confidence:.1%}"
    if is_stale:
        return Verdict(str(p.digit), figure, "press Enter to predict", Tone.STALE)
    if d.is_wide:
        return Verdict(str(p.digit), figure, TOUCHING, Tone.UNSURE)
    if d.is_taught:
        return Verdict(str(p.digit), figure, "taught", Tone.CONFIDENT)
    if p.is_confident:
        return Verdict(str(p.digit), figure, "confident", Tone.CONFIDENT)
    return Verdict(str(p.digit), figure, doubt(p), Tone.UNSURE)


def _tell_number(reading: Reading, is_stale: bool) -> Verdict:
    count = f"{len(reading.digits)} digits"
    if is_stale:
        return Verdict(reading.number or number_text(reading), "", "press Enter to predict", Tone.STALE)
    if reading.is_confident:
        return Verdict(reading.number or "", "", count, Tone.CONFIDENT)
    return Verdict(number_text(reading), "", number_doubt(reading), Tone.UNSURE)


def number_doubt(reading: Reading) -> str:
    """'not sure: 0 or 6?' for the unsure digits of a number ('' when every digit is sure); digits
    sure alone but doubted because the ink may divide otherwise, a digit that may be several
    touching digits, and a part that is no digit each say so instead."""
    unsure = [
        d.prediction
        for d in reading.digits
        if not d.prediction.is_confident and not d.is_wide and not d.prediction.is_not_a_digit
    ]
    own = [p for p in unsure if not p.is_unsure_of_division]
    doubts = [f"not sure: {', '.join(_alternative(p) for p in own)}?"] if own else []
    doubts += [DIVISION] if len(own) < len(unsure) else []
    wide = any(d.is_wide and not d.prediction.is_not_a_digit for d in reading.digits)
    return "; ".join(
        ([not_a_digit_text(reading)] if reading.not_a_digit_parts else []) + doubts + ([TOUCHING] if wide else [])
    )


def line(file: str, reading: Reading) -> str:
    """``predict``'s text line: 'a.json: 7 (98.1%)', 'a.json: 2026 (2 98.0%, 0 99.2%, 2 97.4%, 6 95.1%)'."""
    if reading.is_empty:
        return f"{file}: {nothing_text(reading.nothing, reading.detail)}"
    if reading.is_not_a_digit:
        return f"{file}: {NOT_A_DIGIT}"
    if reading.is_number:
        parts = ", ".join(
            NOT_A_DIGIT if d.prediction.is_not_a_digit else f"{d.prediction.digit} {d.prediction.confidence:.1%}"
            for d in reading.digits
        )
        doubt_text = number_doubt(reading)
        return f"{file}: {reading.number or number_text(reading)} ({parts})" + (f" {doubt_text}" if doubt_text else "")
    d = reading.digits[0]
    text = f"{file}: {d.prediction.digit} ({d.prediction.confidence:.1%})"
    if d.is_wide:
        text += f" {TOUCHING}"
    elif d.is_taught:
        text += " taught"
    elif not d.prediction.is_confident:
        text += f" {doubt(d.prediction)}"
    return text
