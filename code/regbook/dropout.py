r"""Dropout (chapter 12): random thinning in training, and the deterministic network at test time.

In training, each unit :math:`h` is multiplied by an independent mask :math:`m \sim
\mathrm{Bernoulli}(1 - p)`, where :math:`p` is the **drop** probability (torch's convention). Two
ways of making the test-time network match the expected training-time output are in use:

* **inverted** dropout (:class:`Dropout`, torch and Keras): :math:`\tilde h = m h / (1 - p)` in
  training, the identity at test time;
* **original** dropout (:class:`OriginalDropout`, Srivastava et al. 2014, whose paper calls the
  *keep* probability :math:`p`): :math:`\tilde h = m h` in training, :math:`(1 - p) h` at test time.

Both keep the mean, :math:`\mathbb E[\tilde h] = h` (inverted) and the test-time output equal to the
mean (original). A network trained with original dropout and weights :math:`W` after a dropout
layer computes the same function, in training and at test, as the inverted network with
:math:`W' = (1 - p) W`.
"""

import copy

import numpy as np
import torch
from torch import nn

from regbook._validation import (check_finite_array, check_linear_problem, check_random_state,
                                check_scalar)

__all__ = ["Dropout", "OriginalDropout", "ablation_accuracies", "all_masks",
           "convert_dropout", "dropout_augmented_least_squares", "dropout_linear_penalty",
           "dropout_mlp", "dropout_ridge_solution", "dropout_variance",
           "enumerate_dropout_ensemble", "expected_dropout_linear_loss", "mask_probabilities",
           "make_gap_regression", "mc_dropout_predict", "monte_carlo_dropout_linear_loss",
           "train_dropout_regressor"]

KINDS = ("inverted", "original")


def _check_p(p, name="p", allow_one=True):
    return check_scalar(p, name, low=0.0, high=1.0, high_inclusive=allow_one)


def _check_kind(kind, name="kind"):
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValueError(f"{name} must be one of {KINDS}, got {kind!r}")
    return kind


def _check_tensor(x, name="x"):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} must be a torch.Tensor, got {type(x).__name__}")
    return x


