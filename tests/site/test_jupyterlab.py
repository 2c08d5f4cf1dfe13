"""The book in a real JupyterLab, as `make lab` starts it for a learner.

- The landing page (START.md) opens first and links every chapter and its exercises.
- MyST renders (jupyterlab-myst): no raw role, label or fence shows, before or after Run All.
- After Run All, every glued number shows in the prose, and it is the number the kernel glued,
  formatted by myst-nb's own rule (the website's).
- No "official Jupyter news?" toast: the venv's overrides.json turns it off.
- A link to another chapter opens its notebook, and a folded solution names the call that prints it.
- Chapter 01's live explorer redraws when its slider moves, and its quiz answers a click.
- Citations and figure references read as on the website (the regbook-references extension, from
  lab/regbook-references): "[Hoerl and Kennard, 1970]" with the full reference on hover, "Fig. 2.3",
  and no "Citation Not Found" or "Cross Reference Not Found" marker of jupyterlab-myst is left showing.

The server runs on a copy of the notebooks in a temporary folder, so that autosave after Run All
can never write outputs into the repository.
"""

import ast
import importlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

CHAPTERS = ["chapters/02_ridge.ipynb", "chapters/05_bayesian_prior.ipynb",
            "chapters/08_label_smoothing.ipynb"]
EXPLORER_CHAPTER = "chapters/01_overfitting.ipynb"
# Raw MyST that a renderer has left alone: a role ({cite:p}`, {eq}`, {numref}`, {doc}`,
# {glue:text}`, {eval}` ...), a target line "(label)=", or a directive fence ":::{" / "```{".
RAW_MYST = re.compile(r"\{[a-z]+(?::[a-z]+)?\}`|^\s*\([A-Za-z0-9_:.\-]+\)=\s*$|^\s*(?::{3,}|`{3,})\{",
                      re.MULTILINE)
