"""Penalised linear models: ridge, lasso and elastic net.

The objectives and parameter names are exactly scikit-learn's, so that a reader can move
between ``regbook.linear`` and ``sklearn.linear_model`` without converting anything:

* ridge: ``||y - Xw||^2 + alpha * ||w||^2`` (no 1/n);
* lasso and elastic net: ``(1 / (2 n)) * ||y - Xw||^2 + alpha * penalty``.

See chapter 02 for the conversions between these scalings and the MSE and torch conventions.

The solvers are our own: a Cholesky (or SVD) solve for ridge and cyclic coordinate descent
with soft-thresholding for the lasso and the elastic net. scikit-learn is used only for its
public input-validation helpers and base classes.
"""

import warnings

import numpy as np
from scipy import linalg, sparse
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from regbook._validation import check_finite_array, check_linear_problem, check_scalar

try:
    from regbook import _coordinate_descent
except ImportError as exc:  # no slow fallback: it would hide a broken build behind 10x slower fits
    raise ImportError(
        "regbook's compiled solver regbook._coordinate_descent is missing or does not load "
        f"({exc}). Build it: run `make` in the repository, or "
        "`python -m pip install --no-deps -e .` there.") from exc

__all__ = [
    "ElasticNet",
    "Lasso",
    "Ridge",
    "coordinate_descent_sweep",
    "regularization_path",
    "ridge_closed_form",
    "soft_threshold",
]

# Below this reciprocal condition number the Cholesky solve could lose more than ~8 digits,
# so the ridge solve switches to the SVD.
_MIN_RCOND = 1e-8


def ridge_closed_form(X, y, alpha):
    r"""Solve ridge regression without an intercept, in closed form.

    Minimises :math:`\|y - Xw\|_2^2 + \alpha \|w\|_2^2`, whose solution is
    :math:`w = (X^\top X + \alpha I)^{-1} X^\top y`. The solve goes through the thin SVD
    :math:`X = U D V^\top`, giving :math:`w = V \,\mathrm{diag}(d_i / (d_i^2 + \alpha))\, U^\top y`,
    so no matrix is ever inverted and ``alpha = 0`` returns the minimum-norm least-squares
    solution even when :math:`X^\top X` is singular.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alpha : float
        Non-negative, finite penalty strength (scikit-learn's ``Ridge(alpha)`` scaling).

    Returns
    -------
    w : ndarray of shape (n_features,)

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> ridge_closed_form(X, np.array([1.0, 2.0, 3.0]), alpha=0.0).round(6)
    array([1., 2.])
    """
    _, X, y = check_linear_problem(None, X, y)
    alpha = check_scalar(alpha, "alpha", low=0.0)
    U, d, Vt = np.linalg.svd(X, full_matrices=False)
    # Singular values below the rank tolerance are treated as exact zeros, as lstsq does.
    keep = d > d.max(initial=0.0) * max(X.shape) * np.finfo(float).eps
    shrink = np.zeros_like(d)
    shrink[keep] = d[keep] / (d[keep] ** 2 + alpha)
    return Vt.T @ (shrink * (U.T @ y))


def soft_threshold(z, threshold):
    r"""Soft-thresholding operator, the proximal map of the L1 norm.

    .. math::

        S(z, t) = \operatorname{sign}(z)\, \max(|z| - t, 0)
                = \begin{cases} z - t & z > t \\ 0 & |z| \le t \\ z + t & z < -t \end{cases}

    It moves ``z`` towards zero by ``t`` and stops at zero: this is where the lasso's exact
    zeros come from.

    Parameters
    ----------
    z : float or array-like
        Value(s) to shrink.
    threshold : float
        Non-negative, finite amount of shrinkage ``t``.

    Returns
    -------
    float or ndarray
        A float for scalar ``z``, else an array of the same shape as ``z``.

    See Also
    --------
    Chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> soft_threshold(3.0, 1.0)
    2.0
    >>> soft_threshold(np.array([-3.0, -0.5, 0.5, 2.0]), 1.0)
    array([-2.,  0.,  0.,  1.])
    """
    threshold = check_scalar(threshold, "threshold", low=0.0)
    z = check_finite_array(z, "z")
    # Written as two one-sided shrinkages so that the zeros are +0.0, never -0.0.
    shrunk = np.maximum(z - threshold, 0.0) - np.maximum(-z - threshold, 0.0)
    return float(shrunk) if shrunk.ndim == 0 else shrunk


