import copy
import math
from types import SimpleNamespace

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import Ridge as SkRidge

from regbook.early_stopping import (EarlyStopping, equivalent_ridge_alpha,
                                    gradient_descent_shrinkage, gradient_descent_weights,
                                    ridge_shrinkage, stopping_point)
from regbook.training import mlp, train


@pytest.mark.parametrize("kwargs, error, match", [
    ({"monitor": "loss"}, ValueError, "monitor must be one of"),
    ({"monitor": "val_acc"}, ValueError, "got 'val_acc'"),
    ({"monitor": None}, ValueError, "monitor must be one of"),
    ({"patience": -1}, ValueError, r"patience must be in \[0, inf\), got -1"),
    ({"patience": 2.0}, TypeError, "patience must be an integer"),
    ({"patience": True}, TypeError, "patience must be an integer"),
    ({"min_delta": -0.1}, ValueError, "min_delta must be in"),
    ({"min_delta": math.nan}, ValueError, "min_delta must be a finite number"),
    ({"min_delta": math.inf}, ValueError, "min_delta must be a finite number"),
    ({"min_delta": "0"}, TypeError, "min_delta must be a number"),
    ({"restore_best": 1}, TypeError, "restore_best must be True or False"),
])
def test_bad_parameters_are_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        EarlyStopping(**kwargs)


def feed(stopper, scores, monitor="val_loss"):
    """Run ``scores`` through ``on_epoch_end`` as train would; return the stop epoch or None."""
    history = SimpleNamespace(val_loss=None, val_accuracy=None)
    setattr(history, monitor, [])
    model = torch.nn.Linear(1, 1)
    stopper.on_train_begin(model)
    for epoch, score in enumerate(scores):
        getattr(history, monitor).append(score)
        if stopper.on_epoch_end(epoch, history, model):
            return epoch
    return None


def test_rule_on_a_small_curve():
    stopper = EarlyStopping(patience=2)
    assert feed(stopper, [1.0, 0.8, 0.9, 0.85, 0.7]) == 3
    assert (stopper.best_epoch, stopper.best_score, stopper.stopped_epoch) == (1, 0.8, 3)


def test_improvement_must_be_strictly_larger_than_min_delta():
    # 1.0 -> 0.75 improves by exactly 0.25 (exact in binary): not an improvement.
    stopper = EarlyStopping(patience=1, min_delta=0.25)
    assert feed(stopper, [1.0, 0.75, 0.7]) == 1
    assert stopper.best_epoch == 0
    stopper = EarlyStopping(patience=1, min_delta=0.2)
    assert feed(stopper, [1.0, 0.75, 0.7]) == 2
    assert stopper.best_epoch == 1


def test_patience_zero_stops_at_the_first_epoch_without_improvement():
    stopper = EarlyStopping(patience=0)
    assert feed(stopper, [3.0, 2.0, 2.0, 1.0]) == 2


def test_nan_is_never_an_improvement():
    stopper = EarlyStopping(patience=2)
    assert feed(stopper, [1.0, math.nan, math.nan, 0.5]) == 2
    assert stopper.best_epoch == 0


def test_val_accuracy_is_maximised():
    stopper = EarlyStopping(monitor="val_accuracy", patience=2)
    assert feed(stopper, [0.5, 0.6, 0.6, 0.55, 0.9], monitor="val_accuracy") == 3
    assert (stopper.best_epoch, stopper.best_score) == (1, 0.6)
    assert stopping_point([0.5, 0.6, 0.6, 0.55, 0.9], 2, mode="max").stopped_epoch == 3


def test_instance_is_reset_by_on_train_begin():
    stopper = EarlyStopping(patience=1)
    feed(stopper, [1.0, 2.0])
    assert feed(stopper, [5.0, 4.0, 3.0]) is None
    assert (stopper.best_epoch, stopper.best_score, stopper.stopped_epoch) == (2, 3.0, None)


scores_strategy = st.lists(st.floats(min_value=-5, max_value=5, allow_nan=False), min_size=1,
                           max_size=60)


@settings(max_examples=200, deadline=None)
@given(scores=scores_strategy, patience=st.integers(0, 8),
       min_delta=st.sampled_from([0.0, 0.01, 0.5]))
