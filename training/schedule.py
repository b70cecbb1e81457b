"""The learning-rate plan: one cycle (a warm-up, then a cosine descent) and a constant tail whose weights are averaged.

One cycle reaches in a few epochs what a long decay needs many for (Smith and Topin, 2017): a
short linear warm-up from a tenth of the peak, then a cosine down to the averaging rate.  The
last epochs run at that constant rate while ``averaging.WeightAverage`` takes snapshots.  A run
that continues a trained net (``--init``) runs every epoch at the averaging rate, all averaged,
as stochastic weight averaging began.  The rates and shares were chosen on validation data
(docs/training.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

PEAK_LEARNING_RATE = 2e-3
START_LEARNING_RATE = 2e-4  # where the warm-up starts
AVERAGING_LEARNING_RATE = 2e-4  # the constant rate of the averaged final epochs (a tenth of the peak)
WARMUP_SHARE = 0.15  # of the cycle's steps


@dataclass(frozen=True)
class Plan:
    """How a run's ``epochs`` of ``steps_per_epoch`` steps are spent."""

    epochs: int
    steps_per_epoch: int
    from_trained: bool = False

    @property
    def averaged_epochs(self) -> int:
        """The final epochs at the constant rate, weights averaged: a quarter of a fresh run, all of a continued one."""
        if self.from_trained:
            return self.epochs
        return self.epochs // 4

    @property
    def cycle_steps(self) -> int:
        return (self.epochs - self.averaged_epochs) * self.steps_per_epoch

    def is_averaged(self, epoch: int) -> bool:
        return epoch >= self.epochs - self.averaged_epochs

    def learning_rate(self) -> Any:
        """What the optimizer is given: a Keras schedule of the step, or a constant rate."""
        import keras

        if self.cycle_steps == 0:
            return AVERAGING_LEARNING_RATE
        warmup = int(self.cycle_steps * WARMUP_SHARE)
        return keras.optimizers.schedules.CosineDecay(
            initial_learning_rate=START_LEARNING_RATE,
            warmup_target=PEAK_LEARNING_RATE,
            warmup_steps=warmup,
            decay_steps=self.cycle_steps - warmup,
            alpha=AVERAGING_LEARNING_RATE / PEAK_LEARNING_RATE,  # it ends at, and then holds, the averaging rate
        )

    def card(self) -> dict[str, Any]:
        """The plan for the model card."""
        return {
            "schedule": "constant" if self.cycle_steps == 0 else "one cycle: linear warm-up, cosine descent",
            "peak_learning_rate": PEAK_LEARNING_RATE,
            "start_learning_rate": START_LEARNING_RATE,
            "warmup_share_of_cycle": WARMUP_SHARE,
            "averaging_learning_rate": AVERAGING_LEARNING_RATE,
            "averaged_epochs": self.averaged_epochs,
            "steps_per_epoch": self.steps_per_epoch,
        }
