r"""Early stopping (chapter 10): stop when the validation score stops improving, keep the best weights.

The rule, as Keras's and Lightning's ``EarlyStopping`` apply it: after each evaluation, the monitored
score :math:`s_t` is an *improvement* when it beats the best score so far by strictly more than
``min_delta``,

.. math::

    s_t < s^\star - \delta \quad (\text{minimised, e.g. } \texttt{val\_loss}), \qquad
    s_t > s^\star + \delta \quad (\text{maximised, e.g. } \texttt{val\_accuracy}),

and training stops at the first epoch that completes ``patience`` evaluations in a row without an
improvement (Prechelt 1998; Goodfellow et al. 2016, algorithm 7.1).

For gradient descent on least squares from :math:`w_0 = 0`, stopping after :math:`\tau` steps is a
spectral filter close to ridge (Goodfellow et al. 2016, §7.8): with
:math:`L(w) = \tfrac{1}{2n}\lVert y - Xw\rVert^2` and the eigenvalues :math:`\lambda_i` of
:math:`X^\top X / n`,

.. math::

    \text{GD}: \ 1 - (1 - \eta\lambda_i)^\tau
    \qquad\text{versus}\qquad
    \text{ridge}: \ \frac{\lambda_i}{\lambda_i + \alpha}, \quad \alpha \approx \frac{1}{\eta\tau},

where ridge minimises :math:`L(w) + \tfrac{\alpha}{2}\lVert w\rVert^2`, i.e. scikit-learn's
``Ridge(alpha=n * alpha)``.
"""

import copy
import math
import numbers
from dataclasses import dataclass

import numpy as np

from regbook._validation import check_finite_array, check_scalar

__all__ = ["EarlyStopping", "StoppingPoint", "equivalent_ridge_alpha",
           "gradient_descent_shrinkage", "gradient_descent_weights", "ridge_shrinkage",
           "stopping_point"]

MONITORS = {"val_loss": "min", "val_accuracy": "max"}
"""The quantities :class:`EarlyStopping` can monitor, and whether each is minimised or maximised."""


def _check_monitor(monitor):
    if not isinstance(monitor, str) or monitor not in MONITORS:
        raise ValueError(f"monitor must be one of {sorted(MONITORS)}, got {monitor!r}")
    return monitor


def _check_patience(patience):
    return check_scalar(patience, "patience", low=0, integer=True)


def _check_min_delta(min_delta):
    return check_scalar(min_delta, "min_delta", low=0.0)


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type "
                        f"{type(value).__name__}")
    return bool(value)


def _improves(score, best, min_delta, mode):
    """Strictly better than ``best`` by more than ``min_delta``; NaN never improves."""
    if mode == "min":
        return score < best - min_delta
    return score > best + min_delta


