r"""SGD as a regularizer: gradient noise, the implicit bias of gradient descent, and finite steps.

The mini-batch gradient of a finite sum :math:`L(w) = \frac1n\sum_i \ell_i(w)` over a batch
:math:`\mathcal B` of :math:`B` indices drawn without replacement is

.. math::

    \hat g(w) = \frac1B \sum_{i \in \mathcal B} \nabla \ell_i(w), \qquad
    \mathbb E[\hat g] = \nabla L, \qquad
    \operatorname{Cov}[\hat g] = \frac1B\Big(1 - \frac Bn\Big) S,

with :math:`S = \frac1{n-1}\sum_i (\nabla\ell_i - \nabla L)(\nabla\ell_i - \nabla L)^\top`. This
module computes both sides exactly (by enumerating every batch), runs mini-batch SGD and gradient
descent on small problems, and integrates gradient flows for backward error analysis (Barrett &
Dherin 2021). Training networks to a matched training loss and measuring their sharpness live in
:mod:`regbook.landscape` (``train_to_loss``, ``top_hessian_eigenvalue``).

See Also
--------
Chapter 14, "SGD as a regularizer", which derives and verifies each formula.
"""

import itertools
import math

import numpy as np
from scipy.integrate import solve_ivp

from regbook._validation import (check_finite_array, check_linear_problem,
                                 check_random_state, check_scalar)

__all__ = ["adam_least_squares", "enumerate_minibatch_gradients", "factorization_gradient",
           "factorization_hessian_vector_product", "factorization_loss", "gradient_descent",
           "gradient_descent_least_squares", "gradient_flow", "gradient_noise_scale",
           "minibatch_gradient_covariance", "minibatch_sgd", "minimum_norm_solution",
           "modified_gradient"]

MAX_ENUMERATED_BATCHES = 200_000
BATCH_BLOCK = 64


def _check_gradients(per_example_gradients):
    G = check_finite_array(per_example_gradients, "per_example_gradients")
    if G.ndim == 1:
        G = G[:, None]
    if G.ndim != 2:
        raise ValueError(f"per_example_gradients must be 1- or 2-dimensional (n_samples, "
                         f"n_parameters), got shape {G.shape}")
    if G.shape[0] < 2:
        raise ValueError(f"per_example_gradients must hold at least 2 samples, got {G.shape[0]}")
    return G


def enumerate_minibatch_gradients(per_example_gradients, batch_size):
    r"""Every mini-batch mean gradient, one row per batch of ``batch_size`` distinct samples.

    .. math:: \hat g_{\mathcal B} = \frac1B\sum_{i\in\mathcal B} g_i
              \quad\text{for every } \mathcal B \subset \{1,\dots,n\},\ |\mathcal B| = B.

    Each of the :math:`\binom nB` batches is equally likely under sampling without replacement, so
    the plain mean and the (1/N-normalised) covariance of the rows are the *exact* moments of the
    mini-batch gradient.

    Parameters
    ----------
    per_example_gradients : array-like of shape (n_samples, n_parameters) or (n_samples,)
        The gradient of each sample's loss at one point :math:`w`.
    batch_size : int
        In ``[1, n_samples]``; at most 200,000 batches may be enumerated.

    Returns
    -------
    ndarray of shape (n_batches, n_parameters)

    Examples
    --------
    >>> enumerate_minibatch_gradients([[1.0], [2.0], [6.0]], 2).ravel()
    array([1.5, 3.5, 4. ])
    """
    G = _check_gradients(per_example_gradients)
    n = G.shape[0]
    batch_size = check_scalar(batch_size, "batch_size", low=1, high=n, integer=True)
    count = math.comb(n, batch_size)
    if count > MAX_ENUMERATED_BATCHES:
        raise ValueError(f"batch_size={batch_size} with n_samples={n} gives {count} batches; "
                         f"enumeration allows at most {MAX_ENUMERATED_BATCHES}")
    batches = np.array(list(itertools.combinations(range(n), batch_size)))
    return G[batches].mean(axis=1)


