r"""The empirical bias–variance decomposition of expected squared error.

For a learner trained on a random training set :math:`D` and evaluated at a point :math:`x`
where the target is :math:`y = f(x) + \varepsilon` with :math:`\operatorname{Var}\varepsilon =
\sigma^2`,

.. math:: \mathbb E_{D,\varepsilon}\big[(\hat f_D(x) - y)^2\big]
          = \underbrace{(\bar f(x) - f(x))^2}_{\text{bias}^2}
          + \underbrace{\mathbb E_D[(\hat f_D(x) - \bar f(x))^2]}_{\text{variance}}
          + \sigma^2, \qquad \bar f(x) = \mathbb E_D \hat f_D(x).

Each term is estimated by Monte Carlo over many resampled training sets and averaged over the
evaluation points; a bootstrap over the training sets gives each estimate's Monte Carlo standard error.
"""

from dataclasses import dataclass

import numpy as np

from regbook._validation import check_finite_array, check_random_state, check_scalar


@dataclass(frozen=True)
class BiasVariance:
    """Monte Carlo estimates of the decomposition, averaged over the evaluation points.

    Attributes
    ----------
    bias_squared, variance, noise : float
        The three terms. ``variance`` is the unbiased sample variance (divisor ``n_repeats - 1``).
        The squared distance of the mean fit from :math:`f` overestimates the bias² by
        ``variance / n_repeats`` on average, so that amount is subtracted; ``bias_squared +
        variance`` still equals the mean squared distance of the fits from :math:`f` exactly.
    bias_squared_se, variance_se : float
        Monte Carlo standard errors of ``bias_squared`` and ``variance``: the standard deviation of
        each estimate over bootstrap resamples of the ``n_repeats`` training sets.
    test_error : float
        The squared error against fresh noisy targets at the same predictions. Since it reuses the
        fits, it is a sanity check of the noise term and of the arithmetic, not an independent
        measurement of bias² or variance.
    standard_error : float
        Monte Carlo standard error of ``test_error - (bias_squared + variance + noise)``.
    predictions : ndarray of shape (n_repeats, n_points)
        Every fitted model's predictions at the evaluation points.
    """

    bias_squared: float
    variance: float
    noise: float
    test_error: float
    standard_error: float
    predictions: np.ndarray
    bias_squared_se: float = float("nan")
    variance_se: float = float("nan")

    @property
    def total(self):
        """``bias_squared + variance + noise``: what the decomposition says the error is."""
        return self.bias_squared + self.variance + self.noise


def bias_variance_decomposition(fit_predict, draw_training_set, x_eval, f_eval, noise,
                                n_repeats=200, rng=None, n_bootstrap=200):
    r"""Estimate bias², variance and noise by refitting on ``n_repeats`` fresh training sets.

    Parameters
    ----------
    fit_predict : callable ``(x_train, y_train, x_eval) -> y_hat``
        Trains a model and returns its predictions at ``x_eval``.
    draw_training_set : callable ``(rng) -> (x_train, y_train)``
        Draws one training set from the data-generating process.
    x_eval : array-like
        Evaluation inputs (passed to ``fit_predict`` unchanged).
    f_eval : array-like of shape (n_points,)
        The noise-free target :math:`f(x)` at ``x_eval``.
    noise : float
        Standard deviation :math:`\sigma` of the target noise, non-negative.
    n_repeats : int, default 200
        Number of training sets, at least 2.
    rng : int, None or numpy.random.Generator
    n_bootstrap : int, default 200
        Bootstrap resamples of the training sets used for the standard errors, at least 2.

    Returns
    -------
    BiasVariance

    See Also
    --------
    Chapter 01, "Why models overfit".

    Examples
    --------
    >>> from regbook.datasets import make_noisy_curve, true_curve
    >>> from regbook.polynomial import PolynomialRidge
    >>> x_eval = np.linspace(-1, 1, 5)
    >>> result = bias_variance_decomposition(
    ...     lambda x, y, xe: PolynomialRidge(3).fit(x[:, None], y).predict(xe[:, None]),
    ...     lambda rng: make_noisy_curve(20, 0.3, rng), x_eval, true_curve(x_eval), 0.3,
    ...     n_repeats=50, rng=0)
    >>> bool(abs(result.test_error - result.total) < 4 * result.standard_error)
    True
    >>> bool(0 < result.variance_se < result.variance)
    True
    """
    for name, function in (("fit_predict", fit_predict), ("draw_training_set", draw_training_set)):
        if not callable(function):
            raise TypeError(f"{name} must be a callable, got {function!r}")
    n_eval = check_finite_array(x_eval, "x_eval").shape[0]
    f_eval = check_finite_array(f_eval, "f_eval", ndim=1)
    if n_eval != f_eval.shape[0]:
        raise ValueError(f"x_eval and f_eval must have one row per evaluation point, got "
                         f"{n_eval} and {f_eval.shape[0]}")
    noise = check_scalar(noise, "noise", low=0.0)
    n_repeats = check_scalar(n_repeats, "n_repeats", low=2, integer=True)
    n_bootstrap = check_scalar(n_bootstrap, "n_bootstrap", low=2, integer=True)
    rng = check_random_state(rng)

    predictions = np.empty((n_repeats, f_eval.size))
    for r in range(n_repeats):
        x_train, y_train = draw_training_set(rng)
        y_hat = np.asarray(fit_predict(x_train, y_train, x_eval), dtype=float)
        if y_hat.shape != f_eval.shape:
            raise ValueError(f"fit_predict must return shape {f_eval.shape}, got {y_hat.shape}")
        predictions[r] = y_hat

    bias_squared, variance = _bias_and_variance(predictions, f_eval)
    boot = np.array([_bias_and_variance(predictions[rng.integers(0, n_repeats, n_repeats)], f_eval)
                     for _ in range(n_bootstrap)])
    bias_squared_se, variance_se = boot.std(axis=0, ddof=1)

    fresh_targets = f_eval + noise * rng.standard_normal(predictions.shape)
    squared_errors = (predictions - fresh_targets) ** 2
    # Each (repeat, point) term below has mean zero and they are independent given the fits.
    discrepancy = squared_errors - (predictions - f_eval) ** 2 - noise**2
    return BiasVariance(
        bias_squared=float(bias_squared),
        variance=float(variance),
        noise=float(noise**2),
        test_error=float(squared_errors.mean()),
        standard_error=float(discrepancy.std(ddof=1) / np.sqrt(discrepancy.size)),
        predictions=predictions,
        bias_squared_se=float(bias_squared_se),
        variance_se=float(variance_se),
    )


def _bias_and_variance(predictions, f_eval):
    """Unbiased bias² and variance from an ``(n_repeats, n_points)`` array of fits."""
    n_repeats = predictions.shape[0]
    variance_per_point = predictions.var(axis=0, ddof=1)
    bias_squared_per_point = (predictions.mean(axis=0) - f_eval) ** 2 - variance_per_point / n_repeats
    return bias_squared_per_point.mean(), variance_per_point.mean()
