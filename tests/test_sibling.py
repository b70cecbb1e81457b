"""training/sibling: a model just made, told apart from the one it replaced: the same, a sibling, or more than a seed."""

from __future__ import annotations

import copy
import json

import numpy as np
import pytest

from training import sibling

CARD = json.loads((sibling.TOLERANCE.parent.parent / "models" / "model_card.json").read_text(encoding="utf-8"))


def seeds_record(offsets: list[float]) -> dict:
    """A record of runs whose every figure is the committed card's moved by each offset in turn."""
    base = sibling.figures(CARD)
    return {"runs": {f"seed {i}": {k: v + d for k, v in base.items()} for i, d in enumerate(offsets)}}


def rebuilt(card: dict, moves: dict[str, float], sha: str = "another") -> dict:
    """``card`` with another .tflite and the named figures ("part set") moved by the given amounts."""
    made = copy.deepcopy(card)
    made["tflite_sha256"] = sha
    for name, amount in moves.items():
        part, key = name.split(" ", 1)
        key, _, confident = key.partition(" ")
        made[part][key]["confident_digit" if confident else "accuracy"] += amount
    return made


def test_figures_are_every_accuracy_of_both_parts_and_letters_read_as_digits():
    found = sibling.figures(CARD)
    expected = [
        (p, k) for p in ("test", "validation") for k, v in CARD[p].items() if isinstance(v, dict) and "accuracy" in v
    ]
    letters = [(p, k) for p, k in expected if k.endswith("_letters")]
    assert letters and sorted(found) == sorted(
        [f"{p} {k}" for p, k in expected] + [f"{p} {k} confident" for p, k in letters]
    )
    assert all(found[f"{p} {k}"] == CARD[p][k]["accuracy"] for p, k in expected)
    assert all(found[f"{p} {k} confident"] == CARD[p][k]["confident_digit"] for p, k in letters)


def test_the_tolerance_is_three_standard_deviations_of_the_difference_of_two_seeds():
    record = seeds_record([0.0, 0.002, -0.003, 0.004])
    limits = sibling.tolerances(record)
    for name, limit in limits.items():
        values = [run[name] for run in record["runs"].values()]
        pairs = [a - b for i, a in enumerate(values) for b in values[i + 1 :]]
        # the root-mean-square difference of two seeds' figures: what one run may differ from another by
        assert limit == pytest.approx(sibling.SPREADS * np.sqrt(np.mean(np.square(pairs))))


def test_the_same_tflite_is_called_the_same_model():
    lines = sibling.compare(CARD, copy.deepcopy(CARD), seeds_record([0.0, 0.01]))
    assert lines == [f"the same model as the one it replaced, byte for byte (sha256 {CARD['tflite_sha256'][:12]}...)"]


def test_a_sibling_within_the_seeds_spread_is_called_one():
    record = seeds_record([0.0, 0.004, -0.004])
    limits = sibling.tolerances(record)
    made = rebuilt(CARD, {name: 0.9 * limit * (-1) ** i for i, (name, limit) in enumerate(limits.items())})
    lines = sibling.compare(CARD, made, record)
    assert "OUTSIDE" not in "\n".join(lines)
    assert lines[-1].startswith("every figure is within the tolerance")
    assert len([line for line in lines if "within ±" in line]) == len(limits)


def test_a_figure_beyond_the_spread_is_named():
    record = seeds_record([0.0, 0.004, -0.004])
    name = "test load_digits_second_half_upscaled"
    made = rebuilt(CARD, {name: -2 * sibling.tolerances(record)[name]})
    lines = sibling.compare(CARD, made, record)
    assert [line.split()[0] + " " + line.split()[1] for line in lines if "OUTSIDE" in line] == [name]
    assert lines[-1].startswith(f"1 figure(s) outside the tolerance ({name})")


def test_another_command_or_no_record_is_said_not_judged():
    other = rebuilt(CARD, {})
    other["command"] = "python train_model.py --seed 1"
    assert "another command" in sibling.compare(CARD, other, seeds_record([0.0, 0.01]))[0]
    lines = sibling.compare(CARD, rebuilt(CARD, {}), None)
    assert lines[-1].startswith("no seeds' figures to judge")