def minibatch_gradient_covariance(per_example_gradients, batch_size):
    r"""Closed-form covariance of the mini-batch mean gradient, sampling without replacement.

    .. math:: \operatorname{Cov}[\hat g] = \frac1B\Big(1 - \frac Bn\Big)\,
              \frac1{n-1}\sum_{i=1}^n (g_i - \bar g)(g_i - \bar g)^\top

    The factor :math:`1 - B/n` is the finite-population correction: it vanishes for the full
    batch. With replacement the covariance would be :math:`\frac1{Bn}\sum_i (g_i-\bar g)(g_i-\bar
    g)^\top` instead.

    Parameters
    ----------
    per_example_gradients : array-like of shape (n_samples, n_parameters) or (n_samples,)
    batch_size : int
        In ``[1, n_samples]``.

    Returns
    -------
    ndarray of shape (n_parameters, n_parameters)

    Examples
    --------
    >>> minibatch_gradient_covariance([[1.0], [2.0], [6.0]], 2)
    array([[1.16666667]])
    """
    G = _check_gradients(per_example_gradients)
    n = G.shape[0]
    batch_size = check_scalar(batch_size, "batch_size", low=1, high=n, integer=True)
    centred = G - G.mean(axis=0)
    S = centred.T @ centred / (n - 1)
    return (1.0 / batch_size) * (1.0 - batch_size / n) * S


def gradient_noise_scale(lr, batch_size, n_samples):
    r"""The SGD noise scale of Smith & Le (2018): :math:`g = \eta\,(n/B - 1) \approx \eta n / B`.

    One SGD step adds noise of covariance :math:`\eta^2 \operatorname{Cov}[\hat g]`; per unit of
    the "time" :math:`\eta` that the step advances, that is
    :math:`\eta\,\frac{n-B}{B}\,\frac{S}{n} = g\,S/n`. Two runs with the same :math:`g` diffuse
    alike, whatever :math:`\eta` and :math:`B` are separately.

    Parameters
    ----------
    lr : float
        Learning rate :math:`\eta > 0`.
    batch_size : int
        In ``[1, n_samples]``.
    n_samples : int
        Training-set size :math:`n \ge 1`.

    Examples
    --------
    >>> gradient_noise_scale(0.1, 10, 1000)
    9.9
    """
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    batch_size = check_scalar(batch_size, "batch_size", low=1, high=n_samples, integer=True)
    return lr * (n_samples / batch_size - 1.0)


def minibatch_sgd(batch_gradient, n_samples, w0, *, lr, batch_size, steps, n_chains=1, seed=0):
    r"""Mini-batch SGD on a finite sum, for several independent chains at once (numpy).

    .. math:: w_{k+1} = w_k - \eta\,\frac1B\sum_{i\in\mathcal B_k}\nabla\ell_i(w_k),

    where each :math:`\mathcal B_k` is a fresh batch of :math:`B` distinct indices, drawn
    independently at every step and for every chain. ``batch_size = n_samples`` is gradient
    descent (no noise).

    Parameters
    ----------
    batch_gradient : callable ``(W, batches) -> ndarray``
        ``W`` has shape (n_chains, n_parameters) and ``batches`` (n_chains, batch_size) integer
        indices; returns each chain's mini-batch mean gradient, shape (n_chains, n_parameters).
    n_samples : int
    w0 : array-like of shape (n_parameters,) or (n_chains, n_parameters)
    lr : float
    batch_size : int
        In ``[1, n_samples]``.
    steps : int
        Non-negative number of steps.
    n_chains : int, default 1
    seed : int, default 0

    Returns
    -------
    ndarray of shape (steps + 1, n_chains, n_parameters)
        The iterates, starting with ``w0``.

    Examples
    --------
    >>> targets = np.array([0.0, 1.0, 2.0, 3.0])
    >>> grad = lambda W, b: W - targets[b].mean(axis=1, keepdims=True)
    >>> path = minibatch_sgd(grad, 4, [0.0], lr=0.5, batch_size=4, steps=20)
    >>> round(float(path[-1, 0, 0]), 4)
    1.5
    """
    if not callable(batch_gradient):
        raise TypeError(f"batch_gradient must be callable (W, batches) -> gradients, got "
                        f"{batch_gradient!r}")
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    batch_size = check_scalar(batch_size, "batch_size", low=1, high=n_samples, integer=True)
    steps = check_scalar(steps, "steps", low=0, integer=True)
    n_chains = check_scalar(n_chains, "n_chains", low=1, integer=True)
    rng = check_random_state(seed, "seed")
    W = check_finite_array(w0, "w0")
    W = np.broadcast_to(W, (n_chains, W.shape[-1])).copy() if W.ndim == 1 else W.copy()
    if W.shape[0] != n_chains:
        raise ValueError(f"w0 must have shape (n_parameters,) or (n_chains={n_chains}, "
                         f"n_parameters), got {W.shape}")
    path = np.empty((steps + 1,) + W.shape)
    path[0] = W
    full = np.broadcast_to(np.arange(n_samples), (n_chains, n_samples))
    block = []
    for k in range(steps):
        if batch_size == n_samples:
            batches = full
        else:
            if not block:
                # Draw the batches of many steps in one call: per-step calls dominate the time.
                size = min(BATCH_BLOCK, steps - k)
                block = list(np.argpartition(rng.random((size, n_chains, n_samples)),
                                             batch_size - 1, axis=-1)[..., :batch_size][::-1])
            batches = block.pop()
        W = W - lr * batch_gradient(W, batches)
        path[k + 1] = W
    return path


