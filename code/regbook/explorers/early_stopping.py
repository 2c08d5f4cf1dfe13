"""Chapter 10's explorer: the number of gradient-descent steps τ against ridge with α = 1/(ητ).

Least squares on the standardised diabetes data, :math:`L(w) = \\tfrac{1}{2n}\\lVert y - Xw\\rVert^2`,
gradient descent from :math:`w_0 = 0` with step :math:`\\eta = 1/\\lambda_{\\max}`. Everything is in
closed form (``regbook.early_stopping``): the per-eigenvalue filters of τ steps and of ridge, and
the weight paths of both, so a frame costs a few milliseconds.
"""

from functools import partial

import matplotlib.ticker as mticker
import numpy as np
from matplotlib.lines import Line2D

from regbook.datasets import load_bundled
from regbook.early_stopping import (equivalent_ridge_alpha, gradient_descent_shrinkage,
                                    gradient_descent_weights, ridge_shrinkage)
from regbook.explore import Explorer, Param
from regbook.linear import ridge_closed_form
from regbook.plotting import COLORS, ROLE

STEPS = [1, 3, 10, 30, 100, 300, 1000, 3000]
PATH_STEPS = np.unique(np.round(np.logspace(0, 4.3, 60)).astype(int))
SHOWN = (2, 4)  # bmi and s1: a large stable coefficient and one that needs many steps


def diabetes_problem():
    """Standardised diabetes features, centred target, and the eigen-decomposition of XᵀX/n."""
    X, y = load_bundled("diabetes")
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = y - y.mean()
    eigenvalues, V = np.linalg.eigh(X.T @ X / len(y))
    coef_ls = ridge_closed_form(X, y, 0.0)
    return {"X": X, "y": y, "eigenvalues": eigenvalues, "V": V, "coef_ls": coef_ls,
            "lr": 1.0 / eigenvalues.max()}


def ridge_weights(problem, alphas):
    """Ridge weights for each per-sample ``alpha`` (scikit-learn's ``Ridge(n * alpha)``), by
    filtering the least-squares coefficients in the eigenbasis."""
    V, eigenvalues = problem["V"], problem["eigenvalues"]
    coefficients = V.T @ problem["coef_ls"]
    filters = np.array([ridge_shrinkage(eigenvalues, a) for a in np.atleast_1d(alphas)])
    return (filters * coefficients) @ V.T


def compute(steps, problem):
    """Explorer ``compute``: the two filters at ``steps`` and the two weight paths."""
    if not isinstance(problem, dict):
        raise TypeError(f"problem must be the dict made by diabetes_problem(), got {problem!r}")
    X, y, eigenvalues, lr = problem["X"], problem["y"], problem["eigenvalues"], problem["lr"]
    alpha = equivalent_ridge_alpha(lr, steps)
    grid = np.logspace(np.log10(eigenvalues.min()) - 0.5, np.log10(eigenvalues.max()), 120)
    w_gd = gradient_descent_weights(X, y, lr, steps)
    w_ridge = ridge_weights(problem, alpha)[0]
    # The alpha whose ridge solution is closest to w_gd, searched on a fine log grid. The filters
    # of all candidates come from one call, as λ/(λ + α) = (λ/α)/(λ/α + 1); one call per
    # candidate was most of the time of compute.
    candidates = alpha * np.logspace(-3, 3, 241)
    filters = ridge_shrinkage(eigenvalues / candidates[:, None], 1.0)
    ridge_candidates = (filters * (problem["V"].T @ problem["coef_ls"])) @ problem["V"].T
    distances = np.linalg.norm(ridge_candidates - w_gd, axis=1)
    best_alpha = float(candidates[int(np.argmin(distances))])
    return {
        "steps": steps, "lr": lr, "alpha": alpha, "eigenvalues": eigenvalues, "grid": grid,
        "gd_filter_grid": gradient_descent_shrinkage(grid, lr, steps),
        "ridge_filter_grid": ridge_shrinkage(grid, alpha),
        "gd_filter": gradient_descent_shrinkage(eigenvalues, lr, steps),
        "ridge_filter": ridge_shrinkage(eigenvalues, alpha),
        "path_x": lr * PATH_STEPS, "gd_path": gradient_descent_weights(X, y, lr, PATH_STEPS),
        "ridge_path": ridge_weights(problem, 1.0 / (lr * PATH_STEPS)), "w_gd": w_gd,
        "w_ridge": w_ridge,
        "relative_distance": float(np.linalg.norm(w_gd - w_ridge) / np.linalg.norm(w_ridge)),
        "best_alpha_ratio": best_alpha / alpha,
    }


def _plain_log_axis(ax, ticks):
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    ax.minorticks_off()
    ax.set_xticks(ticks)


