"""The app's pygame rooms: theme, layout, widgets and pen input; they draw onto surfaces passed in."""
