"""Behaviour of SGD's implicit regularization, ``regbook.sgd``."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook.sgd import (adam_least_squares, enumerate_minibatch_gradients,
                         factorization_gradient, factorization_hessian_vector_product,
                         factorization_loss, gradient_descent, gradient_descent_least_squares,
                         gradient_flow, gradient_noise_scale, minibatch_gradient_covariance,
                         minibatch_sgd, minimum_norm_solution, modified_gradient)
from regbook.training import mlp


@pytest.fixture(scope="module")
def underdetermined():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(8, 20))
    y = rng.normal(size=8)
    lr = 1.0 / np.linalg.eigvalsh(X.T @ X / 8).max()
    return X, y, lr


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 9), d=st.integers(1, 3), seed=st.integers(0, 1000), data=st.data())
def test_minibatch_gradient_is_unbiased_and_covariance_formula_is_exact(n, d, seed, data):
    batch_size = data.draw(st.integers(1, n))
    G = np.random.default_rng(seed).normal(size=(n, d))
    batches = enumerate_minibatch_gradients(G, batch_size)
    assert batches.shape == (math.comb(n, batch_size), d)
    np.testing.assert_allclose(batches.mean(axis=0), G.mean(axis=0), atol=1e-12)
    exact = np.atleast_2d(np.cov(batches.T, bias=True))
    np.testing.assert_allclose(minibatch_gradient_covariance(G, batch_size), exact, atol=1e-12)


def test_full_batch_has_no_noise_and_with_replacement_would_be_larger():
    G = np.random.default_rng(1).normal(size=(6, 2))
    np.testing.assert_allclose(minibatch_gradient_covariance(G, 6), 0.0, atol=1e-15)
    with_replacement = np.cov(G.T, bias=True) / 2
    without = minibatch_gradient_covariance(G, 2)
    assert np.all(np.linalg.eigvalsh(with_replacement - without) > 0)


def test_noise_scale_depends_on_the_ratio_of_learning_rate_to_batch_size():
    assert gradient_noise_scale(0.1, 10, 1000) == pytest.approx(9.9)
    assert gradient_noise_scale(0.4, 40, 1000) == pytest.approx(9.6)
    assert gradient_noise_scale(0.1, 1000, 1000) == 0.0


def test_minibatch_sgd_is_deterministic_and_full_batch_is_gradient_descent():
    targets = np.arange(10.0)

    def grad(W, batches):
        return W - targets[batches].mean(axis=1, keepdims=True)

    a = minibatch_sgd(grad, 10, [0.0], lr=0.1, batch_size=3, steps=50, n_chains=4, seed=7)
    b = minibatch_sgd(grad, 10, [0.0], lr=0.1, batch_size=3, steps=50, n_chains=4, seed=7)
    np.testing.assert_array_equal(a, b)
    assert a.shape == (51, 4, 1)
    assert not np.allclose(a[-1, 0], a[-1, 1])
    full = minibatch_sgd(grad, 10, [0.0], lr=0.1, batch_size=10, steps=50)
    gd = gradient_descent(lambda w: w - targets.mean(), [0.0], lr=0.1, steps=50)
    np.testing.assert_allclose(full[:, 0], gd, atol=1e-12)


def test_gradient_descent_from_zero_reaches_the_minimum_norm_solution(underdetermined):
    X, y, lr = underdetermined
    w = gradient_descent_least_squares(X, y, lr=lr, steps=4000)
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y, atol=1e-10)
    np.testing.assert_allclose(w, minimum_norm_solution(X, y), atol=1e-10)


def test_gradient_descent_from_w0_keeps_the_part_outside_the_row_space(underdetermined):
    X, y, lr = underdetermined
    w0 = np.random.default_rng(3).normal(size=20)
    w = gradient_descent_least_squares(X, y, lr=lr, steps=4000, w0=w0)
    P = np.linalg.pinv(X) @ X
    np.testing.assert_allclose(w, np.linalg.pinv(X) @ y + (np.eye(20) - P) @ w0, atol=1e-10)
    assert np.linalg.norm(w) > np.linalg.norm(np.linalg.pinv(X) @ y)


def test_adam_matches_torch_and_fits_but_misses_the_minimum_norm_solution(underdetermined):
    X, y, _ = underdetermined
    w0 = np.random.default_rng(5).normal(size=20)
    ours = adam_least_squares(X, y, lr=0.05, steps=25, w0=w0)
    w = torch.tensor(w0, requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=0.05)
    for _ in range(25):
        optimizer.zero_grad()
        (0.5 * torch.mean((torch.tensor(X) @ w - torch.tensor(y)) ** 2)).backward()
        optimizer.step()
    np.testing.assert_allclose(ours, w.detach().numpy(), atol=1e-12)
    adam = adam_least_squares(X, y, lr=1e-3, steps=4000)
    assert np.abs(X @ adam - y).max() < 1e-6
    assert np.linalg.norm(adam) > 1.01 * np.linalg.norm(np.linalg.pinv(X) @ y)


def test_gradient_flow_matches_the_exponential_of_a_quadratic():
    H = np.diag([1.0, 3.0])
    times = np.linspace(0, 2, 5)
    path = gradient_flow(lambda w: H @ w, [1.0, 1.0], times=times)
    np.testing.assert_allclose(path, np.exp(-np.outer(times, [1.0, 3.0])), rtol=1e-8)


def test_factorization_derivatives_match_finite_differences():
    w, v, h = np.array([1.3, -0.4]), np.array([0.2, 0.7]), 1e-6
    grad = np.array([(factorization_loss(w + h * e, 2.0) - factorization_loss(w - h * e, 2.0))
                     / (2 * h) for e in np.eye(2)])
    np.testing.assert_allclose(factorization_gradient(w, 2.0), grad, rtol=1e-6)
    hv = (factorization_gradient(w + h * v, 2.0) - factorization_gradient(w - h * v, 2.0)) / (2 * h)
    np.testing.assert_allclose(factorization_hessian_vector_product(w, v, 2.0), hv, rtol=1e-6)


def test_gradient_descent_is_closer_to_the_modified_flow_and_by_order_eta_squared():
    w0 = np.array([2.0, 0.2])
    errors = []
    for lr in (0.02, 0.04):
        steps = int(round(2.0 / lr))
        gd = gradient_descent(factorization_gradient, w0, lr=lr, steps=steps)
        times = lr * np.arange(steps + 1)
        plain = gradient_flow(factorization_gradient, w0, times=times)
        modified = gradient_flow(modified_gradient(factorization_gradient,
                                                   factorization_hessian_vector_product, lr),
                                 w0, times=times)
        errors.append((np.abs(gd - plain).max(), np.abs(gd - modified).max()))
    (plain1, mod1), (plain2, mod2) = errors
    assert mod1 < plain1 / 5 and mod2 < plain2 / 3
    assert 1.6 < plain2 / plain1 < 2.4  # O(η)
    assert 3.0 < mod2 / mod1 < 5.0  # O(η²)


@pytest.mark.parametrize("call, match", [
    (lambda: enumerate_minibatch_gradients(np.ones((5, 2)), 0), r"batch_size must be in \[1, 5\], got 0"),
    (lambda: enumerate_minibatch_gradients(np.ones((5, 2)), 2.0), "batch_size must be an integer"),
    (lambda: enumerate_minibatch_gradients(np.ones((5, 2)), True), "batch_size must be an integer"),
    (lambda: enumerate_minibatch_gradients(np.ones((40, 1)), 20), "enumeration allows at most"),
    (lambda: minibatch_gradient_covariance(np.ones((1, 2)), 1), "at least 2 samples"),
    (lambda: minibatch_gradient_covariance([[np.nan], [1.0]], 1), "finite"),
    (lambda: gradient_noise_scale(0.0, 1, 10), r"lr must be in \(0.0, inf\), got 0.0"),
    (lambda: gradient_noise_scale(float("nan"), 1, 10), "lr must be a finite number"),
    (lambda: gradient_noise_scale(0.1, 11, 10), r"batch_size must be in \[1, 10\], got 11"),
    (lambda: minibatch_sgd(None, 5, [0.0], lr=0.1, batch_size=1, steps=1), "batch_gradient must be callable"),
    (lambda: minibatch_sgd(lambda W, b: W, 5, np.zeros((3, 1)), lr=0.1, batch_size=1, steps=1,
                           n_chains=2), "w0 must have shape"),
    (lambda: gradient_descent(lambda w: w, [1.0], lr=0.1, steps=-1), r"steps must be in \[0, inf\)"),
    (lambda: gradient_descent_least_squares(np.ones((3, 4)), np.ones(2), lr=0.1, steps=1),
     "same number of samples"),
    (lambda: gradient_descent_least_squares(np.ones((3, 4)), np.ones(3), lr=0.1, steps=1,
                                            w0=np.ones(3)), "w0 must have one entry per feature"),
    (lambda: adam_least_squares(np.ones((3, 4)), np.ones(3), lr=0.1, steps=1, betas=(1.0, 0.9)),
     r"betas\[0\] must be in \[0.0, 1.0\), got 1.0"),
    (lambda: gradient_flow(lambda w: w, [1.0], times=[1.0, 0.5]), "times must be non-negative"),
    (lambda: modified_gradient(lambda w: w, None, 0.1), "must be callable"),
    (lambda: modified_gradient(lambda w: w, lambda w, v: v, -0.1), "lr must be in"),
    (lambda: factorization_loss([1.0, 2.0, 3.0]), "w must hold two parameters"),
])
def test_bad_input_is_named(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
