"""regbook.ensembles: the ensemble-error formula, bootstrap helpers and the bagging estimators."""

import numpy as np
import pytest
from sklearn.ensemble import BaggingClassifier as SkBaggingClassifier
from sklearn.ensemble import BaggingRegressor as SkBaggingRegressor
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.metrics import accuracy_score, r2_score
from sklearn.model_selection import train_test_split
from sklearn.svm import LinearSVC
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor

from regbook.datasets import load_bundled
from regbook.ensembles import (BaggingClassifier, BaggingRegressor, bootstrap_indices,
                               correlated_errors, distinct_fraction, ensemble_squared_error,
                               member_error_moments, out_of_bag_mask)


@pytest.fixture(scope="module")
def diabetes():
    X, y = load_bundled("diabetes")
    return train_test_split(X, y, test_size=0.4, random_state=0)


@pytest.fixture(scope="module")
def cancer():
    X, y = load_bundled("breast_cancer")
    return train_test_split(X, y, test_size=0.4, random_state=0, stratify=y)


# The formula and its helpers.
def test_formula_limits():
    assert ensemble_squared_error(2.0, 0.0, 8) == pytest.approx(0.25)
    assert ensemble_squared_error(2.0, 2.0, 8) == pytest.approx(2.0)
    assert ensemble_squared_error(2.0, 0.5, 1) == pytest.approx(2.0)
    errors = [ensemble_squared_error(1.0, 0.3, k) for k in range(1, 50)]
    assert np.all(np.diff(errors) < 0) and errors[-1] > 0.3


@pytest.mark.parametrize("V, C, k", [(1.0, 0.0, 5), (2.0, 1.5, 3), (0.5, 0.5, 4)])
def test_correlated_errors_have_the_requested_moments_and_ensemble_error(V, C, k):
    n = 200_000
    errors = correlated_errors(V, C, k, n, rng=1)
    cov = np.cov(errors.T)
    se = 5 * V * np.sqrt(2 / n)
    assert np.allclose(np.diag(cov), V, atol=se)
    assert np.allclose(cov[~np.eye(k, dtype=bool)], C, atol=se)
    squared = errors.mean(axis=1) ** 2
    assert abs(squared.mean() - ensemble_squared_error(V, C, k)) < 4 * squared.std() / np.sqrt(n)


def test_shared_bias_is_the_floor():
    b, sigma2, k, n = 0.7, 1.0, 400, 20_000
    errors = correlated_errors(sigma2, 0.0, k, n, bias=b, rng=0)
    squared = errors.mean(axis=1) ** 2
    expected = b**2 + sigma2 / k
    assert abs(squared.mean() - expected) < 4 * squared.std() / np.sqrt(n)


def test_member_moments_decompose_the_ensemble_error():
    rng = np.random.default_rng(0)
    predictions, y = rng.normal(size=(7, 30)), rng.normal(size=30)
    V, C = member_error_moments(predictions, y)
    ensemble = np.mean((predictions.mean(axis=0) - y) ** 2)
    assert ensemble == pytest.approx(ensemble_squared_error(V, C, 7))


def test_bootstrap_draws_with_replacement_and_oob_rows_are_the_undrawn_ones():
    rows = bootstrap_indices(1000, rng=3)
    assert rows.shape == (1000,) and rows.min() >= 0 and rows.max() < 1000
    assert len(np.unique(rows)) < 1000
    mask = out_of_bag_mask(rows, 1000)
    assert set(np.flatnonzero(mask)) == set(range(1000)) - set(rows.tolist())


def test_distinct_fraction_matches_bootstrap_draws():
    n, draws = 20, 4000
    rng = np.random.default_rng(0)
    fractions = [len(np.unique(bootstrap_indices(n, rng=rng))) / n for _ in range(draws)]
    se = np.std(fractions) / np.sqrt(draws)
    assert abs(np.mean(fractions) - distinct_fraction(n)) < 4 * se
    assert distinct_fraction(1) == 1.0
    assert distinct_fraction(10**7) == pytest.approx(1 - np.exp(-1), abs=1e-7)