class EarlyStopping:
    r"""Stop :func:`regbook.training.train` when a validation score stops improving.

    After epoch :math:`t` (0-based) with monitored score :math:`s_t`, with the best score so far
    :math:`s^\star` (:math:`+\infty` for a minimised score, :math:`-\infty` for a maximised one)
    and the count :math:`w` of epochs since the last improvement:

    .. math::

        &\textbf{if } s_t < s^\star - \delta \ (\text{or } s_t > s^\star + \delta
            \text{ when maximising}):
            \quad s^\star \leftarrow s_t,\ t^\star \leftarrow t,\ w \leftarrow 0,
            \ \theta^\star \leftarrow \text{copy}(\theta) \\
        &\textbf{else}: \quad w \leftarrow w + 1;
            \quad \textbf{if } w \ge \text{patience}: \text{stop after epoch } t

    So an improvement must be **strictly larger** than ``min_delta`` (a change of exactly
    ``min_delta`` does not count), the first epoch always improves on the infinite start, and
    training stops at epoch :math:`t^\star + \text{patience}` when no later epoch improves. This is
    the rule of Keras's ``EarlyStopping`` and of Lightning's (whose ``patience`` counts
    validation checks, here one per epoch). A NaN score never counts as an improvement. With
    ``restore_best=True`` the model gets back the exact weights :math:`\theta^\star` of epoch
    :math:`t^\star` when training ends, whether it stopped early or ran all its ``epochs``, as
    Keras 3 does with ``restore_best_weights=True`` (older ``tf.keras`` restored only when it
    stopped early). Where Keras warns that the monitored value is missing, this callback raises.

    Parameters
    ----------
    monitor : {"val_loss", "val_accuracy"}, default "val_loss"
        The :class:`~regbook.training.History` entry to watch: ``val_loss`` is minimised,
        ``val_accuracy`` maximised. It must be recorded, so ``train`` needs ``X_val`` and
        ``y_val`` (and integer labels for ``val_accuracy``); otherwise ``on_epoch_end`` raises.
    patience : int, default 10
        Number of epochs without an improvement after which training stops; 0 stops at the first
        epoch that does not improve.
    min_delta : float, default 0.0
        Non-negative margin an improvement must exceed, in the units of the monitored score.
    restore_best : bool, default True
        Load a deep copy of the best epoch's ``state_dict`` into the model at the end of training.

    Attributes
    ----------
    best_epoch : int or None
        0-based epoch of the best score (None before the first epoch).
    best_score : float
        The best monitored score seen.
    stopped_epoch : int or None
        0-based epoch after which this callback stopped training; None if it never fired.
    wait : int
        Epochs since the last improvement.

    See Also
    --------
    stopping_point : the same rule applied offline to a recorded validation curve.
    Chapter 10, "Early stopping".

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> import torch
    >>> stopper = EarlyStopping(patience=2)
    >>> history = SimpleNamespace(val_loss=[])
    >>> model = torch.nn.Linear(1, 1)
    >>> stopper.on_train_begin(model)
    >>> for epoch, loss in enumerate([1.0, 0.8, 0.9, 0.85, 0.7]):
    ...     history.val_loss.append(loss)
    ...     if stopper.on_epoch_end(epoch, history, model):
    ...         break
    >>> stopper.best_epoch, stopper.best_score, stopper.stopped_epoch
    (1, 0.8, 3)
    """

    def __init__(self, monitor="val_loss", patience=10, min_delta=0.0, restore_best=True):
        self.monitor = _check_monitor(monitor)
        self.patience = _check_patience(patience)
        self.min_delta = _check_min_delta(min_delta)
        self.restore_best = _check_bool(restore_best, "restore_best")
        self.mode = MONITORS[self.monitor]
        self._reset()

    def _reset(self):
        self.best_score = math.inf if self.mode == "min" else -math.inf
        self.best_epoch = None
        self.stopped_epoch = None
        self.wait = 0
        self.best_state = None

    def on_train_begin(self, model):
        """Forget any previous run, so one instance can be reused."""
        _check_model(model)
        self._reset()

    def _score(self, epoch, history):
        values = getattr(history, self.monitor, None)
        if values is None:
            raise ValueError(
                f"EarlyStopping monitors {self.monitor!r}, but it is not recorded: pass X_val and "
                "y_val to train (and integer class labels for 'val_accuracy')")
        if not 0 <= epoch < len(values):
            raise ValueError(f"history.{self.monitor} has {len(values)} values, so epoch must be "
                             f"in [0, {len(values) - 1}], got {epoch!r}")
        return float(values[epoch])

    def on_epoch_end(self, epoch, history, model):
        """Update the best score; return True when ``patience`` epochs passed without improving."""
        if isinstance(epoch, bool) or not isinstance(epoch, numbers.Integral):
            raise TypeError(f"epoch must be an integer, got {epoch!r}")
        _check_model(model)
        score = self._score(epoch, history)
        if _improves(score, self.best_score, self.min_delta, self.mode):
            self.best_score, self.best_epoch, self.wait = score, int(epoch), 0
            if self.restore_best:
                self.best_state = copy.deepcopy(model.state_dict())
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = int(epoch)
            return True
        return False

    def on_train_end(self, history, model):
        """Load the best epoch's weights back into the model (``restore_best=True``)."""
        _check_model(model)
        if self.restore_best and self.best_state is not None:
            model.load_state_dict(self.best_state)

    def __repr__(self):
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta}, restore_best={self.restore_best})")


