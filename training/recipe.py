"""What each epoch is made of: the shares of every kind of training digit, in one value the card records.

``Recipe()`` is the committed recipe; experiments change it with ``train_model.py --recipe
name=value,...`` (recorded in the card's command), so that every choice is a run anyone can
repeat.  Shares are of the MNIST training digits unless said otherwise; how each was chosen is in
docs/training.md.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Recipe:
    """The mix of one epoch."""

    untouched: float = 0.3  # MNIST digits left as they are, keeping the native test set in view
    through_canvas: float = 0.3  # MNIST digits transformed, then enlarged and read back through the app's image path
    # (the remaining MNIST digits are transformed only)
    strokes: float = 0.3  # MNIST digits re-drawn as pen strokes (their skeletons), styled
    one_stroke: float = 0.2  # MNIST digits as one stroke of a handful of points, pen-ups joined
    scans: float = 0.1  # any of the above re-made as an 8x8, 17-level scan
    scratch: float = 0.03  # 9s with small angular loops and 1s with flag and foot, drawn from scratch
    scratch_scans: float = 0.75  # of those, the share re-made as an 8x8 scan with a thick pen
    styles: bool = True  # the continental styles (flagged 1s, crossed 7s, open 9s) added to MNIST's strokes and paths
    pen_repeats: int = 4  # each training writer's pen digit, this many times per epoch
    pen_one_stroke: float = 0.25  # of those, as one stroke of a handful of points, pen-ups joined
    pen_thinned: float = 0.25  # of the rest, with only every second to fourth point kept
    pen_scans: float = 0.1  # of all pen digits, re-made as an 8x8 scan
    letter_repeats: int = 1  # each training writer's letter that looks like no digit, this many times: "not a digit"
    letter_scans: float = 0.0  # of those, re-made as an 8x8 scan (an 8x8 scan of a letter can look like one of a digit)
    junk: float = 0.02  # scribbles, filled blobs and noise photos (training/junk.py), also "not a digit"
    touching: float = 0.0  # pieces of touching pen digits as "not a digit" (training/touching.py): tried, not adopted
    mixed: float = 0.04  # a pen digit with a piece of its neighbour (a wrong cut's part), also "not a digit"


RECIPE = Recipe()


def with_changes(text: str, recipe: Recipe = RECIPE) -> Recipe:
    """``recipe`` with ``name=value,...`` changed; ValueError naming what is wrong."""
    fields = {f.name: f.type for f in dataclasses.fields(Recipe)}
    changes: dict[str, Any] = {}
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        if name not in fields or not value:
            raise ValueError(f"not a recipe setting: {item!r} (settings: {', '.join(fields)})")
        kind = fields[name]
        if kind == "bool":
            if value not in ("true", "false"):
                raise ValueError(f"{name} is true or false, not {value!r}")
            changes[name] = value == "true"
        else:
            try:
                number = (int if kind == "int" else float)(value)
            except ValueError:
                raise ValueError(f"{name} is a{'' if kind == 'int' else ' decimal'} number, not {value!r}") from None
            if number < 0:
                raise ValueError(f"{name} cannot be negative")
            changes[name] = number
    return dataclasses.replace(recipe, **changes)
