"""Exercises for chapter 12, "Dropout": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake


def _activations_and_mask(seed, p, shape=(6, 4)):
    rng = np.random.default_rng(seed)
    h = rng.normal(loc=0.5, scale=1.5, size=shape)
    return {"h": h, "keep_mask": (rng.random(shape) >= p).astype(float), "p": p}


def inverted_dropout(h, keep_mask, p):
    """Reference: keep the units where keep_mask is 1 and scale them by 1/(1 − p)."""
    return h * keep_mask / (1 - p)


inverted_dropout_exercise = Exercise(
    name="inverted_dropout",
    reference=inverted_dropout,
    cases=[
        Case("6 × 4 activations with p = 0.2 (seed 0)", _activations_and_mask(0, 0.2)),
        Case("6 × 4 activations with p = 0.5 (seed 1)", _activations_and_mask(1, 0.5)),
        Case("3 × 5 activations with p = 0.9 (seed 2)", _activations_and_mask(2, 0.9, (3, 5))),
    ],
    mistakes=[
        Mistake("divided_by_p", lambda h, keep_mask, p: h * keep_mask / p,
                "you divided by p. In torch's convention p is the probability of dropping a "
                "unit, so a unit is kept with probability 1 − p, and dividing by 1 − p keeps the "
                "mean: E[m] / (1 − p) = 1."),
        Mistake("no_scaling", lambda h, keep_mask, p: h * keep_mask,
                "you applied the mask without scaling. That is the original dropout of "
                "Srivastava et al., which scales at test time instead; inverted dropout divides "
                "the kept units by 1 − p during training."),
        Mistake("test_time_rule", lambda h, keep_mask, p: h * keep_mask * (1 - p),
                "you multiplied by 1 − p. That is the original test-time rule; applied in "
                "training it shrinks the mean to (1 − p)² h. Divide by 1 − p instead."),
        Mistake("mask_inverted", lambda h, keep_mask, p: h * (1 - keep_mask) / (1 - p),
                "you kept the units where keep_mask is 0. keep_mask is 1 for the units that "
                "survive."),
    ],
    hints=[
        "Zero the dropped units by multiplying by keep_mask, then rescale the survivors.",
        "A unit survives with probability 1 − p, so E[keep_mask] = 1 − p. Which factor makes the "
        "mean of the output equal to h?",
        "h * keep_mask / (1 - p).",
    ],
)


def inverted_dropout_variance(h, p):
    """Reference: Var[m h / (1 − p)] = h² p / (1 − p) for m ~ Bernoulli(1 − p)."""
    return h**2 * p / (1 - p)


inverted_dropout_variance_exercise = Exercise(
    name="inverted_dropout_variance",
    reference=inverted_dropout_variance,
    cases=[
        Case("h = [0.5, 2, −3] with p = 0.2",
             {"h": np.array([0.5, 2.0, -3.0]), "p": 0.2}),
        Case("h = [1.5, −0.25, 4] with p = 0.5",
             {"h": np.array([1.5, -0.25, 4.0]), "p": 0.5}),
        Case("h = [3, 0.1] with p = 0.8", {"h": np.array([3.0, 0.1]), "p": 0.8}),
    ],
    mistakes=[
        Mistake("h_not_squared", lambda h, p: h * p / (1 - p),
                "your variance is linear in h. A variance scales with the square: Var[c X] = "
                "c² Var[X], here with c = h / (1 − p)."),
        Mistake("original_dropout", lambda h, p: h**2 * p * (1 - p),
                "that is the variance of the original, unscaled dropout m h. Inverted dropout "
                "divides by 1 − p, which multiplies the variance by 1 / (1 − p)²."),
        Mistake("second_moment", lambda h, p: h**2 / (1 - p),
                "that is E[(m h / (1 − p))²], the second moment. Subtract the squared mean, h²."),
        Mistake("bernoulli_only", lambda h, p: p * (1 - p) + 0 * h,
                "that is the variance of the mask m alone. The unit's output is m h / (1 − p): "
                "scale the mask's variance by (h / (1 − p))²."),
        Mistake("p_swapped", lambda h, p: h**2 * (1 - p) / p,
                "you swapped p and 1 − p. p is the probability of dropping the unit."),
    ],
    hints=[
        "Write the output as c·m with c = h / (1 − p) and m ~ Bernoulli(1 − p).",
        "Var[c m] = c² Var[m], and Var[m] = p (1 − p).",
        "h ** 2 * p / (1 - p).",
    ],
)


def _softmax_case(seed, p, n=5, d=4, k=3):
    rng = np.random.default_rng(seed)
    return {"X": rng.normal(size=(n, d)), "W": rng.normal(scale=1.5, size=(d, k)),
            "b": rng.normal(size=k), "p": p}


def _softmax(z):
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def weight_scaled_probabilities(X, W, b, p):
    """Reference: the weight-scaling rule for original input dropout, softmax((1 − p) X W + b)."""
    z = (1 - p) * (X @ W) + b
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


weight_scaled_probabilities_exercise = Exercise(
    name="weight_scaled_probabilities",
    reference=weight_scaled_probabilities,
    cases=[
        Case("5 samples, 4 inputs, 3 classes, p = 0.2 (seed 0)", _softmax_case(0, 0.2)),
        Case("5 samples, 4 inputs, 3 classes, p = 0.5 (seed 1)", _softmax_case(1, 0.5)),
        Case("8 samples, 6 inputs, 4 classes, p = 0.7 (seed 2)", _softmax_case(2, 0.7, 8, 6, 4)),
    ],
    mistakes=[
        Mistake("no_scaling", lambda X, W, b, p: _softmax(X @ W + b),
                "you used the weights unchanged. This model was trained with original dropout "
                "(no scaling in training), so at test time each input's weight is multiplied by "
                "its keep probability 1 − p."),
        Mistake("divided", lambda X, W, b, p: _softmax(X @ W / (1 - p) + b),
                "you divided by 1 − p. That is the training-time factor of inverted dropout; "
                "for original dropout the test-time weights are (1 − p) W."),
        Mistake("scaled_bias", lambda X, W, b, p: _softmax((1 - p) * (X @ W + b)),
                "you scaled the bias too. Dropout acts on the inputs, so only the weights that "
                "multiply them are scaled; the bias was always present in training."),
        Mistake("scaled_by_p", lambda X, W, b, p: _softmax(p * (X @ W) + b),
                "you scaled by p, the drop probability. Srivastava et al. write p for the keep "
                "probability; in this book's (torch's) convention that is 1 − p."),
        Mistake("no_softmax", lambda X, W, b, p: (1 - p) * (X @ W) + b,
                "these are the logits. Return the class probabilities: apply the softmax to each "
                "row."),
    ],
    hints=[
        "The expected input of each weight in training is (1 − p) x, so the test-time network "
        "uses (1 − p) W; the bias is unchanged.",
        "Compute the logits (1 − p) X @ W + b and turn each row into probabilities with a "
        "softmax (subtract the row maximum first for stability).",
        "z = (1 - p) * (X @ W) + b; z -= z.max(axis=1, keepdims=True); "
        "e = np.exp(z); return e / e.sum(axis=1, keepdims=True).",
    ],
)
