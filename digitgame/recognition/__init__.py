"""Recognition: strokes or an image in, the digits read out; no pygame, TensorFlow only as a lazy fallback."""
