"""Behaviour of noise injection, ``regbook.noise``."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook.linear import ridge_closed_form
from regbook.noise import (GaussianNoise, add_gaussian_noise, equivalent_ridge_alpha,
                           expected_noisy_squared_error, gaussian_noise_transform,
                           monte_carlo_noisy_squared_error, noise_augmented_least_squares)
from regbook.training import mlp, train


@pytest.fixture(scope="module")
def regression():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 0.3 * rng.normal(size=40)
    return X, y


def test_add_gaussian_noise_is_seeded_and_has_the_right_scale():
    X = np.ones((200, 50))
    noisy = add_gaussian_noise(X, 0.3, rng=1)
    np.testing.assert_array_equal(noisy, add_gaussian_noise(X, 0.3, rng=1))
    assert np.all(X == 1)
    assert abs((noisy - X).mean()) < 0.01
    assert (noisy - X).std() == pytest.approx(0.3, rel=0.02)
    np.testing.assert_array_equal(add_gaussian_noise(X, 0.0, rng=1), X)


def test_add_gaussian_noise_keeps_tensor_type_dtype_and_device():
    X = torch.zeros(4, 3, dtype=torch.float32)
    noisy = add_gaussian_noise(X, 1.0, rng=np.random.default_rng(0))
    assert isinstance(noisy, torch.Tensor) and noisy.dtype == torch.float32
    assert noisy.device == X.device and not torch.equal(noisy, X)


def test_gaussian_noise_module_is_identity_in_eval_mode():
    layer = GaussianNoise(0.5)
    x = torch.ones(1000, 20)
    layer.eval()
    assert torch.equal(layer(x), x)
    layer.train()
    torch.manual_seed(0)
    noise = layer(x) - x
    assert noise.std().item() == pytest.approx(0.5, rel=0.02)
    assert abs(noise.mean().item()) < 0.01
    assert torch.equal(GaussianNoise(0.0)(x), x)
    assert "sigma=0.5" in repr(layer)


@settings(max_examples=20, deadline=None)
@given(seed=st.integers(0, 2**16), sigma=st.floats(0.0, 2.0))
def test_monte_carlo_agrees_with_the_analytic_expectation(seed, sigma):
    rng = np.random.default_rng(seed)
    X, y, w = rng.normal(size=(10, 3)), rng.normal(size=10), rng.normal(size=3)
    analytic = expected_noisy_squared_error(w, X, y, sigma)
    mc = monte_carlo_noisy_squared_error(w, X, y, sigma, n_draws=4000, rng=seed)
    # A residual a + N(0, s^2) has Var[r^2] = 2 s^4 + 4 a^2 s^2 <= 2 (a^2 + s^2)^2.
    mean_sq = (X @ w - y) ** 2 + sigma**2 * (w @ w)
    standard_error = np.sqrt(2 * np.sum(mean_sq**2)) / (10 * np.sqrt(4000))
    assert abs(mc - analytic) < 5 * standard_error + 1e-12


def test_expected_error_is_mse_plus_sigma_squared_norm(regression):
    X, y = regression
    w = np.array([1.0, -1.0, 2.0])
    mse = np.mean((X @ w - y) ** 2)
    assert expected_noisy_squared_error(w, X, y, 0.0) == pytest.approx(mse)
    assert expected_noisy_squared_error(w, X, y, 0.5) == pytest.approx(mse + 0.25 * 6.0)


def test_equivalent_ridge_alpha_scales_with_samples_and_variance():
    assert equivalent_ridge_alpha(100, 0.5) == pytest.approx(25.0)
    assert equivalent_ridge_alpha(1, 0.0) == 0.0


def test_noise_augmented_least_squares_converges_to_ridge(regression):
    X, y = regression
    sigma = 0.8
    ridge = ridge_closed_form(X, y, alpha=equivalent_ridge_alpha(X.shape[0], sigma))
    plain = ridge_closed_form(X, y, alpha=0.0)
    errors = {}
    for copies in (10, 100, 1000, 10000):
        fits = [noise_augmented_least_squares(X, y, sigma, copies, rng=seed) for seed in range(3)]
        errors[copies] = np.mean([np.linalg.norm(w - ridge) for w in fits])
        # Monte Carlo error shrinks like 1/sqrt(copies).
        assert errors[copies] < 1.0 / np.sqrt(copies)
    assert errors[10000] < errors[100] < errors[10] / 2
    # The limit really is shrunk: it differs from the unpenalised fit by far more than the error.
    assert np.linalg.norm(ridge) < np.linalg.norm(plain)
    assert np.linalg.norm(ridge - plain) > 20 * errors[10000]


def test_noise_free_augmentation_is_ordinary_least_squares(regression):
    X, y = regression
    np.testing.assert_allclose(noise_augmented_least_squares(X, y, 0.0, 3, rng=0),
                               np.linalg.lstsq(X, y, rcond=None)[0])


def test_noise_transform_plugs_into_train():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(60, 4))
    y = (X[:, 0] > 0).astype(int)
    transform = gaussian_noise_transform(0.2)
    histories = [train(mlp(4, [8], 2, seed=0), X, y, epochs=3, transform=transform, seed=1)
                 for _ in range(2)]
    assert histories[0] == histories[1]
    clean = train(mlp(4, [8], 2, seed=0), X, y, epochs=3, seed=1)
    assert clean.train_loss != histories[0].train_loss


@pytest.mark.parametrize("sigma", [-0.1, float("nan"), float("inf")])
def test_bad_sigma_is_rejected_everywhere(regression, sigma):
    X, y = regression
    w = np.zeros(3)
    calls = [
        lambda: add_gaussian_noise(X, sigma, rng=0),
        lambda: gaussian_noise_transform(sigma),
        lambda: GaussianNoise(sigma),
        lambda: expected_noisy_squared_error(w, X, y, sigma),
        lambda: monte_carlo_noisy_squared_error(w, X, y, sigma, 10, rng=0),
        lambda: noise_augmented_least_squares(X, y, sigma, 2, rng=0),
        lambda: equivalent_ridge_alpha(10, sigma),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="sigma"):
            call()


def test_other_bad_inputs_are_rejected(regression):
    X, y = regression
    with pytest.raises(ValueError, match="sigma must be in"):
        add_gaussian_noise(X, -1.0)
    with pytest.raises(ValueError, match="n_copies"):
        noise_augmented_least_squares(X, y, 0.1, 0)
    with pytest.raises(ValueError, match="n_draws"):
        monte_carlo_noisy_squared_error(np.zeros(3), X, y, 0.1, n_draws=0)
    with pytest.raises(ValueError, match="w must have one weight per feature"):
        expected_noisy_squared_error(np.zeros(2), X, y, 0.1)
    with pytest.raises(ValueError, match="same number of samples"):
        expected_noisy_squared_error(np.zeros(3), X, y[:-1], 0.1)
    with pytest.raises(ValueError, match="n_samples"):
        equivalent_ridge_alpha(0, 0.1)


def test_add_gaussian_noise_checks_tensors_like_arrays():
    for X in (np.array([0.0, np.nan]), torch.tensor([0.0, float("nan")])):
        with pytest.raises(ValueError, match="X must contain only finite values"):
            add_gaussian_noise(X, sigma=0.1, rng=0)
    for X in (np.zeros(0), torch.zeros(0)):
        with pytest.raises(ValueError, match="X must not be empty"):
            add_gaussian_noise(X, sigma=0.1, rng=0)


def test_gaussian_noise_layer_wants_a_tensor():
    with pytest.raises(TypeError, match="x must be a torch.Tensor"):
        GaussianNoise(0.1)(np.zeros(3))
