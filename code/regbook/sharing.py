r"""Parameter sharing (chapter 09): locality, shared weights, and translation equivariance.

A convolutional layer computes, for output channel :math:`o` at position :math:`(i, j)`,

.. math::

    y_{o,i,j} = b_o + \sum_{c=1}^{C}\sum_{u=0}^{k-1}\sum_{v=0}^{k-1}
                W_{o,c,u,v}\; x_{c,\, s i + u - p,\; s j + v - p}

(a cross-correlation, as in ``torch.nn.Conv2d``). Two restrictions of a dense layer are
hidden in it: each output looks only at a :math:`k \times k` window (**sparse connectivity**),
and the window's weights :math:`W_{o,c,u,v}` are the same at every position (**parameter
sharing**). :class:`LocallyConnected2d` keeps the first restriction and drops the second: it has
its own weights :math:`W^{(i,j)}` at every output position, so it separates the two savings
(Goodfellow et al. 2016, §9.2).

Because the weights do not depend on :math:`(i, j)`, a convolution with stride 1 commutes with
translations, :math:`f(T x) = T f(x)`. With circular padding this holds exactly; with zero
padding only away from the border; a stride :math:`s > 1` keeps it only for shifts that are
multiples of :math:`s`. :func:`shift` and :func:`equivariance_error` measure this.
"""

from functools import lru_cache, partial
from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F
from sklearn.model_selection import train_test_split
from torch import nn

from regbook._validation import check_scalar
from regbook.datasets import load_bundled
from regbook.training import one_torch_thread, predict_logits, predict_proba, train

__all__ = ["LocallyConnected2d", "count_parameters", "conv_output_size",
           "conv2d_parameter_count", "dense_parameter_count",
           "locally_connected_parameter_count", "shift", "equivariance_error",
           "digits_images", "digits_model", "train_digits_model", "shifted_accuracy",
           "DigitsFit", "MODEL_KINDS"]

MODEL_KINDS = ("conv", "local", "dense")
"""The first layers of :func:`digits_model`: shared and local, local only, neither."""

SHIFT_MODES = ("circular", "zero")


def _check_positive_int(value, name):
    return check_scalar(value, name, low=1, integer=True)