@dataclass(frozen=True)
class StoppingPoint:
    """Where the patience rule stops on a recorded curve (0-based epochs)."""

    stopped_epoch: int | None
    """Epoch after which training stops, or None if the rule never fires on the curve."""
    best_epoch: int | None
    """Epoch of the best score evaluated up to the stop (or the end); None if none improved."""
    best_score: float
    """That best score (NaN when ``best_epoch`` is None)."""


def stopping_point(scores, patience, min_delta=0.0, mode="min", every=1):
    r"""Apply the early-stopping rule of :class:`EarlyStopping` offline to a recorded curve.

    The rule is a pure function of the monitored curve: given the scores :math:`s_0, s_1, \dots`
    that a training run recorded, it says where :class:`EarlyStopping` would have stopped and
    which epoch it would have restored, so one long run answers the question for every
    ``patience`` and ``min_delta``.

    Parameters
    ----------
    scores : array-like of shape (n_epochs,)
        The monitored score after each epoch. NaN never counts as an improvement.
    patience : int
        Evaluations without an improvement (strictly more than ``min_delta``) before stopping.
    min_delta : float, default 0.0
    mode : {"min", "max"}, default "min"
        Whether a lower (loss) or higher (accuracy) score is better.
    every : int, default 1
        Evaluate only after epochs ``every - 1, 2 * every - 1, ...``: the evaluation interval.
        ``patience`` then counts evaluations, as in Lightning.

    Returns
    -------
    StoppingPoint

    See Also
    --------
    EarlyStopping : the same rule as a callback for ``regbook.training.train``.

    Examples
    --------
    >>> stopping_point([1.0, 0.8, 0.9, 0.85, 0.7], patience=2)
    StoppingPoint(stopped_epoch=3, best_epoch=1, best_score=0.8)
    >>> stopping_point([1.0, 0.8, 0.9, 0.85, 0.7], patience=3).stopped_epoch is None
    True
    """
    scores = np.asarray(_check_scores(scores), dtype=float)
    patience = _check_patience(patience)
    min_delta = _check_min_delta(min_delta)
    if mode not in ("min", "max"):
        raise ValueError(f"mode must be 'min' or 'max', got {mode!r}")
    every = check_scalar(every, "every", low=1, integer=True)
    best, best_epoch, wait = (math.inf if mode == "min" else -math.inf), None, 0
    for epoch in range(every - 1, len(scores), every):
        if _improves(scores[epoch], best, min_delta, mode):
            best, best_epoch, wait = float(scores[epoch]), epoch, 0
            continue
        wait += 1
        if wait >= patience:
            break
    else:
        epoch = None
    return StoppingPoint(epoch, best_epoch, best if best_epoch is not None else math.nan)


def _check_model(model):
    from torch import nn

    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")


def _check_scores(scores):
    """A 1-D, non-empty float array; NaN is allowed (a diverged epoch), nothing else odd."""
    try:
        arr = np.asarray(scores, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"scores must be a 1-D array of numbers, got {type(scores).__name__} "
                         f"({exc})") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"scores must be a non-empty 1-D array, got shape {arr.shape}")
    return arr


def _check_eigenvalues(eigenvalues):
    eigenvalues = check_finite_array(eigenvalues, "eigenvalues")
    if np.any(eigenvalues < 0):
        raise ValueError(f"eigenvalues must be non-negative (of X^T X / n), got minimum "
                         f"{eigenvalues.min()!r}")
    return eigenvalues


def _check_lr(lr):
    return check_scalar(lr, "lr", low=0.0, low_inclusive=False)


def _check_steps(steps):
    return check_scalar(steps, "steps", low=0, integer=True)


