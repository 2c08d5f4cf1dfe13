"""Exercises for chapter 04, "Elastic net and choosing α": references, test inputs and known mistakes."""

import numpy as np
from sklearn.base import clone
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled
from regbook.linear import Lasso, Ridge
from regbook.model_selection import kfold_indices


# ---- 1. K-fold CV error for one α ----------------------------------------------------------

def _diabetes_case(n_samples, n_splits, seed, estimator):
    # The scaler sits inside the estimator, so each fold standardises with its own training rows
    # only: scaling all rows first would leak the held-out fold's mean and spread into the fit.
    X, y = load_bundled("diabetes")
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(y), size=n_samples, replace=False)
    return {"estimator": make_pipeline(StandardScaler(), estimator), "X": X[rows],
            "y": y[rows].astype(float), "folds": kfold_indices(n_samples, n_splits, rng=seed)}


def _synthetic_case(seed):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(47, 6))
    y = X @ np.array([1.0, -2.0, 0.0, 0.5, 0.0, 0.0]) + rng.normal(size=47)
    return {"estimator": Ridge(alpha=5.0), "X": X, "y": y, "folds": kfold_indices(47, 4, rng=seed)}


def kfold_cv_error(estimator, X, y, folds):
    """Reference: the average over folds of the held-out MSE of a model fitted on the other folds."""
    errors = []
    for train, test in folds:
        model = clone(estimator).fit(X[train], y[train])
        errors.append(np.mean((y[test] - model.predict(X[test])) ** 2))
    return np.mean(errors)


def _fit_on_all(estimator, X, y, folds):
    model = clone(estimator).fit(X, y)
    return np.mean([np.mean((y[test] - model.predict(X[test])) ** 2) for _, test in folds])


def _training_folds_error(estimator, X, y, folds):
    errors = []
    for train, _ in folds:
        model = clone(estimator).fit(X[train], y[train])
        errors.append(np.mean((y[train] - model.predict(X[train])) ** 2))
    return np.mean(errors)


def _sum_over_folds(estimator, X, y, folds):
    return kfold_cv_error(estimator, X, y, folds) * len(folds)


def _last_fold_only(estimator, X, y, folds):
    return kfold_cv_error(estimator, X, y, folds[-1:])


def _pooled_over_points(estimator, X, y, folds):
    squared_errors = []
    for train, test in folds:
        model = clone(estimator).fit(X[train], y[train])
        squared_errors.extend((y[test] - model.predict(X[test])) ** 2)
    return np.mean(squared_errors)


kfold_cv_error_exercise = Exercise(
    name="kfold_cv_error",
    reference=kfold_cv_error,
    cases=[
        Case("StandardScaler + Lasso(alpha=1.0) on 150 diabetes patients, 5 folds (seed 0)",
             _diabetes_case(150, 5, 0, Lasso(alpha=1.0))),
        Case("Ridge(alpha=5.0) on 47 synthetic samples, 4 unequal folds (seed 1)", _synthetic_case(1)),
        Case("StandardScaler + Lasso(alpha=10.0) on 90 diabetes patients, 3 folds (seed 2)",
             _diabetes_case(90, 3, 2, Lasso(alpha=10.0))),
    ],
    mistakes=[
        Mistake("fit_on_all", _fit_on_all, "the model was fitted on all the data, held-out fold "
                "included, so it has already seen the points it is scored on. Fit a fresh model on "
                "X[train], y[train] for each fold."),
        Mistake("training_folds", _training_folds_error, "you scored each model on the folds it "
                "was trained on. That is a training error; score it on X[test], y[test]."),
        Mistake("sum", _sum_over_folds, "you added the fold errors. Average them: the CV error is "
                "the mean of the K fold errors."),
        Mistake("last_fold", _last_fold_only, "this is the error of the last fold only. Collect "
                "one error per fold and average over all of them."),
        Mistake("pooled", _pooled_over_points, "you averaged the squared errors of all held-out "
                "points at once (the pooled form, Hastie et al. eq. 7.48). That is a valid CV "
                "estimate too, and it equals this one when the folds have equal sizes; here the "
                "folds differ in size, and the exercise asks for the mean of the K fold errors, "
                "because the standard error and the one-SE rule are built from those K numbers."),
    ],
    hints=[
        "For each (train, test) pair in folds: fit on the training part, score on the held-out part.",
        "Use sklearn.base.clone(estimator) for a fresh unfitted copy each time; the score of one "
        "fold is np.mean((y[test] - model.predict(X[test])) ** 2).",
        "Keep the K fold scores in a list and return np.mean of that list (not their sum, and "
        "not the error pooled over the training points).",
    ],
)


# ---- 2. The one-standard-error rule from fold errors ---------------------------------------