GLUED = re.compile(r"\{eval\}`glued\('([^`']+)'\)`")
PLACEHOLDER = "glued('"
TOAST = "official Jupyter news"
# The rendered text of each markdown cell, without its (hidden) editor and without math, whose
# KaTeX text would otherwise look like "(θ)=" lines.
MARKDOWN_TEXT = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell'))
  .map(cell => {
    const copy = cell.querySelector('.jp-Cell-inputWrapper').cloneNode(true);
    copy.querySelectorAll('.jp-Editor, .katex, mjx-container, .jp-InputPrompt, .jp-Toolbar')
      .forEach(node => node.remove());
    return copy.textContent;
  })"""
# Run All is over when no cell is queued or running ("[*]") and some have run: all of them, or
# those before a cell that raised (Run All stops there).
CODE_PROMPTS = "Array.from(document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt'))"
RUN_ALL_OVER = f"""() => {{
  const prompts = {CODE_PROMPTS};
  return !prompts.some(p => p.textContent.includes('*'))
    && prompts.some(p => /\\[\\d+\\]/.test(p.textContent));
}}"""
NOT_RUN = f"() => {CODE_PROMPTS}.filter(p => !/\\[\\d+\\]/.test(p.textContent)).length"
REFERENCE_ROLES = re.compile(r"\{(?:cite:[pt]|numref)\}`")
# jupyterlab-myst's markers (a warning icon and the key or label) that the extension hides, and the
# text it shows instead, each with the source it stands for ("p:key1,key2", "figure:label").
REFERENCES = """() => {
  const cells = Array.from(document.querySelectorAll('.jp-Notebook .jp-MarkdownCell'));
  const markers = cells.flatMap(cell => Array.from(cell.querySelectorAll('.text-yellow-600')))
    .filter(marker => ['Citation Not Found', 'Cross Reference Not Found'].includes(marker.title))
    .filter(marker => !marker.closest('[hidden]'))
    .map(marker => `${marker.title}: ${marker.textContent}`);
  const shown = cells.flatMap(cell => Array.from(cell.querySelectorAll('.regbook-reference')))
    .map(node => ({source: node.dataset.source, text: node.textContent,
                   titles: Array.from(node.querySelectorAll('[title]'), work => work.title)}));
  return {markers, shown};
}"""
# What the website shows for some references of the chapters opened here, read from a Jupyter Book
# build with the book's _config.yml and _toc.yml (sphinxcontrib-bibtex author_year; numfig).
WEBSITE_CITATIONS = {
    "chapters/02_ridge.ipynb": {"[Hoerl and Kennard, 1970]", "[Goodfellow et al., 2016]",
                                "[Hastie et al., 2009]", "[Loshchilov and Hutter, 2019]"},
    "chapters/05_bayesian_prior.ipynb": {"[Goodfellow et al., 2016, Tibshirani, 1996]",
                                         "[Park and Casella, 2008]", "[Gal and Ghahramani, 2016]"},
    "chapters/08_label_smoothing.ipynb": {"Goodfellow et al. [2016]", "[Guo et al., 2017]",
                                          "[Müller et al., 2019, Szegedy et al., 2016]"},
}
WEBSITE_FIGURES = {
    "chapters/02_ridge.ipynb": {"fig-ridge-condition": "Fig. 2.1", "fig-ridge-shrink": "Fig. 2.2",
                                "fig-ridge-geometry": "Fig. 2.3", "fig-adam-adamw": "Fig. 2.4"},
    "chapters/05_bayesian_prior.ipynb": {"fig-prior-shapes": "Fig. 5.1", "fig-credible": "Fig. 5.2",
                                         "fig-posterior-2d": "Fig. 5.3"},
    "chapters/08_label_smoothing.ipynb": {"fig-loss-vs-gap": "Fig. 8.1", "fig-reliability": "Fig. 8.2",
                                          "fig-logit-growth": "Fig. 8.3", "fig-accuracy-ece": "Fig. 8.4"},
}
WEBSITE_TITLES = {"[Hoerl and Kennard, 1970]": "Arthur E. Hoerl and Robert W. Kennard. Ridge regression: "
                  "biased estimation for nonorthogonal problems. Technometrics, 12(1):55–67, 1970. "
                  "doi:10.1080/00401706.1970.10488634."}
EXTENSION = "regbook-references"
BUNDLE = ROOT / "lab" / EXTENSION / "labextension"


def import_tool(name):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return importlib.import_module(name)
    finally:
        sys.path.remove(str(ROOT / "tools"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def markdown_sources(path):
    notebook = json.loads((ROOT / path).read_text(encoding="utf-8"))
    return ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]


class Lab:
    """A running JupyterLab: its URL, its runtime folder (kernel connection files) and REST calls."""

    def __init__(self, url, runtime_dir):
        self.url = url
        self.runtime_dir = runtime_dir

    def api(self, path, method="GET"):
        request = urllib.request.Request(self.url + path, method=method)
        with urllib.request.urlopen(request, timeout=30) as response:
            body = response.read()
        return json.loads(body) if body else None

    def session(self, path):
        sessions = [s for s in self.api("api/sessions") if s["path"] == path]
        assert sessions, f"no kernel session for {path}"
        return sessions[0]

    def glued_values(self, path):
        """The text/plain of every value the notebook's kernel has glued, by name."""
        from jupyter_client import BlockingKernelClient

        kernel_id = self.session(path)["kernel"]["id"]
        client = BlockingKernelClient(connection_file=str(self.runtime_dir / f"kernel-{kernel_id}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            msg_id = client.execute("", store_history=False,
                                    user_expressions={"values": "glued.__self__.values"})
            while True:
                reply = client.get_shell_msg(timeout=60)
                if reply["parent_header"].get("msg_id") == msg_id:
                    break
        finally:
            client.stop_channels()
        result = reply["content"]["user_expressions"]["values"]
        assert result["status"] == "ok", result
        return ast.literal_eval(result["data"]["text/plain"])

    def shut_down(self, path):
        """Stop the notebook's kernel, if it has one, so that the next chapter has both cores."""
        for session in self.api("api/sessions"):
            if session["path"] == path:
                self.api(f"api/sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not (Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json").exists():
        pytest.fail(f"no overrides.json under {sys.prefix}: run python tools/setup_lab.py")
    if not (Path(sys.prefix) / "share" / "jupyter" / "labextensions" / EXTENSION).is_dir():
        pytest.fail(f"no {EXTENSION} extension under {sys.prefix}: run python tools/setup_lab.py")
    # As `make lab` does before it starts JupyterLab: the citations of the notebooks as they are now.
    import_tool("lab_references").write(sys.prefix)
    books = tmp_path_factory.mktemp("book")
    for folder in ("chapters", "exercises", "appendix"):
        shutil.copytree(ROOT / folder, books / folder)
    shutil.copy(ROOT / "START.md", books / "START.md")
    runtime_dir = tmp_path_factory.mktemp("runtime")
    port = free_port()
    # The flags of `make lab`, plus no token or XSRF check (REST calls from this test).
    command = [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
               "--ServerApp.disable_check_xsrf=True", f"--notebook-dir={books}",
               "--LabApp.default_url=/lab/tree/START.md",
               "--MappingKernelManager.default_kernel_name=regbook"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    # A fresh user config: whatever quiets the toast must come from the venv's overrides.json.
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jupyter-config")),
           "JUPYTER_RUNTIME_DIR": str(runtime_dir)}
    log = open(tmp_path_factory.mktemp("lab") / "lab.log", "w")
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(120):
        try:
            urllib.request.urlopen(url + "api/status", timeout=1)
            break
        except OSError:
            time.sleep(0.5)
    else:
        server.terminate()
        pytest.fail("JupyterLab did not start within 60 s")
    yield Lab(url, runtime_dir)
    server.terminate()
    server.wait(timeout=30)


def open_page(browser, lab, path=None):
    """A page on ``path`` (the landing page if None) that blocks and records outside requests."""
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    external = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(lab.url)
               or r.request.url.startswith(("data:", "blob:", "ws:"))
               else (external.append(r.request.url), r.abort()))
    # ?reset: do not reopen the tabs of an earlier page.
    page.goto(lab.url + (f"lab/tree/{path}?reset" if path else "?reset"))
    return page, external


