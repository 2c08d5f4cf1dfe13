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

import numbers
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


def _check_harness(fit_predict, draw_training_set, x_eval, f_eval, noise, n_repeats, n_bootstrap):
    """The checked arguments that every bias-variance estimate of this module shares."""
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
    return f_eval, noise, n_repeats, n_bootstrap


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
    f_eval, noise, n_repeats, n_bootstrap = _check_harness(
        fit_predict, draw_training_set, x_eval, f_eval, noise, n_repeats, n_bootstrap)
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


@dataclass(frozen=True)
class SemiSyntheticTask:
    r"""A regression task on real inputs with a known truth: :math:`y = f(x) + \sigma\varepsilon`.

    The inputs are the rows of a real data set; :math:`f` is a fixed function of them (known at
    every row), so the bias of a learner can be measured exactly, which real targets never allow.
    Training sets are drawn without replacement from the rows in ``train_pool``, with fresh
    Gaussian noise each time; the evaluation points are the other rows.

    Attributes
    ----------
    X : ndarray of shape (n_rows, n_features)
        Every input row.
    f : ndarray of shape (n_rows,)
        The truth :math:`f` at every row.
    noise : float
        Standard deviation :math:`\sigma` of the target noise.
    train_pool, eval_rows : ndarray of int
        Disjoint row indices: where training sets are drawn from, and the evaluation points.
    n_train : int
        Size of each training set.
    """

    X: np.ndarray
    f: np.ndarray
    noise: float
    train_pool: np.ndarray
    eval_rows: np.ndarray
    n_train: int

    @property
    def x_eval(self):
        """Inputs at the evaluation points."""
        return self.X[self.eval_rows]

    @property
    def f_eval(self):
        """The truth at the evaluation points."""
        return self.f[self.eval_rows]

    def draw_training_set(self, rng):
        """Draw ``n_train`` pool rows without replacement and noisy targets: ``(X_train, y_train)``."""
        rng = check_random_state(rng)
        rows = rng.choice(self.train_pool, size=self.n_train, replace=False)
        return self.X[rows], self.f[rows] + self.noise * rng.standard_normal(self.n_train)


def make_diabetes_task(n_train=50, n_eval=100, truth_alpha=10.0, seed=0):
    r"""A semi-synthetic task on the diabetes inputs whose truth is *not* linear in them.

    The inputs are scikit-learn's 442 diabetes patients with their 10 features standardised. The
    truth is a fixed quadratic function of them, fitted once to the real disease progression:

    .. math:: f(x) = \bar y + \phi(x)^\top \beta, \qquad
              \beta = \arg\min_\beta \lVert y - \bar y - \Phi\beta\rVert^2 + \alpha_f\lVert\beta\rVert^2,

    where :math:`\phi(x)` holds the 10 features, their 45 products and 10 squares (each
    standardised). The noise level :math:`\sigma` is the residual standard deviation of that fit,
    so the signal and noise are on the scale of the real data. A learner linear in the 10 features
    cannot represent :math:`f`: it has a bias floor, unlike a task whose truth is inside its class.

    Parameters
    ----------
    n_train : int, default 50
        Size of each training set, at least 2.
    n_eval : int, default 100
        Number of evaluation rows, at least 1; the rest (at least ``n_train``) form the pool.
    truth_alpha : float, default 10.0
        Ridge strength :math:`\alpha_f` of the quadratic fit that defines the truth, non-negative.
    seed : int, default 0
        Chooses which rows are evaluation points.

    Returns
    -------
    SemiSyntheticTask

    See Also
    --------
    bias_variance_curve. Chapter 15, "The unifying principle".

    Examples
    --------
    >>> task = make_diabetes_task(n_train=50, n_eval=100, seed=0)
    >>> task.X.shape, task.eval_rows.size, task.train_pool.size
    ((442, 10), 100, 342)
    >>> X_train, y_train = task.draw_training_set(0)
    >>> X_train.shape, y_train.shape
    ((50, 10), (50,))
    """
    from sklearn.preprocessing import PolynomialFeatures

    from regbook.datasets import load_bundled

    n_train = check_scalar(n_train, "n_train", low=2, integer=True)
    n_eval = check_scalar(n_eval, "n_eval", low=1, integer=True)
    truth_alpha = check_scalar(truth_alpha, "truth_alpha", low=0.0)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    X_raw, y = load_bundled("diabetes")
    n_rows = X_raw.shape[0]
    if n_eval + n_train > n_rows:
        raise ValueError(f"n_train + n_eval must be at most {n_rows} (the diabetes rows), got "
                         f"{n_train} + {n_eval} = {n_train + n_eval}")
    X = (X_raw - X_raw.mean(axis=0)) / X_raw.std(axis=0)
    phi = PolynomialFeatures(degree=2, include_bias=False).fit_transform(X)
    phi = (phi - phi.mean(axis=0)) / phi.std(axis=0)
    y_centred = y - y.mean()
    beta = np.linalg.solve(phi.T @ phi + truth_alpha * np.eye(phi.shape[1]), phi.T @ y_centred)
    f = y.mean() + phi @ beta
    residuals = y - f
    noise = float(np.sqrt(residuals @ residuals / (n_rows - phi.shape[1] - 1)))
    order = np.random.default_rng(seed).permutation(n_rows)
    return SemiSyntheticTask(X=X, f=f, noise=noise, train_pool=np.sort(order[n_eval:]),
                             eval_rows=np.sort(order[:n_eval]), n_train=n_train)


