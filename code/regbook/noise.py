r"""Noise injection (chapter 07): adding noise to the inputs is L2 regularization for linear models.

For a linear model and inputs corrupted as :math:`\tilde x = x + \varepsilon`,
:math:`\varepsilon \sim \mathcal N(0, \sigma^2 I)`, independent of :math:`(x, y)`:

.. math::

    \mathbb E_\varepsilon\big[(w^\top \tilde x - y)^2\big]
    = (w^\top x - y)^2 + \sigma^2 \|w\|^2

(Bishop 1995), because the cross term has mean zero and :math:`w^\top\varepsilon \sim
\mathcal N(0, \sigma^2\|w\|^2)`. Summed over :math:`n` samples this is scikit-learn's ridge
objective with :math:`\alpha = n\sigma^2`.
"""

import numpy as np
import torch
from torch import nn

from regbook._validation import (check_finite_array, check_linear_problem, check_random_state,
                                check_scalar)

__all__ = ["GaussianNoise", "add_gaussian_noise", "equivalent_ridge_alpha",
           "expected_noisy_squared_error", "gaussian_noise_transform",
           "monte_carlo_noisy_squared_error", "noise_augmented_least_squares"]


def _check_sigma(sigma):
    return check_scalar(sigma, "sigma", low=0.0)


def add_gaussian_noise(X, sigma, rng=None):
    r"""Return :math:`X + \sigma Z` with :math:`Z_{ij} \sim \mathcal N(0, 1)` independent.

    Parameters
    ----------
    X : ndarray or torch.Tensor
        Any shape. A tensor gives a tensor of the same dtype and device (the noise is drawn with
        ``rng`` on the CPU), so the function also serves as a ``transform`` in
        ``regbook.training.train`` through :func:`gaussian_noise_transform`.
    sigma : float
        Non-negative noise standard deviation.
    rng : int, np.random.Generator or None

    Returns
    -------
    ndarray or torch.Tensor
        A new array; ``X`` is not modified.

    See Also
    --------
    GaussianNoise : the same as an ``nn.Module`` layer. Chapter 07, "Noise injection".

    Examples
    --------
    >>> add_gaussian_noise(np.zeros(3), sigma=0.1, rng=0).round(3)
    array([ 0.013, -0.013,  0.064])
    """
    sigma = _check_sigma(sigma)
    rng = check_random_state(rng)
    if isinstance(X, torch.Tensor):
        if not X.is_floating_point():
            raise ValueError(f"X must be a floating-point tensor, got dtype {X.dtype}")
        if X.numel() == 0:
            raise ValueError(f"X must not be empty, got shape {tuple(X.shape)}")
        if not torch.isfinite(X).all():
            raise ValueError("X must contain only finite values, got NaN or inf")
        noise = torch.from_numpy(rng.standard_normal(tuple(X.shape)))
        return X + sigma * noise.to(dtype=X.dtype, device=X.device)
    X = check_finite_array(X, "X")
    return X + sigma * rng.standard_normal(X.shape)


def gaussian_noise_transform(sigma):
    r"""Return ``transform(X_batch, rng)`` that adds :math:`\mathcal N(0, \sigma^2)` noise.

    Pass it as ``regbook.training.train(..., transform=gaussian_noise_transform(0.1))``: the
    training batches get fresh noise each step, validation data stays clean.

    See Also
    --------
    add_gaussian_noise. Chapter 07, "Noise injection".

    Examples
    --------
    >>> transform = gaussian_noise_transform(0.5)
    >>> transform(torch.zeros(2, 3), np.random.default_rng(0)).shape
    torch.Size([2, 3])
    """
    sigma = _check_sigma(sigma)

    def transform(X, rng):
        return add_gaussian_noise(X, sigma, rng)

    transform.sigma = sigma
    return transform


class GaussianNoise(nn.Module):
    r"""Add :math:`\mathcal N(0, \sigma^2)` noise to the input in training mode; identity in eval.

    .. math::

        \mathrm{GaussianNoise}(x) = \begin{cases} x + \sigma z,\ z \sim \mathcal N(0, I) &
        \text{training} \\ x & \text{eval} \end{cases}

    Like ``nn.Dropout``, it draws from torch's global generator, which
    ``regbook.training.train`` seeds from its ``seed``.

    Parameters
    ----------
    sigma : float
        Non-negative noise standard deviation.

    See Also
    --------
    add_gaussian_noise. Chapter 07, "Noise injection".

    Examples
    --------
    >>> layer = GaussianNoise(0.1).eval()
    >>> layer(torch.ones(2)).tolist()
    [1.0, 1.0]
    """

    def __init__(self, sigma):
        super().__init__()
        self.sigma = _check_sigma(sigma)

    def forward(self, x):
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch.Tensor, got {type(x).__name__}")
        if not self.training or self.sigma == 0.0:
            return x
        return x + self.sigma * torch.randn_like(x)

    def extra_repr(self):
        return f"sigma={self.sigma}"


def expected_noisy_squared_error(w, X, y, sigma):
    r"""Mean squared error of a linear model under input noise, in closed form.

    .. math::

        \frac{1}{n}\sum_{i=1}^{n} \mathbb E_\varepsilon\big[(w^\top(x_i + \varepsilon) -
        y_i)^2\big] = \frac{1}{n}\|Xw - y\|^2 + \sigma^2\|w\|^2,
        \qquad \varepsilon \sim \mathcal N(0, \sigma^2 I)

    Parameters
    ----------
    w : array-like of shape (n_features,)
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sigma : float
        Non-negative input-noise standard deviation.

    Returns
    -------
    float

    See Also
    --------
    monte_carlo_noisy_squared_error : the same quantity estimated by sampling.
    Chapter 07, "Noise injection".

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> expected_noisy_squared_error([1.0, 2.0], X, [1.0, 2.0], sigma=0.5)
    1.25
    """
    w, X, y = check_linear_problem(w, X, y)
    sigma = _check_sigma(sigma)
    return float(np.mean((X @ w - y) ** 2) + sigma**2 * (w @ w))


