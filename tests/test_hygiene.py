"""Repository hygiene: notebooks stored clean, all in the table of contents, no remote images."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                    *ROOT.glob("appendix/*.ipynb")])
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*(https?:)?//|<img[^>]*src\s*=\s*[\"']?(https?:)?//",
                          re.IGNORECASE)


def toc_files():
    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                yield node["file"]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return {toc["root"], *walk(toc)}


def test_there_are_notebooks():
    assert NOTEBOOKS, "no notebooks found under chapters/, exercises/ or appendix/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_stored_clean(path):
    notebook = json.loads(path.read_text())
    for number, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"cell {number} has stored outputs (run make strip)"
            assert cell.get("execution_count") is None, f"cell {number} has an execution count"
        assert "user_expressions" not in cell.get("metadata", {}), (
            f"cell {number} stores the values of its {{eval}} roles from a JupyterLab run (run make strip)")
    assert "widgets" not in notebook["metadata"], "notebook metadata stores widget state"
    assert notebook["metadata"]["kernelspec"]["name"] == "regbook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_is_in_the_table_of_contents(path):
    assert path.relative_to(ROOT).with_suffix("").as_posix() in toc_files()


def test_every_toc_entry_exists():
    for entry in toc_files():
        assert any((ROOT / f"{entry}{suffix}").exists() for suffix in (".md", ".ipynb")), entry


@pytest.mark.parametrize("path", [*NOTEBOOKS, *ROOT.glob("*.md")],
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_remote_images(path):
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
    else:
        text = path.read_text()
    assert not REMOTE_IMAGE.search(text), f"{path.name} shows a remote image"


def test_remote_image_pattern_catches_remote_images():
    assert REMOTE_IMAGE.search("![a plot](https://example.org/plot.png)")
    assert REMOTE_IMAGE.search('<img alt="x" src="//cdn.example.org/x.png">')
    assert not REMOTE_IMAGE.search("![a plot](figures/plot.png)")


SOLUTION = re.compile(r":::\{solution\}.*?:::", re.DOTALL)


@pytest.mark.parametrize("path", sorted(ROOT.glob("exercises/*.ipynb")),
                         ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_solution_names_the_call_that_shows_it_in_jupyter(path):
    # JupyterLab renders no literalinclude, so the dropdown also names the checker's .solution() call;
    # that checker's reference must be the very function the website includes.
    import importlib
    notebook = json.loads(path.read_text())
    blocks = [block for cell in notebook["cells"] if cell["cell_type"] == "markdown"
              for block in SOLUTION.findall("".join(cell["source"]))]
    assert blocks, "no {solution} dropdown"
    for block in blocks:
        call = re.search(r"`(\w+)\.(\w+)\.solution\(\)`", block)
        include = re.search(r"\{literalinclude\} \.\./code/regbook/checks/(\w+)\.py\n:pyobject: (\w+)", block)
        assert call and include, f"a solution needs a literalinclude and the .solution() call: {block[:120]}"
        exercise = getattr(importlib.import_module(f"regbook.checks.{include.group(1)}"), call.group(2))
        assert exercise.reference.__name__ == include.group(2), (
            f"{call.group(2)}.solution() shows {exercise.reference.__name__}, the website shows "
            f"{include.group(2)}")


def test_contributing_lists_exactly_the_modules_of_the_package():
    import pkgutil

    import regbook
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("- **One module per technique family**"):text.index("- **Validate at the boundary**")]
    listed = {name for name in re.findall(r"`(\w+)`", section)
              if not name.startswith(("show_", "compute", "draw", "alt", "make_", "reference"))}
    modules = {module.name for module in pkgutil.iter_modules(regbook.__path__)}
    assert modules - listed == set(), f"modules CONTRIBUTING.md does not list: {modules - listed}"
    assert listed - modules <= {"image", "text", "audio"}, \
        f"CONTRIBUTING.md lists modules that do not exist: {listed - modules - {'image', 'text', 'audio'}}"
