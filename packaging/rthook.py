"""PyInstaller runtime hook: what the bundle sets up before digitgame starts.

One OpenBLAS thread.  NumPy's OpenBLAS starts a thread per core when it loads, which costs
start-up time (tens of ms on 2 cores, more on big machines) and buys nothing for 28x28 arrays.
A value set by the person running the app wins.

On Windows the bundle is a windowed program (no console window behind the app); a command typed in
a console (`digitgame predict a.png`, `--help`, `--version`) writes to that console by attaching to it.
"""

import os
import sys

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def _attach_console():
    """Windows: write to the console this was started from, if any (a windowed program has none of its own)."""
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return  # started from Explorer: no console, nothing to print to
    sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115 - lives as long as the process
    sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace")  # noqa: SIM115


if sys.platform == "win32" and (sys.stdout is None or sys.stderr is None):
    _attach_console()
