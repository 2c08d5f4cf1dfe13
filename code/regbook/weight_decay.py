r"""Weight decay, and the conversions between the scalings of the L2 penalty.

The same ridge solution hides behind several objectives that differ only in constant factors.
With :math:`n` samples, residual :math:`r = y - Xw` and
:math:`\mathrm{MSE}(w) = \frac1n\|r\|_2^2`, the equivalent scikit-learn ``Ridge(alpha)`` is:

* :math:`\|r\|^2 + \alpha\|w\|^2` (scikit-learn's and our ``Ridge``): ``alpha`` itself;
* :math:`\mathrm{MSE} + \lambda\|w\|^2` (notes "5.2 Regularization"): ``n * lam``
  (:func:`ridge_alpha_from_mse_lambda`);
* :math:`\mathrm{MSE} + \frac{a}{2}\|w\|^2` (notes "Why Models Overfit"): ``n * a / 2``
  (:func:`ridge_alpha_from_half_alpha`);
* torch ``SGD(weight_decay=wd)`` on a mean MSE loss: ``n * wd / 2``
  (:func:`ridge_alpha_from_torch_weight_decay`);
* :math:`\frac1{2n}\|r\|^2 + \frac{a}{2}\|w\|^2` (``ElasticNet(a, l1_ratio=0)``): ``n * a``
  (:func:`ridge_alpha_from_elastic_net_alpha`).

For the L1 penalty, :math:`\mathrm{MSE} + \lambda\|w\|_1` is scikit-learn's
``Lasso(alpha=lam / 2)`` (:func:`lasso_alpha_from_mse_lambda`): no :math:`n` at all, because the
lasso's loss already carries :math:`\frac1{2n}`.

The gradient of :math:`\lambda\|w\|^2` is :math:`2\lambda w`; torch's ``weight_decay`` adds
:math:`\lambda w`, which is the gradient of :math:`\frac{\lambda}{2}\|w\|^2`
(:func:`weight_decay_step`). Inside Adam that coupled decay is divided by the adaptive scale;
AdamW (Loshchilov & Hutter 2019) decouples it (:func:`adam_step`).

See chapter 02, "L2 / ridge and weight decay", which verifies each conversion numerically.
"""

import numpy as np

from regbook._validation import check_finite_array, check_linear_problem, check_scalar

__all__ = [
    "adam_step",
    "lasso_alpha_from_mse_lambda",
    "logistic_C_from_torch_weight_decay",
    "penalised_gradient_descent",
    "ridge_alpha_from_elastic_net_alpha",
    "ridge_alpha_from_half_alpha",
    "ridge_alpha_from_mlp_alpha",
    "ridge_alpha_from_mse_lambda",
    "ridge_alpha_from_torch_weight_decay",
    "torch_weight_decay_from_ridge_alpha",
    "weight_decay_step",
]


def _nonnegative(value, name):
    return check_scalar(value, name, low=0.0)


def _n_samples(n_samples):
    return check_scalar(n_samples, "n_samples", low=1, integer=True)


def ridge_alpha_from_mse_lambda(lam, n_samples):
    r"""scikit-learn ``Ridge`` alpha for the objective :math:`\mathrm{MSE}(y, Xw) + \lambda\|w\|_2^2`.

    .. math::

        \frac1n\|y - Xw\|_2^2 + \lambda\|w\|_2^2
        \;\propto\; \|y - Xw\|_2^2 + (n\lambda)\|w\|_2^2
        \quad\Longrightarrow\quad \alpha_{\text{Ridge}} = n\lambda .

    This is the convention of the lecture notes "5.2 Regularization".

    Parameters
    ----------
    lam : float
        Non-negative penalty :math:`\lambda` on the mean squared error.
    n_samples : int
        Number of training samples :math:`n` (at least 1).

    Returns
    -------
    float

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay" (the conventions table).

    Examples
    --------
    >>> ridge_alpha_from_mse_lambda(0.01, 200)
    2.0
    """
    return _n_samples(n_samples) * _nonnegative(lam, "lam")


