"""personal: taught drawings decide where they are close and nowhere else; banks are reused, cached and rebuilt."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from digitgame.files import paths
from digitgame.recognition import preprocess
from digitgame.recognition.predictor import LiteRTPredictor, Outputs
from digitgame.recognition.recognizer import Recognizer
from digitgame.teaching import personal, taught
from digitgame.teaching.personal import PersonalModel
from digitgame.teaching.taught import Example, Profile

CANVAS = 560.0


def one(rng: np.random.Generator, flag: bool) -> list[list[tuple[float, float]]]:
    """A 1 written in one stroke: with a flag rising from the lower left, or a plain upright stick."""
    control = np.array([(0.0, 0.42), (0.62, 0.0), (0.62, 1.0)] if flag else [(0.5, 0.0), (0.48, 1.0)])
    control = control + rng.normal(0, 0.03, control.shape)
    height = rng.uniform(180, 420)
    points = control * (0.7 * height, height)
    points[:, 0] += rng.uniform(-0.15, 0.1) * (points[:, 1] - height / 2)  # slant
    points += rng.uniform(20, CANVAS - height - 20, size=2)
    t = np.linspace(0, 1, 25, endpoint=False)[:, None]
    dense = np.concatenate([a + t * (b - a) for a, b in itertools.pairwise(points)] + [points[-1:]])
    return [[(float(x), float(y)) for x, y in dense]]


def taught_example(strokes, digit: int) -> Example:
    return Example.from_input(
        preprocess.strokes_to_input(strokes, CANVAS), digit, strokes=strokes, canvas=(CANVAS, CANVAS)
    )


def read(recognizer: Recognizer, strokes):
    return recognizer.read_strokes(strokes, CANVAS, CANVAS).digits[0]


def use_profile(recognizer: Recognizer, profile: Profile) -> None:
    """Read with ``profile`` from now on, reusing the embeddings of the examples seen before (as the worker does)."""
    previous = recognizer.personal.bank if recognizer.personal is not None else None
    recognizer.personal = PersonalModel.build(profile, recognizer.predictor, previous)


@pytest.fixture(scope="module")
def litert():
    """A predictor of its own: these tests swap profiles on it."""
    return LiteRTPredictor(paths.model_path())


def test_a_1_taught_as_7_turns_similar_1s_into_7s_and_leaves_plain_1s_alone(litert):
    rng = np.random.default_rng(11)
    flagged = [one(rng, flag=True) for _ in range(23)]
    plain = [one(rng, flag=False) for _ in range(20)]
    recognizer = Recognizer(litert)
    assert sum(read(recognizer, s).prediction.digit == 1 for s in flagged[3:]) >= 18  # the network reads them as 1s
    use_profile(
        recognizer,
        Profile()
        .add(taught_example(flagged[0], 7))
        .add(taught_example(flagged[1], 7))
        .add(taught_example(flagged[2], 7)),
    )
    sevens = [read(recognizer, s) for s in flagged[3:]]
    assert sum(d.prediction.digit == 7 and d.is_taught for d in sevens) >= 18
    ones = [read(recognizer, s) for s in plain]
    assert all(d.prediction.digit == 1 and not d.is_taught for d in ones)


def test_the_taught_drawing_itself_reads_as_taught_at_once(litert):
    strokes = one(np.random.default_rng(2), flag=False)
    recognizer = Recognizer(litert)
    assert read(recognizer, strokes).prediction.digit == 1
    use_profile(recognizer, Profile().add(taught_example(strokes, 4)))
    answer = read(recognizer, strokes)
    assert answer.prediction.digit == 4 and answer.is_taught and answer.prediction.is_confident
    use_profile(recognizer, recognizer.personal.profile.remove_last())  # undo
    assert read(recognizer, strokes).prediction.digit == 1 and not read(recognizer, strokes).is_taught


def test_far_from_every_taught_example_the_cnn_decides_exactly(litert, mnist):
    rng = np.random.default_rng(5)
    profile = Profile()
    for i in range(10):
        profile = profile.add(taught_example(one(rng, flag=True), (i % 3) + 4))  # flagged 1s taught as 4, 5, 6
    model = PersonalModel.build(profile, litert)
    out = litert.predict(mnist.x_test[:300] / 255.0)
    adjusted = model.adjust(out.probabilities, out.embeddings)
    untouched = model.closeness(out.embeddings).max(axis=1) == 0
    assert untouched.mean() > 0.95
    np.testing.assert_array_equal(adjusted.probabilities[untouched], out.probabilities[untouched])
    assert not adjusted.is_taught[untouched].any()
    np.testing.assert_allclose(adjusted.probabilities.sum(axis=1), 1.0, atol=1e-5)


class Counting:
    """A predictor that counts the images it is asked about; ``shift`` makes it a different model."""

    def __init__(self, inner, shift: float = 0.0) -> None:
        self.inner, self.shift, self.images = inner, shift, 0
        self.backend, self.path, self.embedding_size = inner.backend, inner.path, inner.embedding_size
        self.not_a_digit_threshold = inner.not_a_digit_threshold
        self.not_a_digit_doubt = inner.not_a_digit_doubt

    def predict(self, images):
        self.images += len(images)
        out = self.inner.predict(images)
        return Outputs(out.probabilities, out.embeddings + self.shift)


def test_building_embeds_only_new_examples_and_a_new_model_embeds_all_again(litert):
    rng = np.random.default_rng(8)
    profile = Profile().add(taught_example(one(rng, True), 7)).add(taught_example(one(rng, False), 1))
    counting = Counting(litert)
    first = PersonalModel.build(profile, counting)
    assert counting.images == 1 + 2 * personal.COPIES  # the probe, then two examples' copies
    bigger = profile.add(taught_example(one(rng, True), 7))
    second = PersonalModel.build(bigger, counting, first.bank)
    assert counting.images == 1 + 2 * personal.COPIES + 1 + personal.COPIES
    np.testing.assert_array_equal(second.bank.rows[:2], first.bank.rows)
    other = Counting(litert, shift=0.01)  # another model: its probe differs, so nothing is reused
    PersonalModel.build(bigger, other, second.bank)
    assert other.images == 1 + 3 * personal.COPIES


def test_open_folder_caches_the_bank_and_rebuilds_a_broken_cache(litert, tmp_path):
    rng = np.random.default_rng(9)
    taught.save(tmp_path, Profile().add(taught_example(one(rng, True), 7)).add(taught_example(one(rng, True), 7)))
    first = personal.open_folder(tmp_path, litert)
    assert (tmp_path / personal.CACHE_FILE).exists()
    counting = Counting(litert)
    again = personal.open_folder(tmp_path, counting)
    assert counting.images == 1  # only the probe: every example came from the cache
    np.testing.assert_array_equal(again.model.bank.rows, first.model.bank.rows)
    (tmp_path / personal.CACHE_FILE).write_bytes(b"garbage")
    rebuilt = personal.open_folder(tmp_path, litert)
    np.testing.assert_allclose(rebuilt.model.bank.rows, first.model.bank.rows, atol=1e-6)


def test_a_model_without_an_embedding_cannot_be_taught_and_says_so(litert):
    class NoEmbedding(Counting):
        def predict(self, images):
            return Outputs(self.inner.predict(images).probabilities, None)

    with pytest.raises(ValueError, match="no embedding output"):
        PersonalModel.build(Profile(), NoEmbedding(litert))
    empty = PersonalModel.build(Profile(), litert)
    p = np.full((1, 10), 0.1, np.float32)
    np.testing.assert_array_equal(empty.adjust(p, None).probabilities, p)
