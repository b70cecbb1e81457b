"""Does `pip install digitgame` find wheels on every platform we name?  One line per platform.

    python packaging/platforms.py            # the app's requirements, on the six platforms
    python packaging/platforms.py --train    # also the train extra (TensorFlow where it is offered)
    python packaging/platforms.py --offline  # only which requirements each platform gets, no pip

pip evaluates a requirement's environment marker (``; sys_platform == "darwin"``) on the machine
running pip, even with ``--platform``, so this script evaluates setup.cfg's markers itself for each
target (``packaging.markers``) and hands pip only the requirements that apply there:
``pip install --dry-run --ignore-installed --only-binary=:all: --platform TAG... --python-version 3.11``.
Needs the package index (network); ``--offline`` needs nothing.
"""

from __future__ import annotations

import argparse
import configparser
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

try:
    from packaging.requirements import Requirement
except ImportError:  # pip carries its own copy
    from pip._vendor.packaging.requirements import Requirement  # type: ignore[assignment,no-redef,unused-ignore]

ROOT = Path(__file__).resolve().parent.parent
SETUP_CFG = ROOT / "setup.cfg"
PYTHON = "3.11"  # setup.cfg's python_requires: the oldest Python we support, the one with fewest wheels
GLIBC = 31  # Linux targets: glibc 2.31 (Ubuntu 20.04, Debian 11) and older manylinux tags
MACOS = ((10, 15), (11, 0), (12, 0), (13, 0), (14, 0))  # macOS targets: 14 and the tags it accepts


def _manylinux(machine: str) -> list[str]:
    return [f"manylinux_2_{minor}_{machine}" for minor in range(GLIBC, 16, -1)] + [f"manylinux2014_{machine}"]


def _macos(machine: str) -> list[str]:
    versions = [(10, minor) for minor in range(9, 16)] + [v for v in MACOS if v[0] > 10]
    return [f"macosx_{a}_{b}_{arch}" for a, b in reversed(versions) for arch in (machine, "universal2")]


@dataclass(frozen=True)
class Target:
    """A platform: its name, the marker values pip would see there, and the wheel tags it accepts."""

    name: str
    sys_platform: str
    platform_system: str
    platform_machine: str  # as Python's platform.machine() says it there
    tags: tuple[str, ...]

    def environment(self, extra: str = "") -> dict[str, str]:
        """The marker environment on this platform (Python 3.11, CPython), with ``extra`` being installed."""
        return {
            "sys_platform": self.sys_platform,
            "platform_system": self.platform_system,
            "platform_machine": self.platform_machine,
            "os_name": "nt" if self.sys_platform == "win32" else "posix",
            "python_version": PYTHON,
            "python_full_version": f"{PYTHON}.0",
            "implementation_name": "cpython",
            "implementation_version": f"{PYTHON}.0",
            "platform_python_implementation": "CPython",
            "platform_release": "",  # the OS's release and version: no requirement of ours looks at them
            "platform_version": "",
            "extra": extra,
        }


TARGETS = (
    Target("macOS x86-64", "darwin", "Darwin", "x86_64", tuple(_macos("x86_64"))),
    Target("macOS arm64", "darwin", "Darwin", "arm64", tuple(_macos("arm64"))),
    Target("Windows amd64", "win32", "Windows", "AMD64", ("win_amd64",)),
    Target("Windows arm64", "win32", "Windows", "ARM64", ("win_arm64",)),
    Target("Linux x86-64", "linux", "Linux", "x86_64", tuple(_manylinux("x86_64"))),
    Target("Linux aarch64", "linux", "Linux", "aarch64", tuple(_manylinux("aarch64"))),
)


def declared(setup_cfg: Path = SETUP_CFG) -> dict[str, list[Requirement]]:
    """setup.cfg's requirements: "app" (install_requires) and each extra by name."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(setup_cfg, encoding="utf-8")

    def parse(text: str) -> list[Requirement]:
        lines = (line.split(" #")[0].strip() for line in text.splitlines())
        return [Requirement(line) for line in lines if line and not line.startswith("#")]

    groups = {"app": parse(config["options"]["install_requires"])}
    groups.update({name: parse(text) for name, text in config["options.extras_require"].items()})
    return groups


def applying(requirements: list[Requirement], target: Target, extra: str = "") -> list[Requirement]:
    """The requirements whose marker holds on ``target`` (with ``extra`` being installed)."""
    env = target.environment(extra)
    return [r for r in requirements if r.marker is None or r.marker.evaluate(env)]


def as_pip(requirement: Requirement) -> str:
    """A requirement without its marker: pip would evaluate the marker on this machine, not the target."""
    return f"{requirement.name}{requirement.specifier}"


def dry_run(requirements: list[Requirement], target: Target) -> str | None:
    """None when pip finds wheels for all of ``requirements`` on ``target``, else pip's last error line."""
    platforms = [arg for tag in target.tags for arg in ("--platform", tag)]
    with tempfile.TemporaryDirectory(prefix="platforms-") as tmp:
        command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet"]
        command += ["--only-binary=:all:", *platforms, "--python-version", PYTHON, "--implementation", "cp"]
        command += ["--target", tmp, *map(as_pip, requirements)]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return None
    errors = [line for line in done.stderr.splitlines() if line.startswith("ERROR")]
    return (errors or done.stderr.strip().splitlines() or [f"pip exited {done.returncode}"])[-1]


def tensorflow_offered(groups: dict[str, list[Requirement]], target: Target) -> str:
    """Which TensorFlow the train extra installs on ``target``, or that it offers none."""
    tf = [as_pip(r) for r in applying(groups["train"], target, "train") if r.name.startswith("tensorflow")]
    return ", ".join(tf) if tf else "no TensorFlow (no wheel: train on another machine)"


def check(target: Target, groups: dict[str, list[Requirement]], *, offline: bool, train: bool) -> bool:
    """Print one line for ``target``; True when everything asked for installs there."""
    app = applying(groups["app"], target)
    names = [r.name for r in app]
    backend = "LiteRT" if "ai-edge-litert" in names else "numpy fallback (no ai-edge-litert)"
    line = f"{target.name:14s} app: {backend}; train extra: {tensorflow_offered(groups, target)}"
    if offline:
        print(f"{'-':6s} {line}")
        return True
    problems = [("app", dry_run(app, target))]
    if train:
        problems.append(("train", dry_run(app + applying(groups["train"], target, "train"), target)))
    failed = [f"{what}: {problem}" for what, problem in problems if problem is not None]
    print(f"{'FAILED' if failed else 'ok':6s} {line}" + "".join(f"\n       {f}" for f in failed), flush=True)
    return not failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="also dry-run the train extra (TensorFlow: slower)")
    parser.add_argument("--offline", action="store_true", help="evaluate the markers only; do not run pip")
    args = parser.parse_args(argv)
    groups = declared()
    results = [check(t, groups, offline=args.offline, train=args.train) for t in TARGETS]
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
