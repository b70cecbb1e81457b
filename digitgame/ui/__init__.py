"""The app's pygame side, only what draws: window, loop, scenes, widgets, layout, theme and pointer input."""

import os

# pygame prints a greeting when first imported; every module here imports pygame after this runs.
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