def rendered_markdown(page, count):
    """The rendered text of the notebook's ``count`` markdown cells, once all are rendered."""
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-MarkdownCell .myst').length >= {count}",
        timeout=60000)
    texts = page.evaluate(MARKDOWN_TEXT)
    assert len(texts) == count, f"{len(texts)} markdown cells on the page, {count} in the notebook"
    return texts


def check_references(page, path, seconds=30):
    """Every citation and figure reference of the notebook shows the website's text, and no marker."""
    expected = sum(len(REFERENCE_ROLES.findall(source)) for source in markdown_sources(path))
    deadline = time.monotonic() + seconds
    while True:
        state = page.evaluate(REFERENCES)
        if not state["markers"] and len(state["shown"]) == expected:
            break
        if time.monotonic() > deadline:
            pytest.fail(f"{path}: {len(state['shown'])} of {expected} references shown as on the website "
                        f"after {seconds} s; markers left: {state['markers']}")
        time.sleep(0.5)
    citations = [item for item in state["shown"] if not item["source"].startswith("figure:")]
    assert WEBSITE_CITATIONS.get(path, set()) <= {item["text"] for item in citations}, citations
    for item in citations:
        keys = item["source"].partition(":")[2].split(",")
        assert len(item["titles"]) == len(keys) and all(item["titles"]), item
        if item["text"] in WEBSITE_TITLES:
            assert item["titles"] == [WEBSITE_TITLES[item["text"]]], item
    figures = {item["source"].removeprefix("figure:"): item["text"] for item in state["shown"]
               if item["source"].startswith("figure:")}
    for label, text in WEBSITE_FIGURES.get(path, {}).items():
        assert figures.get(label) == text, \
            f"{path}: {label} shows {figures.get(label)!r}, the website {text!r}"


def raw_markup(texts):
    return [fragment for text in texts for fragment in RAW_MYST.findall(text)]