class Dropout(nn.Module):
    r"""Inverted dropout, with the signature and semantics of ``torch.nn.Dropout``.

    .. math::

        \mathrm{Dropout}(x) = \begin{cases} \dfrac{m \odot x}{1 - p},\quad
        m_i \sim \mathrm{Bernoulli}(1 - p) & \text{training} \\ x & \text{eval} \end{cases}

    so :math:`\mathbb E[\mathrm{Dropout}(x)] = x` and
    :math:`\mathrm{Var}[\mathrm{Dropout}(x)_i] = x_i^2\, p / (1 - p)`. ``p = 0`` is the identity and
    ``p = 1`` gives zeros (not NaN). The masks come from torch's global generator, as in
    ``nn.Dropout``, which ``regbook.training.train`` seeds from its ``seed``.

    Parameters
    ----------
    p : float, default 0.5
        Probability of dropping (zeroing) each element, in [0, 1].
    inplace : bool, default False
        Overwrite the input instead of allocating the output.

    See Also
    --------
    OriginalDropout : the convention of Srivastava et al. (2014), scaled at test time.
    Chapter 12, "Dropout".

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> layer = Dropout(p=0.5)
    >>> layer(torch.ones(6)).tolist()
    [0.0, 0.0, 2.0, 0.0, 0.0, 0.0]
    >>> layer.eval()(torch.ones(3)).tolist()
    [1.0, 1.0, 1.0]
    """

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        self.p = _check_p(p)
        if not isinstance(inplace, bool):
            raise TypeError(f"inplace must be a bool, got {inplace!r}")
        self.inplace = inplace

    def forward(self, x):
        _check_tensor(x)
        if not self.training or self.p == 0.0:
            return x
        keep = 1.0 - self.p
        # At p = 1 nothing is kept; scaling the all-zero mask by 0 instead of 1/0 avoids 0 * inf.
        mask = torch.empty_like(x).bernoulli_(keep) * (1.0 / keep if keep > 0 else 0.0)
        return x.mul_(mask) if self.inplace else x * mask

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class OriginalDropout(nn.Module):
    r"""Dropout as first published (Srivastava et al. 2014): no scaling in training, ×(1 − p) at test.

    .. math::

        \mathrm{OriginalDropout}(x) = \begin{cases} m \odot x,\quad
        m_i \sim \mathrm{Bernoulli}(1 - p) & \text{training} \\ (1 - p)\, x & \text{eval}
        \end{cases}

    Here too ``p`` is the probability of **dropping** a unit; the paper writes :math:`p` for the
    probability of *retaining* it, which is this class's ``1 - p``. Scaling the activations by
    :math:`1 - p` at test time is the paper's weight-scaling rule: it equals using the weights
    :math:`(1 - p)W` in the layer that follows.

    Parameters
    ----------
    p : float, default 0.5
        Probability of dropping each element, in [0, 1].

    See Also
    --------
    Dropout : inverted dropout, torch's convention. convert_dropout. Chapter 12, "Dropout".

    Examples
    --------
    >>> _ = torch.manual_seed(0)
    >>> layer = OriginalDropout(p=0.5)
    >>> layer(torch.ones(6)).tolist()
    [0.0, 0.0, 1.0, 0.0, 0.0, 0.0]
    >>> layer.eval()(torch.ones(3)).tolist()
    [0.5, 0.5, 0.5]
    """

    def __init__(self, p=0.5):
        super().__init__()
        self.p = _check_p(p)

    def forward(self, x):
        _check_tensor(x)
        keep = 1.0 - self.p
        if not self.training:
            return x if keep == 1.0 else x * keep
        if self.p == 0.0:
            return x
        return x * torch.empty_like(x).bernoulli_(keep)

    def extra_repr(self):
        return f"p={self.p}"


DROPOUT_LAYERS = {"inverted": Dropout, "original": OriginalDropout}
"""The layer class of each dropout convention, by the name ``kind`` takes."""


def dropout_mlp(in_features, hidden, out_features, *, p=0.5, input_p=0.0, kind="inverted",
                seed=None):
    r"""A ReLU MLP with dropout on its inputs and after every hidden activation.

    .. math::

        x \to D_{p_\text{in}} \to [\mathrm{Linear} \to \mathrm{ReLU} \to D_p]^{L}
        \to \mathrm{Linear}

    A dropout layer with probability 0 is left out. With ``hidden=()`` and ``input_p > 0`` this is
    softmax (or linear) regression with dropout on the inputs.

    Parameters
    ----------
    in_features, out_features : int
    hidden : int or sequence of int
        Width of each hidden layer; ``()`` gives a linear model.
    p : float, default 0.5
        Drop probability after each hidden activation, in [0, 1).
    input_p : float, default 0.0
        Drop probability on the inputs, in [0, 1).
    kind : {"inverted", "original"}
        :class:`Dropout` or :class:`OriginalDropout` layers.
    seed : int or None
        Seeds the weight initialisation without touching torch's global random state.

    Returns
    -------
    torch.nn.Sequential

    See Also
    --------
    regbook.training.mlp : builds it, with ``nn.Dropout`` layers by default.
    Chapter 12, "Dropout".

    Examples
    --------
    >>> dropout_mlp(64, [32], 10, p=0.5, input_p=0.2, seed=0)
    Sequential(
      (0): Dropout(p=0.2, inplace=False)
      (1): Linear(in_features=64, out_features=32, bias=True)
      (2): ReLU()
      (3): Dropout(p=0.5, inplace=False)
      (4): Linear(in_features=32, out_features=10, bias=True)
    )
    """
    from regbook.training import mlp

    p = _check_p(p, "p", allow_one=False)
    input_p = _check_p(input_p, "input_p", allow_one=False)
    return mlp(in_features, hidden, out_features, dropout=p, input_dropout=input_p,
               dropout_layer=DROPOUT_LAYERS[_check_kind(kind)], seed=seed)