def _standard_error_over_repeats(per_repeat):
    """Standard error of the mean over training sets (axis 1) of a (strengths, repeats) array."""
    return per_repeat.std(axis=1, ddof=1) / np.sqrt(per_repeat.shape[1])


@dataclass(frozen=True)
class BiasVarianceCurve:
    r"""Bias², variance, noise and measured test error of one learner at several strengths.

    Every array has one entry per strength; all strengths were fitted to the *same* training sets.

    Attributes
    ----------
    strengths : list
    bias_squared, variance : ndarray
        As in :class:`BiasVariance`: ``variance`` has divisor ``B - 1`` and ``bias_squared`` has
        ``variance / B`` subtracted, which makes it unbiased (equivalently, the population
        variance divided by ``B - 1``).
    bias_squared_se, variance_se : ndarray
        Bootstrap standard errors over the training sets.
    noise : float
        :math:`\sigma^2`.
    distance_per_repeat : ndarray of shape (n_strengths, B)
        Mean over the evaluation points of :math:`(\hat f_D(x) - f(x))^2` for each training set;
        its mean is exactly ``bias_squared + variance``.
    test_error_per_repeat : ndarray of shape (n_strengths, B)
        Mean squared error of each fit against its own fresh noisy test targets.
    """

    strengths: list
    bias_squared: np.ndarray
    variance: np.ndarray
    bias_squared_se: np.ndarray
    variance_se: np.ndarray
    noise: float
    distance_per_repeat: np.ndarray
    test_error_per_repeat: np.ndarray

    @property
    def total(self):
        """``bias_squared + variance + noise``: the error the decomposition predicts."""
        return self.bias_squared + self.variance + self.noise

    @property
    def total_se(self):
        """Monte Carlo standard error of :attr:`total` (from the spread over training sets)."""
        return _standard_error_over_repeats(self.distance_per_repeat)

    @property
    def test_error(self):
        """Test mean squared error measured directly against noisy targets."""
        return self.test_error_per_repeat.mean(axis=1)

    @property
    def test_error_se(self):
        """Monte Carlo standard error of :attr:`test_error`."""
        return _standard_error_over_repeats(self.test_error_per_repeat)

    @property
    def best(self):
        """Index of the strength with the smallest :attr:`total`."""
        return int(np.argmin(self.total))


