"""Tests for regbook.linear: agreement with scikit-learn, behaviour, and bad-input errors."""

import subprocess
import sys
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning, NotFittedError

from regbook import linear
from regbook.linear import (
    ElasticNet,
    Lasso,
    Ridge,
    coordinate_descent_sweep,
    regularization_path,
    ridge_closed_form,
    soft_threshold,
)

CONVERGED = {"tol": 1e-10, "max_iter": 100_000}
ALPHAS = [1e-4, 1e-2, 1.0, 1e2, 1e3]


def diabetes():
    return load_diabetes(return_X_y=True)


def wide(seed=1):
    """More features than samples (p > n), with a sparse truth."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(30, 60))
    y = X[:, :5] @ np.array([3.0, -2.0, 1.5, 1.0, -1.0]) + 0.5 * rng.normal(size=30)
    return X, y


def collinear(seed=2, jitter=0.0):
    """Columns 4 and 5 repeat columns 0 and 1 + 2 (exactly, or up to ``jitter`` noise)."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(60, 4))
    X = np.column_stack([Z, Z[:, 0], Z[:, 1] + Z[:, 2]])
    X[:, 4:] += jitter * rng.normal(size=(60, 2))
    y = Z @ np.array([1.0, -2.0, 0.5, 0.0]) + 0.1 * rng.normal(size=60)
    return X, y


def sparse_problem(seed=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(100, 20))
    y = X[:, :3] @ np.array([2.0, -3.0, 1.0]) + 0.5 * rng.normal(size=100)
    return X, y


DATASETS = {"diabetes": diabetes, "p>n": wide}


def enet_objective(X, y, model, alpha, l1_ratio):
    """scikit-learn's elastic-net objective at the fitted coefficients and intercept."""
    residual = y - X @ model.coef_ - model.intercept_
    return (residual @ residual / (2 * len(y)) + alpha * l1_ratio * np.abs(model.coef_).sum()
            + 0.5 * alpha * (1 - l1_ratio) * model.coef_ @ model.coef_)


def assert_same_fit(ours, theirs, y):
    # Coefficients that are exactly zero in one fit may be ~1e-13 in the other: the atol
    # covers only that, far below the rtol of 1e-6 on the coefficients that matter.
    atol = 1e-10 * max(np.abs(theirs.coef_).max(), 1.0)
    assert_allclose(ours.coef_, theirs.coef_, rtol=1e-6, atol=atol)
    assert_allclose(ours.intercept_, theirs.intercept_, rtol=1e-6, atol=1e-10 * np.abs(y).max())


