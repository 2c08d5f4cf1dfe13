r"""Regularization as a prior: MAP estimates, the Gaussian posterior and 2-D posterior grids.

The model throughout is linear regression without an intercept (centre ``X`` and ``y`` first)
with Gaussian noise and an independent prior on each weight:

.. math::

    y \mid w \sim \mathcal N(Xw, \sigma^2 I), \qquad
    w_j \sim \mathcal N(0, \tau^2) \;\text{(Gaussian)} \quad\text{or}\quad
    p(w_j) = \tfrac{1}{2b} e^{-|w_j|/b} \;\text{(Laplace)} .

Taking minus the log of likelihood times prior gives a penalised least-squares objective, so the
most probable weights (the MAP estimate) are ridge's for the Gaussian prior, with
``Ridge(alpha = sigma**2 / tau**2)``, and the lasso's for the Laplace prior, with
``Lasso(alpha = sigma**2 / (n_samples * b))``, in scikit-learn's (and :mod:`regbook.linear`'s)
scalings. Under the Gaussian prior the whole posterior is Gaussian and known in closed form.

See chapter 05, "Regularization as a prior".
"""

from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize

from regbook._validation import (check_finite_array, check_linear_problem,
                                 check_random_state, check_scalar)

__all__ = [
    "GaussianPosterior",
    "GridPosterior",
    "PRIORS",
    "gaussian_posterior",
    "lasso_alpha_from_prior",
    "map_estimate",
    "negative_log_posterior",
    "posterior_on_grid",
    "posterior_samples",
    "predictive_distribution",
    "ridge_alpha_from_prior",
]

PRIORS = ("gaussian", "laplace")
"""The priors this module knows: ``scale`` is tau for ``"gaussian"`` and b for ``"laplace"``."""


def _check_prior(prior):
    if prior not in PRIORS:
        raise ValueError(f"prior must be one of {list(PRIORS)}, got {prior!r}")
    return prior


def _check_Xy(X, y):
    _, X, y = check_linear_problem(None, X, y)
    return X, y


def _log_prior(w, prior, scale):
    """Log prior density summed over the last axis of ``w`` (normalising constants included)."""
    d = w.shape[-1]
    if prior == "gaussian":
        return -0.5 * np.sum(w**2, axis=-1) / scale**2 - 0.5 * d * np.log(2 * np.pi * scale**2)
    return -np.sum(np.abs(w), axis=-1) / scale - d * np.log(2 * scale)


def negative_log_posterior(w, X, y, sigma, prior, scale):
    r"""Minus the log of likelihood times prior: the objective whose minimiser is the MAP estimate.

    .. math::

        -\log p(y \mid w) - \log p(w)
        = \frac{1}{2\sigma^2}\|y - Xw\|_2^2 + \frac{n}{2}\log(2\pi\sigma^2)
          + \begin{cases}
              \dfrac{1}{2\tau^2}\|w\|_2^2 + \dfrac{d}{2}\log(2\pi\tau^2)
                  & \text{Gaussian prior} \\[1ex]
              \dfrac{1}{b}\|w\|_1 + d\log(2b) & \text{Laplace prior}
            \end{cases}

    This is the negative log posterior :math:`-\log p(w \mid y)` up to the constant
    :math:`-\log p(y)`, which does not depend on :math:`w`. The normalising constants are kept so
    that ``exp(-value)`` is the joint density itself.

    Parameters
    ----------
    w : array-like of shape (n_features,) or (m, n_features)
        One weight vector, or ``m`` of them (one per row) evaluated at once.
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sigma : float
        Standard deviation of the noise, ``> 0``.
    prior : {"gaussian", "laplace"}
    scale : float
        The prior's scale, ``> 0``: the standard deviation tau of the Gaussian prior, or the scale b
        of the Laplace prior (whose standard deviation is :math:`\sqrt2\, b`).

    Returns
    -------
    float or ndarray of shape (m,)

    See Also
    --------
    Chapter 05, "Regularization as a prior".
    map_estimate : minimises this function.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> y = np.array([1.0, 2.0])
    >>> a = negative_log_posterior([1.0, 2.0], X, y, sigma=1.0, prior="gaussian", scale=1.0)
    >>> b = negative_log_posterior([0.5, 1.0], X, y, sigma=1.0, prior="gaussian", scale=1.0)
    >>> bool(b < a)  # the ridge solution (X'X + I)^-1 X'y = (0.5, 1) beats the data fit (1, 2)
    True
    """
    X, y = _check_Xy(X, y)
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    prior = _check_prior(prior)
    scale = check_scalar(scale, "scale", low=0.0, low_inclusive=False)
    w = check_finite_array(w, "w")
    if w.ndim not in (1, 2) or w.shape[-1] != X.shape[1]:
        raise ValueError(f"w must have shape ({X.shape[1]},) or (m, {X.shape[1]}), got {w.shape}")
    residual = y - w @ X.T
    n = X.shape[0]
    value = (0.5 * np.sum(residual**2, axis=-1) / sigma**2 + 0.5 * n * np.log(2 * np.pi * sigma**2)
             - _log_prior(w, prior, scale))
    return float(value) if w.ndim == 1 else value


