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
