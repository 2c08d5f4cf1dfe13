"""Behaviour of dropout, ``regbook.dropout``: torch parity, conventions, ensembles, linear models."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook.dropout import (Dropout, OriginalDropout, ablation_accuracies, all_masks,
                             convert_dropout, dropout_augmented_least_squares,
                             dropout_linear_penalty, dropout_mlp, dropout_ridge_solution,
                             dropout_variance, enumerate_dropout_ensemble,
                             expected_dropout_linear_loss, make_gap_regression,
                             mask_probabilities, mc_dropout_predict,
                             monte_carlo_dropout_linear_loss)
from regbook.linear import ridge_closed_form

N = 400_000


def _statistics(layer, h, seed):
    torch.manual_seed(seed)
    out = layer.train()(torch.full((N,), h, dtype=torch.float64))
    return out


@pytest.mark.parametrize("p", [0.1, 0.3, 0.5, 0.8])
@pytest.mark.parametrize("make", [Dropout, torch.nn.Dropout], ids=["regbook", "torch"])
def test_parity_with_torch_statistics(make, p):
    h = 3.0
    out = _statistics(make(p), h, seed=int(10 * p))
    zeros = float((out == 0).double().mean())
    assert abs(zeros - p) < 5 * math.sqrt(p * (1 - p) / N)
    kept = torch.unique(out[out != 0])
    assert torch.allclose(kept, torch.tensor([h / (1 - p)], dtype=torch.float64))
    # Mean h and variance h² p / (1 − p), each within 5 standard errors of the Monte Carlo mean.
    variance = h**2 * p / (1 - p)
    assert abs(float(out.mean()) - h) < 5 * math.sqrt(variance / N)
    fourth = (h / (1 - p)) ** 4 * (1 - p) - 4 * h * (h / (1 - p)) ** 3 * (1 - p) \
        + 6 * h**2 * (h / (1 - p)) ** 2 * (1 - p) - 3 * h**4
    var_se = math.sqrt(max(fourth - variance**2, 0.0) / N)
    # At p = 0.5 the first-order error vanishes; the second-order term c·(q̂ − q)² remains.
    second_order = (h / (1 - p)) ** 2 * 25 * p * (1 - p) / N
    assert abs(float(out.var()) - variance) < 5 * var_se + second_order
    assert abs(float(out.var()) - h * p / (1 - p)) > 10 * var_se  # h, not h²: rejected


def test_same_masks_as_torch_under_the_same_seed():
    x = torch.randn(1000)
    torch.manual_seed(3)
    ours = Dropout(0.3)(x)
    torch.manual_seed(3)
    theirs = torch.nn.Dropout(0.3)(x)
    assert torch.equal(ours, theirs)


@pytest.mark.parametrize("make", [Dropout, OriginalDropout])
def test_edge_probabilities(make):
    x = torch.randn(50, 7)
    assert torch.equal(make(0.0).train()(x), x)
    out = make(1.0).train()(x)
    assert torch.equal(out, torch.zeros_like(x)) and not torch.isnan(out).any()
    assert torch.equal(make(0).train()(x), x)


def test_eval_mode_of_both_conventions():
    x = torch.randn(20, 5)
    assert torch.equal(Dropout(0.4).eval()(x), x)
    assert torch.allclose(OriginalDropout(0.4).eval()(x), 0.6 * x)
    assert torch.equal(OriginalDropout(1.0).eval()(x), torch.zeros_like(x))


def test_original_dropout_does_not_scale_in_training():
    torch.manual_seed(0)
    out = OriginalDropout(0.25).train()(torch.ones(N))
    assert set(torch.unique(out).tolist()) == {0.0, 1.0}
    assert abs(float(out.mean()) - 0.75) < 5 * math.sqrt(0.75 * 0.25 / N)


def test_inplace_and_gradient():
    x = torch.ones(10, requires_grad=True)
    torch.manual_seed(0)
    y = Dropout(0.5)(x)
    y.sum().backward()
    assert torch.equal(x.grad, y.detach())  # d(m x / (1 − p))/dx = m / (1 − p) = y at x = 1
    z = torch.ones(10)
    torch.manual_seed(0)
    assert Dropout(0.5, inplace=True)(z) is z
    assert "p=0.5" in repr(Dropout(0.5)) and "p=0.5" in repr(OriginalDropout(0.5))


@pytest.mark.parametrize("make", [Dropout, OriginalDropout])
@pytest.mark.parametrize("bad, error, match", [
    (1.5, ValueError, r"p must be in \[0.0, 1.0\], got 1.5"),
    (-0.1, ValueError, r"p must be in \[0.0, 1.0\], got -0.1"),
    (float("nan"), ValueError, "p must be a finite number, got nan"),
    (True, TypeError, "p must be a number"),
    ("0.5", TypeError, "p must be a number"),
    (None, TypeError, "p must be a number"),
])
def test_bad_probability_is_rejected(make, bad, error, match):
    with pytest.raises(error, match=match):
        make(bad)


def test_other_bad_inputs():
    with pytest.raises(TypeError, match="inplace must be a bool"):
        Dropout(0.5, inplace=1)
    with pytest.raises(ValueError, match=r"p must be in \[0.0, 1.0\)"):
        dropout_mlp(4, [3], 2, p=1.0)
    with pytest.raises(ValueError, match="kind must be one of"):
        dropout_mlp(4, [3], 2, kind="gaussian")
    with pytest.raises(ValueError, match=r"p must be in \[0.0, 1.0\)"):
        dropout_variance(1.0, 1.0)
    with pytest.raises(ValueError, match="n_units must be in"):
        all_masks(0)
    with pytest.raises(ValueError, match="masks must hold only 0 and 1"):
        mask_probabilities(np.full((2, 2), 0.5), 0.5)
    with pytest.raises(TypeError, match="model must be a torch.nn.Sequential"):
        convert_dropout(torch.nn.Linear(2, 2), "inverted")


def test_variance_formulas():
    assert dropout_variance(2.0, 0.5) == pytest.approx(4.0)
    assert dropout_variance(2.0, 0.5, kind="original") == pytest.approx(1.0)
    np.testing.assert_allclose(dropout_variance([1.0, -3.0], 0.2), [0.25, 2.25])


def test_conventions_give_the_same_function_with_scaled_weights():
    original = dropout_mlp(8, [16, 16], 3, p=0.5, input_p=0.2, kind="original", seed=0)
    inverted = convert_dropout(original, "inverted")
    assert isinstance(inverted[0], Dropout) and isinstance(original[0], OriginalDropout)
    x = torch.rand(30, 8)
    for mode in ("train", "eval"):
        getattr(original, mode)()
        getattr(inverted, mode)()
        torch.manual_seed(5)
        a = original(x)
        torch.manual_seed(5)
        b = inverted(x)
        assert torch.allclose(a, b, atol=1e-6), mode
    back = convert_dropout(inverted, "original").eval()
    assert torch.allclose(back(x), original.eval()(x), atol=1e-6)
    # Swapping the layer without rescaling shrinks a linear model's output by exactly 1 − p.
    linear = dropout_mlp(8, [], 3, input_p=0.3, seed=0).eval()
    with torch.no_grad():
        linear[1].bias.zero_()
    buggy = convert_dropout(linear, "original", rescale_weights=False).eval()
    assert torch.allclose(buggy(x), 0.7 * linear(x), atol=1e-6)


def test_masks_and_their_probabilities():
    masks = all_masks(10)
    assert masks.shape == (1024, 10) and len(np.unique(masks, axis=0)) == 1024
    for p in (0.5, 0.2, 0.9):
        weights = mask_probabilities(masks, p)
        assert weights.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(mask_probabilities(masks, 0.5), 2.0**-10)


@pytest.mark.parametrize("p", [0.5, 0.2])
def test_weight_scaling_is_the_normalised_geometric_mean_of_all_subnetworks(p):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 8))
    model = dropout_mlp(8, [], 4, input_p=p, kind="original", seed=1).double().eval()
    with torch.no_grad():
        scaled = torch.softmax(model(torch.as_tensor(X)), dim=1).numpy()
    geometric, arithmetic = enumerate_dropout_ensemble(model[1:], X, p)
    np.testing.assert_allclose(geometric, scaled, atol=1e-13)
    assert np.abs(arithmetic - scaled).max() > 1e-3
    if p != 0.5:  # equal weights are wrong unless every mask is equally likely
        uniform, _ = enumerate_dropout_ensemble(model[1:], X, p, weights=np.full(256, 1 / 256))
        assert np.abs(uniform - scaled).max() > 1e-3


def test_weight_scaling_is_not_exact_with_a_relu_layer():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(40, 6))
    model = dropout_mlp(6, [12], 3, p=0.0, input_p=0.5, kind="original", seed=2).double().eval()
    with torch.no_grad():
        scaled = torch.softmax(model(torch.as_tensor(X)), dim=1).numpy()
    geometric, _ = enumerate_dropout_ensemble(model[1:], X, 0.5)
    assert np.abs(geometric - scaled).max() > 1e-3


def test_enumeration_rejects_bad_weights_and_wide_inputs():
    linear = torch.nn.Linear(3, 2).double()
    with pytest.raises(ValueError, match="weights must be 8"):
        enumerate_dropout_ensemble(linear, np.ones((2, 3)), 0.5, weights=np.ones(8))
    with pytest.raises(ValueError, match="at most 16 columns"):
        enumerate_dropout_ensemble(torch.nn.Linear(17, 2), np.ones((2, 17)), 0.5)


@pytest.fixture(scope="module")
def scaled_regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4)) * np.array([0.1, 1.0, 3.0, 10.0])
    y = X @ np.array([2.0, -1.0, 0.5, 0.05]) + 0.3 * rng.normal(size=60)
    return X, y


@settings(max_examples=10, deadline=None)
@given(seed=st.integers(0, 2**16), p=st.floats(0.05, 0.8))
def test_monte_carlo_matches_the_adaptive_l2_expectation(seed, p):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(12, 3)) * np.array([0.2, 1.0, 4.0])
    y, w = rng.normal(size=12), rng.normal(size=3)
    mean, se = monte_carlo_dropout_linear_loss(w, X, y, p, n_draws=4000, rng=seed)
    assert abs(mean - expected_dropout_linear_loss(w, X, y, p)) < 5 * se + 1e-9


def test_expected_loss_is_least_squares_plus_adaptive_penalty(scaled_regression):
    X, y = scaled_regression
    w = np.array([1.0, -2.0, 0.5, 0.1])
    penalty = 0.25 / 0.75 * np.sum((X**2).sum(axis=0) * w**2)
    assert dropout_linear_penalty(w, X, 0.25) == pytest.approx(penalty)
    assert expected_dropout_linear_loss(w, X, y, 0.25) == pytest.approx(
        np.sum((y - X @ w) ** 2) + penalty)
    assert expected_dropout_linear_loss(w, X, y, 0.0) == pytest.approx(np.sum((y - X @ w) ** 2))


def test_many_masks_converge_to_the_closed_form(scaled_regression):
    X, y = scaled_regression
    closed = dropout_ridge_solution(X, y, 0.3)
    few = dropout_augmented_least_squares(X, y, 0.3, 20, rng=0)
    many = dropout_augmented_least_squares(X, y, 0.3, 4000, rng=0)
    assert np.linalg.norm(many - closed) < 0.2 * np.linalg.norm(few - closed)
    np.testing.assert_allclose(many, closed, rtol=0.05, atol=0.01)


def test_dropout_ridge_is_ridge_on_standardised_features_and_scale_invariant(scaled_regression):
    X, y = scaled_regression
    Xs = (X - X.mean(axis=0)) / X.std(axis=0)
    yc = y - y.mean()
    n, p = len(yc), 0.2
    np.testing.assert_allclose(dropout_ridge_solution(Xs, yc, p),
                               ridge_closed_form(Xs, yc, n * p / (1 - p)), rtol=1e-10)
    scales = np.array([0.01, 1.0, 7.0, 300.0])
    np.testing.assert_allclose((Xs * scales) @ dropout_ridge_solution(Xs * scales, yc, p),
                               Xs @ dropout_ridge_solution(Xs, yc, p), atol=1e-8)


def test_mc_dropout_restores_modes_and_is_seeded():
    model = dropout_mlp(1, [16], 1, p=0.3, seed=0).eval()
    x = np.linspace(-1, 1, 7)[:, None]
    a = mc_dropout_predict(model, x, n_samples=50, seed=4)
    b = mc_dropout_predict(model, x, n_samples=50, seed=4)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (50, 7, 1) and a.std(axis=0).min() > 0
    assert not any(m.training for m in model.modules())
    no_dropout = dropout_mlp(1, [16], 1, p=0.0, seed=0)
    assert mc_dropout_predict(no_dropout, x, n_samples=5).std(axis=0).max() < 1e-6


def test_ablation_accuracies_zero_one_unit_at_a_time():
    model = dropout_mlp(4, [3], 2, p=0.5, seed=0)
    X = np.random.default_rng(0).normal(size=(50, 4))
    y = np.random.default_rng(1).integers(0, 2, 50)
    full, ablated = ablation_accuracies(model, X, y, layer=1)
    with torch.no_grad():
        hidden = model[:2](torch.as_tensor(X, dtype=torch.float32))
        hidden[:, 1] = 0
        manual = float((model[2:].eval()(hidden).argmax(1).numpy() == y).mean())
    assert ablated[1] == pytest.approx(manual) and 0 <= full <= 1
    assert model.training


def test_gap_data_has_a_gap():
    x, y = make_gap_regression(30, gap=0.4, seed=0)
    assert x.shape == (30, 1) and y.shape == (30,)
    assert np.all((np.abs(x) >= 0.4) & (np.abs(x) <= 1))


# --- issue 14 ----------------------------------------------------------------------------------

def test_dropout_helpers_check_inputs_against_the_model():
    from regbook.dropout import ablation_accuracies, convert_dropout, dropout_mlp, mc_dropout_predict

    model = dropout_mlp(4, [3], 2, p=0.5, seed=0)
    with pytest.raises(ValueError, match="X does not fit the model"):
        mc_dropout_predict(model, np.zeros((5, 3)), n_samples=2)
    with pytest.raises(ValueError, match="X does not fit the model"):
        ablation_accuracies(model, np.eye(3), np.array([0, 1, 0]), layer=1)
    with pytest.raises(ValueError, match=r"y must hold class labels in \[0, 2\)"):
        ablation_accuracies(model, np.eye(4), np.array([0, 1, 0, 5]), layer=1)
    with pytest.raises(ValueError, match="y must hold one integer class label per row"):
        ablation_accuracies(model, np.eye(4), np.array([0.0, 1.0, 0.0, 1.0]), layer=1)
    with pytest.raises(ValueError, match=r"to must be one of \('inverted', 'original'\)"):
        convert_dropout(model, "both")


def test_dropout_layers_want_a_tensor():
    from regbook.dropout import Dropout, OriginalDropout

    for layer in (Dropout(0.5), OriginalDropout(0.5)):
        with pytest.raises(TypeError, match="x must be a torch.Tensor"):
            layer(np.ones(3))