def bias_variance_curve(fit_predict, strengths, draw_training_set, x_eval, f_eval, noise,
                        n_repeats=40, rng=None, n_bootstrap=100, path=False):
    r"""Bias², variance and test error of one learner over a grid of regularization strengths.

    For each of ``n_repeats`` training sets :math:`D_1, \dots, D_B` (drawn once, shared by every
    strength :math:`s`) the learner predicts :math:`\hat f_{s,D_b}(x)` at the evaluation points.
    With :math:`\bar f_s = \frac1B\sum_b \hat f_{s,D_b}` and :math:`v_s(x)` the sample variance
    (divisor :math:`B - 1`),

    .. math:: \widehat{\text{bias}^2}(s) = \operatorname{mean}_x\big[(\bar f_s(x) - f(x))^2
              - v_s(x)/B\big], \qquad \widehat{\text{variance}}(s) = \operatorname{mean}_x v_s(x).

    The squared distance of the average of :math:`B` fits from :math:`f` overestimates the bias²
    by the variance of that average, :math:`v/B`; subtracting it makes the estimate unbiased (the
    same as subtracting the divisor-:math:`B` variance over :math:`B - 1`). Separately, each fit
    is scored against its own fresh noisy targets :math:`f(x) + \sigma\varepsilon`, which gives
    the test error that the sum bias² + variance + :math:`\sigma^2` should predict.

    Parameters
    ----------
    fit_predict : callable ``(strength, x_train, y_train, x_eval) -> y_hat``
        Trains the learner at one strength and returns its predictions at ``x_eval``. With
        ``path=True`` it is called once per training set as ``fit_predict(strengths, x_train,
        y_train, x_eval)`` and returns an array of shape ``(len(strengths), n_points)``: one
        gradient-descent run gives every stopping time, one warm-started lasso path every α.
    strengths : sequence
        The strengths, passed to ``fit_predict`` unchanged (at least one).
    draw_training_set : callable ``(rng) -> (x_train, y_train)``
        For example :meth:`SemiSyntheticTask.draw_training_set`.
    x_eval : array-like
    f_eval : array-like of shape (n_points,)
        The truth at ``x_eval``.
    noise : float
        Noise standard deviation :math:`\sigma`, non-negative.
    n_repeats : int, default 40
        Number :math:`B` of training sets, at least 2.
    rng : int, None or numpy.random.Generator
    n_bootstrap : int, default 100
        Bootstrap resamples for the standard errors, at least 2.
    path : bool, default False
        Whether ``fit_predict`` computes the whole grid of strengths in one call.

    Returns
    -------
    BiasVarianceCurve

    See Also
    --------
    bias_variance_decomposition, make_diabetes_task. Chapter 15, "The unifying principle".

    Examples
    --------
    >>> from regbook.linear import ridge_closed_form
    >>> task = make_diabetes_task(seed=0)
    >>> def ridge(alpha, X, y, X_eval):
    ...     w = ridge_closed_form(X - X.mean(axis=0), y - y.mean(), alpha)
    ...     return (X_eval - X.mean(axis=0)) @ w + y.mean()
    >>> curve = bias_variance_curve(ridge, [0.0, 10.0, 1e4], task.draw_training_set,
    ...                             task.x_eval, task.f_eval, task.noise, n_repeats=30, rng=0)
    >>> bool(curve.variance[0] > curve.variance[1] > curve.variance[2])
    True
    >>> bool(curve.bias_squared[2] > curve.bias_squared[0])
    True
    """
    f_eval, noise, n_repeats, n_bootstrap = _check_harness(
        fit_predict, draw_training_set, x_eval, f_eval, noise, n_repeats, n_bootstrap)
    if isinstance(strengths, (str, bytes)) or not hasattr(strengths, "__len__"):
        raise TypeError(f"strengths must be a sequence, got {strengths!r}")
    strengths = list(strengths)
    if not strengths:
        raise ValueError("strengths must hold at least one strength, got an empty sequence")
    for strength in strengths:
        if isinstance(strength, numbers.Real) and not np.isfinite(float(strength)):
            raise ValueError(f"strengths must be finite numbers, got {strength!r}")
    if not isinstance(path, (bool, np.bool_)):
        raise TypeError(f"path must be True or False, got {path!r}")
    rng = check_random_state(rng)

    training_sets = [draw_training_set(rng) for _ in range(n_repeats)]
    fresh_targets = f_eval + noise * rng.standard_normal((n_repeats, f_eval.size))
    predictions = np.empty((len(strengths), n_repeats, f_eval.size))
    for r, (x_train, y_train) in enumerate(training_sets):
        if path:
            y_hat = np.asarray(fit_predict(strengths, x_train, y_train, x_eval), dtype=float)
            if y_hat.shape != predictions.shape[::2]:
                raise ValueError(f"fit_predict with path=True must return shape "
                                 f"{predictions.shape[::2]}, got {y_hat.shape}")
            predictions[:, r] = y_hat
            continue
        for s, strength in enumerate(strengths):
            y_hat = np.asarray(fit_predict(strength, x_train, y_train, x_eval), dtype=float)
            if y_hat.shape != f_eval.shape:
                raise ValueError(f"fit_predict must return shape {f_eval.shape}, got {y_hat.shape} "
                                 f"at strength {strength!r}")
            predictions[s, r] = y_hat

    resamples = [rng.integers(0, n_repeats, n_repeats) for _ in range(n_bootstrap)]
    estimates = np.array([_bias_and_variance(p, f_eval) for p in predictions])
    boot = np.array([[_bias_and_variance(p[rows], f_eval) for rows in resamples]
                     for p in predictions])
    boot_se = boot.std(axis=1, ddof=1)
    return BiasVarianceCurve(
        strengths=strengths,
        bias_squared=estimates[:, 0], variance=estimates[:, 1],
        bias_squared_se=boot_se[:, 0], variance_se=boot_se[:, 1],
        noise=float(noise**2),
        distance_per_repeat=((predictions - f_eval) ** 2).mean(axis=2),
        test_error_per_repeat=((predictions - fresh_targets) ** 2).mean(axis=2),
    )