def coordinate_descent_sweep(X, y, w, alpha, l1_ratio=1.0):
    r"""One cyclic sweep of coordinate descent for the lasso / elastic net (readable version).

    For the objective :math:`\frac{1}{2n}\|y - Xw\|_2^2 + \alpha\rho\|w\|_1
    + \frac{\alpha(1-\rho)}{2}\|w\|_2^2` (with :math:`\rho` = ``l1_ratio``), each coordinate
    :math:`j = 1, \dots, p` in turn is set to its exact minimiser, the others held fixed:

    .. math::

        r^{(j)} &= y - Xw + x_j w_j \qquad \text{(partial residual: leave feature } j
        \text{ out)} \\
        w_j &\leftarrow \frac{S\big(x_j^\top r^{(j)} / n,\; \alpha\rho\big)}
                           {x_j^\top x_j / n + \alpha(1-\rho)}

    where :math:`S` is :func:`soft_threshold`. The fast solver inside :class:`Lasso` and
    :class:`ElasticNet` does the same updates in compiled code, keeping the residual up to date
    (or reading :math:`x_j^\top r^{(j)}` from the Gram matrix :math:`X^\top X` on a path).

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
        Centred data (or data for a model without intercept).
    y : ndarray of shape (n_samples,)
    w : ndarray of shape (n_features,)
        Coefficients before the sweep (not modified).
    alpha : float
        Non-negative penalty strength.
    l1_ratio : float, default=1.0
        Share :math:`\rho` of the L1 penalty; ``1.0`` is the lasso.

    Returns
    -------
    w : ndarray of shape (n_features,)
        Coefficients after one sweep.

    See Also
    --------
    Chapter 03, "L1 / lasso and sparsity" (coordinate descent).

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    >>> y = np.array([2.0, 1.0, -2.0, -1.0])
    >>> coordinate_descent_sweep(X, y, np.zeros(2), alpha=0.5)
    array([1., 0.])
    """
    alpha = check_scalar(alpha, "alpha", low=0.0)
    l1_ratio = check_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)
    w, X, y = check_linear_problem(w, X, y)
    w = w.copy()
    n_samples = X.shape[0]
    residual = y - X @ w
    for j in range(X.shape[1]):
        x_j = X[:, j]
        col_norm = x_j @ x_j / n_samples
        if col_norm == 0.0:
            continue  # a column of zeros cannot explain anything
        residual += x_j * w[j]
        rho = x_j @ residual / n_samples
        w[j] = soft_threshold(rho, alpha * l1_ratio) / (col_norm + alpha * (1 - l1_ratio))
        residual -= x_j * w[j]
    return w


