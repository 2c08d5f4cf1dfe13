"""regbook.bayes: MAP = ridge / lasso with the stated alphas, the closed-form Gaussian posterior,
grid posteriors, and errors on bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from regbook import bayes
from regbook.linear import Lasso, Ridge


def make_data(seed=0, n=40, d=4, sigma=0.5):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = np.array([2.0, 0.0, -1.0, 0.5, 0.0, 1.0][:d])
    return X, X @ w + sigma * rng.normal(size=n)


# ---- the prior <-> penalty correspondence -------------------------------------------------------

def test_ridge_alpha_is_noise_over_prior_variance():
    assert bayes.ridge_alpha_from_prior(sigma=3.0, tau=2.0) == pytest.approx(9.0 / 4.0)


def test_lasso_alpha_is_noise_variance_over_n_times_scale():
    assert bayes.lasso_alpha_from_prior(sigma=3.0, b=2.0, n_samples=10) == pytest.approx(9.0 / 20.0)


def test_wider_prior_means_weaker_penalty():
    assert bayes.ridge_alpha_from_prior(1.0, 10.0) < bayes.ridge_alpha_from_prior(1.0, 0.1)
    assert bayes.lasso_alpha_from_prior(1.0, 10.0, 5) < bayes.lasso_alpha_from_prior(1.0, 0.1, 5)


@pytest.mark.parametrize("seed, sigma, tau", [(0, 0.5, 1.0), (1, 2.0, 0.3), (2, 1.0, 10.0)])
def test_gaussian_map_is_ridge(seed, sigma, tau):
    X, y = make_data(seed)
    ridge = Ridge(alpha=bayes.ridge_alpha_from_prior(sigma, tau), fit_intercept=False).fit(X, y)
    w_map = bayes.map_estimate(X, y, sigma, "gaussian", tau)
    np.testing.assert_allclose(w_map, ridge.coef_, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("seed, sigma, b", [(0, 0.5, 0.05), (1, 1.0, 0.5), (2, 2.0, 0.1)])
def test_laplace_map_is_lasso_with_the_same_zeros(seed, sigma, b):
    X, y = make_data(seed)
    alpha = bayes.lasso_alpha_from_prior(sigma, b, X.shape[0])
    lasso = Lasso(alpha=alpha, fit_intercept=False, tol=1e-12, max_iter=100_000).fit(X, y)
    w_map = bayes.map_estimate(X, y, sigma, "laplace", b)
    np.testing.assert_allclose(w_map, lasso.coef_, rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(w_map == 0, lasso.coef_ == 0)
    nlp = [bayes.negative_log_posterior(w, X, y, sigma, "laplace", b) for w in (w_map, lasso.coef_)]
    assert nlp[0] == pytest.approx(nlp[1], rel=1e-10)


def test_laplace_map_has_exact_zeros_under_a_strong_prior():
    X, y = make_data(3)
    w_map = bayes.map_estimate(X, y, 0.5, "laplace", 0.01)
    assert np.sum(w_map == 0.0) >= 2


@settings(max_examples=20, deadline=None)
@given(st.floats(0.05, 5.0), st.floats(1.1, 10.0))
def test_map_norm_shrinks_as_the_prior_narrows(scale, factor):
    X, y = make_data(4, n=20, d=3)
    for prior in bayes.PRIORS:
        wide = bayes.map_estimate(X, y, 1.0, prior, scale * factor)
        narrow = bayes.map_estimate(X, y, 1.0, prior, scale)
        assert np.linalg.norm(narrow) <= np.linalg.norm(wide) + 1e-7


# ---- the negative log posterior --------------------------------------------------------------

@pytest.mark.parametrize("prior, density", [("gaussian", stats.norm), ("laplace", stats.laplace)])
def test_negative_log_posterior_is_minus_log_of_likelihood_times_prior(prior, density):
    X, y = make_data(5, n=8, d=3)
    w, sigma, scale = np.array([0.3, -0.2, 1.0]), 0.7, 1.5
    expected = -(stats.norm(X @ w, sigma).logpdf(y).sum() + density(0, scale).logpdf(w).sum())
    assert bayes.negative_log_posterior(w, X, y, sigma, prior, scale) == pytest.approx(expected)


def test_negative_log_posterior_accepts_a_batch_of_weights():
    X, y = make_data(6, n=8, d=2)
    W = np.array([[0.0, 0.0], [1.0, -1.0], [2.0, 0.5]])
    batch = bayes.negative_log_posterior(W, X, y, 1.0, "laplace", 1.0)
    single = [bayes.negative_log_posterior(w, X, y, 1.0, "laplace", 1.0) for w in W]
    assert batch.shape == (3,)
    np.testing.assert_allclose(batch, single)


# ---- the Gaussian posterior ------------------------------------------------------------------

def test_gaussian_posterior_matches_bayes_rule_for_one_weight():
    # One weight, no data correlation: precision adds, mean is the precision-weighted average.
    X = np.array([[1.0], [1.0], [1.0]])
    y = np.array([1.0, 2.0, 3.0])
    post = bayes.gaussian_posterior(X, y, sigma=1.0, tau=2.0)
    precision = 3 / 1.0 + 1 / 4.0
    assert post.covariance[0, 0] == pytest.approx(1 / precision)
    assert post.mean[0] == pytest.approx(y.sum() / precision)


def test_gaussian_posterior_mean_is_ridge_and_map():
    X, y = make_data(7)
    post = bayes.gaussian_posterior(X, y, sigma=0.8, tau=0.6)
    ridge = Ridge(alpha=bayes.ridge_alpha_from_prior(0.8, 0.6), fit_intercept=False).fit(X, y)
    np.testing.assert_allclose(post.mean, ridge.coef_, rtol=1e-10)
    np.testing.assert_allclose(post.mean, bayes.map_estimate(X, y, 0.8, "gaussian", 0.6),
                               rtol=1e-6)


def test_gaussian_posterior_covariance_is_symmetric_positive_definite_and_shrinks_with_data():
    X, y = make_data(8, n=200)
    small = bayes.gaussian_posterior(X[:20], y[:20], 0.5, 1.0).covariance
    large = bayes.gaussian_posterior(X, y, 0.5, 1.0).covariance
    np.testing.assert_allclose(small, small.T)
    assert np.all(np.linalg.eigvalsh(small) > 0)
    assert np.all(np.diag(large) < np.diag(small))


def test_grid_posterior_moments_match_the_closed_form():
    X, y = make_data(9, n=15, d=2)
    grid = np.linspace(-2, 4, 401)
    on_grid = bayes.posterior_on_grid(X, y, 0.5, "gaussian", 1.0, grid, grid)
    exact = bayes.gaussian_posterior(X, y, 0.5, 1.0)
    np.testing.assert_allclose(on_grid.mean, exact.mean, atol=1e-4)
    cell = (grid[1] - grid[0]) ** 2
    assert on_grid.density.sum() * cell == pytest.approx(1.0)


def test_laplace_posterior_mean_is_not_sparse_although_its_mode_is():
    X, y = make_data(10, n=12, d=2, sigma=1.0)
    b = 0.1
    w_map = bayes.map_estimate(X, y, 1.0, "laplace", b)
    assert np.any(w_map == 0.0)
    grid = np.linspace(-1.5, 3.0, 361)
    mean = bayes.posterior_on_grid(X, y, 1.0, "laplace", b, grid, grid).mean
    assert np.all(np.abs(mean) > 1e-2)


def test_credible_interval_and_samples():
    post = bayes.GaussianPosterior(np.array([1.0, -2.0]), np.array([[0.04, 0.01], [0.01, 0.09]]))
    low, high = post.credible_interval(0.95)
    np.testing.assert_allclose(high - low, 2 * 1.959964 * np.array([0.2, 0.3]), rtol=1e-6)
    draws = bayes.posterior_samples(post, 40_000, rng=0)
    np.testing.assert_allclose(np.cov(draws.T), post.covariance, atol=3e-3)
    inside = np.mean((draws >= low) & (draws <= high), axis=0)
    np.testing.assert_allclose(inside, 0.95, atol=0.01)
    np.testing.assert_array_equal(draws, bayes.posterior_samples(post, 40_000, rng=0))


def test_predictive_variance_is_weight_part_plus_noise():
    X, y = make_data(11, n=30, d=3)
    post = bayes.gaussian_posterior(X, y, 0.5, 1.0)
    X_new = np.array([[0.0, 0.0, 0.0], [1.0, 2.0, -1.0]])
    mean, variance = bayes.predictive_distribution(X_new, post, sigma=0.5)
    assert variance[0] == pytest.approx(0.25)
    draws = bayes.posterior_samples(post, 50_000, rng=1) @ X_new[1]
    assert variance[1] - 0.25 == pytest.approx(draws.var(), rel=0.03)
    assert mean[1] == pytest.approx(X_new[1] @ post.mean)


# ---- bad input ---------------------------------------------------------------------------------

X_BAD, Y_BAD = make_data(12, n=6, d=2)


@pytest.mark.parametrize("call, match", [
    (lambda: bayes.ridge_alpha_from_prior(0.0, 1.0), "sigma"),
    (lambda: bayes.ridge_alpha_from_prior(1.0, -1.0), "tau"),
    (lambda: bayes.ridge_alpha_from_prior(float("nan"), 1.0), "sigma"),
    (lambda: bayes.lasso_alpha_from_prior(1.0, 0.0, 10), "b"),
    (lambda: bayes.lasso_alpha_from_prior(1.0, 1.0, 0), "n_samples"),
    (lambda: bayes.gaussian_posterior(X_BAD, Y_BAD, -1.0, 1.0), "sigma"),
    (lambda: bayes.gaussian_posterior(X_BAD, Y_BAD, 1.0, 0.0), "tau"),
    (lambda: bayes.map_estimate(X_BAD, Y_BAD, 1.0, "cauchy", 1.0), "prior"),
    (lambda: bayes.map_estimate(X_BAD, Y_BAD, 1.0, "laplace", 0.0), "scale"),
    (lambda: bayes.map_estimate(X_BAD, Y_BAD[:-1], 1.0, "laplace", 1.0), "same number"),
    (lambda: bayes.negative_log_posterior([1.0], X_BAD, Y_BAD, 1.0, "gaussian", 1.0), "w must"),
    (lambda: bayes.negative_log_posterior([1.0, 0.0], X_BAD, Y_BAD, 1.0, "Gaussian", 1.0),
     "prior"),
    (lambda: bayes.posterior_on_grid(np.ones((4, 3)), np.ones(4), 1.0, "gaussian", 1.0,
                                     [0.0, 1.0], [0.0, 1.0]), "2 columns"),
    (lambda: bayes.posterior_on_grid(X_BAD, Y_BAD, 1.0, "gaussian", 1.0, [1.0, 0.0], [0.0, 1.0]),
     "w1"),
    (lambda: bayes.GaussianPosterior(np.zeros(1), np.eye(1)).credible_interval(1.0), "level"),
])
def test_bad_input_is_rejected_with_the_parameter_name(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_posterior_arguments_must_be_gaussian_posteriors():
    with pytest.raises(TypeError, match="posterior"):
        bayes.predictive_distribution(np.ones((1, 2)), (np.zeros(2), np.eye(2)), 1.0)
    with pytest.raises(TypeError, match="posterior"):
        bayes.posterior_samples({"mean": 0}, 3)


# --- issue 14: GaussianPosterior checks its covariance ------------------------------------------

@pytest.mark.parametrize("mean, covariance, match", [
    ([1.0, 2.0], [[1.0, 0.0], [0.0, -1.0]], "covariance must be positive definite"),
    ([1.0, 2.0], [[1.0, 0.5], [0.0, 1.0]], "covariance must be symmetric"),
    ([1.0, 2.0], np.eye(3), r"covariance must have shape \(2, 2\)"),
    ([1.0, np.nan], np.eye(2), "mean must contain only finite values"),
    ([[1.0, 2.0]], np.eye(2), "mean must be 1-dimensional"),
    ([1.0, 2.0], [[1.0, np.inf], [np.inf, 1.0]], "covariance must contain only finite"),
])
def test_gaussian_posterior_rejects_a_bad_distribution(mean, covariance, match):
    with pytest.raises(ValueError, match=match):
        bayes.GaussianPosterior(np.asarray(mean), np.asarray(covariance))


def test_gaussian_posterior_keeps_valid_input():
    post = bayes.GaussianPosterior([1.0, -1.0], np.diag([0.01, 0.04]))
    assert post.mean.dtype == float and post.std.round(2).tolist() == [0.1, 0.2]
