"""Exercises for chapter 13, "Loss landscapes": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled


def _quadratic_case():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(4, 4))
    A = A @ A.T + np.eye(4)
    return {"gradient": lambda theta: A @ theta, "theta": rng.normal(size=4),
            "v": rng.normal(size=4), "h": 1e-3}


def _logistic_case(seed=1, h=1e-3):
    X, y = load_bundled("breast_cancer")
    X = (X[:60, :5] - X[:60, :5].mean(axis=0)) / X[:60, :5].std(axis=0)
    y = y[:60].astype(float)

    def gradient(theta):
        p = 1 / (1 + np.exp(-(X @ theta)))
        return X.T @ (p - y) / len(y)

    rng = np.random.default_rng(seed)
    return {"gradient": gradient, "theta": rng.normal(size=5), "v": rng.normal(size=5), "h": h}


def _quartic_case():
    def gradient(theta):
        return 4 * theta**3 + np.array([1.0, -2.0, 0.5]) * theta

    return {"gradient": gradient, "theta": np.array([0.8, -0.3, 1.2]),
            "v": np.array([1.0, 2.0, -1.0]), "h": 1e-2}


def hessian_vector_product(gradient, theta, v, h):
    """Reference: central difference of the gradient along v, (∇L(θ + hv) − ∇L(θ − hv)) / 2h."""
    return (gradient(theta + h * v) - gradient(theta - h * v)) / (2 * h)


def _forward_difference(gradient, theta, v, h):
    return (gradient(theta + h * v) - gradient(theta)) / h


def _forgot_the_two(gradient, theta, v, h):
    return (gradient(theta + h * v) - gradient(theta - h * v)) / h


def _ignored_v(gradient, theta, v, h):
    return (gradient(theta + h) - gradient(theta - h)) / (2 * h)


def _reversed_sign(gradient, theta, v, h):
    return (gradient(theta - h * v) - gradient(theta + h * v)) / (2 * h)


def _no_division(gradient, theta, v, h):
    return gradient(theta + h * v) - gradient(theta - h * v)


hessian_vector_product_exercise = Exercise(
    name="hessian_vector_product",
    reference=hessian_vector_product,
    cases=[
        Case("a quadratic ½θᵀAθ with a random positive definite 4 × 4 A (seed 0)",
             _quadratic_case()),
        Case("the logistic-regression loss on 60 breast-cancer patients, 5 features",
             _logistic_case()),
        Case("the quartic Σθᵢ⁴ + ½Σcᵢθᵢ² with h = 0.01", _quartic_case()),
    ],
    mistakes=[
        Mistake("forward_difference", _forward_difference,
                "you used a forward difference, (∇L(θ + hv) − ∇L(θ))/h. It is exact on a "
                "quadratic but its error is of order h elsewhere; the central difference "
                "(∇L(θ + hv) − ∇L(θ − hv))/(2h) cancels that term and errs only by order h²."),
        Mistake("forgot_the_two", _forgot_the_two,
                "your answer is twice the right one: the two points θ ± hv are 2h apart, so "
                "divide the difference of the gradients by 2h, not by h."),
        Mistake("ignored_v", _ignored_v,
                "you moved every coordinate by h (θ ± h) instead of moving along the direction v "
                "(θ ± h·v). The product Hv needs the change of the gradient along v."),
        Mistake("reversed_sign", _reversed_sign,
                "the sign is reversed: subtract the gradient at θ − hv from the gradient at "
                "θ + hv."),
        Mistake("no_division", _no_division,
                "you returned the difference of the gradients without dividing by the step 2h."),
    ],
    hints=[
        "A Hessian-vector product is a directional derivative of the gradient: "
        "Hv = d/dt ∇L(θ + tv) at t = 0.",
        "Approximate that derivative with a central difference: evaluate the gradient at "
        "θ + hv and at θ − hv.",
        "(gradient(theta + h * v) - gradient(theta - h * v)) / (2 * h).",
    ],
    rtol=1e-7,
    atol=1e-10,
)


def _weights_case(shape, seed):
    rng = np.random.default_rng(seed)
    weight = rng.normal(scale=0.5, size=shape) * rng.uniform(0.2, 3.0, size=(shape[0],) +
                                                             (1,) * (len(shape) - 1))
    return {"direction": rng.normal(size=shape), "weight": weight}


def filter_normalize(direction, weight):
    """Reference: each filter (row along axis 0) of the direction gets the norm of the same filter
    of the weight; a 1-D parameter (a bias) gets a zero direction."""
    if weight.ndim <= 1:
        return np.zeros_like(direction)
    rows = direction.reshape(len(direction), -1)
    weight_rows = weight.reshape(len(weight), -1)
    scale = np.linalg.norm(weight_rows, axis=1) / np.linalg.norm(rows, axis=1)
    return (rows * scale[:, None]).reshape(direction.shape)


def _layer_wise(direction, weight):
    if weight.ndim <= 1:
        return np.zeros_like(direction)
    return direction * np.linalg.norm(weight) / np.linalg.norm(direction)


def _columns(direction, weight):
    if weight.ndim <= 1:
        return np.zeros_like(direction)
    rows = direction.reshape(len(direction), -1)
    weight_rows = weight.reshape(len(weight), -1)
    scale = np.linalg.norm(weight_rows, axis=0) / np.linalg.norm(rows, axis=0)
    return (rows * scale[None, :]).reshape(direction.shape)


def _unit_filters(direction, weight):
    if weight.ndim <= 1:
        return np.zeros_like(direction)
    rows = direction.reshape(len(direction), -1)
    return (rows / np.linalg.norm(rows, axis=1)[:, None]).reshape(direction.shape)


def _bias_as_filter(direction, weight):
    if weight.ndim <= 1:
        return direction * np.abs(weight) / np.abs(direction)
    return filter_normalize(direction, weight)


def _bias_unchanged(direction, weight):
    if weight.ndim <= 1:
        return direction
    return filter_normalize(direction, weight)


def _times_weight(direction, weight):
    if weight.ndim <= 1:
        return np.zeros_like(direction)
    return direction * weight


filter_normalize_exercise = Exercise(
    name="filter_normalize",
    reference=filter_normalize,
    cases=[
        Case("a 32 × 64 linear-layer weight (seed 0)", _weights_case((32, 64), 0)),
        Case("a convolution weight of shape (8, 3, 3, 3): 8 filters of 3 × 3 × 3 (seed 1)",
             _weights_case((8, 3, 3, 3), 1)),
        Case("a bias of shape (10,) (seed 2)", _weights_case((10,), 2)),
    ],
    mistakes=[
        Mistake("layer_wise", _layer_wise,
                "you normalised the whole layer at once (layer-wise). Li et al. normalise each "
                "filter: each row along axis 0 gets the norm of the matching row of the weight."),
        Mistake("columns", _columns,
                "you normalised the columns (axis 1). A filter is one output unit: a row along "
                "axis 0, flattened over all the remaining axes."),
        Mistake("unit_filters", _unit_filters,
                "each filter now has norm 1. Multiply it by the norm of the matching filter of "
                "the weight, so that steps are measured relative to the weights' scale."),
        Mistake("bias_as_filter", _bias_as_filter,
                "you treated each entry of a 1-D parameter as a filter. Biases (and "
                "normalisation-layer parameters) get a zero direction."),
        Mistake("bias_unchanged", _bias_unchanged,
                "you left the bias direction as drawn. Li et al. set the direction of 1-D "
                "parameters such as biases to zero."),
        Mistake("times_weight", _times_weight,
                "you multiplied the direction by the weight entry by entry. Scale each whole "
                "filter by a single number: ‖weight filter‖ / ‖direction filter‖."),
    ],
    hints=[
        "Flatten each filter: rows = direction.reshape(len(direction), -1), and the same for "
        "the weight. A 1-D parameter is a bias: return zeros.",
        "The scale of row i is ‖weight row i‖ / ‖direction row i‖: "
        "np.linalg.norm(rows, axis=1) gives all the row norms.",
        "Multiply each row by its scale (scale[:, None]) and reshape back to direction.shape.",
    ],
)