def test_never_stops_before_patience_epochs_without_improvement(scores, patience, min_delta):
    stopper = EarlyStopping(patience=patience, min_delta=min_delta)
    stop = feed(stopper, scores)
    seen = scores if stop is None else scores[:stop + 1]
    best = stopper.best_score
    # The best epoch holds the best score, and nothing seen beats it by more than min_delta.
    assert scores[stopper.best_epoch] == best
    assert min(seen) >= best - min_delta
    if min_delta == 0.0:
        assert best == min(seen) and stopper.best_epoch == seen.index(min(seen))
    if stop is not None:
        # No epoch after the best one improved, and patience epochs (at least one) went by.
        assert all(s >= best - min_delta for s in scores[stopper.best_epoch + 1:stop + 1])
        assert stop - stopper.best_epoch == max(patience, 1)
    else:
        assert len(scores) - 1 - stopper.best_epoch < max(patience, 1)
    offline = stopping_point(scores, patience, min_delta)
    assert (offline.stopped_epoch, offline.best_epoch) == (stop, stopper.best_epoch)


def _classification_data(seed=0, n=160, d=6):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)).astype(np.float32)
    labels = (X[:, 0] + 0.5 * X[:, 1] > 0).astype(int)
    flip = rng.random(n) < 0.3  # noisy labels so that the network overfits
    labels[flip] = 1 - labels[flip]
    return X[:100], labels[:100], X[100:], labels[100:]


class Snapshots:
    """Record a deep copy of the weights after every epoch."""

    def __init__(self):
        self.states = []

    def on_epoch_end(self, epoch, history, model):
        self.states.append(copy.deepcopy(model.state_dict()))
        return False


def _same_weights(a, b):
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


@pytest.mark.parametrize("patience, epochs", [(15, 200), (500, 60)])
def test_restore_best_puts_back_the_exact_best_weights(patience, epochs):
    X, y, X_val, y_val = _classification_data()
    model = mlp(6, [64], 2, seed=0)
    stopper, snapshots = EarlyStopping(patience=patience), Snapshots()
    history = train(model, X, y, X_val=X_val, y_val=y_val, lr=0.5, epochs=epochs,
                    batch_size=None, callbacks=[stopper, snapshots], progress=False)
    val_loss = np.array(history.val_loss)
    assert stopper.best_epoch == int(np.argmin(val_loss))
    assert stopper.best_score == val_loss.min()
    last = history.epochs_run - 1
    assert stopper.best_epoch < last  # otherwise restoring would prove nothing
    assert not _same_weights(snapshots.states[stopper.best_epoch], snapshots.states[last])
    assert _same_weights(model.state_dict(), snapshots.states[stopper.best_epoch])
    if patience < epochs:
        assert stopper.stopped_epoch == history.stopped_epoch == last
        assert last == stopper.best_epoch + patience
    else:  # ran all epochs: still restored
        assert stopper.stopped_epoch is None and history.epochs_run == epochs


def test_without_restore_best_the_last_weights_stay():
    X, y, X_val, y_val = _classification_data()
    model = mlp(6, [64], 2, seed=0)
    stopper, snapshots = EarlyStopping(patience=10, restore_best=False), Snapshots()
    train(model, X, y, X_val=X_val, y_val=y_val, lr=0.5, epochs=200, batch_size=None,
          callbacks=[stopper, snapshots], progress=False)
    assert _same_weights(model.state_dict(), snapshots.states[-1])
    assert stopper.best_state is None


def test_val_accuracy_in_a_real_train_call():
    X, y, X_val, y_val = _classification_data()
    stopper = EarlyStopping(monitor="val_accuracy", patience=5)
    history = train(mlp(6, [16], 2, seed=0), X, y, X_val=X_val, y_val=y_val, lr=0.5,
                    epochs=300, batch_size=None, callbacks=[stopper], progress=False)
    accuracies = np.array(history.val_accuracy)
    assert stopper.best_score == accuracies.max()
    assert stopper.best_epoch == int(np.argmax(accuracies))