def monte_carlo_noisy_squared_error(w, X, y, sigma, n_draws=1000, rng=None):
    r"""Estimate :math:`\frac{1}{n}\sum_i \mathbb E[(w^\top(x_i + \varepsilon) - y_i)^2]` by
    adding ``n_draws`` independent noise matrices to ``X``.

    .. math::

        \frac{1}{S}\sum_{s=1}^{S} \frac{1}{n}\big\|(X + E_s)w - y\big\|^2,
        \qquad (E_s)_{ij} \sim \mathcal N(0, \sigma^2)

    Its standard error shrinks like :math:`1/\sqrt{S n}`.

    Parameters
    ----------
    w, X, y, sigma
        As in :func:`expected_noisy_squared_error`.
    n_draws : int, default 1000
        Number :math:`S` of noisy copies of ``X``.
    rng : int, np.random.Generator or None

    Returns
    -------
    float

    See Also
    --------
    expected_noisy_squared_error. Chapter 07, "Noise injection".

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> mc = monte_carlo_noisy_squared_error([1.0, 2.0], X, [1.0, 2.0], 0.5, 20000, rng=0)
    >>> abs(mc - 1.25) < 0.05
    True
    """
    w, X, y = check_linear_problem(w, X, y)
    sigma = _check_sigma(sigma)
    n_draws = check_scalar(n_draws, "n_draws", low=1, integer=True)
    rng = check_random_state(rng)
    n, d = X.shape
    # Draw in chunks of about a million numbers to bound memory.
    chunk = max(1, 2**20 // (n * d))
    total = 0.0
    for start in range(0, n_draws, chunk):
        size = min(chunk, n_draws - start)
        residual = (X + sigma * rng.standard_normal((size, n, d))) @ w - y
        total += float(np.sum(residual**2))
    return total / (n_draws * n)


def equivalent_ridge_alpha(n_samples, sigma):
    r"""Ridge penalty equivalent to input noise of standard deviation ``sigma``: :math:`n\sigma^2`.

    Derivation. With :math:`E` an :math:`n \times d` matrix of independent
    :math:`\mathcal N(0, \sigma^2)` entries, each entry of :math:`Ew` is
    :math:`\mathcal N(0, \sigma^2\|w\|^2)`, and :math:`\mathbb E[E] = 0` kills the cross term:

    .. math::

        \mathbb E_E\big\|y - (X + E)w\big\|^2
        = \|y - Xw\|^2 - 2(y - Xw)^\top \mathbb E[E]\,w + \mathbb E\|Ew\|^2
        = \|y - Xw\|^2 + n\sigma^2\|w\|^2.

    That is scikit-learn's ``Ridge`` objective :math:`\|y - Xw\|^2 + \alpha\|w\|^2` with
    :math:`\alpha = n\sigma^2`. Dividing by :math:`n` gives the per-sample form of
    :func:`expected_noisy_squared_error`, whose penalty is :math:`\sigma^2\|w\|^2`.

    Parameters
    ----------
    n_samples : int
        Number :math:`n \ge 1` of training samples.
    sigma : float
        Non-negative input-noise standard deviation.

    Returns
    -------
    float

    See Also
    --------
    noise_augmented_least_squares, regbook.linear.ridge_closed_form.
    Chapter 07, "Noise injection"; chapter 02 for the ridge scalings.

    Examples
    --------
    >>> equivalent_ridge_alpha(100, sigma=0.5)
    25.0
    """
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    sigma = _check_sigma(sigma)
    return n_samples * sigma**2


def noise_augmented_least_squares(X, y, sigma, n_copies, rng=None):
    r"""Fit plain least squares (no intercept) to ``n_copies`` noisy copies of the data.

    .. math::

        \hat w = \arg\min_w \sum_{c=1}^{C} \big\|y - (X + E_c)w\big\|^2,
        \qquad (E_c)_{ij} \sim \mathcal N(0, \sigma^2)

    As :math:`C \to \infty` the objective divided by :math:`C` tends to
    :math:`\|y - Xw\|^2 + n\sigma^2\|w\|^2`, so :math:`\hat w` tends to the ridge solution with
    ``alpha = equivalent_ridge_alpha(n, sigma)``; the gap shrinks like :math:`1/\sqrt{C}`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    sigma : float
        Non-negative input-noise standard deviation.
    n_copies : int
        Number :math:`C \ge 1` of noisy copies stacked (memory: ``C * n_samples * n_features``
        floats).
    rng : int, np.random.Generator or None

    Returns
    -------
    w : ndarray of shape (n_features,)

    See Also
    --------
    equivalent_ridge_alpha, regbook.linear.ridge_closed_form. Chapter 07, "Noise injection".

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> noise_augmented_least_squares(X, [1.0, 2.0, 3.0], sigma=0.0, n_copies=1).round(6)
    array([1., 2.])
    """
    _, X, y = check_linear_problem(None, X, y)
    sigma = _check_sigma(sigma)
    n_copies = check_scalar(n_copies, "n_copies", low=1, integer=True)
    rng = check_random_state(rng)
    X_noisy = X + sigma * rng.standard_normal((n_copies, *X.shape))
    w, *_ = np.linalg.lstsq(X_noisy.reshape(-1, X.shape[1]), np.tile(y, n_copies), rcond=None)
    return w
