"""Each conversion of regbook.weight_decay pinned against scikit-learn and torch numerically."""

import warnings

import numpy as np
import pytest
import torch
from sklearn import linear_model as sk

from regbook import weight_decay as wd
from regbook.linear import Ridge


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    X[:, 3] = X[:, 2] + 0.1 * rng.normal(size=60)  # a near-collinear pair
    y = X @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.3 * rng.normal(size=60)
    return X - X.mean(axis=0), y - y.mean()


def mse_gradient(X, y, w):
    return 2.0 / X.shape[0] * X.T @ (X @ w - y)


def test_mse_lambda_convention_is_stationary_at_sklearn_ridge(data):
    X, y = data
    lam = 0.05
    w = sk.Ridge(alpha=wd.ridge_alpha_from_mse_lambda(lam, len(y)), fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(mse_gradient(X, y, w) + 2 * lam * w, 0.0, atol=1e-10)


def test_half_alpha_convention_is_stationary_at_sklearn_ridge(data):
    X, y = data
    a = 0.05
    w = sk.Ridge(alpha=wd.ridge_alpha_from_half_alpha(a, len(y)), fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(mse_gradient(X, y, w) + a * w, 0.0, atol=1e-10)


def test_elastic_net_with_l1_ratio_zero_equals_converted_ridge(data):
    X, y = data
    a = 0.02
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # sklearn warns that l1_ratio=0 is better served by Ridge
        enet = sk.ElasticNet(alpha=a, l1_ratio=0.0, fit_intercept=False, tol=1e-12,
                             max_iter=100_000).fit(X, y)
    ridge = sk.Ridge(alpha=wd.ridge_alpha_from_elastic_net_alpha(a, len(y)),
                     fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(enet.coef_, ridge.coef_, rtol=1e-6, atol=1e-8)


def test_lasso_conversion_satisfies_kkt_of_mse_lambda_objective(data):
    X, y = data
    lam = 0.5
    w = sk.Lasso(alpha=wd.lasso_alpha_from_mse_lambda(lam), fit_intercept=False, tol=1e-12,
                 max_iter=100_000).fit(X, y).coef_
    g = mse_gradient(X, y, w)
    active = w != 0
    assert active.any() and (~active).any()
    np.testing.assert_allclose(g[active] + lam * np.sign(w[active]), 0.0, atol=1e-8)
    assert np.all(np.abs(g[~active]) <= lam + 1e-8)


def test_torch_weight_decay_round_trip():
    assert wd.torch_weight_decay_from_ridge_alpha(
        wd.ridge_alpha_from_torch_weight_decay(0.03, 77), 77) == pytest.approx(0.03)


def _torch_sgd(X, y, lr, weight_decay, num_steps):
    model = torch.nn.Linear(X.shape[1], 1, bias=False, dtype=torch.float64)
    torch.nn.init.zeros_(model.weight)
    opt = torch.optim.SGD(model.parameters(), lr=lr, weight_decay=weight_decay)
    Xt, yt = torch.tensor(X), torch.tensor(y)[:, None]
    for _ in range(num_steps):
        opt.zero_grad()
        torch.nn.functional.mse_loss(model(Xt), yt).backward()
        opt.step()
    return model.weight.detach().numpy().ravel()


def test_torch_sgd_weight_decay_matches_our_gradient_descent_step_for_step(data):
    X, y = data
    ours = wd.penalised_gradient_descent(X, y, lr=0.05, weight_decay=0.1, num_steps=25)
    np.testing.assert_allclose(_torch_sgd(X, y, 0.05, 0.1, 25), ours, rtol=1e-12, atol=1e-14)


def test_torch_sgd_weight_decay_converges_to_converted_ridge(data):
    X, y = data
    weight_decay = 0.1
    alpha = wd.ridge_alpha_from_torch_weight_decay(weight_decay, len(y))
    expected = sk.Ridge(alpha=alpha, fit_intercept=False).fit(X, y).coef_
    np.testing.assert_allclose(_torch_sgd(X, y, 0.2, weight_decay, 2000), expected, atol=1e-9)


def test_gradient_descent_fixed_point_is_our_ridge(data):
    X, y = data
    w, path = wd.penalised_gradient_descent(X, y, lr=0.2, weight_decay=0.05, num_steps=3000,
                                            return_path=True)
    ridge = Ridge(alpha=len(y) * 0.05 / 2, fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(w, ridge.coef_, atol=1e-10)
    assert path.shape == (3001, 4) and np.all(path[0] == 0)


def test_weight_decay_step_is_torch_sgd_step():
    w = torch.tensor([1.0, -2.0, 0.5], dtype=torch.float64, requires_grad=True)
    grad = np.array([0.3, 0.1, -0.4])
    opt = torch.optim.SGD([w], lr=0.1, weight_decay=0.2)
    w.grad = torch.tensor(grad)
    expected = wd.weight_decay_step(w.detach().numpy().copy(), grad, lr=0.1, weight_decay=0.2)
    opt.step()
    np.testing.assert_allclose(w.detach().numpy(), expected, rtol=1e-15)


def test_seed_decay_factor_belongs_to_half_penalty():
    w, grad, lr, lam = np.array([2.0]), np.array([0.0]), 0.1, 0.3
    # Gradient descent on lam * ||w||^2 multiplies w by (1 - 2 lr lam), not (1 - lr lam).
    np.testing.assert_allclose(wd.weight_decay_step(w, grad, lr, 2 * lam), (1 - 2 * lr * lam) * w)


@pytest.mark.parametrize("decoupled, cls", [(False, torch.optim.Adam), (True, torch.optim.AdamW)])
def test_adam_step_matches_torch(decoupled, cls):
    rng = np.random.default_rng(1)
    w0 = rng.normal(size=5)
    grads = rng.normal(size=(6, 5))
    param = torch.tensor(w0, requires_grad=True)
    opt = cls([param], lr=0.01, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.3)
    w, state = w0.copy(), None
    for g in grads:
        param.grad = torch.tensor(g)
        opt.step()
        w, state = wd.adam_step(w, g, state, lr=0.01, betas=(0.8, 0.99), eps=1e-6,
                                weight_decay=0.3, decoupled=decoupled)
    np.testing.assert_allclose(param.detach().numpy(), w, rtol=1e-12, atol=1e-14)
    assert state["step"] == len(grads)


def test_adam_l2_and_adamw_differ():
    w0, g = np.array([1.0, 1.0]), np.array([1e-3, 10.0])
    coupled, _ = wd.adam_step(w0, g, lr=0.1, weight_decay=0.5)
    decoupled, _ = wd.adam_step(w0, g, lr=0.1, weight_decay=0.5, decoupled=True)
    assert np.abs(coupled - decoupled).max() > 1e-2


@pytest.mark.parametrize("call, match", [
    (lambda: wd.ridge_alpha_from_mse_lambda(-1.0, 10), "lam must be in"),
    (lambda: wd.ridge_alpha_from_half_alpha(float("nan"), 10), "alpha must be a finite"),
    (lambda: wd.ridge_alpha_from_torch_weight_decay(0.1, 0), "n_samples must be in"),
    (lambda: wd.torch_weight_decay_from_ridge_alpha(1.0, 2.5), "n_samples must be an integer"),
    (lambda: wd.ridge_alpha_from_elastic_net_alpha(-0.1, 5), "alpha must be in"),
    (lambda: wd.lasso_alpha_from_mse_lambda(-2.0), "lam must be in"),
    (lambda: wd.weight_decay_step([1.0], [1.0, 2.0], 0.1, 0.1), "grad must have the shape"),
    (lambda: wd.weight_decay_step([1.0], [1.0], -0.1, 0.1), "lr must be in"),
    (lambda: wd.penalised_gradient_descent(np.ones((3, 2)), np.ones(2), lr=0.1,
                                           weight_decay=0.0, num_steps=1), "same number"),
    (lambda: wd.penalised_gradient_descent(np.ones((3, 2)), np.ones(3), lr=0.0,
                                           weight_decay=0.0, num_steps=1), "lr must be in"),
    (lambda: wd.penalised_gradient_descent(np.ones((3, 2)), np.ones(3), lr=0.1, w0=np.ones(3),
                                           weight_decay=0.0, num_steps=1), "w0 must have"),
    (lambda: wd.adam_step([1.0], [1.0], betas=(1.0, 0.9)), r"betas\[0\] must be in"),
    (lambda: wd.adam_step([1.0], [1.0], weight_decay=-1.0), "weight_decay must be in"),
])
def test_bad_arguments_are_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# --- issue 14 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("state, match", [
    ({"step": 1}, "state must be None or the dict"),
    ({"step": 1, "m": np.zeros(2), "v": np.zeros(2), "extra": 0}, "state must be None or the dict"),
    ({"step": 1.5, "m": np.zeros(2), "v": np.zeros(2)}, r"state\['step'\] must be an integer"),
    ({"step": -1, "m": np.zeros(2), "v": np.zeros(2)}, r"state\['step'\] must be in"),
    ({"step": 1, "m": np.zeros(3), "v": np.zeros(2)}, r"state\['m'\] must have the shape of w"),
    ({"step": 1, "m": np.zeros(2), "v": np.array([np.nan, 0.0])}, r"state\['v'\] must contain"),
    ({"step": 1, "m": np.zeros(2), "v": np.array([-1.0, 0.0])}, r"state\['v'\] must be non-neg"),
    (42, "state must be None or the dict"),
])
def test_adam_step_rejects_a_bad_state(state, match):
    with pytest.raises((ValueError, TypeError), match=match):
        wd.adam_step(np.ones(2), np.ones(2), state, lr=0.1)


@pytest.mark.parametrize("betas, match", [
    ((0.9,), r"betas must be a pair"), ("ab", r"betas must be a pair"),
    ((0.9, 1.0), r"betas\[1\] must be in"), ((float("nan"), 0.99), r"betas\[0\]"),
])
def test_adam_step_checks_betas(betas, match):
    with pytest.raises((ValueError, TypeError), match=match):
        wd.adam_step(np.ones(2), np.ones(2), lr=0.1, betas=betas)


def test_adam_step_state_round_trips():
    w, state = wd.adam_step(np.ones(2), np.ones(2), lr=0.1)
    w2, state2 = wd.adam_step(w, np.ones(2), state, lr=0.1)
    assert state2["step"] == 2 and np.all(np.isfinite(w2))


def test_a_diverging_descent_names_lr_and_the_stability_limit():
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(30, 3)), rng.normal(size=30)
    hessian = 2.0 / 30 * X.T @ X + 0.1 * np.eye(3)
    limit = 2.0 / np.linalg.eigvalsh(hessian).max()
    with pytest.raises(ValueError, match=rf"lr=.* 2/lambda_max = {limit:.4g}"):
        wd.penalised_gradient_descent(X, y, lr=3 * limit, weight_decay=0.1, num_steps=2000)
    # Below the limit the same call converges.
    w = wd.penalised_gradient_descent(X, y, lr=0.9 * limit, weight_decay=0.1, num_steps=2000)
    assert np.all(np.isfinite(w))


# Appendix A: conversions for scikit-learn's MLP alpha and LogisticRegression's C.

def test_mlp_alpha_full_batch_is_the_ridge_alpha():
    assert wd.ridge_alpha_from_mlp_alpha(0.3, 100) == pytest.approx(0.3)
    assert wd.ridge_alpha_from_mlp_alpha(0.3, 100, batch_size=100) == pytest.approx(0.3)


def test_mlp_alpha_grows_as_the_batch_shrinks():
    assert wd.ridge_alpha_from_mlp_alpha(0.3, 100, batch_size=25) == pytest.approx(1.2)


def test_lbfgs_mlp_regressor_matches_ridge_with_the_converted_alpha():
    from sklearn.linear_model import Ridge as SkRidge
    from sklearn.neural_network import MLPRegressor

    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + rng.normal(scale=0.3, size=60)
    mlp = MLPRegressor(hidden_layer_sizes=(), activation="identity", solver="lbfgs", alpha=6.0,
                       tol=1e-12, max_iter=5000, random_state=0).fit(X, y)
    ridge = SkRidge(alpha=wd.ridge_alpha_from_mlp_alpha(6.0, 60)).fit(X, y)
    np.testing.assert_allclose(mlp.coefs_[0].ravel(), ridge.coef_, atol=1e-4)


@pytest.mark.parametrize("kwargs, match", [
    (dict(alpha=-1.0, n_samples=10), r"alpha must be in \[0.0, inf\), got -1.0"),
    (dict(alpha=float("nan"), n_samples=10), r"alpha must be a finite number"),
    (dict(alpha=1.0, n_samples=2.5), r"n_samples must be an integer"),
    (dict(alpha=1.0, n_samples=10, batch_size=11), r"batch_size must be in \[1, 10\], got 11"),
    (dict(alpha=1.0, n_samples=10, batch_size=0), r"batch_size must be in \[1, 10\], got 0"),
    (dict(alpha=1.0, n_samples=10, batch_size=True), r"batch_size must be an integer"),
])
def test_ridge_alpha_from_mlp_alpha_rejects_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        wd.ridge_alpha_from_mlp_alpha(**kwargs)


def test_logistic_C_is_the_inverse_of_the_summed_penalty():
    assert wd.logistic_C_from_torch_weight_decay(0.01, 200) == pytest.approx(0.5)
    assert wd.logistic_C_from_torch_weight_decay(0.02, 200) == pytest.approx(0.25)


def test_logistic_C_makes_sklearn_solution_a_torch_fixed_point():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(1)
    X = rng.normal(size=(80, 3))
    y = (X[:, 0] + rng.normal(size=80) > 0).astype(int)
    weight_decay = 0.05
    model = LogisticRegression(C=wd.logistic_C_from_torch_weight_decay(weight_decay, 80),
                               tol=1e-10, max_iter=1000).fit(X, y)
    w = torch.tensor(model.coef_.ravel(), requires_grad=True)
    b = torch.tensor(model.intercept_, requires_grad=True)
    logits = torch.as_tensor(X) @ w + b
    target = torch.as_tensor(y, dtype=torch.float64)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target)
    loss.backward()
    assert float((w.grad + weight_decay * w.detach()).abs().max()) < 1e-7
    assert float(b.grad.abs().max()) < 1e-7


@pytest.mark.parametrize("kwargs, match", [
    (dict(weight_decay=0.0, n_samples=10), r"weight_decay must be in \(0.0, inf\), got 0.0"),
    (dict(weight_decay=float("inf"), n_samples=10), r"weight_decay must be a finite number"),
    (dict(weight_decay="0.1", n_samples=10), r"weight_decay must be a number"),
    (dict(weight_decay=0.1, n_samples=0), r"n_samples must be in \[1, inf\), got 0"),
])
def test_logistic_C_rejects_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        wd.logistic_C_from_torch_weight_decay(**kwargs)