def ridge_alpha_from_prior(sigma, tau):
    r"""The ``Ridge`` penalty whose solution is the MAP estimate under a Gaussian prior.

    .. math::

        \alpha = \frac{\sigma^2}{\tau^2}

    for scikit-learn's ridge objective :math:`\|y - Xw\|_2^2 + \alpha\|w\|_2^2` (multiply the
    negative log posterior by :math:`2\sigma^2`). A wider prior (larger tau) means a *smaller*
    penalty; noisier data (larger sigma) means a larger one.

    Parameters
    ----------
    sigma : float
        Noise standard deviation, ``> 0``.
    tau : float
        Prior standard deviation of each weight, ``> 0``.

    Returns
    -------
    float

    See Also
    --------
    Chapter 05, "Regularization as a prior".
    regbook.linear.Ridge : the penalised solver.

    Examples
    --------
    >>> ridge_alpha_from_prior(sigma=2.0, tau=4.0)
    0.25
    """
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    tau = check_scalar(tau, "tau", low=0.0, low_inclusive=False)
    return sigma**2 / tau**2


def lasso_alpha_from_prior(sigma, b, n_samples):
    r"""The ``Lasso`` penalty whose solution is the MAP estimate under a Laplace prior.

    .. math::

        \alpha = \frac{\sigma^2}{n\, b}

    for scikit-learn's lasso objective :math:`\frac{1}{2n}\|y - Xw\|_2^2 + \alpha\|w\|_1`
    (multiply the negative log posterior by :math:`\sigma^2 / n`). The :math:`n` appears only
    because that objective averages the loss over the samples; the prior itself does not
    depend on :math:`n`.

    Parameters
    ----------
    sigma : float
        Noise standard deviation, ``> 0``.
    b : float
        Scale of the Laplace prior, ``> 0`` (its standard deviation is :math:`\sqrt2\, b`).
    n_samples : int
        Number of training samples, ``>= 1``.

    Returns
    -------
    float

    See Also
    --------
    Chapter 05, "Regularization as a prior".
    regbook.linear.Lasso : the penalised solver.

    Examples
    --------
    >>> lasso_alpha_from_prior(sigma=2.0, b=0.5, n_samples=100)
    0.08
    """
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    b = check_scalar(b, "b", low=0.0, low_inclusive=False)
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    return sigma**2 / (n_samples * b)