@pytest.mark.parametrize("call, match", [
    (lambda: ensemble_squared_error(1.0, 0.5, 0), "k must be in"),
    (lambda: ensemble_squared_error(1.0, 0.5, 2.0), "k must be an integer"),
    (lambda: ensemble_squared_error(-1.0, 0.0, 2), "V must be in"),
    (lambda: ensemble_squared_error(1.0, 1.5, 3), "C must be in"),
    (lambda: ensemble_squared_error(1.0, -0.6, 3), "C must be in"),
    (lambda: ensemble_squared_error(1.0, float("nan"), 3), "C must be a finite number"),
    (lambda: correlated_errors(1.0, 2.0, 3, 10), "C must be in"),
    (lambda: correlated_errors(1.0, 0.5, 3, 0), "n_draws must be in"),
    (lambda: member_error_moments(np.ones((1, 3)), np.ones(3)), "at least 2 members"),
    (lambda: member_error_moments(np.ones((2, 3)), np.ones(4)), "one value per column"),
    (lambda: bootstrap_indices(0), "n_samples must be in"),
    (lambda: out_of_bag_mask(np.array([0, 5]), 5), r"indices must be in \[0, 4\]"),
    (lambda: out_of_bag_mask(np.array([0.5]), 5), "indices must be a 1-D array of integers"),
    (lambda: distinct_fraction(True), "n_samples must be an integer"),
])
def test_helpers_reject_bad_input(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


# The estimators.
def test_members_see_bootstrap_samples_of_size_n(diabetes):
    X_train, _, y_train, _ = diabetes
    model = BaggingRegressor(n_estimators=5, random_state=0).fit(X_train, y_train)
    n = len(y_train)
    for rows, features in zip(model.estimators_samples_, model.estimators_features_):
        assert rows.shape == (n,)
        assert len(np.unique(rows)) < n  # repeats: drawn with replacement
        assert np.array_equal(features, np.arange(X_train.shape[1]))
    assert isinstance(model.estimator_, DecisionTreeRegressor)


def test_pasting_draws_without_replacement(diabetes):
    X_train, _, y_train, _ = diabetes
    model = BaggingRegressor(n_estimators=3, bootstrap=False, max_samples=0.5,
                             random_state=0).fit(X_train, y_train)
    for rows in model.estimators_samples_:
        assert len(rows) == len(np.unique(rows)) == len(y_train) // 2


def test_regression_oob_prediction_uses_exactly_the_undrawn_members(diabetes):
    X_train, _, y_train, _ = diabetes
    model = BaggingRegressor(n_estimators=40, oob_score=True, random_state=1).fit(X_train,
                                                                                  y_train)
    n = len(y_train)
    total, counts = np.zeros(n), np.zeros(n)
    for member, rows, features in zip(model.estimators_, model.estimators_samples_,
                                      model.estimators_features_):
        out = np.setdiff1d(np.arange(n), rows)
        total[out] += member.predict(X_train[out][:, features])
        counts[out] += 1
    assert np.all(counts > 0)
    assert np.allclose(model.oob_prediction_, total / counts)
    assert model.oob_score_ == pytest.approx(r2_score(y_train, total / counts))


def test_soft_voting_is_the_mean_of_member_probabilities(cancer):
    X_train, X_test, y_train, _ = cancer
    model = BaggingClassifier(LogisticRegression(max_iter=2000), n_estimators=5, max_features=0.5,
                              random_state=0).fit(X_train, y_train)
    member_probabilities = [member.predict_proba(X_test[:, features])
                            for member, features in zip(model.estimators_,
                                                        model.estimators_features_)]
    expected = np.mean(member_probabilities, axis=0)
    assert np.allclose(model.predict_proba(X_test), expected)
    assert np.array_equal(model.predict(X_test), model.classes_[expected.argmax(axis=1)])


def test_classifier_oob_and_string_labels(cancer):
    X_train, _, y_train, _ = cancer
    labels = np.array(["benign", "malignant"])[y_train]
    model = BaggingClassifier(n_estimators=30, oob_score=True, random_state=0).fit(X_train,
                                                                                   labels)
    assert list(model.classes_) == ["benign", "malignant"]
    covered = ~np.isnan(model.oob_decision_function_[:, 0])
    assert np.allclose(model.oob_decision_function_[covered].sum(axis=1), 1.0)
    predicted = model.classes_[model.oob_decision_function_[covered].argmax(axis=1)]
    assert model.oob_score_ == pytest.approx(accuracy_score(labels[covered], predicted))


def test_member_missing_a_class_gets_zero_probability_for_it():
    X = np.arange(12, dtype=float)[:, None]
    y = np.array([0] * 10 + [1, 2])
    model = BaggingClassifier(n_estimators=20, random_state=0).fit(X, y)
    probabilities = model.predict_proba(X)
    assert probabilities.shape == (12, 3)
    assert np.allclose(probabilities.sum(axis=1), 1.0)
    assert any(len(member.classes_) < 3 for member in model.estimators_)


def test_classifier_without_predict_proba_votes_hard(cancer):
    X_train, X_test, y_train, _ = cancer
    model = BaggingClassifier(LinearSVC(dual=False), n_estimators=3, random_state=0).fit(
        X_train, y_train)
    probabilities = model.predict_proba(X_test)
    assert set(np.unique(np.round(probabilities * 3))) <= {0.0, 1.0, 2.0, 3.0}


def test_reproducible_with_random_state_and_clones_the_estimator(diabetes):
    X_train, X_test, y_train, _ = diabetes
    base = DecisionTreeRegressor(max_depth=4)
    first = BaggingRegressor(base, n_estimators=8, max_features=5, random_state=7).fit(
        X_train, y_train)
    again = BaggingRegressor(base, n_estimators=8, max_features=5, random_state=7).fit(
        X_train, y_train)
    other = BaggingRegressor(base, n_estimators=8, max_features=5, random_state=8).fit(
        X_train, y_train)
    assert np.array_equal(first.predict(X_test), again.predict(X_test))
    assert not np.array_equal(first.predict(X_test), other.predict(X_test))
    assert not hasattr(base, "tree_")
    assert all(len(f) == 5 for f in first.estimators_features_)


def test_stable_learner_gains_nothing(diabetes):
    X_train, X_test, y_train, y_test = diabetes
    single = Ridge(alpha=0.1).fit(X_train, y_train)
    bagged = BaggingRegressor(Ridge(alpha=0.1), n_estimators=30, random_state=0).fit(X_train,
                                                                                     y_train)
    single_mse = np.mean((single.predict(X_test) - y_test) ** 2)
    bagged_mse = np.mean((bagged.predict(X_test) - y_test) ** 2)
    assert abs(bagged_mse - single_mse) < 0.03 * single_mse


def test_oob_warns_when_a_row_is_never_out_of_bag():
    X = np.arange(40, dtype=float)[:, None]
    with pytest.warns(UserWarning, match="no out-of-bag prediction"):
        model = BaggingRegressor(n_estimators=1, oob_score=True, random_state=0).fit(X, X[:, 0])
    assert np.isnan(model.oob_prediction_).any() and np.isfinite(model.oob_score_)


def _test_errors(make, X_train, X_test, y_train, y_test, score, seeds):
    return np.array([score(y_test, make(seed).fit(X_train, y_train).predict(X_test))
                     for seed in seeds])


@pytest.mark.parametrize("task", ["regression", "classification"])
def test_matches_scikit_learn_in_distribution(task, diabetes, cancer):
    """Same settings, 10 seeds each: the mean test errors agree within their standard errors."""
    seeds = range(10)
    if task == "regression":
        data, ours, theirs = diabetes, BaggingRegressor, SkBaggingRegressor

        def score(y, y_hat):
            return np.mean((y - y_hat) ** 2)
    else:
        data, ours, theirs = cancer, BaggingClassifier, SkBaggingClassifier

        def score(y, y_hat):
            return np.mean(y != y_hat)
    settings = {"n_estimators": 20, "max_features": 0.7}
    mine = _test_errors(lambda s: ours(random_state=s, **settings), *data, score, seeds)
    sk = _test_errors(lambda s: theirs(random_state=s, **settings), *data, score, seeds)
    se = np.sqrt(mine.var(ddof=1) / len(mine) + sk.var(ddof=1) / len(sk))
    assert abs(mine.mean() - sk.mean()) < 3 * se + 1e-12, (mine.mean(), sk.mean(), se)
    # The spread over seeds is of the same size, too.
    assert 0.33 < mine.std() / sk.std() < 3.0


@pytest.mark.parametrize("params, match", [
    ({"n_estimators": 0}, r"n_estimators must be in \[1, inf\), got 0"),
    ({"n_estimators": 2.5}, "n_estimators must be an integer"),
    ({"n_estimators": True}, "n_estimators must be an integer"),
    ({"max_samples": 0}, r"max_samples must be in \[1, inf\), got 0"),
    ({"max_samples": 0.0}, r"max_samples must be in \(0.0, 1.0\], got 0.0"),
    ({"max_samples": 1.5}, r"max_samples must be in \(0.0, 1.0\], got 1.5"),
    ({"max_samples": float("nan")}, "max_samples must be a finite number"),
    ({"max_samples": "half"}, "max_samples must be an int"),
    ({"max_samples": 100, "bootstrap": False}, r"max_samples must be in \[1, 50\], got 100"),
    ({"max_features": 0}, r"max_features must be in \[1, 3\], got 0"),
    ({"max_features": 4}, r"max_features must be in \[1, 3\], got 4"),
    ({"max_features": 1.2}, r"max_features must be in \(0.0, 1.0\], got 1.2"),
    ({"bootstrap": "yes"}, "bootstrap must be True or False"),
    ({"oob_score": 1}, "oob_score must be True or False"),
    ({"oob_score": True, "bootstrap": False}, "oob_score=True needs bootstrap=True"),
    ({"random_state": -1}, "random_state must be a non-negative integer seed"),
])
@pytest.mark.parametrize("estimator", [BaggingRegressor, BaggingClassifier])
def test_bad_parameters_are_named(estimator, params, match):
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(50, 3)), np.arange(50) % 2
    with pytest.raises((ValueError, TypeError), match=match):
        estimator(**params).fit(X, y)


def test_predict_checks_fitted_and_feature_count(diabetes):
    from sklearn.exceptions import NotFittedError

    X_train, X_test, y_train, _ = diabetes
    with pytest.raises(NotFittedError):
        BaggingRegressor().predict(X_test)
    model = BaggingRegressor(n_estimators=2, random_state=0).fit(X_train, y_train)
    with pytest.raises(ValueError, match="features"):
        model.predict(X_test[:, :3])
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.full_like(X_train, np.nan), y_train)


def test_classifier_rejects_continuous_targets():
    X = np.arange(10, dtype=float)[:, None]
    with pytest.raises(ValueError, match="Unknown label type"):
        BaggingClassifier(n_estimators=2).fit(X, X[:, 0] + 0.5)


def test_default_tree_is_a_fully_grown_classifier(cancer):
    X_train, _, y_train, _ = cancer
    model = BaggingClassifier(n_estimators=2, random_state=0).fit(X_train, y_train)
    assert isinstance(model.estimator_, DecisionTreeClassifier)
    assert model.estimator_.get_params()["max_depth"] is None
