"""The build's one job that setup.cfg cannot say: models/ and assets/ go inside the package.

The app reads its model, model card and self-test drawings through ``importlib.resources``
(digitgame/files/paths.py).  They live at the top of the repository, where training writes them and
the bundle's spec reads them, so the wheel maps those folders into ``digitgame.models`` and
``digitgame.assets`` instead of keeping second copies.  The training-only ``.keras`` file and the
README's screenshot stay out of the wheel.
"""

from setuptools import find_packages, setup

DATA = {
    "digitgame.models": ["digit_cnn.tflite", "digit_cnn.weights.npz", "model_card.json"],
    "digitgame.assets": ["icon.png"],
    "digitgame.assets.selftest": ["*.json"],
}

setup(
    packages=[*find_packages(include=["digitgame", "digitgame.*"]), *DATA],
    package_dir={"digitgame.models": "models", "digitgame.assets": "assets"},
    package_data=DATA,
    include_package_data=False,
)