# --------------------------------------------------------------------------------------------
# Same answers as scikit-learn
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("data", ["diabetes", "p>n", "collinear"])
def test_ridge_matches_sklearn(data, alpha, fit_intercept):
    X, y = collinear() if data == "collinear" else DATASETS[data]()
    ours = Ridge(alpha=alpha, fit_intercept=fit_intercept).fit(X, y)
    # The SVD solver is scikit-learn's most accurate one, the fair reference for collinear X.
    theirs = sk.Ridge(alpha=alpha, fit_intercept=fit_intercept, solver="svd").fit(X, y)
    assert_same_fit(ours, theirs, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", ALPHAS)
@pytest.mark.parametrize("model", ["lasso", "elasticnet"])
def test_coordinate_descent_matches_sklearn_on_diabetes(model, alpha, fit_intercept):
    X, y = diabetes()
    kwargs = {"alpha": alpha, "fit_intercept": fit_intercept, **CONVERGED}
    if model == "lasso":
        ours, theirs = Lasso(**kwargs).fit(X, y), sk.Lasso(**kwargs).fit(X, y)
    else:
        ours = ElasticNet(l1_ratio=0.3, **kwargs).fit(X, y)
        theirs = sk.ElasticNet(l1_ratio=0.3, **kwargs).fit(X, y)
    assert_same_fit(ours, theirs, y)


@pytest.mark.parametrize("fit_intercept", [True, False])
@pytest.mark.parametrize("alpha", [1e-2, 1e-1, 1.0, 10.0])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_coordinate_descent_matches_sklearn_when_p_exceeds_n(l1_ratio, alpha, fit_intercept):
    X, y = wide()
    kwargs = {"alpha": alpha, "l1_ratio": l1_ratio, "fit_intercept": fit_intercept, **CONVERGED}
    assert_same_fit(ElasticNet(**kwargs).fit(X, y), sk.ElasticNet(**kwargs).fit(X, y), y)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
@pytest.mark.parametrize("alpha", [1e-3, 1e-2, 1e-1, 1.0])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_nearly_collinear_objective_matches_sklearn(l1_ratio, alpha):
    # With nearly equal columns the optimum is flat along their difference, so coefficients
    # are ill-determined (and both solvers converge slowly); the objective value is not.
    X, y = collinear(jitter=1e-4)
    kwargs = {"alpha": alpha, "l1_ratio": l1_ratio, "tol": 1e-10, "max_iter": 3000}
    ours = enet_objective(X, y, ElasticNet(**kwargs).fit(X, y), alpha, l1_ratio)
    theirs = enet_objective(X, y, sk.ElasticNet(**kwargs).fit(X, y), alpha, l1_ratio)
    assert ours == pytest.approx(theirs, rel=1e-8)


def test_without_intercept_the_intercept_is_zero():
    X, y = diabetes()
    for model in (Ridge(fit_intercept=False), Lasso(alpha=0.1, fit_intercept=False),
                  ElasticNet(alpha=0.01, fit_intercept=False)):
        assert model.fit(X, y).intercept_ == 0.0


# --------------------------------------------------------------------------------------------
# Behaviour
# --------------------------------------------------------------------------------------------

def test_lasso_gives_exact_zeros():
    X, y = sparse_problem()
    coef = Lasso(alpha=0.1).fit(X, y).coef_
    assert np.all(coef[:3] != 0.0)
    assert np.sum(coef == 0.0) >= 10  # exact zeros, not merely small


def test_lasso_is_all_zero_exactly_above_alpha_max():
    X, y = sparse_problem()
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    alpha_max = np.abs(Xc.T @ yc).max() / len(y)  # smallest alpha with w = 0 optimal
    assert_array_equal(Lasso(alpha=alpha_max * 1.001).fit(X, y).coef_, 0.0)
    assert np.count_nonzero(Lasso(alpha=alpha_max * 0.99, **CONVERGED).fit(X, y).coef_) == 1


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**16),
       alphas=st.lists(st.floats(1e-4, 1e4), min_size=2, max_size=6, unique=True))
def test_ridge_coefficient_norm_shrinks_as_alpha_grows(seed, alphas):
    rng = np.random.default_rng(seed)
    X, y = rng.normal(size=(20, 5)), rng.normal(size=20)
    norms = [np.linalg.norm(Ridge(alpha=a).fit(X, y).coef_) for a in sorted(alphas)]
    assert np.all(np.diff(norms) <= 1e-12 * norms[0])


def test_ridge_tends_to_least_squares_as_alpha_goes_to_zero():
    X, y = diabetes()
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    ols = np.linalg.lstsq(Xc, yc, rcond=None)[0]
    errors = [np.abs(Ridge(alpha=a).fit(X, y).coef_ - ols).max() for a in [1.0, 1e-2, 1e-4, 1e-6]]
    assert np.all(np.diff(errors) < 0)
    assert_allclose(Ridge(alpha=1e-10).fit(X, y).coef_, ols, rtol=1e-6)
    assert_allclose(Ridge(alpha=0.0).fit(X, y).coef_, ols, rtol=1e-8)


def test_ridge_without_penalty_on_collinear_columns_is_the_minimum_norm_solution():
    X, y = collinear()
    Xc, yc = X - X.mean(axis=0), y - y.mean()
    assert_allclose(Ridge(alpha=0.0).fit(X, y).coef_, np.linalg.pinv(Xc) @ yc, rtol=1e-8)


