r"""The one small torch training loop that chapters 06–14 share.

Each epoch draws a fresh permutation of the training set, cuts it into mini-batches and takes one
optimizer step per batch:

.. math::

    \theta \leftarrow \mathrm{step}\Big(\theta,\ \nabla_\theta \tfrac{1}{|B|}
    \textstyle\sum_{i \in B} \ell\big(f_\theta(T(x_i)), y_i\big)\Big)

where :math:`T` is an optional random transform of the inputs (augmentation, input noise) that is
applied to training batches only. The loop records per-epoch losses and accuracies in a
:class:`History` and asks its callbacks after every epoch whether to stop (early stopping plugs in
there). Everything the loop draws is seeded, so the same seed gives the same history.

Model initialisation is the caller's job: build the model under a seed, for example with
``mlp(..., seed=0)`` or after :func:`seed_everything`.
"""

import contextlib
import math
import os
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from regbook._validation import check_random_state, check_scalar

__all__ = ["Callback", "History", "accuracy", "evaluate", "mlp", "one_torch_thread",
           "predict_logits", "predict_proba", "resolve_device", "seed_everything", "train"]


@runtime_checkable
class Callback(Protocol):
    """What :func:`train` calls after every epoch.

    ``on_epoch_end(epoch, history, model)`` is called with the 0-based epoch index (so
    ``history.val_loss[epoch]`` is this epoch's value), the :class:`History` so far and the model.
    Returning ``True`` stops training after this epoch. The model is passed so that a callback can
    snapshot and later restore its ``state_dict`` (restore-best early stopping).

    Two optional methods are called when a callback defines them: ``on_train_begin(model)``
    before the first epoch and ``on_train_end(history, model)`` after the last one, whether
    training stopped early or not. A plain function ``f(epoch, history, model) -> bool`` also works
    as a callback.
    """

    def on_epoch_end(self, epoch, history, model):
        ...


@dataclass
class History:
    """Per-epoch record of a :func:`train` run.

    Attributes
    ----------
    train_loss : list of float
        Mean training loss of each epoch, averaged over the epoch's batches (weighted by batch
        size) as they were trained on: transformed inputs, model in train mode. With
        ``eval_train=True`` it is instead the loss on the clean training set in eval mode at the
        end of the epoch.
    val_loss : list of float or None
        Validation loss at the end of each epoch (eval mode); None without validation data.
    train_accuracy, val_accuracy : list of float or None
        The matching accuracies, recorded for classification (integer targets) only.
    lr : list of float
        The learning rate of the first parameter group during each epoch.
    stopped_epoch : int or None
        The 0-based epoch after which a callback stopped training, or None.
    """

    train_loss: list = field(default_factory=list)
    val_loss: list | None = None
    train_accuracy: list | None = None
    val_accuracy: list | None = None
    lr: list = field(default_factory=list)
    stopped_epoch: int | None = None

    @property
    def epochs_run(self):
        """Number of epochs that were run."""
        return len(self.train_loss)

    def to_arrays(self):
        """Return the recorded curves as a dict of float arrays, leaving out those not recorded."""
        names = ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "lr")
        return {name: np.asarray(getattr(self, name), dtype=float) for name in names
                if getattr(self, name) is not None}


def seed_everything(seed):
    """Seed Python's, numpy's and torch's global random number generators.

    Use it before building a model by hand so that its initial weights are reproducible.
    :func:`train` itself does not need it: it seeds everything it draws from ``seed``.

    Parameters
    ----------
    seed : int
        A non-negative integer.
    """
    import random

    seed = check_scalar(seed, "seed", low=0, integer=True)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


@contextlib.contextmanager
def one_torch_thread():
    """Run torch on one intra-op thread for the duration, then restore the previous count.

    The book's networks are tiny: on a busy two-core machine a second thread only waits for a free
    core (small full-batch steps were measured 15–70× slower on two threads than on one). Package
    code that trains (an explorer's precomputed models, cached experiments) runs under this, so it
    is fast however the caller's process is configured.

    Examples
    --------
    >>> with one_torch_thread():
    ...     torch.get_num_threads()
    1
    """
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


DEVICE_ENV = "REGBOOK_DEVICE"