def map_estimate(X, y, sigma, prior, scale, *, tol=1e-12, max_iter=10_000):
    r"""The MAP estimate, found by minimising the negative log posterior directly.

    .. math::

        \hat w_{\mathrm{MAP}} = \arg\min_w\; \frac{1}{2\sigma^2}\|y - Xw\|_2^2 - \log p(w)

    This is a general-purpose numerical minimisation (:func:`scipy.optimize.minimize`,
    L-BFGS-B), deliberately independent of the ridge and lasso solvers, so that the two can be
    compared. The objective is multiplied by :math:`\sigma^2`, which leaves the minimiser
    unchanged and keeps its scale near that of the data.

    * Gaussian prior: the objective is smooth; L-BFGS-B uses its exact gradient.
    * Laplace prior: :math:`|w_j|` has a kink at 0, where a gradient method stalls. The weights
      are split as :math:`w = u - v` with :math:`u, v \ge 0`, which turns
      :math:`\|w\|_1` into the linear :math:`\sum_j (u_j + v_j)` under bound constraints. At the
      optimum :math:`u_j v_j = 0`, so the two problems have the same minimiser, and coordinates
      that should be zero land exactly on their bound.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sigma : float
        Noise standard deviation, ``> 0``.
    prior : {"gaussian", "laplace"}
    scale : float
        Prior scale, ``> 0``: tau (Gaussian) or b (Laplace).
    tol : float, default 1e-12
        L-BFGS-B's ``gtol``: stop when the largest projected-gradient entry of the rescaled
        objective falls below it (its ``ftol`` stopping rule is switched off, because on flat
        valleys it stops too early).
    max_iter : int, default 10000

    Returns
    -------
    w : ndarray of shape (n_features,)

    See Also
    --------
    Chapter 05, "Regularization as a prior".
    regbook.linear.Ridge, regbook.linear.Lasso : the same estimates from the penalised solvers.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(30, 2))
    >>> y = X @ np.array([2.0, 0.0]) + rng.normal(size=30)
    >>> map_estimate(X, y, sigma=1.0, prior="laplace", scale=0.05).round(3)
    array([0.722, 0.   ])
    """
    X, y = _check_Xy(X, y)
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    prior = _check_prior(prior)
    scale = check_scalar(scale, "scale", low=0.0, low_inclusive=False)
    tol = check_scalar(tol, "tol", low=0.0, low_inclusive=False)
    max_iter = check_scalar(max_iter, "max_iter", low=1, integer=True)
    d = X.shape[1]
    # Scaling X and y by 1/||y|| (and the penalty by 1/||y||^2) makes the objective O(1), so the
    # tolerances mean the same thing for every data set; the minimiser w does not change.
    unit = max(float(y @ y), np.finfo(float).tiny)
    X, y = X / np.sqrt(unit), y / np.sqrt(unit)
    gram, Xty = X.T @ X, X.T @ y
    options = {"ftol": 0.0, "gtol": tol, "maxiter": max_iter, "maxfun": 10 * max_iter}

    if prior == "gaussian":
        ratio = sigma**2 / scale**2 / unit

        def objective(w):  # sigma^2 times the negative log posterior, constants dropped
            residual = y - X @ w
            return 0.5 * residual @ residual + 0.5 * ratio * w @ w, gram @ w - Xty + ratio * w

        result = optimize.minimize(objective, np.zeros(d), jac=True, method="L-BFGS-B",
                                   options=options)
        return result.x

    weight = sigma**2 / scale / unit

    def split_objective(uv):
        w = uv[:d] - uv[d:]
        residual = y - X @ w
        grad_w = gram @ w - Xty
        return (0.5 * residual @ residual + weight * uv.sum(),
                np.concatenate([grad_w + weight, -grad_w + weight]))

    result = optimize.minimize(split_objective, np.zeros(2 * d), jac=True, method="L-BFGS-B",
                               bounds=[(0.0, None)] * (2 * d), options=options)
    return result.x[:d] - result.x[d:]


@dataclass(frozen=True)
class GaussianPosterior:
    """The Gaussian posterior of the weights, N(mean, covariance)."""

    mean: np.ndarray
    covariance: np.ndarray

    def __post_init__(self):
        mean = check_finite_array(self.mean, "mean", ndim=1)
        d = mean.shape[0]
        covariance = check_finite_array(self.covariance, "covariance", ndim=2)
        # frozen dataclass: store the checked float arrays through object.__setattr__
        object.__setattr__(self, "mean", mean)
        object.__setattr__(self, "covariance", covariance)
        if self.covariance.shape != (d, d):
            raise ValueError(f"covariance must have shape ({d}, {d}) to match mean, got "
                             f"{self.covariance.shape}")
        if not np.allclose(self.covariance, self.covariance.T, rtol=1e-8, atol=1e-12):
            raise ValueError("covariance must be symmetric, got a matrix that is not")
        try:
            np.linalg.cholesky(self.covariance)
        except np.linalg.LinAlgError:
            raise ValueError("covariance must be positive definite, got a matrix with smallest "
                             f"eigenvalue {np.linalg.eigvalsh(self.covariance).min():.3g}"
                             ) from None

    @property
    def std(self):
        """Posterior standard deviation of each weight."""
        return np.sqrt(np.diag(self.covariance))

    def credible_interval(self, level=0.95):
        """Equal-tailed credible interval of each weight: ``(lower, upper)`` arrays."""
        from scipy.stats import norm

        level = check_scalar(level, "level", low=0.0, high=1.0, low_inclusive=False,
                             high_inclusive=False)
        z = norm.ppf(0.5 + level / 2)
        return self.mean - z * self.std, self.mean + z * self.std