def ridge_alpha_from_half_alpha(alpha, n_samples):
    r"""scikit-learn ``Ridge`` alpha for :math:`\mathrm{MSE}(y, Xw) + \frac{a}{2}\|w\|_2^2`.

    .. math::

        \frac1n\|y - Xw\|_2^2 + \frac{a}{2}\|w\|_2^2
        \;\propto\; \|y - Xw\|_2^2 + \frac{n a}{2}\|w\|_2^2
        \quad\Longrightarrow\quad \alpha_{\text{Ridge}} = \frac{n a}{2} .

    This is the convention of the lecture notes "Why Models Overfit" (its :math:`L(w) + \frac{\alpha}{2}
    \|w\|^2` with :math:`L` the mean squared error), and also what torch's SGD
    ``weight_decay`` means (:func:`ridge_alpha_from_torch_weight_decay`).

    Parameters
    ----------
    alpha : float
        Non-negative coefficient :math:`a` of :math:`\frac{a}{2}\|w\|^2`.
    n_samples : int
        Number of training samples :math:`n`.

    Returns
    -------
    float

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> ridge_alpha_from_half_alpha(0.01, 200)
    1.0
    """
    return _n_samples(n_samples) * _nonnegative(alpha, "alpha") / 2.0


def ridge_alpha_from_torch_weight_decay(weight_decay, n_samples):
    r"""scikit-learn ``Ridge`` alpha matching ``torch.optim.SGD(weight_decay=wd)`` on a mean MSE.

    torch adds :math:`\mathrm{wd}\cdot w` to the gradient of the loss, which is the gradient of
    :math:`\frac{\mathrm{wd}}{2}\|w\|_2^2`. With the loss ``nn.MSELoss()`` (mean reduction):

    .. math::

        \frac1n\|y - Xw\|_2^2 + \frac{\mathrm{wd}}{2}\|w\|_2^2
        \quad\Longrightarrow\quad \alpha_{\text{Ridge}} = \frac{n\,\mathrm{wd}}{2} .

    For a summed loss (``reduction="sum"``) the answer would be ``wd / 2``; for ``0.5 * MSE`` it
    would be ``n * wd``.

    Parameters
    ----------
    weight_decay : float
        Non-negative torch ``weight_decay``.
    n_samples : int
        Number of training samples :math:`n`.

    Returns
    -------
    float

    See Also
    --------
    torch_weight_decay_from_ridge_alpha : the inverse.
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> ridge_alpha_from_torch_weight_decay(0.01, 200)
    1.0
    """
    # torch's weight_decay is exactly the coefficient a of the (a/2)||w||^2 penalty.
    return ridge_alpha_from_half_alpha(_nonnegative(weight_decay, "weight_decay"), n_samples)


def torch_weight_decay_from_ridge_alpha(alpha, n_samples):
    r"""torch SGD ``weight_decay`` (mean MSE loss) matching scikit-learn ``Ridge(alpha)``.

    The inverse of :func:`ridge_alpha_from_torch_weight_decay`:
    :math:`\mathrm{wd} = 2\alpha / n`.

    Parameters
    ----------
    alpha : float
        Non-negative ``Ridge`` penalty.
    n_samples : int
        Number of training samples :math:`n`.

    Returns
    -------
    float

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> torch_weight_decay_from_ridge_alpha(1.0, 200)
    0.01
    """
    return 2.0 * _nonnegative(alpha, "alpha") / _n_samples(n_samples)


