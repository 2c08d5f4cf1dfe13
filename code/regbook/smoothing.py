r"""Label smoothing and calibration (chapter 08).

The book's convention (the seed texts') gives the true class
:math:`1 - \varepsilon` and spreads :math:`\varepsilon` evenly over the *other* :math:`K - 1`
classes:

.. math::

    q_k = (1 - \varepsilon)\,[k = y] + \frac{\varepsilon}{K - 1}\,[k \ne y].

torch's ``F.cross_entropy(label_smoothing=ε_t)`` mixes the one-hot target with the uniform
distribution over *all* :math:`K` classes, so every class gets :math:`\varepsilon_t / K` and the
true class :math:`1 - \varepsilon_t + \varepsilon_t / K`. The two agree exactly when
:math:`\varepsilon_t = \varepsilon K / (K - 1)`; :func:`torch_label_smoothing` and
:func:`epsilon_from_torch` convert between them.
"""

from typing import NamedTuple

import numpy as np
import torch
import torch.nn.functional as F

from regbook._validation import check_finite_array, check_scalar

__all__ = ["ReliabilityCurve", "epsilon_from_torch", "expected_calibration_error",
           "reliability_curve", "smooth_labels", "smoothed_cross_entropy",
           "torch_label_smoothing"]


def _check_num_classes(num_classes):
    return check_scalar(num_classes, "num_classes", low=2, integer=True)


def _check_epsilon(epsilon):
    return check_scalar(epsilon, "epsilon", low=0.0, high=1.0, high_inclusive=False)


def _check_labels(y, num_classes, name="y"):
    """Return labels as an int64 numpy array (or tensor, for tensor input) after range checks."""
    if isinstance(y, torch.Tensor):
        if y.dtype.is_floating_point or y.dtype.is_complex or y.dtype == torch.bool:
            raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
        if y.ndim != 1 or y.numel() == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array of labels, got shape "
                             f"{tuple(y.shape)}")
        low, high = int(y.min()), int(y.max())
        values = y.long()
    else:
        arr = np.asarray(y)
        if arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"{name} must be a non-empty 1-D array of labels, got shape "
                             f"{arr.shape}")
        if arr.dtype == bool or not np.issubdtype(arr.dtype, np.number):
            raise ValueError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
        if not np.issubdtype(arr.dtype, np.integer):
            bad = arr[~np.isfinite(arr) | (arr != np.round(arr))]
            if bad.size:
                raise ValueError(f"{name} must hold integer class labels, got non-integer "
                                 f"values such as {bad[0]!r}")
        values = arr.astype(np.int64)
        low, high = int(values.min()), int(values.max())
    if low < 0 or high >= num_classes:
        bad = low if low < 0 else high
        raise ValueError(f"{name} must contain class labels in [0, {num_classes}), got {bad}")
    return values


def smooth_labels(y, num_classes, epsilon, dtype=None):
    r"""Return the book's smoothed targets: :math:`1 - \varepsilon` on the true class and
    :math:`\varepsilon / (K - 1)` on each other class.

    .. math::

        q_{ik} = (1 - \varepsilon)\,[k = y_i] + \frac{\varepsilon}{K - 1}\,[k \ne y_i]

    This is *not* torch's ``label_smoothing``, which gives every class :math:`\varepsilon_t/K`;
    see :func:`torch_label_smoothing` for the exact conversion.

    Parameters
    ----------
    y : array-like or torch.Tensor of shape (n_samples,)
        Integer class labels in ``[0, num_classes)``.
    num_classes : int
        Number of classes :math:`K \ge 2`.
    epsilon : float
        Smoothing amount in ``[0, 1)``. The true class keeps the largest mass while
        :math:`\varepsilon < (K - 1)/K`; at :math:`\varepsilon = (K - 1)/K` the target is uniform.
    dtype : torch.dtype, optional
        For tensor labels: the dtype of the targets (default: torch's default float dtype).

    Returns
    -------
    q : ndarray or torch.Tensor of shape (n_samples, num_classes)
        Rows are probability vectors. A tensor (default float dtype, on ``y``'s device) when
        ``y`` is a tensor, else a float64 array.

    See Also
    --------
    Chapter 08, "Label smoothing".

    Examples
    --------
    >>> smooth_labels([0, 2], num_classes=3, epsilon=0.1)
    array([[0.9 , 0.05, 0.05],
           [0.05, 0.05, 0.9 ]])
    """
    num_classes = _check_num_classes(num_classes)
    epsilon = _check_epsilon(epsilon)
    y = _check_labels(y, num_classes)
    off = epsilon / (num_classes - 1)
    if isinstance(y, torch.Tensor):
        q = torch.full((y.shape[0], num_classes), off, dtype=dtype or torch.get_default_dtype(),
                       device=y.device)
        q.scatter_(1, y[:, None], 1.0 - epsilon)
        return q
    q = np.full((y.shape[0], num_classes), off)
    q[np.arange(y.shape[0]), y] = 1.0 - epsilon
    return q