def test_a_changed_not_a_digit_rule_is_told_and_a_model_without_one_is_warned_of():
    record = seeds_record([0.0, 0.004, -0.004])
    same_rule = sibling.compare(CARD, rebuilt(CARD, {}), record)
    assert not any("'not a digit'" in line for line in same_rule)
    moved = rebuilt(CARD, {})
    was = CARD["not_a_digit"]
    other = 0.85 if was["threshold"] != 0.85 else 0.8  # another threshold than the card's, whichever model it is
    moved["not_a_digit"] = {**was, "threshold": other}
    lines = sibling.compare(CARD, moved, record)
    assert (
        lines[1]
        == f"'not a digit' from a share of {other} (was {was['threshold']}), doubted from {was['doubt']} (was {was['doubt']})"
    )
    assert lines[-1].startswith("every figure is within the tolerance")  # the verdict stays last
    moved["not_a_digit"]["threshold"] = 1.0  # evaluation.choose_threshold's "none qualifies"
    assert "never answers 'not a digit'" in sibling.compare(CARD, moved, None)[1]


def test_no_model_before_or_a_broken_card_means_nothing_to_compare(tmp_path):
    broken = tmp_path / "model_card.json"
    broken.write_bytes(b"\x00{not json")
    assert sibling.read_card(broken) is None
    assert sibling.read_card(tmp_path / "missing.json") is None
    assert sibling.report(None, CARD) == []
    assert sibling.report({}, rebuilt(CARD, {})) == ["the model it replaced had no card to compare with"]


def test_after_another_model_replaced_the_committed_one_the_next_steps_are_said():
    assert sibling.next_steps(None, CARD) == []  # nothing was replaced
    assert sibling.next_steps(CARD, rebuilt(CARD, {}, sha=CARD["tflite_sha256"])) == []  # the same model again
    [line] = sibling.next_steps(CARD, rebuilt(CARD, {}))
    assert "python3 dev.py figures" in line and "git checkout models/" in line


def test_record_then_compare_from_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sibling, "TOLERANCE", tmp_path / "tolerance.json")
    paths = []
    for seed, move in enumerate((0.0, 0.003, -0.002)):
        path = tmp_path / f"card{seed}.json"
        path.write_text(json.dumps(rebuilt(CARD, dict.fromkeys(sibling.figures(CARD), move), sha=str(seed))))
        paths.append(f"seed {seed}={path}")
    assert sibling.main(["--record", *paths]) == 0
    record = json.loads((tmp_path / "tolerance.json").read_text())
    assert list(record["runs"]) == ["seed 0", "seed 1", "seed 2"]
    assert record["how"]["seed 1"]["command"] == CARD["command"]
    capsys.readouterr()
    assert sibling.main([paths[0].split("=")[1], paths[1].split("=")[1]]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("every figure is within the tolerance")


def test_unreadable_cards_are_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        sibling.main([str(tmp_path / "a.json"), str(tmp_path / "b.json")])
    assert stopped.value.code == 2
    assert "cannot read" in capsys.readouterr().err.splitlines()[-1]


def test_add_keeps_the_recorded_runs_and_widens_the_spread_by_the_new_one(tmp_path, monkeypatch):
    monkeypatch.setattr(sibling, "TOLERANCE", tmp_path / "tolerance.json")
    paths = []
    for seed, move in enumerate((0.0, 0.003, -0.002, 0.02)):
        path = tmp_path / f"card{seed}.json"
        path.write_text(json.dumps(rebuilt(CARD, dict.fromkeys(sibling.figures(CARD), move), sha=str(seed))))
        paths.append(f"seed {seed}={path}")
    assert sibling.main(["--record", *paths[:3]]) == 0
    before = json.loads((tmp_path / "tolerance.json").read_text())
    assert sibling.main(["--add", paths[3]]) == 0
    after = json.loads((tmp_path / "tolerance.json").read_text())
    assert list(after["runs"]) == ["seed 0", "seed 1", "seed 2", "seed 3"]
    assert {k: after["runs"][k] for k in before["runs"]} == before["runs"]
    assert after["how"]["seed 3"]["tflite_sha256"] == "3" and after["siblings"] == before["siblings"]
    name = "test mnist_test"
    values = [CARD["test"]["mnist_test"]["accuracy"] + d for d in (0.0, 0.003, -0.002, 0.02)]
    assert sibling.tolerances(after)[name] == pytest.approx(3 * np.sqrt(2) * np.std(values, ddof=1))
    assert sibling.tolerances(after)[name] > sibling.tolerances(before)[name]


def test_add_without_a_record_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(sibling, "TOLERANCE", tmp_path / "tolerance.json")
    with pytest.raises(SystemExit) as stopped:
        sibling.main(["--add", f"seed 4={tmp_path / 'card.json'}"])
    assert stopped.value.code == 2
    assert "make it with --record" in capsys.readouterr().err.splitlines()[-1]
