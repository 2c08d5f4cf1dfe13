"""Print each chapter explorer's latency: compute alone (budget: median 50 ms) and a full live update
(compute + draw + PNG), as median and p95 over its whole parameter grid, plus the twin's size.

Usage: python benchmarks/explorers.py [--repeats N] [--no-twin]
"""

import argparse
import importlib
import itertools
import time

import numpy as np

from regbook.explorers import CHAPTER_EXPLORERS

BUDGET_MS = 50.0


def latencies(function, combos, repeats):
    times = []
    for _ in range(repeats):
        for kwargs in combos:
            start = time.perf_counter()
            function(**kwargs)
            times.append(1000 * (time.perf_counter() - start))
    return np.median(times), np.percentile(times, 95)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-twin", action="store_true", help="skip building the twins")
    args = parser.parse_args()
    print(f"{'chapter':22s} {'frames':>6s} {'compute median':>14s} {'p95':>7s} "
          f"{'update median':>13s} {'p95':>7s} {'twin KB':>8s}  (ms; budget median {BUDGET_MS:g})")
    for chapter, module_name in sorted(CHAPTER_EXPLORERS.items()):
        explorer = importlib.import_module(module_name).make_explorer()
        names = [p.name for p in explorer.params]
        combos = [dict(zip(names, c)) for c in itertools.product(*(p.values for p in explorer.params))]
        explorer.compute(**combos[0])  # warm caches and imports once, as a live session would
        compute_median, compute_p95 = latencies(explorer.compute, combos, args.repeats)
        update_median, update_p95 = latencies(explorer.render, combos, 1)
        size = "-" if args.no_twin else f"{len(explorer.twin_html()) / 1024:8.0f}"
        flag = "ok" if compute_median <= BUDGET_MS else "OVER"
        print(f"{chapter:22s} {len(combos):6d} {compute_median:14.1f} {compute_p95:7.1f} "
              f"{update_median:13.1f} {update_p95:7.1f} {size:>8s}  {flag}")


if __name__ == "__main__":
    main()
