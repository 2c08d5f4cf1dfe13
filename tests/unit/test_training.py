"""Behaviour of the shared torch training loop, ``regbook.training``."""

import copy
import functools

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from torch import nn

from regbook.training import (Callback, History, accuracy, evaluate, mlp, predict_logits,
                              predict_proba, resolve_device, seed_everything, train)


@pytest.fixture(scope="module")
def blobs():
    rng = np.random.default_rng(0)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
    y = rng.integers(0, 3, size=90)
    X = centers[y] + rng.normal(size=(90, 2))
    return X[:60], y[:60], X[60:], y[60:]


@pytest.fixture(scope="module")
def digits():
    X, y = load_digits(return_X_y=True)
    return X[:1200] / 16.0, y[:1200], X[1200:] / 16.0, y[1200:]


class Recorder(nn.Module):
    """Wraps a model and remembers, for every forward pass, the mode and the inputs."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner
        self.seen = []

    def forward(self, x):
        self.seen.append((self.training, x.detach().clone()))
        return self.inner(x)


def fit(data, seed=0, model_seed=0, **kwargs):
    X, y, X_val, y_val = data
    kwargs = {"epochs": 5, "batch_size": 16, **kwargs}
    model = kwargs.pop("model", None) or mlp(2, [16], 3, seed=model_seed)
    return train(model, X, y, X_val=X_val, y_val=y_val, seed=seed, **kwargs), model


def test_learns_digits(digits):
    X, y, X_val, y_val = digits
    model = mlp(64, [32], 10, seed=0)
    history = train(model, X, y, X_val=X_val, y_val=y_val, epochs=10, batch_size=32, lr=0.1)
    assert history.epochs_run == 10
    assert history.train_loss[-1] < 0.5 * history.train_loss[0]
    assert history.val_accuracy[-1] > 0.85
    assert accuracy(model, X_val, y_val) == pytest.approx(history.val_accuracy[-1])


def test_same_seed_gives_identical_history(blobs):
    first, _ = fit(blobs, seed=3)
    second, _ = fit(blobs, seed=3)
    assert first == second


def test_different_seed_gives_different_history(blobs):
    first, _ = fit(blobs, seed=3)
    second, _ = fit(blobs, seed=4)
    assert first.train_loss != second.train_loss


def test_dropout_runs_are_reproducible_and_leave_global_rng_alone(blobs):
    torch.manual_seed(123)
    before = torch.get_rng_state()
    runs = [fit(blobs, model=mlp(2, [16], 3, dropout=0.5, seed=0))[0] for _ in range(2)]
    assert runs[0] == runs[1]
    assert torch.equal(torch.get_rng_state(), before)


def test_history_records_every_curve(blobs):
    history, _ = fit(blobs, epochs=4)
    arrays = history.to_arrays()
    assert set(arrays) == {"train_loss", "val_loss", "train_accuracy", "val_accuracy", "lr"}
    assert all(a.shape == (4,) for a in arrays.values())
    assert np.all((arrays["val_accuracy"] >= 0) & (arrays["val_accuracy"] <= 1))
    assert history.stopped_epoch is None


def test_without_validation_data_val_curves_are_none(blobs):
    X, y, _, _ = blobs
    history = train(mlp(2, [8], 3, seed=0), X, y, epochs=2)
    assert history.val_loss is None and history.val_accuracy is None
    assert set(history.to_arrays()) == {"train_loss", "train_accuracy", "lr"}


def test_regression_uses_mse_and_records_no_accuracy():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(80, 3))
    y = X @ np.array([1.0, -2.0, 0.5])
    model = mlp(3, (), 1, seed=0)
    history = train(model, X, y, X_val=X, y_val=y, epochs=30, batch_size=None, lr=0.1)
    assert history.train_accuracy is None and history.val_accuracy is None
    assert history.val_loss[-1] < 0.01 * history.val_loss[0]
    w = model[0].weight.detach().numpy().ravel()
    np.testing.assert_allclose(w, [1.0, -2.0, 0.5], atol=0.05)


def test_callback_returning_true_stops_training(blobs):
    calls = []

    def stop_at_two(epoch, history, model):
        calls.append((epoch, history.epochs_run))
        return epoch == 2

    history, _ = fit(blobs, epochs=10, callbacks=[stop_at_two])
    assert history.epochs_run == 3 and history.stopped_epoch == 2
    assert calls == [(0, 1), (1, 2), (2, 3)]


def test_every_callback_sees_every_epoch_and_train_hooks_run(blobs):
    class Hooks:
        def __init__(self):
            self.events = []

        def on_train_begin(self, model):
            self.events.append("begin")

        def on_epoch_end(self, epoch, history, model):
            self.events.append(epoch)
            return True

        def on_train_end(self, history, model):
            self.events.append("end")

    first, second = Hooks(), Hooks()
    assert isinstance(first, Callback)
    history, _ = fit(blobs, epochs=5, callbacks=[first, second])
    assert history.epochs_run == 1
    assert first.events == second.events == ["begin", 0, "end"]


def test_callback_protocol_is_enough_for_restore_best(blobs):
    class RestoreBest:
        def __init__(self):
            self.best, self.state = np.inf, None

        def on_epoch_end(self, epoch, history, model):
            if history.val_loss[epoch] < self.best:
                self.best, self.state = history.val_loss[epoch], copy.deepcopy(model.state_dict())
            return False

        def on_train_end(self, history, model):
            model.load_state_dict(self.state)

    restore = RestoreBest()
    # A large learning rate makes the validation loss go up and down.
    history, model = fit(blobs, epochs=8, lr=1.5, callbacks=[restore])
    assert np.argmin(history.val_loss) < history.epochs_run - 1
    X_val, y_val = blobs[2], blobs[3]
    assert evaluate(model, X_val, y_val)[0] == pytest.approx(min(history.val_loss), rel=1e-6)


def test_transform_is_applied_to_training_batches_only(blobs):
    X, y, X_val, y_val = blobs
    model = Recorder(mlp(2, [8], 3, seed=0))
    rngs = []

    def shift(X_batch, rng):
        rngs.append(rng)
        return X_batch + 1000.0

    train(model, X, y, X_val=X_val, y_val=y_val, epochs=2, batch_size=16, transform=shift,
          eval_train=True)
    train_inputs = [x for training, x in model.seen if training]
    eval_inputs = [x for training, x in model.seen if not training]
    shape_checks = [x for x in eval_inputs if x.shape[0] == 1]  # one per data set (X, X_val)
    assert len(shape_checks) == 2
    eval_inputs = [x for x in eval_inputs if x.shape[0] > 1]
    assert len(train_inputs) == 2 * 4 == len(rngs)
    assert all(x.min() > 900 for x in train_inputs)
    assert len(eval_inputs) == 2 * 2 and all(x.max() < 900 for x in eval_inputs)
    assert all(x.max() < 900 for x in shape_checks)
    assert all(isinstance(r, np.random.Generator) for r in rngs)


def test_mini_batches_cover_the_training_set_each_epoch(blobs):
    X, y, _, _ = blobs
    model = Recorder(mlp(2, [8], 3, seed=0))
    train(model, np.arange(60.0)[:, None].repeat(2, axis=1), y, epochs=1, batch_size=25)
    seen = [x for training, x in model.seen if training]
    sizes = [x.shape[0] for x in seen]
    assert sizes == [25, 25, 10]
    seen_rows = torch.cat([x[:, 0] for x in seen]).sort().values
    assert torch.equal(seen_rows, torch.arange(60.0))


def test_full_batch_is_plain_gradient_descent(blobs):
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    manual = copy.deepcopy(model)
    train(model, X, y, epochs=3, batch_size=None, lr=0.2)

    X_t, y_t = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    optimizer = torch.optim.SGD(manual.parameters(), lr=0.2)
    for _ in range(3):
        optimizer.zero_grad()
        nn.functional.cross_entropy(manual(X_t), y_t).backward()
        optimizer.step()
    for p, q in zip(model.parameters(), manual.parameters()):
        torch.testing.assert_close(p, q)


def test_optimizer_factory_and_built_optimizer_agree(blobs):
    factory = functools.partial(torch.optim.SGD, lr=0.05, momentum=0.9)
    from_factory, _ = fit(blobs, optimizer=factory)
    model = mlp(2, [16], 3, seed=0)
    built, _ = fit(blobs, model=model, optimizer=factory(model.parameters()))
    assert from_factory == built
    assert from_factory.lr == [0.05] * 5


def test_scheduler_changes_the_recorded_learning_rate(blobs):
    step = functools.partial(torch.optim.lr_scheduler.StepLR, step_size=2, gamma=0.5)
    history, _ = fit(blobs, epochs=5, lr=0.4, scheduler=step)
    assert history.lr == pytest.approx([0.4, 0.4, 0.2, 0.2, 0.1])
    plateau = functools.partial(torch.optim.lr_scheduler.ReduceLROnPlateau, patience=0)
    assert fit(blobs, epochs=3, scheduler=plateau)[0].epochs_run == 3


def test_eval_train_records_clean_eval_mode_training_loss(blobs):
    X, y, _, _ = blobs
    history, model = fit(blobs, epochs=3, eval_train=True,
                         model=mlp(2, [16], 3, dropout=0.5, seed=0))
    loss, acc = evaluate(model, X, y)
    assert history.train_loss[-1] == pytest.approx(loss, rel=1e-6)
    assert history.train_accuracy[-1] == pytest.approx(acc)


def test_model_mode_is_restored(blobs):
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, dropout=0.5, seed=0)
    train(model, X, y, epochs=1)
    assert model.training
    model.eval()
    train(model, X, y, epochs=1)
    assert not model.training
    model.train()
    predict_logits(model, X)
    assert model.training


def test_prediction_helpers(blobs):
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    logits = predict_logits(model, X, batch_size=7)
    assert logits.shape == (60, 3) and not logits.requires_grad
    torch.testing.assert_close(logits, predict_logits(model, X))
    probs = predict_proba(model, X)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0)
    expected = np.mean(probs.argmax(axis=1) == y)
    assert accuracy(model, X, y) == pytest.approx(expected)


def test_mlp_is_seeded_without_touching_global_state():
    torch.manual_seed(5)
    before = torch.get_rng_state()
    a, b = mlp(4, [8, 8], 2, seed=1), mlp(4, [8, 8], 2, seed=1)
    assert torch.equal(torch.get_rng_state(), before)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert sum(isinstance(m, nn.Dropout) for m in mlp(4, [8, 8], 2, dropout=0.2)) == 2


def test_seed_everything_makes_model_init_reproducible():
    seed_everything(7)
    first = nn.Linear(3, 2).weight.detach().clone()
    seed_everything(7)
    assert torch.equal(first, nn.Linear(3, 2).weight)


def test_progress_bar_is_quiet_under_ci(blobs, capfd, monkeypatch):
    monkeypatch.setenv("CI", "true")
    fit(blobs, epochs=2)
    assert capfd.readouterr().err == ""
    monkeypatch.delenv("CI")
    fit(blobs, epochs=2, progress=True)
    assert "epochs" in capfd.readouterr().err


def test_history_is_a_plain_dataclass():
    history = History(train_loss=[1.0, 0.5])
    assert history.epochs_run == 2 and history.to_arrays()["train_loss"].tolist() == [1.0, 0.5]


@pytest.mark.parametrize("kwargs, match", [
    ({"epochs": 0}, "epochs"),
    ({"batch_size": 0}, "batch_size"),
    ({"seed": -1}, "seed"),
    ({"lr": -0.1}, "lr"),
    ({"lr": 0.1, "optimizer": functools.partial(torch.optim.SGD, lr=0.1)}, "lr"),
    ({"optimizer": "sgd"}, "optimizer"),
    ({"scheduler": 3}, "scheduler"),
    ({"transform": 3}, "transform"),
    ({"callbacks": [3]}, "callbacks"),
])
def test_bad_arguments_are_rejected(blobs, kwargs, match):
    with pytest.raises(ValueError, match=match):
        fit(blobs, **kwargs)


def test_bad_data_is_rejected(blobs):
    X, y, X_val, y_val = blobs
    model = mlp(2, [8], 3, seed=0)
    with pytest.raises(ValueError, match="same number of samples"):
        train(model, X, y[:-1])
    with pytest.raises(ValueError, match="y_val"):
        train(model, X, y, X_val=X_val)
    with pytest.raises(ValueError, match="X must contain only finite"):
        train(model, np.where(X > 1, np.nan, X), y)
    with pytest.raises(TypeError, match="model"):
        train(lambda x: x, X, y)
    with pytest.raises(ValueError, match="hidden"):
        mlp(2, [0], 3)
    with pytest.raises(ValueError, match="dropout"):
        mlp(2, [4], 3, dropout=1.0)


def test_mlp_input_dropout_and_dropout_layer():
    model = mlp(4, [3], 2, dropout=0.5, input_dropout=0.2, seed=0)
    assert isinstance(model[0], nn.Dropout) and model[0].p == 0.2
    assert isinstance(model[3], nn.Dropout) and model[3].p == 0.5
    plain = mlp(4, [3], 2, seed=0)
    # Dropout layers hold no parameters, so the weights are those of the plain network.
    assert all(torch.equal(a, b) for a, b in zip(model.parameters(), plain.parameters()))
    with pytest.raises(TypeError, match="dropout_layer must be a callable"):
        mlp(4, [3], 2, dropout=0.5, dropout_layer="dropout")
    with pytest.raises(ValueError, match=r"input_dropout must be in \[0.0, 1.0\), got 1.0"):
        mlp(4, [3], 2, input_dropout=1.0)


# --- issue 14: the bad inputs a careless user tries get errors that name the argument --------

def test_float_labels_do_not_silently_train_a_regression(blobs):
    X, y, _, _ = blobs
    with pytest.raises(ValueError, match=r"y holds floats.*y.astype\(int\)"):
        train(mlp(2, [8], 3, seed=0), X, y.astype(float), epochs=1)
    # One output column and float targets is a regression, as before.
    history = train(mlp(2, [8], 1, seed=0), X, y.astype(float), epochs=1)
    assert history.train_accuracy is None


@pytest.mark.parametrize("labels, match", [
    (5, r"y must hold class labels in \[0, 2\) for a model with 2 outputs, got labels from 0 "
        r"to 5"),
    (-1, r"y must hold class labels in \[0, 2\).*from -1"),
])
def test_labels_outside_the_classes_are_rejected(blobs, labels, match):
    X, y, _, _ = blobs
    y = (y > 0).astype(int)
    y[0] = labels
    with pytest.raises(ValueError, match=match):
        train(mlp(2, [8], 2, seed=0), X, y, epochs=1)
    with pytest.raises(ValueError, match=match):
        evaluate(mlp(2, [8], 2, seed=0), X, y)
    with pytest.raises(ValueError, match=match):
        accuracy(mlp(2, [8], 2, seed=0), X, y)


def test_validation_labels_are_checked_too(blobs):
    X, y, X_val, y_val = blobs
    with pytest.raises(ValueError, match="y_val must hold class labels"):
        train(mlp(2, [8], 3, seed=0), X, y, X_val=X_val, y_val=y_val + 3, epochs=1)


@pytest.mark.parametrize("batch_size, error, match", [
    (0, ValueError, r"batch_size must be in \[1, inf\), got 0"),
    (2.5, TypeError, "batch_size must be an integer, got 2.5"),
    (True, TypeError, "batch_size must be an integer, got True"),
])
def test_prediction_helpers_check_batch_size(blobs, batch_size, error, match):
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    for helper, args in ((predict_logits, (X,)), (predict_proba, (X,)), (accuracy, (X, y)),
                         (evaluate, (X, y))):
        with pytest.raises(error, match=match):
            helper(model, *args, batch_size=batch_size)


def test_a_loss_that_is_not_callable_is_rejected_before_training(blobs):
    X, y, _, _ = blobs
    with pytest.raises(TypeError, match="loss must be a callable"):
        train(mlp(2, [8], 3, seed=0), X, y, loss=42)
    with pytest.raises(TypeError, match="loss must be a callable"):
        evaluate(mlp(2, [8], 3, seed=0), X, y, loss=42)


@pytest.mark.parametrize("hidden, error, match", [
    (8.0, TypeError, "hidden must be an int or a sequence of ints"),
    ("8", TypeError, "hidden must be an int or a sequence of ints"),
    ([8, 2.5], TypeError, "hidden must be an integer, got 2.5"),
    (True, TypeError, "hidden must be an int or a sequence"),
])
def test_mlp_rejects_bad_hidden_widths(hidden, error, match):
    with pytest.raises(error, match=match):
        mlp(2, hidden, 2)


def test_mlp_rejects_an_activation_that_is_not_callable():
    with pytest.raises(TypeError, match="activation must be a callable"):
        mlp(2, [4], 2, activation="relu")


def test_inputs_with_the_wrong_number_of_columns_name_X(blobs):
    X, y, X_val, y_val = blobs
    X3 = np.hstack([X, X[:, :1]])
    model = mlp(2, [8], 3, seed=0)
    with pytest.raises(ValueError, match=r"X does not fit the model: samples of shape \(3,\)"):
        train(model, X3, y, epochs=1)
    with pytest.raises(ValueError, match="X_val does not fit the model"):
        train(model, X, y, X_val=np.hstack([X_val, X_val[:, :1]]), y_val=y_val, epochs=1)
    for helper in (predict_logits, predict_proba):
        with pytest.raises(ValueError, match="X does not fit the model"):
            helper(model, X3)


@pytest.mark.parametrize("bad, error, match", [
    ("a model", TypeError, "model must be a torch.nn.Module, got str"),
])
def test_helpers_reject_what_is_not_a_model(blobs, bad, error, match):
    X, y, _, _ = blobs
    for helper, args in ((predict_logits, (X,)), (predict_proba, (X,)), (accuracy, (X, y)),
                         (evaluate, (X, y)), (train, (X, y))):
        with pytest.raises(error, match=match):
            helper(bad, *args)


def test_strings_and_callbacks_get_named_errors(blobs):
    X, y, _, _ = blobs
    with pytest.raises(ValueError, match="X must be a numeric array or tensor"):
        train(mlp(2, [8], 3, seed=0), np.full((60, 2), "a"), y)
    with pytest.raises(TypeError, match="callbacks must be a sequence"):
        train(mlp(2, [8], 3, seed=0), X, y, callbacks=42)
    with pytest.raises(TypeError, match="eval_train must be a bool"):
        train(mlp(2, [8], 3, seed=0), X, y, eval_train="yes")


def test_a_failing_custom_loss_names_the_targets(blobs):
    X, y, _, _ = blobs
    with pytest.raises(ValueError, match=r"loss\(logits, y\) failed for y of dtype"):
        train(mlp(2, [8], 3, seed=0), X, y.astype(float),
              loss=torch.nn.functional.cross_entropy, epochs=1)


def test_torch_and_numpy_inputs_get_the_same_checks(blobs):
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    bad = X.copy()
    bad[0, 0] = np.nan
    for X_bad in (bad, torch.tensor(bad, dtype=torch.float32)):
        with pytest.raises(ValueError, match="X must contain only finite values"):
            train(model, X_bad, y, epochs=1)
    for y_bad in (y + 3, torch.as_tensor(y + 3)):
        with pytest.raises(ValueError, match=r"y must hold class labels in \[0, 3\)"):
            train(model, X, y_bad, epochs=1)


def test_the_shape_check_draws_nothing_and_changes_nothing(blobs):
    """The check forward pass in eval mode must not move any random stream or weight: the
    history equals one computed by hand-built batches (same as before the check existed)."""
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, dropout=0.5, seed=0)
    reference = copy.deepcopy(model)
    torch.manual_seed(123)
    before = torch.random.get_rng_state()
    first = train(model, X, y, epochs=2, batch_size=16, seed=0)
    assert torch.equal(before, torch.random.get_rng_state())
    second = train(reference, X, y, epochs=2, batch_size=16, seed=0)
    assert first.train_loss == second.train_loss


# --- CPU unless asked (issue 14, review R30) ---------------------------------------------------

def test_cpu_is_the_default_device(monkeypatch):
    monkeypatch.delenv("REGBOOK_DEVICE", raising=False)
    assert resolve_device() == torch.device("cpu")
    assert resolve_device(None) == torch.device("cpu")


def test_the_environment_variable_chooses_the_device(monkeypatch):
    monkeypatch.setenv("REGBOOK_DEVICE", "cpu")
    assert resolve_device() == torch.device("cpu")
    monkeypatch.setenv("REGBOOK_DEVICE", "auto")
    assert resolve_device().type == ("cuda" if torch.cuda.is_available() else "cpu")
    monkeypatch.setenv("REGBOOK_DEVICE", "tpu-please")
    with pytest.raises(ValueError, match="environment variable REGBOOK_DEVICE"):
        resolve_device()
    # An explicit device wins over the environment variable.
    assert resolve_device("cpu") == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the error on a machine without CUDA")
def test_asking_for_cuda_without_cuda_is_a_clear_error(blobs, monkeypatch):
    X, y, _, _ = blobs
    with pytest.raises(ValueError, match=r"device .* asks for CUDA"):
        resolve_device("cuda")
    with pytest.raises(ValueError, match=r"device .* asks for CUDA"):
        train(mlp(2, [8], 3, seed=0), X, y, device="cuda:0")
    monkeypatch.setenv("REGBOOK_DEVICE", "cuda")
    with pytest.raises(ValueError, match="REGBOOK_DEVICE.*asks for CUDA"):
        train(mlp(2, [8], 3, seed=0), X, y)


@pytest.mark.parametrize("device, error", [(3, TypeError), ("no-such-device", ValueError),
                                           ("meta", ValueError)])
def test_bad_devices_are_rejected(device, error):
    with pytest.raises(error, match="device"):
        resolve_device(device)


def test_train_keeps_the_model_on_the_cpu_by_default(blobs, monkeypatch):
    monkeypatch.delenv("REGBOOK_DEVICE", raising=False)
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    train(model, X, y, epochs=1)
    assert {p.device.type for p in model.parameters()} == {"cpu"}


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_helpers_put_their_tensors_on_the_models_device(blobs):  # pragma: no cover - no GPU here
    from regbook.dropout import ablation_accuracies, dropout_mlp, mc_dropout_predict

    X, y, _, _ = blobs
    model = dropout_mlp(2, [8], 3, p=0.2, seed=0)
    train(model, X, y, epochs=1, device="cuda")
    assert predict_proba(model, X).shape == (60, 3)
    assert 0 <= accuracy(model, X, y) <= 1
    assert mc_dropout_predict(model, X, n_samples=2).shape == (2, 60, 3)
    assert ablation_accuracies(model, X, y, layer=1)[1].shape == (8,)


# --- R43: the last partial batch is kept and takes a full step (documented) ------------------

def test_the_last_partial_batch_takes_one_full_step(blobs):
    """60 samples in batches of 25: three steps per epoch, the last on 10 samples, its loss
    averaged over its own 10 samples. Replaying the same batches by hand gives the same weights."""
    X, y, _, _ = blobs
    model = mlp(2, [8], 3, seed=0)
    manual = copy.deepcopy(model)
    train(model, X, y, epochs=1, batch_size=25, lr=0.1, seed=0)

    order = torch.randperm(60, generator=torch.Generator().manual_seed(0))
    X_t, y_t = torch.as_tensor(X, dtype=torch.float32), torch.as_tensor(y)
    optimizer = torch.optim.SGD(manual.parameters(), lr=0.1)
    sizes = []
    for start in range(0, 60, 25):
        idx = order[start:start + 25]
        sizes.append(len(idx))
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(manual(X_t[idx]), y_t[idx]).backward()
        optimizer.step()
    assert sizes == [25, 25, 10]
    for p, q in zip(model.parameters(), manual.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=1e-6)


# --- determinism: the same seed gives the same history, in this process and a fresh one -------

_DETERMINISM_SCRIPT = """
import json, numpy as np, torch
from regbook.training import mlp, train
torch.set_num_threads(1)
rng = np.random.default_rng(0)
centers = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
y = rng.integers(0, 3, size=90)
X = centers[y] + rng.normal(size=(90, 2))
h = train(mlp(2, [16], 3, dropout=0.2, seed=0), X[:60], y[:60], X_val=X[60:], y_val=y[60:],
          epochs=3, batch_size=16, seed=7, progress=False)
print(json.dumps([h.train_loss, h.val_loss, h.train_accuracy, h.val_accuracy]))
"""


def _history_here(blobs):
    previous = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        h = train(mlp(2, [16], 3, dropout=0.2, seed=0), *blobs[:2], X_val=blobs[2],
                  y_val=blobs[3], epochs=3, batch_size=16, seed=7, progress=False)
    finally:
        torch.set_num_threads(previous)
    return [h.train_loss, h.val_loss, h.train_accuracy, h.val_accuracy]


def test_same_seed_gives_the_same_history_in_this_process(blobs):
    torch.manual_seed(1)
    first = _history_here(blobs)
    torch.manual_seed(2)  # the global state outside train must not matter
    assert _history_here(blobs) == first


def test_same_seed_gives_the_same_history_in_a_fresh_process(blobs):
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "REGBOOK_DEVICE": ""}
    out = subprocess.run([sys.executable, "-c", _DETERMINISM_SCRIPT], capture_output=True,
                         text=True, check=True, env=env, timeout=120)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == _history_here(blobs)