def gaussian_posterior(X, y, sigma, tau):
    r"""The exact posterior of the weights under a Gaussian prior and Gaussian noise.

    .. math::

        \Sigma = \Big(\frac{X^\top X}{\sigma^2} + \frac{I}{\tau^2}\Big)^{-1}, \qquad
        \mu = \frac{1}{\sigma^2}\,\Sigma X^\top y
            = \Big(X^\top X + \frac{\sigma^2}{\tau^2} I\Big)^{-1} X^\top y ,

    so :math:`w \mid y \sim \mathcal N(\mu, \Sigma)`. The mean :math:`\mu` is the ridge solution
    with :math:`\alpha = \sigma^2/\tau^2` (and, the posterior being Gaussian, also its mode, the
    MAP estimate). The covariance :math:`\Sigma` is what a point estimate leaves out. Both are
    computed from one Cholesky factorisation of the precision matrix; nothing is inverted
    except to form :math:`\Sigma` itself.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sigma : float
        Noise standard deviation, ``> 0``.
    tau : float
        Prior standard deviation of each weight, ``> 0``.

    Returns
    -------
    GaussianPosterior
        With ``mean`` (n_features,) and ``covariance`` (n_features, n_features), plus ``std`` and
        ``credible_interval(level)``.

    See Also
    --------
    Chapter 05, "Regularization as a prior".
    predictive_distribution : the distribution of a new target.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> post = gaussian_posterior(X, np.array([1.0, 2.0, 3.0]), sigma=1.0, tau=1.0)
    >>> post.mean.round(4), post.covariance.round(4)
    (array([0.875, 1.375]), array([[ 0.375, -0.125],
           [-0.125,  0.375]]))
    """
    X, y = _check_Xy(X, y)
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    tau = check_scalar(tau, "tau", low=0.0, low_inclusive=False)
    d = X.shape[1]
    precision = X.T @ X / sigma**2 + np.eye(d) / tau**2
    factor = linalg.cho_factor(precision, lower=True)
    mean = linalg.cho_solve(factor, X.T @ y / sigma**2)
    covariance = linalg.cho_solve(factor, np.eye(d))
    return GaussianPosterior(mean=mean, covariance=0.5 * (covariance + covariance.T))


def predictive_distribution(X_new, posterior, sigma):
    r"""Mean and variance of a new target :math:`y_* = x_*^\top w + \varepsilon` given the data.

    .. math::

        \mathbb E[y_* \mid y] = x_*^\top \mu, \qquad
        \operatorname{Var}[y_* \mid y] = \underbrace{x_*^\top \Sigma\, x_*}_{\text{weights}}
                                       + \underbrace{\sigma^2}_{\text{noise}} .

    The MAP (ridge) prediction gives the mean; the variance has a part from the uncertain
    weights, which grows away from the data, and the irreducible noise.

    Parameters
    ----------
    X_new : array-like of shape (m, n_features)
    posterior : GaussianPosterior
        From :func:`gaussian_posterior`.
    sigma : float
        Noise standard deviation, ``> 0``.

    Returns
    -------
    mean, variance : ndarray of shape (m,)

    See Also
    --------
    Chapter 05, "Regularization as a prior".

    Examples
    --------
    >>> X = np.array([[1.0], [2.0]])
    >>> post = gaussian_posterior(X, np.array([1.0, 2.0]), sigma=1.0, tau=1.0)
    >>> mean, var = predictive_distribution(np.array([[0.0], [3.0]]), post, sigma=1.0)
    >>> mean.round(3), var.round(3)
    (array([0. , 2.5]), array([1. , 2.5]))
    """
    if not isinstance(posterior, GaussianPosterior):
        raise TypeError(f"posterior must be a GaussianPosterior, got {type(posterior).__name__}")
    X_new = check_finite_array(X_new, "X_new", ndim=2)
    if X_new.shape[1] != posterior.mean.shape[0]:
        raise ValueError(f"X_new must have {posterior.mean.shape[0]} columns, got {X_new.shape[1]}")
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    mean = X_new @ posterior.mean
    weight_variance = np.einsum("ij,jk,ik->i", X_new, posterior.covariance, X_new)
    return mean, weight_variance + sigma**2


def posterior_samples(posterior, n_samples, rng=None):
    r"""Draw weights from a Gaussian posterior: :math:`w = \mu + L z`, :math:`LL^\top = \Sigma`.

    Parameters
    ----------
    posterior : GaussianPosterior
    n_samples : int
        Number of draws, ``>= 1``.
    rng : int, None or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    ndarray of shape (n_samples, n_features)

    See Also
    --------
    Chapter 05, "Regularization as a prior".

    Examples
    --------
    >>> post = GaussianPosterior(np.array([1.0, -1.0]), np.diag([0.01, 0.04]))
    >>> posterior_samples(post, 20_000, rng=0).std(axis=0).round(2)
    array([0.1, 0.2])
    """
    if not isinstance(posterior, GaussianPosterior):
        raise TypeError(f"posterior must be a GaussianPosterior, got {type(posterior).__name__}")
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    rng = check_random_state(rng)
    chol = np.linalg.cholesky(posterior.covariance)
    z = rng.standard_normal((n_samples, posterior.mean.shape[0]))
    return posterior.mean + z @ chol.T


