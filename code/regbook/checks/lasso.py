"""Exercises for chapter 03, "L1 / lasso and sparsity": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled

# ---- 1. Soft-thresholding ------------------------------------------------------------------


def soft_threshold(z, threshold):
    """Reference: sign(z) * max(|z| - threshold, 0), elementwise."""
    return np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0)


soft_threshold_exercise = Exercise(
    name="soft_threshold",
    reference=soft_threshold,
    cases=[
        Case("z = [-3, -0.5, 0, 0.4, 2.5] with threshold 1",
             {"z": np.array([-3.0, -0.5, 0.0, 0.4, 2.5]), "threshold": 1.0}),
        Case("50 seeded normal values with threshold 0.7",
             {"z": np.random.default_rng(0).normal(size=50), "threshold": 0.7}),
        Case("z = [-2, 1, 3] with threshold 0 (no shrinkage)",
             {"z": np.array([-2.0, 1.0, 3.0]), "threshold": 0.0}),
    ],
    mistakes=[
        Mistake("no_sign", lambda z, threshold: np.maximum(np.abs(z) - threshold, 0.0),
                "negative inputs came out positive: the sign was lost. Shrink |z| and then put "
                "the sign of z back with np.sign(z)."),
        Mistake("hard", lambda z, threshold: np.where(np.abs(z) > threshold, z, 0.0),
                "this is hard thresholding: small values become 0 but large ones are left "
                "unchanged. Soft thresholding also moves the survivors towards zero by the "
                "threshold."),
        Mistake("no_clip", lambda z, threshold: z - threshold * np.sign(z),
                "values with |z| < threshold crossed over to the other side of zero. After "
                "subtracting the threshold from |z|, clip at 0 with np.maximum(..., 0)."),
        Mistake("one_sided", lambda z, threshold: np.maximum(z - threshold, 0.0),
                "every negative input became 0: max(z - t, 0) only handles the positive side. "
                "Work with |z| and restore the sign, or handle z < -t separately."),
        Mistake("clip_to_threshold", lambda z, threshold: np.clip(z, -threshold, threshold),
                "this clips z into [-t, t], capping large values at the threshold. Soft "
                "thresholding does the opposite: small values (|z| <= t) become 0 and large ones "
                "are shifted towards zero by t."),
    ],
    hints=[
        "Three regions: z > t, |z| <= t and z < -t. What should each return?",
        "Inside [-t, t] the answer is exactly 0; outside, the value moves towards zero by t and "
        "keeps its sign.",
        "np.sign(z) * np.maximum(np.abs(z) - threshold, 0.0).",
    ],
)


# ---- 2. One coordinate update -------------------------------------------------------------

def _update_case(seed, n_samples, n_features, j, alpha, scales):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features)) * np.asarray(scales)
    X -= X.mean(axis=0)
    y = X @ rng.normal(size=n_features) + rng.normal(size=n_samples)
    y -= y.mean()
    w = rng.normal(scale=0.5, size=n_features)
    return {"X": X, "y": y, "w": w, "j": j, "alpha": alpha}


def coordinate_update(X, y, w, j, alpha):
    """Reference: the lasso's exact minimiser over w[j], the other weights held fixed."""
    n_samples = X.shape[0]
    x_j = X[:, j]
    partial_residual = y - X @ w + x_j * w[j]
    rho = x_j @ partial_residual / n_samples
    col_norm = x_j @ x_j / n_samples
    return np.sign(rho) * max(abs(rho) - alpha, 0.0) / col_norm


def _st(z, t):
    return np.sign(z) * max(abs(z) - t, 0.0)


def _no_division(X, y, w, j, alpha):
    x_j = X[:, j]
    return _st(x_j @ (y - X @ w + x_j * w[j]) / X.shape[0], alpha)


def _old_residual(X, y, w, j, alpha):
    x_j = X[:, j]
    return _st(x_j @ (y - X @ w) / X.shape[0], alpha) / (x_j @ x_j / X.shape[0])


def _divide_then_threshold(X, y, w, j, alpha):
    x_j = X[:, j]
    a = x_j @ x_j / X.shape[0]
    return _st(x_j @ (y - X @ w + x_j * w[j]) / X.shape[0] / a, alpha)


def _no_one_over_n(X, y, w, j, alpha):
    x_j = X[:, j]
    return _st(x_j @ (y - X @ w + x_j * w[j]), alpha) / (x_j @ x_j)


