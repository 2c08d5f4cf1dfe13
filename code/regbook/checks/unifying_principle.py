"""Exercises for chapter 15, "The unifying principle": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake


def _replicate_predictions(seed, n_repeats, n_points=30, spread=2.0, offset=0.5):
    rng = np.random.default_rng(seed)
    f_eval = np.sin(np.linspace(0, 3, n_points))
    predictions = (f_eval + offset * np.cos(np.arange(n_points))
                   + spread * rng.standard_normal((n_repeats, n_points)))
    return {"predictions": predictions, "f_eval": f_eval}


def bias_variance_estimates(predictions, f_eval):
    """Reference: unbiased bias² and variance from B replicate fits, each averaged over points.

    variance = mean over points of the sample variance (divisor B − 1); bias² = mean over points
    of (mean fit − f)² minus variance / B, the part of the squared distance that the
    finite number B of fits adds.
    """
    n_repeats = predictions.shape[0]
    variance = predictions.var(axis=0, ddof=1)
    bias_squared = (predictions.mean(axis=0) - f_eval) ** 2 - variance / n_repeats
    return np.array([bias_squared.mean(), variance.mean()])


def _no_correction(predictions, f_eval):
    variance = predictions.var(axis=0, ddof=1)
    return np.array([((predictions.mean(axis=0) - f_eval) ** 2).mean(), variance.mean()])


def _population_variance(predictions, f_eval):
    n_repeats = predictions.shape[0]
    variance = predictions.var(axis=0)
    bias_squared = (predictions.mean(axis=0) - f_eval) ** 2 - variance / n_repeats
    return np.array([bias_squared.mean(), variance.mean()])


def _correction_added(predictions, f_eval):
    n_repeats = predictions.shape[0]
    variance = predictions.var(axis=0, ddof=1)
    bias_squared = (predictions.mean(axis=0) - f_eval) ** 2 + variance / n_repeats
    return np.array([bias_squared.mean(), variance.mean()])


def _squared_mean_bias(predictions, f_eval):
    n_repeats = predictions.shape[0]
    variance = predictions.var(axis=0, ddof=1)
    bias = predictions.mean(axis=0) - f_eval
    return np.array([bias.mean() ** 2 - variance.mean() / n_repeats, variance.mean()])


def _variance_over_points(predictions, f_eval):
    n_repeats = predictions.shape[0]
    variance = predictions.var(axis=1, ddof=1)
    bias_squared = (predictions.mean(axis=0) - f_eval) ** 2 - variance.mean() / n_repeats
    return np.array([bias_squared.mean(), variance.mean()])


bias_variance_exercise = Exercise(
    name="bias_variance_estimates",
    reference=bias_variance_estimates,
    cases=[
        Case("B = 5 replicate fits at 30 points (seed 0)", _replicate_predictions(0, 5)),
        Case("B = 40 replicate fits at 30 points (seed 1)", _replicate_predictions(1, 40)),
        Case("B = 3 very noisy fits with no systematic offset (seed 2)",
             _replicate_predictions(2, 3, spread=4.0, offset=0.0)),
    ],
    mistakes=[
        Mistake("no_correction", _no_correction,
                "your bias² is the plain squared distance of the mean fit from f. With B fits that "
                "mean still wobbles with variance v/B, which lands in the bias²: subtract "
                "variance / B at each point."),
        Mistake("population_variance", _population_variance,
                "your variance divides by B, which underestimates it. Use the sample variance "
                "predictions.var(axis=0, ddof=1)."),
        Mistake("correction_added", _correction_added,
                "you added variance / B to the bias². The squared distance of the mean fit "
                "already contains it; the correction must be subtracted."),
        Mistake("squared_mean_bias", _squared_mean_bias,
                "you squared the bias after averaging it over the points, so positive and "
                "negative biases cancel. Square at each point, then average."),
        Mistake("variance_over_points", _variance_over_points,
                "your variance runs across the evaluation points of one fit (axis=1). Variance "
                "is the spread across training sets at a fixed point: axis=0."),
    ],
    hints=[
        "Rows of predictions are training sets, columns are evaluation points. Work per point, "
        "average over points at the end.",
        "At each point: variance = sample variance over the rows (ddof=1); the mean fit's "
        "squared distance from f equals bias² + variance / B on average.",
        "v = predictions.var(axis=0, ddof=1); b2 = (predictions.mean(axis=0) - f_eval) ** 2 - v / "
        "len(predictions); return np.array([b2.mean(), v.mean()]).",
    ],
)


def _regression(seed, n, p):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, p))
    return {"X": X, "y": X @ rng.standard_normal(p) / np.sqrt(p) + 0.3 * rng.standard_normal(n)}


def minimum_norm_least_squares(X, y):
    """Reference: the least-squares solution of smallest Euclidean norm, pinv(X) y."""
    return np.linalg.pinv(X) @ y


def _ridge_one(X, y):
    return np.linalg.solve(X.T @ X + np.eye(X.shape[1]), X.T @ y)


def _correlation_only(X, y):
    return X.T @ y


def _null_space_added(X, y):
    w = np.linalg.pinv(X) @ y
    # An interpolating solution that is not the smallest: add a component X cannot see.
    null = np.eye(X.shape[1]) - np.linalg.pinv(X) @ X
    return w + null @ np.ones(X.shape[1])



minimum_norm_exercise = Exercise(
    name="minimum_norm_least_squares",
    reference=minimum_norm_least_squares,
    cases=[
        Case("n = 30 samples, p = 10 features (more samples than features)", _regression(0, 30, 10)),
        Case("n = 20 samples, p = 60 features (more features than samples)", _regression(1, 20, 60)),
        Case("n = 25 samples, p = 25 features (the interpolation threshold)", _regression(2, 25, 25)),
    ],
    mistakes=[
        Mistake("ridge_one", _ridge_one,
                "this is ridge with α = 1. The minimum-norm solution is the limit α → 0 of ridge, "
                "with no penalty left: use the pseudo-inverse."),
        Mistake("correlation_only", _correlation_only,
                "Xᵀy is the gradient direction, not a solution: it ignores how the features "
                "correlate. Solve the least-squares problem."),
        Mistake("null_space_added", _null_space_added,
                "your weights fit the data but are not the smallest that do: when p > n they "
                "carry a component in the null space of X. np.linalg.pinv(X) @ y has none."),
    ],
    hints=[
        "When p > n many weight vectors fit the data exactly; the one gradient descent from zero "
        "finds is the one of smallest norm.",
        "The Moore–Penrose pseudo-inverse gives that solution for every shape of X, also when "
        "XᵀX is singular.",
        "return np.linalg.pinv(X) @ y",
    ],
)
