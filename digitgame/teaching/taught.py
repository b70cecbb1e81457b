"""The person's taught examples: immutable values, and their file (versioned, atomic, set aside when broken).

A profile is a folder holding ``profile.npz``: each taught example as the 28x28 model input
it was (uint8), its digit, when it was taught, and the strokes it came from when it came from
strokes -- the drawings themselves, not features of one model, so a new model can use them.
A numpy ``.npz`` without pickles: it loads quickly even when full (``benchmarks/teach_speed.py``
times it) and cannot run code.  Nothing here imports pygame or TensorFlow.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from digitgame.files.atomic import set_aside, write_atomically
from digitgame.recognition.model import INPUT_SIDE_PX, NUM_CLASSES

FORMAT = "digitgame-profile"
VERSION = 1
FILE_NAME = "profile.npz"
MAX_PER_DIGIT = 50  # the oldest example of a digit goes when a newer one would pass this
MAX_FILE_BYTES = 64 * 1024 * 1024  # far above a full profile (benchmarks/teach_speed.py prints its size)

# The ``Strokes`` an example was drawn with, as a profile keeps them: each stroke (P, 2) float64 canvas px, read-only.
StrokeArrays = tuple[np.ndarray, ...]


class ProfileError(ValueError):
    """A profile that cannot be used; ``str()`` is one line naming the file and the problem."""


@dataclass(frozen=True)
class Example:
    """One taught drawing: the model input it was, and the digit the person says it is."""

    image: np.ndarray = field(compare=False, repr=False)  # (28, 28) uint8, 255 = full ink
    digit: int
    taught_at: float  # seconds since the epoch
    strokes: StrokeArrays | None = field(default=None, compare=False, repr=False)  # canvas px, when drawn
    canvas: tuple[float, float] | None = None  # width, height the strokes were drawn on

    @classmethod
    def from_input(
        cls,
        image: np.ndarray,
        digit: int,
        *,
        strokes: Any = None,
        canvas: tuple[float, float] | None = None,
        taught_at: float | None = None,
    ) -> Example:
        """A taught example from a (28, 28) float model input in [0, 1] (and the strokes it was drawn with)."""
        if not 0 <= int(digit) < NUM_CLASSES:
            raise ValueError(f"a digit is 0 to 9, got {digit}")
        pixels = np.asarray(image, dtype=np.float32).reshape(INPUT_SIDE_PX, INPUT_SIDE_PX)
        frozen = None if strokes is None else tuple(_frozen(np.asarray(s, dtype=np.float64)) for s in strokes if len(s))
        return cls(
            _as_uint8(pixels), int(digit), time.time() if taught_at is None else float(taught_at), frozen, canvas
        )

    @property
    def input(self) -> np.ndarray:
        """The example as a model input: (28, 28) float32 in [0, 1]."""
        return self.image.astype(np.float32) / 255.0


def _as_uint8(image: np.ndarray) -> np.ndarray:
    return _frozen(np.rint(np.clip(image, 0.0, 1.0) * 255.0).astype(np.uint8))


def _frozen(array: np.ndarray) -> np.ndarray:
    """``array``, made read-only: examples are shared between threads, so nobody may change them."""
    array.flags.writeable = False
    return array


@dataclass(frozen=True)
class Profile:
    """The taught examples, oldest first.  Changing it makes a new Profile: a snapshot is never modified."""

    examples: tuple[Example, ...] = ()
    max_per_digit: int = MAX_PER_DIGIT

    def __len__(self) -> int:
        return len(self.examples)

    @property
    def is_empty(self) -> bool:
        return not self.examples

    def counts(self) -> tuple[int, ...]:
        """How many examples each digit 0..9 has."""
        counts = [0] * NUM_CLASSES
        for example in self.examples:
            counts[example.digit] += 1
        return tuple(counts)

    def add(self, example: Example) -> Profile:
        """A profile with ``example`` added last; the oldest of its digit goes when there are too many."""
        examples = [*self.examples, example]
        same = [i for i, e in enumerate(examples) if e.digit == example.digit]
        drop = set(same[: max(len(same) - self.max_per_digit, 0)])
        return replace(self, examples=tuple(e for i, e in enumerate(examples) if i not in drop))

    def remove_last(self) -> Profile:
        """The profile without its newest example (undo of a teach when the previous snapshot is gone)."""
        return replace(self, examples=self.examples[:-1])

    def without(self, index: int) -> Profile:
        """The profile without its ``index``-th example (oldest first, from 0); IndexError when there is none."""
        if not 0 <= index < len(self.examples):
            raise IndexError(f"no example {index} among {len(self.examples)}")
        return replace(self, examples=self.examples[:index] + self.examples[index + 1 :])

    def of_digit(self, digit: int) -> tuple[Example, ...]:
        return tuple(e for e in self.examples if e.digit == digit)


# --- the file -------------------------------------------------------------------


def file_in(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


def _arrays(profile: Profile) -> dict[str, np.ndarray]:
    """The profile as the arrays stored in the file."""
    examples = profile.examples
    strokes = [s for e in examples for s in e.strokes or ()]
    return {
        "format": np.array(FORMAT),
        "version": np.array(VERSION),
        "digits": np.array([e.digit for e in examples], dtype=np.uint8),  # (M,)
        "images": np.stack([e.image for e in examples]) if examples else np.zeros((0, 28, 28), np.uint8),
        "taught_at": np.array([e.taught_at for e in examples], dtype=np.float64),  # (M,)
        "canvas": np.array([e.canvas or (0.0, 0.0) for e in examples], dtype=np.float64).reshape(-1, 2),
        "strokes_per_example": np.array([len(e.strokes or ()) for e in examples], dtype=np.int64),  # (M,) 0: none
        "points_per_stroke": np.array([len(s) for s in strokes], dtype=np.int64),  # (S,)
        "points": np.concatenate(strokes).reshape(-1, 2) if strokes else np.zeros((0, 2)),  # (P, 2) canvas px
    }


def save(folder: Path, profile: Profile) -> Path:
    """Write the profile atomically (a kill at any moment leaves the old file or the new one)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    arrays = _arrays(profile)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)  # type: ignore[arg-type]  # numpy's stub types the keywords as allow_pickle

    return write_atomically(file_in(folder), write)


