"""Print each chapter explorer's latency and twin.

- compute: ``compute`` alone over the whole parameter grid (budget: median 50 ms);
- live update: a slider move in the live view, from the new value to the PNG bytes the widget shows
  (compute, draw and encode), over drags that sweep each slider end to end with the others at their
  initial values, as a learner drags them (budget: median 50 ms, p95 100 ms);
- twin: the time to render every frame of the website twin, and its size.

Usage: python benchmarks/explorers.py [--repeats N] [--no-twin] [--chapters 01 02 ...]
"""

import argparse
import importlib
import itertools
import time

import numpy as np

from regbook.explorers import CHAPTER_EXPLORERS

COMPUTE_BUDGET_MS = 50.0
UPDATE_BUDGET_MS = (50.0, 100.0)


def latencies(function, calls, repeats):
    times = []
    for _ in range(repeats):
        for kwargs in calls:
            start = time.perf_counter()
            function(**kwargs)
            times.append(1000 * (time.perf_counter() - start))
    return np.median(times), np.percentile(times, 95)


def drags(explorer):
    initial = {p.name: p.initial for p in explorer.params}
    return [{**initial, p.name: value} for p in explorer.params for value in p.values]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-twin", action="store_true", help="skip building the twins")
    parser.add_argument("--chapters", nargs="+", metavar="NN",
                        help="only these chapters, by number or stem (01 or 01_overfitting)")
    args = parser.parse_args()
    chapters = sorted(CHAPTER_EXPLORERS)
    if args.chapters:
        unknown = [c for c in args.chapters if not any(s.startswith(c) for s in chapters)]
        if unknown:
            parser.error(f"--chapters: no chapter starts with {unknown}; the chapters are {chapters}")
        chapters = [s for s in chapters if any(s.startswith(c) for c in args.chapters)]
    print(f"{'chapter':22s} {'frames':>6s} {'compute':>8s} {'p95':>6s} {'update':>7s} {'p95':>6s} "
          f"{'twin s':>7s} {'twin KB':>8s}  (ms; budgets: compute median {COMPUTE_BUDGET_MS:g}, "
          f"update median {UPDATE_BUDGET_MS[0]:g} and p95 {UPDATE_BUDGET_MS[1]:g})")
    for chapter in chapters:
        explorer = importlib.import_module(CHAPTER_EXPLORERS[chapter]).make_explorer()
        names = [p.name for p in explorer.params]
        grid = [dict(zip(names, c)) for c in itertools.product(*(p.values for p in explorer.params))]
        explorer.render(**{p.name: p.initial for p in explorer.params})  # the widget's first frame
        compute_median, compute_p95 = latencies(explorer.compute, grid, args.repeats)
        update_median, update_p95 = latencies(explorer.render, drags(explorer), args.repeats)
        if args.no_twin:
            twin_seconds, size = "-", "-"
        else:
            start = time.perf_counter()
            size = f"{len(explorer.twin_html()) / 1024:.0f}"
            twin_seconds = f"{time.perf_counter() - start:.2f}"
        over = [name for name, bad in (
            ("compute", compute_median > COMPUTE_BUDGET_MS),
            ("update", update_median > UPDATE_BUDGET_MS[0] or update_p95 > UPDATE_BUDGET_MS[1])) if bad]
        print(f"{chapter:22s} {len(grid):6d} {compute_median:8.1f} {compute_p95:6.1f} {update_median:7.1f} "
              f"{update_p95:6.1f} {twin_seconds:>7s} {size:>8s}  {'OVER: ' + ', '.join(over) if over else 'ok'}",
              flush=True)


if __name__ == "__main__":
    main()