def smoothed_cross_entropy(logits, y, epsilon, reduction="mean"):
    r"""Cross-entropy of ``logits`` against the book's smoothed targets.

    .. math::

        \ell_i = -\sum_{k=1}^{K} q_{ik} \log \operatorname{softmax}(z_i)_k,
        \qquad q_{ik} = (1 - \varepsilon)[k = y_i] + \tfrac{\varepsilon}{K - 1}[k \ne y_i]

    It equals ``F.cross_entropy(logits, y, label_smoothing=torch_label_smoothing(epsilon, K))``
    whenever that torch value is allowed (:math:`\varepsilon \le (K-1)/K`). Its signature fits
    ``regbook.training.train``'s ``loss`` after ``functools.partial(..., epsilon=0.1)``.

    Parameters
    ----------
    logits : torch.Tensor of shape (n_samples, K)
    y : torch.Tensor of shape (n_samples,)
        Integer labels in ``[0, K)``.
    epsilon : float
        Smoothing amount in ``[0, 1)``.
    reduction : {"mean", "sum", "none"}, default "mean"

    Returns
    -------
    torch.Tensor
        A scalar, or shape (n_samples,) with ``reduction="none"``.

    See Also
    --------
    Chapter 08, "Label smoothing".

    Examples
    --------
    >>> logits = torch.tensor([[2.0, 0.0, -1.0]])
    >>> round(float(smoothed_cross_entropy(logits, torch.tensor([0]), 0.0)), 4)
    0.1698
    """
    if not isinstance(logits, torch.Tensor) or logits.ndim != 2:
        raise ValueError("logits must be a 2-D torch.Tensor of shape (n_samples, n_classes), "
                         f"got {type(logits).__name__} of shape {tuple(np.shape(logits))}")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
    if not isinstance(y, torch.Tensor):
        y = np.asarray(y)
        if y.dtype.kind not in "iu":
            raise ValueError(f"y must hold integer class labels, got dtype {y.dtype}")
    y = torch.as_tensor(y, device=logits.device)
    if y.shape[:1] != logits.shape[:1]:
        raise ValueError(f"logits and y must have the same number of samples, got "
                         f"{logits.shape[0]} and {y.shape[0] if y.ndim else y.shape}")
    q = smooth_labels(y, logits.shape[1], epsilon, dtype=logits.dtype)
    per_sample = -(q * F.log_softmax(logits, dim=1)).sum(dim=1)
    if reduction == "none":
        return per_sample
    return per_sample.sum() if reduction == "sum" else per_sample.mean()


def torch_label_smoothing(epsilon, num_classes):
    r"""Convert the book's :math:`\varepsilon` to torch's ``label_smoothing``:
    :math:`\varepsilon_t = \varepsilon K / (K - 1)`.

    Both then give the true class :math:`1 - \varepsilon` and each other class
    :math:`\varepsilon / (K - 1)`. torch accepts :math:`\varepsilon_t \le 1`, so
    :math:`\varepsilon` must lie in :math:`[0, (K - 1)/K]`.

    See Also
    --------
    epsilon_from_torch : the inverse. Chapter 08, "Label smoothing".

    Examples
    --------
    >>> round(torch_label_smoothing(0.09, num_classes=10), 12)
    0.1
    """
    num_classes = _check_num_classes(num_classes)
    epsilon = _check_epsilon(epsilon)
    limit = (num_classes - 1) / num_classes
    if epsilon > limit:
        raise ValueError(f"epsilon must be in [0.0, {limit:.6g}] (= (K - 1)/K) to have a torch "
                         f"label_smoothing equivalent for K={num_classes}, got {epsilon!r}")
    # The clamp absorbs rounding at epsilon = (K - 1)/K, which torch would otherwise reject.
    return min(1.0, epsilon * num_classes / (num_classes - 1))


def epsilon_from_torch(label_smoothing, num_classes):
    r"""Convert torch's ``label_smoothing`` :math:`\varepsilon_t` to the book's
    :math:`\varepsilon = \varepsilon_t (K - 1) / K`.

    See Also
    --------
    torch_label_smoothing : the inverse. Chapter 08, "Label smoothing".

    Examples
    --------
    >>> round(epsilon_from_torch(0.1, num_classes=10), 12)
    0.09
    """
    num_classes = _check_num_classes(num_classes)
    label_smoothing = check_scalar(label_smoothing, "label_smoothing", low=0.0, high=1.0)
    return label_smoothing * (num_classes - 1) / num_classes


