"""The live side of chapter 01 in a real JupyterLab: Run All, then drag the explorer and answer the quiz.

The website tests cover the kernel-free twins; this covers what a learner who runs the notebook sees.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import CHROMIUM, CHROMIUM_ARGS, ROOT

NOTEBOOK = "chapters/01_overfitting.ipynb"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab_url(tmp_path_factory):
    port = free_port()
    command = [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", f"--port={port}",
               "--ip=127.0.0.1", "--ServerApp.token=", "--ServerApp.password=",
               "--MappingKernelManager.default_kernel_name=regbook", f"--notebook-dir={ROOT}",
               "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path_factory.mktemp("jupyter-config"))}
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
    yield url
    server.terminate()
    server.wait(timeout=30)


def scrolled_into_view(page, cell_text, output_selector, seconds=60):
    """The output of the code cell containing ``cell_text``, once JupyterLab has rendered it.

    JupyterLab renders only the cells near the viewport, so keep scrolling to the cell until its
    output appears.
    """
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


def test_live_explorer_and_quiz_after_run_all(browser, lab_url):
    page = browser.new_page(viewport={"width": 1300, "height": 1000})
    external = []
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(lab_url)
               or r.request.url.startswith(("data:", "blob:", "ws:"))
               else (external.append(r.request.url), r.abort()))
    page.goto(lab_url + "lab/tree/" + NOTEBOOK)
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60000)
    # Run All only once the book's kernel is up, or JupyterLab asks which kernel to start.
    page.get_by_text("Python 3 (regbook) | Idle").wait_for(timeout=120000)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
    # Wait for Run All to finish: no cell left queued or running ("[*]").
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('.jp-OutputArea-output'))"
        ".some(o => o.textContent.includes('✓ a moderate penalty cuts'))", timeout=240000)
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
