"""The digit network's forward pass in numpy alone, for platforms where LiteRT has no wheel.

The weights come from ``digit_cnn.weights.npz`` beside the .tflite: a zip of ``.npy`` arrays (no
pickles), written by ``training/export.py`` from the same Keras model the .tflite is converted
from.  Each BatchNormalization is folded into the convolution before it at export (kernel scaled,
a bias added), as the TFLite converter folds it, so the network here is conv+bias -> ReLU.

The layers (``recognition/model.py``'s ``build_model`` and ``training/embedding.py``'s head):
conv1 3x3 same -> pool -> conv2 3x3 same -> pool -> conv3 3x3 valid -> flatten (4,800) ->
softmax dense (11); and, when present, the embedding: PCA dense (E), then the squared distance to
the nearest reference, |z|^2 - max(z . W + b).  Convolutions are im2col (``sliding_window_view``)
and one matmul, in float32.  benchmarks/numpy_agreement.py measures its agreement with LiteRT and
its speed (docs/figures.md).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping

import numpy as np

from digitgame.recognition.model import INPUT_SHAPE, NUM_CLASSES, NUM_SCORES

WEIGHTS_SUFFIX = ".weights.npz"  # digit_cnn.tflite -> digit_cnn.weights.npz
CONVS = ("conv1", "conv2", "conv3")
PADDING = {"conv1": "same", "conv2": "same", "conv3": "valid"}  # as build_model
CLASSIFIER = "probabilities"
EMBEDDING = ("embedding_pca", "reference_scores")  # both or neither
ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # zip's earliest date: a fixed one keeps the file byte-identical between runs


class WeightsError(ValueError):
    """The bytes are not a digit network's weights; ``str()`` says what is wrong, in a few words."""


