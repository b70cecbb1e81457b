"""The command line: ``predict`` output, JSON lines, bad files, help."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from digitgame.files import paths
from digitgame.live.drawing import Drawing


def run(*args: str, cwd=None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digitgame", *args], capture_output=True, text=True, cwd=cwd or paths.resource_root()
    )


@pytest.fixture()
def files(tmp_path, mnist):
    """A stroke file, an empty stroke file, an image of each polarity, and some bad files."""
    pygame = pytest.importorskip("pygame")
    one = Drawing(560, 560)
    one.begin_stroke((280, 60))
    for y in range(70, 500, 10):
        one.extend_stroke((282, y))
    one.end_stroke()
    one.to_file().save(tmp_path / "one.json")
    Drawing(560, 560).to_file().save(tmp_path / "empty.json")
    seven = np.kron(mnist.x_test[0], np.ones((6, 6), dtype=np.uint8))  # MNIST test[0] is a 7
    for name, pixels in (("seven.png", seven), ("seven-inverted.png", 255 - seven)):
        surface = pygame.surfarray.make_surface(np.repeat(pixels.T[:, :, None], 3, axis=2))
        pygame.image.save(surface, str(tmp_path / name))
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    (tmp_path / "blank.png").write_bytes((tmp_path / "seven.png").read_bytes())
    blank = pygame.Surface((50, 40))
    blank.fill((255, 255, 255))
    pygame.image.save(blank, str(tmp_path / "blank.png"))
    (tmp_path / "zero.png").write_bytes(b"")
    return tmp_path


def test_predict_prints_one_line_per_file(files):
    result = run("predict", *(str(files / n) for n in ("one.json", "seven.png", "seven-inverted.png", "empty.json")))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for line, name, digit in zip(lines, ("one.json", "seven.png", "seven-inverted.png"), (1, 7, 7), strict=False):
        assert re.fullmatch(rf"{re.escape(str(files / name))}: {digit} \(\d+\.\d%\)( not sure: \d or \d\?)?", line)
    assert "nothing to recognise" in lines[3]
    assert result.stderr == ""


def test_a_reader_that_stops_early_gets_no_traceback(files):
    """``predict ... | head -1``: the pipe closes under a running predict."""
    cmd = [sys.executable, "-m", "digitgame", "predict", *[str(files / "one.json")] * 3000]
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline().startswith(str(files / "one.json").encode())
        proc.stdout.close()  # as `head -1` does after its line
        err = proc.stderr.read()
        proc.wait(60)
    assert err == b"" and proc.returncode == 1


def test_predict_json_lines(files, recognizer):
    result = run("predict", "--json", str(files / "one.json"), str(files / "empty.json"))
    assert result.returncode == 0, result.stderr
    first, empty = (json.loads(line) for line in result.stdout.splitlines())
    assert {"file", "digit", "confidence", "probabilities", "is_confident"} <= first.keys()
    expected = recognizer.read_file(files / "one.json").single
    assert first["digit"] == expected.digit == 1
    np.testing.assert_allclose(first["probabilities"], expected.probabilities, atol=1e-6)
    assert first["confidence"] == pytest.approx(max(first["probabilities"]), abs=1e-6)
    assert first["is_confident"] == expected.is_confident
    assert empty["digit"] is None and empty["is_confident"] is False


def test_bad_files_get_one_line_each_and_the_rest_still_run(files):
    bad = ["broken.json", "broken.png", "zero.png", "missing.png", "missing.json"]
    result = run("predict", *(str(files / n) for n in [*bad, "one.json"]))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == len(bad)
    for name, line in zip(bad, errors, strict=True):
        assert line.startswith(f"{files / name}: ")
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith(f"{files / 'one.json'}: 1 (")


def test_blank_image_is_nothing_to_recognise(files):
    result = run("predict", str(files / "blank.png"))
    assert result.returncode == 0 and "nothing to recognise" in result.stdout


def test_missing_model_is_one_line(files, tmp_path):
    result = run("predict", "--model", str(tmp_path / "nope.tflite"), str(files / "one.json"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "python train_model.py" in result.stderr


def test_works_from_any_working_directory(files, tmp_path):
    assert run("predict", str(files / "one.json"), cwd=tmp_path).returncode == 0


def test_help_explains_the_app_and_predict():
    result = run("--help")
    assert result.returncode == 0
    for word in ("predict", "recognise saved drawings", "teach", "--windowed", "Ctrl+Z"):
        assert word in result.stdout
    assert "--json" in run("predict", "--help").stdout and "--remove N" in run("teach", "--help").stdout


def test_the_text_line_spells_out_doubt():
    from digitgame.live import verdict
    from digitgame.recognition.reading import Prediction, Reading

    p = np.full(10, 0.01)
    p[4], p[9] = 0.5, 0.42
    unsure = Prediction.from_probabilities(p / p.sum())
    assert verdict.line("f.png", Reading.of(unsure)).endswith("not sure: 4 or 9?")


@pytest.fixture()
def number_files(tmp_path, mnist):
    """The shipped drawing of 2026, and a PNG of six MNIST test digits side by side, dark on light."""
    pygame = pytest.importorskip("pygame")
    row = np.concatenate([np.pad(mnist.x_test[i], ((4, 4), (3, 3))) for i in range(6)], axis=1)
    pixels = 255 - np.kron(row, np.ones((4, 4), dtype=np.uint8))
    pygame.image.save(
        pygame.surfarray.make_surface(np.repeat(pixels.T[:, :, None], 3, axis=2)), str(tmp_path / "n.png")
    )
    return paths.asset_path("selftest") / "2026-year.json", tmp_path / "n.png"


def test_predict_reads_a_number_digit_by_digit(number_files, recognizer):
    drawing, image = number_files
    result = run("predict", str(drawing), str(image))
    assert result.returncode == 0, result.stderr
    first, second = result.stdout.splitlines()
    assert re.fullmatch(rf"{re.escape(str(drawing))}: 2026 \(2 [\d.]+%, 0 [\d.]+%, 2 [\d.]+%, 6 [\d.]+%\)", first)
    expected = recognizer.read_file(image)
    assert len(expected.digits) == 6 and second.startswith(f"{image}: {expected.number} (")


def test_predict_json_for_a_number(number_files, recognizer):
    drawing, image = number_files
    result = run("predict", "--json", str(drawing), str(image))
    assert result.returncode == 0, result.stderr
    for line, path in zip(result.stdout.splitlines(), number_files, strict=True):
        record = json.loads(line)
        expected = recognizer.read_file(path)
        assert record["number"] == expected.number and len(record["digits"]) == len(expected.digits) > 1
        assert record["digit"] is None and record["confidence"] is None and record["probabilities"] is None
        assert record["is_confident"] is False
        for d, e in zip(record["digits"], expected.digits, strict=True):
            assert set(d) == {"digit", "confidence", "is_confident", "not_a_digit", "probabilities", "box", "taught"}
            assert d["not_a_digit"] == e.prediction.is_not_a_digit
            assert d["digit"] == e.prediction.digit and d["is_confident"] == e.prediction.is_confident
            np.testing.assert_allclose(d["probabilities"], e.prediction.probabilities, atol=1e-6)
            np.testing.assert_allclose(d["box"], e.box, atol=0.01)
        lefts = [d["box"][0] for d in record["digits"]]
        assert lefts == sorted(lefts)
    assert json.loads(result.stdout.splitlines()[0])["number"] == "2026"


def test_help_is_one_usage_block_named_as_typed_and_lists_every_command_and_key(capsys, monkeypatch) -> None:
    from digitgame import cli

    monkeypatch.setattr("sys.argv", ["/usr/local/bin/digitgame", "--help"])
    with pytest.raises(SystemExit) as stop:
        cli.main(["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert out.count("usage:") == 1 and out.startswith("usage: digitgame ")
    assert "predict" in out and "teach" in out
    for key in ("0-9", "T ", "F ", "P ", "Ctrl+Z", "F11", "Esc"):
        assert key in out


def test_a_subcommand_help_names_the_program_as_typed(capsys, monkeypatch) -> None:
    from digitgame import cli

    monkeypatch.setattr("sys.argv", ["digitgame"])
    with pytest.raises(SystemExit):
        cli.main(["teach", "--help"])
    assert capsys.readouterr().out.startswith("usage: digitgame teach ")
    monkeypatch.setattr("sys.argv", ["/x/digitgame/__main__.py"])
    with pytest.raises(SystemExit):
        cli.main(["predict", "--help"])
    assert capsys.readouterr().out.startswith("usage: python -m digitgame predict ")


def test_an_unknown_command_is_one_clear_line(capsys) -> None:
    from digitgame import cli

    with pytest.raises(SystemExit) as stop:
        cli.main(["predcit", "a.png"])
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert "invalid choice: 'predcit'" in err and "Traceback" not in err
