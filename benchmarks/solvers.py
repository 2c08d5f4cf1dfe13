"""Time regbook's ridge, lasso and elastic-net solvers as a ratio to scikit-learn's.

Run from the repository root:  python benchmarks/solvers.py  [--repeats 15] [--threads 1]

Both libraries fit the same data with the same alpha, tol and max_iter, in the same run;
each figure is the median over ``--repeats`` fits of the whole ``fit`` call (validation,
centring and solve). Targets: ridge <= 1.5x, lasso and elastic net <= 3x scikit-learn's time.
The alphas give realistic sparse solutions (the count of non-zero coefficients is printed).

BLAS is limited to ``--threads`` threads (default 1) for both libraries: on a shared 2-core
machine a multi-threaded BLAS call can stall for tens of milliseconds when another process
holds a core, which swamps the figures being compared.
"""

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn import linear_model as sk
from sklearn.datasets import load_diabetes, make_regression

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "code"))
from regbook import linear as rb  # noqa: E402

TARGETS = {"Ridge": 1.5, "Lasso": 3.0, "ElasticNet": 3.0}


def median_fit_time(make_model, X, y, repeats):
    """Median wall time of ``make_model().fit(X, y)`` over ``repeats`` runs (after one warm-up)."""
    make_model().fit(X, y)
    times = []
    for _ in range(repeats):
        model = make_model()
        start = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def datasets():
    """Yield (name, X, y, {model: constructor kwargs}); tol and max_iter are added in main."""
    X, y = make_regression(n_samples=2000, n_features=200, n_informative=20, noise=10.0,
                           random_state=0)
    yield "synthetic n=2000 p=200", X, y, {
        "Ridge": {"alpha": 1.0},
        "Lasso": {"alpha": 1.0},
        "ElasticNet": {"alpha": 2.0, "l1_ratio": 0.9},
    }
    X, y = load_diabetes(return_X_y=True)
    yield "diabetes n=442 p=10", X, y, {
        "Ridge": {"alpha": 1.0},
        "Lasso": {"alpha": 0.05},
        "ElasticNet": {"alpha": 0.01, "l1_ratio": 0.5},
    }


def main(repeats, threads):
    tol, max_iter = 1e-4, 1000
    print(f"median of {repeats} fits, {threads} BLAS thread(s), tol={tol}, max_iter={max_iter}")
    print(f"{'data':23s} {'model':11s} {'params':22s} {'nonzero':>8s} {'regbook ms':>10s} "
          f"{'sklearn ms':>10s} {'ratio':>6s} {'target':>7s}")
    all_ok = True
    for data_name, X, y, models in datasets():
        for name, kwargs in models.items():
            if name != "Ridge":
                kwargs = {**kwargs, "tol": tol, "max_iter": max_iter}
            ours_cls, theirs_cls = getattr(rb, name), getattr(sk, name)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a ConvergenceWarning would make timings unfair
                ours = median_fit_time(lambda: ours_cls(**kwargs), X, y, repeats)
                theirs = median_fit_time(lambda: theirs_cls(**kwargs), X, y, repeats)
                coef = ours_cls(**kwargs).fit(X, y).coef_
            ratio = ours / theirs
            ok = ratio <= TARGETS[name]
            all_ok &= ok
            params = " ".join(f"{k}={v:g}" for k, v in kwargs.items() if k in ("alpha", "l1_ratio"))
            nonzero = f"{int(np.sum(coef != 0)):>3d}/{coef.size:<4d}"
            print(f"{data_name:23s} {name:11s} {params:22s} {nonzero} {ours * 1e3:10.3f} {theirs * 1e3:10.3f} {ratio:6.2f} "
                  f"{'<= ' + str(TARGETS[name]):>7s}{'' if ok else '  MISSED'}")
    print("all targets met" if all_ok else "some targets missed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both libraries")
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads, user_api="blas"):
        main(args.repeats, args.threads)
