"""Argument checks shared by every module.

Each check names the parameter, states what is allowed and shows what was received, as in
scikit-learn's and PyTorch's messages. NaN fails every range check because the checks are written
as ``not (low <= value <= high)``.
"""

import math
import numbers

import numpy as np


def check_scalar(value, name, *, low=None, high=None, low_inclusive=True, high_inclusive=True,
                 integer=False):
    """Return ``value`` as a float (or int) after checking it is a finite number in range.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (bools are rejected too).
    ValueError
        If ``value`` is NaN, infinite or outside ``[low, high]`` (bounds optional, inclusivity
        configurable). The message names ``name``, the allowed range and the received value.
    """
    kind = "an integer" if integer else "a number"
    wanted = numbers.Integral if integer else numbers.Real
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, wanted):
        raise TypeError(f"{name} must be {kind}, got {value!r} of type {type(value).__name__}")
    if not integer and not math.isfinite(float(value)):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    ok_low = low is None or (value >= low if low_inclusive else value > low)
    ok_high = high is None or (value <= high if high_inclusive else value < high)
    if not (ok_low and ok_high):
        left = "(-inf" if low is None else ("[" if low_inclusive else "(") + f"{low}"
        right = "inf)" if high is None else f"{high}" + ("]" if high_inclusive else ")")
        raise ValueError(f"{name} must be in {left}, {right}, got {value!r}")
    return int(value) if integer else float(value)


def check_random_state(seed, name="rng"):
    """Return a ``np.random.Generator`` from a seed, ``None`` or an existing Generator."""
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is None or (isinstance(seed, numbers.Integral) and not isinstance(seed, bool)
                        and seed >= 0):
        return np.random.default_rng(seed)
    raise ValueError(
        f"{name} must be a non-negative integer seed, None or a numpy Generator, got {seed!r}")


def check_finite_array(a, name, *, ndim=None, dtype=float):
    """Return ``a`` as a numpy array after checking its dimension and that it holds no NaN/inf."""
    try:
        arr = np.asarray(a, dtype=dtype)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be convertible to a numeric array, got {type(a).__name__}"
                         f" ({exc})") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be {ndim}-dimensional, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values, got NaN or inf")
    return arr


def check_linear_problem(w, X, y):
    """Check a linear-model problem: X is 2-D, y 1-D with one target per row of X, and the
    weights w (or None) 1-D with one entry per column of X; all finite. Returns ``(w, X, y)``."""
    X = check_finite_array(X, "X", ndim=2)
    y = check_finite_array(y, "y", ndim=1)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} "
                         f"and {y.shape[0]}")
    if w is not None:
        w = check_finite_array(w, "w", ndim=1)
        if w.shape[0] != X.shape[1]:
            raise ValueError(f"w must have one weight per feature ({X.shape[1]}), got "
                             f"{w.shape[0]}")
    return w, X, y
