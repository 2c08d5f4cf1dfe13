"""Exercises for chapter 10, "Early stopping": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake


def patience_rule(val_loss, patience, min_delta):
    """Reference: the epoch where training ends and the epoch whose weights are restored."""
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_loss):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_loss) - 1, best_epoch


def _ties_improve(val_loss, patience, min_delta):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_loss):
        if loss <= best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_loss) - 1, best_epoch


def _one_epoch_late(val_loss, patience, min_delta):
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(val_loss):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait > patience:
                return epoch, best_epoch
    return len(val_loss) - 1, best_epoch


def _ignores_min_delta(val_loss, patience, min_delta):
    return patience_rule(val_loss, patience, 0.0)


def _compares_with_previous_epoch(val_loss, patience, min_delta):
    best_epoch, wait = 0, 0
    for epoch in range(1, len(val_loss)):
        if val_loss[epoch] < val_loss[epoch - 1] - min_delta:
            wait = 0
            if val_loss[epoch] < val_loss[best_epoch]:
                best_epoch = epoch
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(val_loss) - 1, best_epoch


def _best_of_whole_curve(val_loss, patience, min_delta):
    stop, _ = patience_rule(val_loss, patience, min_delta)
    return stop, int(np.argmin(val_loss))


def _curve(kind):
    epochs = np.arange(40)
    if kind == "u_shape":  # falls, then rises: overfitting, with a little wiggle
        return list(np.round((epochs - 12) ** 2 / 150 + 0.5 + 0.03 * np.sin(1.7 * epochs), 4))
    if kind == "falling":  # a clean convex problem: validation loss keeps falling
        return list(np.round(1.0 / (1 + 0.2 * epochs), 4))
    if kind == "rebound":  # a rise, then a slow recovery that never beats the best
        return [1.0, 0.5, 0.9, 0.8, 0.7, 0.6, 0.55, 0.9, 1.0, 1.1]
    if kind == "plateau":  # a tiny improvement after a flat stretch, then a real one
        return [1.0, 0.8, 0.7, 0.7, 0.7, 0.69, 0.7, 0.7, 0.7, 0.7, 0.5, 0.6, 0.6, 0.6, 0.6,
                0.6, 0.6, 0.45, 0.6, 0.6]
    raise ValueError(kind)


patience_rule_exercise = Exercise(
    name="patience_rule",
    reference=patience_rule,
    cases=[
        Case("a U-shaped validation curve of 40 epochs, patience 5, min_delta 0",
             {"val_loss": _curve("u_shape"), "patience": 5, "min_delta": 0.0}),
        Case("a curve that rises and slowly recovers, patience 3, min_delta 0",
             {"val_loss": _curve("rebound"), "patience": 3, "min_delta": 0.0}),
        Case("a curve with ties and a plateau, patience 4, min_delta 0",
             {"val_loss": _curve("plateau"), "patience": 4, "min_delta": 0.0}),
        Case("the same plateau curve with min_delta = 0.05, patience 6",
             {"val_loss": _curve("plateau"), "patience": 6, "min_delta": 0.05}),
        Case("a validation curve that keeps falling (clean convex problem), patience 3",
             {"val_loss": _curve("falling"), "patience": 3, "min_delta": 0.0}),
        Case("the plateau curve with patience 0", {"val_loss": _curve("plateau"), "patience": 0,
                                                   "min_delta": 0.0}),
    ],
    mistakes=[
        Mistake("best_of_whole_curve", _best_of_whole_curve,
                "your best epoch is the minimum of the whole curve, including epochs after the "
                "stop. Training never saw those epochs: keep the best of the epochs seen so far."),
        Mistake("one_epoch_late", _one_epoch_late,
                "you stop one epoch late. Training stops as soon as `patience` epochs in a row "
                "have not improved: test wait >= patience, not wait > patience."),
        Mistake("ties_improve", _ties_improve,
                "an epoch that only equals the best score counted as an improvement. The change "
                "must be strictly larger than min_delta: use <, not <=."),
        Mistake("ignores_min_delta", _ignores_min_delta,
                "min_delta had no effect. An epoch improves only when loss < best - min_delta."),
        Mistake("compares_with_previous_epoch", _compares_with_previous_epoch,
                "you compared each epoch with the previous epoch. Compare with the best score so "
                "far: a small dip after a rise is not an improvement."),
    ],
    hints=[
        "Walk through the curve once, keeping three things: the best loss so far, its epoch, and "
        "how many epochs have passed since it.",
        "An epoch improves when loss < best - min_delta: then it becomes the best and the counter "
        "goes back to 0. Otherwise the counter goes up by one, and when it reaches patience you "
        "return (this epoch, the best epoch).",
        "If the loop ends without stopping, training ran to the last epoch: return "
        "(len(val_loss) - 1, best_epoch).",
    ],
)


def gd_filter(eigenvalues, lr, steps):
    """Reference: the fraction 1 − (1 − ηλ)^τ of each least-squares coefficient after τ steps."""
    return 1.0 - (1.0 - lr * np.asarray(eigenvalues, dtype=float)) ** steps


def _ridge_filter_instead(eigenvalues, lr, steps):
    eigenvalues = np.asarray(eigenvalues, dtype=float)
    return eigenvalues / (eigenvalues + 1.0 / (lr * steps))


_FILTER_CASES = [
    Case("eigenvalues [0.01, 0.1, 0.5, 1.0], lr = 0.5, 10 steps",
         {"eigenvalues": np.array([0.01, 0.1, 0.5, 1.0]), "lr": 0.5, "steps": 10}),
    Case("eigenvalues [0.001, 0.3, 2.0], lr = 0.4, 3 steps",
         {"eigenvalues": np.array([0.001, 0.3, 2.0]), "lr": 0.4, "steps": 3}),
    Case("eigenvalues [0.05, 1.5], lr = 1.0 (so ηλ = 1.5 > 1), 4 steps",
         {"eigenvalues": np.array([0.05, 1.5]), "lr": 1.0, "steps": 4}),
]

gd_filter_exercise = Exercise(
    name="gd_filter",
    reference=gd_filter,
    cases=_FILTER_CASES,
    mistakes=[
        Mistake("remaining_fraction", lambda eigenvalues, lr, steps:
                (1.0 - lr * np.asarray(eigenvalues)) ** steps,
                "you returned (1 − ηλ)^τ, the fraction of the gap that is still left. The filter "
                "is the fraction already covered: 1 minus that."),
        Mistake("ridge_instead", _ridge_filter_instead,
                "that is ridge's filter λ/(λ + α) with α = 1/(ητ): only an approximation of "
                "gradient descent. Iterate the update along one eigenvector instead."),
        Mistake("gradient_flow", lambda eigenvalues, lr, steps:
                1.0 - np.exp(-lr * np.asarray(eigenvalues) * steps),
                "1 − exp(−ηλτ) is the filter of gradient flow (infinitely small steps). Discrete "
                "steps multiply the gap by (1 − ηλ) each time."),
        Mistake("one_step_short", lambda eigenvalues, lr, steps:
                1.0 - (1.0 - lr * np.asarray(eigenvalues)) ** (steps - 1),
                "your exponent is τ − 1. Starting from w₀ = 0, after τ steps the gap has been "
                "multiplied by (1 − ηλ) exactly τ times."),
        Mistake("linearised", lambda eigenvalues, lr, steps: lr * np.asarray(eigenvalues) * steps,
                "ηλτ is only the first-order term for small ηλτ; it grows without bound instead "
                "of approaching 1."),
    ],
    hints=[
        "Along an eigenvector with eigenvalue λ, the gradient step is c ← c − ηλ(c − ĉ), where ĉ "
        "is the least-squares coefficient.",
        "So the gap c − ĉ is multiplied by (1 − ηλ) at every step. Starting at c = 0, after τ "
        "steps the gap is −(1 − ηλ)^τ ĉ.",
        "1.0 - (1.0 - lr * eigenvalues) ** steps.",
    ],
)


def sklearn_ridge_alpha(n_samples, lr, steps):
    """Reference: scikit-learn's Ridge alpha that τ steps of size η imitate, n / (ητ)."""
    return n_samples / (lr * steps)