def convert_dropout(model, to, *, rescale_weights=True):
    r"""Return a copy of a ``nn.Sequential`` with every dropout layer switched to the other convention.

    With ``rescale_weights=True`` the function is unchanged, in training (for the same masks) and
    at test time: going from original to inverted dropout multiplies the weights of the next
    ``nn.Linear`` by :math:`1 - p` (:math:`W' = (1 - p)W`), and back divides them by it.
    With ``rescale_weights=False`` only the layers are swapped. That reproduces the classic bug of
    applying the original test-time rule to a network trained with inverted dropout: its test
    activations are shrunk by :math:`1 - p` at every dropout layer.

    Parameters
    ----------
    model : torch.nn.Sequential
        Dropout layers may be :class:`Dropout`, ``nn.Dropout`` or :class:`OriginalDropout`; each
        must be followed (later in the sequence) by an ``nn.Linear`` when rescaling.
    to : {"inverted", "original"}
    rescale_weights : bool, default True

    Returns
    -------
    torch.nn.Sequential
        A deep copy; ``model`` is not modified.

    Examples
    --------
    >>> model = dropout_mlp(3, [4], 2, p=0.5, kind="original", seed=0).eval()
    >>> inverted = convert_dropout(model, "inverted").eval()
    >>> x = torch.ones(1, 3)
    >>> torch.allclose(model(x), inverted(x))
    True
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    to = _check_kind(to, "to")
    converted = copy.deepcopy(model)
    layers = list(converted)
    source = (OriginalDropout,) if to == "inverted" else (Dropout, nn.Dropout)
    for i, layer in enumerate(layers):
        if not isinstance(layer, source):
            continue
        converted[i] = DROPOUT_LAYERS[to](layer.p)
        if not rescale_weights:
            continue
        following = next((m for m in layers[i + 1:] if isinstance(m, nn.Linear)), None)
        if following is None:
            raise ValueError(f"the dropout layer at index {i} has no nn.Linear after it to "
                             "rescale; pass rescale_weights=False to swap the layer only")
        factor = 1.0 - layer.p if to == "inverted" else 1.0 / (1.0 - layer.p)
        with torch.no_grad():
            following.weight.mul_(factor)
    return converted


def dropout_variance(h, p, kind="inverted"):
    r"""Variance, over the mask, of one unit with activation ``h`` after dropout.

    .. math::

        \mathrm{Var}\Big[\frac{m h}{1 - p}\Big] = h^2 \frac{p}{1 - p}\ (\text{inverted}),
        \qquad \mathrm{Var}[m h] = h^2 p (1 - p)\ (\text{original}),

    from :math:`\mathrm{Var}[m] = p(1 - p)` for :math:`m \sim \mathrm{Bernoulli}(1 - p)`. The
    variance grows with :math:`h^2`, not :math:`h`.

    Parameters
    ----------
    h : float or array-like
    p : float
        Drop probability; in [0, 1) for ``kind="inverted"``, [0, 1] for ``"original"``.
    kind : {"inverted", "original"}

    Examples
    --------
    >>> dropout_variance(2.0, 0.5)
    4.0
    >>> dropout_variance(2.0, 0.5, kind="original")
    1.0
    """
    kind = _check_kind(kind)
    p = _check_p(p, allow_one=kind == "original")
    h = check_finite_array(h, "h")
    factor = p / (1.0 - p) if kind == "inverted" else p * (1.0 - p)
    result = h**2 * factor
    return float(result) if result.ndim == 0 else result


def all_masks(n_units):
    r"""Every binary keep-mask on ``n_units`` units: an array of shape :math:`(2^n, n)` of 0/1.

    Row :math:`k` is the binary expansion of :math:`k` (unit 0 is the lowest bit).

    Examples
    --------
    >>> all_masks(2)
    array([[0., 0.],
           [1., 0.],
           [0., 1.],
           [1., 1.]])
    """
    n_units = check_scalar(n_units, "n_units", low=1, high=20, integer=True)
    index = np.arange(2**n_units)[:, None]
    return ((index >> np.arange(n_units)) & 1).astype(float)


def mask_probabilities(masks, p):
    r"""Probability of each keep-mask when every unit is kept independently with probability 1 − p.

    .. math::

        \Pr(m) = (1 - p)^{\sum_i m_i}\; p^{\,n - \sum_i m_i}

    They sum to 1 over :func:`all_masks`; only at ``p = 0.5`` are they all equal (:math:`2^{-n}`).

    Examples
    --------
    >>> mask_probabilities(all_masks(2), p=0.2).round(2)
    array([0.04, 0.16, 0.16, 0.64])
    """
    masks = check_finite_array(masks, "masks", ndim=2)
    if not np.all((masks == 0) | (masks == 1)):
        raise ValueError("masks must hold only 0 and 1")
    p = _check_p(p)
    kept = masks.sum(axis=1)
    return (1.0 - p) ** kept * p ** (masks.shape[1] - kept)


def enumerate_dropout_ensemble(forward, X, p, *, weights=None, chunk=128):
    r"""Average the predictive distributions of all :math:`2^d` subnetworks of input dropout.

    Subnetwork :math:`m` is ``forward`` applied to the thinned inputs :math:`x \odot m` (original
    convention: units are removed, weights unchanged), with class probabilities
    :math:`P_m = \mathrm{softmax}(\text{forward}(x \odot m))`. Returns the renormalised weighted
    geometric mean and the weighted arithmetic mean,

    .. math::

        \tilde P_{\mathrm{geo}}(k) = \frac{\prod_m P_m(k)^{w_m}}{\sum_j \prod_m P_m(j)^{w_m}},
        \qquad P_{\mathrm{arith}}(k) = \sum_m w_m P_m(k),

    with :math:`w_m = \Pr(m)` from :func:`mask_probabilities` unless ``weights`` is given.

    Parameters
    ----------
    forward : callable
        Maps a float64 tensor of shape (n, d) to logits of shape (n, K), e.g. the layers of a model
        after its input dropout layer.
    X : array-like of shape (n, d)
        :math:`d \le 16`.
    p : float
        Drop probability of each input.
    weights : array-like of shape (2**d,), optional
        Weights of the masks of :func:`all_masks` (non-negative, summing to 1).
    chunk : int, default 128
        Number of masks evaluated per forward pass (bounds memory).

    Returns
    -------
    geometric, arithmetic : ndarray of shape (n, K)

    See Also
    --------
    all_masks, mask_probabilities. Chapter 12, "Dropout"; Goodfellow et al. (2016) §7.12.

    Examples
    --------
    >>> linear = torch.nn.Linear(2, 3).double()
    >>> geo, arith = enumerate_dropout_ensemble(linear, np.ones((1, 2)), p=0.5)
    >>> geo.sum().round(12), arith.sum().round(12)
    (np.float64(1.0), np.float64(1.0))
    """
    if not callable(forward):
        raise TypeError(f"forward must be a callable (an nn.Module or a function of X), got "
                        f"{forward!r}")
    X = torch.as_tensor(check_finite_array(X, "X", ndim=2), dtype=torch.float64)
    n, d = X.shape
    if d > 16:
        raise ValueError(f"X must have at most 16 columns to enumerate 2**d masks, got {d}")
    p = _check_p(p)
    chunk = check_scalar(chunk, "chunk", low=1, integer=True)
    masks = all_masks(d)
    if weights is None:
        weights = mask_probabilities(masks, p)
    weights = check_finite_array(weights, "weights", ndim=1)
    if weights.shape[0] != len(masks) or np.any(weights < 0) or not np.isclose(weights.sum(), 1):
        raise ValueError(f"weights must be {len(masks)} non-negative numbers summing to 1")
    masks_t, weights_t = torch.from_numpy(masks), torch.from_numpy(weights)
    param = next(forward.parameters(), None) if isinstance(forward, nn.Module) else None
    device = param.device if param is not None else torch.device("cpu")
    log_geometric = arithmetic = 0.0
    with torch.no_grad():
        for start in range(0, len(masks), chunk):
            m, w = masks_t[start:start + chunk], weights_t[start:start + chunk]
            thinned = (X[None, :, :] * m[:, None, :]).reshape(-1, d).to(device)
            log_p = torch.log_softmax(forward(thinned).double().cpu(), dim=-1).reshape(
                len(m), n, -1)
            log_geometric = log_geometric + torch.einsum("m,mnk->nk", w, log_p)
            arithmetic = arithmetic + torch.einsum("m,mnk->nk", w, log_p.exp())
    return torch.softmax(log_geometric, dim=-1).numpy(), arithmetic.numpy()


def dropout_linear_penalty(w, X, p):
    r"""The penalty that inverted dropout on the inputs adds to least squares, in expectation.

    .. math::

        \Omega(w) = \frac{p}{1 - p} \sum_{j=1}^{d} \lVert x_j \rVert^2 w_j^2
        = \frac{p}{1 - p}\, w^\top \operatorname{diag}(X^\top X)\, w

    where :math:`x_j` is column :math:`j` of :math:`X`: an L2 penalty whose weight on each
    coefficient adapts to the scale of its feature (Srivastava et al. 2014 §9.1; Wager et al. 2013).

    Parameters
    ----------
    w : array-like of shape (d,)
    X : array-like of shape (n, d)
    p : float
        Drop probability, in [0, 1).

    Examples
    --------
    >>> dropout_linear_penalty([1.0, 1.0], [[1.0, 0.0], [0.0, 2.0]], p=0.5)
    5.0
    """
    w = check_finite_array(w, "w", ndim=1)
    X = check_finite_array(X, "X", ndim=2)
    if w.shape[0] != X.shape[1]:
        raise ValueError(f"w must have one weight per feature ({X.shape[1]}), got {w.shape[0]}")
    p = _check_p(p, allow_one=False)
    return float(p / (1.0 - p) * np.sum((X**2).sum(axis=0) * w**2))


def expected_dropout_linear_loss(w, X, y, p):
    r"""Expected squared error of a linear model under inverted dropout on its inputs, in closed form.

    .. math::

        \mathbb E_M\Big\lVert y - \frac{(M \odot X)\,w}{1 - p}\Big\rVert^2
        = \lVert y - Xw\rVert^2 + \frac{p}{1 - p} \sum_j \lVert x_j\rVert^2 w_j^2,
        \qquad M_{ij} \sim \mathrm{Bernoulli}(1 - p)

    (one independent mask entry per sample and feature, as in training).

    Parameters
    ----------
    w : array-like of shape (d,)
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    p : float
        Drop probability, in [0, 1).

    See Also
    --------
    monte_carlo_dropout_linear_loss, dropout_linear_penalty. Chapter 12, "Dropout".

    Examples
    --------
    >>> expected_dropout_linear_loss([1.0, 1.0], [[1.0, 0.0], [0.0, 2.0]], [1.0, 2.0], p=0.5)
    5.0
    """
    w, X, y = check_linear_problem(w, X, y)
    return float(np.sum((y - X @ w) ** 2)) + dropout_linear_penalty(w, X, p)


def monte_carlo_dropout_linear_loss(w, X, y, p, n_draws=1000, rng=None):
    r"""Estimate :math:`\mathbb E_M\lVert y - (M \odot X)w/(1 - p)\rVert^2` by drawing masks.

    .. math::

        \hat L = \frac1S \sum_{s=1}^{S} \Big\lVert y - \frac{(M_s \odot X)\,w}{1 - p}\Big\rVert^2,
        \qquad \mathrm{se} = \frac{\mathrm{sd}_s}{\sqrt S}

    Parameters
    ----------
    w, X, y, p
        As in :func:`expected_dropout_linear_loss`.
    n_draws : int, default 1000
        Number :math:`S` of independent mask matrices.
    rng : int, np.random.Generator or None

    Returns
    -------
    mean, standard_error : float
        The Monte Carlo estimate and its standard error (the sample sd of the draws over
        :math:`\sqrt S`).

    Examples
    --------
    >>> X, y, w = [[1.0, 1.0], [0.0, 2.0]], [1.0, 2.0], [1.0, 1.0]
    >>> mean, se = monte_carlo_dropout_linear_loss(w, X, y, 0.5, 20000, rng=0)
    >>> expected = expected_dropout_linear_loss(w, X, y, 0.5)
    >>> expected, abs(mean - expected) < 4 * se
    (7.0, True)
    """
    w, X, y = check_linear_problem(w, X, y)
    p = _check_p(p, allow_one=False)
    n_draws = check_scalar(n_draws, "n_draws", low=2, integer=True)
    rng = check_random_state(rng)
    n, d = X.shape
    # Draw in chunks of about a million numbers to bound memory.
    chunk = max(1, 2**20 // (n * d))
    losses = []
    for start in range(0, n_draws, chunk):
        size = min(chunk, n_draws - start)
        keep = rng.random((size, n, d)) >= p
        residual = y - (keep * X) @ w / (1.0 - p)
        losses.append(np.sum(residual**2, axis=1))
    losses = np.concatenate(losses)
    return float(losses.mean()), float(losses.std(ddof=1) / np.sqrt(n_draws))


def dropout_ridge_solution(X, y, p):
    r"""Minimiser of the expected inverted-dropout loss of a linear model (no intercept).

    .. math::

        \hat w = \Big(X^\top X + \frac{p}{1 - p} \operatorname{diag}(X^\top X)\Big)^{-1} X^\top y

    On standardised features :math:`\operatorname{diag}(X^\top X) = nI` and this is ridge with
    :math:`\alpha = n\,p/(1 - p)`; otherwise each weight is penalised in proportion to the squared
    norm of its feature, which makes the fitted predictions invariant to rescaling features.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    p : float
        Drop probability, in [0, 1).

    Returns
    -------
    w : ndarray of shape (d,)

    See Also
    --------
    dropout_augmented_least_squares, regbook.linear.ridge_closed_form. Chapter 12, "Dropout".

    Examples
    --------
    >>> dropout_ridge_solution([[1.0, 0.0], [0.0, 2.0]], [1.0, 2.0], p=0.5)
    array([0.5, 0.5])
    """
    _, X, y = check_linear_problem(None, X, y)
    p = _check_p(p, allow_one=False)
    gram = X.T @ X
    return np.linalg.solve(gram + p / (1.0 - p) * np.diag(np.diag(gram)), X.T @ y)


def dropout_augmented_least_squares(X, y, p, n_copies, rng=None):
    r"""Fit plain least squares to ``n_copies`` inverted-dropout copies of the data.

    .. math::

        \hat w_C = \arg\min_w \sum_{c=1}^{C} \Big\lVert y - \frac{(M_c \odot X)\,w}{1 - p}
        \Big\rVert^2, \qquad (M_c)_{ij} \sim \mathrm{Bernoulli}(1 - p)

    As :math:`C \to \infty` the objective divided by :math:`C` tends to the expected loss of
    :func:`expected_dropout_linear_loss`, so :math:`\hat w_C` tends to
    :func:`dropout_ridge_solution`.

    Parameters
    ----------
    X : array-like of shape (n, d)
    y : array-like of shape (n,)
    p : float
        Drop probability, in [0, 1).
    n_copies : int
        Number :math:`C` of masked copies stacked.
    rng : int, np.random.Generator or None

    Returns
    -------
    w : ndarray of shape (d,)

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    >>> dropout_augmented_least_squares(X, [1.0, 2.0, 3.0], p=0.0, n_copies=1).round(6)
    array([1., 2.])
    """
    _, X, y = check_linear_problem(None, X, y)
    p = _check_p(p, allow_one=False)
    n_copies = check_scalar(n_copies, "n_copies", low=1, integer=True)
    rng = check_random_state(rng)
    keep = rng.random((n_copies, *X.shape)) >= p
    stacked = (keep * X / (1.0 - p)).reshape(-1, X.shape[1])
    w, *_ = np.linalg.lstsq(stacked, np.tile(y, n_copies), rcond=None)
    return w


def _is_dropout(module):
    return isinstance(module, (Dropout, OriginalDropout, nn.Dropout))


def mc_dropout_predict(model, X, n_samples=100, seed=0):
    r"""Monte Carlo dropout: ``n_samples`` stochastic forward passes with dropout left on.

    .. math::

        \hat y_t = f(x; \hat W \odot \text{mask}_t), \quad t = 1, \dots, T; \qquad
        \text{mean} = \frac1T \sum_t \hat y_t, \quad \text{spread} = \operatorname{sd}_t \hat y_t

    (Gal & Ghahramani 2016). Only the dropout layers are put in training mode; every other module
    stays in eval mode, and the model's modes are restored afterwards. The ``T`` passes are done as
    one batch of ``T * n`` rows, each with its own masks.

    Parameters
    ----------
    model : torch.nn.Module
    X : array-like or tensor of shape (n, d)
    n_samples : int, default 100
    seed : int, default 0
        Seeds the masks; torch's global random state is left as it was.

    Returns
    -------
    ndarray of shape (n_samples, n, n_outputs)

    Examples
    --------
    >>> model = dropout_mlp(1, [16], 1, p=0.2, seed=0)
    >>> mc_dropout_predict(model, np.zeros((5, 1)), n_samples=10).shape
    (10, 5, 1)
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    seed = check_scalar(seed, "seed", low=0, integer=True)
    param = next(model.parameters(), None)
    dtype = param.dtype if param is not None else torch.get_default_dtype()
    from regbook.training import _check_inputs, _model_device

    X = torch.as_tensor(check_finite_array(X.cpu().numpy() if isinstance(X, torch.Tensor) else X,
                                           "X", ndim=2), dtype=dtype, device=_model_device(model))
    _check_inputs(model, X, "X")
    modes = {module: module.training for module in model.modules()}
    try:
        model.eval()
        for module in model.modules():
            if _is_dropout(module):
                module.train()
        with torch.no_grad(), torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            out = model(X.repeat(n_samples, 1))
    finally:
        for module, mode in modes.items():
            module.training = mode
    return out.reshape(n_samples, X.shape[0], -1).cpu().numpy()


