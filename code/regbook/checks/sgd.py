"""Exercises for chapter 14, "SGD as a regularizer": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled


def _population(seed, n):
    return {"values": np.random.default_rng(seed).normal(loc=2.0, scale=1.5, size=n)}


def minibatch_mean_variance(values, batch_size):
    """Reference: Var of the mean of B values drawn without replacement, (1/B)(1 − B/n)·S²."""
    n = len(values)
    return (1 - batch_size / n) * np.var(values, ddof=1) / batch_size


def _with_replacement(values, batch_size):
    return np.var(values) / batch_size


def _ddof_zero(values, batch_size):
    return (1 - batch_size / len(values)) * np.var(values) / batch_size


def _sample_variance_over_b(values, batch_size):
    return np.var(values, ddof=1) / batch_size


def _no_over_b(values, batch_size):
    return (1 - batch_size / len(values)) * np.var(values, ddof=1)


def _correction_not_subtracted(values, batch_size):
    return (batch_size / len(values)) * np.var(values, ddof=1) / batch_size


minibatch_mean_variance_exercise = Exercise(
    name="minibatch_mean_variance",
    reference=minibatch_mean_variance,
    cases=[
        Case("10 values (seed 0), batch_size = 3", {**_population(0, 10), "batch_size": 3}),
        Case("40 values (seed 1), batch_size = 8", {**_population(1, 40), "batch_size": 8}),
        Case("the 16 values [0, 1, ..., 15], batch_size = 1",
             {"values": np.arange(16.0), "batch_size": 1}),
        Case("12 values (seed 2), batch_size = 12 (the full batch)",
             {**_population(2, 12), "batch_size": 12}),
    ],
    mistakes=[
        Mistake("with_replacement", _with_replacement,
                "this is the variance for sampling *with* replacement, σ²/B. Without replacement "
                "a batch cannot repeat a value, and the variance is smaller by the finite-population "
                "factor: it is 0 for the full batch."),
        Mistake("ddof_zero", _ddof_zero,
                "almost: the factor (1 − B/n) goes with the (n − 1)-normalised variance "
                "S² = np.var(values, ddof=1). With np.var's default ddof=0 you are off by n/(n − 1)."),
        Mistake("no_finite_population_correction", _sample_variance_over_b,
                "you left out the finite-population factor (1 − B/n), so the full batch would "
                "still be noisy. Drawing without replacement removes that variance."),
        Mistake("no_over_b", _no_over_b,
                "the variance of a mean of B values carries a factor 1/B; you left it out."),
        Mistake("correction_not_subtracted", _correction_not_subtracted,
                "the finite-population factor is 1 − B/n (the fraction *not* in the batch), "
                "not B/n."),
    ],
    hints=[
        "Each batch of B distinct values is equally likely. For B = n the batch mean is always "
        "the population mean, so the variance must be 0.",
        "Var = (1/B)(1 − B/n)·S², where S² is the (n − 1)-normalised variance of the population.",
        "(1 - batch_size / len(values)) * np.var(values, ddof=1) / batch_size.",
    ],
)


def _digits_rows(n_rows, n_features, seed):
    X, y = load_bundled("digits")
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=n_rows, replace=False)
    X = X[rows][:, rng.choice(64, size=n_features, replace=False)] / 16.0
    return X, (y[rows] - 4.5) / 3.0


def _gd_case(n, d, seed, zero_start=False):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = rng.normal(size=n)
    w0 = np.zeros(d) if zero_start else rng.normal(size=d)
    return {"X": X, "y": y, "w0": w0}


def gradient_descent_limit(X, y, w0):
    """Reference: where GD on ‖Xw − y‖² from w0 converges: X⁺y + (I − X⁺X)w0."""
    pinv = np.linalg.pinv(X)
    return pinv @ y + w0 - pinv @ (X @ w0)


def _ignores_start(X, y, w0):
    return np.linalg.pinv(X) @ y


def _adds_start(X, y, w0):
    return np.linalg.pinv(X) @ y + w0


def _keeps_row_space_part(X, y, w0):
    pinv = np.linalg.pinv(X)
    return pinv @ y + pinv @ (X @ w0)


def _projects_on_columns(X, y, w0):
    pinv = np.linalg.pinv(X)
    return pinv @ y + w0 - X.T @ (X @ w0)


_digits_X, _digits_y = _digits_rows(12, 30, seed=3)

gradient_descent_limit_exercise = Exercise(
    name="gradient_descent_limit",
    reference=gradient_descent_limit,
    cases=[
        Case("a random 5 × 12 problem with a random start (seed 0)", _gd_case(5, 12, 0)),
        Case("12 digits, 30 of their pixels, a random start",
             {"X": _digits_X, "y": _digits_y, "w0": np.random.default_rng(4).normal(size=30)}),
        Case("a random 3 × 8 problem started at w0 = 0 (seed 1)", _gd_case(3, 8, 1, True)),
    ],
    mistakes=[
        Mistake("ignores_start", _ignores_start,
                "this is the minimum-norm solution X⁺y, the limit from w0 = 0 only. Gradient "
                "steps are combinations of the rows of X, so they never change the part of w0 "
                "orthogonal to the row space: that part is still there at the end."),
        Mistake("adds_start", _adds_start,
                "you added all of w0. Its row-space part, P·w0 with P = X⁺X, is corrected by the "
                "steps (the fit must still interpolate); only (I − P)·w0 survives."),
        Mistake("keeps_row_space_part", _keeps_row_space_part,
                "you kept P·w0, the part of w0 *in* the row space. That part is the one the "
                "gradient steps change; the part that survives is (I − P)·w0."),
        Mistake("projects_on_columns", _projects_on_columns,
                "the projection onto the row space is P = X⁺X (pinv(X) @ X), not XᵀX, which is "
                "not a projection unless the rows of X are orthonormal."),
    ],
    hints=[
        "Write each gradient step: w ← w − η·Xᵀ(Xw − y)/n. Which subspace do the steps live in?",
        "Split w0 = P·w0 + (I − P)·w0 with P = X⁺X. The steps never touch (I − P)·w0; the "
        "row-space part ends at X⁺y.",
        "pinv = np.linalg.pinv(X); return pinv @ y + w0 - pinv @ (X @ w0).",
    ],
)