def regularization_path(X, y, alphas, *, model="lasso", l1_ratio=0.5, fit_intercept=True,
                        max_iter=1000, tol=1e-4):
    r"""Coefficients of ridge, lasso or elastic net for each penalty strength in ``alphas``.

    For each :math:`\alpha` in the grid, solve the model's objective (exactly scikit-learn's,
    see :class:`Ridge`, :class:`Lasso`, :class:`ElasticNet`). The lasso and elastic net are
    solved from the largest :math:`\alpha` to the smallest, each fit starting from the previous
    solution (a *warm start*), so the whole path costs little more than one fit. Ridge has a
    closed form for each :math:`\alpha` (:func:`ridge_closed_form`), so it needs no warm start.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    alphas : array-like of shape (n_alphas,)
        Non-negative penalty strengths, in any order.
    model : {"lasso", "ridge", "elasticnet"}, default="lasso"
    l1_ratio : float, default=0.5
        Share of the L1 penalty, used only by ``model="elasticnet"``.
    fit_intercept : bool, default=True
        Centre ``X`` and ``y`` first (the intercept is not penalised).
    max_iter, tol : int, float, default=1000, 1e-4
        Coordinate-descent settings for each ``alpha``, as in :class:`Lasso`.

    Returns
    -------
    coefs : ndarray of shape (n_alphas, n_features)
        ``coefs[i]`` holds the coefficients for ``alphas[i]``.

    See Also
    --------
    Chapter 04, "Elastic net and choosing α" (regularization paths).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(40, 3))
    >>> y = X @ np.array([2.0, 0.0, -1.0]) + 0.1 * rng.normal(size=40)
    >>> coefs = regularization_path(X, y, [10.0, 1.0, 0.01], model="lasso")
    >>> (coefs != 0).sum(axis=1)
    array([0, 1, 3])
    """
    if model not in ("lasso", "ridge", "elasticnet"):
        raise ValueError(f"model must be 'lasso', 'ridge' or 'elasticnet', got {model!r}")
    alphas = check_finite_array(alphas, "alphas", ndim=1)
    if np.any(alphas < 0):
        raise ValueError(f"alphas must be in [0.0, inf), got {float(alphas.min())!r}")
    if model == "elasticnet":
        l1_ratio = check_scalar(l1_ratio, "l1_ratio", low=0.0, high=1.0)
    else:
        l1_ratio = 1.0  # the lasso; ridge does not use it
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    tol = check_scalar(tol, "tol", low=0.0)
    X = check_finite_array(X, "X", ndim=2)
    y = check_finite_array(y, "y", ndim=1)
    _check_same_length(X, y)
    X, y, _, _ = _center(X, y, _check_bool(fit_intercept, "fit_intercept"))

    coefs = np.empty((alphas.size, X.shape[1]))
    if model == "ridge":
        for i, alpha in enumerate(alphas):
            coefs[i] = ridge_closed_form(X, y, alpha)
        return coefs
    problem = _least_squares_problem(X, y, gram=X.shape[0] > X.shape[1])
    w = np.zeros(X.shape[1])
    for i in np.argsort(-alphas, kind="stable"):
        w, _, _ = _solve_elastic_net(problem, X.shape[0], alphas[i], l1_ratio, w, max_iter, tol)
        coefs[i] = w
    return coefs


# --------------------------------------------------------------------------------------------
# Estimators
# --------------------------------------------------------------------------------------------

class _PenalisedLinearModel(RegressorMixin, BaseEstimator):
    """Shared validation and prediction; subclasses set ``coef_`` and ``intercept_`` in fit."""

    def _validate_training_data(self, X, y):
        # X and y are checked separately so that each message names its own parameter.
        _check_numeric(X, "X")
        _check_numeric(y, "y")
        X, y = validate_data(self, X, y, validate_separately=(
            {"dtype": np.float64, "ensure_min_samples": 0},
            {"dtype": np.float64, "ensure_2d": False, "ensure_min_samples": 0}))
        if X.shape[0] == 0:
            raise ValueError(f"X must contain at least one sample, got shape {X.shape}")
        y = column_or_1d(y, warn=True)
        _check_same_length(X, y)
        return X, y

    def _set_intercept(self, X_offset, y_offset):
        self.intercept_ = float(y_offset - X_offset @ self.coef_)

    def predict(self, X):
        """Predict with the fitted linear model, ``X @ coef_ + intercept_``.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        y_hat : ndarray of shape (n_samples,)
        """
        check_is_fitted(self)
        _check_numeric(X, "X")
        X = validate_data(self, X, dtype=np.float64, reset=False)
        return X @ self.coef_ + self.intercept_