def _centred_linear(solve):
    """``fit_predict`` for a linear model with an unpenalised intercept from a no-intercept solver."""
    def fit_predict(strength, X, y, X_eval):
        x_mean, y_mean = X.mean(axis=0), y.mean()
        return (X_eval - x_mean) @ solve(strength, X - x_mean, y - y_mean) + y_mean
    return fit_predict


def _ridge(alpha, X, y):
    from regbook.linear import ridge_closed_form
    return ridge_closed_form(X, y, alpha)


def _dropout(p, X, y):
    from regbook.dropout import dropout_ridge_solution
    return dropout_ridge_solution(X, y, p)


def _input_noise(sigma, X, y, n_copies=20):
    from regbook.noise import noise_augmented_least_squares
    # One fixed noise seed per strength keeps the comparison across training sets paired.
    return noise_augmented_least_squares(X, y, sigma, n_copies, rng=0)


def _lasso_path(alphas, X, y, X_eval):
    from regbook.linear import regularization_path
    x_mean, y_mean = X.mean(axis=0), y.mean()
    coefs = regularization_path(X - x_mean, y - y_mean, alphas, model="lasso",
                                fit_intercept=False, max_iter=2000)
    return coefs @ (X_eval - x_mean).T + y_mean


def _early_stopping_path(steps, X, y, X_eval):
    from regbook.early_stopping import gradient_descent_weights
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc = X - x_mean
    # A step of 1/λ_max, safely below the 2/λ_max at which gradient descent diverges.
    lr = 1.0 / np.linalg.eigvalsh(Xc.T @ Xc / len(y)).max()
    weights = gradient_descent_weights(Xc, y - y_mean, lr, list(steps))
    return weights @ (X_eval - x_mean).T + y_mean


def _bagging_path(counts, X, y, X_eval):
    from regbook.ensembles import BaggingRegressor
    # Members are independent draws, so the first k members of one fit form a k-member bagging
    # ensemble; fitting the largest once gives every k on the grid.
    bagger = BaggingRegressor(n_estimators=max(counts), random_state=0).fit(X, y)
    members = np.array([tree.predict(X_eval[:, features]) for tree, features
                        in zip(bagger.estimators_, bagger.estimators_features_)])
    return np.array([members[:k].mean(axis=0) for k in counts])