def _check_size(value, name):
    """An int ``n`` or a pair ``(h, w)`` of positive ints, returned as a pair."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be an int or a pair (height, width), got {value!r}")
        return tuple(_check_positive_int(v, name) for v in value)
    n = _check_positive_int(value, name)
    return n, n


def count_parameters(module, trainable_only=False):
    r"""Number of scalar parameters of a real module, :math:`\sum_p \mathrm{numel}(p)`.

    Parameters
    ----------
    module : torch.nn.Module
    trainable_only : bool, default False
        Count only parameters with ``requires_grad``.

    Returns
    -------
    int

    Examples
    --------
    >>> count_parameters(nn.Conv2d(3, 1, kernel_size=3, bias=False))
    27
    >>> count_parameters(nn.Linear(224 * 224, 1, bias=False))
    50176
    """
    if not isinstance(module, nn.Module):
        raise TypeError(f"module must be a torch.nn.Module, got {type(module).__name__}")
    return int(sum(p.numel() for p in module.parameters()
                   if p.requires_grad or not trainable_only))


def conv_output_size(size, kernel_size, stride=1, padding=0):
    r"""Output length of a convolution along one axis, :math:`\lfloor (n + 2p - k)/s \rfloor + 1`.

    Examples
    --------
    >>> conv_output_size(224, 3, padding=1), conv_output_size(8, 3, stride=2, padding=1)
    (224, 4)
    """
    size = _check_positive_int(size, "size")
    kernel_size = _check_positive_int(kernel_size, "kernel_size")
    stride = _check_positive_int(stride, "stride")
    padding = check_scalar(padding, "padding", low=0, integer=True)
    if kernel_size > size + 2 * padding:
        raise ValueError(f"kernel_size must be at most size + 2 * padding = {size + 2 * padding}, "
                         f"got {kernel_size}")
    return (size + 2 * padding - kernel_size) // stride + 1


def conv2d_parameter_count(in_channels, out_channels, kernel_size, bias=True):
    r"""Parameters of a 2-D convolution: :math:`C_\text{out} C_\text{in} k^2 + C_\text{out}`.

    The count does not depend on the image size: the same filter is used at every position.

    Examples
    --------
    >>> conv2d_parameter_count(3, 64, 3)
    1792
    >>> conv2d_parameter_count(3, 64, 3) == count_parameters(nn.Conv2d(3, 64, 3))
    True
    """
    in_channels = _check_positive_int(in_channels, "in_channels")
    out_channels = _check_positive_int(out_channels, "out_channels")
    kh, kw = _check_size(kernel_size, "kernel_size")
    return out_channels * in_channels * kh * kw + (out_channels if bias else 0)


def dense_parameter_count(in_shape, out_shape, bias=True):
    r"""Parameters of a dense layer from a :math:`C \times H \times W` input to an
    :math:`O \times H' \times W'` output: :math:`(CHW)(OH'W') + OH'W'`.

    Parameters
    ----------
    in_shape, out_shape : tuple of int
        Shapes without the batch dimension, e.g. ``(3, 224, 224)``.
    bias : bool, default True

    Examples
    --------
    >>> dense_parameter_count((1, 8, 8), (16, 8, 8))
    66560
    >>> dense_parameter_count((1, 8, 8), (16, 8, 8)) == count_parameters(nn.Linear(64, 1024))
    True
    """
    n_in, n_out = (_numel(shape, name) for shape, name in ((in_shape, "in_shape"),
                                                             (out_shape, "out_shape")))
    return n_in * n_out + (n_out if bias else 0)


def _numel(shape, name):
    if not isinstance(shape, (tuple, list)) or not shape:
        raise ValueError(f"{name} must be a non-empty tuple of positive ints, got {shape!r}")
    total = 1
    for n in shape:
        total *= _check_positive_int(n, name)
    return total


def locally_connected_parameter_count(in_channels, out_channels, input_size, kernel_size,
                                      stride=1, padding=0, bias=True):
    r"""Parameters of :class:`LocallyConnected2d`: :math:`H'W'\,(C_\text{out} C_\text{in} k^2
    + C_\text{out})`, one filter (and one bias) per output position.

    It is :func:`conv2d_parameter_count` times the number :math:`H'W'` of output positions:
    the same sparse connectivity, with no sharing.

    Examples
    --------
    >>> locally_connected_parameter_count(1, 1, 224, 3, padding=1, bias=False)
    451584
    """
    height, width = _check_size(input_size, "input_size")
    kh, kw = _check_size(kernel_size, "kernel_size")
    positions = (conv_output_size(height, kh, stride, padding)
                 * conv_output_size(width, kw, stride, padding))
    return positions * conv2d_parameter_count(in_channels, out_channels, (kh, kw), bias)


class LocallyConnected2d(nn.Module):
    r"""A convolution without weight sharing: every output position has its own filter.

    .. math::

        y_{o,i,j} = b_{o,i,j} + \sum_{c,u,v} W^{(i,j)}_{o,c,u,v}\,
                    x_{c,\, s i + u - p,\; s j + v - p}

    The receptive fields are those of ``nn.Conv2d(in_channels, out_channels, kernel_size,
    stride, padding)`` (zero padding); the weights and biases are indexed by the output position
    :math:`(i, j)` as well. Setting every :math:`W^{(i,j)}` to one conv's weight reproduces that
    conv (:meth:`from_conv`). Implemented with ``F.unfold``, which cuts the input into the
    :math:`k \times k` patches of every position.

    Parameters
    ----------
    in_channels, out_channels : int
    input_size : int or (int, int)
        Height and width of the input; fixed, since the weights are per position.
    kernel_size : int or (int, int)
    stride : int, default 1
    padding : int, default 0
        Zero padding on every side.
    bias : bool, default True
        One bias per output channel *and position*.

    Attributes
    ----------
    weight : Parameter of shape (H'W', out_channels, in_channels·kh·kw)
    bias : Parameter of shape (out_channels, H', W') or None
    output_size : (int, int)

    See Also
    --------
    Chapter 09, "Parameter sharing", compares it with ``nn.Conv2d`` and ``nn.Linear``.

    Examples
    --------
    >>> layer = LocallyConnected2d(1, 4, 8, 3, padding=1)
    >>> layer(torch.zeros(2, 1, 8, 8)).shape
    torch.Size([2, 4, 8, 8])
    >>> count_parameters(layer) == locally_connected_parameter_count(1, 4, 8, 3, padding=1)
    True
    """

    def __init__(self, in_channels, out_channels, input_size, kernel_size, stride=1, padding=0,
                 bias=True):
        super().__init__()
        self.in_channels = _check_positive_int(in_channels, "in_channels")
        self.out_channels = _check_positive_int(out_channels, "out_channels")
        self.input_size = _check_size(input_size, "input_size")
        self.kernel_size = _check_size(kernel_size, "kernel_size")
        self.stride = _check_positive_int(stride, "stride")
        self.padding = check_scalar(padding, "padding", low=0, integer=True)
        self.output_size = tuple(conv_output_size(n, k, self.stride, self.padding)
                                 for n, k in zip(self.input_size, self.kernel_size))
        positions = self.output_size[0] * self.output_size[1]
        fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
        self.weight = nn.Parameter(torch.empty(positions, self.out_channels, fan_in))
        self.bias = (nn.Parameter(torch.empty(self.out_channels, *self.output_size)) if bias
                     else None)
        self.reset_parameters()

    def reset_parameters(self):
        """Uniform in :math:`\\pm 1/\\sqrt{\\text{fan-in}}`, the scale ``nn.Conv2d`` uses."""
        bound = 1.0 / np.sqrt(self.weight.shape[-1])
        nn.init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            nn.init.uniform_(self.bias, -bound, bound)

    def forward(self, x):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
        if x.ndim != 4 or tuple(x.shape[1:]) != (self.in_channels, *self.input_size):
            raise ValueError(f"x must have shape (N, {self.in_channels}, "
                             f"{self.input_size[0]}, {self.input_size[1]}), got {tuple(x.shape)}")
        patches = F.unfold(x, self.kernel_size, padding=self.padding, stride=self.stride)
        out = torch.einsum("ncl,loc->nol", patches, self.weight)
        out = out.reshape(x.shape[0], self.out_channels, *self.output_size)
        return out if self.bias is None else out + self.bias

    @classmethod
    def from_conv(cls, conv, input_size):
        """A locally connected layer whose filter at every position is ``conv``'s filter."""
        if not isinstance(conv, nn.Conv2d):
            raise TypeError(f"conv must be a torch.nn.Conv2d, got {type(conv).__name__}")
        if (conv.groups != 1 or conv.padding_mode != "zeros" or conv.dilation != (1, 1)
                or conv.stride[0] != conv.stride[1] or not isinstance(conv.padding, tuple)
                or conv.padding[0] != conv.padding[1]):
            raise ValueError("conv must have groups=1, dilation 1, zero padding and equal "
                             f"stride and padding on both axes, got {conv!r}")
        layer = cls(conv.in_channels, conv.out_channels, input_size, conv.kernel_size,
                    conv.stride[0], conv.padding[0], bias=conv.bias is not None)
        layer.to(conv.weight.dtype)
        with torch.no_grad():
            layer.weight.copy_(conv.weight.reshape(conv.out_channels, -1).expand_as(layer.weight))
            if conv.bias is not None:
                layer.bias.copy_(conv.bias[:, None, None].expand_as(layer.bias))
        return layer

    def extra_repr(self):
        return (f"{self.in_channels}, {self.out_channels}, input_size={self.input_size}, "
                f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"bias={self.bias is not None}")