class Ridge(_PenalisedLinearModel):
    r"""Ridge regression (L2 penalty), solved in closed form.

    Minimises scikit-learn's ridge objective (note: no :math:`1/n` in front of the loss)

    .. math::

        \|y - Xw - b\|_2^2 + \alpha \|w\|_2^2 ,

    with the intercept :math:`b` not penalised. The solution
    :math:`w = (X^\top X + \alpha I)^{-1} X^\top y` (on centred data) is computed by a Cholesky
    solve of :math:`(X^\top X + \alpha I)\, w = X^\top y`, or of the dual
    :math:`(X X^\top + \alpha I)\, v = y,\; w = X^\top v` when there are more features than
    samples. No matrix is inverted. If that system is singular or badly conditioned (e.g.
    ``alpha=0`` with collinear columns), the SVD solve :func:`ridge_closed_form` is used
    instead, which returns the minimum-norm solution.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, in ``[0, inf)``. ``alpha=0`` is ordinary least squares.
    fit_intercept : bool, default=True
        Fit an unpenalised intercept by centring ``X`` and ``y``.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights :math:`w`.
    intercept_ : float
        The intercept :math:`b` (``0.0`` when ``fit_intercept=False``).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, set only when ``X`` is a DataFrame with string column names.

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".
    sklearn.linear_model.Ridge : same objective and parameter names.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ np.array([1.5, 0.0, -2.0]) + 0.1 * rng.normal(size=50)
    >>> Ridge(alpha=1.0).fit(X, y).coef_.round(2)
    array([ 1.48, -0.01, -1.93])
    """

    def __init__(self, alpha=1.0, fit_intercept=True):
        self.alpha = alpha
        self.fit_intercept = fit_intercept

    def fit(self, X, y):
        """Fit the model to ``X`` (n_samples, n_features) and ``y`` (n_samples,); return self."""
        alpha = check_scalar(self.alpha, "alpha", low=0.0)
        fit_intercept = _check_bool(self.fit_intercept, "fit_intercept")
        X, y = self._validate_training_data(X, y)
        X, y, X_offset, y_offset = _center(X, y, fit_intercept)
        self.coef_ = _ridge_cholesky(X, y, alpha)
        self._set_intercept(X_offset, y_offset)
        return self