coordinate_update_exercise = Exercise(
    name="coordinate_update",
    reference=coordinate_update,
    cases=[
        Case("60 samples, 4 features of different scales, update j = 1 with alpha = 0.3",
             _update_case(0, 60, 4, 1, 0.3, [1.0, 2.0, 0.5, 1.5])),
        Case("40 samples, 5 features, update j = 3 with alpha = 0.1",
             _update_case(1, 40, 5, 3, 0.1, [0.7, 1.0, 3.0, 2.5, 1.0])),
        Case("a large penalty (alpha = 50) that must give exactly 0",
             _update_case(2, 30, 3, 0, 50.0, [1.0, 1.0, 1.0])),
    ],
    mistakes=[
        Mistake("no_division", _no_division,
                "the result was not divided by the column's squared norm over n, x_j·x_j / n. "
                "That factor is 1 only for columns with unit variance."),
        Mistake("old_residual", _old_residual,
                "you used the full residual y - X @ w, which already subtracts feature j's own "
                "contribution. Add x_j * w[j] back: the update needs what is left to explain "
                "without feature j."),
        Mistake("divide_then_threshold", _divide_then_threshold,
                "you divided by x_j·x_j / n before thresholding at alpha. Threshold the numerator "
                "x_j·r / n at alpha first, then divide (or threshold at alpha / a after dividing)."),
        Mistake("no_one_over_n", _no_one_over_n,
                "the 1/n is missing from x_j·r. With the objective (1/2n)||y - Xw||² + alpha||w||₁ "
                "both x_j·r and x_j·x_j are divided by n before the threshold alpha is applied."),
    ],
    hints=[
        "Hold every other weight fixed. What part of y is left for feature j to explain?",
        "The partial residual is y - X @ w + X[:, j] * w[j]. Its correlation with the column, "
        "x_j·r / n, is what gets soft-thresholded at alpha.",
        "rho = x_j @ r / n; return sign(rho) * max(|rho| - alpha, 0) / (x_j @ x_j / n).",
    ],
)


# ---- 3. The smallest penalty that zeroes everything ---------------------------------------

def _alpha_max_case(seed, n_samples):
    X, y = load_bundled("diabetes")
    # Standardised on all patients, then subsampled: the columns of the subsample are not
    # exactly centred, as in any held-out or bootstrap sample.
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    rows = np.random.default_rng(seed).choice(len(y), size=n_samples, replace=False)
    return {"X": X[rows], "y": y[rows].astype(float)}


def _negative_case(seed, n_samples=80):
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=0.3, size=(n_samples, 6))
    y = 5.0 + X[:, 0] - 3.0 * X[:, 2] + rng.normal(size=n_samples)
    return {"X": X, "y": y}


def alpha_max(X, y):
    """Reference: max_j |x_j·(y - mean(y))| / n, the smallest alpha with an all-zero lasso."""
    return np.max(np.abs(X.T @ (y - y.mean()))) / X.shape[0]


alpha_max_exercise = Exercise(
    name="alpha_max",
    reference=alpha_max,
    cases=[Case("80 synthetic samples whose strongest feature is negatively correlated with y",
                _negative_case(3)),
           Case("200 diabetes patients, standardised features (seed 0)", _alpha_max_case(0, 200))],
    mistakes=[
        Mistake("no_centring", lambda X, y: np.max(np.abs(X.T @ y)) / X.shape[0],
                "y was not centred. The intercept is not penalised, so the lasso works with "
                "y - mean(y); its mean contributes nothing here only if every column has mean "
                "exactly 0."),
        Mistake("no_n", lambda X, y: np.max(np.abs(X.T @ (y - y.mean()))),
                "the 1/n is missing: the lasso objective has 1/(2n) in front of the squared "
                "error, so the pull of each feature is x_j·(y - ȳ) / n."),
        Mistake("no_abs", lambda X, y: np.max(X.T @ (y - y.mean())) / X.shape[0],
                "a feature with a strongly negative correlation pulls just as hard as a positive "
                "one: take the absolute value before the maximum."),
        Mistake("mean_instead_of_max", lambda X, y: np.mean(np.abs(X.T @ (y - y.mean())))
                / X.shape[0],
                "you averaged over features. Every weight must stay at zero, so the penalty must "
                "beat the strongest pull: take the maximum."),
    ],
    hints=[
        "At w = 0 the residual is y itself (centred). Each weight stays at zero if its pull "
        "fits inside [-alpha, alpha].",
        "The pull of feature j is x_j·(y - ȳ) / n; alpha must be at least the largest |pull|.",
        "np.max(np.abs(X.T @ (y - y.mean()))) / X.shape[0].",
    ],
)