def shift(x, dx=0, dy=0, mode="zero"):
    r"""Translate images by whole pixels: :math:`(T x)_{i,j} = x_{i - d_y,\, j - d_x}`.

    Parameters
    ----------
    x : torch.Tensor or ndarray of shape (..., H, W)
    dx, dy : int, default 0
        Pixels to the right and down (negative: left and up).
    mode : {"zero", "circular"}, default "zero"
        ``"zero"``: pixels that leave the frame are lost and zeros enter (a digit moving on a
        blank page). ``"circular"``: pixels that leave on one side re-enter on the other
        (``torch.roll``), the translation under which circular padding is exactly equivariant.

    Returns
    -------
    Same type, shape and dtype as ``x``.

    Examples
    --------
    >>> shift(np.arange(4.0).reshape(1, 4), dx=1)
    array([[0., 0., 1., 2.]])
    >>> shift(np.arange(4.0).reshape(1, 4), dx=1, mode="circular")
    array([[3., 0., 1., 2.]])
    """
    dx = check_scalar(dx, "dx", integer=True)
    dy = check_scalar(dy, "dy", integer=True)
    if mode not in SHIFT_MODES:
        raise ValueError(f"mode must be one of {SHIFT_MODES}, got {mode!r}")
    if not isinstance(x, (torch.Tensor, np.ndarray)):
        raise TypeError(f"x must be a torch.Tensor or a numpy array, got {type(x).__name__}")
    if x.ndim < 2:
        raise ValueError(f"x must have at least 2 dimensions (..., H, W), got shape "
                         f"{tuple(x.shape)}")
    if mode == "circular":
        if isinstance(x, torch.Tensor):
            return torch.roll(x, shifts=(dy, dx), dims=(-2, -1))
        return np.roll(x, (dy, dx), axis=(-2, -1))
    out = torch.zeros_like(x) if isinstance(x, torch.Tensor) else np.zeros_like(x)
    height, width = x.shape[-2:]
    if abs(dy) < height and abs(dx) < width:
        out[..., max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)] = \
            x[..., max(-dy, 0):height + min(-dy, 0), max(-dx, 0):width + min(-dx, 0)]
    return out


