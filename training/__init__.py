"""Offline training: what ``train_model.py`` uses and the app never imports (TensorFlow lives here)."""