def run_all(page):
    # Run All only once the book's kernel is up, or JupyterLab asks which kernel to start.
    page.get_by_text("Python 3 (regbook) | Idle").wait_for(timeout=120000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    page.wait_for_function(RUN_ALL_OVER, timeout=300000, polling=1000)
    not_run = page.evaluate(NOT_RUN)
    if not_run:
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        pytest.fail(f"Run All stopped with {not_run} code cells not run: "
                    f"{errors.last.inner_text()[-600:] if errors.count() else ''}")


def check_reads_like_the_website(page, external, lab, path):
    """Run All on the open notebook and check its prose before and after."""
    from myst_nb.core.variables import format_plain_text

    sources = markdown_sources(path)
    before = rendered_markdown(page, len(sources))
    assert raw_markup(before) == [], f"raw MyST in {path} before Run All"
    check_references(page, path)
    # Before Run All each glued number shows as the inline code of its expression.
    assert sum(text.count(PLACEHOLDER) for text in before) == sum(
        len(GLUED.findall(source)) for source in sources)

    run_all(page)
    page.wait_for_function(
        f"() => !({MARKDOWN_TEXT})().some(text => text.includes({PLACEHOLDER!r}))",
        timeout=60000, polling=1000)
    after = rendered_markdown(page, len(sources))
    assert raw_markup(after) == [], f"raw MyST in {path} after Run All"
    # Each glued number re-renders its cell: the references must survive React's update.
    check_references(page, path)

    values = lab.glued_values(path)
    shown = 0
    for source, text in zip(sources, after):
        position = 0
        for key in GLUED.findall(source):
            name, _, fmt_spec = key.rpartition(":") if ":" in key else (key, "", "")
            assert name in values, f"{path}: the prose uses {name!r}, which no cell glued"
            expected = format_plain_text(values[name], fmt_spec)
            found = text.find(expected, position)
            assert found >= 0, f"{path}: {expected!r} ({key}) missing from: {text[position:][:300]!r}"
            position = found + len(expected)
            shown += 1
    assert shown >= 10, f"{path}: only {shown} glued numbers checked"
    assert page.get_by_text(TOAST).count() == 0, "the Jupyter news toast is showing"
    assert external == [], external


def scrolled_into_view(page, cell_text, output_selector, seconds=60):
    """The output of the code cell containing ``cell_text``, once JupyterLab has rendered it."""
    cell = page.locator(".jp-CodeCell").filter(has_text=cell_text).first
    output = cell.locator(output_selector).first
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        cell.scroll_into_view_if_needed()
        if output.is_visible():
            output.scroll_into_view_if_needed()
            return output
        time.sleep(0.5)
    pytest.fail(f"no {output_selector} output under the cell with {cell_text!r} after {seconds} s")


NOTEBOOKS = sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                    *ROOT.glob("appendix/*.ipynb")])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_glued_numbers_use_the_role_jupyterlab_evaluates(path):
    """JupyterLab has no {glue:text} role: tools/glue_to_eval.py rewrites it as {eval}`glued(...)`."""
    text = path.read_text(encoding="utf-8")
    assert "{glue:text}" not in text and "{glue}" not in text, \
        f"run: python tools/glue_to_eval.py {path.relative_to(ROOT)}"


def test_reference_extension_is_built_from_its_source_and_installed():
    recorded = (BUNDLE / "source.sha256").read_text(encoding="utf-8").strip()
    assert recorded == import_tool("build_lab_extension").source_hash(), \
        f"{BUNDLE.relative_to(ROOT)} was built from another source: run python tools/build_lab_extension.py"
    installed = Path(sys.prefix) / "share" / "jupyter" / "labextensions" / EXTENSION
    committed = {p.relative_to(BUNDLE): p.read_bytes() for p in BUNDLE.rglob("*") if p.is_file()}
    copied = {p.relative_to(installed): p.read_bytes() for p in installed.rglob("*")
              if p.is_file() and p.name != "references.json"}
    differing = sorted(str(name) for name in committed.keys() | copied.keys()
                       if committed.get(name) != copied.get(name))
    assert not differing, f"{installed} differs from the committed bundle in {differing}: " \
        "run python tools/setup_lab.py"
    listing = subprocess.run([str(Path(sys.executable).parent / "jupyter"), "labextension", "list"],
                             capture_output=True, text=True, check=True)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    assert re.search(rf"^\s*{EXTENSION} v\S+ enabled\s+OK", plain, re.MULTILINE), plain


