"""Exercises for chapter 02, "L2 / ridge and weight decay": references, test inputs and mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled

# ---- 1. The ridge solution with an unpenalised intercept -----------------------------------


def _offset_data(seed, n_samples=40, n_features=4):
    """Seeded data whose features and target have non-zero means, so the intercept matters."""
    rng = np.random.default_rng(seed)
    X = rng.normal(loc=3.0, scale=1.5, size=(n_samples, n_features))
    y = 10.0 + X @ rng.normal(size=n_features) + 0.5 * rng.normal(size=n_samples)
    return X, y


def _diabetes_with_copy(n_samples=80):
    X, y = load_bundled("diabetes")
    X, y = X[:n_samples, [2, 4, 5]], y[:n_samples]
    copy = X[:, 1] + 1e-3 * X[:, 1].std() * np.random.default_rng(0).normal(size=n_samples)
    return np.column_stack([X, copy]), y


def ridge_coefficients(X, y, alpha):
    """Reference: weights minimising ||y - Xw - b||^2 + alpha ||w||^2, b unpenalised."""
    X_mean, y_mean = X.mean(axis=0), y.mean()
    Xc, yc = X - X_mean, y - y_mean
    n_features = X.shape[1]
    return np.linalg.solve(Xc.T @ Xc + alpha * np.eye(n_features), Xc.T @ yc)


def _no_alpha(X, y, alpha):
    return ridge_coefficients(X, y, 0.0)


def _alpha_times_n(X, y, alpha):
    return ridge_coefficients(X, y, alpha * X.shape[0])


def _penalised_intercept(X, y, alpha):
    A = np.column_stack([np.ones(X.shape[0]), X])
    return np.linalg.solve(A.T @ A + alpha * np.eye(A.shape[1]), A.T @ y)[1:]


def _no_centring(X, y, alpha):
    return np.linalg.solve(X.T @ X + alpha * np.eye(X.shape[1]), X.T @ y)


X_offset, y_offset = _offset_data(0)
X_offset_2, y_offset_2 = _offset_data(1, n_samples=25, n_features=6)
X_copy, y_copy = _diabetes_with_copy()

ridge_coefficients_exercise = Exercise(
    name="ridge_coefficients",
    reference=ridge_coefficients,
    cases=[
        Case("40 seeded samples with 4 features of mean 3 and alpha = 5",
             {"X": X_offset, "y": y_offset, "alpha": 5.0}),
        Case("25 seeded samples with 6 features and alpha = 0.5",
             {"X": X_offset_2, "y": y_offset_2, "alpha": 0.5}),
        Case("80 diabetes patients, columns bmi, s1, s2 and a near copy of s1, alpha = 0.01",
             {"X": X_copy, "y": y_copy, "alpha": 0.01}),
    ],
    mistakes=[
        Mistake("no_alpha", _no_alpha,
                "these are the least-squares weights: the penalty is missing. Add alpha times the "
                "identity to XᵀX before solving."),
        Mistake("alpha_times_n", _alpha_times_n,
                "the penalty is n times too strong. scikit-learn's ridge objective has no 1/n in "
                "front of the squared error, so the matrix is XᵀX + alpha·I, not XᵀX + n·alpha·I."),
        Mistake("penalised_intercept", _penalised_intercept,
                "the intercept was penalised (a column of ones inside the penalised system). "
                "Centre X and y on their means instead, so that the intercept is fitted freely "
                "and only the weights are shrunk."),
        Mistake("no_centring", _no_centring,
                "the model has no intercept at all: without centring X and y the fit is forced "
                "through the origin. Subtract the column means of X and the mean of y first."),
    ],
    hints=[
        "The intercept is not penalised. Get rid of it by centring: subtract X.mean(axis=0) from X "
        "and y.mean() from y.",
        "On the centred data the weights solve (XᵀX + alpha·I) w = Xᵀy, with scikit-learn's scaling "
        "(no 1/n).",
        "np.linalg.solve(Xc.T @ Xc + alpha * np.eye(X.shape[1]), Xc.T @ yc), with Xc and yc "
        "the centred data.",
    ],
)


# ---- 2. Converting torch's weight decay to scikit-learn's alpha -----------------------------


def ridge_alpha_from_weight_decay(weight_decay, n_samples):
    """Reference: Ridge alpha equal to torch SGD weight_decay on a mean-squared-error loss."""
    return n_samples * weight_decay / 2


ridge_alpha_from_weight_decay_exercise = Exercise(
    name="ridge_alpha_from_weight_decay",
    reference=ridge_alpha_from_weight_decay,
    cases=[
        Case("weight_decay = 0.01 with 200 samples", {"weight_decay": 0.01, "n_samples": 200}),
        Case("weight_decay = 0.002 with 500 samples", {"weight_decay": 0.002, "n_samples": 500}),
        Case("weight_decay = 0.3 with 64 samples", {"weight_decay": 0.3, "n_samples": 64}),
    ],
    mistakes=[
        Mistake("forgot_half", lambda weight_decay, n_samples: n_samples * weight_decay,
                "twice too large. torch adds weight_decay·w to the gradient, which is the gradient "
                "of (weight_decay/2)·‖w‖², not of weight_decay·‖w‖²."),
        Mistake("forgot_n", lambda weight_decay, n_samples: weight_decay / 2,
                "the number of samples is missing. The torch loss is a mean (1/n), scikit-learn's "
                "Ridge loss is a sum; multiply through by n."),
        Mistake("unchanged", lambda weight_decay, n_samples: weight_decay,
                "you returned weight_decay unchanged. The two libraries scale the loss and the "
                "penalty differently, so the number must be converted."),
        Mistake("inverse", lambda weight_decay, n_samples: 2 * weight_decay / n_samples,
                "that converts in the opposite direction (from Ridge alpha to torch's weight "
                "decay). Multiplying the mean loss by n turns it into Ridge's summed loss."),
    ],
    hints=[
        "Write both objectives. torch: (1/n)‖y − Xw‖² plus a penalty whose gradient is "
        "weight_decay·w. scikit-learn: ‖y − Xw‖² + alpha·‖w‖².",
        "The penalty with gradient weight_decay·w is (weight_decay/2)·‖w‖². Multiply the torch "
        "objective by n so its loss matches scikit-learn's.",
        "alpha = n_samples * weight_decay / 2.",
    ],
)


# ---- 3. One weight-decay step with the factor of 2 ------------------------------------------


def _step_case(seed, size, lr, lam):
    rng = np.random.default_rng(seed)
    return {"w": rng.normal(size=size), "grad": rng.normal(size=size), "lr": lr, "lam": lam}


def l2_gradient_step(w, grad, lr, lam):
    """Reference: one gradient step on L(w) + lam * ||w||^2, whose penalty gradient is 2 lam w."""
    return w - lr * (grad + 2 * lam * w)


l2_gradient_step_exercise = Exercise(
    name="l2_gradient_step",
    reference=l2_gradient_step,
    cases=[
        Case("5 seeded weights and gradients, lr = 0.1, lam = 0.3", _step_case(0, 5, 0.1, 0.3)),
        Case("3 seeded weights and gradients, lr = 0.01, lam = 2", _step_case(1, 3, 0.01, 2.0)),
        Case("8 seeded weights and gradients, lr = 0.5, lam = 0", _step_case(2, 8, 0.5, 0.0)),
    ],
    mistakes=[
        Mistake("seed_factor", lambda w, grad, lr, lam: (1 - lr * lam) * w - lr * grad,
                "the decay is half what it should be: (1 − lr·lam)·w belongs to the penalty "
                "(lam/2)·‖w‖². The gradient of lam·‖w‖² is 2·lam·w."),
        Mistake("no_decay", lambda w, grad, lr, lam: w - lr * grad,
                "the weights were not decayed at all: add the gradient of the penalty, "
                "2·lam·w, to the data gradient."),
        Mistake("wrong_sign", lambda w, grad, lr, lam: w - lr * (grad - 2 * lam * w),
                "the penalty pushed the weights away from zero. Its gradient 2·lam·w is added "
                "to the data gradient, and the step goes against the total."),
        Mistake("no_lr_on_decay", lambda w, grad, lr, lam: w - lr * grad - 2 * lam * w,
                "the decay term was not multiplied by the learning rate. The whole gradient, "
                "data plus penalty, is scaled by lr."),
        Mistake("decay_only", lambda w, grad, lr, lam: (1 - 2 * lr * lam) * w,
                "the data gradient is missing: the step should also move against grad."),
    ],
    hints=[
        "A gradient step is w − lr · (gradient of the whole objective).",
        "The whole gradient is grad (the data part) plus the gradient of lam·‖w‖², which is "
        "2·lam·w.",
        "w - lr * (grad + 2 * lam * w), which is also (1 - 2*lr*lam) * w - lr * grad.",
    ],
)
