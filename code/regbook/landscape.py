r"""Loss landscapes: curvature, sharpness and pictures of the loss around trained weights.

Everything here probes a torch model's loss :math:`L(\theta) = \text{loss}(f_\theta(X), y)` at or
around its current weights :math:`\theta` and leaves the weights exactly as it found them:

* :func:`top_hessian_eigenvalue`: :math:`\lambda_{\max}(\nabla^2 L)` by power iteration on
  Hessian-vector products (double backward), never forming the Hessian;
* :func:`hessian_trace`: :math:`\operatorname{tr}\nabla^2 L = \mathbb E[v^\top \nabla^2 L\,v]` for
  Rademacher :math:`v` (Hutchinson 1989), with its standard error;
* :func:`epsilon_sharpness`: the largest relative rise of the loss in a small box around
  :math:`\theta` (Keskar et al. 2017);
* :func:`filter_normalized_direction`, :func:`loss_slice_1d`, :func:`loss_slice_2d` and
  :func:`interpolate_loss`: the 1-D and 2-D pictures of Li et al. (2018);
* :func:`rescale_relu_layers`: the reparametrisation of Dinh et al. (2017) that keeps the function
  and changes the sharpness;
* :func:`sam_step`: one step of sharpness-aware minimisation (Foret et al. 2021).
* :func:`train_to_loss` and :class:`SharpnessRecorder`: train until a matched training loss, and
  record :math:`\lambda_{\max}` along the way (the edge of stability, Cohen et al. 2021).

See Also
--------
Chapter 13, "Loss landscapes".
"""

import contextlib
import copy
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from regbook._validation import check_finite_array, check_scalar

__all__ = ["TraceEstimate", "epsilon_sharpness", "filter_normalized_direction",
           "hessian_trace", "hessian_vector_product", "interpolate_loss", "loss_slice_1d",
           "loss_slice_2d", "parameters_of", "random_direction", "rescale_relu_layers",
           "sam_step", "SharpnessRecorder", "top_hessian_eigenvalue", "train_to_loss"]


# --- argument checks -------------------------------------------------------------------------

def _check_model(model):
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("model must have at least one parameter that requires grad, got none")
    return params


def _check_loss(loss):
    if not callable(loss):
        raise TypeError(f"loss must be a callable (outputs, y) -> scalar tensor, got {loss!r}")
    return loss


def _as_tensor(a, name, dtype):
    if isinstance(a, torch.Tensor):
        t = a.detach()
    else:
        try:
            t = torch.as_tensor(np.asarray(a))
        except (TypeError, ValueError) as exc:
            raise ValueError(f"{name} must be array-like, got {type(a).__name__} ({exc})") from None
    if t.ndim == 0 or t.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {tuple(t.shape)}")
    if t.is_floating_point():
        if not torch.isfinite(t).all():
            raise ValueError(f"{name} must contain only finite values, got NaN or inf")
        return t.to(dtype)
    if t.dtype == torch.bool or t.is_complex():
        raise ValueError(f"{name} must be real numbers or integer labels, got dtype {t.dtype}")
    return t.to(torch.int64)


def _check_data(model, X, y):
    params = _check_model(model)
    dtype = params[0].dtype
    X = _as_tensor(X, "X", dtype)
    y = _as_tensor(y, "y", dtype)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} and "
                         f"{y.shape[0]}")
    return params, X, y


def _check_seed(seed):
    return check_scalar(seed, "seed", low=0, integer=True)


def _check_like_parameters(tensors, params, name):
    if isinstance(tensors, torch.Tensor) or not hasattr(tensors, "__len__"):
        raise TypeError(f"{name} must be a sequence of tensors shaped like the model's "
                        f"parameters, got {type(tensors).__name__}")
    tensors = list(tensors)
    if len(tensors) != len(params):
        raise ValueError(f"{name} must hold one tensor per parameter ({len(params)}), got "
                         f"{len(tensors)}")
    out = []
    for k, (t, p) in enumerate(zip(tensors, params)):
        if not isinstance(t, torch.Tensor):
            raise TypeError(f"{name}[{k}] must be a torch.Tensor, got {type(t).__name__}")
        if t.shape != p.shape:
            raise ValueError(f"{name}[{k}] must have shape {tuple(p.shape)}, got "
                             f"{tuple(t.shape)}")
        if not torch.isfinite(t).all():
            raise ValueError(f"{name}[{k}] must contain only finite values, got NaN or inf")
        out.append(t.detach().to(p.dtype))
    return out


