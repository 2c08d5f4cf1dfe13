"""The link check: every page that another page mentions is linked, and every link opens a page.

Pages are the Markdown of the book's notebooks (chapters, exercises, appendix) and of its Markdown pages.
Links are Markdown links to the page's file, ``[Dropout](12_dropout.ipynb)``: the website resolves them to
the page (``myst.xref_missing`` fails the build on a missing one) and JupyterLab opens the notebook, where a
``{doc}`` role opens nothing (``tools/doc_to_links.py`` rewrites those). A mention is "chapter 12",
"chapters 2–5" or "the appendix" in the prose; each must sit inside the text of a link to that page.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from test_hygiene import toc_files

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(ROOT / f"{entry}{suffix}" for entry in toc_files() for suffix in (".ipynb", ".md")
               if (ROOT / f"{entry}{suffix}").exists())
CHAPTER_PAGES = sorted(path for path in PAGES if path.parent.name == "chapters")
APPENDIX_PAGES = sorted(path for path in PAGES if path.parent.name == "appendix")
QUIZZES = sorted((ROOT / "code" / "regbook" / "quizzes").glob("*.yml"))

LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)")
LINK_TARGET = re.compile(r"\]\([^)\s]+\)")
DOC_ROLE = re.compile(r"\{doc\}`")
CHAPTER_MENTION = re.compile(r"\b[Cc]hapters?\s+(\d+)((?:\s*(?:–|-|,|and|or|to)\s*\d+)*)")
APPENDIX_MENTION = re.compile(r"\b[Aa]ppendix\b")
CODE_OR_MATH = re.compile(r"`[^`]*`|\$\$.*?\$\$|\$[^$\n]+\$", re.DOTALL)


def markdown_of(path):
    """The Markdown of a page: its markdown cells for a notebook, the file for a ``.md`` page."""
    if path.suffix == ".ipynb":
        cells = nbformat.read(path, as_version=4)["cells"]
        return "\n\n".join(cell["source"] for cell in cells if cell["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


def blank(text, pattern):
    """``text`` with every match of ``pattern`` replaced by spaces, so that offsets stay the same."""
    return pattern.sub(lambda match: " " * len(match.group(0)), text)


def local_links(text):
    """``(start, end, target)`` of every Markdown link to a local file; target without its ``#anchor``."""
    for match in LINK.finditer(text):
        target = match.group(2)
        if re.match(r"[a-z]+:|#", target):
            continue
        yield match.start(1), match.end(1), target.split("#")[0]


def chapter_numbers(match):
    first, rest = int(match.group(1)), match.group(2)
    numbers = [first, *map(int, re.findall(r"\d+", rest))]
    if re.search(r"–|-|to", rest) and len(numbers) == 2:
        numbers = list(range(numbers[0], numbers[1] + 1))
    return numbers


def page_ids(path):
    return path.relative_to(ROOT).as_posix()


def test_the_book_has_pages_and_chapters():
    assert len(CHAPTER_PAGES) >= 15, [page_ids(p) for p in CHAPTER_PAGES]
    assert APPENDIX_PAGES, "no page under appendix/ in _toc.yml"


@pytest.mark.parametrize("path", PAGES, ids=page_ids)
def test_no_doc_roles(path):
    lines = [line for line in markdown_of(path).splitlines() if DOC_ROLE.search(line)]
    assert not lines, (f"{{doc}} roles do not open in JupyterLab; run python tools/doc_to_links.py "
                       f"{page_ids(path)}: {lines[:3]}")


@pytest.mark.parametrize("path", PAGES, ids=page_ids)
def test_every_local_link_opens_a_file(path):
    text = blank(markdown_of(path), CODE_OR_MATH)
    missing = [target for _, _, target in local_links(text)
               if target and not (path.parent / target).resolve().exists()]
    assert not missing, f"links to files that do not exist: {missing}"


def unlinked_mentions(markdown, folder, is_appendix_page=False):
    """The mentions of a chapter or the appendix in ``markdown`` (a page in ``folder``) not inside a link
    to that page."""
    text = blank(markdown, CODE_OR_MATH)
    links = [(start, end, (folder / target).resolve()) for start, end, target in local_links(text)]

    def linked(position, accept):
        return any(start <= position < end and accept(target) for start, end, target in links)

    prose = blank(text, LINK_TARGET)
    unlinked = []
    for match in CHAPTER_MENTION.finditer(prose):
        for number in chapter_numbers(match):
            if not linked(match.start(), lambda target: target.parent.name == "chapters"
                          and target.name.startswith(f"{number:02d}_")):
                unlinked.append(match.group(0))
    if not is_appendix_page:
        unlinked += [match.group(0) for match in APPENDIX_MENTION.finditer(prose)
                     if not linked(match.start(), lambda target: target.parent.name == "appendix")]
    return unlinked


@pytest.mark.parametrize("path", PAGES, ids=page_ids)
def test_every_mentioned_page_is_linked(path):
    unlinked = unlinked_mentions(markdown_of(path), path.parent, path in APPENDIX_PAGES)
    assert not unlinked, f"mentions without a link to the page they name: {unlinked}"


def test_the_intro_links_every_chapter_and_the_appendix():
    intro = ROOT / "intro.md"
    linked = {(intro.parent / target).resolve() for _, _, target in local_links(markdown_of(intro))}
    missing = [page_ids(path) for path in [*CHAPTER_PAGES, *APPENDIX_PAGES] if path not in linked]
    assert not missing, f"intro.md does not link {missing}"


@pytest.mark.parametrize("path", QUIZZES, ids=lambda p: p.name)
def test_quizzes_do_not_mention_chapters_by_number(path):
    # A quiz renders plain text (regbook.quiz escapes it), so it cannot link; the chapter's prose links.
    text = yaml.safe_dump(yaml.safe_load(path.read_text(encoding="utf-8")), allow_unicode=True)
    mentions = [m.group(0) for m in [*CHAPTER_MENTION.finditer(text), *APPENDIX_MENTION.finditer(text)]]
    assert not mentions, f"a quiz cannot link, so it names the idea, not the chapter: {mentions}"


def test_the_mention_check_catches_unlinked_and_mislinked_mentions():
    folder = ROOT / "chapters"
    text = ("As chapter 12 shows, [chapter 2](02_ridge.ipynb) agrees, [chapter 3](02_ridge.ipynb) does "
            "not, `chapter 9` is code, and [the appendix](../appendix/conventions.ipynb) or the appendix.")
    assert unlinked_mentions(text, folder) == ["chapter 12", "chapter 3", "appendix"]
    assert chapter_numbers(next(CHAPTER_MENTION.finditer("chapters 2–5"))) == [2, 3, 4, 5]
    assert chapter_numbers(next(CHAPTER_MENTION.finditer("chapters 2 and 5"))) == [2, 5]


def test_the_landing_pages_are_up_to_date():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import start_page
    finally:
        sys.path.pop(0)
    assert (ROOT / "START.md").read_text(encoding="utf-8") == start_page.page(), \
        "START.md is out of date: run python tools/start_page.py"
    assert (ROOT / "intro.md").read_text(encoding="utf-8") == start_page.intro(), \
        "intro.md's reading times are out of date: run python tools/start_page.py"
