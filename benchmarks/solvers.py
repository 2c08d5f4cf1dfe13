"""Time regbook's ridge, lasso and elastic-net solvers as a ratio to scikit-learn's.

Run from the repository root:  python benchmarks/solvers.py  [--repeats 15] [--threads 1]

Both libraries fit the same data with the same alpha, tol and max_iter, in the same run;
each figure is the median over ``--repeats`` fits of the whole ``fit`` call (validation,
centring and solve), or of a whole lasso path. Target: within 1.5x of scikit-learn's time for
ridge, lasso, elastic net and the path, on every shape, including a hard, strongly correlated
lasso with tol=1e-8. The alphas give realistic sparse solutions (non-zero counts are printed).

BLAS is limited to ``--threads`` threads (default 1) for both libraries: on a shared 2-core
machine a multi-threaded BLAS call can stall for tens of milliseconds when another process
holds a core, which swamps the figures being compared.
"""

import argparse
import os
import subprocess
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

TARGETS = {"Ridge": 1.5, "Lasso": 1.5, "ElasticNet": 1.5, "path": 1.5}


def median_time(run, repeats):
    """Median wall time of ``run()`` over ``repeats`` runs (after one warm-up)."""
    run()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


def correlated_problem(n_samples=500, n_features=400, rho=0.95, seed=0):
    """Gaussian features with corr(x_i, x_j) = rho^|i - j|, a sparse truth and noise: a hard lasso."""
    rng = np.random.default_rng(seed)
    Z = rng.normal(size=(n_samples, n_features))
    X = np.empty_like(Z)
    X[:, 0] = Z[:, 0]
    for j in range(1, n_features):  # an AR(1) across columns has exactly that correlation
        X[:, j] = rho * X[:, j - 1] + np.sqrt(1 - rho ** 2) * Z[:, j]
    coef = np.zeros(n_features)
    coef[rng.choice(n_features, 20, replace=False)] = rng.normal(scale=3.0, size=20)
    return X, X @ coef + rng.normal(size=n_samples)


def datasets():
    """Yield (name, X, y, solver settings, {model: constructor kwargs})."""
    X, y = make_regression(n_samples=2000, n_features=200, n_informative=20, noise=10.0,
                           random_state=0)
    yield "synthetic n=2000 p=200", X, y, {"tol": 1e-4, "max_iter": 1000}, {
        "Ridge": {"alpha": 1.0},
        "Lasso": {"alpha": 1.0},
        "ElasticNet": {"alpha": 2.0, "l1_ratio": 0.9},
    }
    X, y = load_diabetes(return_X_y=True)
    yield "diabetes n=442 p=10", X, y, {"tol": 1e-4, "max_iter": 1000}, {
        "Ridge": {"alpha": 1.0},
        "Lasso": {"alpha": 0.05},
        "ElasticNet": {"alpha": 0.01, "l1_ratio": 0.5},
    }
    X, y = correlated_problem()
    yield "correlated n=500 p=400", X, y, {"tol": 1e-8, "max_iter": 100_000}, {
        "Ridge": {"alpha": 1.0},
        "Lasso": {"alpha": 0.002},
        "ElasticNet": {"alpha": 0.004, "l1_ratio": 0.5},
    }


def first_fit_in_a_fresh_process():
    """Milliseconds to import regbook.linear, and for a first Lasso fit beyond a second one."""
    code = ("import time; t = time.perf_counter(); from regbook.linear import Lasso; "
            "imported = time.perf_counter() - t; import numpy as np; "
            "X = np.random.default_rng(0).normal(size=(50, 5)); y = X[:, 0]; "
            "t = time.perf_counter(); Lasso(alpha=0.1).fit(X, y); first = time.perf_counter() - t; "
            "t = time.perf_counter(); Lasso(alpha=0.1).fit(X, y); "
            "print(1e3 * imported, 1e3 * (first - (time.perf_counter() - t)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "code")})
    return [float(value) for value in out.stdout.split()]


def row(data_name, name, params, nonzero, ours, theirs):
    ratio = ours / theirs
    ok = ratio <= TARGETS[name]
    print(f"{data_name:23s} {name:11s} {params:22s} {nonzero} {ours * 1e3:10.3f} {theirs * 1e3:10.3f} "
          f"{ratio:6.2f} {'<= ' + str(TARGETS[name]):>7s}{'' if ok else '  MISSED'}")
    return ok


def main(repeats, threads):
    print(f"median of {repeats} fits, {threads} BLAS thread(s)")
    print(f"{'data':23s} {'model':11s} {'params':22s} {'nonzero':>8s} {'regbook ms':>10s} "
          f"{'sklearn ms':>10s} {'ratio':>6s} {'target':>7s}")
    all_ok = True
    for data_name, X, y, settings, models in datasets():
        for name, kwargs in models.items():
            if name != "Ridge":
                kwargs = {**kwargs, **settings}
            ours_cls, theirs_cls = getattr(rb, name), getattr(sk, name)
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # a ConvergenceWarning would make timings unfair
                ours = median_time(lambda: ours_cls(**kwargs).fit(X, y), repeats)
                theirs = median_time(lambda: theirs_cls(**kwargs).fit(X, y), repeats)
                coef = ours_cls(**kwargs).fit(X, y).coef_
            params = " ".join(f"{k}={v:g}" for k, v in kwargs.items() if k in ("alpha", "l1_ratio"))
            nonzero = f"{int(np.sum(coef != 0)):>3d}/{coef.size:<4d}"
            all_ok &= row(data_name, name, params, nonzero, ours, theirs)
        # A lasso path over 30 alphas down to the model's alpha, warm-started, without intercept.
        alphas = np.geomspace(models["Lasso"]["alpha"] * 1e3, models["Lasso"]["alpha"], 30)
        Xc = X - X.mean(axis=0)
        yc = y - y.mean()
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            ours = median_time(lambda: rb.regularization_path(Xc, yc, alphas, fit_intercept=False,
                                                              **settings), repeats)
            theirs = median_time(lambda: sk.lasso_path(Xc, yc, alphas=alphas, **settings), repeats)
        all_ok &= row(data_name, "path", f"30 alphas to {alphas[-1]:g}", " " * 8, ours, theirs)
    import_ms, first_fit_ms = first_fit_in_a_fresh_process()
    print(f"fresh process: import regbook.linear {import_ms:.0f} ms (numpy, scipy, scikit-learn and "
          f"the compiled solver); first Lasso fit +{first_fit_ms:.1f} ms beyond a second one")
    print("all targets met" if all_ok else "some targets missed")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both libraries")
    args = parser.parse_args()
    with threadpool_limits(limits=args.threads, user_api="blas"):
        main(args.repeats, args.threads)