def gradient_descent(gradient, w0, *, lr, steps):
    r"""Plain gradient descent, :math:`w_{k+1} = w_k - \eta\nabla L(w_k)`, keeping every iterate.

    Parameters
    ----------
    gradient : callable ``w -> ndarray``
    w0 : array-like of shape (n_parameters,)
    lr : float
    steps : int

    Returns
    -------
    ndarray of shape (steps + 1, n_parameters)

    Examples
    --------
    >>> gradient_descent(lambda w: 2 * w, [1.0], lr=0.25, steps=3).ravel()
    array([1.   , 0.5  , 0.25 , 0.125])
    """
    if not callable(gradient):
        raise TypeError(f"gradient must be callable w -> gradient, got {gradient!r}")
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    steps = check_scalar(steps, "steps", low=0, integer=True)
    w = check_finite_array(w0, "w0", ndim=1).copy()
    path = np.empty((steps + 1, w.shape[0]))
    path[0] = w
    for k in range(steps):
        w = w - lr * np.asarray(gradient(w), dtype=float)
        path[k + 1] = w
    return path


def _least_squares_problem(X, y, w0):
    _, X, y = check_linear_problem(None, X, y)
    if w0 is None:
        w0 = np.zeros(X.shape[1])
    w0 = check_finite_array(w0, "w0", ndim=1)
    if w0.shape[0] != X.shape[1]:
        raise ValueError(f"w0 must have one entry per feature ({X.shape[1]}), got {w0.shape[0]}")
    return X, y, w0


def gradient_descent_least_squares(X, y, *, lr, steps, w0=None):
    r"""Gradient descent on :math:`L(w) = \frac1{2n}\lVert Xw - y\rVert^2`; returns the last iterate.

    .. math:: w_{k+1} = w_k - \frac{\eta}{n} X^\top (X w_k - y)

    Every step moves :math:`w` inside the row space of :math:`X`, so the part of :math:`w_0`
    orthogonal to it never changes. That is why the limit is
    :func:`minimum_norm_solution` ``(X, y, w0)``. Converges for :math:`0 < \eta < 2n/\sigma_{\max}^2`.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    lr : float
    steps : int
    w0 : array-like of shape (n_features,), optional
        Starting point; zeros when None.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(3, 6)), rng.normal(size=3)
    >>> w = gradient_descent_least_squares(X, y, lr=0.5, steps=2000)
    >>> bool(np.allclose(w, np.linalg.pinv(X) @ y))
    True
    """
    X, y, w0 = _least_squares_problem(X, y, w0)
    n = X.shape[0]
    path = gradient_descent(lambda w: X.T @ (X @ w - y) / n, w0, lr=lr, steps=steps)
    return path[-1]