class ElasticNet(_PenalisedLinearModel):
    r"""Elastic net (L1 + L2 penalties), solved by cyclic coordinate descent.

    Minimises scikit-learn's elastic-net objective, with :math:`\rho` = ``l1_ratio``,

    .. math::

        \frac{1}{2n}\|y - Xw - b\|_2^2 + \alpha\rho\|w\|_1
        + \frac{\alpha(1-\rho)}{2}\|w\|_2^2 ,

    with the intercept :math:`b` not penalised. Each sweep updates every coordinate in turn by
    soft-thresholding (:func:`coordinate_descent_sweep` shows one sweep written plainly;
    Friedman, Hastie & Tibshirani 2010), in compiled code. It stops when the duality gap falls
    below ``tol * ||y||^2`` in scikit-learn's units, checked whenever the largest coefficient
    change of a sweep is below ``tol`` times the largest coefficient.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, in ``[0, inf)``.
    l1_ratio : float, default=0.5
        Share :math:`\rho` of the L1 penalty, in ``[0, 1]``: 1 is the lasso, and 0 is ridge in a
        different scaling: ``ElasticNet(alpha=a, l1_ratio=0)`` equals ``Ridge(alpha=n * a)``.
    fit_intercept : bool, default=True
        Fit an unpenalised intercept by centring ``X`` and ``y``.
    max_iter : int, default=1000
        Maximum number of coordinate-descent sweeps.
    tol : float, default=1e-4
        Tolerance on the duality gap, relative to ``||y||^2`` (as in scikit-learn).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights :math:`w`.
    intercept_ : float
        The intercept :math:`b` (``0.0`` when ``fit_intercept=False``).
    n_iter_ : int
        Number of sweeps run.
    dual_gap_ : float
        Duality gap at the end, in the units of the objective above (as scikit-learn's).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, set only when ``X`` is a DataFrame with string column names.

    Warns
    -----
    sklearn.exceptions.ConvergenceWarning
        If the duality gap is still above the tolerance after ``max_iter`` sweeps.

    See Also
    --------
    Chapter 04, "Elastic net and choosing α".
    Lasso : the special case ``l1_ratio=1``.
    sklearn.linear_model.ElasticNet : same objective and parameter names.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ np.array([1.5, 0.0, -2.0]) + 0.1 * rng.normal(size=50)
    >>> ElasticNet(alpha=0.1, l1_ratio=0.5).fit(X, y).coef_.round(2)
    array([ 1.39,  0.  , -1.77])
    """

    def __init__(self, alpha=1.0, l1_ratio=0.5, fit_intercept=True, max_iter=1000, tol=1e-4):
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def _checked_l1_ratio(self):
        return check_scalar(self.l1_ratio, "l1_ratio", low=0.0, high=1.0)

    def fit(self, X, y):
        """Fit the model to ``X`` (n_samples, n_features) and ``y`` (n_samples,); return self."""
        alpha = check_scalar(self.alpha, "alpha", low=0.0)
        l1_ratio = self._checked_l1_ratio()
        max_iter = check_scalar(self.max_iter, "max_iter", low=1, integer=True)
        tol = check_scalar(self.tol, "tol", low=0.0)
        fit_intercept = _check_bool(self.fit_intercept, "fit_intercept")
        X, y = self._validate_training_data(X, y)
        X, y, X_offset, y_offset = _center(X, y, fit_intercept)
        problem = _least_squares_problem(X, y, gram=False)
        self.coef_, gap, self.n_iter_ = _solve_elastic_net(
            problem, X.shape[0], alpha, l1_ratio, np.zeros(X.shape[1]), max_iter, tol)
        self.dual_gap_ = gap / X.shape[0]
        self._set_intercept(X_offset, y_offset)
        return self


class Lasso(ElasticNet):
    r"""Lasso (L1 penalty), solved by cyclic coordinate descent.

    Minimises scikit-learn's lasso objective

    .. math::

        \frac{1}{2n}\|y - Xw - b\|_2^2 + \alpha\|w\|_1 ,

    with the intercept :math:`b` not penalised. This is :class:`ElasticNet` with
    ``l1_ratio=1``; the same solver and stopping rule are used. Coefficients that the
    soft-threshold sends to zero are exactly ``0.0``.

    Parameters
    ----------
    alpha : float, default=1.0
        Penalty strength, in ``[0, inf)``.
    fit_intercept : bool, default=True
        Fit an unpenalised intercept by centring ``X`` and ``y``.
    max_iter : int, default=1000
        Maximum number of coordinate-descent sweeps.
    tol : float, default=1e-4
        Tolerance on the duality gap, relative to ``||y||^2`` (as in scikit-learn).

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights :math:`w`, with exact zeros.
    intercept_ : float
        The intercept :math:`b` (``0.0`` when ``fit_intercept=False``).
    n_iter_ : int
        Number of sweeps run.
    dual_gap_ : float
        Duality gap at the end, in the units of the objective above (as scikit-learn's).
    n_features_in_ : int
        Number of features seen during fit.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Column names, set only when ``X`` is a DataFrame with string column names.

    Warns
    -----
    sklearn.exceptions.ConvergenceWarning
        If the duality gap is still above the tolerance after ``max_iter`` sweeps.

    See Also
    --------
    Chapter 03, "L1 / lasso and sparsity".
    sklearn.linear_model.Lasso : same objective and parameter names.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(50, 3))
    >>> y = X @ np.array([1.5, 0.0, -2.0]) + 0.1 * rng.normal(size=50)
    >>> Lasso(alpha=0.1).fit(X, y).coef_.round(2)
    array([ 1.41,  0.  , -1.83])
    """

    def __init__(self, alpha=1.0, fit_intercept=True, max_iter=1000, tol=1e-4):
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def _checked_l1_ratio(self):
        return 1.0