def gradient_descent_shrinkage(eigenvalues, lr, steps):
    r"""The spectral filter of ``steps`` gradient-descent steps on least squares from zero.

    For :math:`L(w) = \tfrac{1}{2n}\lVert y - Xw\rVert^2`, gradient descent
    :math:`w_{t+1} = w_t - \eta\nabla L(w_t)` from :math:`w_0 = 0` gives, along each eigenvector
    :math:`v_i` of :math:`X^\top X / n` with eigenvalue :math:`\lambda_i > 0`,

    .. math::

        v_i^\top w_\tau = \big(1 - (1 - \eta\lambda_i)^\tau\big)\, v_i^\top \hat w,

    where :math:`\hat w` is the least-squares solution: the filter is the fraction of the
    least-squares coefficient that :math:`\tau` steps have reached. It lies in :math:`[0, 1]` only
    while :math:`\eta\lambda_i \le 2`; beyond that gradient descent diverges along :math:`v_i`.

    Parameters
    ----------
    eigenvalues : array-like
        Non-negative eigenvalues :math:`\lambda_i` of :math:`X^\top X / n`.
    lr : float
        Positive step size :math:`\eta`.
    steps : int
        Non-negative number of steps :math:`\tau`.

    Returns
    -------
    ndarray of the shape of ``eigenvalues``

    See Also
    --------
    ridge_shrinkage, equivalent_ridge_alpha. Chapter 10, "Early stopping".

    Examples
    --------
    >>> gradient_descent_shrinkage([0.0, 0.1, 1.0], lr=0.5, steps=2).round(4)
    array([0.    , 0.0975, 0.75  ])
    """
    eigenvalues = _check_eigenvalues(eigenvalues)
    lr, steps = _check_lr(lr), _check_steps(steps)
    return 1.0 - (1.0 - lr * eigenvalues) ** steps


def ridge_shrinkage(eigenvalues, alpha):
    r"""The spectral filter :math:`\lambda_i / (\lambda_i + \alpha)` of ridge regression.

    Ridge minimising :math:`\tfrac{1}{2n}\lVert y - Xw\rVert^2 + \tfrac{\alpha}{2}\lVert w\rVert^2`
    has :math:`v_i^\top w_\alpha = \tfrac{\lambda_i}{\lambda_i + \alpha} v_i^\top \hat w` along each
    eigenvector of :math:`X^\top X / n`. In scikit-learn's scaling
    (:math:`\lVert y - Xw\rVert^2 + \alpha_{\text{sk}}\lVert w\rVert^2`, eigenvalues of
    :math:`X^\top X`) the filter is the same with :math:`\alpha_{\text{sk}} = n\alpha`. A zero
    eigenvalue gets the filter 0 (the minimum-norm solution), also at ``alpha = 0``.

    Parameters
    ----------
    eigenvalues : array-like
        Non-negative eigenvalues of :math:`X^\top X / n`.
    alpha : float
        Non-negative penalty strength in the same (per-sample) scaling.

    Returns
    -------
    ndarray of the shape of ``eigenvalues``

    See Also
    --------
    gradient_descent_shrinkage. Chapter 02 for ridge itself.

    Examples
    --------
    >>> ridge_shrinkage([0.0, 0.1, 1.0], alpha=0.1).round(4)
    array([0.    , 0.5   , 0.9091])
    """
    eigenvalues = _check_eigenvalues(eigenvalues)
    alpha = check_scalar(alpha, "alpha", low=0.0)
    positive = eigenvalues > 0
    out = np.zeros_like(eigenvalues)
    out[positive] = eigenvalues[positive] / (eigenvalues[positive] + alpha)
    return out


