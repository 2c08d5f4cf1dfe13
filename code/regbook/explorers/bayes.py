"""Chapter 05's explorer: prior width against prior, likelihood and posterior in two dimensions."""

from functools import partial

import numpy as np

from regbook.bayes import gaussian_posterior, lasso_alpha_from_prior, posterior_on_grid
from regbook.linear import Lasso
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook._validation import check_scalar

PRIOR_STDS = [0.1, 0.2, 0.5, 1.0, 2.0, 5.0]
# The right panel's curves use a finer grid of widths that contains the slider's values.
PATH_STDS = np.unique(np.concatenate([np.geomspace(0.1, 5.0, 15), PRIOR_STDS]))
PRIORS = ["gaussian", "laplace"]
SIGMA = 1.0
# The grid reaches well past the drawn window so that the posterior's tails are in the moments.
W1_GRID = np.linspace(-2.0, 5.0, 161)
W2_GRID = np.linspace(-3.5, 3.5, 161)
WINDOW = (-1.0, 3.0, -2.0, 2.0)
# Contour levels of a density relative to its peak: the 1, 2 and 3 "sigma" ellipses of a Gaussian.
LEVELS = np.exp(-0.5 * np.array([3.0, 2.0, 1.0]) ** 2)


def make_problem(seed=0, n_samples=12, correlation=0.5, w_true=(1.5, 0.0), sigma=SIGMA):
    """A seeded two-feature regression whose second true weight is zero; ``X`` and ``y`` centred.

    Returns ``(X, y, w_true)``.
    """
    rng = np.random.default_rng(seed)
    cov = np.array([[1.0, correlation], [correlation, 1.0]])
    X = rng.normal(size=(n_samples, 2)) @ np.linalg.cholesky(cov).T
    y = X @ np.asarray(w_true) + sigma * rng.normal(size=n_samples)
    return X - X.mean(axis=0), y - y.mean(), np.asarray(w_true, dtype=float)


def prior_scale(prior, prior_std):
    """The prior's own scale for a given standard deviation: tau = s, or b = s / sqrt(2)."""
    return prior_std if prior == "gaussian" else prior_std / np.sqrt(2.0)


def map_point(X, y, prior, scale):
    """The MAP estimate from the penalised solvers (chapter 05 verifies they equal the MAP)."""
    if prior == "gaussian":
        return gaussian_posterior(X, y, SIGMA, scale).mean
    alpha = lasso_alpha_from_prior(SIGMA, scale, X.shape[0])
    return Lasso(alpha=alpha, fit_intercept=False, tol=1e-10, max_iter=10_000).fit(X, y).coef_


def paths(X, y, prior_stds=PATH_STDS):
    """MAP estimate and grid posterior mean along a grid of prior widths, for both priors."""
    out = {}
    for prior in PRIORS:
        scales = [prior_scale(prior, s) for s in prior_stds]
        out[prior] = {
            "map": np.array([map_point(X, y, prior, b) for b in scales]),
            "mean": np.array([posterior_on_grid(X, y, SIGMA, prior, b, W1_GRID, W2_GRID).mean
                              for b in scales]),
        }
    return out


def compute(prior_std, prior, problem, precomputed):
    """Explorer ``compute``: the posterior grid at one prior width, plus the precomputed paths."""
    prior_std = check_scalar(prior_std, "prior_std", low=0.0, low_inclusive=False)
    if not isinstance(precomputed, dict):
        raise TypeError(f"precomputed must be the dict of paths by prior, got {precomputed!r}")
    X, y, w_true = problem
    scale = prior_scale(prior, prior_std)
    grid = posterior_on_grid(X, y, SIGMA, prior, scale, W1_GRID, W2_GRID)
    k = int(np.argmin(np.abs(PATH_STDS - prior_std)))
    path = precomputed[prior]
    return {"prior": prior, "prior_std": prior_std, "grid": grid, "w_true": w_true,
            "w_ls": np.linalg.lstsq(X, y, rcond=None)[0], "map": path["map"][k],
            "mean": path["mean"][k], "map_path": path["map"], "mean_path": path["mean"]}


def _relative(log_density):
    return np.exp(log_density - log_density.max())


def _contours(ax, grid, density, color, style, zorder):
    return ax.contour(grid.w1, grid.w2, density, levels=LEVELS, colors=color, linestyles=style,
                      linewidths=1.3, zorder=zorder)


