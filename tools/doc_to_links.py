"""Rewrite ``{doc}`target``` roles as Markdown links ``[Title](target.ipynb)``, which work in both places.

JupyterLab (jupyterlab-myst) turns ``{doc}`02_ridge``` into a link to the path ``02_ridge``, a file that
does not exist, so the learner's click opens nothing. A Markdown link to the notebook file opens it in
JupyterLab, and on the website myst-parser resolves a link to a source file as a cross-reference to that
page: ``02_ridge.html``. A link to a missing page is a ``myst.xref_missing`` warning, so the zero-warning
build still fails on a broken reference, as ``{doc}`` did. The link text is the target's title (its first
``# `` heading), which is what ``{doc}`` shows on the website.

Idempotent: a file without ``{doc}`` roles is left byte for byte as it was. Notebooks change only in their
markdown cells and are written by nbformat, as nbstripout writes them.

Usage: python tools/doc_to_links.py FILE.ipynb|FILE.md ...   (--check: change nothing, exit 1 if any file
still has a {doc} role)
"""

import re
import sys
from pathlib import Path

import nbformat

DOC_ROLE = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<([^`>]+)>|([^`]+))`")
SUFFIXES = (".ipynb", ".md")


def source_file(document, base):
    """The file (``.ipynb`` or ``.md``) of the document ``document``, relative to the folder ``base``."""
    for suffix in SUFFIXES:
        path = (base / f"{document}{suffix}").resolve()
        if path.exists():
            return path
    raise FileNotFoundError(f"{{doc}}`{document}` in {base}: no {document}.ipynb or {document}.md there")


def title(path):
    """The first level-1 heading of a notebook or a Markdown file."""
    if path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4)["cells"]
        text = "\n".join(cell["source"] for cell in cells if cell["cell_type"] == "markdown")
    else:
        text = path.read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise ValueError(f"{path} has no '# ' title")


def to_links(markdown, base):
    """The markdown with every ``{doc}`` role, relative to the folder ``base``, made a Markdown link."""
    def link(match):
        text, explicit, plain = match.groups()
        document = (explicit or plain).strip()
        path = source_file(document, base)
        return f"[{text or title(path)}]({document}{path.suffix})"
    return DOC_ROLE.sub(link, markdown)


def rewrite(path, check=False):
    """Rewrite one file in place (not with ``check``); return how many roles it had."""
    path = Path(path)
    if path.suffix == ".ipynb":
        notebook = nbformat.read(path, as_version=nbformat.NO_CONVERT)
        count = 0
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown" and DOC_ROLE.search(cell["source"]):
                count += len(DOC_ROLE.findall(cell["source"]))
                if not check:
                    cell["source"] = to_links(cell["source"], path.parent)
        if count and not check:
            nbformat.write(notebook, path)
        return count
    text = path.read_text(encoding="utf-8")
    count = len(DOC_ROLE.findall(text))
    if count and not check:
        path.write_text(to_links(text, path.parent), encoding="utf-8")
    return count


def main(arguments):
    check = "--check" in arguments
    paths = [argument for argument in arguments if argument != "--check"]
    total = 0
    for path in paths:
        count = rewrite(path, check=check)
        total += count
        if count:
            print(f"{path}: {count} {{doc}} role(s){' left' if check else ' rewritten'}")
    return 1 if check and total else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
