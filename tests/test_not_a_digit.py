"""'Not a digit': the network's eleventh class, its threshold from the model card, and how it is told.

A letter or a scribble is an answer -- "not a digit", with the bars faded -- never an empty
drawing, never an error, and never a confident digit.
"""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from scipy.special import softmax

from digitgame.commands import predict, selftest
from digitgame.files import paths
from digitgame.live import verdict
from digitgame.live.verdict import Tone
from digitgame.recognition.model import NOT_A_DIGIT, NUM_SCORES, split_scores
from digitgame.recognition.predictor import CARD_NAME, ModelError, load_predictor
from digitgame.recognition.reading import (
    NOT_A_DIGIT_DOUBT,
    NOT_A_DIGIT_THRESHOLD,
    DigitReading,
    Nothing,
    Prediction,
    Reading,
)

SHIPPED = paths.asset_path(selftest.SELFTEST_FOLDER)
NOT_DIGITS = sorted(SHIPPED.glob("not-a-digit*.json"))


def test_split_scores_renormalises_the_digits_and_keeps_the_rest_for_not_a_digit():
    logits = np.random.default_rng(3).normal(0, 3, size=(50, NUM_SCORES))
    scores = softmax(logits, axis=1)  # scipy's softmax: the reference
    digits, not_digit = split_scores(scores)
    np.testing.assert_allclose(digits.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(not_digit, scores[:, NOT_A_DIGIT], rtol=1e-6)
    np.testing.assert_allclose(digits * (1 - not_digit[:, None]), scores[:, :NOT_A_DIGIT], rtol=1e-4, atol=1e-7)
    ten = softmax(logits[:, :10], axis=1)
    same, none = split_scores(ten)  # a model made before the eleventh class
    np.testing.assert_array_equal(same, ten.astype(np.float32)) and np.testing.assert_array_equal(none, 0.0)


def _prediction(share: float, threshold: float = 0.5) -> Prediction:
    p = np.full(10, 0.02)
    p[4] = 0.82
    return Prediction.from_probabilities(p, None, share, threshold)


def test_a_share_at_the_threshold_is_not_a_digit_and_below_it_a_digit():
    below, at = _prediction(0.49), _prediction(0.5)
    assert below.digit == 4 and below.is_confident and not below.is_not_a_digit
    assert at.digit is None and at.is_not_a_digit and not at.is_empty and not at.is_confident
    assert at.nothing is Nothing.NOT_A_DIGIT and at.looks_like == 4
    assert sum(at.shown) == pytest.approx(0.5) and at.shown[4] == pytest.approx(0.41)  # faded: the digits' share
    assert _prediction(0.99, NOT_A_DIGIT_THRESHOLD).digit == 4  # a model without a card never says it


def _reading(*shares: float) -> Reading:
    return Reading(tuple(DigitReading(_prediction(s), (i * 20.0, 0.0, 15.0, 20.0)) for i, s in enumerate(shares)))


def test_the_whole_ink_not_a_digit_is_told_in_words_with_exit_status_zero_in_json():
    reading = _reading(0.9)
    told = verdict.tell(reading)
    assert (told.headline, told.tone, told.has_answer) == ("not a digit", Tone.NOT_A_DIGIT, False)
    assert verdict.line("a.json", reading) == "a.json: not a digit"
    record = json.loads(predict.format_json("a.json", reading))
    assert record["digit"] is None and record["not_a_digit"] and record["reason"] == "not a digit"
    assert record["number"] is None and record["confidence"] is None
    assert sum(record["probabilities"]) == pytest.approx(0.1, abs=1e-5)


def test_a_number_with_a_part_that_is_no_digit_says_which_part():
    reading = _reading(0.0, 0.9, 0.0)
    assert reading.number is None and reading.not_a_digit_parts == (1,) and not reading.is_not_a_digit
    told = verdict.tell(reading)
    assert told.tone is Tone.UNSURE and told.headline == "4×4"
    assert "the 2nd of 3 parts is not a digit" in told.caption
    pct = f"{reading.digits[0].prediction.confidence:.1%}"  # as a single digit's line shows it
    assert verdict.line("n.json", reading).startswith(f"n.json: 4×4 (4 {pct}, not a digit, 4 {pct})")
    record = json.loads(predict.format_json("n.json", reading))
    assert record["reason"] == "the 2nd of 3 parts is not a digit" and record["digits"][1]["not_a_digit"]
    assert verdict.not_a_digit_text(_reading(0.9, 0.0, 0.9)) == "the 1st and 3rd of 3 parts are not digits"


@pytest.fixture()
def model_copy(tmp_path):
    """The committed model and its card, copied where the card can be changed."""
    model = paths.model_path()
    shutil.copy(model, tmp_path / model.name)
    shutil.copy(model.parent / CARD_NAME, tmp_path / CARD_NAME)
    return tmp_path / model.name


def _set_card(model, **changes) -> None:
    card_path = model.parent / CARD_NAME
    card = json.loads(card_path.read_text(encoding="utf-8"))
    card.update(changes)
    card_path.write_text(json.dumps(card), encoding="utf-8")


def _rule(model) -> tuple[float, float]:
    predictor = load_predictor(model)
    return predictor.not_a_digit_threshold, predictor.not_a_digit_doubt


def test_the_predictor_takes_its_threshold_and_doubt_from_the_models_card(model_copy):
    _set_card(model_copy, not_a_digit={"threshold": 0.42, "doubt": 0.1})
    assert _rule(model_copy) == (0.42, 0.1)
    _set_card(model_copy, not_a_digit={"threshold": 0.42})  # a card from before the doubt: doubted from the threshold
    assert _rule(model_copy) == (0.42, 0.42)
    _set_card(model_copy, not_a_digit=None)
    assert _rule(model_copy) == (NOT_A_DIGIT_THRESHOLD, NOT_A_DIGIT_DOUBT)
    (model_copy.parent / CARD_NAME).unlink()
    assert _rule(model_copy) == (NOT_A_DIGIT_THRESHOLD, NOT_A_DIGIT_DOUBT)


@pytest.mark.parametrize("name", ["threshold", "doubt"])
@pytest.mark.parametrize("bad", ["0.5", 0, 1.5, True])
def test_a_card_with_a_bad_threshold_or_doubt_is_one_clear_line(model_copy, name, bad):
    _set_card(model_copy, not_a_digit={"threshold": 0.5, name: bad})
    with pytest.raises(ModelError, match=rf"not_a_digit {name} is not a number in \(0, 1\]"):
        load_predictor(model_copy)


def test_a_card_whose_doubt_is_above_its_threshold_is_one_clear_line(model_copy):
    _set_card(model_copy, not_a_digit={"threshold": 0.5, "doubt": 0.6})
    with pytest.raises(ModelError, match="doubt is above its threshold"):
        load_predictor(model_copy)


def test_a_digit_the_network_half_thinks_no_digit_is_read_but_never_confidently():
    p = np.array([0.99] + [0.001] * 9)
    sure = Prediction.from_probabilities(p, not_digit=0.19, threshold=0.65, doubt=0.2)
    doubted = Prediction.from_probabilities(p, not_digit=0.2, threshold=0.65, doubt=0.2)
    assert sure.is_confident and not sure.perhaps_not_a_digit
    assert (doubted.digit, doubted.is_confident, doubted.perhaps_not_a_digit) == (0, False, True)
    assert not doubted.is_unsure_of_division and not doubted.is_not_a_digit
    assert verdict.doubt(doubted) == "not sure: 0, or not a digit?"
    reading = Reading((DigitReading(sure, (0, 0, 1, 1)), DigitReading(doubted, (2, 0, 1, 1))))
    assert verdict.number_text(reading) == "0?" and verdict.number_doubt(reading) == "not sure: 0 or not a digit?"


def test_real_letters_the_network_reads_as_sure_digits_are_told_not_sure_when_they_reach_the_doubt(
    model_copy, tmp_path
):
    """A choosing writer's Ys, written like 4s: the committed model reads many as a sure 4 with no doubt
    (the card's doubt set to its threshold); with the card's doubt, `predict` says they may be no digit."""
    from digitgame.files.strokefile import StrokeFile
    from digitgame.recognition.recognizer import Recognizer
    from training import realwriters

    ys = [d for d in realwriters.of_group(realwriters.read_letters(), "choosing") if d.letter == "Y"]
    drawn = [realwriters.on_canvas(d.strokes, 560, realwriters.HEIGHT_SHARE) for d in ys if d.writer == "val-57709ed8"]
    card = json.loads((model_copy.parent / CARD_NAME).read_text(encoding="utf-8"))["not_a_digit"]
    _set_card(model_copy, not_a_digit={**card, "doubt": card["threshold"]})
    undoubted = Recognizer(load_predictor(model_copy))
    sure = [s for s in drawn if (r := undoubted.read_strokes(s, 560, 560)).is_confident and not r.is_number]
    _set_card(model_copy, not_a_digit=card)
    shares = [undoubted.read_strokes(s, 560, 560).digits[0].prediction.not_digit for s in sure]
    told = [share for share in shares if share >= card["doubt"]]
    assert len(sure) >= 5 and len(told) >= 5
    files = []
    for n, strokes in enumerate(sure):
        files.append(tmp_path / f"y{n}.json")
        files[-1].write_bytes(StrokeFile(560, 560, tuple(map(tuple, strokes))).encode())
    out = subprocess_predict(model_copy, files)
    assert sum(line.endswith(", or not a digit?") for line in out) == len(told)
    assert sum(line.endswith("%)") for line in out) == len(sure) - len(told)  # still a sure digit


def subprocess_predict(model, files) -> list[str]:
    """`predict`'s text lines for ``files``, with ``model`` and its card."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "digitgame", "predict", "--no-profile", "--model", str(model), *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.splitlines()


def test_the_committed_model_answers_the_shipped_letters_and_scribbles_not_a_digit(capsys):
    assert len(NOT_DIGITS) >= 3
    assert predict.run_predict(["--no-profile", "--json", *map(str, NOT_DIGITS)]) == 0  # an answer, not an error
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["reason"] for r in records] == ["not a digit"] * len(NOT_DIGITS)
    assert all(r["digit"] is None and r["not_a_digit"] for r in records)


def test_what_the_person_taught_as_a_digit_is_one(recognizer):
    from digitgame.files.strokefile import load_stroke_file
    from digitgame.recognition import preprocess
    from digitgame.teaching import personal
    from digitgame.teaching.taught import Example, Profile

    drawing = load_stroke_file(NOT_DIGITS[0])
    assert recognizer.read_drawing(drawing).is_not_a_digit
    image = preprocess.strokes_to_input(drawing.strokes, max(drawing.width, drawing.height))
    example = Example.from_input(image, 7, strokes=drawing.strokes, canvas=(drawing.width, drawing.height))
    profile = Profile().add(example).add(example).add(example)
    taught_recognizer = type(recognizer)(
        recognizer.predictor, personal.PersonalModel.build(profile, recognizer.predictor)
    )
    reading = taught_recognizer.read_drawing(drawing)
    assert reading.number == "7" and reading.is_taught


def test_the_app_says_not_a_digit_in_its_own_words_with_the_bars_faded(tmp_path, predictor):
    from driver import Driver

    from digitgame.app import Settings
    from digitgame.files.strokefile import load_stroke_file

    app = Driver(Settings(is_fullscreen=False, window_size=(1024, 768), save_dir=tmp_path), predictor)
    try:
        assert app.wait_for_model()
        app.draw_drawing(load_stroke_file(NOT_DIGITS[0]))
        assert app.wait_for_reading()
        app.run_frames(2)
        assert app.reading is not None and app.reading.is_not_a_digit
        told = app.verdict
        assert (told.headline, told.tone) == ("not a digit", Tone.NOT_A_DIGIT)
        shown = app.reading.digits[0].prediction.shown
        assert app.bars[1] == pytest.approx(list(shown)) and sum(shown) <= 1 - predictor.not_a_digit_threshold + 1e-6
        assert any(ln.startswith("prediction digit=none") for ln in app.log.lines)
    finally:
        app.close()


def test_the_training_runs_answers_are_the_apps_a_rejected_or_doubted_digit_is_never_confident():
    from training import evaluation

    # softmax rows: a sure 3; a sure 3 with 0.3 to "not a digit"; one given 0.7 to "not a digit"
    p = np.zeros((3, NUM_SCORES))
    p[:, 3] = [1.0, 0.7, 0.3]
    p[1:, NOT_A_DIGIT] = [0.3, 0.7]
    digits, shares = split_scores(p)
    for doubt in (0.2, 0.65, np.inf):  # a doubt above the threshold never makes a rejected answer confident
        answer, confident = evaluation.answers(p, 0.65, doubt)
        assert answer.tolist() == [3, 3, NOT_A_DIGIT] and not confident[2]
        apps = [Prediction.from_probabilities(digits[k], None, float(shares[k]), 0.65, doubt) for k in range(3)]
        assert confident.tolist() == [a.is_confident for a in apps]
    assert evaluation.answers(p, 0.65, 0.2)[1].tolist() == [True, False, False]


def test_a_run_whose_digits_cost_too_much_at_095_still_answers_not_a_digit_from_a_finer_step():
    from training import evaluation

    def digit_set(shares: list[float]) -> tuple[np.ndarray, np.ndarray]:
        """1,000 sure 3s, the first ones with these shares for "not a digit": (N, 11) softmax and labels."""
        p = np.zeros((1000, NUM_SCORES))
        p[:, NOT_A_DIGIT] = shares + [0.0] * (1000 - len(shares))
        p[:, 3] = 1.0 - p[:, NOT_A_DIGIT]
        return p, np.full(1000, 3)

    def choose(shares: list[float], name: str = "mnist_validation") -> float:
        p, labels = digit_set(shares)
        inputs = np.arange(len(labels), dtype=np.float32).reshape(-1, 1, 1, 1)  # each input names its row
        sets = {name: evaluation.Labelled(inputs, labels)}
        return evaluation.choose_threshold(lambda x: p[x[:, 0, 0, 0].astype(int)], sets)["threshold"]

    # five digits of 1,000 at 0.96 cost 0.5 % at every threshold up to 0.95 (0.1 % allowed): 0.97, not "never"
    assert choose([0.96] * 5) == 0.97
    assert choose([0.996] * 5) == 1.0  # above the finest step too: never
    assert choose([0.5] * 5) == 0.55  # the steps below 0.95 are as before
    assert choose([]) == 0.05
    # a harder form (the sparse digits) may lose HARDER_KEPT of its accuracy: five of 1,000 at 0.96 (0.5 %)
    # fit within 0.6 % at any threshold, seven (0.7 %) only from the step above their share
    sparse = "real_writers_choosing_sparse"
    assert sparse not in evaluation.MAIN_SETS
    assert choose([0.96] * 5, sparse) == 0.05
    assert choose([0.96] * 7, sparse) == 0.97
