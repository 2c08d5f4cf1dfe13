"""Write the citation texts and chapter numbers that the regbook-references JupyterLab extension shows.

jupyterlab-myst reads no bibliography, so it shows each citation as its key with a "Citation Not Found"
marker, and each figure reference as its label with a "Cross Reference Not Found" marker. The extension
(lab/regbook-references) puts the website's text in their place, from the JSON file this script writes:

- ``citations``: for every ``{cite:p}`` and ``{cite:t}`` group the notebooks use, and for every key of
  references.bib alone, the HTML that sphinxcontrib-bibtex renders on the website, with the style of
  _config.yml (author_year, plain) and each work's full reference as a hover title;
- ``chapters``: each notebook's chapter number as the website numbers it (the order of _toc.yml), the
  prefix of its figure numbers; ``figure_format``: the text of a figure reference, "Fig. %s".

The extension counts the figures (code cells with ``metadata.mystnb.figure.name``) in the open notebook.

Usage: python tools/lab_references.py   (writes into this Python's share/jupyter/labextensions)
"""

import html
import json
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pybtex.database
import pybtex.plugin
import yaml
from docutils import nodes
from sphinxcontrib.bibtex.citation_target import parse_citation_targets
from sphinxcontrib.bibtex.plugin import find_plugin as find_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import format_references
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = "regbook-references"
NOTEBOOK_DIRS = ("chapters", "exercises", "appendix")
# jupyterlab-myst renders these two roles as "parenthetical" and "narrative" citation groups.
CITE_ROLE = re.compile(r"\{cite:(p|t)\}`([^`]+)`")
# Sphinx's default numfig_format for figures, unless _config.yml sets another.
FIGURE_FORMAT = "Fig. %s"
BIBLIOGRAPHY_PAGE = "references"


def load_config(root=ROOT):
    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))


def toc_chapter_numbers(root=ROOT, config=None):
    """``{notebook path: chapter number}``, "" for a notebook outside the numbered parts.

    Sections (a chapter's exercises) take their chapter's number: with Sphinx's default
    ``numfig_secnum_depth`` of 1 a figure's number is the chapter's number and a counter.
    """
    config = load_config(root) if config is None else config
    continuous = config.get("html", {}).get("use_multitoc_numbering", True)
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    numbers = {}
    chapter = 0

    def add(entry, number):
        path = f"{entry['file']}.ipynb"
        if (root / path).exists():
            numbers[path] = number
        for section in entry.get("sections", []):
            add(section, number)

    for part in toc.get("parts", []):
        if not continuous:
            chapter = 0
        for entry in part.get("chapters", []):
            if part.get("numbered", False):
                chapter += 1
                add(entry, str(chapter))
            else:
                add(entry, "")
    return numbers


def cited_groups(root=ROOT):
    """Every ``(role, keys)`` that a markdown cell of the book's notebooks cites, in order."""
    groups = []
    for folder in NOTEBOOK_DIRS:
        for path in sorted((root / folder).glob("*.ipynb")):
            for cell in nbformat.read(path, as_version=4).cells:
                if cell.cell_type == "markdown":
                    groups += [(role, targets) for role, targets in CITE_ROLE.findall(cell.source)]
    return list(dict.fromkeys(groups))


def docutils_to_html(node):
    """HTML of a rendered citation: its text, its emphasis, and each reference's title on hover."""
    if isinstance(node, nodes.Text):
        return html.escape(str(node), quote=False)
    inner = "".join(docutils_to_html(child) for child in node.children)
    if isinstance(node, nodes.emphasis):
        return f"<em>{inner}</em>"
    if isinstance(node, nodes.strong):
        return f"<strong>{inner}</strong>"
    if isinstance(node, nodes.reference) and node.get("reftitle"):
        return f'<span class="regbook-cite-work" title="{html.escape(node["reftitle"])}">{inner}</span>'
    return inner


class CitationFormatter:
    """sphinxcontrib-bibtex's rendering of a citation, as its ``cite`` domain does it on the website."""

    def __init__(self, root=ROOT, config=None):
        config = load_config(root) if config is None else config
        sphinx_config = config.get("sphinx", {}).get("config", {})
        bibfiles = config.get("bibtex_bibfiles")
        if not bibfiles:
            raise ValueError(f"bibtex_bibfiles in {root / '_config.yml'} must list the .bib files, "
                             f"got {bibfiles!r}")
        self.entries = {}
        for bibfile in bibfiles:
            self.entries.update(pybtex.database.parse_file(str(root / bibfile)).entries)
        reference_style = sphinx_config.get("bibtex_reference_style", "label")
        self.reference_style = find_bibtex_plugin(
            "sphinxcontrib.bibtex.style.referencing", reference_style)()
        self.entry_style = pybtex.plugin.find_plugin(
            "pybtex.style.formatting", sphinx_config.get("bibtex_default_style", "alpha"))()
        self.docutils = pybtex.plugin.find_plugin("pybtex.backends", "docutils")()
        self.plaintext = pybtex.plugin.find_plugin("pybtex.backends", "plaintext")()
        # The website resolves a group's keys in the order of the bibliography, not as written.
        ordered = list(self.entry_style.sort(self.entries.values()))
        labels = self.entry_style.format_labels(ordered)
        self.formatted = {entry.key: self.entry_style.format_entry(label, entry)
                          for label, entry in zip(labels, ordered)}
        self.order = [entry.key for entry in ordered]

    def html(self, role, targets):
        """The HTML of ``{cite:role}`targets```, or None if a key is not in the bibliography."""
        wanted = {target.key: target for target in parse_citation_targets(targets)}
        if not set(wanted) <= set(self.entries):
            return None
        # Only the HTML builder's choice of node matters here: a reference within one page.
        builder = SimpleNamespace(name="html")
        references = [
            (self.entries[key], self.formatted[key],
             SphinxReferenceInfo(builder=builder, fromdocname=BIBLIOGRAPHY_PAGE,
                                 todocname=BIBLIOGRAPHY_PAGE, citation_id=key,
                                 title=self.formatted[key].text.render(self.plaintext).replace("\\url ", ""),
                                 pre_text=wanted[key].pre, post_text=wanted[key].post))
            for key in self.order if key in wanted]
        text = format_references(self.reference_style, role, references)
        return "".join(docutils_to_html(node) for node in text.render(self.docutils))


def references(root=ROOT):
    """The JSON document that the extension reads."""
    config = load_config(root)
    formatter = CitationFormatter(root, config)
    groups = cited_groups(root) + [(role, key) for key in formatter.order for role in ("p", "t")]
    citations = {}
    for role, targets in groups:
        rendered = formatter.html(role, targets)
        if rendered is not None:
            citations[f"{role}:{','.join(t.key for t in parse_citation_targets(targets))}"] = rendered
    figure_format = (config.get("sphinx", {}).get("config", {}).get("numfig_format", {})
                     .get("figure", FIGURE_FORMAT))
    return {"citations": citations, "chapters": toc_chapter_numbers(root, config),
            "figure_format": figure_format}


def write(prefix=sys.prefix, root=ROOT):
    folder = Path(prefix) / "share" / "jupyter" / "labextensions" / EXTENSION
    if not folder.is_dir():
        raise FileNotFoundError(f"the {EXTENSION} extension is not installed in {folder}: "
                                "run python tools/setup_lab.py")
    path = folder / "references.json"
    path.write_text(json.dumps(references(root), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write())