def ridge_alpha_from_elastic_net_alpha(alpha, n_samples):
    r"""scikit-learn ``Ridge`` alpha equal to ``ElasticNet(alpha, l1_ratio=0)``.

    With ``l1_ratio=0`` the elastic net's objective is pure L2:

    .. math::

        \frac1{2n}\|y - Xw\|_2^2 + \frac{a}{2}\|w\|_2^2
        \;\propto\; \|y - Xw\|_2^2 + (n a)\|w\|_2^2
        \quad\Longrightarrow\quad \alpha_{\text{Ridge}} = n a .

    Parameters
    ----------
    alpha : float
        Non-negative ``ElasticNet`` alpha :math:`a`.
    n_samples : int
        Number of training samples :math:`n`.

    Returns
    -------
    float

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay"; chapter 04, "Elastic net and choosing α".

    Examples
    --------
    >>> ridge_alpha_from_elastic_net_alpha(0.01, 200)
    2.0
    """
    return _n_samples(n_samples) * _nonnegative(alpha, "alpha")


def lasso_alpha_from_mse_lambda(lam):
    r"""scikit-learn ``Lasso`` alpha for the objective :math:`\mathrm{MSE}(y, Xw) + \lambda\|w\|_1`.

    .. math::

        \frac1n\|y - Xw\|_2^2 + \lambda\|w\|_1
        = 2\Big(\frac1{2n}\|y - Xw\|_2^2 + \frac{\lambda}{2}\|w\|_1\Big)
        \quad\Longrightarrow\quad \alpha_{\text{Lasso}} = \frac{\lambda}{2} .

    Unlike ridge, no :math:`n` appears: the lasso's loss is already an average.

    Parameters
    ----------
    lam : float
        Non-negative penalty :math:`\lambda`.

    Returns
    -------
    float

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay"; chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> lasso_alpha_from_mse_lambda(0.2)
    0.1
    """
    return _nonnegative(lam, "lam") / 2.0


def ridge_alpha_from_mlp_alpha(alpha, n_samples, batch_size=None):
    r"""scikit-learn ``Ridge`` alpha matching the ``alpha`` of ``MLPRegressor`` / ``MLPClassifier``.

    scikit-learn's multilayer perceptron adds :math:`\frac{\alpha}{2b}\|W\|_2^2` (all weight
    matrices, no biases) to the mean loss of each batch of :math:`b` samples. For a linear
    ``MLPRegressor`` (no hidden layer, identity output), whose loss is half the mean squared
    error, one epoch of equal batches has the mean gradient of

    .. math::

        \frac1{2n}\|y - Xw\|_2^2 + \frac{\alpha}{2b}\|w\|_2^2
        \;\propto\; \|y - Xw\|_2^2 + \frac{n\alpha}{b}\|w\|_2^2
        \quad\Longrightarrow\quad \alpha_{\text{Ridge}} = \frac{n}{b}\,\alpha .

    The full-batch solver ``"lbfgs"`` uses :math:`b = n`, so there ``MLPRegressor(alpha)`` is
    ``Ridge(alpha)`` exactly; with mini-batches (``"sgd"``, ``"adam"``) the same ``alpha`` is a
    penalty :math:`n/b` times stronger, in expectation over the batches.

    Parameters
    ----------
    alpha : float
        Non-negative ``MLPRegressor`` ``alpha``.
    n_samples : int
        Number of training samples :math:`n` (at least 1).
    batch_size : int or None, default None
        Batch size :math:`b` in ``[1, n_samples]``; None means the full batch (``"lbfgs"``).

    Returns
    -------
    float

    See Also
    --------
    Appendix A, "Conventions and conversions" (verified against ``MLPRegressor``).

    Examples
    --------
    >>> ridge_alpha_from_mlp_alpha(0.5, 200)
    0.5
    >>> ridge_alpha_from_mlp_alpha(0.5, 200, batch_size=50)
    2.0
    """
    n_samples = _n_samples(n_samples)
    alpha = _nonnegative(alpha, "alpha")
    if batch_size is None:
        return alpha
    batch_size = check_scalar(batch_size, "batch_size", low=1, high=n_samples, integer=True)
    return alpha * n_samples / batch_size