def resolve_device(device=None):
    """Return a ``torch.device``; the CPU unless ``device`` or ``$REGBOOK_DEVICE`` asks otherwise.

    ``None`` reads the environment variable ``REGBOOK_DEVICE`` (unset or empty: ``"cpu"``), so
    that the same seed gives the same numbers on every machine. ``"auto"`` means CUDA when it is
    available, else the CPU. Anything else is a device such as ``"cpu"``, ``"cuda"`` or
    ``"cuda:1"`` (or a ``torch.device``); asking for CUDA where there is none is an error.

    Examples
    --------
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    source = "device"
    if device is None:
        device = os.environ.get(DEVICE_ENV, "").strip() or "cpu"
        source = f"the environment variable {DEVICE_ENV}"
    if isinstance(device, str) and device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if not isinstance(device, (str, torch.device)):
        raise TypeError(f"device must be None, 'auto', a device string such as 'cpu' or 'cuda', "
                        f"or a torch.device, got {device!r} of type {type(device).__name__}")
    try:
        resolved = torch.device(device)
    except RuntimeError:
        raise ValueError(f"device ({source}) must be 'auto', 'cpu', 'cuda' or 'cuda:<index>', "
                         f"got {device!r}") from None
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device ({source}) asks for CUDA, got {device!r}, but "
                         "torch.cuda.is_available() is False")
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(f"device ({source}) must be a CPU or CUDA device, got {device!r}")
    return resolved


def mlp(in_features, hidden, out_features, *, activation=nn.ReLU, dropout=0.0, input_dropout=0.0,
        dropout_layer=nn.Dropout, seed=None):
    """Build a multilayer perceptron as an ``nn.Sequential``.

    ``[Dropout(p_in) →]`` then ``Linear → activation [→ Dropout(p)]`` for each hidden width, then a
    final ``Linear`` that outputs logits (no softmax: torch's losses expect logits).

    Parameters
    ----------
    in_features, out_features : int
    hidden : int or sequence of int
        Width of each hidden layer; ``()`` gives a linear model.
    activation : callable returning an ``nn.Module``, default ``nn.ReLU``
    dropout : float, default 0.0
        Drop probability ``p`` after each hidden activation (torch's convention); 0 adds no layer.
    input_dropout : float, default 0.0
        Drop probability on the inputs; 0 adds no layer.
    dropout_layer : callable ``p -> nn.Module``, default ``nn.Dropout``
        Builds each dropout layer (chapter 12 passes its own ``Dropout`` and ``OriginalDropout``).
    seed : int or None
        Seeds the weight initialisation without touching torch's global random state. None uses
        the global state.

    See Also
    --------
    Chapter 12, "Dropout", for ``dropout``.

    Examples
    --------
    >>> model = mlp(64, [32], 10, seed=0)
    >>> sum(p.numel() for p in model.parameters())
    2410
    """
    in_features = check_scalar(in_features, "in_features", low=1, integer=True)
    out_features = check_scalar(out_features, "out_features", low=1, integer=True)
    if isinstance(hidden, (int, np.integer)) and not isinstance(hidden, (bool, np.bool_)):
        hidden = [hidden]
    elif isinstance(hidden, (str, bytes)) or not isinstance(hidden, (list, tuple, range)):
        raise TypeError(f"hidden must be an int or a sequence of ints (the hidden widths), got "
                        f"{hidden!r} of type {type(hidden).__name__}")
    hidden = [check_scalar(h, "hidden", low=1, integer=True) for h in hidden]
    if not callable(activation):
        raise TypeError(f"activation must be a callable returning an nn.Module, got "
                        f"{activation!r}")
    dropout = check_scalar(dropout, "dropout", low=0.0, high=1.0, high_inclusive=False)
    input_dropout = check_scalar(input_dropout, "input_dropout", low=0.0, high=1.0,
                                 high_inclusive=False)
    if not callable(dropout_layer):
        raise TypeError(f"dropout_layer must be a callable p -> nn.Module, got {dropout_layer!r}")
    if seed is not None:
        seed = check_scalar(seed, "seed", low=0, integer=True)

    def build():
        layers = [dropout_layer(input_dropout)] if input_dropout > 0 else []
        width = in_features
        for h in hidden:
            layers += [nn.Linear(width, h), activation()]
            if dropout > 0:
                layers.append(dropout_layer(dropout))
            width = h
        layers.append(nn.Linear(width, out_features))
        return nn.Sequential(*layers)

    if seed is None:
        return build()
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return build()


def _as_tensor(a, name, device):
    """Inputs become the default float dtype, integer targets int64, float targets float."""
    if isinstance(a, torch.Tensor):
        t = a.detach()
    else:
        arr = np.asarray(a)
        if arr.dtype.kind not in "biufc":
            raise ValueError(f"{name} must be a numeric array or tensor, got {type(a).__name__} "
                             f"of dtype {arr.dtype}")
        t = torch.as_tensor(arr)
    if t.ndim == 0 or t.shape[0] == 0:
        raise ValueError(f"{name} must hold at least one sample, got shape {tuple(t.shape)}")
    if t.dtype == torch.bool:
        raise ValueError(f"{name} must be numeric, got a boolean array")
    if t.is_floating_point():
        t = t.to(torch.get_default_dtype())
        if not torch.isfinite(t).all():
            raise ValueError(f"{name} must contain only finite values, got NaN or inf")
    elif not t.is_complex():
        t = t.to(torch.int64)
    else:
        raise ValueError(f"{name} must be real, got dtype {t.dtype}")
    return t.to(device)


def _check_model(model):
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return model


def _check_batch_size(batch_size):
    if batch_size is None:
        return None
    return check_scalar(batch_size, "batch_size", low=1, integer=True)


def _check_callable(value, name, what):
    if not callable(value):
        raise TypeError(f"{name} must be a callable {what}, got {value!r}")
    return value


def _output_shape(model, X, name):
    """The model's output shape for ``X``'s first sample (eval mode, no_grad, nothing drawn)."""
    with torch.random.fork_rng(devices=[]), _eval_mode(model):
        try:
            out = model(X[:1])
        except RuntimeError as exc:
            raise ValueError(f"{name} does not fit the model: samples of shape "
                             f"{tuple(X.shape[1:])} gave the error: {exc}") from None
    return tuple(out.shape)


def _check_inputs(model, X, name):
    return X, _output_shape(model, X, name)


def _check_targets(y, out_shape, name, default_loss=True):
    """Integer targets are class labels in [0, K) for K outputs; float targets match outputs
    (checked for the default loss only: a custom loss may take targets of another shape)."""
    if _is_classification(y):
        if y.ndim == 1 and len(out_shape) == 2:
            K = out_shape[1]
            low, high = int(y.min()), int(y.max())
            if low < 0 or high >= K:
                raise ValueError(f"{name} must hold class labels in [0, {K}) for a model with "
                                 f"{K} outputs, got labels from {low} to {high}")
        elif default_loss:
            raise ValueError(f"{name} must be a 1-D array of class labels for a model with "
                             f"outputs of shape (n, K), got labels of shape {tuple(y.shape)} and "
                             f"outputs of shape {out_shape}")
        return
    matches = tuple(y.shape[1:]) == out_shape[1:] or (y.ndim == 1 and out_shape[1:] == (1,))
    if default_loss and not matches:
        raise ValueError(
            f"{name} holds floats, so it is treated as regression targets, but targets of shape "
            f"{tuple(y.shape)} do not match the model's outputs of shape (n, "
            f"{', '.join(map(str, out_shape[1:]))}); pass integer class labels (for example "
            f"y.astype(int)) for classification")


def _check_pair(X, y, names, device, model=None, default_loss=True, transformed=False):
    X = _as_tensor(X, names[0], device)
    y = _as_tensor(y, names[1], device)
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"{names[0]} and {names[1]} must have the same number of samples, "
                         f"got {X.shape[0]} and {y.shape[0]}")
    if model is not None:
        try:
            X, out_shape = _check_inputs(model, X, names[0])
        except ValueError:
            # A transform may reshape the batches (for example flatten images): the model then
            # sees only transformed inputs, and the raw X need not fit it.
            if transformed:
                return X, y
            raise
        _check_targets(y, out_shape, names[1], default_loss)
    return X, y


def _default_loss(logits, y):
    """Cross-entropy for integer targets, mean squared error for float targets."""
    if not y.is_floating_point():
        return F.cross_entropy(logits, y)
    if logits.ndim == y.ndim + 1 and logits.shape[-1] == 1:
        logits = logits.squeeze(-1)
    return F.mse_loss(logits, y)


def _is_classification(y):
    return not y.is_floating_point()


def _correct(logits, y):
    return (logits.argmax(dim=1) == y).sum()


def _forward(model, X, batch_size):
    if batch_size is None or batch_size >= X.shape[0]:
        return model(X)
    return torch.cat([model(X[i:i + batch_size]) for i in range(0, X.shape[0], batch_size)])


class _eval_mode:
    """Eval mode and no_grad for the duration, then the model's previous mode back."""

    def __init__(self, model):
        self.model = model

    def __enter__(self):
        self.was_training = self.model.training
        self.no_grad = torch.no_grad()
        self.no_grad.__enter__()
        self.model.eval()

    def __exit__(self, *exc):
        self.model.train(self.was_training)
        self.no_grad.__exit__(*exc)


def _model_device(model):
    param = next(model.parameters(), None)
    return param.device if param is not None else torch.device("cpu")


def predict_logits(model, X, *, batch_size=None):
    """Return the model's outputs on ``X`` in eval mode under ``no_grad``, as a CPU tensor.

    The model's train/eval mode is restored afterwards. ``X`` is moved to the model's device.
    ``batch_size`` splits the forward pass to bound memory; None does it in one pass.

    See Also
    --------
    Chapters 06–14 evaluate models through this function.

    Examples
    --------
    >>> model = mlp(4, [8], 3, seed=0)
    >>> predict_logits(model, np.zeros((5, 4))).shape
    torch.Size([5, 3])
    """
    _check_model(model)
    batch_size = _check_batch_size(batch_size)
    X, _ = _check_inputs(model, _as_tensor(X, "X", _model_device(model)), "X")
    with _eval_mode(model):
        return _forward(model, X, batch_size).cpu()


def predict_proba(model, X, *, batch_size=None):
    """Return softmax class probabilities of shape (n_samples, n_classes) as a numpy array.

    See Also
    --------
    Chapter 08, "Label smoothing", feeds these to ``regbook.smoothing.expected_calibration_error``.

    Examples
    --------
    >>> model = mlp(4, [8], 3, seed=0)
    >>> predict_proba(model, np.zeros((2, 4))).sum(axis=1).round(6)
    array([1., 1.])
    """
    logits = predict_logits(model, X, batch_size=batch_size)
    return torch.softmax(logits.double(), dim=1).numpy()


def accuracy(model, X, y, *, batch_size=None):
    """Return the fraction of samples whose arg-max output equals the integer label.

    Examples
    --------
    >>> model = mlp(4, [8], 3, seed=0)
    >>> 0.0 <= accuracy(model, np.zeros((5, 4)), np.array([0, 1, 2, 0, 1])) <= 1.0
    True
    """
    logits = predict_logits(model, X, batch_size=batch_size)
    y = _as_tensor(y, "y", torch.device("cpu"))
    if y.is_floating_point():
        raise ValueError(f"y must hold integer class labels for accuracy, got dtype {y.dtype}")
    if y.shape[0] != logits.shape[0]:
        raise ValueError(f"X and y must have the same number of samples, got "
                         f"{logits.shape[0]} and {y.shape[0]}")
    _check_targets(y, tuple(logits.shape), "y")
    return float(_correct(logits, y)) / y.shape[0]


def evaluate(model, X, y, *, loss=None, batch_size=None):
    """Return ``(loss, accuracy)`` on ``(X, y)`` in eval mode; accuracy is None for float targets.

    ``loss`` is a callable ``(logits, y) -> scalar tensor``; None means cross-entropy for integer
    targets and mean squared error for float targets, as in :func:`train`.

    Examples
    --------
    >>> model = mlp(4, [8], 3, seed=0)
    >>> loss, acc = evaluate(model, np.zeros((5, 4)), np.array([0, 1, 2, 0, 1]))
    >>> loss > 0
    True
    """
    _check_model(model)
    batch_size = _check_batch_size(batch_size)
    if loss is not None:
        _check_callable(loss, "loss", "(logits, y) -> scalar tensor")
    device = _model_device(model)
    X, y = _check_pair(X, y, ("X", "y"), device, model, loss is None)
    return _evaluate(model, X, y, _default_loss if loss is None else loss, batch_size)


def _call_loss(loss, logits, y, name="y"):
    """``loss(logits, y)``, with torch's dtype or shape errors restated in the caller's terms."""
    try:
        return loss(logits, y)
    except (RuntimeError, IndexError) as exc:
        raise ValueError(f"loss(logits, {name}) failed for {name} of dtype {y.dtype} and shape "
                         f"{tuple(y.shape)} with outputs of shape {tuple(logits.shape)}: "
                         f"{exc}") from None


def _evaluate(model, X, y, loss, batch_size, name="y"):
    with _eval_mode(model):
        logits = _forward(model, X, batch_size)
        value = float(_call_loss(loss, logits, y, name))
        acc = float(_correct(logits, y)) / y.shape[0] if _is_classification(y) else None
    return value, acc


def _build_optimizer(optimizer, lr, model):
    if optimizer is None:
        lr = 0.1 if lr is None else check_scalar(lr, "lr", low=0.0)
        return torch.optim.SGD(model.parameters(), lr=lr)
    if lr is not None:
        raise ValueError("lr is used only with the default optimizer; set the learning rate in "
                         f"the optimizer instead, got lr={lr!r} and optimizer={optimizer!r}")
    if isinstance(optimizer, torch.optim.Optimizer):
        return optimizer
    if callable(optimizer):
        built = optimizer(model.parameters())
        if not isinstance(built, torch.optim.Optimizer):
            raise ValueError("optimizer must be a torch.optim.Optimizer or a callable params -> "
                             f"Optimizer, got a callable returning {type(built).__name__}")
        return built
    raise ValueError("optimizer must be None, a torch.optim.Optimizer or a callable "
                     f"params -> Optimizer, got {optimizer!r}")


def _build_scheduler(scheduler, optimizer):
    if scheduler is None:
        return None
    if isinstance(scheduler, (torch.optim.lr_scheduler.LRScheduler,
                              torch.optim.lr_scheduler.ReduceLROnPlateau)):
        return scheduler
    if callable(scheduler):
        return scheduler(optimizer)
    raise ValueError("scheduler must be None, an LR scheduler or a callable optimizer -> "
                     f"scheduler, got {scheduler!r}")


def _progress_bar(epochs, progress):
    from tqdm.auto import tqdm

    if progress is None:
        quiet = any(os.environ.get(var, "").lower() not in ("", "0", "false")
                    for var in ("CI", "TQDM_DISABLE"))
        # tqdm's disable=None: off when stderr is not a terminal, on in a notebook.
        disable = True if quiet else None
    else:
        disable = not progress
    return tqdm(total=epochs, desc="epochs", leave=False, disable=disable)


def train(model, X, y, *, X_val=None, y_val=None, loss=None, optimizer=None, lr=None,
          scheduler=None, epochs=10, batch_size=32, seed=0, transform=None, callbacks=(),
          eval_train=False, device=None, progress=None):
    r"""Train ``model`` on ``(X, y)`` with mini-batch gradient steps and return its history.

    For each epoch :math:`t = 0, \dots, \text{epochs} - 1`:

    .. math::

        &\pi \leftarrow \text{random permutation of } \{1, \dots, n\}
            \quad (\text{identity when batch\_size is None}) \\
        &\textbf{for } B \text{ in consecutive chunks of } \pi \text{ of size batch\_size}: \\
        &\qquad \tilde X_B \leftarrow T(X_B, \text{rng}) \quad (\text{train batches only}) \\
        &\qquad L \leftarrow \text{loss}(f_\theta(\tilde X_B), y_B) \\
        &\qquad \theta \leftarrow \text{optimizer.step}(\nabla_\theta L) \\
        &\text{record train (and validation) loss and accuracy; scheduler.step()} \\
        &\textbf{if } \text{any callback returns True}: \text{stop}

    Parameters
    ----------
    model : torch.nn.Module
        Trained in place and moved to ``device``. Its train/eval mode is restored at the end.
        Its initial weights are the caller's: build it under a seed (:func:`mlp` with ``seed``,
        or :func:`seed_everything`).
    X, y : array-like or torch.Tensor
        Training data. Float inputs become torch's default dtype. Integer targets are class
        labels (classification: accuracy is recorded); float targets are regression targets.
    X_val, y_val : array-like or torch.Tensor, optional
        Validation data, evaluated in eval mode after every epoch. Give both or neither.
    loss : callable ``(logits, y) -> scalar tensor``, optional
        Defaults to ``F.cross_entropy`` for integer targets and ``F.mse_loss`` for float ones (a
        single output column is squeezed to match 1-D targets). Also used for validation.
    optimizer : torch.optim.Optimizer or callable ``params -> Optimizer``, optional
        A factory such as ``functools.partial(torch.optim.SGD, lr=0.05, momentum=0.9)`` builds a
        fresh optimizer per call; an already-built optimizer keeps its state between calls.
        None means ``torch.optim.SGD(lr=lr)``.
    lr : float, optional
        Learning rate of the default optimizer (0.1 when None). Only with ``optimizer=None``.
    scheduler : LR scheduler or callable ``optimizer -> scheduler``, optional
        Stepped once per epoch. ``ReduceLROnPlateau`` gets the validation loss (the training loss
        without validation data).
    epochs : int, default 10
        Maximum number of passes over the training set.
    batch_size : int or None, default 32
        Mini-batch size. When it does not divide the number of samples, the last batch of each
        epoch is smaller and still takes a full optimizer step (it is kept, not dropped, so every
        sample is seen once per epoch; its loss is averaged over its own samples). None means
        full-batch gradient descent (no shuffling).
    seed : int, default 0
        Seeds the shuffling, the ``rng`` given to ``transform`` and torch's global generator
        inside the loop (dropout, ``GaussianNoise``). Torch's global state outside the call is
        left as it was. The same seed, model weights and data give the same history on the same
        device.
    transform : callable ``(X_batch, rng) -> X_batch``, optional
        Applied to each training batch (a tensor on ``device``), never to validation data or to
        ``eval_train``'s evaluation. ``rng`` is a ``np.random.Generator`` seeded from ``seed``.
        Augmentations (``regbook.augment``) and input noise (``regbook.noise``) plug in here.
    callbacks : sequence of Callback or callables, default ()
        Each is called after every epoch as ``on_epoch_end(epoch, history, model)``; if any
        returns True, training stops after that epoch. See :class:`Callback`.
    eval_train : bool, default False
        Record the training loss and accuracy on the clean training set in eval mode at the end
        of each epoch (comparable with the validation curve) instead of the running average
        over the epoch's batches.
    device : str, torch.device or None
        Where to train. None means the CPU unless the environment variable ``REGBOOK_DEVICE``
        names a device (``"cuda"``, ``"auto"``, ...); see :func:`resolve_device`. The CPU
        default makes the same seed give the same numbers on every machine.
    progress : bool or None
        Show a tqdm bar over epochs. None: off when the environment variable ``CI`` is set or
        ``TQDM_DISABLE`` is set, off when stderr is not a terminal, on in a notebook.

    Returns
    -------
    History

    Raises
    ------
    TypeError, ValueError
        For a bad argument, named in the message. Before training, the model is run once in
        eval mode on the first sample of ``X`` (and of ``X_val``), under ``no_grad`` and without
        drawing random numbers, to check that the inputs fit the model, that integer labels lie
        in ``[0, K)`` for ``K`` outputs and, with the default loss, that float targets match the
        outputs (so float labels cannot silently train a regression).

    See Also
    --------
    Chapters 06–14 train their networks with this loop; chapter 10, "Early stopping", writes
    the callbacks; chapter 14, "SGD as a regularizer", compares ``batch_size`` with
    ``batch_size=None``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> X = rng.normal(size=(64, 2)); y = (X[:, 0] > 0).astype(int)
    >>> history = train(mlp(2, [8], 2, seed=0), X, y, epochs=5, batch_size=16, seed=0)
    >>> history.epochs_run, history.train_loss[-1] < history.train_loss[0]
    (5, True)
    """
    _check_model(model)
    epochs = check_scalar(epochs, "epochs", low=1, integer=True)
    batch_size = _check_batch_size(batch_size)
    seed = check_scalar(seed, "seed", low=0, integer=True)
    if loss is not None:
        _check_callable(loss, "loss", "(logits, y) -> scalar tensor")
    for flag, value in (("eval_train", eval_train), ("progress", progress)):
        if not (isinstance(value, (bool, np.bool_)) or (flag == "progress" and value is None)):
            raise TypeError(f"{flag} must be a bool{' or None' if flag == 'progress' else ''}, "
                            f"got {value!r}")
    if (X_val is None) != (y_val is None):
        raise ValueError("X_val and y_val must be given together, got only "
                         + ("X_val" if y_val is None else "y_val"))
    if transform is not None and not callable(transform):
        raise ValueError(f"transform must be a callable (X_batch, rng) -> X_batch, got "
                         f"{transform!r}")
    if isinstance(callbacks, (str, bytes)) or not hasattr(callbacks, "__iter__"):
        raise TypeError(f"callbacks must be a sequence of callbacks, got {callbacks!r}")
    callbacks = list(callbacks)
    for cb in callbacks:
        if not (hasattr(cb, "on_epoch_end") or callable(cb)):
            raise ValueError(f"callbacks must have an on_epoch_end method or be callable, "
                             f"got {cb!r}")

    device = resolve_device(device)
    model.to(device)
    X, y = _check_pair(X, y, ("X", "y"), device, model, loss is None,
                       transformed=transform is not None)
    has_val = X_val is not None
    if has_val:
        X_val, y_val = _check_pair(X_val, y_val, ("X_val", "y_val"), device, model, loss is None)
    loss = _default_loss if loss is None else loss
    classification = _is_classification(y)
    optimizer = _build_optimizer(optimizer, lr, model)
    scheduler = _build_scheduler(scheduler, optimizer)

    history = History(val_loss=[] if has_val else None,
                      train_accuracy=[] if classification else None,
                      val_accuracy=[] if has_val and classification else None)
    n = X.shape[0]
    step = n if batch_size is None else min(batch_size, n)
    shuffle_gen = torch.Generator().manual_seed(seed)
    transform_rng = check_random_state(seed, "seed")
    was_training = model.training

    for cb in callbacks:
        if hasattr(cb, "on_train_begin"):
            cb.on_train_begin(model)

    fork_devices = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=fork_devices), _progress_bar(epochs, progress) as bar:
        torch.manual_seed(seed)
        for epoch in range(epochs):
            model.train()
            history.lr.append(float(optimizer.param_groups[0]["lr"]))
            order = (torch.randperm(n, generator=shuffle_gen).to(device)
                     if batch_size is not None else None)
            total_loss = torch.zeros((), device=device)
            total_correct = torch.zeros((), device=device, dtype=torch.int64)
            for start in range(0, n, step):
                if order is None:
                    X_batch, y_batch = X, y
                else:
                    idx = order[start:start + step]
                    X_batch, y_batch = X[idx], y[idx]
                if transform is not None:
                    X_batch = transform(X_batch, transform_rng)
                try:
                    logits = model(X_batch)
                except RuntimeError as exc:
                    raise ValueError(f"X does not fit the model: training batches of shape "
                                     f"{tuple(X_batch.shape[1:])} per sample (after transform) "
                                     f"gave the error: {exc}") from None
                batch_loss = _call_loss(loss, logits, y_batch)
                optimizer.zero_grad(set_to_none=True)
                batch_loss.backward()
                optimizer.step()
                total_loss += batch_loss.detach() * y_batch.shape[0]
                if classification and not eval_train:
                    total_correct += _correct(logits.detach(), y_batch)

            if eval_train:
                train_loss, train_acc = _evaluate(model, X, y, loss, None)
            else:
                train_loss = float(total_loss) / n
                train_acc = float(total_correct) / n if classification else None
            history.train_loss.append(train_loss)
            if classification:
                history.train_accuracy.append(train_acc)
            if has_val:
                val_loss, val_acc = _evaluate(model, X_val, y_val, loss, None, "y_val")
                history.val_loss.append(val_loss)
                if classification:
                    history.val_accuracy.append(val_acc)

            if scheduler is not None:
                if isinstance(scheduler, torch.optim.lr_scheduler.ReduceLROnPlateau):
                    scheduler.step(history.val_loss[-1] if has_val else train_loss)
                else:
                    scheduler.step()

            bar.update(1)
            bar.set_postfix(loss=f"{train_loss:.4g}" if math.isfinite(train_loss) else "nan")
            # Every callback sees every epoch, even when an earlier one asks to stop.
            stops = [bool(cb.on_epoch_end(epoch, history, model) if hasattr(cb, "on_epoch_end")
                          else cb(epoch, history, model)) for cb in callbacks]
            if any(stops):
                history.stopped_epoch = epoch
                break

    model.train(was_training)
    for cb in callbacks:
        if hasattr(cb, "on_train_end"):
            cb.on_train_end(history, model)
    return history
