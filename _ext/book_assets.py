"""Book-wide Sphinx settings that Jupyter Book's _config.yml cannot express."""

import logging
import re
from pathlib import Path

from sphinx.util import logging as sphinx_logging

logger = sphinx_logging.getLogger(__name__)

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


# A glued number in the prose is written {eval}`glued('name:fmt')`: JupyterLab (jupyterlab-myst)
# evaluates it in the kernel, where regbook.glue defines glued. myst-nb supports {eval} only in its
# inline execution mode, which would give up the parallel pre-execution below, so the website
# reads the same role as myst-nb's {glue:text}`name:fmt`. Any other {eval} still fails the build.
GLUED_EVAL = re.compile(r"\{eval\}`glued\('([^`']+)'\)`")


def glued_eval_to_glue_text(app, docname, source):
    source[0] = GLUED_EVAL.sub(r"{glue:text}`\1`", source[0])


def toc_notebooks(app):
    """The .ipynb files that the table of contents lists, in its order."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site_map = parse_toc_yaml(app.config.external_toc_path)
    srcdir = Path(app.srcdir)
    paths = [srcdir / f"{docname}.ipynb" for docname in site_map]
    return [path for path in paths if path.is_file()]


def execute_notebooks_in_parallel(app):
    """Fill myst-nb's execution cache with every stale notebook, running them on all cores at once.

    myst-nb executes notebooks one after another as Sphinx reads them, which leaves one of the two
    cores idle for most of a cold build. Running the stale ones first, in parallel, into the same
    jupyter-cache turns each of myst-nb's executions into a cache hit. A notebook that fails here
    is left uncached: myst-nb then executes it again and reports its error as usual.
    """
    config = app.env.mystnb_config
    if config.execution_mode != "cache" or app.builder.format != "html":
        return
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    # myst-nb's own builder-inited handler has resolved the path (it runs first, see setup).
    cache = get_cache(config.execution_cache_path)
    stale = []
    for path in toc_notebooks(app):
        cache.add_nb_to_project(str(path))
        stale += [record.uri for record in cache.list_unexecuted([str(path)])]
    if not stale:
        return
    logger.info(f"executing {len(stale)} notebook(s) in parallel into the execution cache")
    quiet = logging.getLogger("regbook.execute")
    quiet.setLevel(logging.WARNING)
    result = load_executor("local-parallel", cache, logger=quiet).run_and_cache(
        filter_uris=stale, timeout=config.execution_timeout, allow_errors=config.execution_allow_errors)
    for uri in result.excepted + result.errored:
        logger.info(f"parallel execution failed for {uri}; myst-nb will run it again")


def setup(app):
    # Quizzes and explorer captions carry inline math inside notebook HTML outputs, which Sphinx
    # does not see when it decides whether a page needs MathJax; load it on every page instead.
    app.set_html_assets_policy("always")
    # After myst-nb's handler (priority 500), which resolves the execution cache path.
    app.connect("builder-inited", execute_notebooks_in_parallel, priority=900)
    app.connect("source-read", glued_eval_to_glue_text)
    app.connect("build-finished", repair_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
