"""Book-wide Sphinx settings that Jupyter Book's _config.yml cannot express."""

import re
from pathlib import Path

# Accessibility repairs of theme and docutils markup, applied to every written page. Each is an
# exact replacement of markup we do not generate ourselves; axe-core flags the originals:
ACCESSIBILITY_FIXES = [
    # summary-name: the sidebar's expand/collapse toggles are icon-only <summary> elements.
    ('<summary><span class="toctree-toggle" role="presentation">',
     '<summary aria-label="Show or hide this chapter\'s sections">'
     '<span class="toctree-toggle" role="presentation">'),
    # aria-required-children: docutils puts doc-biblioentry items in a role="list" container,
    # and a list may only hold listitems.
    ('role="doc-biblioentry"', 'role="listitem"'),
]


# Saved ipywidgets state has no consumer on the website (nb_ipywidgets_js is empty: the explorers
# show their kernel-free twins), so it is dead weight of tens of KB per page with an explorer.
WIDGET_STATE = re.compile(
    r'<script type="application/vnd\.jupyter\.widget-state\+json">.*?</script>\s*', re.DOTALL)


def repair_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        repaired = WIDGET_STATE.sub("", text)
        for before, after in ACCESSIBILITY_FIXES:
            repaired = repaired.replace(before, after)
        if repaired != text:
            page.write_text(repaired, encoding="utf-8")


def setup(app):
    # Quizzes and explorer captions carry inline math inside notebook HTML outputs, which Sphinx
    # does not see when it decides whether a page needs MathJax; load it on every page instead.
    app.set_html_assets_policy("always")
    app.connect("build-finished", repair_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
