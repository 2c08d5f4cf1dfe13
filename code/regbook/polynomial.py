"""Polynomial regression with an optional ridge penalty: chapter 01's flexible model."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from regbook._validation import check_scalar
from regbook.linear import ridge_closed_form


def polynomial_features(X, degree):
    r"""Expand each column of ``X`` into its powers :math:`x, x^2, \dots, x^{\text{degree}}`.

    No interaction terms and no constant column (the intercept is fitted separately). With one
    input column this is the Vandermonde matrix without its first column.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    degree : int
        At least 1.

    Returns
    -------
    ndarray of shape (n_samples, n_features * degree)

    Examples
    --------
    >>> polynomial_features(np.array([[2.0]]), 3)
    array([[2., 4., 8.]])
    """
    degree = check_scalar(degree, "degree", low=1, integer=True)
    X = np.asarray(X, dtype=float)
    powers = np.arange(1, degree + 1)
    return (X[:, :, None] ** powers).reshape(X.shape[0], -1)


class PolynomialRidge(RegressorMixin, BaseEstimator):
    r"""Polynomial regression of a given degree, with a ridge penalty on its coefficients.

    Minimises

    .. math:: \sum_{i=1}^n \big(y_i - b - \phi(x_i)^\top w\big)^2 + \alpha \|w\|_2^2,

    where :math:`\phi(x) = (x, x^2, \dots, x^{d})` for each input column and the intercept
    :math:`b` is not penalised (scikit-learn's ``Ridge(alpha)`` scaling: no :math:`1/n`). The
    penalty acts on the raw monomial coefficients, so inputs should be of order one (the book's
    curves live on :math:`[-1, 1]`).

    Parameters
    ----------
    degree : int, default 3
        Highest power, at least 1.
    alpha : float, default 0.0
        Non-negative penalty strength; 0 gives ordinary least squares (minimum-norm when the
        features are rank deficient).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features_in_ * degree,)
    intercept_ : float
    n_features_in_ : int

    See Also
    --------
    Chapter 01, "Why models overfit"; chapter 02 for ridge itself.

    Examples
    --------
    >>> x = np.linspace(-1, 1, 9)[:, None]
    >>> model = PolynomialRidge(degree=2).fit(x, 1 + x[:, 0] ** 2)
    >>> round(float(model.predict([[0.5]])[0]), 6)
    1.25
    """

    def __init__(self, degree=3, alpha=0.0):
        self.degree = degree
        self.alpha = alpha

    def fit(self, X, y):
        """Fit the coefficients by the closed-form ridge solve; returns ``self``."""
        check_scalar(self.degree, "degree", low=1, integer=True)
        alpha = check_scalar(self.alpha, "alpha", low=0.0)
        X, y = validate_data(self, X, y, y_numeric=True)
        features = polynomial_features(X, self.degree)
        feature_mean = features.mean(axis=0)
        y_mean = y.mean()
        self.coef_ = ridge_closed_form(features - feature_mean, y - y_mean, alpha)
        self.intercept_ = float(y_mean - feature_mean @ self.coef_)
        return self

    def predict(self, X):
        """Evaluate the fitted polynomial at ``X``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return polynomial_features(X, self.degree) @ self.coef_ + self.intercept_


EXPLORER_DEGREES = [1, 2, 3, 4, 6, 9, 12, 15]
EXPLORER_ALPHAS = [0.0, 1e-4, 1e-2, 1.0]


def make_train_test_curves(n_train=20, n_test=500, noise=0.3, seed=0):
    """The chapter's fixed data: a small noisy training set and a large test set from one curve."""
    rng = np.random.default_rng(seed)
    from regbook.datasets import make_noisy_curve

    x_train, y_train = make_noisy_curve(n_train, noise=noise, rng=rng)
    x_test, y_test = make_noisy_curve(n_test, noise=noise, rng=rng)
    return x_train, y_train, x_test, y_test


def degree_penalty_compute(degree, alpha, data, degrees=EXPLORER_DEGREES):
    """Explorer ``compute``: the fit of one (degree, alpha) and train/test MSE for every degree."""
    x_train, y_train, x_test, y_test = data
    grid = np.linspace(-1, 1, 200)
    errors = []
    for d in degrees:
        model = PolynomialRidge(d, alpha).fit(x_train[:, None], y_train)
        errors.append((np.mean((model.predict(x_train[:, None]) - y_train) ** 2),
                       np.mean((model.predict(x_test[:, None]) - y_test) ** 2)))
    model = PolynomialRidge(degree, alpha).fit(x_train[:, None], y_train)
    errors = np.array(errors)
    return {
        "degree": degree, "alpha": alpha, "degrees": list(degrees), "data": data, "grid": grid,
        "curve": model.predict(grid[:, None]),
        "train_mse": float(np.mean((model.predict(x_train[:, None]) - y_train) ** 2)),
        "test_mse": float(np.mean((model.predict(x_test[:, None]) - y_test) ** 2)),
        "train_curve": errors[:, 0], "test_curve": errors[:, 1],
    }


def degree_penalty_draw(result, axes):
    """Explorer ``draw``: the fitted curve on the data, and the error curves against degree."""
    import matplotlib.ticker as mticker

    from regbook.datasets import true_curve
    from regbook.plotting import ROLE

    x_train, y_train, x_test, y_test = result["data"]
    left, right = axes
    left.scatter(x_test, y_test, s=6, color=ROLE["test"], alpha=0.25, label="test points")
    left.scatter(x_train, y_train, s=22, color=ROLE["train"], zorder=3, label="training points")
    left.plot(result["grid"], true_curve(result["grid"]), color=ROLE["truth"], ls="--", lw=1.2,
              label="true curve")
    left.plot(result["grid"], result["curve"], color=ROLE["fit"], lw=2, label="fitted polynomial")
    left.set_ylim(-2.5, 2.5)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title(f"degree {result['degree']}, α = {result['alpha']:g}")
    left.legend(loc="lower right", fontsize=7)
    right.semilogy(result["degrees"], result["train_curve"], "o-", color=ROLE["train"],
                   label="train MSE")
    right.semilogy(result["degrees"], result["test_curve"], "s--", color=ROLE["test"],
                   label="test MSE")
    right.axvline(result["degree"], color="#555555", lw=1, ls=":")
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    right.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    right.minorticks_off()
    right.set_xlabel("polynomial degree")
    right.set_ylabel("mean squared error")
    right.set_title("error against degree")
    right.legend(fontsize=7)


def degree_penalty_alt(result, degree, alpha):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"Degree {degree} polynomial with penalty α = {alpha:g}: training MSE "
            f"{result['train_mse']:.3f}, test MSE {result['test_mse']:.3f}.")


def degree_penalty_explorer(seed=0):
    """The chapter 01 explorer over polynomial degree and ridge penalty α."""
    from functools import partial

    from regbook.explore import Explorer, Param

    data = make_train_test_curves(seed=seed)
    return Explorer(
        partial(degree_penalty_compute, data=data), degree_penalty_draw,
        [Param("degree", EXPLORER_DEGREES, label="polynomial degree", fmt="{:d}", initial=9),
         Param("alpha", EXPLORER_ALPHAS, label="penalty α", initial=0.0)],
        alt=degree_penalty_alt, title="Polynomial degree and penalty")