def _check_coordinates(values, name):
    return check_finite_array(values, name, ndim=1)


# --- plumbing --------------------------------------------------------------------------------

def parameters_of(model):
    """Return a detached copy of the model's trainable parameters, in ``model.parameters()`` order.

    Examples
    --------
    >>> from regbook.training import mlp
    >>> [tuple(t.shape) for t in parameters_of(mlp(3, [4], 2, seed=0))]
    [(4, 3), (4,), (2, 4), (2,)]
    """
    return [p.detach().clone() for p in _check_model(model)]


@contextlib.contextmanager
def _probing(model):
    """Eval mode for the duration; afterwards the exact weights and the previous mode back."""
    params = [p for p in model.parameters() if p.requires_grad]
    saved = [p.detach().clone() for p in params]
    was_training = model.training
    model.eval()
    try:
        yield params
    finally:
        with torch.no_grad():
            for p, s in zip(params, saved):
                p.copy_(s)
        model.train(was_training)


def _set(params, values):
    with torch.no_grad():
        for p, v in zip(params, values):
            p.copy_(v)


def _loss_value(model, loss, X, y):
    try:
        outputs = model(X)
    except RuntimeError as exc:
        raise ValueError(f"X does not fit the model: samples of shape {tuple(X.shape[1:])} gave "
                         f"the error: {exc}") from None
    try:
        value = loss(outputs, y)
    except (RuntimeError, IndexError) as exc:
        raise ValueError("y does not fit the loss and the model's outputs (for cross-entropy, y "
                         "must hold integer class labels in [0, n_classes)); loss(model(X), y) "
                         f"raised: {exc}") from None
    if not (isinstance(value, torch.Tensor) and value.numel() == 1):
        raise ValueError(f"loss must return a scalar tensor, got {type(value).__name__}"
                         + (f" of shape {tuple(value.shape)}" if isinstance(value, torch.Tensor)
                            else ""))
    return value.reshape(())


def _hvp(model, loss, X, y, params, vector):
    """Hessian-vector product by double backward: ∇(∇L · v)."""
    value = _loss_value(model, loss, X, y)
    grads = torch.autograd.grad(value, params, create_graph=True)
    dot = sum((g * v).sum() for g, v in zip(grads, vector))
    return [h.detach() for h in torch.autograd.grad(dot, params)]


def _dot(a, b):
    return sum(float((x * z).sum()) for x, z in zip(a, b))


def _generator(seed):
    return torch.Generator().manual_seed(seed)


# --- curvature -------------------------------------------------------------------------------

