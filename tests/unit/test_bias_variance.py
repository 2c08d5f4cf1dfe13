import numpy as np
import pytest

from regbook.bias_variance import bias_variance_decomposition
from regbook.datasets import make_noisy_curve, true_curve
from regbook.polynomial import PolynomialRidge

X_EVAL = np.linspace(-0.9, 0.9, 30)


def fit_predict(degree):
    return lambda x, y, x_new: PolynomialRidge(degree).fit(x[:, None], y).predict(x_new[:, None])


def draw(rng):
    return make_noisy_curve(30, noise=0.3, rng=rng)


@pytest.mark.parametrize("degree", [1, 3, 7])
def test_terms_add_up_to_measured_error(degree):
    r = bias_variance_decomposition(fit_predict(degree), draw, X_EVAL, true_curve(X_EVAL), 0.3,
                                    n_repeats=200, rng=degree)
    assert abs(r.test_error - r.total) < 4 * r.standard_error
    assert r.noise == pytest.approx(0.09)


def test_bias_plus_variance_is_mean_squared_distance_from_truth():
    r = bias_variance_decomposition(fit_predict(4), draw, X_EVAL, true_curve(X_EVAL), 0.3,
                                    n_repeats=50, rng=0)
    assert r.bias_squared + r.variance == pytest.approx(
        np.mean((r.predictions - true_curve(X_EVAL)) ** 2), rel=1e-12)


def test_constant_predictor_has_no_variance_and_known_bias():
    r = bias_variance_decomposition(lambda x, y, xe: np.zeros_like(xe), draw, X_EVAL,
                                    true_curve(X_EVAL), 0.3, n_repeats=10, rng=0)
    assert r.variance == 0
    assert r.bias_squared == pytest.approx(np.mean(true_curve(X_EVAL) ** 2))


def test_more_flexible_model_has_more_variance_and_less_bias():
    low = bias_variance_decomposition(fit_predict(1), draw, X_EVAL, true_curve(X_EVAL), 0.3, 100, 0)
    high = bias_variance_decomposition(fit_predict(8), draw, X_EVAL, true_curve(X_EVAL), 0.3, 100, 0)
    assert high.variance > low.variance and high.bias_squared < low.bias_squared


def test_wrong_prediction_shape_is_reported():
    with pytest.raises(ValueError, match="fit_predict must return shape"):
        bias_variance_decomposition(lambda x, y, xe: np.zeros(3), draw, X_EVAL, true_curve(X_EVAL),
                                    0.3, n_repeats=2, rng=0)


@pytest.mark.parametrize("kwargs, match", [({"noise": -1.0}, "noise"), ({"n_repeats": 1}, "n_repeats"),
                                           ({"n_bootstrap": 1}, "n_bootstrap")])
def test_bad_input_is_named(kwargs, match):
    args = {"noise": 0.3, "n_repeats": 5, **kwargs}
    with pytest.raises(ValueError, match=match):
        bias_variance_decomposition(fit_predict(1), draw, X_EVAL, true_curve(X_EVAL), rng=0, **args)


def test_bias_correction_removes_the_variance_over_repeats():
    # An unbiased learner whose fits scatter around the truth: true bias² is 0, variance 0.25.
    def noisy_truth(x, y, x_new):
        return true_curve(x_new) + 0.5 * np.random.default_rng(int(1e6 * abs(y[0]))).standard_normal(x_new.size)
    r = bias_variance_decomposition(noisy_truth, draw, X_EVAL, true_curve(X_EVAL), 0.3,
                                    n_repeats=20, rng=0)
    naive = np.mean((r.predictions.mean(axis=0) - true_curve(X_EVAL)) ** 2)
    assert naive == pytest.approx(r.variance / 20, rel=0.5)
    assert abs(r.bias_squared) < 4 * r.bias_squared_se
    assert r.variance == pytest.approx(0.25, abs=4 * r.variance_se)