def adam_least_squares(X, y, *, lr, steps, w0=None, betas=(0.9, 0.999), eps=1e-8):
    r"""Adam on :math:`L(w) = \frac1{2n}\lVert Xw - y\rVert^2`, as ``torch.optim.Adam``; last iterate.

    .. math::

        g_k &= \tfrac1n X^\top(Xw_{k-1} - y) \\
        m_k &= \beta_1 m_{k-1} + (1 - \beta_1) g_k, \qquad
        v_k = \beta_2 v_{k-1} + (1 - \beta_2) g_k^2 \\
        w_k &= w_{k-1} - \eta\,\frac{m_k / (1 - \beta_1^k)}{\sqrt{v_k / (1 - \beta_2^k)} + \epsilon}

    line for line torch's update without weight decay (a unit test pins the parity), in numpy,
    because a torch step costs far more than the arithmetic on a problem this small. Adam divides
    each coordinate's step by a running root mean square of its gradient, so its steps leave the
    row space of :math:`X`: it fits the data but, unlike gradient descent, does not in general
    land on the minimum-norm interpolant.

    Parameters
    ----------
    X, y, lr, steps, w0
        As in :func:`gradient_descent_least_squares`.
    betas : tuple of two floats in [0, 1), default (0.9, 0.999)
    eps : float, default 1e-8

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X, y = rng.normal(size=(3, 6)), rng.normal(size=3)
    >>> w = adam_least_squares(X, y, lr=0.01, steps=3000)
    >>> bool(np.abs(X @ w - y).max() < 1e-3)
    True
    """
    X, y, w = _least_squares_problem(X, y, w0)
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    steps = check_scalar(steps, "steps", low=0, integer=True)
    if len(betas) != 2:
        raise ValueError(f"betas must hold two numbers, got {betas!r}")
    beta1 = check_scalar(betas[0], "betas[0]", low=0.0, high=1.0, high_inclusive=False)
    beta2 = check_scalar(betas[1], "betas[1]", low=0.0, high=1.0, high_inclusive=False)
    eps = check_scalar(eps, "eps", low=0.0)
    n = X.shape[0]
    w = w.copy()
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for k in range(1, steps + 1):
        g = X.T @ (X @ w - y) / n
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        denom = np.sqrt(v) / math.sqrt(1 - beta2**k) + eps
        w = w - (lr / (1 - beta1**k)) * m / denom
    return w


def minimum_norm_solution(X, y, w0=None):
    r"""The interpolant closest to ``w0``: :math:`X^+ y + (I - P)\,w_0`, with :math:`P = X^+X`.

    :math:`P` projects onto the row space of :math:`X`. With ``w0 = 0`` this is the minimum-norm
    least-squares solution :math:`X^+ y`.

    Examples
    --------
    >>> X = np.array([[1.0, 1.0]])
    >>> w = minimum_norm_solution(X, np.array([2.0]), w0=np.array([1.0, 0.0]))
    >>> bool(np.allclose(w, [1.5, 0.5]))
    True
    """
    X, y, w0 = _least_squares_problem(X, y, w0)
    pinv = np.linalg.pinv(X)
    return pinv @ y + w0 - pinv @ (X @ w0)


def gradient_flow(gradient, w0, *, times, rtol=1e-10, atol=1e-12):
    r"""Integrate the gradient flow :math:`\dot w = -\nabla L(w)` (scipy's DOP853).

    Parameters
    ----------
    gradient : callable ``w -> ndarray``
        :math:`\nabla L`, or :func:`modified_gradient` for the flow of the modified loss.
    w0 : array-like of shape (n_parameters,)
    times : array-like of increasing non-negative floats
        Where to report :math:`w(t)`; gradient descent with step :math:`\eta` after :math:`k`
        steps is compared with :math:`t = k\eta`.
    rtol, atol : float
        Tolerances of the integrator.

    Returns
    -------
    ndarray of shape (len(times), n_parameters)

    Examples
    --------
    >>> float(gradient_flow(lambda w: w, [1.0], times=[0.0, 1.0])[-1, 0]).__round__(8)
    0.36787944
    """
    if not callable(gradient):
        raise TypeError(f"gradient must be callable w -> gradient, got {gradient!r}")
    w0 = check_finite_array(w0, "w0", ndim=1)
    times = check_finite_array(times, "times", ndim=1)
    if times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be non-negative and increasing")
    rtol = check_scalar(rtol, "rtol", low=0.0, low_inclusive=False)
    atol = check_scalar(atol, "atol", low=0.0, low_inclusive=False)
    solution = solve_ivp(lambda t, w: -np.asarray(gradient(w), dtype=float), (0.0, times[-1]),
                         w0, method="DOP853", t_eval=times, rtol=rtol, atol=atol)
    if not solution.success:
        raise RuntimeError(f"the gradient flow did not integrate: {solution.message}")
    return solution.y.T


