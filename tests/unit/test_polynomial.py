import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook.datasets import make_noisy_curve
from regbook.polynomial import PolynomialRidge, polynomial_features


def test_features_are_powers_without_constant():
    X = np.array([[2.0, -1.0]])
    assert np.array_equal(polynomial_features(X, 3), [[2, 4, 8, -1, 1, -1]])


def test_exact_polynomial_is_recovered():
    x = np.linspace(-1, 1, 30)
    y = 0.5 - 2 * x + 3 * x**3
    model = PolynomialRidge(degree=3).fit(x[:, None], y)
    assert model.intercept_ == pytest.approx(0.5)
    assert np.allclose(model.coef_, [-2, 0, 3], atol=1e-9)


def test_matches_sklearn_pipeline_of_features_and_ridge():
    from sklearn.linear_model import Ridge
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import PolynomialFeatures

    x, y = make_noisy_curve(25, rng=1)
    ours = PolynomialRidge(degree=5, alpha=0.3).fit(x[:, None], y)
    theirs = make_pipeline(PolynomialFeatures(5, include_bias=False), Ridge(alpha=0.3)).fit(x[:, None], y)
    assert np.allclose(ours.predict(x[:, None]), theirs.predict(x[:, None]), rtol=1e-8)


@settings(max_examples=25, deadline=None)
@given(st.integers(1, 8), st.floats(1e-6, 1e3), st.floats(1.5, 10))
def test_coefficient_norm_shrinks_as_alpha_grows(degree, alpha, factor):
    x, y = make_noisy_curve(20, rng=0)
    small = PolynomialRidge(degree, alpha).fit(x[:, None], y)
    large = PolynomialRidge(degree, alpha * factor).fit(x[:, None], y)
    assert np.linalg.norm(large.coef_) <= np.linalg.norm(small.coef_) + 1e-12


@pytest.mark.parametrize("params, match", [
    ({"degree": 0}, "degree"), ({"degree": 2.5}, "degree"), ({"alpha": -1.0}, "alpha"),
    ({"alpha": float("nan")}, "alpha"), ({"alpha": float("inf")}, "alpha")])
def test_bad_parameters_are_named(params, match):
    with pytest.raises((ValueError, TypeError), match=match):
        PolynomialRidge(**params).fit(np.zeros((3, 1)), np.zeros(3))


def test_polynomial_features_rejects_what_is_not_a_finite_matrix():
    with pytest.raises(ValueError, match=r"X must be 2-dimensional, got shape \(2, 2, 2\)"):
        polynomial_features(np.zeros((2, 2, 2)), 2)
    with pytest.raises(ValueError, match="X must be 2-dimensional"):
        polynomial_features(np.zeros(3), 2)
    with pytest.raises(ValueError, match="X must contain only finite values"):
        polynomial_features(np.array([[np.nan]]), 2)