def logistic_C_from_torch_weight_decay(weight_decay, n_samples):
    r"""scikit-learn ``LogisticRegression`` ``C`` matching torch's ``weight_decay`` on a mean loss.

    ``LogisticRegression(C)`` minimises :math:`C\sum_i \ell_i(w) + \frac12\|w\|_2^2`, where
    :math:`\ell_i` is the log-loss and the intercept is not penalised. torch's
    ``weight_decay`` adds :math:`\mathrm{wd}\cdot w`, the gradient of
    :math:`\frac{\mathrm{wd}}{2}\|w\|_2^2`, to the gradient of ``F.cross_entropy`` (mean
    reduction):

    .. math::

        \frac1n\sum_i \ell_i(w) + \frac{\mathrm{wd}}{2}\|w\|_2^2
        = \frac{1}{nC}\Big(C\sum_i \ell_i(w) + \frac12\|w\|_2^2\Big)
        \quad\Longrightarrow\quad C = \frac{1}{n\,\mathrm{wd}} .

    So :math:`C` is the inverse of a penalty on the *summed* loss, :math:`C = 1/\lambda` for
    :math:`\sum_i \ell_i + \frac{\lambda}{2}\|w\|^2`, and a larger ``C`` regularizes less.

    Parameters
    ----------
    weight_decay : float
        Positive torch ``weight_decay`` (zero would need :math:`C = \infty`, no penalty).
    n_samples : int
        Number of training samples :math:`n` (at least 1).

    Returns
    -------
    float

    See Also
    --------
    ridge_alpha_from_torch_weight_decay : the same conversion for squared error.
    Appendix A, "Conventions and conversions" (verified against ``LogisticRegression``).

    Examples
    --------
    >>> logistic_C_from_torch_weight_decay(0.01, 200)
    0.5
    """
    weight_decay = check_scalar(weight_decay, "weight_decay", low=0.0, low_inclusive=False)
    return 1.0 / (_n_samples(n_samples) * weight_decay)


def weight_decay_step(w, grad, lr, weight_decay):
    r"""One gradient step with (coupled) weight decay, as ``torch.optim.SGD`` takes it.

    .. math::

        g &\leftarrow \nabla L(w) + \mathrm{wd}\cdot w \\
        w &\leftarrow w - \eta\, g \;=\; (1 - \eta\,\mathrm{wd})\,w - \eta\,\nabla L(w)

    This is gradient descent on :math:`L(w) + \frac{\mathrm{wd}}{2}\|w\|_2^2`. For the penalty
    :math:`\lambda\|w\|_2^2` (no :math:`\frac12`), pass ``weight_decay = 2 * lam``: the decay
    factor is :math:`1 - 2\eta\lambda`, not :math:`1 - \eta\lambda`.

    Parameters
    ----------
    w : array-like
        Current weights.
    grad : array-like, same shape as ``w``
        Gradient of the data loss :math:`\nabla L(w)`.
    lr : float
        Non-negative learning rate :math:`\eta`.
    weight_decay : float
        Non-negative decay :math:`\mathrm{wd}` (torch's name and meaning).

    Returns
    -------
    ndarray
        The new weights (``w`` is not modified).

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> weight_decay_step(np.array([1.0, -2.0]), np.array([0.5, 0.0]), lr=0.1, weight_decay=0.1)
    array([ 0.94, -1.98])
    """
    w = check_finite_array(w, "w")
    grad = check_finite_array(grad, "grad")
    if grad.shape != w.shape:
        raise ValueError(f"grad must have the shape of w, {w.shape}, got {grad.shape}")
    lr = _nonnegative(lr, "lr")
    weight_decay = _nonnegative(weight_decay, "weight_decay")
    return w - lr * (grad + weight_decay * w)