def _fold_error_case(seed, n_alphas=9, n_splits=5, descending=False):
    rng = np.random.default_rng(seed)
    alphas = np.logspace(-2, 2, n_alphas)
    # A flat-bottomed U: high on the left (overfitting), very high on the right (underfitting).
    t = np.linspace(-1, 1, n_alphas)
    curve = 10 + 2 * (t + 0.3) ** 2 + 8 * np.maximum(t - 0.4, 0) ** 2
    fold_errors = curve[:, None] + rng.normal(scale=0.8, size=(n_alphas, n_splits))
    if descending:
        alphas, fold_errors = alphas[::-1].copy(), fold_errors[::-1].copy()
    return {"alphas": alphas, "fold_errors": fold_errors}


def _designed_case():
    """Fold errors with chosen means and spreads, so that each known mistake gives its own α."""
    alphas = np.logspace(-2, 2, 9)
    mean = np.array([10.5, 11.5, 10.3, 10.0, 10.6, 10.8, 11.6, 13.0, 20.0])
    sd = np.array([1.0, 1.0, 1.0, 2.0, 1.0, 1.0, 1.0, 8.0, 1.0])
    z = np.array([-1.2, -0.4, 0.1, 0.5, 1.0])
    z = (z - z.mean()) / z.std(ddof=1)  # exactly mean 0 and sd 1
    order = np.array([8, 5, 0, 7, 3, 1, 6, 4, 2])  # shuffled: the rule must not rely on sorting
    return {"alphas": alphas[order], "fold_errors": (mean[:, None] + sd[:, None] * z)[order]}


def _threshold_case():
    """Sorted alphas whose CV means sit just inside or outside nearby thresholds: a ±10% change of
    the threshold, an SE with ddof=0 or an SE of sd/sqrt(K - 1) each picks a different α."""
    alphas = np.logspace(-2, 2, 10)
    # With sd 1 and K = 5: SE = 0.447; ddof=0 gives 0.400; sd/sqrt(K-1) gives 0.500.
    mean = np.array([12.0, 10.38, 10.0, 10.39, 10.43, 10.48, 10.496, 10.6, 10.9, 15.0])
    z = np.array([-1.2, -0.4, 0.1, 0.5, 1.0])
    z = (z - z.mean()) / z.std(ddof=1)
    return {"alphas": alphas, "fold_errors": mean[:, None] + z}


def one_se_alpha(alphas, fold_errors):
    """Reference: mean and SE per α from the fold errors, then the one-standard-error rule."""
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1, ddof=1) / np.sqrt(fold_errors.shape[1])
    best = np.argmin(mean)
    return np.max(alphas[mean <= mean[best] + se[best]])


def _smallest_within(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1, ddof=1) / np.sqrt(fold_errors.shape[1])
    best = np.argmin(mean)
    return np.min(alphas[mean <= mean[best] + se[best]])


