"""Build the standalone digitgame (PyInstaller, one folder) from a lean virtual environment.

    python3 packaging/build.py [--onefile] [--dist DIR] [--work DIR] [--venv DIR] [--no-self-test]

PyInstaller bundles whatever the building environment holds, so the build never runs in a
training environment: it creates (or reuses) build/venv-bundle with only the app's runtime
dependencies from setup.cfg (pygame-ce, numpy, ai-edge-litert) and PyInstaller, at the
versions in packaging/constraints.txt, and refuses an environment that contains TensorFlow.
The result is dist/digitgame/ (or dist/digitgame with --onefile); its --self-test is run last.
"""

from __future__ import annotations

import argparse
import configparser
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "digitgame.spec"
CONSTRAINTS = ROOT / "packaging" / "constraints.txt"
MODEL = ROOT / "models" / "digit_cnn.tflite"
BUILD_TOOLS = ["pyinstaller", "pyinstaller-hooks-contrib"]
FORBIDDEN_MODULES = ("tensorflow", "keras", "tf_keras")  # training only: never in the bundle
APP_NAME = "digitgame"


class BuildError(RuntimeError):
    """A reason to stop, as one line for the person building."""


def python_in(env: Path) -> Path:
    """The interpreter of the virtual environment ``env``."""
    return env / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def runtime_requirements() -> list[str]:
    """The app's install_requires from setup.cfg: the one list of what the app needs at run time."""
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    return [line.strip() for line in config["options"]["install_requires"].splitlines() if line.strip()]


def forbidden_in(python: Path) -> list[str]:
    """Which of FORBIDDEN_MODULES the environment of ``python`` can import."""
    probe = "import importlib.util as u, sys; print(' '.join(m for m in sys.argv[1:] if u.find_spec(m)))"
    result = subprocess.run([str(python), "-c", probe, *FORBIDDEN_MODULES], capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        raise BuildError(f"cannot run {python}: {last}")
    return result.stdout.split()


def refuse_fat(env: Path, python: Path) -> None:
    """Stop when the environment could put TensorFlow into the bundle."""
    found = forbidden_in(python)
    if found:
        raise BuildError(
            f"{env} contains {', '.join(found)}; the bundle must not include TensorFlow. "
            "Give --venv a new folder (build.py fills it with the runtime dependencies only)."
        )


def ensure_lean_venv(env: Path) -> Path:
    """Create ``env`` if needed and install the runtime dependencies and PyInstaller (skipped when done)."""
    python = python_in(env)
    if not python.exists():
        if env.exists() and any(env.iterdir()):
            raise BuildError(f"{env} is neither empty nor a virtual environment; give --venv a new folder")
        print(f"creating {env}", flush=True)
        venv.EnvBuilder(with_pip=True).create(env)
    refuse_fat(env, python)
    wanted = [*runtime_requirements(), *BUILD_TOOLS]
    stamp = env / "digitgame-bundle.sha256"
    digest = hashlib.sha256("\n".join([*wanted, CONSTRAINTS.read_text()]).encode()).hexdigest()
    if not (stamp.exists() and stamp.read_text() == digest):
        print(f"installing into {env}: {' '.join(wanted)}", flush=True)
        cmd = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*cmd, "-c", str(CONSTRAINTS), *wanted], check=True)
        refuse_fat(env, python)  # nothing above may pull it in
        stamp.write_text(digest)
    return python


def folder_bytes(path: Path) -> int:
    """Apparent size on disk, as ``du -sb`` counts it (files, folders and links themselves)."""
    total = path.lstat().st_size
    for folder, dirs, files in os.walk(path):
        total += sum((Path(folder) / name).lstat().st_size for name in dirs + files)
    return total


def build(dist: Path, work: Path, env: Path, onefile: bool) -> Path:
    """Run PyInstaller on the spec in the lean environment; return the built folder (or file)."""
    if not MODEL.is_file():
        raise BuildError(f"{MODEL} is missing; run `python train_model.py` first (the bundle ships that model)")
    python = ensure_lean_venv(env)
    cmd = [str(python), "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN"]
    cmd += ["--distpath", str(dist), "--workpath", str(work), str(SPEC)]
    if onefile:
        cmd += ["--", "--onefile"]
    print(f"building with PyInstaller into {dist}", flush=True)
    env_vars = {**os.environ, "PYGAME_HIDE_SUPPORT_PROMPT": "1"}  # PyInstaller imports pygame to analyse it
    subprocess.run(cmd, check=True, cwd=ROOT, env=env_vars)
    exe_name = APP_NAME + (".exe" if os.name == "nt" else "")
    return dist / exe_name if onefile else dist / APP_NAME


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onefile", action="store_true", help="one self-extracting file (slower to start)")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's scratch")
    parser.add_argument("--venv", type=Path, default=ROOT / "build" / "venv-bundle", help="lean build environment")
    parser.add_argument("--no-self-test", action="store_true", help="do not run the bundle's --self-test")
    args = parser.parse_args(argv)
    if sys.version_info < (3, 11):  # noqa: UP036 -- a clear message on an old Python
        print(f"build.py: digitgame needs Python 3.11 or newer, this is {sys.version.split()[0]}", file=sys.stderr)
        return 2
    try:
        output = build(args.dist.resolve(), args.work.resolve(), args.venv.resolve(), args.onefile)
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as exc:
        print(f"build.py: step failed (exit {exc.returncode}): {' '.join(map(str, exc.cmd))}", file=sys.stderr)
        return 1
    program = output if args.onefile else output / (APP_NAME + (".exe" if os.name == "nt" else ""))
    size = folder_bytes(output)
    print(f"\nbuilt {output} ({size / 1e6:.1f} MB, {'one file' if args.onefile else 'one folder'})")
    print(f"  run the app:       {program} --windowed")
    print(f"  recognise a file:  {program} predict DRAWING.json [--json]")
    print(f"  check the build:   {program} --self-test")
    if args.no_self_test:
        return 0
    print("\nself-test:", flush=True)
    return subprocess.call([str(program), "--self-test"])


if __name__ == "__main__":
    sys.exit(main())
