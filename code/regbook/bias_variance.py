r"""The empirical bias–variance decomposition of expected squared error.

For a learner trained on a random training set :math:`D` and evaluated at a point :math:`x`
where the target is :math:`y = f(x) + \varepsilon` with :math:`\operatorname{Var}\varepsilon =
\sigma^2`,

.. math:: \mathbb E_{D,\varepsilon}\big[(\hat f_D(x) - y)^2\big]
          = \underbrace{(\bar f(x) - f(x))^2}_{\text{bias}^2}
          + \underbrace{\mathbb E_D[(\hat f_D(x) - \bar f(x))^2]}_{\text{variance}}
          + \sigma^2, \qquad \bar f(x) = \mathbb E_D \hat f_D(x).

Each term is estimated by Monte Carlo over many resampled training sets and averaged over the
evaluation points.
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
        The three terms. ``variance`` divides by ``n_repeats`` (not ``n_repeats - 1``), so that
        ``bias_squared + variance`` equals the mean squared distance of the fits from :math:`f`
        exactly; with few repeats this moves about ``variance / n_repeats`` from variance to bias².
    test_error : float
        The expected squared error measured directly, against fresh noisy targets.
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

    @property
    def total(self):
        """``bias_squared + variance + noise``: what the decomposition says the error is."""
        return self.bias_squared + self.variance + self.noise


def bias_variance_decomposition(fit_predict, draw_training_set, x_eval, f_eval, noise,
                                n_repeats=200, rng=None):
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

    Returns
    -------
    BiasVariance

    See Also
    --------
    Chapter 01, "Why models overfit"; chapter 15 measures it for every regularizer.

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
    """
    f_eval = check_finite_array(f_eval, "f_eval", ndim=1)
    noise = check_scalar(noise, "noise", low=0.0)
    n_repeats = check_scalar(n_repeats, "n_repeats", low=2, integer=True)
    rng = check_random_state(rng)

    predictions = np.empty((n_repeats, f_eval.size))
    for r in range(n_repeats):
        x_train, y_train = draw_training_set(rng)
        y_hat = np.asarray(fit_predict(x_train, y_train, x_eval), dtype=float)
        if y_hat.shape != f_eval.shape:
            raise ValueError(f"fit_predict must return shape {f_eval.shape}, got {y_hat.shape}")
        predictions[r] = y_hat

    mean_prediction = predictions.mean(axis=0)
    bias_squared = np.mean((mean_prediction - f_eval) ** 2)
    variance = predictions.var(axis=0).mean()

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
    )
