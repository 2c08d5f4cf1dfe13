"""Write START.md, the page `make lab` opens: every chapter of _toc.yml with its exercises.

Titles come from each notebook's first heading, so the page follows the book. The book itself never
builds START.md (_config.yml excludes it).

Usage: python tools/start_page.py   (--check: write nothing, exit 1 if START.md is out of date)
"""

import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
START = ROOT / "START.md"

HEADER = """\
# Regularization, Interactively: start here

Each chapter is a notebook. Open one, then choose **Run ▸ Run All Cells**: the kernel computes every
figure, explorer and number of the chapter. Until a cell has run, a number in the text shows as
`glued('name:format')`, the name under which a code cell glues it; after Run All it is the number your
own run computed, the same one the website prints. Links in the text to other chapters read as their
file names here.

Each chapter has an exercises notebook: write your code in the starter cells, then run the check cell
below each one for feedback. A solution stays folded until you ask for it, with the checker's
`.solution()`.
"""


def title(notebook):
    """The text of the notebook's first markdown heading."""
    for cell in nbformat.read(notebook, as_version=4).cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError(f"{notebook} has no '# ' heading in its markdown cells")


def page(root=ROOT):
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    lines = [HEADER]
    number = 0
    for part in toc["parts"]:
        entries = [entry for entry in part["chapters"]
                   if (root / f"{entry['file']}.ipynb").is_file()]
        if not entries:
            continue
        lines.append(f"## {part['caption']}\n")
        for entry in entries:
            number += 1
            chapter = f"{entry['file']}.ipynb"
            line = f"{number}. [{title(root / chapter)}]({chapter})"
            exercises = [f"{section['file']}.ipynb" for section in entry.get("sections", [])
                         if (root / f"{section['file']}.ipynb").is_file()]
            if exercises:
                line += " · " + ", ".join(f"[exercises]({path})" for path in exercises)
            lines.append(line)
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    text = page()
    if "--check" in sys.argv[1:]:
        current = START.read_text(encoding="utf-8") if START.exists() else ""
        if current != text:
            print("START.md is out of date: run python tools/start_page.py")
            sys.exit(1)
    else:
        START.write_text(text, encoding="utf-8")
        print(START)
