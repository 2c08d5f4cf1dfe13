"""Repository hygiene: notebooks stored clean, all in the table of contents, no remote images."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb")])
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
    assert NOTEBOOKS, "no notebooks found under chapters/ or exercises/"


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
