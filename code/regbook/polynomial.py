"""Polynomial regression with an optional ridge penalty: chapter 01's flexible model."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from regbook._validation import check_finite_array, check_scalar
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
    X = check_finite_array(X, "X", ndim=2)
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