def equivalent_ridge_alpha(lr, steps):
    r"""The ridge strength :math:`\alpha = 1/(\eta\tau)` that ``steps`` steps of size ``lr`` imitate.

    In the per-sample scaling of :func:`ridge_shrinkage`; multiply by :math:`n` for
    scikit-learn's ``Ridge(alpha)``. The match is approximate: both filters are
    :math:`\approx\lambda_i/\alpha` for :math:`\lambda_i \ll \alpha` and :math:`\approx 1` for
    :math:`\lambda_i \gg \alpha`, when :math:`\eta\lambda_i \ll 1` (Goodfellow et al. 2016, §7.8).
    ``steps = 0`` gives infinity (no step taken: everything shrunk to zero).

    Examples
    --------
    >>> equivalent_ridge_alpha(lr=0.1, steps=50)
    0.2
    """
    lr, steps = _check_lr(lr), _check_steps(steps)
    return math.inf if steps == 0 else 1.0 / (lr * steps)


def gradient_descent_weights(X, y, lr, steps, w0=None):
    r"""Gradient-descent iterates on :math:`\tfrac{1}{2n}\lVert y - Xw\rVert^2`, in closed form.

    With the eigendecomposition :math:`X^\top X / n = V \operatorname{diag}(\lambda) V^\top`,
    the least-squares solution :math:`\hat w` of minimum norm and :math:`f_i(\tau) = 1 -
    (1 - \eta\lambda_i)^\tau`,

    .. math::

        w_\tau = V\big(f(\tau) \odot V^\top \hat w + (1 - f(\tau)) \odot V^\top w_0\big),

    the exact iterate of :math:`w_{t+1} = w_t - \tfrac{\eta}{n} X^\top(Xw_t - y)`. Directions with
    :math:`\lambda_i = 0` keep their starting value. Computed without a loop, so every
    :math:`\tau` of a path costs the same.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
    y : array-like of shape (n_samples,)
    lr : float
        Positive step size :math:`\eta`.
    steps : int or sequence of int
        One step count or several.
    w0 : array-like of shape (n_features,), optional
        Starting weights; zero by default.

    Returns
    -------
    ndarray of shape (n_features,) for one ``steps``, (len(steps), n_features) for several.

    Examples
    --------
    >>> X = np.array([[1.0, 0.0], [0.0, 2.0]]); y = np.array([1.0, 2.0])
    >>> gradient_descent_weights(X, y, lr=0.5, steps=[1, 100]).round(4)
    array([[0.25, 1.  ],
           [1.  , 1.  ]])
    """
    X = check_finite_array(X, "X", ndim=2)
    y = check_finite_array(y, "y", ndim=1)
    n, d = X.shape
    if y.shape[0] != n:
        raise ValueError(f"X and y must have the same number of samples, got {n} and "
                         f"{y.shape[0]}")
    lr = _check_lr(lr)
    single = np.ndim(steps) == 0
    step_list = [_check_steps(s) for s in ([steps] if single else list(steps))]
    w0 = np.zeros(d) if w0 is None else check_finite_array(w0, "w0", ndim=1)
    if w0.shape[0] != d:
        raise ValueError(f"w0 must have one weight per feature ({d}), got {w0.shape[0]}")
    eigenvalues, V = np.linalg.eigh(X.T @ X / n)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    tol = eigenvalues.max(initial=0.0) * max(n, d) * np.finfo(float).eps
    positive = eigenvalues > tol
    coef_ls = np.zeros(d)
    coef_ls[positive] = (V.T @ (X.T @ y / n))[positive] / eigenvalues[positive]
    coef_0 = V.T @ w0
    paths = []
    with np.errstate(over="ignore", invalid="ignore"):
        for s in step_list:
            f = np.where(positive, 1.0 - (1.0 - lr * eigenvalues) ** s, 0.0)
            paths.append(V @ (f * coef_ls + (1.0 - f) * coef_0))
    paths = np.array(paths)
    if not np.all(np.isfinite(paths)):
        raise ValueError(f"lr={lr:g} makes gradient descent diverge (the weights overflowed): lr "
                         f"must be below the stability limit 2/lambda_max = "
                         f"{2.0 / eigenvalues.max():.4g} of X'X/n")
    return paths[0] if single else paths