def hessian_vector_product(model, loss, X, y, vector):
    r"""Return :math:`\nabla^2 L(\theta)\,v` as a list of tensors shaped like the parameters.

    Computed exactly by double backward, :math:`\nabla_\theta\big(\nabla_\theta L \cdot v\big)`
    (Pearlmutter's trick), at the cost of about two gradient evaluations. The model is evaluated
    in eval mode and its weights and mode are left unchanged.

    Parameters
    ----------
    model : torch.nn.Module
    loss : callable ``(outputs, y) -> scalar tensor``
        For example ``torch.nn.functional.cross_entropy``.
    X, y : array-like or torch.Tensor
        The data the loss is averaged over (integer ``y`` are class labels).
    vector : sequence of torch.Tensor
        :math:`v`, one tensor per trainable parameter, with the parameter's shape.

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(2, 1, bias=False)
    >>> X, y = torch.eye(2), torch.zeros(2, 1)
    >>> [h.tolist() for h in hessian_vector_product(model, F.mse_loss, X, y, [torch.ones(1, 2)])]
    [[[1.0, 1.0]]]
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    vector = _check_like_parameters(vector, params, "vector")
    with _probing(model) as params:
        return _hvp(model, loss, X, y, params, vector)


def top_hessian_eigenvalue(model, loss, X, y, *, iterations=50, seed=0):
    r"""Largest Hessian eigenvalue of the loss at the current weights, by power iteration.

    .. math::

        v_0 \sim \mathcal N(0, I),\quad v_{k+1} = \frac{H v_k}{\lVert H v_k\rVert},\quad
        \lambda_{\max} \approx v_K^\top H v_K,\qquad H = \nabla^2_\theta L(\theta)

    Each step costs one Hessian-vector product (:func:`hessian_vector_product`); the Hessian is
    never formed. Power iteration converges to the eigenvalue of largest *magnitude*; near a
    minimum that is the top (positive) eigenvalue, the curvature of the sharpest direction. Its
    error shrinks like :math:`(\lambda_2/\lambda_1)^{2k}`.

    Parameters
    ----------
    model : torch.nn.Module
        Probed in eval mode; its weights and mode are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    iterations : int, default 50
        Number of power-iteration steps (Hessian-vector products), at least 1.
    seed : int, default 0
        Seeds the starting vector.

    Returns
    -------
    float
        The Rayleigh quotient :math:`v^\top H v` of the final unit vector.

    See Also
    --------
    hessian_trace, epsilon_sharpness; chapter 13, "Loss landscapes".

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(2, 1, bias=False)
    >>> X, y = torch.tensor([[2.0, 0.0], [0.0, 1.0]]), torch.zeros(2, 1)
    >>> round(top_hessian_eigenvalue(model, F.mse_loss, X, y, iterations=20, seed=0), 4)
    4.0
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    iterations = check_scalar(iterations, "iterations", low=1, integer=True)
    generator = _generator(_check_seed(seed))
    start = [torch.randn(p.shape, generator=generator, dtype=p.dtype) for p in params]
    return _power_iteration(model, loss, X, y, start, iterations)[0]


def _power_iteration(model, loss, X, y, vector, iterations):
    """(eigenvalue, unit eigenvector) after ``iterations`` steps from ``vector``."""
    with _probing(model) as params:
        norm = math.sqrt(_dot(vector, vector))
        vector = [v / norm for v in vector]
        eigenvalue = 0.0
        for _ in range(iterations):
            product = _hvp(model, loss, X, y, params, vector)
            eigenvalue = _dot(vector, product)
            norm = math.sqrt(_dot(product, product))
            if norm == 0.0:
                return 0.0, vector
            vector = [h / norm for h in product]
    return float(eigenvalue), vector


@dataclass(frozen=True)
class TraceEstimate:
    """A Hutchinson trace estimate: the mean of the probes and its standard error."""

    trace: float
    standard_error: float
    n_probes: int