def equivariance_error(f, x, dx=0, dy=0, *, mode="circular", output_shift=None, margin=0):
    r"""Largest violation of :math:`f(T x) = T' f(x)`: :math:`\max |f(T x) - T' f(x)|`.

    :math:`T` shifts the input by :math:`(d_x, d_y)` with :func:`shift`; :math:`T'` shifts the
    output by ``output_shift`` (default: the same shift, right for stride 1). The maximum is
    taken over output positions at least ``margin`` pixels from every border, so that border
    effects can be excluded.

    Parameters
    ----------
    f : callable
        Maps a tensor of shape (N, C, H, W) to one of shape (N, C', H', W'), e.g. an
        ``nn.Conv2d``.
    x : torch.Tensor of shape (N, C, H, W)
    dx, dy : int
    mode : {"circular", "zero"}, default "circular"
        How both shifts treat the border (see :func:`shift`).
    output_shift : (int, int) or None
        ``(dx', dy')`` for :math:`T'`; None means ``(dx, dy)``.
    margin : int, default 0

    Returns
    -------
    float

    Examples
    --------
    >>> torch.manual_seed(0) and None
    >>> conv = nn.Conv2d(1, 2, 3, padding=1, padding_mode="circular").double()
    >>> x = torch.rand(1, 1, 8, 8, dtype=torch.float64)
    >>> equivariance_error(conv, x, dx=2) < 1e-12
    True
    """
    if not callable(f):
        raise TypeError(f"f must be callable, got {type(f).__name__}")
    if not isinstance(x, torch.Tensor) or x.ndim != 4:
        raise ValueError(f"x must be a 4-D torch.Tensor (N, C, H, W), got "
                         f"{type(x).__name__} of shape {tuple(getattr(x, 'shape', ()))}")
    if x.numel() == 0:
        raise ValueError(f"x must not be empty, got shape {tuple(x.shape)}")
    if x.is_floating_point() and not torch.isfinite(x).all():
        raise ValueError("x must contain only finite values, got NaN or inf")
    margin = check_scalar(margin, "margin", low=0, integer=True)
    out_dx, out_dy = (dx, dy) if output_shift is None else output_shift
    with torch.no_grad():
        gap = f(shift(x, dx, dy, mode)) - shift(f(x), out_dx, out_dy, mode)
    height, width = gap.shape[-2:]
    if 2 * margin >= min(height, width):
        raise ValueError(f"margin must be below half the output size {min(height, width)}, "
                         f"got {margin}")
    interior = gap[..., margin:height - margin, margin:width - margin]
    return float(interior.abs().max())


@lru_cache(maxsize=1)
def digits_images(test_size=797, seed=0):
    """scikit-learn's digits as (N, 1, 8, 8) float32 tensors in [0, 1], split once, stratified.

    Returns ``(X_pool, X_test, y_pool, y_test)``: a training pool of 1000 images and a test set
    of 797 (with the defaults).
    """
    X, y = load_bundled("digits")
    X = torch.as_tensor(X / 16.0, dtype=torch.float32).reshape(-1, 1, 8, 8)
    y = torch.as_tensor(y, dtype=torch.int64)
    idx_pool, idx_test = train_test_split(np.arange(len(y)), test_size=test_size,
                                          random_state=seed, stratify=y.numpy())
    return X[idx_pool], X[idx_test], y[idx_pool], y[idx_test]


