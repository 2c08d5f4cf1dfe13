"""Book-wide Sphinx settings that Jupyter Book's _config.yml cannot express."""


def setup(app):
    # Quizzes and explorer captions carry inline math inside notebook HTML outputs, which Sphinx
    # does not see when it decides whether a page needs MathJax; load it on every page instead.
    app.set_html_assets_policy("always")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
