"""Exercises for chapter 07, "Noise injection": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled


def _linear_problem(seed, n=40, d=3, sigma=0.4):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    w = rng.normal(scale=1.5, size=d)
    y = X @ rng.normal(size=d) + 0.5 * rng.normal(size=n)
    return {"w": w, "X": X, "y": y, "sigma": sigma}


def expected_noisy_loss(w, X, y, sigma):
    """Reference: mean over samples of E[(w·(x + ε) − y)²] = MSE + σ²‖w‖²."""
    return np.mean((X @ w - y) ** 2) + sigma**2 * np.sum(w**2)


def _sigma_not_squared(w, X, y, sigma):
    return np.mean((X @ w - y) ** 2) + sigma * np.sum(w**2)


def _sum_not_mean(w, X, y, sigma):
    return np.sum((X @ w - y) ** 2) + sigma**2 * np.sum(w**2)


def _norm_not_squared(w, X, y, sigma):
    return np.mean((X @ w - y) ** 2) + sigma**2 * np.linalg.norm(w)


def _penalty_times_n(w, X, y, sigma):
    return np.mean((X @ w - y) ** 2) + len(y) * sigma**2 * np.sum(w**2)


def _penalty_only(w, X, y, sigma):
    return sigma**2 * np.sum(w**2)


expected_noisy_loss_exercise = Exercise(
    name="expected_noisy_loss",
    reference=expected_noisy_loss,
    cases=[
        Case("a random 40 × 3 problem with σ = 0.4 (seed 0)", _linear_problem(0)),
        Case("a random 25 × 5 problem with σ = 1.5 (seed 1)", _linear_problem(1, 25, 5, 1.5)),
        Case("the same problem as the first, without noise (σ = 0)", _linear_problem(0, sigma=0.0)),
    ],
    mistakes=[
        Mistake("sigma_not_squared", _sigma_not_squared,
                "the penalty uses σ where it needs σ². It comes from E[(w·ε)²], the variance of "
                "w·ε, which is σ²‖w‖²."),
        Mistake("sum_not_mean", _sum_not_mean,
                "you summed the squared errors over the samples. The exercise asks for the mean "
                "over samples; each sample adds σ²‖w‖², so the mean keeps the penalty σ²‖w‖²."),
        Mistake("norm_not_squared", _norm_not_squared,
                "the penalty uses ‖w‖, not ‖w‖². Use np.sum(w ** 2) (or w @ w)."),
        Mistake("penalty_times_n", _penalty_times_n,
                "you multiplied the penalty by n but averaged the errors. In the mean form each "
                "sample contributes σ²‖w‖² and the average of n equal terms is that same term; the "
                "factor n belongs to the summed (scikit-learn) form only."),
        Mistake("penalty_only", _penalty_only,
                "you returned only the penalty. The noisy loss is the clean mean squared error "
                "plus the penalty."),
    ],
    hints=[
        "Write the noisy residual as (w·x − y) + w·ε and take the expectation over ε of its square.",
        "The cross term has mean zero, and E[(w·ε)²] = σ²‖w‖² for ε ~ N(0, σ²I). Average the "
        "clean squared errors over the samples.",
        "np.mean((X @ w - y) ** 2) + sigma ** 2 * np.sum(w ** 2).",
    ],
)


def equivalent_alpha(n_samples, sigma):
    """Reference: scikit-learn's Ridge alpha equivalent to input noise σ on n samples."""
    return n_samples * sigma**2


equivalent_alpha_exercise = Exercise(
    name="equivalent_alpha",
    reference=equivalent_alpha,
    cases=[Case(f"n_samples = {n}, sigma = {s}", {"n_samples": n, "sigma": s})
           for n, s in [(50, 0.3), (442, 0.5), (7, 2.0)]],
    mistakes=[
        Mistake("forgot_n", lambda n_samples, sigma: sigma**2,
                "you forgot the number of samples. σ² is the penalty per sample (mean form); "
                "scikit-learn's Ridge sums the squared errors, so the penalty is summed n times."),
        Mistake("used_sigma", lambda n_samples, sigma: n_samples * sigma,
                "you used σ, not σ². The penalty comes from the noise variance."),
        Mistake("divided_by_n", lambda n_samples, sigma: sigma**2 / n_samples,
                "you divided by n. Going from the mean form to scikit-learn's sum form multiplies "
                "the whole objective, penalty included, by n."),
        Mistake("forgot_n_used_sigma", lambda n_samples, sigma: sigma,
                "you returned σ itself. The penalty is n times the noise variance."),
    ],
    hints=[
        "Start from the mean form: (1/n)‖y − Xw‖² + σ²‖w‖².",
        "scikit-learn's Ridge minimises ‖y − Xw‖² + α‖w‖² with no 1/n. Multiply the mean form "
        "by n.",
        "n_samples * sigma ** 2.",
    ],
)


def _diabetes_case(sigma, n=120):
    X, y = load_bundled("diabetes")
    X = (X[:n] - X[:n].mean(axis=0)) / X[:n].std(axis=0)
    return {"X": X, "y": y[:n] - y[:n].mean(), "sigma": sigma}


def noise_equivalent_ridge(X, y, sigma):
    """Reference: ridge weights (no intercept) with α = nσ², i.e. (XᵀX + nσ²I)⁻¹Xᵀy."""
    n, d = X.shape
    return np.linalg.solve(X.T @ X + n * sigma**2 * np.eye(d), X.T @ y)


def _ridge_with(alpha_of):
    def wrong(X, y, sigma):
        d = X.shape[1]
        return np.linalg.solve(X.T @ X + alpha_of(len(y), sigma) * np.eye(d), X.T @ y)
    return wrong


def _ordinary_least_squares(X, y, sigma):
    return np.linalg.lstsq(X, y, rcond=None)[0]


def _ridge_with_intercept(X, y, sigma):
    from sklearn.linear_model import Ridge
    return Ridge(alpha=len(y) * sigma**2).fit(X, y).coef_


noise_equivalent_ridge_exercise = Exercise(
    name="noise_equivalent_ridge",
    reference=noise_equivalent_ridge,
    cases=[
        Case("120 standardised diabetes patients, σ = 0.5", _diabetes_case(0.5)),
        Case("a random 40 × 3 problem, σ = 0.4 (seed 0)",
             {k: v for k, v in _linear_problem(0).items() if k != "w"}),
    ],
    mistakes=[
        Mistake("forgot_n", _ridge_with(lambda n, sigma: sigma**2),
                "the penalty is σ², the per-sample weight. In the sum XᵀX (no 1/n) the penalty "
                "must be nσ²."),
        Mistake("used_sigma", _ridge_with(lambda n, sigma: n * sigma),
                "the penalty is nσ; the noise variance is σ², so use nσ²."),
        Mistake("no_penalty", _ordinary_least_squares,
                "these are the plain least-squares weights: the noise has not entered. Add nσ² "
                "to the diagonal of XᵀX."),
        Mistake("fitted_intercept", _ridge_with_intercept,
                "these weights come from a model with an intercept: scikit-learn's Ridge centres X "
                "and y first unless fit_intercept=False. The model here has no intercept, and the "
                "second problem is not centred; use Ridge(alpha=..., fit_intercept=False) or solve "
                "(XᵀX + nσ²I) w = Xᵀy directly."),
    ],
    hints=[
        "Least squares on noisy inputs, averaged over the noise, is ridge with α = nσ².",
        "Ridge without an intercept solves (XᵀX + αI) w = Xᵀy.",
        "np.linalg.solve(X.T @ X + len(y) * sigma ** 2 * np.eye(X.shape[1]), X.T @ y).",
    ],
)
