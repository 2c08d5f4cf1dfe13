"""Chapter 07's explorer: input-noise level σ against the fitted curve and its equivalent ridge α.

The model is a degree-12 polynomial basis fitted to 20 noisy points. Noise of standard deviation σ
is added to each (centred) basis feature: least squares on many noisy copies of the data then
converges to ridge regression with :math:`\\alpha = n\\sigma^2` (``regbook.noise``), which is drawn
beside it.
"""

from functools import partial

import matplotlib.ticker as mticker
import numpy as np

from regbook.datasets import make_train_test_curves, true_curve
from regbook.explore import Explorer, Param
from regbook.linear import ridge_closed_form
from regbook.noise import equivalent_ridge_alpha, noise_augmented_least_squares
from regbook.plotting import COLORS, ROLE
from regbook.polynomial import polynomial_features

DEGREE = 12
SIGMAS = [0.0, 0.01, 0.03, 0.1, 0.3, 1.0]
N_COPIES = 100


def compute(sigma, data, sigmas=SIGMAS, degree=DEGREE, n_copies=N_COPIES, seed=0):
    """Explorer ``compute``: the noise-trained and equivalent-ridge fits at ``sigma``, and the
    train/test MSE of the equivalent ridge at every grid value of σ."""
    x_train, y_train, x_test, y_test = data
    n = len(x_train)
    grid = np.linspace(-1, 1, 200)
    # Centred features and targets: the intercept is then y's mean and is not penalised, exactly
    # as in PolynomialRidge(degree, alpha).
    features = polynomial_features(x_train[:, None], degree)
    feature_mean, y_mean = features.mean(axis=0), y_train.mean()
    centred, y_centred = features - feature_mean, y_train - y_mean
    test_features = polynomial_features(x_test[:, None], degree) - feature_mean
    grid_features = polynomial_features(grid[:, None], degree) - feature_mean

    def ridge(s):
        return ridge_closed_form(centred, y_centred, equivalent_ridge_alpha(n, s))

    errors = np.array([(np.mean((centred @ w - y_centred) ** 2),
                        np.mean((test_features @ w + y_mean - y_test) ** 2))
                       for w in map(ridge, sigmas)])
    w_ridge = ridge(sigma)
    w_noisy = noise_augmented_least_squares(centred, y_centred, sigma, n_copies, rng=seed)
    return {
        "sigma": sigma, "alpha": equivalent_ridge_alpha(n, sigma), "n": n, "data": data,
        "grid": grid, "ridge_curve": grid_features @ w_ridge + y_mean,
        "noisy_curve": grid_features @ w_noisy + y_mean,
        "sigmas": list(sigmas), "train_curve": errors[:, 0], "test_curve": errors[:, 1],
        "test_mse": float(np.mean((test_features @ w_ridge + y_mean - y_test) ** 2)),
        "noisy_test_mse": float(np.mean((test_features @ w_noisy + y_mean - y_test) ** 2)),
        "n_copies": n_copies,
    }


def draw(result, axes):
    """Explorer ``draw``: both fits on the data, and the error curves against σ.

    Returns the artists that :func:`update` changes.
    """
    x_train, y_train, _, _ = result["data"]
    left, right = axes
    left.scatter(x_train, y_train, s=22, color=ROLE["train"], zorder=3, label="training points")
    left.plot(result["grid"], true_curve(result["grid"]), color=ROLE["truth"], ls="--", lw=1.2,
              label="true curve")
    noisy, = left.plot(result["grid"], result["noisy_curve"], color=COLORS["sky"], lw=3.5,
                       alpha=0.8, label=f"least squares, {result['n_copies']} noisy copies")
    ridge, = left.plot(result["grid"], result["ridge_curve"], color=ROLE["fit"], lw=1.6, ls="-.",
                       label="ridge, α = nσ²")
    left.set_ylim(-2.5, 2.5)
    left.set_xticks([-1, -0.5, 0, 0.5, 1])
    left.set_yticks([-2, -1, 0, 1, 2])
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.legend(loc="lower right", fontsize=7)
    positions = np.arange(len(result["sigmas"]))
    right.plot(positions, result["train_curve"], "o-", color=ROLE["train"], label="train MSE")
    right.plot(positions, result["test_curve"], "s--", color=ROLE["test"], label="test MSE")
    marker = right.axvline(0, color="#555555", lw=1, ls=":")
    right.set_yscale("log")
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    right.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    right.minorticks_off()
    right.set_yticks([0.02, 0.05, 0.1, 0.2, 0.5, 1.0])
    right.set_xticks(positions, [f"{s:g}" for s in result["sigmas"]], fontsize=7)
    right.set_xlabel("input-noise σ")
    right.set_ylabel("mean squared error")
    right.set_title("error of the equivalent ridge")
    right.legend(loc="lower right", fontsize=7)
    artists = {"noisy": noisy, "ridge": ridge, "title": left.title, "marker": marker}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: both fitted curves, the title and the marker at σ.

    The error curves cover the whole grid of σ, so they stay.
    """
    artists["noisy"].set_ydata(result["noisy_curve"])
    artists["ridge"].set_ydata(result["ridge_curve"])
    artists["title"].set_text(f"σ = {result['sigma']:g}  →  α = {result['n']}·σ² = "
                              f"{result['alpha']:.3g}")
    on_grid = result["sigma"] in result["sigmas"]
    artists["marker"].set_visible(on_grid)
    if on_grid:
        artists["marker"].set_xdata([result["sigmas"].index(result["sigma"])] * 2)


def alt(result, sigma):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"Input noise σ = {sigma:g}, equivalent ridge α = {result['alpha']:.3g}: the fit from "
            f"{result['n_copies']} noisy copies has test MSE {result['noisy_test_mse']:.3f}, the "
            f"ridge fit {result['test_mse']:.3f}.")


def make_explorer(seed=0):
    """The chapter 07 explorer over the input-noise standard deviation σ."""
    data = make_train_test_curves(n_train=20, n_test=500, seed=seed)
    return Explorer(
        partial(compute, data=data, seed=seed), draw,
        [Param("sigma", SIGMAS, label="input-noise σ", initial=0.0)],
        alt=alt, title="Input noise and its equivalent ridge penalty", update=update)
