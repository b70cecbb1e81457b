"""The model card: what the model is, how it was made and how well it reads, written beside it.

The validation figures chose (the recipe, the checkpoint, the "not a digit" threshold); the test
figures are measured once, at the end of the run, and only reported.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from training import augment, embedding, evaluation, export, provenance, realwriters
from training.data import MNIST_PACKAGE, Mnist, as_input

MEASURED_CHOICES = Path(__file__).resolve().parent / "measured_choices.json"  # copied into the card


def model_card(
    tflite_bytes: bytes, model: Any, data: Mnist, args: argparse.Namespace, run: dict[str, Any], weights_bytes: bytes
) -> dict[str, Any]:
    """What the model is, how it was made and how well it reads: the card written beside it.

    ``weights_bytes``: the numpy fallback's weights file (``export.numpy_weights``), whose SHA-256 the card
    records as ``weights_sha256`` for the app to verify, as it verifies the .tflite's."""
    predict = evaluation.tflite_predict_fn(tflite_bytes)
    return {
        "model": export.MODEL_NAME,
        **provenance.provenance(args.argv, run["started"]),
        "seed": args.seed,
        **figures(predict, run["validation"], data if args.test else None),
        "training": {
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "limit": args.limit,
            "training_digits": len(data.y_train),
            "real_writers_digits": run["pen_digits"],
            "real_writers_letters": run["letters"],
            "images_per_epoch": augment.epoch_size(len(data.y_train), run["pen_digits"], args.recipe, run["letters"]),
            "recipe": dataclasses.asdict(args.recipe),
            "learning_rate": run["plan"].card(),
            "checkpoint": run["checkpoint"],
            "started_from": started_from(args.init),
        },
        "measured_choices": json.loads(MEASURED_CHOICES.read_text(encoding="utf-8")),
        "seconds_by_step": run["clock"].seconds,
        "parameters": int(model.count_params()),
        "embedding": embedding.card_entry(model),
        "tflite_bytes": len(tflite_bytes),
        "tflite_sha256": hashlib.sha256(tflite_bytes).hexdigest(),
        "weights_sha256": hashlib.sha256(weights_bytes).hexdigest(),
        "data": {
            "mnist": {"package": MNIST_PACKAGE, "file": "mnist/data/mnist.pkl.gz", "sha256": data.sha256},
            "real_writers": realwriters.card_entry(),
        },
    }


def figures(
    predict: evaluation.Predict, validation: dict[str, evaluation.Labelled], data: Mnist | None
) -> dict[str, Any]:
    """The card's "not a digit" rule, chosen on ``validation``, and its figures: the validation sets', then
    (with ``data``) the test sets', measured once, after everything was chosen, and only reported."""
    not_a_digit = evaluation.choose_threshold(predict, validation)
    rule = not_a_digit["threshold"], not_a_digit["doubt"]
    return {
        "not_a_digit": not_a_digit,  # the app reads its threshold and doubt from here (recognition/predictor.py)
        "validation": {
            "what": "chose the recipe's settings, this run's checkpoint and the 'not a digit' threshold and doubt",
            **evaluation.measure(predict, validation, *rule),
        },
        "test": "not measured (--validation-only)" if data is None else test_figures(predict, data, rule),
    }


def test_figures(predict: evaluation.Predict, data: Mnist, rule: tuple[float, float]) -> dict[str, Any]:
    """The test sets, measured once, at the end of the run, and only reported."""
    mnist_test = evaluation.Labelled(as_input(data.x_test), data.y_test)
    return {
        "what": "measured once, after everything was chosen; never used to choose",
        **evaluation.measure(predict, evaluation.report_sets(data), *rule),
        "mnist_test_by_class": evaluation.confusion(predict, mnist_test, rule[0]),
    }


def started_from(init: Path | None) -> dict[str, str] | str:
    """Random weights, or the trained model a run continued (its file's name and sha256)."""
    if init is None:
        return "random weights"
    return {"model": init.name, "sha256": hashlib.sha256(init.read_bytes()).hexdigest()}


def summary(card: dict[str, Any]) -> str:
    """The run's last line: its validation figure, its test figures when measured, and its time."""
    line = f"validation: MNIST {card['validation']['mnist_validation']['accuracy']:.4f}"
    if isinstance(card["test"], dict):
        test = card["test"]
        line += (
            f"; test (reported): MNIST {test['mnist_test']['accuracy']:.4f}, "
            f"load_digits second half upscaled {test['load_digits_second_half_upscaled']['accuracy']:.4f}"
        )
    return f"{line}; {card['seconds_by_step']['total'] / 60:.1f} min"