def test_monitoring_without_validation_data_is_an_error():
    X, y, _, _ = _classification_data()
    with pytest.raises(ValueError, match="'val_loss', but it is not recorded: pass X_val"):
        train(mlp(6, [4], 2, seed=0), X, y, epochs=3, callbacks=[EarlyStopping()],
              progress=False)


def test_val_accuracy_of_a_regression_is_an_error():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 2)), rng.normal(size=20)
    with pytest.raises(ValueError, match="'val_accuracy', but it is not recorded"):
        train(mlp(2, [4], 1, seed=0), X, y, X_val=X, y_val=y, epochs=2,
              callbacks=[EarlyStopping(monitor="val_accuracy")], progress=False)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"patience": -2}, ValueError, "patience must be in"),
    ({"patience": 1.5}, TypeError, "patience must be an integer"),
    ({"mode": "max_"}, ValueError, "mode must be 'min' or 'max'"),
    ({"every": 0}, ValueError, "every must be in"),
    ({"min_delta": -1.0}, ValueError, "min_delta must be in"),
    ({"scores": [[1.0, 2.0]]}, ValueError, "scores must be a non-empty 1-D array"),
    ({"scores": []}, ValueError, "scores must be a non-empty 1-D array"),
])
def test_stopping_point_bad_inputs(kwargs, error, match):
    args = {"scores": [1.0, 0.5], "patience": 1, **kwargs}
    with pytest.raises(error, match=match):
        stopping_point(**args)


def test_stopping_point_on_a_curve_that_never_improves():
    point = stopping_point([math.nan, math.nan], patience=1)
    assert point.stopped_epoch == 0 and point.best_epoch is None and math.isnan(point.best_score)
    assert stopping_point([math.nan], patience=3).stopped_epoch is None


def test_stopping_point_with_an_evaluation_interval():
    scores = [5, 4, 3, 2, 2.5, 3, 1, 4, 5, 6]
    # Evaluated after epochs 1, 3, 5, 7, 9: 4, 2, 3, 4, 6 -> best at epoch 3, stop after 2 checks.
    assert stopping_point(scores, patience=2, every=2) == stopping_point(scores, 2, every=2)
    point = stopping_point(scores, patience=2, every=2)
    assert (point.stopped_epoch, point.best_epoch, point.best_score) == (7, 3, 2.0)
    assert stopping_point(scores, patience=2).best_epoch == 3


