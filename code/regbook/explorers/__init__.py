"""One module per chapter explorer, each with ``compute``, ``draw``, ``alt`` and ``make_explorer()``.

``make_explorer()`` returns the :class:`regbook.explore.Explorer` that the chapter displays; the
benchmarks and the unit tests find every explorer through :data:`CHAPTER_EXPLORERS`.
"""

CHAPTER_EXPLORERS = {
    "01_overfitting": "regbook.explorers.overfitting",
}
"""Chapter stem -> module holding that chapter's explorer(s)."""
