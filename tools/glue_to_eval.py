"""Rewrite ``{glue:text}`name:fmt``` roles in notebooks' markdown as ``{eval}`glued('name:fmt')```.

JupyterLab (jupyterlab-myst) evaluates ``{eval}`` roles in the kernel after Run All; it has no glue
role. ``regbook.glue`` defines ``glued`` in the book's kernel, and ``_ext/book_assets.py`` turns
the ``{eval}`` form back into ``{glue:text}`` for the website, so both show the glued number.

Idempotent: a notebook without ``{glue:text}`` roles is left byte for byte as it was. Only markdown
cells change; the file is written by nbformat, as nbstripout writes it.

Usage: python tools/glue_to_eval.py NOTEBOOK.ipynb ...   (--check: change nothing, exit 1 if any
notebook still has a {glue:text} role)
"""

import re
import sys

import nbformat

GLUE_TEXT = re.compile(r"\{glue:text\}`([^`']+)`")


def to_eval(markdown):
    """The markdown with every ``{glue:text}`key``` replaced by ``{eval}`glued('key')```."""
    return GLUE_TEXT.sub(lambda m: "{eval}`glued('" + m.group(1) + "')`", markdown)


def rewrite(path, check=False):
    """Rewrite one notebook in place (not with ``check``); return how many roles it had."""
    notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    count = 0
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        source = cell["source"]
        found = len(GLUE_TEXT.findall(source))
        if found:
            count += found
            cell["source"] = to_eval(source)
    if count and not check:
        nbformat.write(notebook, path)
    return count


def main(argv):
    check = "--check" in argv
    paths = [arg for arg in argv if arg != "--check"]
    if not paths:
        print(__doc__)
        return 2
    remaining = 0
    for path in paths:
        count = rewrite(path, check=check)
        remaining += count
        verb = "has" if check else "rewrote"
        print(f"{path}: {verb} {count} {{glue:text}} role(s)")
    return 1 if check and remaining else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
