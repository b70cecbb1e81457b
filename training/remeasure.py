"""Re-measure a model's card under the current reading rules, its network untouched.

``python -m training.remeasure`` does for the committed model (``models/``) exactly what the last
step of ``train_model.py`` does for a new one: chooses the "not a digit" rule on the validation
sets, then measures the validation and test figures with it (``modelcard.figures``), and writes
them into the card, with a ``re_measured`` entry saying by which command, at which commit and
when.  Everything else on the card -- how the network was made, its checksums -- stays as the
training run wrote it, and the .tflite is not touched.  This is for a change in how answers are
read from the same network (the doubt of the "not a digit" rule was one); a change in the network
is a training run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from digitgame.files.atomic import write_bytes_atomically
from training import evaluation, modelcard, provenance
from training.data import TrainingError, load_mnist

MODELS = provenance.ROOT / "models"
COMMAND = "python -m training.remeasure"


def remeasured(card: dict[str, Any], tflite: bytes, when: float) -> dict[str, Any]:
    """``card`` with its "not a digit" rule and its figures measured again on ``tflite`` by the current code."""
    data = load_mnist()
    predict = evaluation.tflite_predict_fn(tflite)
    new = {**card, **modelcard.figures(predict, evaluation.validation_sets(data), data)}
    new["re_measured"] = {
        "command": COMMAND,
        "code": provenance.code_version(),
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
        "what": "the 'not a digit' rule chosen and the validation and test figures measured again on this card's "
        "unchanged .tflite, by the reading rules of that commit",
    }
    return new


def doubt_grid(predict: evaluation.Predict, validation: dict[str, evaluation.Labelled]) -> str:
    """A table: at each doubt up to the chosen threshold, each validation set's share answered as a confident digit."""
    threshold = evaluation.choose_threshold(predict, validation)["threshold"]
    scored = {name: evaluation.probabilities(predict, s.inputs) for name, s in validation.items()}
    rows = ["doubt  " + "  ".join(scored)]
    for doubt in [t for t in evaluation.THRESHOLDS if t <= threshold]:
        shares = {n: evaluation.answers(p, threshold, float(doubt))[1].mean() for n, p in scored.items()}
        rows.append(f"{doubt:5.2f}  " + "  ".join(f"{100 * v:{len(n)}.2f}" for n, v in shares.items()))
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODELS, help="the folder of the model and its card (models/)")
    parser.add_argument("--grid", action="store_true", help="only print what each doubt would give; write nothing")
    args = parser.parse_args(argv)
    card_path, tflite_path = args.out / "model_card.json", args.out / "digit_cnn.tflite"
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
        tflite = tflite_path.read_bytes()
        if card.get("tflite_sha256") != hashlib.sha256(tflite).hexdigest():
            raise ValueError(f"{tflite_path.name} is not the model its card describes (tflite_sha256 differs)")
        if args.grid:
            print(doubt_grid(evaluation.tflite_predict_fn(tflite), evaluation.validation_sets(load_mnist())))
            return 0
        new = remeasured(card, tflite, time.time())
    except (OSError, ValueError, TrainingError) as exc:
        print(f"remeasure: cannot re-measure {args.out}: {exc}", file=sys.stderr)
        return 2
    write_bytes_atomically(card_path, (json.dumps(new, indent=2) + "\n").encode("utf-8"))
    rule = new["not_a_digit"]
    print(f"wrote {card_path}: 'not a digit' from {rule['threshold']}, never confident from {rule['doubt']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