def test_standard_errors_match_the_spread_over_monte_carlo_seeds():
    runs = [bias_variance_decomposition(fit_predict(3), draw, X_EVAL, true_curve(X_EVAL), 0.3,
                                        n_repeats=100, rng=seed, n_bootstrap=100) for seed in range(8)]
    spread = np.std([r.variance for r in runs], ddof=1)
    typical_se = np.mean([r.variance_se for r in runs])
    assert 0.4 < spread / typical_se < 2.5


def test_float_bootstrap_count_is_a_type_error():
    with pytest.raises(TypeError, match="n_bootstrap"):
        bias_variance_decomposition(fit_predict(1), draw, X_EVAL, true_curve(X_EVAL), 0.3,
                                    n_repeats=5, rng=0, n_bootstrap=1.5)


# --- chapter 15: the semi-synthetic task, curves over strengths, the six regularizers ---------------

from regbook.bias_variance import (REGULARIZERS, BiasVarianceCurve, SemiSyntheticTask,  # noqa: E402
                                   bias_variance_curve, make_diabetes_task, measure_regularizers)


@pytest.fixture(scope="module")
def task():
    return make_diabetes_task(n_train=50, n_eval=100, seed=0)


def _ridge_fit_predict(alpha, X, y, X_eval):
    x_mean, y_mean = X.mean(axis=0), y.mean()
    Xc = X - x_mean
    w = np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ (y - y_mean))
    return (X_eval - x_mean) @ w + y_mean


def test_task_rows_are_disjoint_and_training_sets_reproducible(task):
    assert isinstance(task, SemiSyntheticTask)
    assert np.intersect1d(task.train_pool, task.eval_rows).size == 0
    assert task.train_pool.size + task.eval_rows.size == task.X.shape[0] == 442
    np.testing.assert_allclose(task.X.mean(axis=0), 0, atol=1e-12)
    a, b = task.draw_training_set(3), task.draw_training_set(3)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    rows = [np.flatnonzero((task.X == x).all(axis=1))[0] for x in a[0]]
    assert set(rows) <= set(task.train_pool.tolist()) and len(set(rows)) == task.n_train


def test_truth_is_not_linear_in_the_features(task):
    design = np.column_stack([np.ones(442), task.X])
    residual = task.f - design @ np.linalg.lstsq(design, task.f, rcond=None)[0]
    assert residual.var() > 0.05 * task.f.var()
    assert 0 < task.noise < np.sqrt(np.var(task.f) * 2)


def test_curve_terms_add_up_to_the_measured_test_error(task):
    curve = bias_variance_curve(_ridge_fit_predict, [0.0, 10.0, 1000.0], task.draw_training_set,
                                task.x_eval, task.f_eval, task.noise, n_repeats=40, rng=0)
    assert isinstance(curve, BiasVarianceCurve)
    np.testing.assert_allclose(curve.bias_squared + curve.variance,
                               curve.distance_per_repeat.mean(axis=1), rtol=1e-10)
    gap = curve.test_error - curve.total
    assert np.all(np.abs(gap) < 4 * np.hypot(curve.test_error_se, curve.total_se))
    assert np.all(np.diff(curve.variance) < 0) and np.all(np.diff(curve.bias_squared) > 0)


def test_curve_bias_correction_matches_the_single_strength_estimator(task):
    fit = lambda X, y, Xe: _ridge_fit_predict(10.0, X, y, Xe)  # noqa: E731
    single = bias_variance_decomposition(fit, task.draw_training_set, task.x_eval, task.f_eval,
                                         task.noise, n_repeats=15, rng=5, n_bootstrap=2)
    # bias_variance_decomposition draws its training sets the same way, then its own test noise.
    curve = bias_variance_curve(_ridge_fit_predict, [10.0], task.draw_training_set, task.x_eval,
                                task.f_eval, task.noise, n_repeats=15, rng=5, n_bootstrap=2)
    assert curve.bias_squared[0] == pytest.approx(single.bias_squared, rel=1e-10)
    assert curve.variance[0] == pytest.approx(single.variance, rel=1e-10)


