"""The remembered settings file: forgiving key by key, strict about the whole (live/settings.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from digitgame.files import atomic
from digitgame.live import settings
from digitgame.live.settings import NotSettings, Preferences

HEADER = {"format": "digitgame-settings", "version": 1}
DEFAULT = Preferences()


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"live": False, "grid": False}, Preferences(is_live=False, show_grid=False)),
        ({"live": 0, "grid": "no"}, DEFAULT),  # wrong types: defaults
        ({"fullscreen": None}, DEFAULT),
        ({"fullscreen": False, "window": [900, 700]}, Preferences(is_fullscreen=False, window_size=(900, 700))),
        ({"window": [900]}, DEFAULT),
        ({"window": [900, 700.5]}, DEFAULT),
        ({"window": [True, 700]}, DEFAULT),
        ({"window": [10, 700]}, DEFAULT),  # too small to be a window
        ({"window": [10**9, 700]}, DEFAULT),
        ({"window": "900x700"}, DEFAULT),
        ({"colour": "blue", "live": False}, Preferences(is_live=False)),  # unknown keys ignored
    ],
)
def test_each_key_takes_its_default_when_wrong(extra: dict[str, Any], expected: Preferences) -> None:
    assert settings.parse(HEADER | extra) == (expected, False)


@pytest.mark.parametrize(
    "obj", [[], "x", None, {"version": 1}, {"format": "digitgame-strokes", "version": 1}, HEADER | {"version": "1"}]
)
def test_a_file_not_ours_is_refused(obj: Any) -> None:
    with pytest.raises(NotSettings):
        settings.parse(obj)


def test_a_newer_version_is_read_for_what_is_known() -> None:
    assert settings.parse(HEADER | {"version": 2, "live": False, "sound": True}) == (Preferences(is_live=False), True)


@given(st.dictionaries(st.sampled_from(["live", "grid", "fullscreen", "window", "other"]), st.from_type(object)))
def test_any_values_give_preferences_never_an_error(values: dict[str, Any]) -> None:
    preferences, is_newer = settings.parse(HEADER | values)
    assert isinstance(preferences.is_live, bool) and not is_newer


@given(
    st.builds(
        Preferences,
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.none() | st.tuples(st.integers(200, 16384), st.integers(200, 16384)),
    )
)
def test_what_is_written_reads_back(preferences: Preferences) -> None:
    assert settings.parse(json.loads(preferences.encode())) == (preferences, False)


@pytest.mark.parametrize("content", [b"\xff\xfe", b"[1, 2", b'{"format": "nope", "version": 1}', b"", b"[[[[" * 5000])
def test_load_sets_an_unusable_file_aside(tmp_path: Path, content: bytes) -> None:
    (tmp_path / settings.FILE_NAME).write_bytes(content)
    loaded = settings.load(tmp_path)
    assert loaded.preferences == DEFAULT and loaded.problem
    assert loaded.set_aside_as is not None and loaded.set_aside_as.read_bytes() == content
    assert atomic.set_aside_files(tmp_path / settings.FILE_NAME) == [loaded.set_aside_as]
    assert not (tmp_path / settings.FILE_NAME).exists()


def test_load_without_a_file_is_the_defaults(tmp_path: Path) -> None:
    assert settings.load(tmp_path) == settings.Loaded()


def test_save_then_load(tmp_path: Path) -> None:
    wanted = Preferences(is_live=False, window_size=(1000, 700), is_fullscreen=False)
    settings.save(tmp_path / "new", wanted)
    assert settings.load(tmp_path / "new").preferences == wanted