REGULARIZERS = {
    "ridge": dict(label="ridge α", fit_predict=_centred_linear(_ridge), path=False,
                  strengths=[0.0, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0]),
    "lasso": dict(label="lasso α", fit_predict=_lasso_path, path=True,
                  strengths=[0.3, 1.0, 3.0, 10.0, 20.0, 30.0]),
    "early_stopping": dict(label="gradient-descent steps τ (fewer = stronger)",
                           fit_predict=_early_stopping_path, path=True,
                           strengths=[1000, 128, 32, 16, 8, 4, 2, 1]),
    "dropout": dict(label="dropout p", fit_predict=_centred_linear(_dropout), path=False,
                    strengths=[0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7]),
    "input_noise": dict(label="input-noise σ", fit_predict=_centred_linear(_input_noise),
                        path=False, strengths=[0.0, 0.1, 0.2, 0.35, 0.5, 0.8, 1.2]),
    "bagging": dict(label="bagged trees k", fit_predict=_bagging_path, path=True,
                    strengths=[1, 2, 5, 10]),
}
"""The learners of chapter 15's harness, each from the module that teaches it, weakest first.

Each entry holds ``fit_predict`` (for :func:`bias_variance_curve`), its grid of ``strengths``
(ordered from the least to the most regularized), whether it computes the grid as a ``path``,
and a ``label``. The linear learners fit the 10 features with an unpenalised intercept: ridge
(``regbook.linear``), lasso (a warm-started path), early-stopped gradient descent from zero with
step ``1/λ_max`` (``regbook.early_stopping``, exact iterates), dropout (``regbook.dropout``, the
closed-form minimiser of the expected dropout loss), input noise (``regbook.noise``, least squares
on 20 noisy copies); bagging averages k unpruned regression trees (``regbook.ensembles``).
"""


def measure_regularizers(task, names=None, n_repeats=40, rng=0, n_bootstrap=100):
    """Run :func:`bias_variance_curve` on ``task`` for each regularizer in :data:`REGULARIZERS`.

    Every regularizer sees the same ``n_repeats`` training sets (the same ``rng``).

    Parameters
    ----------
    task : SemiSyntheticTask
    names : sequence of str, optional
        Keys of :data:`REGULARIZERS`; all of them by default.
    n_repeats, rng, n_bootstrap
        As in :func:`bias_variance_curve` (``rng`` must be a seed, so each regularizer starts
        from it).

    Returns
    -------
    dict of str to BiasVarianceCurve

    Examples
    --------
    >>> curves = measure_regularizers(make_diabetes_task(), ["ridge", "dropout"], n_repeats=10)
    >>> sorted(curves), len(curves["ridge"].total)
    (['dropout', 'ridge'], 8)
    """
    if not isinstance(task, SemiSyntheticTask):
        raise TypeError(f"task must be a SemiSyntheticTask, got {type(task).__name__}")
    if names is not None and (isinstance(names, (str, bytes)) or not hasattr(names, "__iter__")):
        raise TypeError(f"names must be a sequence of keys of REGULARIZERS, got {names!r}")
    names = list(REGULARIZERS) if names is None else list(names)
    for name in names:
        if name not in REGULARIZERS:
            raise ValueError(f"names must be keys of REGULARIZERS {sorted(REGULARIZERS)}, "
                             f"got {name!r}")
    if isinstance(rng, (bool, np.bool_)) or not isinstance(rng, (int, np.integer)) or rng < 0:
        raise ValueError(f"rng must be a non-negative integer seed, got {rng!r}")
    return {name: bias_variance_curve(
                REGULARIZERS[name]["fit_predict"], REGULARIZERS[name]["strengths"],
                task.draw_training_set, task.x_eval, task.f_eval, task.noise,
                n_repeats=n_repeats, rng=int(rng), n_bootstrap=n_bootstrap,
                path=REGULARIZERS[name]["path"])
            for name in names}