def modified_gradient(gradient, hessian_vector_product, lr):
    r"""Gradient of Barrett & Dherin's modified loss :math:`\tilde L = L + \frac\eta4\lVert\nabla L\rVert^2`.

    .. math:: \nabla\tilde L(w) = \nabla L(w) + \frac\eta2\,H(w)\,\nabla L(w)

    Gradient descent with step :math:`\eta` stays within :math:`O(\eta^2)` of the flow of
    :math:`\tilde L` over a fixed time, but only within :math:`O(\eta)` of the flow of :math:`L`.

    Parameters
    ----------
    gradient : callable ``w -> ndarray``
    hessian_vector_product : callable ``(w, v) -> ndarray``
        :math:`H(w)v`.
    lr : float
        The step size :math:`\eta > 0`.

    Returns
    -------
    callable ``w -> ndarray``

    Examples
    --------
    >>> g = modified_gradient(lambda w: 2 * w, lambda w, v: 2 * v, 0.1)
    >>> g(np.array([1.0]))
    array([2.2])
    """
    if not callable(gradient) or not callable(hessian_vector_product):
        raise TypeError("gradient and hessian_vector_product must be callable")
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)

    def modified(w):
        g = np.asarray(gradient(w), dtype=float)
        return g + 0.5 * lr * np.asarray(hessian_vector_product(w, g), dtype=float)

    return modified


def _check_pair(w, name="w"):
    w = check_finite_array(w, name, ndim=1)
    if w.shape != (2,):
        raise ValueError(f"{name} must hold two parameters (a, b), got shape {w.shape}")
    return w


def factorization_loss(w, target=1.0):
    r"""The scalar factorisation loss :math:`L(a, b) = \frac12(ab - t)^2`.

    The smallest "deep" model: a product of two weights fitted to one number. Its minima form the
    hyperbola :math:`ab = t`, and the curvature there, :math:`a^2 + b^2`, is lowest at the balanced
    point :math:`a = b`.

    Examples
    --------
    >>> factorization_loss([2.0, 1.0], target=1.0)
    0.5
    """
    w = _check_pair(w)
    target = check_scalar(target, "target")
    return float(0.5 * (w[0] * w[1] - target) ** 2)


def factorization_gradient(w, target=1.0):
    r""":math:`\nabla L(a, b) = (ab - t)\,(b, a)` for :func:`factorization_loss`.

    Examples
    --------
    >>> factorization_gradient([2.0, 1.0])
    array([1., 2.])
    """
    w = _check_pair(w)
    target = check_scalar(target, "target")
    residual = w[0] * w[1] - target
    return np.array([residual * w[1], residual * w[0]])


def factorization_hessian_vector_product(w, v, target=1.0):
    r""":math:`H v` for :func:`factorization_loss`, with
    :math:`H = \begin{pmatrix} b^2 & 2ab - t \\ 2ab - t & a^2 \end{pmatrix}`.

    Examples
    --------
    >>> factorization_hessian_vector_product([1.0, 1.0], [1.0, 0.0])
    array([1., 1.])
    """
    w = _check_pair(w)
    v = _check_pair(v, "v")
    target = check_scalar(target, "target")
    a, b = w
    off = 2 * a * b - target
    return np.array([b**2 * v[0] + off * v[1], off * v[0] + a**2 * v[1]])
