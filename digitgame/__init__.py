"""digitgame: draw a digit, watch a convolutional network trained on MNIST recognise it live."""

__version__ = "0.1.0"