def _examples(data: Any) -> tuple[Example, ...]:
    """Examples from the arrays of a file, or ProfileError naming what is wrong."""
    if str(data["format"]) != FORMAT:
        raise ProfileError("not a digitgame profile")
    if int(data["version"]) != VERSION:
        raise ProfileError(f"profile version {int(data['version'])} is not the one this program reads ({VERSION})")
    digits, images, taught = data["digits"], data["images"], data["taught_at"]
    canvas, per_example = data["canvas"], data["strokes_per_example"]
    per_stroke, points = data["points_per_stroke"], data["points"]
    m = len(digits)
    shapes_ok = images.shape == (m, 28, 28) and images.dtype == digits.dtype == np.uint8 and taught.shape == (m,)
    shapes_ok &= canvas.shape == (m, 2) and per_example.shape == (m,) and points.ndim == 2
    if not shapes_ok or int(per_example.sum()) != len(per_stroke) or int(per_stroke.sum()) != len(points):
        raise ProfileError("the profile's arrays do not fit together")
    counts_ok = int(per_stroke.min(initial=1)) >= 1 and int(per_example.min(initial=0)) >= 0
    if not counts_ok or (m and int(digits.max()) >= NUM_CLASSES) or not np.isfinite(points).all():
        raise ProfileError("the profile holds values out of range")
    all_strokes = [_frozen(s) for s in np.split(np.asarray(points, dtype=np.float64), np.cumsum(per_stroke)[:-1])]
    example_ends = np.cumsum(per_example)
    examples = []
    for i in range(m):
        strokes = tuple(all_strokes[example_ends[i] - per_example[i] : example_ends[i]]) if per_example[i] else None
        size = (float(canvas[i, 0]), float(canvas[i, 1])) if per_example[i] else None
        examples.append(Example(_frozen(np.array(images[i])), int(digits[i]), float(taught[i]), strokes, size))
    return tuple(examples)


def read(folder: Path) -> Profile:
    """The profile in ``folder`` (empty when there is none); ProfileError when its file is broken or foreign."""
    path = file_in(folder)
    try:
        if not path.exists():
            return Profile()
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProfileError("the file is too big to be a profile")
        with np.load(path, allow_pickle=False) as data:
            return Profile(_examples(data))
    except ProfileError as exc:
        raise ProfileError(f"{path}: {exc}") from None
    except Exception as exc:  # a truncated zip, a missing key, a wrong dtype, an unreadable file ...
        raise ProfileError(f"{path}: not a readable profile ({type(exc).__name__}: {exc})") from None


@dataclass(frozen=True)
class Loaded:
    """What ``load`` found: the profile, and one line for the person when a broken file was set aside."""

    profile: Profile
    message: str = ""


def load(folder: Path) -> Loaded:
    """The profile in ``folder``; a broken or foreign file is renamed aside (never deleted) for an empty profile."""
    try:
        return Loaded(read(folder))
    except ProfileError as exc:
        where = ""
        with contextlib.suppress(OSError):  # it cannot be renamed: it stays, and the next save says so
            where = f"; it was moved to {set_aside(file_in(folder)).name}"
        return Loaded(Profile(), f"{exc}{where}; starting with no taught examples")


def forget(folder: Path) -> bool:
    """Remove the profile's file; True when there was one."""
    path = file_in(folder)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
