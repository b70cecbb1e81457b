"""widths: how wide real writers write each digit, and how plausible a width is as one digit."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from digitgame.recognition import widths
from training import widths as making


@pytest.fixture(scope="module")
def aspects() -> dict[int, np.ndarray]:
    """The training writers' digits' width / height, per digit, sorted (UNIPEN)."""
    return making.aspects()


def test_the_committed_table_is_what_the_training_writers_give(monkeypatch, capsys):
    assert making.table() == widths.ASPECTS
    assert making.main(["--check"]) == 0
    monkeypatch.setitem(widths.ASPECTS, 3, tuple(v * 1.01 for v in widths.ASPECTS[3]))
    assert making.main(["--check"]) == 1
    assert "python -m training.widths" in capsys.readouterr().out


def test_plausibility_is_twice_the_share_of_real_digits_at_least_as_wide(aspects):
    for label, seen in aspects.items():
        for share in np.linspace(0.5, 0.01, 25):
            width = float(np.quantile(seen, 1 - share))
            at_least = float(np.mean(seen >= width))  # the data's own share, not the table's
            assert widths.plausibility(label, width, 1.0) / 2 == pytest.approx(at_least, rel=0.6)


def test_plausibility_is_one_up_to_the_median_falls_with_width_and_stops_at_the_widest():
    for label, row in widths.ASPECTS.items():
        ladder = np.linspace(0.05, 3 * row[-1], 200)
        found = [widths.plausibility(label, float(w), 1.0) for w in ladder]
        assert all(a >= b for a, b in itertools.pairwise(found))
        assert all(p == 1.0 for w, p in zip(ladder, found, strict=True) if w <= row[0])
        assert found[-1] == pytest.approx(2 * widths.SHARES[-1])
    assert widths.plausibility(4, 0.0, 10.0) == 1.0 and widths.plausibility(4, 10.0, 0.0) == 1.0