def hessian_trace(model, loss, X, y, *, n_probes=100, seed=0):
    r"""Hutchinson's estimate of the Hessian trace, with its standard error.

    .. math::

        \operatorname{tr} H = \mathbb E_v\big[v^\top H v\big],\qquad v_i \in \{-1, +1\}
        \text{ independent and equally likely},

    estimated by the mean of ``n_probes`` independent Rademacher probes (Hutchinson 1989). The
    standard error is the probes' sample standard deviation over :math:`\sqrt{\text{n\_probes}}`.
    The trace is the sum of all eigenvalues: the total curvature, where
    :func:`top_hessian_eigenvalue` is the worst direction only.

    Parameters
    ----------
    model : torch.nn.Module
        Probed in eval mode; its weights and mode are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    n_probes : int, default 100
        At least 2, so that a standard error exists.
    seed : int, default 0

    Returns
    -------
    TraceEstimate

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(2, 1, bias=False)
    >>> X, y = torch.tensor([[2.0, 0.0], [0.0, 1.0]]), torch.zeros(2, 1)
    >>> estimate = hessian_trace(model, F.mse_loss, X, y, n_probes=10, seed=0)
    >>> round(estimate.trace, 4), round(estimate.standard_error, 4)
    (5.0, 0.0)
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    n_probes = check_scalar(n_probes, "n_probes", low=2, integer=True)
    generator = _generator(_check_seed(seed))
    samples = []
    with _probing(model) as params:
        for _ in range(n_probes):
            probe = [torch.randint(0, 2, p.shape, generator=generator).to(p.dtype) * 2 - 1
                     for p in params]
            samples.append(_dot(probe, _hvp(model, loss, X, y, params, probe)))
    samples = np.asarray(samples)
    return TraceEstimate(float(samples.mean()),
                         float(samples.std(ddof=1) / math.sqrt(n_probes)), n_probes)


def epsilon_sharpness(model, loss, X, y, *, epsilon=1e-3, steps=10, seed=0):
    r"""Keskar et al.'s (2017) ε-sharpness, in percent, with the box maximum found by ascent.

    .. math::

        \phi_\varepsilon = 100 \cdot \frac{\max_{\delta \in C_\varepsilon} L(\theta + \delta) - L(\theta)}
        {1 + L(\theta)},\qquad
        C_\varepsilon = \{\delta : |\delta_i| \le \varepsilon\,(|\theta_i| + 1)\}

    This is their full-space variant (:math:`A = I`). They solve the inner maximisation with
    L-BFGS-B; here it is ``steps`` steps of projected sign-gradient ascent from a random point
    :math:`\delta_0` of the box (so that a zero gradient at :math:`\theta` itself cannot stall
    it), :math:`\delta \leftarrow \Pi_{C_\varepsilon}\big(\delta +
    \tfrac{2}{\text{steps}}\,\varepsilon(|\theta| + 1)\odot\operatorname{sign}\nabla L(\theta+\delta)\big)`,
    keeping the best point seen. The result is a lower bound on the true maximum. The box
    scales with :math:`|\theta_i|`, which makes the measure less sensitive to the scale of the
    weights than the Hessian, though not invariant (Dinh et al. 2017).

    Parameters
    ----------
    model : torch.nn.Module
        Probed in eval mode; its weights and mode are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    epsilon : float, default 1e-3
        Relative box size, in (0, inf).
    steps : int, default 10
        Ascent steps, at least 1.
    seed : int, default 0
        Seeds the random start.

    Returns
    -------
    float

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(1, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(0.0)
    >>> X, y = torch.ones(1, 1), torch.zeros(1, 1)
    >>> round(epsilon_sharpness(model, F.mse_loss, X, y, epsilon=0.1, steps=5), 4)
    1.0
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    epsilon = check_scalar(epsilon, "epsilon", low=0.0, low_inclusive=False)
    steps = check_scalar(steps, "steps", low=1, integer=True)
    generator = _generator(_check_seed(seed))
    with _probing(model) as params:
        centre = [p.detach().clone() for p in params]
        with torch.no_grad():
            base = float(_loss_value(model, loss, X, y))
        box = [epsilon * (c.abs() + 1) for c in centre]
        delta = [(2 * torch.rand(c.shape, generator=generator, dtype=c.dtype) - 1) * b
                 for c, b in zip(centre, box)]
        best = base
        for _ in range(steps):
            _set(params, [c + d for c, d in zip(centre, delta)])
            grads = torch.autograd.grad(_loss_value(model, loss, X, y), params)
            delta = [torch.maximum(torch.minimum(d + (2.0 / steps) * b * g.sign(), b), -b)
                     for d, b, g in zip(delta, box, grads)]
            _set(params, [c + d for c, d in zip(centre, delta)])
            with torch.no_grad():
                best = max(best, float(_loss_value(model, loss, X, y)))
    return 100.0 * (best - base) / (1.0 + base)


# --- pictures --------------------------------------------------------------------------------

def random_direction(model, seed):
    r"""A raw Gaussian direction :math:`d \sim \mathcal N(0, I)`, shaped like the parameters.

    The same ``seed`` draws the same numbers that :func:`filter_normalized_direction` rescales,
    so the two can be compared.

    Examples
    --------
    >>> from regbook.training import mlp
    >>> [tuple(d.shape) for d in random_direction(mlp(3, [4], 2, seed=0), seed=0)]
    [(4, 3), (4,), (2, 4), (2,)]
    """
    params = _check_model(model)
    generator = _generator(_check_seed(seed))
    return [torch.randn(p.shape, generator=generator, dtype=p.dtype) for p in params]


def filter_normalized_direction(model, seed):
    r"""A random direction normalised filter by filter to the weights (Li et al. 2018).

    .. math::

        d_{ij} \leftarrow \frac{d_{ij}}{\lVert d_{i}\rVert}\,\lVert\theta_{i}\rVert

    for every *filter* :math:`i` of every weight tensor: an output row of a linear layer's weight,
    an output channel of a convolution's (dimension 0). One-dimensional parameters (biases and
    the scales and shifts of normalisation layers) get a zero direction, as in Li et al.'s code,
    whose loss plots turned NaN when they were perturbed. Because each filter's step is
    proportional to its own size, rescaling a filter (as in :func:`rescale_relu_layers`) rescales
    its direction with it, and the loss along the direction does not change.

    Parameters
    ----------
    model : torch.nn.Module
    seed : int
        Seeds the Gaussian draws (the same ones as :func:`random_direction`).

    Returns
    -------
    list of torch.Tensor
        One tensor per trainable parameter, with its shape.

    Examples
    --------
    >>> from regbook.training import mlp
    >>> model = mlp(3, [4], 2, seed=0)
    >>> direction = filter_normalized_direction(model, seed=0)
    >>> bool(torch.allclose(direction[0].norm(dim=1), model[0].weight.norm(dim=1)))
    True
    >>> float(direction[1].abs().sum())
    0.0
    """
    params = _check_model(model)
    direction = []
    for d, p in zip(random_direction(model, seed), params):
        if p.ndim <= 1:
            direction.append(torch.zeros_like(p, requires_grad=False).detach())
            continue
        rows, weight_rows = d.reshape(d.shape[0], -1), p.detach().reshape(p.shape[0], -1)
        scale = weight_rows.norm(dim=1) / rows.norm(dim=1).clamp_min(1e-12)
        direction.append((rows * scale[:, None]).reshape(p.shape))
    return direction


def _losses_at(model, loss, X, y, points):
    with _probing(model) as params, torch.no_grad():
        values = []
        for point in points:
            _set(params, point)
            values.append(float(_loss_value(model, loss, X, y)))
    return np.asarray(values)


def loss_slice_1d(model, loss, X, y, direction, steps):
    r"""Loss along one direction: :math:`L(\theta + t\,d)` for each ``t`` in ``steps``.

    Parameters
    ----------
    model : torch.nn.Module
        Its current weights are :math:`\theta`; they are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    direction : sequence of torch.Tensor
        :math:`d`, for example from :func:`filter_normalized_direction`.
    steps : 1-D array-like of float

    Returns
    -------
    ndarray of shape (len(steps),)

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(1, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(0.0)
    >>> X, y = torch.ones(1, 1), torch.zeros(1, 1)
    >>> loss_slice_1d(model, F.mse_loss, X, y, [torch.ones(1, 1)], [-1, 0, 2]).tolist()
    [1.0, 0.0, 4.0]
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    direction = _check_like_parameters(direction, params, "direction")
    steps = _check_coordinates(steps, "steps")
    centre = [p.detach().clone() for p in params]
    points = ([c + t * d for c, d in zip(centre, direction)] for t in steps)
    return _losses_at(model, loss, X, y, points)


def loss_slice_2d(model, loss, X, y, directions, alphas, betas):
    r"""Loss on a plane: ``Z[j, i]`` :math:`= L(\theta + \alpha_i d_1 + \beta_j d_2)`.

    The 2-D picture of Li et al. (2018); with two :func:`filter_normalized_direction` directions
    it can be compared across networks of different weight scales.

    Parameters
    ----------
    model : torch.nn.Module
        Its current weights are :math:`\theta`; they are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    directions : pair of sequences of torch.Tensor
        :math:`(d_1, d_2)`.
    alphas, betas : 1-D array-like of float
        Coordinates along :math:`d_1` (columns of ``Z``) and :math:`d_2` (rows), so that
        ``plt.contour(alphas, betas, Z)`` draws it.

    Returns
    -------
    ndarray of shape (len(betas), len(alphas))

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(2, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(0.0)
    >>> X, y = torch.eye(2), torch.zeros(2, 1)
    >>> d1, d2 = [torch.tensor([[1.0, 0.0]])], [torch.tensor([[0.0, 1.0]])]
    >>> loss_slice_2d(model, F.mse_loss, X, y, (d1, d2), [0, 1], [0, 2]).tolist()
    [[0.0, 0.5], [2.0, 2.5]]
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    if isinstance(directions, torch.Tensor) or not hasattr(directions, "__len__") \
            or len(directions) != 2:
        raise ValueError("directions must be a pair (d1, d2) of parameter-shaped tensor lists, "
                         f"got {type(directions).__name__}"
                         + (f" of length {len(directions)}" if hasattr(directions, "__len__")
                            else ""))
    first = _check_like_parameters(directions[0], params, "directions[0]")
    second = _check_like_parameters(directions[1], params, "directions[1]")
    alphas = _check_coordinates(alphas, "alphas")
    betas = _check_coordinates(betas, "betas")
    centre = [p.detach().clone() for p in params]
    points = ([c + a * d1 + b * d2 for c, d1, d2 in zip(centre, first, second)]
              for b in betas for a in alphas)
    return _losses_at(model, loss, X, y, points).reshape(len(betas), len(alphas))


def interpolate_loss(model, loss, X, y, start, end, ts):
    r"""Loss on the straight line between two weight vectors: :math:`L((1 - t)\,\theta_0 + t\,\theta_1)`.

    With :math:`\theta_0` the initial and :math:`\theta_1` the trained weights this is the 1-D
    plot of Goodfellow, Vinyals and Saxe (2015); between two trained solutions it shows whether
    a barrier separates them.

    Parameters
    ----------
    model : torch.nn.Module
        Gives the architecture; its weights are restored afterwards.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : array-like or torch.Tensor
    start, end : sequence of torch.Tensor
        :math:`\theta_0` and :math:`\theta_1`, shaped like the parameters (see
        :func:`parameters_of`).
    ts : 1-D array-like of float
        :math:`t = 0` gives ``start``, :math:`t = 1` gives ``end``; values outside [0, 1]
        extrapolate.

    Returns
    -------
    ndarray of shape (len(ts),)

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(1, 1, bias=False)
    >>> X, y = torch.ones(1, 1), torch.zeros(1, 1)
    >>> a, b = [torch.tensor([[-1.0]])], [torch.tensor([[1.0]])]
    >>> interpolate_loss(model, F.mse_loss, X, y, a, b, [0, 0.5, 1]).tolist()
    [1.0, 0.0, 1.0]
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    start = _check_like_parameters(start, params, "start")
    end = _check_like_parameters(end, params, "end")
    ts = _check_coordinates(ts, "ts")
    points = ([(1 - t) * a + t * b for a, b in zip(start, end)] for t in ts)
    return _losses_at(model, loss, X, y, points)


# --- reparametrisation -----------------------------------------------------------------------

_POSITIVELY_HOMOGENEOUS = (nn.ReLU, nn.LeakyReLU, nn.Identity, nn.Dropout)


def rescale_relu_layers(model, alpha, *, layer=0):
    r"""A copy of a ReLU network with one layer scaled by α and the next by 1/α: the same function.

    .. math::

        (W_1, b_1, W_2) \mapsto (\alpha W_1,\ \alpha b_1,\ W_2/\alpha),\qquad
        W_2\,\mathrm{relu}(\alpha W_1 x + \alpha b_1) = W_2\,\alpha\,\mathrm{relu}(W_1 x + b_1)

    because :math:`\mathrm{relu}(\alpha z) = \alpha\,\mathrm{relu}(z)` for :math:`\alpha > 0`.
    Every output is unchanged, yet the Hessian with respect to the weights is not: Dinh et al.
    (2017) use this to make a flat minimum arbitrarily sharp, so sharpness in raw weight
    coordinates cannot by itself explain generalisation.

    Parameters
    ----------
    model : torch.nn.Sequential
        A stack of ``nn.Linear`` layers separated by positively homogeneous modules (ReLU,
        LeakyReLU, Identity, Dropout), such as :func:`regbook.training.mlp` builds. Not modified.
    alpha : float
        The scale, in (0, inf).
    layer : int, default 0
        Which ``nn.Linear`` (counted from 0) is scaled by α; the next one is scaled by 1/α.

    Returns
    -------
    torch.nn.Sequential

    Examples
    --------
    >>> from regbook.training import mlp
    >>> model = mlp(3, [4], 2, seed=0)
    >>> rescaled = rescale_relu_layers(model, 10.0)
    >>> x = torch.randn(5, 3, generator=torch.Generator().manual_seed(0))
    >>> bool(torch.allclose(model(x), rescaled(x), atol=1e-6))
    True
    >>> round(float(rescaled[0].weight.detach().norm() / model[0].weight.detach().norm()), 4)
    10.0
    """
    if not isinstance(model, nn.Sequential):
        raise TypeError(f"model must be a torch.nn.Sequential, got {type(model).__name__}")
    alpha = check_scalar(alpha, "alpha", low=0.0, low_inclusive=False)
    positions = [k for k, m in enumerate(model) if isinstance(m, nn.Linear)]
    layer = check_scalar(layer, "layer", low=0, high=max(len(positions) - 2, 0), integer=True)
    if len(positions) < 2:
        raise ValueError(f"model must contain at least two nn.Linear layers, got "
                         f"{len(positions)}")
    first, second = positions[layer], positions[layer + 1]
    for module in list(model)[first + 1:second]:
        if not isinstance(module, _POSITIVELY_HOMOGENEOUS):
            raise ValueError("the modules between the rescaled layers must be positively "
                             "homogeneous (ReLU, LeakyReLU, Identity, Dropout), got "
                             f"{type(module).__name__}")
    rescaled = copy.deepcopy(model)
    with torch.no_grad():
        rescaled[first].weight.mul_(alpha)
        if rescaled[first].bias is not None:
            rescaled[first].bias.mul_(alpha)
        rescaled[second].weight.div_(alpha)
    return rescaled


# --- sharpness-aware minimisation -------------------------------------------------------------

def sam_step(model, loss, X, y, optimizer, *, rho=0.05):
    r"""One step of sharpness-aware minimisation (SAM, Foret et al. 2021); returns the loss.

    .. math::

        &g \leftarrow \nabla L(\theta) \\
        &\hat\varepsilon \leftarrow \rho\, g / \lVert g\rVert \\
        &\theta \leftarrow \text{optimizer.step}\big(\nabla L(\theta + \hat\varepsilon)\big)

    The gradient is taken at the worst point of a ball of radius ρ (to first order), so the
    update lowers :math:`\max_{\lVert\varepsilon\rVert \le \rho} L(\theta + \varepsilon)`: the loss
    of the whole neighbourhood, not only of the point. It costs two gradients per step.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place, in its current mode.
    loss : callable ``(outputs, y) -> scalar tensor``
    X, y : torch.Tensor
        One batch.
    optimizer : torch.optim.Optimizer
        Over the model's parameters (plain SGD gives the paper's basic algorithm).
    rho : float, default 0.05
        Neighbourhood radius, in [0, inf); 0 gives the optimizer's ordinary step.

    Returns
    -------
    float
        The loss at :math:`\theta` before the step.

    Examples
    --------
    >>> import torch.nn.functional as F
    >>> model = torch.nn.Linear(1, 1, bias=False)
    >>> with torch.no_grad():
    ...     _ = model.weight.fill_(1.0)
    >>> optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    >>> sam_step(model, F.mse_loss, torch.ones(1, 1), torch.zeros(1, 1), optimizer, rho=0.5)
    1.0
    >>> round(float(model.weight.detach()), 4)
    0.7
    """
    params, X, y = _check_data(model, X, y)
    loss = _check_loss(loss)
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TypeError(f"optimizer must be a torch.optim.Optimizer, got "
                        f"{type(optimizer).__name__}")
    rho = check_scalar(rho, "rho", low=0.0)
    value = _loss_value(model, loss, X, y)
    grads = torch.autograd.grad(value, params)
    norm = math.sqrt(sum(float((g * g).sum()) for g in grads))
    scale = rho / norm if norm > 0 else 0.0
    perturbation = [scale * g for g in grads]
    with torch.no_grad():
        for p, e in zip(params, perturbation):
            p.add_(e)
    optimizer.zero_grad(set_to_none=True)
    _loss_value(model, loss, X, y).backward()
    with torch.no_grad():
        for p, e in zip(params, perturbation):
            p.sub_(e)
    optimizer.step()
    return float(value.detach())


# --- training to a matched loss -----------------------------------------------------------------

def train_to_loss(model, X, y, *, threshold, lr, batch_size, max_epochs=1000, seed=0,
                  loss=None, callbacks=()):
    r"""Train with plain SGD until the training loss first reaches ``threshold``.

    Runs :func:`regbook.training.train` with ``torch.optim.SGD(lr)`` and ``eval_train=True`` and
    stops after the first epoch whose loss on the whole training set (eval mode) is at most
    ``threshold``. Comparing settings at the same training loss, rather than after the same
    number of epochs, removes the trap of comparing a converged model with an unconverged one.
    With ``batch_size=None`` an epoch is one full-batch gradient step, so the stop is exact to
    one step; with mini-batches it is exact to one epoch.

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place.
    X, y : array-like or torch.Tensor
    threshold : float
        Target training loss, in (0, inf).
    lr : float
        Learning rate, in (0, inf).
    batch_size : int or None
        None means full-batch gradient descent.
    max_epochs : int, default 1000
    seed : int, default 0
    loss : callable, optional
        As in :func:`regbook.training.train` (cross-entropy for integer labels by default).
    callbacks : sequence, default ()
        Extra callbacks, called after every epoch before the stopping test.

    Returns
    -------
    History
        ``history.stopped_epoch`` is None if the threshold was never reached.

    Examples
    --------
    >>> from regbook.training import mlp
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 2)); y = (X[:, 0] > 0).astype(int)
    >>> history = train_to_loss(mlp(2, [8], 2, seed=0), X, y, threshold=0.3, lr=0.5,
    ...                         batch_size=None, seed=0)
    >>> history.stopped_epoch is not None and history.train_loss[-1] <= 0.3
    True
    """
    from regbook.training import train

    threshold = check_scalar(threshold, "threshold", low=0.0, low_inclusive=False)
    lr = check_scalar(lr, "lr", low=0.0, low_inclusive=False)
    max_epochs = check_scalar(max_epochs, "max_epochs", low=1, integer=True)
    if isinstance(callbacks, (str, bytes)) or not isinstance(callbacks, (list, tuple)):
        raise TypeError(f"callbacks must be a list or tuple of callbacks, got "
                        f"{type(callbacks).__name__}")

    def reached(epoch, history, model):
        return history.train_loss[-1] <= threshold

    return train(model, X, y, loss=loss, lr=lr, batch_size=batch_size, epochs=max_epochs,
                 seed=seed, eval_train=True, progress=False,
                 callbacks=[*callbacks, reached])


class SharpnessRecorder:
    """A :func:`regbook.training.train` callback that records the top Hessian eigenvalue.

    Every ``every`` epochs (and after the first) it appends ``(epoch, λ_max)`` to
    ``self.trajectory``, by power iteration on ``(X, y)`` as in :func:`top_hessian_eigenvalue`.
    Each record starts from the previous record's eigenvector (a warm start: the top direction
    changes slowly during training, so few iterations suffice). The weights are restored after
    each probe, so recording does not change training.

    Parameters
    ----------
    X, y : array-like or torch.Tensor
    loss : callable ``(outputs, y) -> scalar tensor``
    every : int, default 10
    iterations : int, default 20
    seed : int, default 0
    """

    def __init__(self, X, y, loss, *, every=10, iterations=20, seed=0):
        X = _as_tensor(X, "X", torch.get_default_dtype())
        y = _as_tensor(y, "y", torch.get_default_dtype())
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} "
                             f"and {y.shape[0]}")
        if not y.is_floating_point() and int(y.min()) < 0:
            raise ValueError(f"y must hold class labels >= 0 (or float targets), got a minimum of "
                             f"{int(y.min())}")
        self.X, self.y, self.loss = X, y, _check_loss(loss)
        self.every = check_scalar(every, "every", low=1, integer=True)
        self.iterations = check_scalar(iterations, "iterations", low=1, integer=True)
        self.seed = _check_seed(seed)
        self.trajectory = []
        self._vector = None

    def on_epoch_end(self, epoch, history, model):
        """Record λ_max after epoch ``epoch`` (0-based) when it is due; never stops training."""
        epoch = check_scalar(epoch, "epoch", low=0, integer=True)
        if epoch == 0 or (epoch + 1) % self.every == 0:
            params, X, y = _check_data(model, self.X, self.y)
            if self._vector is None:
                generator = _generator(self.seed)
                self._vector = [torch.randn(p.shape, generator=generator, dtype=p.dtype)
                                for p in params]
            value, self._vector = _power_iteration(model, self.loss, X, y, self._vector,
                                                   self.iterations)
            self.trajectory.append((epoch + 1, value))
        return False