@pytest.mark.parametrize("data", ["diabetes", "p>n"])
def test_ridge_agrees_with_ridge_closed_form(data):
    X, y = DATASETS[data]()
    assert_allclose(Ridge(alpha=0.5, fit_intercept=False).fit(X, y).coef_,
                    ridge_closed_form(X, y, 0.5), rtol=1e-8)


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5, 0.0])
def test_one_sweep_of_the_fast_solver_is_the_readable_sweep(l1_ratio):
    X, y = wide()
    with pytest.warns(ConvergenceWarning):
        fast = ElasticNet(alpha=0.5, l1_ratio=l1_ratio, fit_intercept=False, max_iter=1,
                          tol=0.0).fit(X, y)
    assert fast.n_iter_ == 1
    readable = coordinate_descent_sweep(X, y, np.zeros(X.shape[1]), 0.5, l1_ratio)
    assert_allclose(fast.coef_, readable, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("zero_columns", [False, True])
@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
@pytest.mark.parametrize("gram", [True, False])
@pytest.mark.parametrize("shape", [(40, 8), (15, 30)])
def test_compiled_sweep_equals_the_readable_sweep(shape, gram, l1_ratio, zero_columns, seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=shape) * rng.uniform(0.1, 3.0, size=shape[1])
    if zero_columns:
        X[:, [1, shape[1] - 2]] = 0.0
    y = X[:, :3] @ np.array([2.0, -1.0, 0.5]) + rng.normal(size=shape[0])
    w_start = rng.normal(size=shape[1])  # not zero: every kept quantity starts non-trivial
    alpha = 0.05 * np.abs(X.T @ y).max() / shape[0]
    readable = coordinate_descent_sweep(X, y, w_start, alpha, l1_ratio)
    problem = linear._least_squares_problem(X, y, gram=gram)
    compiled = w_start.copy()
    n = shape[0]
    problem.one_sweep(compiled, n * alpha * l1_ratio, n * alpha * (1 - l1_ratio))
    assert np.any(readable == 0.0) and np.any(readable != w_start)
    assert_allclose(compiled, readable, rtol=1e-12, atol=1e-12)
    assert_array_equal(compiled == 0.0, readable == 0.0)


def test_strided_input_without_intercept_gives_the_same_fit():
    rng = np.random.default_rng(4)
    X_wide, Y = rng.normal(size=(12, 60)), rng.normal(size=(12, 2))
    X, y = X_wide[:, ::2], Y[:, 0]  # views: neither is contiguous
    contiguous = np.ascontiguousarray
    for model in (Lasso(alpha=0.05, fit_intercept=False),
                  ElasticNet(alpha=0.05, fit_intercept=False)):
        assert_array_equal(model.fit(X, y).coef_, model.fit(contiguous(X), contiguous(y)).coef_)
    for data in ((X, y), (X[:10, :8], y[:10])):  # p > n (residual) and n > p (Gram)
        # X'X of a view and of a copy may round differently, hence a tolerance.
        assert_allclose(
            regularization_path(*data, [0.1, 0.01], fit_intercept=False),
            regularization_path(*map(contiguous, data), [0.1, 0.01], fit_intercept=False),
            rtol=1e-12, atol=1e-14)


def test_a_missing_compiled_solver_fails_at_import_and_says_how_to_build_it():
    code = ("import sys; sys.modules['regbook._coordinate_descent'] = None; "
            "import regbook.linear")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0
    assert "ImportError: regbook's compiled solver regbook._coordinate_descent" in result.stderr
    assert "run `make`" in result.stderr


@pytest.mark.parametrize("l1_ratio", [1.0, 0.5])
def test_repeated_readable_sweeps_converge_to_the_fast_solver(l1_ratio):
    X, y = sparse_problem()
    w = np.zeros(X.shape[1])
    for _ in range(200):
        w = coordinate_descent_sweep(X, y, w, 0.1, l1_ratio)
    fast = ElasticNet(alpha=0.1, l1_ratio=l1_ratio, fit_intercept=False, **CONVERGED).fit(X, y)
    assert_allclose(w, fast.coef_, rtol=1e-8, atol=1e-10)
    assert_array_equal(w == 0.0, fast.coef_ == 0.0)


@pytest.mark.parametrize("model", ["lasso", "elasticnet", "ridge"])
def test_path_with_warm_starts_equals_cold_fits(model):
    X, y = diabetes()
    alphas = np.array([0.1, 10.0, 1e-3, 1.0, 0.01])  # any order
    path = regularization_path(X, y, alphas, model=model, l1_ratio=0.7, **CONVERGED)
    assert path.shape == (alphas.size, X.shape[1])
    for alpha, coef in zip(alphas, path):
        cold = {"lasso": Lasso(alpha=alpha, **CONVERGED),
                "elasticnet": ElasticNet(alpha=alpha, l1_ratio=0.7, **CONVERGED),
                "ridge": Ridge(alpha=alpha)}[model]
        assert_allclose(coef, cold.fit(X, y).coef_, rtol=1e-7, atol=1e-9)


def test_path_lasso_gets_sparser_as_alpha_grows():
    X, y = sparse_problem()
    path = regularization_path(X, y, np.logspace(-3, 1, 12), model="lasso")
    assert np.all(np.diff(np.count_nonzero(path, axis=1)) <= 0)


def test_soft_threshold_scalars_and_arrays():
    assert soft_threshold(3.0, 1.0) == 2.0
    assert soft_threshold(-3.0, 1.0) == -2.0
    assert soft_threshold(0.5, 1.0) == 0.0
    assert isinstance(soft_threshold(0.5, 1.0), float)
    assert_array_equal(soft_threshold([[-3.0, -0.5], [0.5, 2.0]], 1.0), [[-2.0, 0.0], [0.0, 1.0]])


@given(z=st.floats(-1e6, 1e6), threshold=st.floats(0.0, 1e6))
def test_soft_threshold_shrinks_towards_zero_by_threshold(z, threshold):
    shrunk = soft_threshold(z, threshold)
    assert abs(shrunk) == pytest.approx(max(abs(z) - threshold, 0.0))
    assert shrunk == 0.0 or np.sign(shrunk) == np.sign(z)


def test_n_iter_counts_sweeps_and_max_iter_warns():
    X, y = diabetes()
    with pytest.warns(ConvergenceWarning, match="max_iter=3"):
        model = Lasso(alpha=1e-4, max_iter=3, tol=1e-12).fit(X, y)
    assert model.n_iter_ == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        model = Lasso(alpha=0.1).fit(X, y)
    assert 1 <= model.n_iter_ < 1000


@pytest.mark.parametrize("model", [Ridge(), Lasso(), ElasticNet()])
def test_predict_before_fit_raises(model):
    with pytest.raises(NotFittedError):
        model.predict(np.ones((2, 3)))


def test_predict_is_linear():
    X, y = diabetes()
    model = Lasso(alpha=0.1).fit(X, y)
    assert_allclose(model.predict(X[:5]), X[:5] @ model.coef_ + model.intercept_)


# --------------------------------------------------------------------------------------------
# Bad input
# --------------------------------------------------------------------------------------------

ESTIMATOR_CLASSES = [Ridge, Lasso, ElasticNet]
X_OK, Y_OK = np.arange(12.0).reshape(4, 3) ** 1.5, np.array([1.0, 2.0, 0.5, 3.0])


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_negative_alpha_is_rejected_at_fit(cls):
    model = cls(alpha=-1.0)  # __init__ only stores parameters
    with pytest.raises(ValueError, match=r"alpha must be in \[0\.0, inf\), got -1\.0"):
        model.fit(X_OK, Y_OK)


@pytest.mark.parametrize("alpha", [np.nan, np.inf])
@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_non_finite_alpha_is_rejected(cls, alpha):
    with pytest.raises(ValueError, match=f"alpha must be a finite number, got {alpha}"):
        cls(alpha=alpha).fit(X_OK, Y_OK)


@pytest.mark.parametrize("l1_ratio", [-0.1, 1.5, np.nan])
def test_l1_ratio_outside_unit_interval_is_rejected(l1_ratio):
    with pytest.raises(ValueError, match="l1_ratio"):
        ElasticNet(l1_ratio=l1_ratio).fit(X_OK, Y_OK)
    with pytest.raises(ValueError, match="l1_ratio"):
        regularization_path(X_OK, Y_OK, [1.0], model="elasticnet", l1_ratio=l1_ratio)


@pytest.mark.parametrize("param, value", [("max_iter", 0), ("tol", -1.0)])
@pytest.mark.parametrize("cls", [Lasso, ElasticNet])
def test_bad_solver_settings_are_rejected(cls, param, value):
    with pytest.raises(ValueError, match=f"{param} must be in"):
        cls(**{param: value}).fit(X_OK, Y_OK)


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_non_finite_data_is_rejected(cls):
    X_nan, y_inf = X_OK.copy(), Y_OK.copy()
    X_nan[1, 2], y_inf[0] = np.nan, np.inf
    with pytest.raises(ValueError, match="Input X contains NaN"):
        cls().fit(X_nan, Y_OK)
    with pytest.raises(ValueError, match="Input y contains infinity"):
        cls().fit(X_OK, y_inf)
    with pytest.raises(ValueError, match="Input X contains NaN"):
        cls().fit(X_OK, Y_OK).predict(X_nan)


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_mismatched_lengths_are_rejected(cls):
    with pytest.raises(ValueError, match="X and y must have the same number of samples, got 4 "
                                         "and 3"):
        cls().fit(X_OK, Y_OK[:3])


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_empty_data_is_rejected(cls):
    with pytest.raises(ValueError, match=r"X must contain at least one sample, got shape \(0, 3\)"):
        cls().fit(np.empty((0, 3)), np.empty(0))
    with pytest.raises(ValueError, match=r"0 feature\(s\)"):
        cls().fit(np.empty((4, 0)), Y_OK)


@pytest.mark.parametrize("cls", ESTIMATOR_CLASSES)
def test_fit_intercept_must_be_a_bool(cls):
    with pytest.raises(TypeError, match="fit_intercept must be a bool, got 'yes'"):
        cls(fit_intercept="yes").fit(X_OK, Y_OK)


def test_regularization_path_rejects_bad_input():
    with pytest.raises(ValueError, match=r"alphas must be in \[0\.0, inf\), got -1\.0"):
        regularization_path(X_OK, Y_OK, [1.0, -1.0])
    with pytest.raises(ValueError, match="alphas must contain only finite values"):
        regularization_path(X_OK, Y_OK, [np.nan])
    with pytest.raises(ValueError, match="model must be 'lasso', 'ridge' or 'elasticnet', "
                                         "got 'lars'"):
        regularization_path(X_OK, Y_OK, [1.0], model="lars")
    with pytest.raises(ValueError, match="X must contain only finite values"):
        regularization_path(np.full((4, 3), np.nan), Y_OK, [1.0])
    with pytest.raises(ValueError, match="X and y must have the same number of samples"):
        regularization_path(X_OK, Y_OK[:2], [1.0])
    with pytest.raises(ValueError, match="X must not be empty"):
        regularization_path(np.empty((0, 3)), np.empty(0), [1.0])


def test_helpers_reject_bad_penalties():
    with pytest.raises(ValueError, match=r"threshold must be in \[0\.0, inf\), got -1\.0"):
        soft_threshold(1.0, -1.0)
    with pytest.raises(ValueError, match=r"alpha must be in \[0\.0, inf\), got -0\.5"):
        coordinate_descent_sweep(X_OK, Y_OK, np.zeros(3), alpha=-0.5)
    with pytest.raises(ValueError, match=r"l1_ratio must be in \[0\.0, 1\.0\], got 2\.0"):
        coordinate_descent_sweep(X_OK, Y_OK, np.zeros(3), alpha=0.5, l1_ratio=2.0)
