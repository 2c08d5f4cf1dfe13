"""Configure the venv's JupyterLab for learners; `make` runs it once after installing the venv.

- The ``regbook`` kernel loads ``regbook.glue`` (``--ext``), which defines ``glued`` for the
  prose's ``{eval}`glued('name:fmt')``` roles, so Run All shows the learner's own numbers.
- ``{sys.prefix}/share/jupyter/lab/settings/overrides.json`` holds settings every launch from this
  venv gets: no "official Jupyter news?" toast and no update check (both would also reach out to
  the network), and every cell rendered at once (windowing mode "none"), because jupyterlab-myst
  evaluates a markdown cell's ``{eval}`` roles only if the cell has been rendered when it runs;
  and Markdown files (START.md, the page ``make lab`` opens) open rendered, not in the editor.

Usage: python tools/setup_lab.py   (idempotent)
"""

import json
import sys
from pathlib import Path

KERNEL = "regbook"
KERNEL_EXTENSION = "--ext=regbook.glue"
OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"checkForUpdates": False, "fetchNews": "false"},
    "@jupyterlab/notebook-extension:tracker": {"windowingMode": "none"},
    "@jupyterlab/docmanager-extension:plugin": {"defaultViewers": {"markdown": "Markdown Preview"}},
}


def add_kernel_extension(prefix):
    path = Path(prefix) / "share" / "jupyter" / "kernels" / KERNEL / "kernel.json"
    if not path.is_file():
        raise FileNotFoundError(f"no {KERNEL} kernel at {path}: run 'python -m ipykernel install "
                                f"--sys-prefix --name {KERNEL}' first")
    spec = json.loads(path.read_text(encoding="utf-8"))
    if KERNEL_EXTENSION not in spec["argv"]:
        spec["argv"].append(KERNEL_EXTENSION)
        path.write_text(json.dumps(spec, indent=1) + "\n", encoding="utf-8")
    return path


def write_overrides(prefix):
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(OVERRIDES, indent=2) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    print(add_kernel_extension(sys.prefix))
    print(write_overrides(sys.prefix))
