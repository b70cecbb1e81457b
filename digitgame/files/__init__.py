"""Files: untrusted files read safely (strokes, images, models), ours written atomically, and where they live."""