def digits_model(kind, channels=8, seed=0):
    """A small network for 8 × 8 digits whose first layer is a conv, locally connected or dense.

    ``first layer (1 → channels × 8 × 8) → ReLU → MaxPool2d(2) → Flatten → Linear(·, 10)``.
    Only the first layer differs between the kinds, and all three produce a ``channels × 8 × 8``
    map from ``3 × 3`` windows or, for ``"dense"``, from the whole image:

    * ``"conv"``: ``nn.Conv2d(1, channels, 3, padding=1)`` (local and shared);
    * ``"local"``: :class:`LocallyConnected2d` with the same windows (local, not shared);
    * ``"dense"``: ``nn.Linear(64, channels · 64)`` reshaped to the map (neither): an MLP with
      one hidden layer, max-pooled in groups of four units.

    Parameters
    ----------
    kind : {"conv", "local", "dense"}
    channels : int, default 8
    seed : int, default 0
        Seeds the initial weights without touching torch's global random state.

    Examples
    --------
    >>> [count_parameters(digits_model(kind)) for kind in MODEL_KINDS]
    [1370, 6410, 34570]
    """
    if kind not in MODEL_KINDS:
        raise ValueError(f"kind must be one of {MODEL_KINDS}, got {kind!r}")
    channels = _check_positive_int(channels, "channels")
    seed = check_scalar(seed, "seed", low=0, integer=True)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        if kind == "conv":
            first = nn.Conv2d(1, channels, 3, padding=1)
        elif kind == "local":
            first = LocallyConnected2d(1, channels, 8, 3, padding=1)
        else:
            first = nn.Sequential(nn.Flatten(), nn.Linear(64, channels * 64),
                                  nn.Unflatten(1, (channels, 8, 8)))
        return nn.Sequential(first, nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                             nn.Linear(channels * 16, 10))


class DigitsFit(NamedTuple):
    """One trained network of :func:`train_digits_model`."""

    kind: str
    n_train: int
    seed: int
    model: nn.Module
    train_accuracy: float
    accuracy_curve: np.ndarray


@lru_cache(maxsize=None)
def train_digits_model(kind, n_train=500, seed=0, epochs=40, lr=0.03, random_labels=False):
    """Train :func:`digits_model` with full-batch Adam on ``n_train`` digits; cached per call.

    The ``n_train`` images are a stratified subset (drawn with ``seed``) of the 1000-image pool
    of :func:`digits_images`; ``seed`` also sets the initial weights. Full-batch Adam
    (``lr``, ``epochs`` steps; torch's fused implementation, the fastest on CPU for these small
    networks) with cross-entropy, on one torch thread. ``random_labels=True``
    replaces the labels by uniformly random ones (seeded), to measure memorisation.

    Returns
    -------
    DigitsFit
        With the final training accuracy (eval mode) and the accuracy on the training labels
        at every step (``accuracy_curve``).

    See Also
    --------
    Chapter 09, "Parameter sharing", trains 18 of these networks.
    """
    n_train = check_scalar(n_train, "n_train", low=20, high=1000, integer=True)
    seed = check_scalar(seed, "seed", low=0, integer=True)
    X_pool, _, y_pool, _ = digits_images()
    if n_train < len(y_pool):
        idx, _ = train_test_split(np.arange(len(y_pool)), train_size=n_train, random_state=seed,
                                  stratify=y_pool.numpy())
        X, y = X_pool[idx], y_pool[idx]
    else:
        X, y = X_pool, y_pool
    if random_labels:
        y = torch.randint(0, 10, (n_train,), generator=torch.Generator().manual_seed(seed))
    model = digits_model(kind, seed=seed)
    with one_torch_thread():
        history = train(model, X, y, optimizer=partial(torch.optim.Adam, lr=lr, fused=True),
                        epochs=epochs, batch_size=None, seed=seed, eval_train=False,
                        progress=False, device="cpu")
    model.eval()
    train_acc = float((predict_proba(model, X).argmax(axis=1) == y.numpy()).mean())
    return DigitsFit(kind, n_train, seed, model, train_acc,
                     np.asarray(history.train_accuracy, dtype=float))


def shifted_accuracy(model, X, y, dx=0, dy=0):
    """Accuracy of ``model`` on the images ``X`` translated by ``(dx, dy)`` pixels (zero fill).

    Examples
    --------
    >>> X_pool, X_test, y_pool, y_test = digits_images()
    >>> 0.0 <= shifted_accuracy(digits_model("conv"), X_test, y_test, dx=1) <= 1.0
    True
    """
    from regbook.training import _as_tensor, _check_model, _check_targets

    _check_model(model)
    if not isinstance(X, (np.ndarray, torch.Tensor)) or X.ndim != 4:
        raise ValueError(f"X must be a 4-D array or tensor of images (N, C, H, W), got "
                         f"{type(X).__name__} of shape {tuple(getattr(X, 'shape', ()))}")
    logits = predict_logits(model, shift(X, dx, dy, mode="zero"))
    y = _as_tensor(y, "y", torch.device("cpu"))
    if y.is_floating_point() or y.ndim != 1 or y.shape[0] != logits.shape[0]:
        raise ValueError(f"y must hold one integer class label per image ({logits.shape[0]}), "
                         f"got shape {tuple(y.shape)} and dtype {y.dtype}")
    _check_targets(y, tuple(logits.shape), "y")
    return float((logits.argmax(dim=1) == y).double().mean())
