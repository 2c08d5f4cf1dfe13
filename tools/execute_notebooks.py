"""Execute the book's notebooks on every core into the execution cache that `jupyter-book build` reads.

Jupyter Book runs notebooks one after another. Run first, in parallel (jupyter-cache's ``local-parallel``
executor: one kernel per core, each in its notebook's folder, as the book runs them), the build finds
every notebook in ``_build/.jupyter_cache`` and only renders. A notebook whose cell raises fails this
step with its traceback, which is the notebooks test layer: `make test` executes each notebook once.

Usage: python tools/execute_notebooks.py [NOTEBOOK ...]   (default: every notebook of _toc.yml)
"""

import os
import sys
import time
from pathlib import Path

import nbformat
import yaml
from jupyter_cache import get_cache
from jupyter_cache.executors import load_executor

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "_build" / ".jupyter_cache"


def toc_notebooks(root=ROOT):
    """Every notebook that _toc.yml names, in its order."""
    def walk(node):
        if isinstance(node, dict):
            if "file" in node and (root / f"{node['file']}.ipynb").exists():
                yield root / f"{node['file']}.ipynb"
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item)
    return list(dict.fromkeys(walk(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))))


def cell_timeout(root=ROOT):
    """The per-cell timeout of _config.yml, the one the book's own execution uses."""
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    return int(config.get("execute", {}).get("timeout", 30))


def main(paths):
    os.environ.setdefault("TQDM_DISABLE", "1")
    cache = get_cache(str(CACHE))
    stale = [path for path in paths if not _is_cached(cache, path)]
    for path in stale:
        cache.add_nb_to_project(str(path))
    print(f"executing {len(stale)} of {len(paths)} notebooks on {os.cpu_count()} cores "
          f"into {CACHE.relative_to(ROOT)}", flush=True)
    start = time.perf_counter()
    result = load_executor("local-parallel", cache).run_and_cache(
        filter_uris=[str(path) for path in stale], timeout=cell_timeout(), allow_errors=False)
    failed = [*result.excepted, *result.errored]
    for uri in failed:
        traceback = cache.get_project_record(uri).traceback or "(no traceback recorded)"
        print(f"\nFAILED {Path(uri).relative_to(ROOT)}\n{traceback[-3000:]}", file=sys.stderr)
    print(f"{len(result.succeeded)} executed, {len(failed)} failed, "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    return 1 if failed else 0


def _is_cached(cache, path):
    try:
        cache.match_cache_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return False
    return True


if __name__ == "__main__":
    given = [Path(p).resolve() for p in sys.argv[1:]]
    sys.exit(main(given or toc_notebooks()))
