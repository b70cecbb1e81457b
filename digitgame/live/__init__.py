"""Live: what the app knows while it runs: drawing, recognition session and worker, teaching, practice, verdict."""
