"""Offline training of the digit CNN (``train_model.py`` is the entry point); the app never imports it.

Needs the ``train`` extra: TensorFlow/Keras, SciPy and scikit-image.
"""
