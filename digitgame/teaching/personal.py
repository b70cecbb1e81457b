"""The personal model: taught drawings change the CNN's answer where they are close, and nowhere else.

The model's second output (``training/embedding.py``) is, per drawing, a point ``z`` in a
32-dimensional space and the distance ``m`` from it to the nearest of 4,000 MNIST training
digits.  Each taught example is embedded with a few varied copies of itself (``augment``).
For a new drawing and each taught digit c, with ``t_c`` the distance to the nearest copy of an
example of c:

    closeness_c = clip((FAR - t_c / m) / (FAR - NEAR), 0, 1)     # 1 at t_c <= NEAR m, 0 at t_c >= FAR m
    p'(c) = (p(c) + WEIGHT * closeness_c) / (1 + WEIGHT * sum of closeness)

A taught drawing speaks only where it is much closer than anything MNIST holds: there it
decides; elsewhere -- for a drawing that looks like MNIST, or like nothing taught -- the CNN's
probabilities are returned exactly.  Why this and these constants: benchmarks/teach.py measures
what taught examples gain on a writer's other drawings and what they cost on MNIST.

A ``PersonalModel`` is immutable: the recognition worker reads one while the UI teaches, and
``build`` makes the next one, embedding only the examples it has not seen.  numpy only.
"""

from __future__ import annotations

import contextlib
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from digitgame.files.atomic import write_atomically
from digitgame.recognition.model import NUM_CLASSES
from digitgame.recognition.predictor import Predictor
from digitgame.recognition.reading import is_confident
from digitgame.recognition.recognizer import Adjusted
from digitgame.teaching import augment, taught
from digitgame.teaching.taught import Example, Profile

COPIES = 8  # embeddings per taught example: itself and 7 varied copies (16 taught better but hurt MNIST more)
NEAR = 0.5  # a taught example decides fully within this share of the distance to the nearest MNIST digit
FAR = 0.9  # ... and has no say beyond this share
WEIGHT = 20.0  # a fully close example: its digit gets at least 20/21 = 95 % of the probability
CACHE_FILE = "embeddings.npz"  # beside the profile: the bank of the last model, so a start need not re-embed
RECIPE = f"copies={COPIES};{augment.RECIPE}"  # a cache made with other copies is not used


def example_key(example: Example) -> int:
    """A key for an example's embeddings: they depend only on its pixels."""
    return int.from_bytes(hashlib.blake2b(example.image.tobytes(), digest_size=8).digest(), "little")


def probe_image() -> np.ndarray:
    """A fixed (28, 28) drawing (a ring) whose embedding tells one model from another."""
    rows, cols = np.mgrid[0:28, 0:28]
    radius = np.hypot(rows - 13.5, (cols - 13.5) * 1.4)
    return np.clip(2.0 - np.abs(radius - 7.0), 0.0, 1.0).astype(np.float32)


@dataclass(frozen=True)
class Bank:
    """The embeddings of taught examples' copies under one model, by example key."""

    keys: tuple[int, ...] = ()  # example_key of each example
    rows: np.ndarray = field(default_factory=lambda: np.zeros((0, COPIES, 0), np.float32), repr=False)  # (M, COPIES, E)
    probe: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)  # (E + 1,) probe_image()'s

    def is_from(self, probe: np.ndarray) -> bool:
        """True when the bank was made by the model whose embedding of probe_image() is ``probe``."""
        return self.probe.shape == probe.shape and bool(np.allclose(self.probe, probe, atol=1e-4))


@dataclass(frozen=True)
class _Index:
    """A bank laid out for fast lookups: every copy's embedding grouped by digit."""

    flat: np.ndarray  # (K, E) float32, grouped by digit
    norms: np.ndarray  # (K,) squared lengths
    digits: np.ndarray  # (D,) the taught digits, ascending
    starts: np.ndarray  # (D,) where each digit's rows begin in ``flat``

    @classmethod
    def of(cls, profile: Profile, rows: np.ndarray) -> _Index:
        digits = np.repeat(np.array([e.digit for e in profile.examples], dtype=np.int64), COPIES)  # (K,)
        order = np.argsort(digits, kind="stable")
        flat = np.ascontiguousarray(rows.reshape(-1, rows.shape[-1])[order])  # (K, E)
        present, starts = np.unique(digits[order], return_index=True)
        return cls(flat, (flat * flat).sum(axis=1), present, starts)