def weights_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """``{"conv1.kernel": ..., ...}`` as an .npz file's bytes, the same bytes for the same arrays.

    np.savez stamps the current time on each member; here every member has ``ZIP_DATE``, the
    arrays are float32 in .npy format 1.0, in sorted order, stored uncompressed (the weights are
    noise to deflate, and its output could differ between zlib builds).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name in sorted(arrays):
            member = io.BytesIO()
            np.lib.format.write_array(member, np.ascontiguousarray(arrays[name], dtype=np.float32), version=(1, 0))
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_DATE)
            info.external_attr = 0o644 << 16
            archive.writestr(info, member.getvalue())
    return buffer.getvalue()


def read_weights(content: bytes) -> dict[str, np.ndarray]:
    """The arrays of a weights file's bytes; WeightsError when it is no zip of plain float32 .npy arrays."""
    try:
        with np.load(io.BytesIO(content), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise WeightsError("not a weights file (.npz of arrays), or damaged") from exc
    if not all(isinstance(a, np.ndarray) and a.dtype == np.float32 for a in arrays.values()):
        raise WeightsError("not a weights file (an entry is no float32 array)")
    return arrays


def _expect(arrays: Mapping[str, np.ndarray], name: str, ndim: int) -> np.ndarray:
    value = arrays.get(name)
    if value is None or value.ndim != ndim or not np.isfinite(value).all():
        raise WeightsError(f"no usable {name}")
    return value


def _conv_layers(arrays: Mapping[str, np.ndarray]) -> list[tuple[np.ndarray, np.ndarray, str]]:
    """Each convolution as (kernel (9 * C_in, C_out), bias, padding), shapes checked."""
    layers, channels = [], INPUT_SHAPE[2]
    for name in CONVS:
        kernel, bias = _expect(arrays, f"{name}.kernel", 4), _expect(arrays, f"{name}.bias", 1)
        if kernel.shape[:3] != (3, 3, channels) or bias.shape != kernel.shape[3:]:
            raise WeightsError(f"{name} has the wrong shape")
        channels = kernel.shape[3]
        layers.append((kernel.reshape(-1, channels), bias, PADDING[name]))  # (3 * 3 * C_in, C_out), rows (y, x, c)
    return layers


class NumpyNet:
    """The network's weights, checked once, and its forward pass on (N, 28, 28, 1) float32 batches."""

    def __init__(self, arrays: Mapping[str, np.ndarray]) -> None:
        """``arrays``: what ``read_weights`` returns; WeightsError when a layer is missing or misshapen."""
        self._convs = _conv_layers(arrays)
        self._dense = _expect(arrays, f"{CLASSIFIER}.kernel", 2), _expect(arrays, f"{CLASSIFIER}.bias", 1)
        features = self._features(np.zeros((1, *INPUT_SHAPE), np.float32)).shape[1]
        if self._dense[0].shape[0] != features or self._dense[0].shape[1] not in (NUM_CLASSES, NUM_SCORES):
            raise WeightsError(f"{CLASSIFIER} has the wrong shape")
        self._embedding: tuple[np.ndarray, ...] | None = None
        if any(f"{name}.kernel" in arrays for name in EMBEDDING):
            pca, refs = ((_expect(arrays, f"{n}.kernel", 2), _expect(arrays, f"{n}.bias", 1)) for n in EMBEDDING)
            if pca[0].shape[0] != features or refs[0].shape[0] != pca[0].shape[1] or refs[0].shape[1] < 1:
                raise WeightsError("the embedding has the wrong shape")
            self._embedding = (*pca, *refs)
        self.embedding_size = 0 if self._embedding is None else self._embedding[0].shape[1] + 1

    def forward(self, x: np.ndarray) -> list[np.ndarray]:
        """(N, 28, 28, 1) float32 -> [softmax (N, 10 or 11)] and, with an embedding, [(N, E + 1)]."""
        features = self._features(x)  # (N, 4800)
        kernel, bias = self._dense
        logits = features @ kernel + bias
        exp = np.exp(logits - logits.max(axis=1, keepdims=True))
        outputs = [exp / exp.sum(axis=1, keepdims=True)]
        if self._embedding is not None:
            pca_kernel, pca_bias, ref_kernel, ref_bias = self._embedding
            z = features @ pca_kernel + pca_bias  # (N, E)
            best = (z @ ref_kernel + ref_bias).max(axis=1, keepdims=True)  # (N, 1) max 2 z.r - |r|^2
            outputs.append(np.concatenate([z, (z * z).sum(axis=1, keepdims=True) - best], axis=1))
        return [o.astype(np.float32, copy=False) for o in outputs]

    def _features(self, x: np.ndarray) -> np.ndarray:
        """(N, 28, 28, 1) -> (N, 4800): the three conv blocks, pooled after the first two, flattened (H, W, C)."""
        for i, (kernel, bias, padding) in enumerate(self._convs):
            x = np.maximum(_conv3x3(x, kernel, padding) + bias, 0.0)
            if i < len(self._convs) - 1:
                x = _pool2x2(x)
        return x.reshape(len(x), int(np.prod(x.shape[1:])))  # -1 cannot be inferred for an empty batch


def _conv3x3(x: np.ndarray, kernel: np.ndarray, padding: str) -> np.ndarray:
    """(N, H, W, C) conv 3x3, stride 1 -> (N, H', W', C_out); ``kernel`` (9 * C, C_out), rows (y, x, c)."""
    if padding == "same":
        x = np.pad(x, ((0, 0), (1, 1), (1, 1), (0, 0)))
    windows = np.lib.stride_tricks.sliding_window_view(x, (3, 3), axis=(1, 2))  # (N, H', W', C, 3, 3), a view
    # (N, H', W', 3, 3, C): the copy below then moves runs of C contiguous values rather than gathering 3x3
    # patches channel by channel (the faster of the two when timed), and its rows match the kernel's (y, x, c)
    windows = windows.transpose(0, 1, 2, 4, 5, 3)
    n, h, w = windows.shape[:3]
    return (windows.reshape(n * h * w, kernel.shape[0]) @ kernel).reshape(n, h, w, kernel.shape[1])


def _pool2x2(x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) max-pool 2x2, stride 2 (H and W even here: 28 and 14) -> (N, H/2, W/2, C)."""
    n, h, w, c = x.shape
    return x[:, : h - h % 2, : w - w % 2].reshape(n, h // 2, 2, w // 2, 2, c).max(axis=(2, 4))
