"""regbook.model_selection: K-fold CV curves, the one-standard-error rule, elastic-net conversion."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from sklearn.linear_model import ElasticNet as SkElasticNet
from sklearn.linear_model import Lasso as SkLasso
from sklearn.model_selection import cross_val_score

from regbook.linear import ElasticNet, Lasso, Ridge
from regbook.model_selection import (
    cross_validation_curve,
    elastic_net_parameters,
    kfold_indices,
    one_standard_error_rule,
)


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(80, 5))
    y = X @ np.array([2.0, -1.0, 0.0, 0.0, 0.5]) + rng.normal(size=80)
    return X, y


# ---- kfold_indices -------------------------------------------------------------------------

@given(n=st.integers(2, 60), k=st.integers(2, 10), seed=st.integers(0, 1000))
@settings(max_examples=40, deadline=None)
def test_folds_partition_the_samples(n, k, seed):
    if k > n:
        return
    folds = kfold_indices(n, k, rng=seed)
    tests = np.concatenate([test for _, test in folds])
    assert sorted(tests.tolist()) == list(range(n))
    sizes = [len(test) for _, test in folds]
    assert max(sizes) - min(sizes) <= 1
    for train, test in folds:
        assert not set(train) & set(test)
        assert len(train) + len(test) == n


def test_folds_are_reproducible_and_shuffled():
    a, b = kfold_indices(50, 5, rng=1), kfold_indices(50, 5, rng=1)
    assert all(np.array_equal(x[1], y[1]) for x, y in zip(a, b))
    assert not np.array_equal(a[0][1], np.arange(10))


@pytest.mark.parametrize("kwargs, match", [
    ({"n_samples": 10, "n_splits": 1}, "n_splits must be in"),
    ({"n_samples": 3, "n_splits": 5}, "n_samples must be in"),
    ({"n_samples": 10, "n_splits": 2.5}, "n_splits must be an integer"),
    ({"n_samples": 10, "rng": -1}, "rng must be"),
])
def test_kfold_bad_input(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        kfold_indices(**kwargs)


# ---- cross_validation_curve ----------------------------------------------------------------

def test_cv_mean_matches_sklearn_cross_val_score_on_the_same_folds(data):
    X, y = data
    alphas = [0.01, 0.1, 1.0]
    curve = cross_validation_curve(Lasso(tol=1e-10, max_iter=10_000), X, y, alphas,
                                   n_splits=5, rng=7)
    folds = kfold_indices(len(y), 5, rng=7)
    for i, alpha in enumerate(alphas):
        scores = -cross_val_score(SkLasso(alpha=alpha, tol=1e-10, max_iter=10_000), X, y,
                                  cv=folds, scoring="neg_mean_squared_error")
        np.testing.assert_allclose(curve.fold_errors[i], scores, rtol=1e-6)
        np.testing.assert_allclose(curve.mean[i], scores.mean(), rtol=1e-6)
        np.testing.assert_allclose(curve.standard_error[i],
                                   scores.std(ddof=1) / np.sqrt(5), rtol=1e-6)


def test_cv_sets_another_parameter_and_keeps_alpha_order(data):
    X, y = data
    curve = cross_validation_curve(ElasticNet(alpha=0.1), X, y, [1.0, 0.2], param="l1_ratio",
                                   n_splits=4, rng=0)
    assert curve.fold_errors.shape == (2, 4)
    np.testing.assert_array_equal(curve.alphas, [1.0, 0.2])


def test_cv_error_is_u_shaped_for_ridge(data):
    X, y = data
    alphas = np.logspace(-3, 5, 9)
    curve = cross_validation_curve(Ridge(), X, y, alphas, rng=0)
    best = int(np.argmin(curve.mean))
    assert curve.mean[-1] > 2 * curve.mean[best]
    assert np.all(curve.standard_error > 0)


@pytest.mark.parametrize("kwargs, match", [
    ({"alphas": [-1.0]}, "alphas must be in"),
    ({"alphas": [np.nan]}, "alphas must contain only finite"),
    ({"param": "lambda"}, "param must name a parameter of Lasso"),
    ({"n_splits": 1}, "n_splits must be in"),
])
def test_cv_bad_input(data, kwargs, match):
    X, y = data
    arguments = {"alphas": [0.1], **kwargs}
    with pytest.raises(ValueError, match=match):
        cross_validation_curve(Lasso(), X, y, **arguments)


def test_cv_rejects_mismatched_lengths(data):
    X, y = data
    with pytest.raises(ValueError, match="same number of samples"):
        cross_validation_curve(Lasso(), X, y[:-1], [0.1])


# ---- one_standard_error_rule ---------------------------------------------------------------

def test_one_se_rule_picks_the_largest_alpha_within_one_se():
    alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
    mean = [3.0, 2.0, 2.3, 2.35, 5.0]
    se = [0.1, 0.4, 0.1, 0.1, 0.1]
    assert one_standard_error_rule(alphas, mean, se) == 10.0
    assert one_standard_error_rule(alphas[::-1], mean[::-1], se[::-1]) == 10.0


def test_one_se_rule_uses_the_se_at_the_minimum_not_elsewhere():
    # The SE at alpha = 10 is huge, but only the SE at the minimum sets the threshold.
    assert one_standard_error_rule([1.0, 10.0], [1.0, 3.0], [0.1, 5.0]) == 1.0


@given(st.lists(st.tuples(st.floats(0, 1e3), st.floats(0, 10), st.floats(0, 2)),
                min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_one_se_choice_is_within_one_se_and_never_below_the_minimiser(rows):
    alphas, mean, se = map(np.array, zip(*rows))
    chosen = one_standard_error_rule(alphas, mean, se)
    best = int(np.argmin(mean))
    assert chosen >= alphas[best]
    assert np.min(mean[alphas == chosen]) <= mean[best] + se[best]


@pytest.mark.parametrize("args, match", [
    (([1.0, 2.0], [1.0], [0.1, 0.1]), "same length"),
    (([1.0], [1.0], [-0.1]), "standard_error must be in"),
    (([-1.0], [1.0], [0.1]), "alphas must be in"),
    (([1.0], [np.inf], [0.1]), "mean must contain only finite"),
])
def test_one_se_bad_input(args, match):
    with pytest.raises(ValueError, match=match):
        one_standard_error_rule(*args)


# ---- elastic_net_parameters ----------------------------------------------------------------

@pytest.mark.parametrize("data_term", ["mse", "half_mse", "sum"])
def test_conversion_minimises_the_two_penalty_objective(data, data_term):
    X, y = data
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    n = len(y)
    l1_penalty, l2_penalty = (0.3, 0.2) if data_term != "sum" else (20.0, 15.0)
    alpha, l1_ratio = elastic_net_parameters(l1_penalty, l2_penalty, data_term=data_term,
                                             n_samples=n)
    w = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, fit_intercept=False, tol=1e-12,
                     max_iter=100_000).fit(Xc, yc).coef_
    scale = {"mse": 1.0 / n, "half_mse": 0.5 / n, "sum": 1.0}[data_term]

    def objective(uv):  # w = u - v with u, v >= 0 makes the L1 term smooth
        u, v = uv[:5], uv[5:]
        r = yc - Xc @ (u - v)
        return (scale * r @ r + l1_penalty * (u + v).sum() + l2_penalty * (u - v) @ (u - v))

    result = minimize(objective, np.ones(10), method="L-BFGS-B", bounds=[(0, None)] * 10,
                      options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 10_000})
    w_direct = result.x[:5] - result.x[5:]
    np.testing.assert_allclose(w, w_direct, atol=1e-4)


def test_conversion_edge_cases():
    assert elastic_net_parameters(0.0, 0.0) == (0.0, 1.0)
    assert elastic_net_parameters(0.5, 0.0) == (0.25, 1.0)
    assert elastic_net_parameters(0.0, 0.5) == (0.5, 0.0)
    assert elastic_net_parameters(1.0, 1.0, data_term="sum", n_samples=10) == pytest.approx((0.15, 1 / 3))


@pytest.mark.parametrize("kwargs, match", [
    ({"l1_penalty": -1.0, "l2_penalty": 0.0}, "l1_penalty must be in"),
    ({"l1_penalty": 0.0, "l2_penalty": np.nan}, "l2_penalty must be a finite"),
    ({"l1_penalty": 1.0, "l2_penalty": 1.0, "data_term": "rss"}, "data_term must be one of"),
    ({"l1_penalty": 1.0, "l2_penalty": 1.0, "data_term": "sum"}, "n_samples must be given"),
])
def test_conversion_bad_input(kwargs, match):
    with pytest.raises(ValueError, match=match):
        elastic_net_parameters(**kwargs)


def test_regbook_and_sklearn_agree_on_converted_parameters(data):
    X, y = data
    alpha, l1_ratio = elastic_net_parameters(0.1, 0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours = ElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10).fit(X, y).coef_
    theirs = SkElasticNet(alpha=alpha, l1_ratio=l1_ratio, tol=1e-10).fit(X, y).coef_
    np.testing.assert_allclose(ours, theirs, atol=1e-6)


def test_cross_validation_curve_names_n_splits_when_there_are_too_few_rows():
    from sklearn.linear_model import Ridge as SkRidge

    from regbook.model_selection import cross_validation_curve

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(4, 2)), rng.normal(size=4)
    with pytest.raises(ValueError, match=r"n_splits must be in \[2, 4\], got 5"):
        cross_validation_curve(SkRidge(), X, y, [0.1, 1.0], n_splits=5, rng=0)