@dataclass(frozen=True)
class GridPosterior:
    """A 2-D posterior tabulated on a grid (for pictures and for exact-enough moments)."""

    w1: np.ndarray
    """Grid along the first weight, shape (k1,)."""
    w2: np.ndarray
    """Grid along the second weight, shape (k2,)."""
    log_prior: np.ndarray
    """Log prior density, shape (k2, k1) (rows follow ``w2``, as ``contour`` expects)."""
    log_likelihood: np.ndarray
    """Log likelihood, shape (k2, k1)."""
    density: np.ndarray
    """Posterior density, normalised so that it integrates to 1 over the grid, shape (k2, k1)."""

    @property
    def mean(self):
        """Posterior mean, by summing over the grid."""
        mass = self.density / self.density.sum()
        return np.array([np.sum(mass.sum(axis=0) * self.w1), np.sum(mass.sum(axis=1) * self.w2)])

    @property
    def mode(self):
        """The grid point with the highest posterior density."""
        i2, i1 = np.unravel_index(np.argmax(self.density), self.density.shape)
        return np.array([self.w1[i1], self.w2[i2]])


def posterior_on_grid(X, y, sigma, prior, scale, w1, w2):
    r"""Prior, likelihood and normalised posterior of a two-weight model on a rectangular grid.

    .. math::

        p(w \mid y) = \frac{p(y \mid w)\, p(w)}{\int p(y \mid w')\, p(w')\, dw'}
        \approx \frac{p(y \mid w)\, p(w)}
                     {\sum_{\text{grid}} p(y \mid w')\, p(w')\, \Delta w_1 \Delta w_2}

    The log likelihood uses :math:`\|y - Xw\|^2 = \|y - X\hat w\|^2 + \|X(w - \hat w)\|^2`, with
    :math:`\hat w` a least-squares solution, so the whole grid costs a few array operations.
    The grid must cover the posterior's mass for its moments to be accurate.

    Parameters
    ----------
    X : array-like of shape (n_samples, 2)
    y : array-like of shape (n_samples,)
    sigma : float
        Noise standard deviation, ``> 0``.
    prior : {"gaussian", "laplace"}
    scale : float
        Prior scale, ``> 0``: tau (Gaussian) or b (Laplace).
    w1, w2 : array-like of shape (k1,) and (k2,)
        Increasing, evenly spaced grids of the two weights.

    Returns
    -------
    GridPosterior

    See Also
    --------
    Chapter 05, "Regularization as a prior".

    Examples
    --------
    >>> X = np.eye(2)
    >>> grid = np.linspace(-6, 6, 601)
    >>> post = posterior_on_grid(X, np.array([1.0, 1.0]), 1.0, "gaussian", 1.0, grid, grid)
    >>> post.mean.round(3)  # (X'X + I)^-1 X'y
    array([0.5, 0.5])
    """
    X, y = _check_Xy(X, y)
    if X.shape[1] != 2:
        raise ValueError(f"X must have exactly 2 columns, got {X.shape[1]}")
    sigma = check_scalar(sigma, "sigma", low=0.0, low_inclusive=False)
    prior = _check_prior(prior)
    scale = check_scalar(scale, "scale", low=0.0, low_inclusive=False)
    w1 = check_finite_array(w1, "w1", ndim=1)
    w2 = check_finite_array(w2, "w2", ndim=1)
    for name, grid in (("w1", w1), ("w2", w2)):
        if grid.size < 2 or not np.all(np.diff(grid) > 0):
            raise ValueError(f"{name} must be an increasing grid of at least 2 values")
    W1, W2 = np.meshgrid(w1, w2)
    w = np.stack([W1, W2], axis=-1)
    w_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    rss = float(np.sum((y - X @ w_ls) ** 2))
    delta = w - w_ls
    gram = X.T @ X
    quad = np.einsum("...i,ij,...j->...", delta, gram, delta)
    n = X.shape[0]
    log_likelihood = -0.5 * (rss + quad) / sigma**2 - 0.5 * n * np.log(2 * np.pi * sigma**2)
    log_prior = _log_prior(w, prior, scale)
    log_joint = log_likelihood + log_prior
    unnormalised = np.exp(log_joint - log_joint.max())
    cell = (w1[1] - w1[0]) * (w2[1] - w2[0])
    density = unnormalised / (unnormalised.sum() * cell)
    return GridPosterior(w1=w1, w2=w2, log_prior=log_prior, log_likelihood=log_likelihood,
                         density=density)
