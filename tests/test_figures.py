"""The figures in README.md and docs/ are the ones generated from what was measured (benchmarks/figures.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_generated_figure_block_is_up_to_date():
    result = subprocess.run(
        [sys.executable, "benchmarks/figures.py", "--check"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_a_figure_typed_into_a_block_is_caught(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "<!-- figures:model -->" in readme
    code = (
        "import sys; sys.path.insert(0, 'benchmarks'); import figures, json; "
        "card = json.loads(figures.CARD.read_text()); "
        "text = '<!-- figures:model -->\\n| made up | 99.99 % |\\n<!-- /figures:model -->'; "
        "print(figures.render(text, card) != text)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True", result.stderr
