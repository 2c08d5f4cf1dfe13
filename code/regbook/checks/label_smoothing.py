"""Exercises for chapter 08, "Label smoothing": references, test inputs and known mistakes."""

import numpy as np
from scipy.special import softmax

from regbook.checks import Case, Exercise, Mistake


def smooth_targets(y, num_classes, epsilon):
    """Reference: 1 - epsilon on the true class, epsilon / (K - 1) on each other class."""
    y = np.asarray(y)
    q = np.full((len(y), num_classes), epsilon / (num_classes - 1))
    q[np.arange(len(y)), y] = 1 - epsilon
    return q


def _one_hot(y, num_classes):
    return np.eye(num_classes)[np.asarray(y)]


def _uniform_over_all(y, num_classes, epsilon):
    return (1 - epsilon) * _one_hot(y, num_classes) + epsilon / num_classes


def _true_class_kept(y, num_classes, epsilon):
    return np.where(_one_hot(y, num_classes) == 1, 1.0, epsilon / (num_classes - 1))


def _eps_over_k_not_redistributed(y, num_classes, epsilon):
    return np.where(_one_hot(y, num_classes) == 1, 1 - epsilon, epsilon / num_classes)


def _epsilon_to_each(y, num_classes, epsilon):
    return np.where(_one_hot(y, num_classes) == 1, 1 - epsilon, epsilon)


def _transposed(y, num_classes, epsilon):
    return smooth_targets(y, num_classes, epsilon).T


smooth_targets_exercise = Exercise(
    name="smooth_targets",
    reference=smooth_targets,
    cases=[
        Case("y = [1, 1, 3, 0] with K = 4 classes and epsilon = 0.2",
             {"y": np.array([1, 1, 3, 0]), "num_classes": 4, "epsilon": 0.2}),
        Case("y = [0, 7, 5, 5, 2] with K = 10 classes and epsilon = 0.1",
             {"y": np.array([0, 7, 5, 5, 2]), "num_classes": 10, "epsilon": 0.1}),
        Case("y = [1, 0, 1] with K = 2 classes and epsilon = 0.3",
             {"y": np.array([1, 0, 1]), "num_classes": 2, "epsilon": 0.3}),
    ],
    mistakes=[
        Mistake("uniform_over_all", _uniform_over_all,
                "this is torch's convention: (1 - epsilon) * one_hot + epsilon / K gives every "
                "class, the true one too, epsilon / K. The book's true class gets exactly "
                "1 - epsilon and only the K - 1 other classes share epsilon, each "
                "epsilon / (K - 1)."),
        Mistake("true_class_kept", _true_class_kept,
                "the true class still gets 1, so each row sums to more than 1. Move epsilon away "
                "from the true class: it should get 1 - epsilon."),
        Mistake("eps_over_k", _eps_over_k_not_redistributed,
                "the other classes got epsilon / K, so each row sums to less than 1. The epsilon "
                "taken from the true class is shared by the K - 1 other classes: epsilon / (K - 1) "
                "each."),
        Mistake("epsilon_to_each", _epsilon_to_each,
                "each other class got the whole epsilon. Share it: epsilon / (K - 1) each, so the "
                "row sums to 1."),
        Mistake("transposed", _transposed,
                "the array is transposed. Return shape (n_samples, num_classes): one row per "
                "label, one column per class."),
    ],
    hints=[
        "Start from a (len(y), num_classes) array filled with the value of the wrong classes.",
        "Each wrong class gets epsilon / (num_classes - 1); np.full((len(y), num_classes), value) "
        "builds the array.",
        "Then set the true class of each row: q[np.arange(len(y)), y] = 1 - epsilon. Every row "
        "now sums to 1.",
    ],
)


def expected_calibration_error(probs, y, n_bins):
    """Reference: bin by max probability in ((b-1)/M, b/M], weight each bin's |acc - conf|."""
    confidence = probs.max(axis=1)
    correct = probs.argmax(axis=1) == y
    bins = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return ece