def penalised_gradient_descent(X, y, *, lr, weight_decay, num_steps, w0=None,
                               return_path=False):
    r"""Full-batch gradient descent with weight decay on the mean squared error (no intercept).

    Minimises :math:`\frac1n\|y - Xw\|_2^2 + \frac{\mathrm{wd}}{2}\|w\|_2^2` by repeating

    .. math::

        \nabla L(w) &= \tfrac2n X^\top (Xw - y) \\
        w &\leftarrow (1 - \eta\,\mathrm{wd})\,w - \eta\,\nabla L(w)

    (one :func:`weight_decay_step` per iteration).
    Its fixed point is :math:`(X^\top X + \tfrac{n\,\mathrm{wd}}{2} I)^{-1} X^\top y`, the
    ridge solution for ``Ridge(alpha=n * wd / 2, fit_intercept=False)``. It converges when
    :math:`\eta < 2 / (2 d_1^2 / n + \mathrm{wd})`, with :math:`d_1` the largest singular value
    of :math:`X`. Centre ``X`` and ``y`` first to mimic a model with an unpenalised intercept.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    lr : float
        Positive learning rate :math:`\eta`.
    weight_decay : float
        Non-negative decay (torch's meaning, see :func:`weight_decay_step`).
    num_steps : int
        Number of steps (at least 0).
    w0 : array-like of shape (n_features,), optional
        Starting weights; zeros by default.
    return_path : bool, default False
        Also return every iterate.

    Returns
    -------
    w : ndarray of shape (n_features,)
    path : ndarray of shape (num_steps + 1, n_features)
        Only when ``return_path`` is true; ``path[0]`` is ``w0``.

    See Also
    --------
    ridge_alpha_from_torch_weight_decay : the ``Ridge`` alpha of the fixed point.
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [-1.0, 1.0]])
    >>> y = np.array([1.0, 2.0, 3.0, 1.0])
    >>> penalised_gradient_descent(X, y, lr=0.2, weight_decay=0.5, num_steps=500).round(4)
    array([0.75, 1.5 ])
    """
    _, X, y = check_linear_problem(None, X, y)
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    weight_decay = _nonnegative(weight_decay, "weight_decay")
    num_steps = check_scalar(num_steps, "num_steps", low=0, integer=True)
    n_samples, n_features = X.shape
    if w0 is None:
        w = np.zeros(n_features)
    else:
        w = check_finite_array(w0, "w0", ndim=1)
        if w.shape != (n_features,):
            raise ValueError(f"w0 must have shape ({n_features},), got {w.shape}")
    path = [w] if return_path else None
    with np.errstate(over="ignore", invalid="ignore"):
        for step in range(num_steps):
            grad = 2.0 / n_samples * (X.T @ (X @ w - y))
            if not np.all(np.isfinite(grad)):
                _raise_diverged(X, lr, weight_decay, step)
            w = weight_decay_step(w, grad, lr, weight_decay)
            if not np.all(np.isfinite(w)):
                _raise_diverged(X, lr, weight_decay, step)
            if return_path:
                path.append(w)
    return (w, np.array(path)) if return_path else w


def _raise_diverged(X, lr, weight_decay, step):
    """Name the setting: gradient descent on this quadratic is stable only for lr < 2/λ_max."""
    hessian = 2.0 / X.shape[0] * (X.T @ X) + weight_decay * np.eye(X.shape[1])
    limit = 2.0 / np.linalg.eigvalsh(hessian).max()
    raise ValueError(f"lr={lr:g} makes gradient descent diverge (the weights overflowed at step "
                     f"{step + 1}): lr must be below the stability limit 2/lambda_max = "
                     f"{limit:.4g} of this problem's Hessian 2X'X/n + weight_decay*I")


def _check_adam_state(state, shape):
    """The dict adam_step returned: step >= 0 and moment arrays m, v >= 0 of the shape of w."""
    if not isinstance(state, dict) or set(state) != {"step", "m", "v"}:
        raise ValueError("state must be None or the dict {'step', 'm', 'v'} that adam_step "
                         f"returned, got {state!r}")
    step = check_scalar(state["step"], "state['step']", low=0, integer=True)
    m = check_finite_array(state["m"], "state['m']")
    v = check_finite_array(state["v"], "state['v']")
    for name, moment in (("m", m), ("v", v)):
        if moment.shape != shape:
            raise ValueError(f"state['{name}'] must have the shape of w, {shape}, got "
                             f"{moment.shape}")
    if np.any(v < 0):
        raise ValueError("state['v'] must be non-negative (a running mean of squared gradients), "
                         f"got minimum {v.min():.3g}")
    return {"step": step, "m": m, "v": v}