def ablation_accuracies(model, X, y, layer):
    r"""Test accuracy of a ``nn.Sequential`` with each unit of one layer removed in turn.

    .. math::

        \mathrm{acc}_j = \frac1n \sum_i \mathbb 1\big[\arg\max g(h_i \odot (1 - e_j)) = y_i\big],
        \qquad h_i = f_{\le \ell}(x_i)

    where :math:`f_{\le\ell}` is the model up to and including module ``layer``, :math:`g` the rest,
    and :math:`e_j` the :math:`j`-th unit vector. Evaluated in eval mode.

    Parameters
    ----------
    model : torch.nn.Sequential
    X : array-like of shape (n, d)
    y : array-like of shape (n,) of int
    layer : int
        Index of the module whose outputs are ablated (e.g. a ReLU).

    Returns
    -------
    full : float
        Accuracy of the intact model.
    ablated : ndarray of shape (n_units,)
        Accuracy with unit ``j`` set to zero.

    Examples
    --------
    >>> model = dropout_mlp(4, [3], 2, p=0.5, seed=0)
    >>> full, ablated = ablation_accuracies(model, np.eye(4), np.array([0, 1, 0, 1]), layer=1)
    >>> ablated.shape
    (3,)
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    from regbook.training import _as_tensor, _check_inputs, _check_targets, _model_device

    layer = check_scalar(layer, "layer", low=0, high=len(model) - 2, integer=True)
    device = _model_device(model)
    X = torch.as_tensor(check_finite_array(X, "X", ndim=2), dtype=torch.get_default_dtype(),
                        device=device)
    _, out_shape = _check_inputs(model, X, "X")
    y = _as_tensor(y, "y", device)
    if y.is_floating_point() or y.shape[0] != X.shape[0]:
        raise ValueError(f"y must hold one integer class label per row of X ({X.shape[0]}), got "
                         f"shape {tuple(y.shape)} and dtype {y.dtype}")
    _check_targets(y, out_shape, "y")
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            hidden = model[:layer + 1](X)
            head = model[layer + 1:]
            full = float((head(hidden).argmax(1) == y).double().mean())
            units = hidden.shape[1]
            removed = hidden[None].repeat(units, 1, 1)
            removed[torch.arange(units), :, torch.arange(units)] = 0.0
            logits = head(removed.reshape(-1, units)).reshape(units, len(y), -1)
            ablated = (logits.argmax(-1) == y).double().mean(dim=1).cpu().numpy()
    finally:
        model.train(was_training)
    return full, ablated


def make_gap_regression(n_samples=40, noise=0.1, gap=0.35, seed=0):
    r"""1-D regression data with a hole in the middle: :math:`y = \sin(3x) + \varepsilon`.

    Half of the :math:`x` are uniform on :math:`[-1, -\text{gap}]`, half on
    :math:`[\text{gap}, 1]`, and :math:`\varepsilon \sim \mathcal N(0, \text{noise}^2)`.

    Returns
    -------
    x : ndarray of shape (n_samples, 1)
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> x, y = make_gap_regression(10, seed=0)
    >>> x.shape, bool(np.all(np.abs(x) >= 0.35))
    ((10, 1), True)
    """
    n_samples = check_scalar(n_samples, "n_samples", low=2, integer=True)
    noise = check_scalar(noise, "noise", low=0.0)
    gap = check_scalar(gap, "gap", low=0.0, high=1.0, high_inclusive=False)
    rng = check_random_state(seed, "seed")
    half = n_samples // 2
    x = np.concatenate([rng.uniform(-1.0, -gap, half), rng.uniform(gap, 1.0, n_samples - half)])
    return x[:, None], np.sin(3.0 * x) + noise * rng.standard_normal(n_samples)


def train_dropout_regressor(x, y, p, *, hidden=(32, 32), epochs=300, lr=0.01, seed=0):
    r"""Fit ``dropout_mlp(d, hidden, 1, p=p)`` to ``(x, y)`` by full-batch Adam on the squared error.

    A small helper for the MC-dropout experiments: ``regbook.training.train`` with
    ``batch_size=None`` on the CPU and one torch thread (:func:`regbook.training.one_torch_thread`), so the same
    seed gives the same network.

    Returns
    -------
    torch.nn.Sequential
        The trained model, in eval mode.

    Examples
    --------
    >>> x, y = make_gap_regression(20, seed=0)
    >>> model = train_dropout_regressor(x, y, p=0.1, epochs=5)
    >>> mc_dropout_predict(model, x, n_samples=3).shape
    (3, 20, 1)
    """
    from functools import partial

    from regbook.training import one_torch_thread, train

    x = check_finite_array(x, "x", ndim=2)
    y = check_finite_array(y, "y", ndim=1)
    if y.shape[0] != x.shape[0]:
        raise ValueError(f"x and y must have the same number of samples, got {x.shape[0]} and "
                         f"{y.shape[0]}")
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    model = dropout_mlp(x.shape[1], hidden, 1, p=p, seed=seed)
    with one_torch_thread():
        train(model, x, y, optimizer=partial(torch.optim.Adam, lr=lr),
              epochs=epochs, batch_size=None, seed=seed, device="cpu", progress=False)
    return model.eval()
