"""Exercises for chapter 05, "Regularization as a prior": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake


def penalties_from_priors(sigma, tau, b, n_samples):
    """Reference: the Ridge alpha of a N(0, tau^2) prior and the Lasso alpha of a Laplace(b) prior."""
    ridge_alpha = sigma**2 / tau**2
    lasso_alpha = sigma**2 / (n_samples * b)
    return np.array([ridge_alpha, lasso_alpha])


_PRIOR_CASES = [
    Case("sigma=2, tau=0.5, b=0.25, n_samples=50",
         {"sigma": 2.0, "tau": 0.5, "b": 0.25, "n_samples": 50}),
    Case("sigma=0.3, tau=3, b=0.1, n_samples=20",
         {"sigma": 0.3, "tau": 3.0, "b": 0.1, "n_samples": 20}),
    Case("sigma=54, tau=10, b=2, n_samples=442 (the diabetes set)",
         {"sigma": 54.0, "tau": 10.0, "b": 2.0, "n_samples": 442}),
]

penalties_from_priors_exercise = Exercise(
    name="penalties_from_priors",
    reference=penalties_from_priors,
    cases=_PRIOR_CASES,
    mistakes=[
        Mistake("tau_not_squared",
                lambda sigma, tau, b, n_samples: np.array([sigma**2 / tau,
                                                           sigma**2 / (n_samples * b)]),
                "your ridge alpha divides by tau, the prior's standard deviation. The prior enters "
                "through its variance: the log density has w^2 / (2 tau^2)."),
        Mistake("inverted",
                lambda sigma, tau, b, n_samples: np.array([tau**2 / sigma**2,
                                                           n_samples * b / sigma**2]),
                "both ratios are upside down. Noisier data (larger sigma) should mean a stronger "
                "penalty, and a wider prior (larger tau or b) a weaker one."),
        Mistake("sigma_not_squared",
                lambda sigma, tau, b, n_samples: np.array([sigma / tau**2,
                                                           sigma / (n_samples * b)]),
                "sigma appears unsquared. The likelihood contributes ||y - Xw||^2 / (2 sigma^2): "
                "it is the noise variance that sets the scale."),
        Mistake("extra_n_in_ridge",
                lambda sigma, tau, b, n_samples: np.array([sigma**2 / (n_samples * tau**2),
                                                           sigma**2 / (n_samples * b)]),
                "your ridge alpha has an extra n. Ridge's objective ||y - Xw||^2 + alpha ||w||^2 is "
                "a sum over samples, not a mean, so no n appears."),
        Mistake("lasso_without_n",
                lambda sigma, tau, b, n_samples: np.array([sigma**2 / tau**2, sigma**2 / b]),
                "your lasso alpha is missing the n. Lasso's objective starts with "
                "(1 / (2 n)) ||y - Xw||^2, so the negative log posterior must be multiplied by "
                "sigma^2 / n, not sigma^2."),
    ],
    hints=[
        "Write minus the log posterior, drop the constants, and multiply it until its data term looks "
        "exactly like the data term of the scikit-learn objective.",
        "For ridge multiply by 2 sigma^2; for the lasso multiply by sigma^2 / n. Then read off the "
        "factor in front of the penalty.",
        "ridge_alpha = sigma**2 / tau**2 and lasso_alpha = sigma**2 / (n_samples * b); return "
        "np.array([ridge_alpha, lasso_alpha]).",
    ],
)


def _regression(seed, n_samples, n_features):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_samples, n_features))
    w = rng.normal(size=n_features)
    return X, X @ w + 0.7 * rng.normal(size=n_samples)


def _posterior_cases():
    cases = []
    for seed, n, d, sigma, tau in [(0, 8, 3, 1.5, 0.4), (1, 20, 2, 0.5, 2.0), (2, 5, 4, 2.0, 0.7)]:
        X, y = _regression(seed, n, d)
        cases.append(Case(f"{n} samples, {d} features, sigma={sigma}, tau={tau} (seed {seed})",
                          {"X": X, "y": y, "sigma": sigma, "tau": tau}))
    return cases


def gaussian_posterior_mean(X, y, sigma, tau):
    """Reference: the posterior mean (X'X + (sigma^2 / tau^2) I)^-1 X'y under a N(0, tau^2 I) prior."""
    alpha = sigma**2 / tau**2
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


def _mean_with_alpha(alpha_of):
    def mean(X, y, sigma, tau):
        return np.linalg.solve(X.T @ X + alpha_of(sigma, tau) * np.eye(X.shape[1]), X.T @ y)
    return mean


def _ridge_with_intercept(X, y, sigma, tau):
    from sklearn.linear_model import Ridge
    return Ridge(alpha=sigma**2 / tau**2).fit(X, y).coef_


gaussian_posterior_mean_exercise = Exercise(
    name="gaussian_posterior_mean",
    reference=gaussian_posterior_mean,
    cases=_posterior_cases(),
    mistakes=[
        Mistake("forgot_sigma", _mean_with_alpha(lambda sigma, tau: 1 / tau**2),
                "the penalty is 1 / tau^2: the noise variance is missing. Multiply the whole "
                "precision X'X / sigma^2 + I / tau^2 by sigma^2, and the identity gets sigma^2 / tau^2."),
        Mistake("tau_not_squared", _mean_with_alpha(lambda sigma, tau: sigma**2 / tau),
                "you used tau where its square belongs: the prior's precision is 1 / tau^2."),
        Mistake("inverted", _mean_with_alpha(lambda sigma, tau: tau**2 / sigma**2),
                "the ratio is upside down: a tighter prior (smaller tau) must pull the mean harder "
                "toward zero, so tau belongs in the denominator."),
        Mistake("no_prior", lambda X, y, sigma, tau: np.linalg.lstsq(X, y, rcond=None)[0],
                "this is the least-squares fit: the prior is missing. Add the prior's precision to "
                "X'X before solving."),
        Mistake("fitted_intercept", _ridge_with_intercept,
                "these weights come from a model with an intercept: scikit-learn's Ridge centres X "
                "and y first unless fit_intercept=False. The model here has no intercept, and X "
                "and y are not centred; use Ridge(alpha=..., fit_intercept=False) or solve the "
                "normal equations directly."),
    ],
    hints=[
        "With a Gaussian prior and Gaussian noise, the posterior mean is the ridge solution.",
        "Its penalty is alpha = sigma**2 / tau**2 in the scaling ||y - Xw||^2 + alpha ||w||^2.",
        "np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y).",
    ],
)


def gaussian_posterior_covariance(X, sigma, tau):
    """Reference: the posterior covariance (X'X / sigma^2 + I / tau^2)^-1."""
    precision = X.T @ X / sigma**2 + np.eye(X.shape[1]) / tau**2
    return np.linalg.inv(precision)


def _covariance_cases():
    return [Case(c.description, {k: c.kwargs[k] for k in ("X", "sigma", "tau")})
            for c in _posterior_cases()]


gaussian_posterior_covariance_exercise = Exercise(
    name="gaussian_posterior_covariance",
    reference=gaussian_posterior_covariance,
    cases=_covariance_cases(),
    mistakes=[
        Mistake("precision", lambda X, sigma, tau: X.T @ X / sigma**2 + np.eye(X.shape[1]) / tau**2,
                "this is the posterior precision, the inverse of what was asked. Invert it."),
        Mistake("ridge_matrix",
                lambda X, sigma, tau: np.linalg.inv(X.T @ X + sigma**2 / tau**2 * np.eye(X.shape[1])),
                "this is (X'X + alpha I)^-1, the matrix in the ridge solution. It is the covariance "
                "divided by sigma^2: multiply by sigma**2, or divide X'X by sigma^2 before inverting."),
        Mistake("forgot_sigma",
                lambda X, sigma, tau: np.linalg.inv(X.T @ X + np.eye(X.shape[1]) / tau**2),
                "the data term has no 1 / sigma^2. Each observation adds x x' / sigma^2 to the "
                "precision: noisier data add less."),
        Mistake("no_prior", lambda X, sigma, tau: sigma**2 * np.linalg.inv(X.T @ X),
                "this is least squares' covariance sigma^2 (X'X)^-1: the prior's precision I / tau^2 "
                "is missing."),
    ],
    hints=[
        "Precisions (inverse covariances) add: the posterior precision is the data's plus the prior's.",
        "The data contribute X'X / sigma^2 and the prior I / tau^2.",
        "np.linalg.inv(X.T @ X / sigma**2 + np.eye(X.shape[1]) / tau**2).",
    ],
)
