"""Configure the venv's JupyterLab for learners; `make` runs it once after installing the venv.

- The ``regbook`` kernel loads ``regbook.glue`` (``--ext``), which defines ``glued`` for the
  prose's ``{eval}`glued('name:fmt')``` roles, so Run All shows the learner's own numbers.
- ``{sys.prefix}/share/jupyter/lab/settings/overrides.json`` holds settings every launch from this
  venv gets: no "official Jupyter news?" toast and no update check (both would also reach out to
  the network), and every cell rendered at once (windowing mode "none"), because jupyterlab-myst
  evaluates a markdown cell's ``{eval}`` roles only if the cell has been rendered when it runs;
  and Markdown files (START.md, the page ``make lab`` opens) open rendered, not in the editor.
- The prebuilt ``regbook-references`` extension (``lab/regbook-references/labextension``, built from
  its ``src/`` and committed, so a learner needs no Node.js) goes into
  ``{sys.prefix}/share/jupyter/labextensions``, with the citation texts and chapter numbers it shows
  (``tools/lab_references.py``; ``make lab`` refreshes them).

Usage: python tools/setup_lab.py   (idempotent)
"""

import json
import shutil
import sys
from pathlib import Path

import lab_references

ROOT = Path(__file__).resolve().parents[1]
BUILT_EXTENSION = ROOT / "lab" / lab_references.EXTENSION / "labextension"

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


def install_extension(prefix):
    if not (BUILT_EXTENSION / "package.json").is_file():
        raise FileNotFoundError(f"no built extension in {BUILT_EXTENSION}: build it with "
                                "'python tools/build_lab_extension.py'")
    path = Path(prefix) / "share" / "jupyter" / "labextensions" / lab_references.EXTENSION
    # Replaced whole: the bundle's file names carry a content hash, and a stale one must not stay.
    if path.exists():
        shutil.rmtree(path)
    shutil.copytree(BUILT_EXTENSION, path)
    lab_references.write(prefix)
    return path


if __name__ == "__main__":
    print(add_kernel_extension(sys.prefix))
    print(write_overrides(sys.prefix))
    print(install_extension(sys.prefix))