@dataclass(frozen=True)
class PersonalModel:
    """A profile and its bank, ready to adjust predictions."""

    profile: Profile
    bank: Bank
    _index: _Index = field(repr=False)

    @classmethod
    def build(cls, profile: Profile, predictor: Predictor, previous: Bank | None = None) -> PersonalModel:
        """Embed ``profile``'s examples with ``predictor``, reusing ``previous``'s rows if the same model made them.

        Raises ValueError when the model has no embedding output.
        """
        probe = _embed(probe_image()[None], predictor)[0]
        known = dict(zip(previous.keys, previous.rows, strict=True)) if previous and previous.is_from(probe) else {}
        keys = tuple(example_key(e) for e in profile.examples)
        missing = {k: e for k, e in zip(keys, profile.examples, strict=True) if k not in known}
        if missing:
            images = np.concatenate([augment.copies(e.input, COPIES) for e in missing.values()])  # (n * COPIES, 28, 28)
            fresh = _embed(images, predictor)[:, :-1].reshape(len(missing), COPIES, -1)
            known |= dict(zip(missing, fresh, strict=True))
        empty = np.zeros((0, COPIES, len(probe) - 1), np.float32)
        rows = np.stack([known[k] for k in keys]).astype(np.float32) if keys else empty
        return cls(profile, Bank(keys, rows, probe), _Index.of(profile, rows))

    @property
    def is_empty(self) -> bool:
        return len(self._index.digits) == 0

    def adjust(self, probabilities: np.ndarray, embeddings: np.ndarray | None) -> Adjusted:
        """The CNN's (N, 10) probabilities, changed where an (N, E + 1) embedding is close to a taught example."""
        unchanged = Adjusted(np.asarray(probabilities, dtype=np.float32), np.zeros(len(probabilities), dtype=bool))
        if embeddings is None or self.is_empty or embeddings.shape[-1] != self._index.flat.shape[1] + 1:
            return unchanged
        weight = WEIGHT * self.closeness(embeddings)  # (N, 10)
        if not weight.any():  # nothing taught is near: the usual case, and the CNN's answer exactly
            return unchanged
        p = np.asarray(probabilities, dtype=np.float64)
        q = (p + weight) / (1.0 + weight.sum(axis=1, keepdims=True))
        return Adjusted(q.astype(np.float32), _decided(p, q))

    def closeness(self, embeddings: np.ndarray) -> np.ndarray:
        """(N, E + 1) -> (N, 10) in [0, 1]: how fully each digit's taught examples claim each drawing."""
        e = np.asarray(embeddings, dtype=np.float32)
        z, mnist = e[:, :-1], np.sqrt(np.maximum(e[:, -1:], 0.0))  # (N, E), (N, 1) distance to MNIST's nearest
        index = self._index
        squared = (z * z).sum(axis=1, keepdims=True) + index.norms - 2.0 * z @ index.flat.T  # (N, K)
        nearest = np.sqrt(np.maximum(np.minimum.reduceat(squared, index.starts, axis=1), 0.0))  # (N, D) per digit
        close = np.zeros((len(z), NUM_CLASSES))
        close[:, index.digits] = np.clip((FAR - nearest / np.maximum(mnist, 1e-6)) / (FAR - NEAR), 0.0, 1.0)
        return close


def _embed(images: np.ndarray, predictor: Predictor) -> np.ndarray:
    """(N, 28, 28) -> (N, E + 1) float32 embeddings in one model call; ValueError when the model has none."""
    embeddings = predictor.predict(images).embeddings
    if embeddings is None or embeddings.shape[-1] < 2:
        raise ValueError(f"the model {predictor.path.name} has no embedding output, so it cannot be taught")
    return np.asarray(embeddings, dtype=np.float32)


def _decided(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """(N,) True where the adjustment changed the digit, or turned an unsure answer into a confident one."""
    changed = before.argmax(axis=1) != after.argmax(axis=1)
    return changed | (is_confident(after) & ~is_confident(before))


# --- opening a profile folder ------------------------------------------------------


@dataclass(frozen=True)
class Opened:
    """A personal model ready to use, and one line for the person when the profile's file was set aside."""

    model: PersonalModel
    message: str = ""


def open_folder(folder: Path, predictor: Predictor) -> Opened:
    """Load the profile in ``folder`` and its cached bank; embed what the cache lacks, and store it again.

    A broken profile is set aside (``taught.load``); a broken or stale cache is simply rebuilt.
    Raises ValueError when the model has no embedding output.
    """
    loaded = taught.load(folder)
    cached = read_cache(folder)
    model = PersonalModel.build(loaded.profile, predictor, cached)
    is_stale = cached is None or not cached.is_from(model.bank.probe) or not set(model.bank.keys) <= set(cached.keys)
    if is_stale and not model.is_empty:
        write_cache(folder, model.bank)
    return Opened(model, loaded.message)


def forget(folder: Path) -> bool:
    """Remove the profile in ``folder`` and its cached bank; True when there was a profile."""
    existed = taught.forget(folder)
    with contextlib.suppress(FileNotFoundError):
        (Path(folder) / CACHE_FILE).unlink()
    return existed


def write_cache(folder: Path, bank: Bank) -> None:
    """Store the bank beside the profile, atomically; a failure only costs re-embedding next time."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as f:
            keys = np.array(bank.keys, dtype=np.uint64)
            np.savez(f, recipe=np.array(RECIPE), keys=keys, rows=bank.rows, probe=bank.probe)

    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_atomically(Path(folder) / CACHE_FILE, write)
    except OSError:
        pass  # a read-only or full disk: the profile itself is what matters, and it is written elsewhere


def read_cache(folder: Path) -> Bank | None:
    """The bank stored beside the profile, or None when there is none or it is unusable."""
    try:
        with np.load(Path(folder) / CACHE_FILE, allow_pickle=False) as data:
            if str(data["recipe"]) != RECIPE:
                return None
            keys = tuple(int(k) for k in data["keys"])
            rows, probe = np.asarray(data["rows"], np.float32), np.asarray(data["probe"], np.float32)
    except Exception:  # missing, truncated, foreign: rebuilt from the profile
        return None
    if rows.ndim != 3 or rows.shape[:2] != (len(keys), COPIES) or probe.shape != (rows.shape[2] + 1,):
        return None
    return Bank(keys, rows, probe)
