"""Chapter 01's explorer: polynomial degree and ridge penalty against train and test error."""

from functools import partial

import matplotlib.ticker as mticker
import numpy as np

from regbook.datasets import make_train_test_curves, true_curve
from regbook.explore import Explorer, Param
from regbook.plotting import ROLE
from regbook.polynomial import PolynomialRidge

DEGREES = [1, 2, 3, 4, 6, 9, 12, 15]
ALPHAS = [0.0, 1e-4, 1e-2, 1.0]


def compute(degree, alpha, data, degrees=DEGREES):
    """Explorer ``compute``: the fit of one (degree, alpha) and train/test MSE for every degree."""
    x_train, y_train, x_test, y_test = data
    grid = np.linspace(-1, 1, 200)
    errors = []
    for d in degrees:
        model = PolynomialRidge(d, alpha).fit(x_train[:, None], y_train)
        errors.append((np.mean((model.predict(x_train[:, None]) - y_train) ** 2),
                       np.mean((model.predict(x_test[:, None]) - y_test) ** 2)))
    model = PolynomialRidge(degree, alpha).fit(x_train[:, None], y_train)
    errors = np.array(errors)
    return {
        "degree": degree, "alpha": alpha, "degrees": list(degrees), "data": data, "grid": grid,
        "curve": model.predict(grid[:, None]),
        "train_mse": float(np.mean((model.predict(x_train[:, None]) - y_train) ** 2)),
        "test_mse": float(np.mean((model.predict(x_test[:, None]) - y_test) ** 2)),
        "train_curve": errors[:, 0], "test_curve": errors[:, 1],
    }


def draw(result, axes):
    """Explorer ``draw``: the fitted curve on the data, and the error curves against degree.

    Returns the artists that :func:`update` changes.
    """
    x_train, y_train, x_test, y_test = result["data"]
    left, right = axes
    left.scatter(x_test, y_test, s=6, color=ROLE["test"], alpha=0.25, label="test points")
    left.scatter(x_train, y_train, s=22, color=ROLE["train"], zorder=3, label="training points")
    left.plot(result["grid"], true_curve(result["grid"]), color=ROLE["truth"], ls="--", lw=1.2,
              label="true curve")
    fit, = left.plot(result["grid"], result["curve"], color=ROLE["fit"], lw=2,
                     label="fitted polynomial")
    left.set_ylim(-2.5, 2.5)
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title(_fit_title(result))
    left.legend(loc="lower right", fontsize=7)
    train, = right.semilogy(result["degrees"], result["train_curve"], "o-", color=ROLE["train"],
                            label="train MSE")
    test, = right.semilogy(result["degrees"], result["test_curve"], "s--", color=ROLE["test"],
                           label="test MSE")
    marker = right.axvline(result["degree"], color="#555555", lw=1, ls=":")
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    right.yaxis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    right.minorticks_off()
    right.set_xlabel("polynomial degree")
    right.set_ylabel("mean squared error")
    right.set_title("error against degree")
    right.legend(loc="upper left", fontsize=7)
    return {"fit": fit, "title": left.title, "train": train, "test": test, "marker": marker}


def update(result, axes, artists):
    """Explorer ``update``: move the fitted curve, its title, the error curves and the marker."""
    artists["fit"].set_ydata(result["curve"])
    artists["title"].set_text(_fit_title(result))
    artists["train"].set_ydata(result["train_curve"])
    artists["test"].set_ydata(result["test_curve"])
    artists["marker"].set_xdata([result["degree"]] * 2)


def _fit_title(result):
    return f"degree {result['degree']}, α = {result['alpha']:g}"


def alt(result, degree, alpha):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"Degree {degree} polynomial with penalty α = {alpha:g}: training MSE "
            f"{result['train_mse']:.3f}, test MSE {result['test_mse']:.3f}.")


def make_explorer(seed=0):
    """The chapter 01 explorer over polynomial degree and ridge penalty α."""
    data = make_train_test_curves(seed=seed)
    return Explorer(
        partial(compute, data=data), draw,
        [Param("degree", DEGREES, label="polynomial degree", fmt="{:d}", initial=9),
         Param("alpha", ALPHAS, label="penalty α", initial=0.0)],
        alt=alt, title="Polynomial degree and penalty", update=update, fixed_limits=True)