# --------------------------------------------------------------------------------------------
# Solvers and private helpers
# --------------------------------------------------------------------------------------------

def _ridge_cholesky(X, y, alpha):
    """Ridge weights by a Cholesky solve (primal if n >= p, else dual); SVD if ill-conditioned."""
    n_samples, n_features = X.shape
    primal = n_samples >= n_features
    A = X.T @ X if primal else X @ X.T
    A.flat[::A.shape[0] + 1] += alpha
    try:
        factor = linalg.cho_factor(A, check_finite=False)
        rcond, _ = linalg.lapack.dpocon(factor[0], np.abs(A).sum(axis=0).max(),
                                        uplo="L" if factor[1] else "U")
    except linalg.LinAlgError:
        rcond = 0.0
    if not rcond > _MIN_RCOND:
        return ridge_closed_form(X, y, alpha)
    if primal:
        return linalg.cho_solve(factor, X.T @ y, check_finite=False)
    return X.T @ linalg.cho_solve(factor, y, check_finite=False)


def _least_squares_problem(X, y, gram):
    """The compiled solver's view of ``X`` and ``y``: a Gram matrix, or ``X`` and a residual.

    ``G = X'X`` costs ``n p^2`` once and then makes each update ``O(p)`` instead of ``O(n)``:
    as in scikit-learn, a path uses it when ``n > p``, a single fit never.
    """
    y = np.ascontiguousarray(y)  # without an intercept, y may still be a strided view
    if gram:
        return _coordinate_descent.GramProblem(X.T @ X, X.T @ y, float(y @ y))
    return _coordinate_descent.ResidualProblem(np.asfortranarray(X), y)


def _solve_elastic_net(problem, n_samples, alpha, l1_ratio, w_init, max_iter, tol):
    """Coordinate descent from ``w_init``; returns ``(w, duality_gap, n_sweeps)``.

    The gap is in scikit-learn's unscaled units, for ``0.5 ||y - Xw||^2 + l1 ||w||_1
    + 0.5 l2 ||w||^2`` with ``l1 = n alpha rho`` and ``l2 = n alpha (1 - rho)``.
    """
    l1 = n_samples * alpha * l1_ratio
    l2 = n_samples * alpha * (1.0 - l1_ratio)
    w = np.array(w_init, dtype=float)
    gap, n_sweeps = _coordinate_descent.solve(problem, w, l1, l2, max_iter, tol)
    gap_tol = tol * problem.y_norm2
    if gap > gap_tol:
        warnings.warn(
            f"Coordinate descent did not converge in max_iter={max_iter} sweeps: duality gap "
            f"{gap:.3e} > tolerance {gap_tol:.3e}. Increase max_iter or tol.",
            ConvergenceWarning, stacklevel=3)
    return w, gap, n_sweeps


def _center(X, y, fit_intercept):
    """Centre ``X`` and ``y`` for an unpenalised intercept; return them and their offsets."""
    if not fit_intercept:
        return X, y, np.zeros(X.shape[1]), 0.0
    X_offset, y_offset = X.mean(axis=0), y.mean()
    # Column-major, the order coordinate descent reads X in: one copy, not two.
    return np.subtract(X, X_offset, order="F"), y - y_offset, X_offset, y_offset


def _check_numeric(a, name):
    """scikit-learn's own message for text input does not say which argument held it."""
    if (isinstance(a, np.ndarray) and a.dtype.kind in "biuf") or sparse.issparse(a):
        return  # sparse input gets scikit-learn's own "dense data is required" error
    if isinstance(a, str):
        raise ValueError(f"{name} must be a numeric array, got the string {a!r}")
    try:
        np.asarray(a, dtype=float)
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{name} must be a numeric array, got {type(a).__name__} ({exc})") from None


def _check_same_length(X, y):
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} "
                         f"and {y.shape[0]}")


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be a bool, got {value!r} of type {type(value).__name__}")
    return bool(value)