def test_path_mode_gives_the_same_curve(task):
    def path(alphas, X, y, X_eval):
        return np.array([_ridge_fit_predict(a, X, y, X_eval) for a in alphas])
    kwargs = dict(draw_training_set=task.draw_training_set, x_eval=task.x_eval, f_eval=task.f_eval,
                  noise=task.noise, n_repeats=10, rng=1, n_bootstrap=5)
    a = bias_variance_curve(_ridge_fit_predict, [0.0, 30.0], **kwargs)
    b = bias_variance_curve(path, [0.0, 30.0], path=True, **kwargs)
    np.testing.assert_allclose(a.bias_squared, b.bias_squared)
    np.testing.assert_allclose(a.test_error_per_repeat, b.test_error_per_repeat)


def test_every_regularizer_trades_bias_for_variance(task):
    curves = measure_regularizers(task, n_repeats=12, rng=0, n_bootstrap=2)
    assert list(curves) == list(REGULARIZERS)
    for name, curve in curves.items():
        assert curve.variance[-1] < curve.variance[0], name
        assert len(curve.total) == len(REGULARIZERS[name]["strengths"])
    linear = [n for n in curves if n != "bagging"]
    for name in linear:
        assert curves[name].bias_squared[-1] > curves[name].bias_squared[0], name


@pytest.mark.parametrize("kwargs, error, match", [
    ({"strengths": []}, ValueError, "strengths"),
    ({"strengths": "abc"}, TypeError, "strengths"),
    ({"fit_predict": 3}, TypeError, "fit_predict"),
    ({"noise": -1.0}, ValueError, "noise"),
    ({"noise": float("nan")}, ValueError, "noise"),
    ({"n_repeats": 1}, ValueError, "n_repeats"),
    ({"n_repeats": 4.0}, TypeError, "n_repeats"),
    ({"n_repeats": True}, TypeError, "n_repeats"),
    ({"path": 1}, TypeError, "path"),
    ({"f_eval": np.zeros(3)}, ValueError, "f_eval"),
])
def test_curve_bad_input_is_named(task, kwargs, error, match):
    args = dict(fit_predict=_ridge_fit_predict, strengths=[1.0], draw_training_set=task.draw_training_set,
                x_eval=task.x_eval, f_eval=task.f_eval, noise=task.noise, n_repeats=3, rng=0)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        bias_variance_curve(**args)


def test_curve_rejects_a_wrong_prediction_shape(task):
    with pytest.raises(ValueError, match="fit_predict"):
        bias_variance_curve(lambda s, X, y, Xe: np.zeros(3), [1.0], task.draw_training_set,
                            task.x_eval, task.f_eval, task.noise, n_repeats=3, rng=0)
    with pytest.raises(ValueError, match="path=True"):
        bias_variance_curve(lambda s, X, y, Xe: np.zeros(3), [1.0], task.draw_training_set,
                            task.x_eval, task.f_eval, task.noise, n_repeats=3, rng=0, path=True)


@pytest.mark.parametrize("kwargs, error, match", [
    ({"n_train": 1}, ValueError, "n_train"),
    ({"n_train": 50.0}, TypeError, "n_train"),
    ({"n_eval": 0}, ValueError, "n_eval"),
    ({"n_train": 400, "n_eval": 100}, ValueError, "n_train \\+ n_eval"),
    ({"truth_alpha": -1.0}, ValueError, "truth_alpha"),
    ({"seed": -1}, ValueError, "seed"),
    ({"seed": 1.5}, ValueError, "seed"),
])
def test_task_bad_input_is_named(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_diabetes_task(**kwargs)


def test_measure_regularizers_bad_input(task):
    with pytest.raises(TypeError, match="task"):
        measure_regularizers("diabetes")
    with pytest.raises(ValueError, match="names"):
        measure_regularizers(task, ["ridge", "magic"])
    with pytest.raises(ValueError, match="rng"):
        measure_regularizers(task, ["ridge"], rng=np.random.default_rng(0))
