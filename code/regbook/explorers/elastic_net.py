"""Chapter 04's explorer: move α along the ridge, elastic-net and lasso paths on the diabetes data."""

from functools import partial

import matplotlib.ticker as mticker
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from regbook.datasets import load_bundled
from regbook.explore import Explorer, Param
from regbook.linear import regularization_path
from regbook.plotting import COLORS, ROLE
from regbook._validation import check_scalar

FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
PATH_ALPHAS = np.logspace(-2, 2, 13)
ALPHAS = [float(a) for a in PATH_ALPHAS[::3]]
L1_RATIOS = [1.0, 0.5, 0.0]
_NAMES = {1.0: "lasso", 0.5: "elastic net", 0.0: "ridge"}


def diabetes_split(seed=0):
    """Diabetes, standardised on a 70 % training split: ``(X_train, X_test, y_train, y_test)``."""
    X, y = load_bundled("diabetes")
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=seed)
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def model_name(l1_ratio):
    """``"lasso"``, ``"elastic net"`` or ``"ridge"`` for an ``l1_ratio`` of 1, 0.5 or 0."""
    return _NAMES.get(l1_ratio, f"elastic net (l1_ratio = {l1_ratio:g})")


def precompute_paths(data, l1_ratios=L1_RATIOS, path_alphas=PATH_ALPHAS):
    """The coefficient path over ``path_alphas`` for each ``l1_ratio``: a dict for :func:`compute`."""
    X_train, _, y_train, _ = data
    return {l1_ratio: regularization_path(X_train, y_train, np.asarray(path_alphas),
                                          model="elasticnet", l1_ratio=l1_ratio)
            for l1_ratio in l1_ratios}


def compute(alpha, l1_ratio, data, path_alphas=PATH_ALPHAS, paths=None):
    """Explorer ``compute``: the whole path, the coefficients at ``alpha`` and their test MSE.

    The elastic net with ``l1_ratio = 0`` is ridge in the elastic net's units (penalty
    ``alpha / 2 * ||w||^2`` after a ``1 / (2n)`` loss), so one α axis serves all three models.
    ``paths``, from :func:`precompute_paths` over the same ``path_alphas``, saves solving the
    path again when it holds ``l1_ratio`` and ``alpha`` is on the path's grid.
    """
    alpha = check_scalar(alpha, "alpha", low=0.0)
    if paths is not None and not isinstance(paths, dict):
        raise TypeError(f"paths must be None or the dict made by precompute_paths(), got {paths!r}")
    X_train, X_test, y_train, y_test = data
    grid = np.union1d(path_alphas, [alpha])
    if paths is not None and l1_ratio in paths and grid.size == len(path_alphas):
        coefs = paths[l1_ratio]
    else:
        coefs = regularization_path(X_train, y_train, grid, model="elasticnet", l1_ratio=l1_ratio)
    w = coefs[np.searchsorted(grid, alpha)]
    intercept = y_train.mean() - X_train.mean(axis=0) @ w
    return {
        "alpha": alpha, "l1_ratio": l1_ratio, "grid": grid, "path": coefs, "coef": w,
        "n_nonzero": int(np.count_nonzero(w)),
        "test_mse": float(np.mean((X_test @ w + intercept - y_test) ** 2)),
    }


def draw(result, axes):
    """Explorer ``draw``: the path with a marker line at α, and the coefficients at α as bars.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    paths = [left.plot(result["grid"], result["path"][:, j], lw=1.2)[0]
             for j in range(result["path"].shape[1])]
    marker = left.axvline(result["alpha"], color=ROLE["truth"], lw=1.2, ls="--")
    left.set_xscale("log")
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    left.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    left.minorticks_off()
    left.set_xlabel("penalty α (log scale)")
    left.set_ylabel("coefficient")
    bars = right.barh(FEATURES, result["coef"])
    right.axvline(0, color=ROLE["truth"], lw=0.8)
    right.invert_yaxis()
    limit = 1.05 * np.abs(result["path"]).max()
    right.set_xlim(-limit, limit)
    right.set_xlabel("coefficient at this α")
    right.set_title("", fontsize=9)
    artists = {"paths": paths, "marker": marker, "path_title": left.title, "bars": list(bars),
               "bar_title": right.title}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the path for this mix, the marker at α, the bars and the titles."""
    for line, coefs in zip(artists["paths"], result["path"].T):
        line.set_data(result["grid"], coefs)
    artists["marker"].set_xdata([result["alpha"]] * 2)
    artists["path_title"].set_text(f"{model_name(result['l1_ratio'])} path")
    for bar, c in zip(artists["bars"], result["coef"]):
        bar.set_width(c)
        bar.set_color(COLORS["grey"] if c == 0 else ROLE["train"])
    artists["bar_title"].set_text(f"α = {result['alpha']:.3g}: {result['n_nonzero']} of 10 non-zero, "
                                  f"test MSE {result['test_mse']:.0f}")


def alt(result, alpha, l1_ratio):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    zero = [f for f, c in zip(FEATURES, result["coef"]) if c == 0]
    zero_text = f"zero for {', '.join(zero)}" if zero else "none of them zero"
    return (f"{model_name(l1_ratio).capitalize()} on the diabetes data at α = {alpha:.3g}: "
            f"{result['n_nonzero']} of 10 coefficients non-zero ({zero_text}); "
            f"test MSE {result['test_mse']:.0f}.")


def make_explorer(seed=0):
    """The chapter 04 explorer over the penalty α and the mix ``l1_ratio`` (lasso, EN, ridge)."""
    data = diabetes_split(seed)
    return Explorer(
        partial(compute, data=data, paths=precompute_paths(data)), draw,
        [Param("alpha", ALPHAS, label="penalty α", fmt="{:.3g}", initial=ALPHAS[2]),
         Param("l1_ratio", L1_RATIOS, label="l1_ratio (1 lasso, 0 ridge)", initial=1.0)],
        alt=alt, title="Moving along the regularization path", update=update, fixed_limits=True)
