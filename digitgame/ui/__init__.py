"""The app's pygame side, only what draws: window, loop, scenes, widgets, layout, theme and pointer input."""
