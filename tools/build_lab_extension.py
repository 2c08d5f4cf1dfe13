"""Rebuild the committed bundle of the regbook-references JupyterLab extension from its source.

The built extension (lab/regbook-references/labextension, about 13 KB) is committed, so that
installing the book needs no Node.js: tools/setup_lab.py only copies it into the venv. After editing
the extension's src/, package.json or package-lock.json, run this script (it needs npm), then
``python tools/setup_lab.py`` to install the new bundle. It writes ``source.sha256`` into the bundle,
the hash of the source it was built from, which tests/site/test_jupyterlab.py compares with the
source as it is.

Usage: python tools/build_lab_extension.py   (run with the venv's Python: it uses its jupyter-builder)
"""

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTENSION = ROOT / "lab" / "regbook-references"
BUNDLE = EXTENSION / "labextension"
SOURCE_HASH = BUNDLE / "source.sha256"


def source_files(extension=EXTENSION):
    return [extension / "package.json", extension / "package-lock.json",
            *sorted((extension / "src").rglob("*.js"))]


def source_hash(extension=EXTENSION):
    """SHA-256 over the extension's source files, their paths and contents, in a fixed order."""
    digest = hashlib.sha256()
    for path in source_files(extension):
        digest.update(path.relative_to(extension).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def build(extension=EXTENSION):
    npm = shutil.which("npm")
    if npm is None:
        raise FileNotFoundError("npm is needed to build the extension: install Node.js 18+ with npm")
    builder = Path(sys.prefix) / "bin" / "jupyter-builder"
    if not builder.exists():
        raise FileNotFoundError(f"no jupyter-builder at {builder}: run this script with the venv's Python")
    subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=extension, check=True)
    subprocess.run([str(builder), "build", str(extension)], check=True)
    SOURCE_HASH.write_text(source_hash(extension) + "\n", encoding="utf-8")
    return BUNDLE


if __name__ == "__main__":
    print(build())