def _sd_not_se(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    sd = fold_errors.std(axis=1, ddof=1)
    best = np.argmin(mean)
    return np.max(alphas[mean <= mean[best] + sd[best]])


def _se_ddof0(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1) / np.sqrt(fold_errors.shape[1])
    best = np.argmin(mean)
    return np.max(alphas[mean <= mean[best] + se[best]])


def _se_sqrt_k_minus_1(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1, ddof=1) / np.sqrt(fold_errors.shape[1] - 1)
    best = np.argmin(mean)
    return np.max(alphas[mean <= mean[best] + se[best]])


def _minimum_only(alphas, fold_errors):
    return alphas[np.argmin(fold_errors.mean(axis=1))]


def _own_se(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1, ddof=1) / np.sqrt(fold_errors.shape[1])
    return np.max(alphas[mean - se <= mean.min()])


def _last_alpha_within(alphas, fold_errors):
    mean = fold_errors.mean(axis=1)
    se = fold_errors.std(axis=1, ddof=1) / np.sqrt(fold_errors.shape[1])
    best = np.argmin(mean)
    return alphas[np.flatnonzero(mean <= mean[best] + se[best])[-1]]


one_se_alpha_exercise = Exercise(
    name="one_se_alpha",
    reference=one_se_alpha,
    cases=[
        Case("10 sorted alphas whose CV means lie close to the threshold, 5 folds", _threshold_case()),
        Case("9 alphas from 0.01 to 100 in shuffled order, 5 folds", _designed_case()),
        Case("9 alphas from 0.01 to 100, 5 folds (seed 4)", _fold_error_case(4)),
        Case("the same kind of curve with the alphas in decreasing order (seed 1)",
             _fold_error_case(1, descending=True)),
        Case("13 alphas, 10 folds (seed 2)", _fold_error_case(2, n_alphas=13, n_splits=10)),
    ],
    mistakes=[
        Mistake("smallest_within", _smallest_within, "you took the smallest α within one SE, the "
                "most complex model in the flat region. The rule takes the largest α: a bigger "
                "penalty is a simpler model."),
        Mistake("sd_not_se", _sd_not_se, "your threshold uses the standard deviation of the fold "
                "errors. The rule uses the standard error of their mean: divide the standard "
                "deviation by the square root of the number of folds."),
        Mistake("ddof0", _se_ddof0, "your standard error uses np.std's default ddof=0, which "
                "divides by K. The standard deviation of the fold errors uses ddof=1 (divide by "
                "K - 1); then divide it by the square root of K."),
        Mistake("sqrt_k_minus_1", _se_sqrt_k_minus_1, "you divided the standard deviation by the "
                "square root of K - 1. The K - 1 belongs inside the standard deviation (ddof=1); "
                "the standard error of a mean of K numbers divides by the square root of K."),
        Mistake("minimum_only", _minimum_only, "this is the α with the minimum CV error. The rule "
                "then moves to the largest α whose CV error is at most that minimum plus one SE."),
        Mistake("own_se", _own_se, "you compared each α using its own standard error. The "
                "threshold is one number: the minimum CV error plus the SE at the minimum."),
        Mistake("last_within", _last_alpha_within, "you returned the last α in the list that is "
                "within one SE, which is the largest only if the alphas are sorted. Take the "
                "maximum of the qualifying alphas instead."),
    ],
    hints=[
        "First compute, for each α (each row), the mean of its fold errors and the standard error "
        "of that mean.",
        "The standard error is fold_errors.std(axis=1, ddof=1) / sqrt(number of folds). Find the "
        "row with the smallest mean; the threshold is that mean plus that row's SE.",
        "Among all alphas whose mean is at most the threshold, return the largest: "
        "np.max(alphas[mean <= threshold]).",
    ],
)


# ---- 3. From two penalties to (alpha, l1_ratio) --------------------------------------------

def elastic_net_params(alpha_1, alpha_2):
    """Reference: (alpha, l1_ratio) for (1/n)||y - Xw||^2 + alpha_1 ||w||_1 + alpha_2 ||w||^2."""
    return alpha_1 / 2 + alpha_2, alpha_1 / (alpha_1 + 2 * alpha_2)


elastic_net_params_exercise = Exercise(
    name="elastic_net_params",
    reference=elastic_net_params,
    cases=[Case(f"alpha_1 = {a1}, alpha_2 = {a2}", {"alpha_1": a1, "alpha_2": a2})
           for a1, a2 in [(2.0, 1.5), (0.3, 0.05), (0.01, 4.0)]],
    mistakes=[
        Mistake("naive_sum", lambda alpha_1, alpha_2: (alpha_1 + alpha_2,
                                                       alpha_1 / (alpha_1 + alpha_2)),
                "adding the strengths and taking alpha_1's share ignores two factors of 2: the "
                "two-penalty objective must be halved to get scikit-learn's 1/(2n), and scikit-learn's "
                "L2 term carries its own 1/2."),
        Mistake("no_halving", lambda alpha_1, alpha_2: (alpha_1 + 2 * alpha_2,
                                                        alpha_1 / (alpha_1 + 2 * alpha_2)),
                "l1_ratio is right, but alpha is twice too large: that conversion is for a data "
                "term of (1/(2n))||y - Xw||^2. The two-penalty form here uses the mean squared error "
                "(1/n), so halve "
                "the whole objective first."),
        Mistake("ratio_without_half", lambda alpha_1, alpha_2: (alpha_1 / 2 + alpha_2,
                                                                alpha_1 / (alpha_1 + alpha_2)),
                "alpha is right, but l1_ratio forgets the 1/2 in scikit-learn's L2 term "
                "alpha (1 - l1_ratio) / 2 ||w||^2: match alpha (1 - l1_ratio) = alpha_2, not "
                "alpha (1 - l1_ratio) = alpha_2 / 2."),
        Mistake("swapped_ratio", lambda alpha_1, alpha_2: (alpha_1 / 2 + alpha_2,
                                                           2 * alpha_2 / (alpha_1 + 2 * alpha_2)),
                "that is the share of the L2 penalty, 1 - l1_ratio. l1_ratio is the L1 share."),
    ],
    hints=[
        "Multiply scikit-learn's objective by 2 and match it term by term with the two-penalty "
        "objective.",
        "Matching gives alpha * l1_ratio = alpha_1 / 2 and alpha * (1 - l1_ratio) = alpha_2.",
        "Add the two equations to get alpha, then divide the first by alpha to get l1_ratio.",
    ],
)