def _prior_and_posterior(ax, grid):
    # Z-orders below the lines' 2 and around the likelihood's 1.85: contours made again by
    # update are then drawn in the first frame's order.
    return (_contours(ax, grid, _relative(grid.log_prior), COLORS["grey"], "dashed", 1.8),
            _contours(ax, grid, grid.density / grid.density.max(), ROLE["fit"], "solid", 1.9))


def draw(result, axes):
    """Explorer ``draw``: contours in weight space, and the estimates against the prior width.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    grid = result["grid"]
    _contours(left, grid, _relative(grid.log_likelihood), ROLE["train"], "dotted", 1.85)
    left.axhline(0, color="#999999", lw=0.6)
    left.axvline(0, color="#999999", lw=0.6)
    left.plot(*result["w_ls"], "s", color=ROLE["train"], mfc="none", label="least squares")
    map_point, = left.plot(*result["map"], "o", color=ROLE["test"], label="MAP")
    mean_point, = left.plot(*result["mean"], "x", color=COLORS["black"], label="posterior mean")
    # Proxy lines so the legend also names the three contour families.
    left.plot([], [], ls="dashed", color=COLORS["grey"], label="prior")
    left.plot([], [], ls="dotted", color=ROLE["train"], label="likelihood")
    left.plot([], [], ls="solid", color=ROLE["fit"], label="posterior")
    left.set(xlim=WINDOW[:2], ylim=WINDOW[2:], xlabel="w₁", ylabel="w₂", aspect="equal")
    left.legend(fontsize=6, loc="upper right", ncols=2)

    s = PATH_STDS
    paths = [right.plot(s, result["map_path"][:, 0], "-", color=ROLE["test"], label="MAP w₁")[0],
             right.plot(s, result["map_path"][:, 1], "-", color=ROLE["variance"], label="MAP w₂")[0],
             right.plot(s, result["mean_path"][:, 0], "--", color=ROLE["test"], label="mean w₁")[0],
             right.plot(s, result["mean_path"][:, 1], "--", color=ROLE["variance"],
                        label="mean w₂")[0]]
    marker = right.axvline(result["prior_std"], color="#555555", lw=1, ls=":")
    right.axhline(0, color="#999999", lw=0.6)
    right.set_xscale("log")
    right.minorticks_off()
    right.set_xticks([0.1, 0.3, 1.0, 3.0], labels=["0.1", "0.3", "1", "3"])
    right.set(xlabel="prior standard deviation", ylabel="weight",
              title="estimates against prior width")
    right.legend(fontsize=6, loc="upper left", ncols=2)
    artists = {"contours": [], "map": map_point, "mean": mean_point, "title": left.title,
               "paths": paths, "marker": marker}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: new prior and posterior contours, estimates, paths and title.

    The likelihood does not depend on the prior, so its contours stay.
    """
    for old in artists["contours"]:
        old.remove()
    artists["contours"] = list(_prior_and_posterior(axes[0], result["grid"]))
    artists["map"].set_data(*([v] for v in result["map"]))
    artists["mean"].set_data(*([v] for v in result["mean"]))
    artists["title"].set_text(f"{result['prior']} prior, sd {result['prior_std']:g}")
    for line, path in zip(artists["paths"], [result["map_path"][:, 0], result["map_path"][:, 1],
                                             result["mean_path"][:, 0], result["mean_path"][:, 1]]):
        line.set_ydata(path)
    artists["marker"].set_xdata([result["prior_std"]] * 2)


def alt(result, prior_std, prior):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    w_map, w_mean = result["map"], result["mean"]
    zeros = " (w2 exactly zero)" if prior == "laplace" and w_map[1] == 0.0 else ""
    return (f"{prior.capitalize()} prior with standard deviation {prior_std:g}: MAP estimate "
            f"({w_map[0]:.2f}, {w_map[1]:.2f}){zeros}, posterior mean "
            f"({w_mean[0]:.2f}, {w_mean[1]:.2f}).")


def make_explorer(seed=0):
    """The chapter 05 explorer over the prior's standard deviation and its type."""
    problem = make_problem(seed)
    precomputed = paths(problem[0], problem[1])
    return Explorer(
        partial(compute, problem=problem, precomputed=precomputed), draw,
        [Param("prior_std", PRIOR_STDS, label="prior standard deviation", initial=0.5),
         Param("prior", PRIORS, label="prior", fmt="{}", initial="laplace")],
        alt=alt, title="Prior width, likelihood and posterior", update=update, fixed_limits=True)