class ReliabilityCurve(NamedTuple):
    """Per-bin mean confidence, accuracy and sample count; NaN marks an empty bin."""

    confidence: np.ndarray
    accuracy: np.ndarray
    counts: np.ndarray


def _check_probs(probs, y):
    probs = check_finite_array(probs, "probs", ndim=2)
    if probs.shape[1] < 2:
        raise ValueError(f"probs must have at least 2 columns (classes), got shape {probs.shape}")
    # The tolerances admit float32 softmax outputs.
    if (probs.min() < -1e-6 or probs.max() > 1 + 1e-6
            or not np.allclose(probs.sum(axis=1), 1.0, atol=1e-4)):
        raise ValueError("probs must hold probability vectors (rows in [0, 1] summing to 1), got "
                         f"row sums in [{probs.sum(axis=1).min():.6g}, "
                         f"{probs.sum(axis=1).max():.6g}] and values in "
                         f"[{probs.min():.6g}, {probs.max():.6g}]")
    if isinstance(y, torch.Tensor):
        y = y.detach().cpu()
    y = np.asarray(_check_labels(y, probs.shape[1]))
    if y.shape[0] != probs.shape[0]:
        raise ValueError(f"probs and y must have the same number of samples, got "
                         f"{probs.shape[0]} and {y.shape[0]}")
    return probs, y


def reliability_curve(probs, y, n_bins=15):
    r"""Bin predictions by confidence and return each bin's mean confidence, accuracy and count.

    The confidence of a prediction is its largest probability :math:`\hat p_i = \max_k p_{ik}`
    and the prediction is :math:`\arg\max_k p_{ik}`. Bin :math:`b` holds the samples with
    :math:`\hat p_i \in ((b-1)/M, b/M]` (equal width, :math:`M` = ``n_bins``), as in
    Guo et al. (2017). A perfectly calibrated model has accuracy = confidence in every bin.

    Parameters
    ----------
    probs : array-like of shape (n_samples, n_classes)
        Predicted probabilities (rows sum to 1).
    y : array-like of shape (n_samples,)
        Integer true labels.
    n_bins : int, default 15

    Returns
    -------
    ReliabilityCurve
        ``(confidence, accuracy, counts)``, each of shape (n_bins,); confidence and accuracy are
        NaN in empty bins (matplotlib leaves them out).

    See Also
    --------
    expected_calibration_error. Chapter 08, "Label smoothing".

    Examples
    --------
    >>> probs = np.array([[0.9, 0.1], [0.6, 0.4], [0.2, 0.8]])
    >>> curve = reliability_curve(probs, [0, 1, 1], n_bins=2)
    >>> curve.counts, curve.accuracy
    (array([0, 3]), array([       nan, 0.66666667]))
    """
    probs, y = _check_probs(probs, y)
    n_bins = check_scalar(n_bins, "n_bins", low=1, integer=True)
    confidence = probs.max(axis=1)
    correct = (probs.argmax(axis=1) == y).astype(float)
    # Rounding first puts a confidence on a bin edge into the bin it closes: 0.3 * 10 is
    # 3.0000000000000004 in floating point and would otherwise land in (0.3, 0.4].
    bins = np.clip(np.ceil(np.round(confidence * n_bins, 9)).astype(int) - 1, 0, n_bins - 1)
    counts = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_conf = np.bincount(bins, weights=confidence, minlength=n_bins) / counts
        mean_acc = np.bincount(bins, weights=correct, minlength=n_bins) / counts
    return ReliabilityCurve(mean_conf, mean_acc, counts)


def expected_calibration_error(probs, y, n_bins=15):
    r"""Expected calibration error over equal-width confidence bins (Guo et al. 2017).

    .. math::

        \mathrm{ECE} = \sum_{b=1}^{M} \frac{n_b}{n}\,
            \bigl|\mathrm{acc}(b) - \mathrm{conf}(b)\bigr|

    where :math:`\mathrm{acc}(b)` and :math:`\mathrm{conf}(b)` are the accuracy and mean
    max-probability confidence of the :math:`n_b` predictions in bin :math:`b`
    (see :func:`reliability_curve`).

    Parameters
    ----------
    probs : array-like of shape (n_samples, n_classes)
    y : array-like of shape (n_samples,)
    n_bins : int, default 15

    Returns
    -------
    float in [0, 1]

    See Also
    --------
    reliability_curve. Chapter 08, "Label smoothing".

    Examples
    --------
    >>> probs = np.array([[0.9, 0.1], [0.9, 0.1]])
    >>> round(expected_calibration_error(probs, [0, 1], n_bins=10), 6)
    0.4
    """
    curve = reliability_curve(probs, y, n_bins)
    filled = curve.counts > 0
    weights = curve.counts[filled] / curve.counts.sum()
    return float(np.sum(weights * np.abs(curve.accuracy[filled] - curve.confidence[filled])))
