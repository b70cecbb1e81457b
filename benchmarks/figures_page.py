"""The skeleton of docs/figures.md: its sections and how to re-run them; ``figures.py`` fills in every block."""

TEMPLATE = """\
# Figures

<!-- Generated whole by `python benchmarks/figures.py` from models/model_card.json and
benchmarks/results/*.json; edit benchmarks/figures_page.py or the benchmarks, never this page. -->

Every figure of digitgame, as the program that measured it wrote it down: the model card
(`models/model_card.json`, written by `python train_model.py`) and one JSON file per benchmark in
[`benchmarks/results/`](../benchmarks/results/) (written by
[`benchmarks/record.py`](../benchmarks/record.py): the command, the commit, the machine, the time,
the load average at start and end, and the share of the CPU that other processes took while it
ran). Under each table, the files it came from and how each was measured. Targets are quoted from
the issue that set them, with whether the figure meets them.

## Re-running them

Any time (the figures do not depend on the machine being idle):

```sh
python3 dev.py figures          # accuracy, confidence, real_writers, number_accuracy, teach, fuzz_inputs; then this page
```

The speed benchmarks only on an otherwise idle machine, one at a time (each runs 3 rounds and
reports the medians; `record.py` writes down the load, so a busy run shows as one):

```sh
python3 dev.py figures --speed  # all of the below in turn, then this page; or one at a time:
.venv/bin/python benchmarks/latency.py                          # one digit, a 4-digit number, the seed's Keras way
.venv/bin/python benchmarks/numpy_agreement.py                  # the numpy fallback against LiteRT: agreement, speed
.venv/bin/python benchmarks/teach_speed.py                      # reading with 500 taught examples, loading, saving
.venv/bin/python benchmarks/cold_start.py                       # `predict` from a cold process
.venv/bin/python benchmarks/startup.py --xvfb                   # launch -> first frame, model ready (also without --xvfb)
.venv/bin/python benchmarks/frame_time.py --xvfb                # also --scene number, practice, sums, and without --xvfb
.venv/bin/python benchmarks/sums_verdict.py --xvfb              # sums: pen-up -> verdict on screen, and misreads
.venv/bin/python benchmarks/unfinished_digits.py                # sums: real digits whose first strokes read as another
python3 dev.py bundle && .venv/bin/python benchmarks/bundle_startup.py   # the bundle's size and start-up
.venv/bin/python benchmarks/figures.py                          # then regenerate the pages
```

A benchmark run with other arguments than these (a quicker look) prints its figures and writes
nothing. `python benchmarks/figures.py --check` (run by the tests) fails when a page is out of
date with the JSON.

## Reading a drawing, and teaching's costs

<!-- figures:speed -->
<!-- /figures:speed -->

## Start-up and frame time

<!-- figures:startup -->
<!-- /figures:startup -->

## The standalone bundle

<!-- figures:bundle -->
<!-- /figures:bundle -->

## The model

How it was made and what it scores, chosen on validation and reported once on test
([training.md](training.md) says why):

<!-- figures:model -->
<!-- /figures:model -->

<!-- figures:model_targets -->
<!-- /figures:model_targets -->

The same command with other seeds, and on other machines (`training/tolerance.json`): how far
another seed moves each figure, and the tolerance a run of the default command is judged by at its
end ([training.md](training.md)):

<!-- figures:seeds -->
<!-- /figures:seeds -->

## Accuracy through the app's own paths

Every set goes through the `Recognizer` as the app and `predict` use it; sets after MNIST are
this team's proxies, written to catch blunders, not to stand for real people.

<!-- figures:accuracy -->
<!-- /figures:accuracy -->

## Real writers

Pen digits by people nobody on this project is, the report group (never used to choose), read
as `predict` reads a stroke file.

<!-- figures:real_writers -->
<!-- /figures:real_writers -->

## "Not sure": the confidence rule

<!-- figures:confidence -->
<!-- /figures:confidence -->

## Numbers

<!-- figures:numbers -->
<!-- /figures:numbers -->

## Teaching

<!-- figures:teaching -->
<!-- /figures:teaching -->

## Hostile files

<!-- figures:fuzz -->
<!-- /figures:fuzz -->
"""
