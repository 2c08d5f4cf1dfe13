"""One module per chapter explorer, each with ``compute``, ``draw``, ``alt`` and ``make_explorer()``.

``make_explorer()`` returns the :class:`regbook.explore.Explorer` that the chapter displays; the
benchmarks and the unit tests find every explorer through :data:`CHAPTER_EXPLORERS`.
"""

CHAPTER_EXPLORERS = {
    "01_overfitting": "regbook.explorers.overfitting",
    "02_ridge": "regbook.explorers.ridge",
    "03_lasso": "regbook.explorers.lasso",
    "04_elastic_net": "regbook.explorers.elastic_net",
    "05_bayesian_prior": "regbook.explorers.bayes",
    "06_augmentation": "regbook.explorers.augmentation",
    "07_noise_injection": "regbook.explorers.noise_injection",
    "08_label_smoothing": "regbook.explorers.label_smoothing",
    "09_parameter_sharing": "regbook.explorers.parameter_sharing",
    "10_early_stopping": "regbook.explorers.early_stopping",
    "11_ensembles": "regbook.explorers.ensembles",
    "12_dropout": "regbook.explorers.dropout",
    "13_loss_landscapes": "regbook.explorers.landscape",
    "14_sgd": "regbook.explorers.sgd",
    "15_unifying_principle": "regbook.explorers.unifying_principle",
}
"""Chapter stem -> module holding that chapter's explorer(s)."""
