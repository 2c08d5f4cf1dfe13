"""Choosing the penalty strength: K-fold cross-validation, the one-standard-error rule, and the
conversion from the two-penalty elastic net to scikit-learn's ``(alpha, l1_ratio)``.

Every function takes plain arrays and any estimator that follows scikit-learn's contract
(``regbook.linear`` or ``sklearn.linear_model``), so the same code chooses ``alpha`` for ridge,
lasso and elastic net.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.base import clone

from regbook._validation import (check_finite_array, check_linear_problem,
                                 check_random_state, check_scalar)

__all__ = [
    "CVCurve",
    "cross_validation_curve",
    "elastic_net_parameters",
    "kfold_indices",
    "one_standard_error_rule",
]

_DATA_TERMS = ("mse", "half_mse", "sum")


@dataclass(frozen=True)
class CVCurve:
    """The result of :func:`cross_validation_curve`.

    Attributes
    ----------
    alphas : ndarray of shape (n_alphas,)
        The penalty strengths, in the order given.
    mean : ndarray of shape (n_alphas,)
        Cross-validated mean squared error: the average of the ``n_splits`` fold errors.
    standard_error : ndarray of shape (n_alphas,)
        Standard error of that average: the fold errors' standard deviation (``ddof=1``)
        divided by :math:`\\sqrt{K}`.
    fold_errors : ndarray of shape (n_alphas, n_splits)
        Mean squared error on each held-out fold.
    """

    alphas: np.ndarray
    mean: np.ndarray
    standard_error: np.ndarray
    fold_errors: np.ndarray


def kfold_indices(n_samples, n_splits=5, rng=None):
    r"""Shuffled K-fold split: ``n_splits`` pairs ``(train_index, test_index)``.

    The indices :math:`0, \dots, n-1` are shuffled once and cut into :math:`K` folds
    :math:`F_1, \dots, F_K` of sizes differing by at most one. Split :math:`k` holds out
    :math:`F_k` and trains on the rest, so every sample is held out exactly once.

    Parameters
    ----------
    n_samples : int
        Number of samples :math:`n`, at least ``n_splits``.
    n_splits : int, default=5
        Number of folds :math:`K`, at least 2.
    rng : int, None or numpy.random.Generator
        Seed or generator for the shuffle.

    Returns
    -------
    folds : list of (ndarray, ndarray)
        Integer index arrays; the list can be passed as ``cv=`` to scikit-learn's
        ``cross_val_score`` to reuse exactly the same folds.

    See Also
    --------
    Chapter 04, "Elastic net and choosing α".

    Examples
    --------
    >>> folds = kfold_indices(10, n_splits=3, rng=0)
    >>> [len(test) for _, test in folds]
    [4, 3, 3]
    >>> sorted(np.concatenate([test for _, test in folds]).tolist()) == list(range(10))
    True
    """
    n_splits = check_scalar(n_splits, "n_splits", low=2, integer=True)
    n_samples = check_scalar(n_samples, "n_samples", low=n_splits, integer=True)
    order = check_random_state(rng).permutation(n_samples)
    held_out = np.array_split(order, n_splits)
    return [(np.sort(np.concatenate(held_out[:k] + held_out[k + 1:])), np.sort(test))
            for k, test in enumerate(held_out)]


def cross_validation_curve(estimator, X, y, alphas, *, n_splits=5, rng=None, param="alpha"):
    r"""K-fold cross-validated mean squared error, with its standard error, for each ``alpha``.

    With folds :math:`F_1, \dots, F_K` from :func:`kfold_indices` and :math:`\hat w^{(-k)}_\alpha`
    the model fitted with penalty :math:`\alpha` on every fold but :math:`F_k`,

    .. math::

        e_k(\alpha) &= \frac{1}{|F_k|} \sum_{i \in F_k}
                       \big(y_i - \hat y^{(-k)}_\alpha(x_i)\big)^2 ,\\
        \mathrm{CV}(\alpha) &= \frac1K \sum_{k=1}^K e_k(\alpha), \qquad
        \mathrm{SE}(\alpha) = \frac{\operatorname{sd}\big(e_1(\alpha), \dots, e_K(\alpha)\big)}
                                   {\sqrt K} ,

    where sd uses the :math:`K - 1` denominator. The same folds are used for every
    :math:`\alpha`, so the curve compares penalties on equal terms. ``CV`` is the plain
    average of the fold errors, as in scikit-learn's ``cross_val_score``.

    Parameters
    ----------
    estimator : scikit-learn compatible regressor
        Cloned for each fit; ``param`` is set to each value of ``alphas``.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alphas : array-like of shape (n_alphas,)
        Values of ``param`` to try, non-negative.
    n_splits : int, default=5
        Number of folds :math:`K`, at least 2.
    rng : int, None or numpy.random.Generator
        Seed or generator for the fold shuffle.
    param : str, default="alpha"
        Name of the estimator parameter that ``alphas`` sets.

    Returns
    -------
    CVCurve
        ``alphas``, ``mean``, ``standard_error`` and ``fold_errors``.

    See Also
    --------
    one_standard_error_rule : pick ``alpha`` from the curve.
    Chapter 04, "Elastic net and choosing α".

    Examples
    --------
    >>> from regbook.linear import Lasso
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(60, 4))
    >>> y = X @ np.array([2.0, 0.0, 0.0, -1.0]) + 0.5 * rng.normal(size=60)
    >>> curve = cross_validation_curve(Lasso(), X, y, [0.01, 0.1, 10.0], n_splits=5, rng=0)
    >>> int(np.argmin(curve.mean)) < 2, curve.fold_errors.shape
    (True, (3, 5))
    """
    _, X, y = check_linear_problem(None, X, y)
    alphas = _check_alphas(alphas)
    if not isinstance(param, str) or param not in estimator.get_params():
        raise ValueError(f"param must name a parameter of {type(estimator).__name__}, "
                         f"got {param!r}")
    n_splits = check_scalar(n_splits, "n_splits", low=2, high=len(y), integer=True)
    folds = kfold_indices(len(y), n_splits, rng)
    fold_errors = np.empty((alphas.size, len(folds)))
    for i, alpha in enumerate(alphas):
        model = clone(estimator).set_params(**{param: float(alpha)})
        for k, (train, test) in enumerate(folds):
            y_hat = model.fit(X[train], y[train]).predict(X[test])
            fold_errors[i, k] = np.mean((y[test] - y_hat) ** 2)
    mean = fold_errors.mean(axis=1)
    standard_error = fold_errors.std(axis=1, ddof=1) / np.sqrt(len(folds))
    return CVCurve(alphas, mean, standard_error, fold_errors)


def one_standard_error_rule(alphas, mean, standard_error):
    r"""The largest penalty whose CV error is within one standard error of the minimum.

    .. math::

        \alpha^\star = \operatorname*{arg\,min}_\alpha \mathrm{CV}(\alpha), \qquad
        \alpha_{1\mathrm{SE}} = \max\{\alpha : \mathrm{CV}(\alpha) \le
        \mathrm{CV}(\alpha^\star) + \mathrm{SE}(\alpha^\star)\} .

    A larger penalty means a simpler model, so this picks the simplest model that the
    cross-validation cannot tell apart from the best one (Hastie, Tibshirani & Friedman 2009,
    section 7.10). The threshold uses the standard error *at the minimum*.

    Parameters
    ----------
    alphas : array-like of shape (n_alphas,)
        Penalty strengths, non-negative, in any order.
    mean : array-like of shape (n_alphas,)
        Cross-validated error for each ``alpha``.
    standard_error : array-like of shape (n_alphas,)
        Its standard error, non-negative.

    Returns
    -------
    alpha : float
        :math:`\alpha_{1\mathrm{SE}}`, always at least :math:`\alpha^\star`.

    See Also
    --------
    cross_validation_curve : computes ``mean`` and ``standard_error``.
    Chapter 04, "Elastic net and choosing α".

    Examples
    --------
    >>> one_standard_error_rule([0.01, 0.1, 1.0, 10.0], [3.0, 2.0, 2.3, 5.0],
    ...                         [0.2, 0.4, 0.3, 0.5])
    1.0
    """
    alphas = _check_alphas(alphas)
    mean = check_finite_array(mean, "mean", ndim=1)
    standard_error = check_finite_array(standard_error, "standard_error", ndim=1)
    if not (alphas.shape == mean.shape == standard_error.shape):
        raise ValueError(f"alphas, mean and standard_error must have the same length, got "
                         f"{alphas.size}, {mean.size} and {standard_error.size}")
    if np.any(standard_error < 0):
        raise ValueError(f"standard_error must be in [0.0, inf), got "
                         f"{float(standard_error.min())!r}")
    best = int(np.argmin(mean))
    within = mean <= mean[best] + standard_error[best]
    return float(alphas[within].max())


def elastic_net_parameters(l1_penalty, l2_penalty, *, data_term="mse", n_samples=None):
    r"""Convert a two-penalty elastic net :math:`\alpha_1\|w\|_1 + \alpha_2\|w\|_2^2` to
    scikit-learn's ``(alpha, l1_ratio)``.

    scikit-learn's ``ElasticNet(alpha, l1_ratio)`` (and :class:`regbook.linear.ElasticNet`)
    minimises, with :math:`\rho` = ``l1_ratio``,

    .. math::

        \frac{1}{2n}\|y - Xw\|_2^2 + \alpha\rho\|w\|_1 + \frac{\alpha(1-\rho)}{2}\|w\|_2^2 .

    The two-penalty form :math:`D(w) + \alpha_1\|w\|_1 + \alpha_2\|w\|_2^2` has the same
    minimiser when, with :math:`c` the factor that turns the data term :math:`D` into
    :math:`\frac{1}{2n}\|y - Xw\|^2`,

    .. math::

        \alpha = c\,(\alpha_1 + 2\alpha_2), \qquad \rho = \frac{\alpha_1}{\alpha_1 + 2\alpha_2},

    where :math:`c = 1/2` for :math:`D = \frac1n\|y - Xw\|^2` (``"mse"``), :math:`c = 1` for
    :math:`D = \frac{1}{2n}\|y - Xw\|^2` (``"half_mse"``) and :math:`c = 1/(2n)` for
    :math:`D = \|y - Xw\|^2` (``"sum"``). The mixing :math:`\rho` never depends on the scaling.

    Parameters
    ----------
    l1_penalty : float
        :math:`\alpha_1 \ge 0`.
    l2_penalty : float
        :math:`\alpha_2 \ge 0`.
    data_term : {"mse", "half_mse", "sum"}, default="mse"
        How the squared error is scaled in the two-penalty objective.
    n_samples : int, optional
        Number of samples :math:`n`; required only for ``data_term="sum"``.

    Returns
    -------
    alpha, l1_ratio : float
        ``l1_ratio`` is 1.0 when both penalties are zero (then ``alpha`` is 0 and the ratio has
        no effect).

    See Also
    --------
    Chapter 04, "Elastic net and choosing α" (the conversion, verified numerically).

    Examples
    --------
    >>> elastic_net_parameters(0.2, 0.4)
    (0.5, 0.2)
    >>> elastic_net_parameters(0.2, 0.4, data_term="half_mse")
    (1.0, 0.2)
    """
    l1_penalty = check_scalar(l1_penalty, "l1_penalty", low=0.0)
    l2_penalty = check_scalar(l2_penalty, "l2_penalty", low=0.0)
    if data_term not in _DATA_TERMS:
        raise ValueError(f"data_term must be one of {_DATA_TERMS}, got {data_term!r}")
    if data_term == "sum":
        if n_samples is None:
            raise ValueError("n_samples must be given when data_term='sum', got None")
        scale = 1.0 / (2 * check_scalar(n_samples, "n_samples", low=1, integer=True))
    else:
        scale = 0.5 if data_term == "mse" else 1.0
    total = l1_penalty + 2.0 * l2_penalty
    if total == 0.0:
        return 0.0, 1.0
    return scale * total, l1_penalty / total


def _check_alphas(alphas):
    alphas = check_finite_array(alphas, "alphas", ndim=1)
    if np.any(alphas < 0):
        raise ValueError(f"alphas must be in [0.0, inf), got {float(alphas.min())!r}")
    return alphas