def test_landing_page_links_every_chapter_and_its_exercises(browser, lab):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import start_page
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert (ROOT / "START.md").read_text(encoding="utf-8") == start_page.page(), \
        "START.md is out of date: run python tools/start_page.py"
    expected = re.findall(r"\[([^\]]+)\]\(([^)]+\.ipynb)\)", start_page.page())
    toc_notebooks = {path for _, path in expected}
    assert {f"chapters/{p.name}" for p in (ROOT / "chapters").glob("*.ipynb")} <= toc_notebooks

    page, external = open_page(browser, lab)
    page.get_by_role("heading", name="Regularization, Interactively: start here").wait_for(timeout=60000)
    for title, _ in expected:
        if title != "exercises":
            assert page.get_by_role("link", name=title, exact=True).count() == 1, title
    assert page.get_by_role("link", name="exercises", exact=True).count() == len(
        [path for _, path in expected if path.startswith("exercises/")])
    page.get_by_role("link", name="L2 / ridge and weight decay", exact=True).click()
    page.locator(".lm-TabBar-tab", has_text="02_ridge.ipynb").wait_for(timeout=60000)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    page.get_by_text("Python 3 (regbook) | Idle").wait_for(timeout=120000)
    assert page.get_by_text(TOAST).count() == 0, "the Jupyter news toast is showing"
    assert external == [], external
    page.close()
    lab.shut_down("chapters/02_ridge.ipynb")


def test_a_link_opens_the_chapter_and_a_solution_says_how_to_show_it(browser, lab):
    path = "exercises/03_lasso.ipynb"
    page, external = open_page(browser, lab, path)
    texts = rendered_markdown(page, len(markdown_sources(path)))
    calls = re.findall(r"`(\w+\.\w+_exercise\.solution\(\))`", "\n".join(markdown_sources(path)))
    assert calls and all(any(call in text for text in texts) for call in calls), calls
    page.locator(".jp-MarkdownCell a", has_text="L1 / lasso and sparsity").first.click()
    page.locator(".lm-TabBar-tab", has_text="03_lasso.ipynb").nth(1).wait_for(timeout=60000)
    page.get_by_role("heading", name="L1 / lasso and sparsity").first.wait_for(timeout=60000)
    assert external == [], external
    page.close()
    for opened in (path, "chapters/03_lasso.ipynb"):
        lab.shut_down(opened)


@pytest.mark.parametrize("path", CHAPTERS)
def test_chapter_reads_like_the_website_after_run_all(browser, lab, path):
    page, external = open_page(browser, lab, path)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    check_reads_like_the_website(page, external, lab, path)
    page.close()
    lab.shut_down(path)


def test_live_explorer_and_quiz_after_run_all(browser, lab):
    page, external = open_page(browser, lab, EXPLORER_CHAPTER)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    check_reads_like_the_website(page, external, lab, EXPLORER_CHAPTER)
    explorer = scrolled_into_view(page, "overfitting.make_explorer", ".widget-vbox")
    image = explorer.locator("img").first
    page.wait_for_function("img => img.src.startsWith('blob:') || img.src.startsWith('data:')",
                           arg=image.element_handle(), timeout=30000)
    before = image.get_attribute("src")
    handle = explorer.locator("[role=slider]").first
    handle.focus()
    handle.press("ArrowLeft")
    page.wait_for_function("([img, old]) => img.getAttribute('src') !== old",
                           arg=[image.element_handle(), before], timeout=30000)
    # The frame and its caption are two widget messages: the caption may arrive a moment later.
    page.wait_for_function("box => box.textContent.includes('Degree 6 polynomial')",
                           arg=explorer.element_handle(), timeout=30000)

    quiz = scrolled_into_view(page, 'show_quiz("01_overfitting"', ".rb-quiz")
    question = quiz.locator("fieldset").first
    right = question.locator(".rb-right")
    assert not right.is_visible()
    question.locator("label").nth(int(right.get_attribute("data-option"))).click()
    assert right.is_visible()
    assert external == [], external
    page.close()
    lab.shut_down(EXPLORER_CHAPTER)
