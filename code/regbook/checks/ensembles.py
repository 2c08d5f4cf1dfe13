"""Exercises for chapter 11, "Ensembles and bagging": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake


def ensemble_error(V, C, k):
    """Reference: expected squared error of the average of k members, V/k + (k − 1)C/k."""
    return V / k + (k - 1) / k * C


ensemble_error_exercise = Exercise(
    name="ensemble_error",
    reference=ensemble_error,
    cases=[
        Case("V = 2.0, C = 0.5, k = 10", {"V": 2.0, "C": 0.5, "k": 10}),
        Case("V = 1.0, C = 0.0, k = 4 (independent errors)", {"V": 1.0, "C": 0.0, "k": 4}),
        Case("V = 3.0, C = 3.0, k = 7 (identical errors)", {"V": 3.0, "C": 3.0, "k": 7}),
        Case("V = 0.8, C = -0.1, k = 5 (negatively correlated errors)",
             {"V": 0.8, "C": -0.1, "k": 5}),
    ],
    mistakes=[
        Mistake("variance_over_k_only", lambda V, C, k: V / k,
                "you returned V/k, the error of independent members. The covariance C is shared "
                "by every pair of members and does not average away: add (k − 1)C/k."),
        Mistake("swapped_weights", lambda V, C, k: C / k + (k - 1) / k * V,
                "the weights of V and C are swapped. Of the k² terms in the squared sum, k are "
                "squares (mean V) and k(k − 1) are cross products (mean C); divide both by k²."),
        Mistake("covariance_not_divided", lambda V, C, k: V / k + (k - 1) * C,
                "the covariance term is (k − 1)C/k, not (k − 1)C: all k² terms of the squared sum "
                "are divided by k²."),
        Mistake("covariance_whole", lambda V, C, k: V / k + C,
                "the covariance term is (k − 1)C/k, not C: there are k(k − 1) cross products, "
                "divided by k², which is slightly less than C for finite k."),
        Mistake("variance_not_divided", lambda V, C, k: V + (k - 1) / k * C,
                "the V term must be divided by k too: the k squared terms contribute kV, "
                "divided by k²."),
    ],
    hints=[
        "Expand (ε₁ + … + ε_k)² / k² and take the expectation of each term.",
        "There are k squared terms, each with mean V, and k(k − 1) cross terms εᵢεⱼ (i ≠ j), "
        "each with mean C.",
        "V / k + (k - 1) / k * C.",
    ],
)


def out_of_bag_rows(n_samples, seed):
    """Reference: draw one bootstrap sample and mark the rows it never drew."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n_samples, size=n_samples)
    mask = np.ones(n_samples, dtype=bool)
    mask[rows] = False
    return mask


def _drawn_rows(n_samples, seed):
    return ~out_of_bag_rows(n_samples, seed)


def _without_replacement(n_samples, seed):
    rng = np.random.default_rng(seed)
    rows = rng.choice(n_samples, size=n_samples, replace=False)
    mask = np.ones(n_samples, dtype=bool)
    mask[rows] = False
    return mask


def _fraction_632(n_samples, seed):
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, n_samples, size=int(0.632 * n_samples))
    mask = np.ones(n_samples, dtype=bool)
    mask[rows] = False
    return mask


out_of_bag_rows_exercise = Exercise(
    name="out_of_bag_rows",
    reference=out_of_bag_rows,
    cases=[Case(f"n_samples = {n}, seed = {s}", {"n_samples": n, "seed": s})
           for n, s in [(10, 0), (50, 1), (300, 2)]],
    mistakes=[
        Mistake("drawn_rows", _drawn_rows,
                "your mask marks the rows that were drawn. The out-of-bag rows are the others: "
                "the rows that no draw picked (about 37% of them)."),
        Mistake("without_replacement", _without_replacement,
                "you drew without replacement, so every row is drawn once and no row is out of "
                "bag. A bootstrap sample draws n rows *with* replacement: rng.integers."),
        Mistake("fraction_632", _fraction_632,
                "you drew only 0.632·n rows. A bootstrap sample has n draws; 63.2% is the "
                "expected fraction of *distinct* rows among them, not the number of draws."),
    ],
    hints=[
        "Draw n row indices with replacement, then mark every row that never appears.",
        "rows = rng.integers(0, n_samples, size=n_samples); start from a mask of True and set "
        "the drawn rows to False.",
        "mask = np.ones(n_samples, dtype=bool); mask[rows] = False; return mask.",
    ],
)


def distinct_fraction(n_samples):
    """Reference: expected fraction of distinct rows in a bootstrap sample, 1 − (1 − 1/n)ⁿ."""
    return 1.0 - (1.0 - 1.0 / n_samples) ** n_samples


distinct_fraction_exercise = Exercise(
    name="distinct_fraction",
    reference=distinct_fraction,
    cases=[Case(f"n_samples = {n}", {"n_samples": n}) for n in (2, 5, 50, 10_000)],
    mistakes=[
        Mistake("out_of_bag_fraction", lambda n_samples: (1.0 - 1.0 / n_samples) ** n_samples,
                "that is the probability that a row is never drawn, the out-of-bag fraction. "
                "The fraction of distinct rows is one minus it."),
        Mistake("limit_only", lambda n_samples: 1.0 - np.exp(-1.0),
                "1 − 1/e is the limit for large n. For a finite n the exact value is "
                "1 − (1 − 1/n)ⁿ, noticeably larger for small n (0.75 at n = 2)."),
        Mistake("one_draw", lambda n_samples: 1.0 - (1.0 - 1.0 / n_samples),
                "you used the probability that one draw misses a row. All n draws must miss it: "
                "raise (1 − 1/n) to the power n."),
    ],
    hints=[
        "A row is distinct-in-the-sample unless every one of the n draws misses it.",
        "One draw misses a given row with probability 1 − 1/n; the draws are independent.",
        "1 - (1 - 1 / n_samples) ** n_samples.",
    ],
)
