"""Print how long each chapter and exercise notebook takes to run top to bottom (budget: 20 s).

Usage: python benchmarks/notebooks.py [NOTEBOOK ...]   (default: every notebook in chapters/, exercises/ and appendix/)
The kernel start-up is timed separately from the cells, as a reader's "Run All" does not pay it.

Beside the wall time of the cells, the kernel's own CPU time (user + system, from /proc) over the same
cells: on a shared machine the wall time grows with the load (one chapter measured 11 s and 29 s in
the same hour), while the CPU time of a single-threaded kernel stays close to what a quiet machine's
wall time would be. The budget applies to the wall time on a quiet machine; a wall time over budget
beside a CPU time well under it says the machine was busy, not that the chapter is slow.
"""

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
BUDGET_SECONDS = 20.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    """User plus system CPU time of process ``pid`` so far (fields 14 and 15 of /proc/PID/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def run(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, kernel_name="regbook", timeout=300,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        started, cpu_started = time.perf_counter(), cpu_seconds(pid)
        slowest = (0.0, -1)
        for index, cell in enumerate(notebook.cells):
            t0 = time.perf_counter()
            client.execute_cell(cell, index)
            slowest = max(slowest, (time.perf_counter() - t0, index))
        cells, cpu = time.perf_counter() - started, cpu_seconds(pid) - cpu_started
    return started - start, cells, cpu, slowest


def main(paths):
    os.environ.setdefault("TQDM_DISABLE", "1")
    print(f"{'notebook':38s} {'kernel s':>8s} {'cells s':>8s} {'cpu s':>6s} {'slowest cell':>14s}  "
          f"budget {BUDGET_SECONDS:g} s (cells, wall, quiet machine)")
    over = 0
    for path in paths:
        kernel, cells, cpu, (slow, index) = run(path)
        flag = "ok" if cells <= BUDGET_SECONDS else "OVER"
        over += flag == "OVER"
        print(f"{path.relative_to(ROOT).as_posix():38s} {kernel:8.2f} {cells:8.2f} {cpu:6.2f} "
              f"{slow:8.2f} (#{index:2d})  {flag}", flush=True)
    print(f"{len(paths)} notebooks, {over} over budget; load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")


if __name__ == "__main__":
    given = [Path(p).resolve() for p in sys.argv[1:]]
    main(given or sorted([*ROOT.glob("chapters/*.ipynb"), *ROOT.glob("exercises/*.ipynb"),
                         *ROOT.glob("appendix/*.ipynb")]))