def draw(result, axes):
    """Explorer ``draw``: filters against the eigenvalue; weight paths against ητ = 1/α.

    The top of each panel is room for its legend, above every frame's data. Returns the artists
    that :func:`update` changes.
    """
    left, right = axes
    gd_curve, = left.plot(result["grid"], result["gd_filter_grid"], color=ROLE["train"],
                          label="gradient descent, τ steps")
    ridge_curve, = left.plot(result["grid"], result["ridge_filter_grid"], color=ROLE["fit"],
                             ls="--", label="ridge, α = 1/(ητ)")
    gd_points, = left.plot(result["eigenvalues"], result["gd_filter"], "o", color=ROLE["train"],
                           ms=4, label="at the diabetes eigenvalues")
    ridge_points, = left.plot(result["eigenvalues"], result["ridge_filter"], "x",
                              color=ROLE["fit"], ms=5, label="at the diabetes eigenvalues")
    alpha_marker = left.axvline(result["alpha"], color="#555555", lw=1, ls=":", label="λ = α")
    _plain_log_axis(left, [0.01, 0.1, 1.0])
    left.set_xlim(result["grid"][0], result["grid"][-1])
    left.set_ylim(-0.03, 1.5)
    left.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    left.set_xlabel("eigenvalue λ of XᵀX/n")
    left.set_ylabel("fraction of least-squares coef.")
    left.legend(handles=[gd_curve, gd_points, alpha_marker, ridge_curve, ridge_points],
                loc="upper left", ncols=2, fontsize=6)

    x = result["path_x"]
    for k, color in zip(SHOWN, (COLORS["blue"], COLORS["green"])):
        right.plot(x, result["gd_path"][:, k], color=color, lw=1.8)
        right.plot(x, result["ridge_path"][:, k], color=color, lw=1.4, ls="--")
    steps_marker = right.axvline(result["lr"] * result["steps"], color="#555555", lw=1, ls=":")
    _plain_log_axis(right, [1, 10, 100, 1000])
    right.set_ylim(-42, 52)
    right.set_yticks([-40, -20, 0, 20])
    right.set_xlabel("ητ  (= 1/α for ridge)")
    right.set_ylabel("coefficient")
    # Proxy lines: colour names the feature, the line style the method.
    right.legend(handles=[Line2D([], [], color=COLORS["blue"], label="bmi"),
                          Line2D([], [], color=COLORS["green"], label="s1"),
                          Line2D([], [], color="#555555", label="gradient descent"),
                          Line2D([], [], color="#555555", ls="--", label="ridge, α = 1/(ητ)")],
                 loc="upper left", ncols=2, fontsize=7)
    artists = {"gd_curve": gd_curve, "ridge_curve": ridge_curve, "gd_points": gd_points,
               "ridge_points": ridge_points, "alpha_marker": alpha_marker,
               "filter_title": left.title, "steps_marker": steps_marker, "path_title": right.title}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the filters at τ, the markers at α and ητ, and both titles."""
    artists["gd_curve"].set_ydata(result["gd_filter_grid"])
    artists["ridge_curve"].set_ydata(result["ridge_filter_grid"])
    artists["gd_points"].set_ydata(result["gd_filter"])
    artists["ridge_points"].set_ydata(result["ridge_filter"])
    artists["alpha_marker"].set_xdata([result["alpha"]] * 2)
    artists["filter_title"].set_text(f"τ = {result['steps']}: filters, α = {result['alpha']:.3g}")
    artists["steps_marker"].set_xdata([result["lr"] * result["steps"]] * 2)
    artists["path_title"].set_text("paths; ‖w_GD − w_ridge‖/‖w_ridge‖ = "
                                   f"{result['relative_distance']:.2f}")


def alt(result, steps):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"After {steps} gradient-descent steps (η = {result['lr']:.3g}) the filter reaches "
            f"{result['gd_filter'].min():.2f} to {result['gd_filter'].max():.2f} of the "
            f"least-squares coefficients across the ten eigen-directions; ridge with α = "
            f"{result['alpha']:.3g} reaches {result['ridge_filter'].min():.2f} to "
            f"{result['ridge_filter'].max():.2f}. The weights are "
            f"{result['relative_distance']:.2f} (relative) from that ridge solution, and the "
            f"closest ridge has α {result['best_alpha_ratio']:.2f} times 1/(ητ).")


def make_explorer():
    """The chapter 10 explorer over the number of gradient-descent steps τ."""
    return Explorer(
        partial(compute, problem=diabetes_problem()), draw,
        [Param("steps", STEPS, label="gradient-descent steps τ", initial=30, fmt="{:d}")],
        alt=alt, title="Early-stopped gradient descent and its closest ridge", update=update,
        fixed_limits=True)