sklearn_ridge_alpha_exercise = Exercise(
    name="sklearn_ridge_alpha",
    reference=sklearn_ridge_alpha,
    cases=[Case(f"n_samples = {n}, lr = {lr}, steps = {s}", {"n_samples": n, "lr": lr, "steps": s})
           for n, lr, s in [(221, 0.5, 40), (50, 0.1, 7), (1000, 0.02, 300)]],
    mistakes=[
        Mistake("forgot_n", lambda n_samples, lr, steps: 1.0 / (lr * steps),
                "that is α in the per-sample scaling, (1/2n)‖y − Xw‖² + (α/2)‖w‖². scikit-learn's "
                "Ridge has no 1/n (and no 1/2): multiply the objective by 2n."),
        Mistake("product_not_inverse", lambda n_samples, lr, steps: n_samples * lr * steps,
                "more steps mean less regularization, so α must fall as ητ grows: it is the "
                "inverse, n / (ητ)."),
        Mistake("divided_by_n", lambda n_samples, lr, steps: 1.0 / (n_samples * lr * steps),
                "you divided by n. Going from the per-sample objective to scikit-learn's sum of "
                "squares multiplies the penalty by n."),
        Mistake("half", lambda n_samples, lr, steps: n_samples / (2 * lr * steps),
                "there is a factor 1/2 too many. (1/2n)‖y − Xw‖² + (α/2)‖w‖² times 2n is "
                "‖y − Xw‖² + nα‖w‖²: the halves cancel."),
    ],
    hints=[
        "With L(w) = (1/2n)‖y − Xw‖², τ steps of size η behave like the penalty (α/2)‖w‖² with "
        "α = 1/(ητ).",
        "Multiply (1/2n)‖y − Xw‖² + (α/2)‖w‖² by 2n to get scikit-learn's form "
        "‖y − Xw‖² + α_sk‖w‖².",
        "n_samples / (lr * steps).",
    ],
)