def adam_step(w, grad, state=None, *, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0,
              decoupled=False):
    r"""One step of Adam with L2 weight decay, or of AdamW (decoupled decay), as torch takes it.

    With step count :math:`t`, moments :math:`m, v` (zero at :math:`t = 0`) and
    :math:`g = \nabla L(w)`:

    .. math::

        &\textbf{if not decoupled (Adam):}\quad g \leftarrow g + \mathrm{wd}\cdot w \\
        &\textbf{if decoupled (AdamW):}\quad w \leftarrow w - \eta\,\mathrm{wd}\cdot w \\
        &m \leftarrow \beta_1 m + (1 - \beta_1)\, g, \qquad
         v \leftarrow \beta_2 v + (1 - \beta_2)\, g^2 \\
        &\hat m = m / (1 - \beta_1^t), \qquad \hat v = v / (1 - \beta_2^t) \\
        &w \leftarrow w - \eta\, \hat m / (\sqrt{\hat v} + \epsilon)

    Adam's decay passes through the adaptive denominator, so weights with large gradients are
    decayed *less*; AdamW shrinks every weight by the same factor :math:`1 - \eta\,\mathrm{wd}`
    (Loshchilov & Hutter 2019). ``decoupled=False`` matches ``torch.optim.Adam(weight_decay=wd)``
    and ``decoupled=True`` matches ``torch.optim.AdamW(weight_decay=wd)``.

    Parameters
    ----------
    w, grad : array-like of the same shape
        Weights and the gradient of the data loss at ``w``.
    state : dict or None
        ``{"step": t, "m": m, "v": v}`` from the previous call; ``None`` to start.
    lr : float, default 1e-3
        Non-negative learning rate :math:`\eta`.
    betas : tuple of float, default (0.9, 0.999)
        Each in ``[0, 1)``.
    eps : float, default 1e-8
        Non-negative :math:`\epsilon`.
    weight_decay : float, default 0.0
        Non-negative :math:`\mathrm{wd}`.
    decoupled : bool, default False
        ``True`` for AdamW.

    Returns
    -------
    w : ndarray
        New weights (inputs are not modified).
    state : dict
        The state to pass to the next call.

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay".

    Examples
    --------
    >>> w, state = adam_step(np.array([1.0]), np.array([0.5]), lr=0.1, weight_decay=0.1,
    ...                      decoupled=True)
    >>> w.round(6), state["step"]
    (array([0.89]), 1)
    """
    w = check_finite_array(w, "w")
    grad = check_finite_array(grad, "grad")
    if grad.shape != w.shape:
        raise ValueError(f"grad must have the shape of w, {w.shape}, got {grad.shape}")
    lr = _nonnegative(lr, "lr")
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__") or len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    beta1 = check_scalar(betas[0], "betas[0]", low=0.0, high=1.0, high_inclusive=False)
    beta2 = check_scalar(betas[1], "betas[1]", low=0.0, high=1.0, high_inclusive=False)
    eps = _nonnegative(eps, "eps")
    weight_decay = _nonnegative(weight_decay, "weight_decay")
    if not isinstance(decoupled, (bool, np.bool_)):
        raise TypeError(f"decoupled must be a bool, got {decoupled!r}")
    if state is None:
        state = {"step": 0, "m": np.zeros_like(w), "v": np.zeros_like(w)}
    state = _check_adam_state(state, w.shape)
    t = state["step"] + 1
    if decoupled:
        w = w - lr * weight_decay * w
    else:
        grad = grad + weight_decay * w
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    m_hat = m / (1 - beta1 ** t)
    v_hat = v / (1 - beta2 ** t)
    w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
    return w, {"step": t, "m": m, "v": v}
