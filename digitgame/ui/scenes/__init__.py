"""The app's modes: each a Scene with its own bindings (draw, practice round, help, confirm)."""