def _bin_stats(probs, y, n_bins, confidence=None):
    confidence = probs.max(axis=1) if confidence is None else confidence
    correct = probs.argmax(axis=1) == y
    bins = np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1)
    stats = [(np.mean(bins == b), correct[bins == b].mean(), confidence[bins == b].mean())
             for b in range(n_bins) if np.any(bins == b)]
    return np.array(stats), correct, confidence


def _unweighted(probs, y, n_bins):
    stats, _, _ = _bin_stats(probs, y, n_bins)
    return np.mean(np.abs(stats[:, 1] - stats[:, 2]))


def _overall_accuracy(probs, y, n_bins):
    stats, correct, _ = _bin_stats(probs, y, n_bins)
    return np.sum(stats[:, 0] * np.abs(correct.mean() - stats[:, 2]))


def _true_class_confidence(probs, y, n_bins):
    stats, _, _ = _bin_stats(probs, y, n_bins, confidence=probs[np.arange(len(y)), y])
    return np.sum(stats[:, 0] * np.abs(stats[:, 1] - stats[:, 2]))


def _no_bins(probs, y, n_bins):
    return abs(np.mean(probs.argmax(axis=1) == y) - probs.max(axis=1).mean())


def _calibration_case(seed, n_samples, num_classes, sharpness):
    """Predictions softmax(z) for labels drawn from softmax(z / sharpness): sharpness > 1 makes
    the predictions overconfident, < 1 underconfident."""
    rng = np.random.default_rng(seed)
    logits = 2.5 * rng.normal(size=(n_samples, num_classes))
    truth = softmax(logits / sharpness, axis=1)
    y = np.array([rng.choice(num_classes, p=row) for row in truth])
    return {"probs": softmax(logits, axis=1), "y": y}


expected_calibration_error_exercise = Exercise(
    name="expected_calibration_error",
    reference=expected_calibration_error,
    cases=[
        Case("400 overconfident predictions over 5 classes, 10 bins (seed 0)",
             {**_calibration_case(0, 400, 5, sharpness=2.0), "n_bins": 10}),
        Case("300 underconfident predictions over 10 classes, 15 bins (seed 1)",
             {**_calibration_case(1, 300, 10, sharpness=0.5), "n_bins": 15}),
        Case("60 predictions over 3 classes, 5 bins (seed 2)",
             {**_calibration_case(2, 60, 3, sharpness=1.5), "n_bins": 5}),
    ],
    mistakes=[
        Mistake("unweighted", _unweighted,
                "you averaged |accuracy - confidence| over the bins with equal weights. Weight "
                "each bin by the fraction of predictions it holds, |B_b| / n, so that a bin with "
                "three predictions does not count as much as one with three hundred."),
        Mistake("overall_accuracy", _overall_accuracy,
                "you compared each bin's confidence with the accuracy of all samples. Use the "
                "accuracy of the predictions inside the bin."),
        Mistake("true_class_confidence", _true_class_confidence,
                "you used the probability of the true class as the confidence. The confidence of "
                "a prediction is its largest probability, probs.max(axis=1), whatever the label."),
        Mistake("no_bins", _no_bins,
                "you compared overall accuracy with overall mean confidence, without bins. Over- "
                "and underconfident predictions then cancel; bin the predictions by confidence "
                "first and add up the per-bin gaps."),
    ],
    hints=[
        "The confidence is probs.max(axis=1), the prediction probs.argmax(axis=1); a prediction "
        "is correct when it equals y.",
        "Bin b (0-based) holds the confidences in (b/n_bins, (b+1)/n_bins]: "
        "np.clip(np.ceil(confidence * n_bins).astype(int) - 1, 0, n_bins - 1) gives each "
        "prediction's bin.",
        "For each non-empty bin add (fraction of all predictions in the bin) * |accuracy in the "
        "bin - mean confidence in the bin|.",
    ],
)
