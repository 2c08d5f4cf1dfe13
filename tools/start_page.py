"""Write START.md, the page `make lab` opens, and the reading times in intro.md, from _toc.yml.

START.md lists every chapter of _toc.yml with its exercises and its reading time. Titles come from each
notebook's first heading, so the page follows the book. The book itself never builds START.md
(_config.yml excludes it). intro.md's block between the READING_TIMES markers states the range of the
chapters' reading times. A reading time counts the words of the markdown cells at 200 words a minute,
the rate of myst's own estimate (``words_per_minute``).

Usage: python tools/start_page.py   (--check: write nothing, exit 1 if a page is out of date)
"""

import math
import re
import statistics
import sys
from pathlib import Path

import nbformat
import yaml

from doc_to_links import title

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "START.md"
INTRO = ROOT / "intro.md"
WORDS_PER_MINUTE = 200
READING_TIMES = re.compile(r"(<!-- reading-times -->\n)(?:.*?\n)?(<!-- /reading-times -->)", re.DOTALL)

HEADER = """\
# Regularization, Interactively: start here

Each chapter is a notebook. Open one, then choose **Run ▸ Run All Cells**: the kernel computes every
figure, explorer and number of the chapter. Until a cell has run, a number in the text shows as
`glued('name:format')`, the name under which a code cell glues it; after Run All it is the number your
own run computed, the same one the website prints. A link to another chapter opens its notebook.
Citations and figure numbers read as on the website, [Hoerl and Kennard, 1970] or Fig. 2.1 (the book's
small `regbook-references` extension supplies them); hover over a citation for the full reference, and
`references.bib` lists every work.

Each chapter has an exercises notebook: write your code in the starter cells, then run the check cell
below each one for feedback. A solution stays folded until you ask for it, with the checker's
`.solution()`.
"""


def reading_minutes(notebook):
    """Minutes to read the notebook's markdown cells at ``WORDS_PER_MINUTE``, rounded up."""
    cells = nbformat.read(notebook, as_version=4).cells
    words = sum(len(cell.source.split()) for cell in cells if cell.cell_type == "markdown")
    return math.ceil(words / WORDS_PER_MINUTE)


def chapters(root=ROOT):
    """``(part caption, numbered?, [(chapter path, [exercise paths])])`` for each part of _toc.yml."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc["parts"]:
        entries = [(f"{entry['file']}.ipynb",
                    [f"{section['file']}.ipynb" for section in entry.get("sections", [])
                     if (root / f"{section['file']}.ipynb").is_file()])
                   for entry in part["chapters"] if (root / f"{entry['file']}.ipynb").is_file()]
        if entries:
            yield part["caption"], bool(part.get("numbered")), entries


def intro_block(root=ROOT):
    """The sentence on reading times that intro.md holds between its READING_TIMES markers."""
    minutes = [reading_minutes(root / chapter) for _, numbered, entries in chapters(root) if numbered
               for chapter, _ in entries]
    return (f"A chapter takes {min(minutes)}–{max(minutes)} minutes to read (a median of "
            f"{statistics.median(minutes):g}) at {WORDS_PER_MINUTE} words a minute, before its figures, "
            f"explorer and exercises; the {len(minutes)} chapters come to about "
            f"{round(sum(minutes) / 60)} hours.")


def intro(root=ROOT):
    """intro.md with its reading-times block brought up to date."""
    text = (root / "intro.md").read_text(encoding="utf-8")
    if not READING_TIMES.search(text):
        raise ValueError("intro.md has no <!-- reading-times --> ... <!-- /reading-times --> block")
    return READING_TIMES.sub(lambda match: match.group(1) + intro_block(root) + "\n" + match.group(2), text)


def page(root=ROOT):
    lines = [HEADER]
    number = 0
    for caption, numbered, entries in chapters(root):
        lines.append(f"## {caption}\n")
        for letter, (chapter, exercises) in zip("ABCDEFGH", entries):
            number += numbered
            label = f"{number}." if numbered else f"{letter}."
            line = f"{label} [{title(root / chapter)}]({chapter})"
            line += "".join(f" · [exercises]({path})" for path in exercises)
            line += f" · {reading_minutes(root / chapter)} min read"
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    pages = {START: page(), INTRO: intro()}
    stale = [path for path, text in pages.items()
             if not path.exists() or path.read_text(encoding="utf-8") != text]
    if "--check" in sys.argv[1:]:
        for path in stale:
            print(f"{path.name} is out of date: run python tools/start_page.py")
        sys.exit(1 if stale else 0)
    for path in stale:
        path.write_text(pages[path], encoding="utf-8")
        print(path)