def _regression(seed=0, n=30, d=4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * np.array([3.0, 1.0, 0.3, 0.05])
    return X, X @ rng.normal(size=d) + 0.1 * rng.normal(size=n)


def _gd_loop(X, y, lr, steps, w0):
    n = X.shape[0]
    w, out = w0.copy(), []
    for t in range(max(steps) + 1):
        if t in steps:
            out.append(w.copy())
        w = w - lr * X.T @ (X @ w - y) / n
    return np.array(out)


@pytest.mark.parametrize("start", ["zero", "random"])
def test_gradient_descent_weights_match_the_loop(start):
    X, y = _regression()
    rng = np.random.default_rng(1)
    w0 = np.zeros(4) if start == "zero" else rng.normal(size=4)
    lr = 0.9 / np.linalg.eigvalsh(X.T @ X / len(y)).max()
    steps = [0, 1, 5, 50, 400]
    assert np.allclose(gradient_descent_weights(X, y, lr, steps, w0=w0),
                       _gd_loop(X, y, lr, steps, w0), rtol=1e-9, atol=1e-10)
    assert gradient_descent_weights(X, y, lr, 5).shape == (4,)


def test_gradient_descent_keeps_the_start_in_the_null_space():
    X = np.array([[1.0, 1.0], [2.0, 2.0], [0.5, 0.5]])
    y = np.array([1.0, 2.0, 0.4])
    w0 = np.array([1.0, -1.0])  # orthogonal to the row space
    w = gradient_descent_weights(X, y, 0.1, 10_000, w0=w0)
    assert np.allclose(w - np.linalg.pinv(X) @ y, w0)


def test_gd_filter_matches_gd_iterates_along_each_eigenvector():
    X, y = _regression(2)
    n = len(y)
    eigenvalues, V = np.linalg.eigh(X.T @ X / n)
    coef_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    lr = 1.0 / eigenvalues.max()
    for steps in (1, 3, 30):
        w = _gd_loop(X, y, lr, [steps], np.zeros(4))[0]
        ratio = (V.T @ w) / (V.T @ coef_ls)
        assert np.allclose(ratio, gradient_descent_shrinkage(eigenvalues, lr, steps), rtol=1e-8)


def test_ridge_filter_matches_scikit_learn_with_alpha_times_n():
    X, y = _regression(3)
    n = len(y)
    eigenvalues, V = np.linalg.eigh(X.T @ X / n)
    coef_ls = np.linalg.lstsq(X, y, rcond=None)[0]
    for alpha in (0.0, 0.01, 1.0):
        w = V @ (ridge_shrinkage(eigenvalues, alpha) * (V.T @ coef_ls))
        sk = SkRidge(alpha=n * alpha if alpha else 1e-12, fit_intercept=False,
                     solver="svd").fit(X, y).coef_
        assert np.allclose(w, sk, rtol=1e-8, atol=1e-10)


def test_filters_agree_in_their_limits_and_alpha_is_one_over_lr_steps():
    lr, steps = 0.01, 200
    alpha = equivalent_ridge_alpha(lr, steps)
    assert alpha == pytest.approx(0.5)
    tiny, large = np.array([1e-4]), np.array([40.0])
    assert gradient_descent_shrinkage(tiny, lr, steps) == pytest.approx(
        ridge_shrinkage(tiny, alpha), rel=1e-2)
    assert gradient_descent_shrinkage(large, lr, steps) == pytest.approx(1.0, abs=1e-6)
    assert ridge_shrinkage(large, alpha) == pytest.approx(1.0, abs=0.02)
    assert equivalent_ridge_alpha(0.1, 0) == math.inf
    assert ridge_shrinkage([0.0, 1.0], 0.0).tolist() == [0.0, 1.0]


@pytest.mark.parametrize("call, error, match", [
    (lambda: gradient_descent_shrinkage([-1.0], 0.1, 2), ValueError, "eigenvalues must be non-neg"),
    (lambda: gradient_descent_shrinkage([1.0], 0.0, 2), ValueError, r"lr must be in \(0.0, inf\)"),
    (lambda: gradient_descent_shrinkage([1.0], 0.1, 2.5), TypeError, "steps must be an integer"),
    (lambda: gradient_descent_shrinkage([1.0], 0.1, -1), ValueError, "steps must be in"),
    (lambda: gradient_descent_shrinkage([np.nan], 0.1, 1), ValueError, "finite values"),
    (lambda: ridge_shrinkage([1.0], -0.5), ValueError, "alpha must be in"),
    (lambda: ridge_shrinkage([1.0], True), TypeError, "alpha must be a number"),
    (lambda: equivalent_ridge_alpha(math.inf, 3), ValueError, "lr must be a finite number"),
    (lambda: gradient_descent_weights(np.ones((3, 2)), np.ones(2), 0.1, 1), ValueError,
     "same number of samples"),
    (lambda: gradient_descent_weights(np.ones((3, 2)), np.ones(3), 0.1, 1, w0=np.ones(3)),
     ValueError, "w0 must have one weight per feature"),
])
def test_shrinkage_bad_inputs(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_epoch_out_of_range_is_named():
    stopper = EarlyStopping()
    with pytest.raises(ValueError, match="epoch must be in"):
        stopper.on_epoch_end(3, SimpleNamespace(val_loss=[1.0]), torch.nn.Linear(1, 1))


def test_gradient_descent_weights_names_a_diverging_lr():
    from regbook.early_stopping import gradient_descent_weights

    X, y = np.array([[1.0, 0.0], [0.0, 2.0]]), np.array([1.0, 2.0])
    # lambda_max of X'X/n is 2: the limit is lr < 1.
    with pytest.raises(ValueError, match=r"lr=3 makes gradient descent diverge.*2/lambda_max = 1"):
        gradient_descent_weights(X, y, lr=3.0, steps=5000)


def test_the_callback_methods_want_a_model():
    from regbook.early_stopping import EarlyStopping

    stopper = EarlyStopping(patience=2)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        stopper.on_train_begin("model")
