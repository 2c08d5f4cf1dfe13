"""Print how long each chapter and exercise notebook takes to run top to bottom (budget: 20 s).

Usage: python benchmarks/notebooks.py [NOTEBOOK ...]   (default: every notebook in chapters/, exercises/ and appendix/)
The kernel start-up is timed separately from the cells, as a reader's "Run All" does not pay it.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 20.0


def run(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name="regbook", timeout=300,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        started = time.perf_counter()
        slowest = (0.0, -1)
        for index, cell in enumerate(notebook.cells):
            t0 = time.perf_counter()
            client.execute_cell(cell, index)
            slowest = max(slowest, (time.perf_counter() - t0, index))
        cells = time.perf_counter() - started
    return started - start, cells, slowest


def main(paths):
    os.environ.setdefault("TQDM_DISABLE", "1")
    print(f"{'notebook':38s} {'kernel s':>8s} {'cells s':>8s} {'slowest cell':>14s}  budget {BUDGET_SECONDS:g} s")
    over = 0
    for path in paths:
        kernel, cells, (slow, index) = run(path)
        flag = "ok" if cells <= BUDGET_SECONDS else "OVER"
        over += flag == "OVER"
        print(f"{path.relative_to(ROOT).as_posix():38s} {kernel:8.2f} {cells:8.2f} "
              f"{slow:8.2f} (#{index:2d})  {flag}")
    print(f"{len(paths)} notebooks, {over} over budget")


if __name__ == "__main__":
    given = [Path(p).resolve() for p in sys.argv[1:]]
    main(given or sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                         *ROOT.glob("appendix/*.ipynb")]))
