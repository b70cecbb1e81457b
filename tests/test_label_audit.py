"""The blind reading of misread digits (benchmarks/label_audit.py): how readings are scored."""

from __future__ import annotations

import numpy as np

from benchmarks import label_audit
from training.realwriters import PenDigit


def digit(label: int, source: str = "abc") -> PenDigit:
    return PenDigit(label, f"{source}-w", source, False, (np.zeros((2, 2)),))


def test_each_reading_is_counted_against_the_label_and_the_apps_answer() -> None:
    listed = [  # (place in the data, digit, the app's answer, was it sure)
        (10, digit(1, "ibm"), "7", True),  # misread; read as the app read it
        (11, digit(4, "ibm"), "1", False),  # misread; unreadable
        (12, digit(5, "val"), "3", True),  # misread; read as labelled: the app's own error
        (13, digit(2, "val"), "7", False),  # misread; read as something else
        (14, digit(8), "8", True),  # read right; the control, read as labelled
        (15, digit(6), "6", True),  # read right; read otherwise
        (16, digit(9), "4", True),  # misread, but not read by this reader yet: left out
    ]
    seen = {10: "7", 11: "?", 12: "5", 13: "3", 14: "8", 15: "0"}
    got = label_audit.tally(listed, seen)
    assert got["misread_by_the_app"] == {
        "as the app read it": 1,
        "unreadable": 1,
        "as labelled": 1,
        "as something else": 1,
    }
    assert got["misread_confidently"] == {"as the app read it": 1, "as labelled": 1}
    assert got["read_right_by_the_app (control)"] == {"as labelled": 1, "otherwise": 1}
    assert got["misread_by_source"] == {
        "ibm": {"as the app read it": 1, "unreadable": 1},
        "val": {"as labelled": 1, "as something else": 1},
    }
    assert got["misread_cases"]["1 -> 7, read 7"] == 1 and len(got["misread_cases"]) == 4


def test_the_control_keeps_the_digits_already_read_and_does_not_move_when_others_are_read_otherwise() -> None:
    right = [(place, digit(place % 10), str(place % 10), True) for place in range(100)]
    read = {3, 50, 71}
    taken = label_audit.controls(right, 5, read)
    places = [item[0] for item in taken]
    assert len(places) == 5 and read <= set(places) and places == sorted(places)
    # a model that reads two other digits otherwise (gone from the right ones) keeps the same control
    others = [item for item in right if item[0] not in places][:2]
    fewer = [item for item in right if item not in others]
    assert [item[0] for item in label_audit.controls(fewer, 5, read)] == places
    # nothing read yet: a fixed choice, not the first digits in order
    fresh = [item[0] for item in label_audit.controls(right, 5, set())]
    assert fresh == [item[0] for item in label_audit.controls(right[::-1], 5, set())] and fresh != list(range(5))
