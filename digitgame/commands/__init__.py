"""Commands: what runs without a window -- ``predict``, ``teach`` and ``--self-test``."""
