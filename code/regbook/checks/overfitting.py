"""Exercises for chapter 01, "Why models overfit": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import make_noisy_curve, true_curve
from regbook.polynomial import PolynomialRidge


def _curve_split(seed, n_train=20, n_test=200):
    rng = np.random.default_rng(seed)
    x_train, y_train = make_noisy_curve(n_train, noise=0.3, rng=rng)
    x_test, y_test = make_noisy_curve(n_test, noise=0.3, rng=rng)
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def train_test_mse(x_train, y_train, x_test, y_test, degree):
    """Reference: fit a degree-``degree`` polynomial by least squares; return (train, test) MSE."""
    model = PolynomialRidge(degree=degree, alpha=0.0).fit(x_train[:, None], y_train)
    train_mse = np.mean((model.predict(x_train[:, None]) - y_train) ** 2)
    test_mse = np.mean((model.predict(x_test[:, None]) - y_test) ** 2)
    return train_mse, test_mse


def _swapped(**kw):
    train, test = train_test_mse(**kw)
    return test, train


def _root_mean(**kw):
    return tuple(np.sqrt(train_test_mse(**kw)))


def _sum_of_squares(**kw):
    train, test = train_test_mse(**kw)
    return train * len(kw["y_train"]), test * len(kw["y_test"])


def _fit_on_test(x_train, y_train, x_test, y_test, degree):
    return train_test_mse(x_test, y_test, x_train, y_train, degree)[::-1]


train_test_mse_exercise = Exercise(
    name="train_test_mse",
    reference=train_test_mse,
    cases=[Case(f"degree {d} on the seeded curve data (seed {s})", {**_curve_split(s), "degree": d})
           for d, s in [(1, 0), (3, 1), (8, 2)]],
    mistakes=[
        Mistake("swapped", _swapped, "the two numbers are in the wrong order. Return "
                "(train_mse, test_mse): training error first."),
        Mistake("rmse", _root_mean, "these are root-mean-square errors. The exercise asks for "
                "the mean squared error, without the square root."),
        Mistake("sum", _sum_of_squares, "these are sums of squared errors. Divide by the number "
                "of points to get the mean, so that train and test errors are comparable."),
        Mistake("fit_on_test", _fit_on_test, "the model was fitted to the test data. Fit on "
                "(x_train, y_train) only; the test set must stay unseen until evaluation."),
    ],
    hints=[
        "Fit once, on the training data, then evaluate the same fitted model on both sets.",
        "PolynomialRidge(degree=degree, alpha=0.0).fit(x_train[:, None], y_train) fits the "
        "polynomial; the [:, None] turns the 1-D inputs into the (n, 1) matrix scikit-learn expects.",
        "The MSE on a set is np.mean((model.predict(x[:, None]) - y) ** 2). Return the pair "
        "(train_mse, test_mse).",
    ],
)


def _resampled_predictions(seed, n_repeats=30, n_points=25, degree=6):
    rng = np.random.default_rng(seed)
    x_eval = np.linspace(-0.9, 0.9, n_points)
    predictions = np.empty((n_repeats, n_points))
    for r in range(n_repeats):
        x, y = make_noisy_curve(30, noise=0.3, rng=rng)
        predictions[r] = PolynomialRidge(degree).fit(x[:, None], y).predict(x_eval[:, None])
    return {"predictions": predictions, "f_eval": true_curve(x_eval)}


def variance_term(predictions):
    """Reference: the variance of the fits around their mean, averaged over the points."""
    return np.mean(np.var(predictions, axis=0))


variance_term_exercise = Exercise(
    name="variance_term",
    reference=variance_term,
    cases=[Case(f"30 resampled degree-6 fits (seed {s})",
                {"predictions": _resampled_predictions(s)["predictions"]}) for s in (0, 1)],
    mistakes=[
        Mistake("ddof1", lambda predictions: np.mean(np.var(predictions, axis=0, ddof=1)),
                "you divided by n_repeats - 1. The book's decomposition divides by n_repeats, which "
                "makes bias² + variance add up exactly to the mean squared distance from f."),
        Mistake("wrong_axis", lambda predictions: np.mean(np.var(predictions, axis=1)),
                "you took the variance along the points (axis=1). The variance term measures how "
                "the fits differ across training sets: take it along the repeats, axis=0."),
        Mistake("std", lambda predictions: np.mean(np.std(predictions, axis=0)),
                "that is a standard deviation. The variance term is in squared units: use np.var."),
        Mistake("second_moment", lambda predictions: np.mean(predictions**2),
                "you averaged the squared predictions without centring them. The variance is the "
                "spread around the average fit, predictions.mean(axis=0)."),
    ],
    hints=[
        "Each row of predictions is one fitted model; each column is one evaluation point.",
        "At each point, compute how much the fits vary across training sets (axis=0), then "
        "average those variances over the points.",
        "np.mean(np.var(predictions, axis=0)).",
    ],
)


def bias_squared_term(predictions, f_eval):
    """Reference: squared distance of the average fit from the truth, averaged over the points."""
    return np.mean((predictions.mean(axis=0) - f_eval) ** 2)


bias_squared_term_exercise = Exercise(
    name="bias_squared_term",
    reference=bias_squared_term,
    cases=[Case(f"30 resampled degree-{d} fits (seed {s})", _resampled_predictions(s, degree=d))
           for s, d in ((0, 1), (1, 6))],
    mistakes=[
        Mistake("no_square", lambda predictions, f_eval: np.mean(predictions.mean(axis=0) - f_eval),
                "you averaged the signed differences, so positive and negative errors cancel. "
                "Square them first."),
        Mistake("each_fit", lambda predictions, f_eval: np.mean((predictions - f_eval) ** 2),
                "you compared each fit with f. That is bias² + variance. Average the fits first "
                "(predictions.mean(axis=0)), then compare that average with f."),
        Mistake("square_of_mean", lambda predictions, f_eval: np.mean(predictions.mean(axis=0)
                                                                     - f_eval) ** 2,
                "you squared after averaging over the points. Square at each point, then average."),
    ],
    hints=[
        "Bias is about the average model, not any single one.",
        "The average fit is predictions.mean(axis=0): one value per evaluation point.",
        "np.mean((predictions.mean(axis=0) - f_eval) ** 2).",
    ],
)
