from regbook.polynomial import PolynomialRidge
from regbook.source import show_source


def test_docstring_is_removed_by_default_and_kept_on_request():
    without = show_source(PolynomialRidge.fit)
    assert without.startswith("def fit(self, X, y):")
    assert "Fit the coefficients" not in without and "ridge_closed_form" in without
    assert "Fit the coefficients" in show_source(PolynomialRidge.fit, docstring=True)


def test_renders_as_a_python_code_block():
    assert show_source(PolynomialRidge.predict)._repr_markdown_().startswith("```python\n")
