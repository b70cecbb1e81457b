"""training/embedding.py: the second output -- PCA against numpy, probabilities untouched, the reference distance."""

from __future__ import annotations

import numpy as np
import pytest

from digitgame.files import paths
from digitgame.recognition.predictor import LiteRTPredictor, load_predictor


def test_randomized_pca_finds_the_exact_principal_subspace(rng):
    from training.embedding import fit_projection

    scales = np.geomspace(5.0, 0.01, 120)
    x = (rng.standard_normal((2000, 120)) * scales) @ np.linalg.qr(rng.standard_normal((120, 120)))[0]
    projection = fit_projection(x.astype(np.float32), 16)
    centred = x - x.mean(axis=0)
    variances, vectors = np.linalg.eigh(np.cov(centred.T))
    exact = vectors[:, ::-1][:, :16]  # (F, 16)
    found, _ = np.linalg.qr(projection.components.astype(np.float64))
    cosines = np.linalg.svd(exact.T @ found, compute_uv=False)  # of the principal angles between the subspaces
    assert cosines.min() > 0.9999
    assert projection.variance_kept == pytest.approx(variances[::-1][:16].sum() / variances.sum(), rel=1e-4)
    z = projection(x.astype(np.float32))
    assert (z * z).sum(axis=1).mean() == pytest.approx(1.0, rel=1e-3)  # scaled to a mean squared length of 1


@pytest.fixture(scope="module")
def small_models(mnist):
    """An untrained digit CNN and the same CNN with the embedding; 300 MNIST digits all serve as references."""
    pytest.importorskip("tensorflow")
    import keras

    from digitgame.recognition.model import build_model
    from training.embedding import with_embedding

    keras.utils.set_random_seed(3)
    model = build_model()
    return model, with_embedding(model, mnist.x_train[:300], size=8, references=300)


def test_probabilities_stay_bit_for_bit_and_the_last_value_is_the_nearest_reference(small_models, mnist):
    from training.embedding import penultimate_features

    model, combined = small_models
    x = mnist.x_test[:64].astype(np.float32)[..., None] / 255.0
    probabilities, embedding = (np.asarray(v) for v in combined(x, training=False))
    np.testing.assert_array_equal(probabilities, np.asarray(model(x, training=False)))
    assert embedding.shape == (64, 9)
    kernel, bias = combined.get_layer("embedding_pca").get_weights()
    references = penultimate_features(model, mnist.x_train[:300]) @ kernel + bias  # (300, 8), in numpy
    nearest = ((embedding[:, None, :8] - references[None]) ** 2).sum(axis=2).min(axis=1)
    np.testing.assert_allclose(embedding[:, 8], nearest, rtol=1e-3, atol=1e-5)
    own = np.asarray(combined(mnist.x_train[:32].astype(np.float32)[..., None] / 255.0, training=False)[1])
    assert np.abs(own[:, 8]).max() < 1e-4  # a reference digit is at distance 0 from itself


@pytest.mark.slow
def test_the_tflite_export_keeps_the_probabilities_exactly(small_models, mnist):
    from training.export import convert_to_tflite

    model, combined = small_models
    before = LiteRTPredictor(paths.model_path(), content=convert_to_tflite(model))
    after = LiteRTPredictor(paths.model_path(), content=convert_to_tflite(combined))
    x = mnist.x_test[:200] / 255.0
    assert (before.embedding_size, after.embedding_size) == (0, 9)
    np.testing.assert_array_equal(before.predict(x).probabilities, after.predict(x).probabilities)


def test_the_committed_model_has_the_embedding_in_both_backends(mnist):
    lite = LiteRTPredictor(paths.model_path())
    assert lite.embedding_size == 33
    x = mnist.x_test[:50] / 255.0
    out = lite.predict(x)
    assert out.embeddings is not None and out.embeddings.shape == (50, 33)
    assert 0.2 < (out.embeddings[:, :32] ** 2).sum(axis=1).mean() < 5  # MNIST's mean squared length is 1
    assert (out.embeddings[:, 32] > -1e-4).all()  # a squared distance
    numpy_out = load_predictor(paths.model_path(), backend="numpy").predict(x)  # its weights come from the .keras
    assert numpy_out.embeddings is not None
    np.testing.assert_allclose(numpy_out.embeddings, out.embeddings, atol=1e-5)
    np.testing.assert_allclose(numpy_out.probabilities, out.probabilities, atol=1e-5)
