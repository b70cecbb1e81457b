"""PyInstaller runtime hook: what the bundle sets up before digitgame starts.

One OpenBLAS thread.  NumPy's OpenBLAS starts a thread per core when it loads, which costs
start-up time (tens of ms on 2 cores, more on big machines) and buys nothing for 28x28 arrays.
A value set by the person running the app wins.
"""

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
