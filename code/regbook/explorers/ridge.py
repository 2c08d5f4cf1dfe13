"""Chapter 02's explorer: the ridge penalty α against shrink factors and train/test error.

Data: the 10 diabetes features and their 55 squares and products (65 columns), 100 training
patients and 342 test patients, standardised with the training statistics. With 65 features
and 100 samples, least squares overfits badly; ridge shrinks each singular direction of the
training matrix by :math:`d_i^2 / (d_i^2 + \\alpha)`.
"""

from functools import partial

import matplotlib.ticker as mticker
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import PolynomialFeatures, StandardScaler

from regbook.datasets import load_bundled
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook._validation import check_scalar

ALPHAS = [0.001, 0.01, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 10000.0]


def diabetes_interactions(n_train=100, seed=0):
    """Degree-2 diabetes features, split and standardised; returns the pieces ``compute`` needs.

    Returns
    -------
    dict
        ``X_train``, ``y_train``, ``X_test``, ``y_test`` (standardised features) and the thin
        SVD ``U, d, Vt`` of the centred training matrix.
    """
    X, y = load_bundled("diabetes")
    features = PolynomialFeatures(degree=2, include_bias=False).fit_transform(X)
    X_train, X_test, y_train, y_test = train_test_split(features, y, train_size=n_train,
                                                        random_state=seed)
    scaler = StandardScaler().fit(X_train)
    X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
    U, d, Vt = np.linalg.svd(X_train - X_train.mean(axis=0), full_matrices=False)
    return {"X_train": X_train, "y_train": y_train, "X_test": X_test, "y_test": y_test,
            "U": U, "d": d, "Vt": Vt}


def _errors(data, alpha):
    X_mean, y_mean = data["X_train"].mean(axis=0), data["y_train"].mean()
    d = data["d"]
    coef = data["Vt"].T @ (d / (d ** 2 + alpha) * (data["U"].T @ (data["y_train"] - y_mean)))
    intercept = y_mean - X_mean @ coef
    train = np.mean((data["X_train"] @ coef + intercept - data["y_train"]) ** 2)
    test = np.mean((data["X_test"] @ coef + intercept - data["y_test"]) ** 2)
    return float(train), float(test)


def compute(alpha, data, alphas=ALPHAS):
    """Explorer ``compute``: shrink factors, effective degrees of freedom and train/test MSE."""
    alpha = check_scalar(alpha, "alpha", low=0.0)
    if not isinstance(data, dict):
        raise TypeError(f"data must be the dict made by diabetes_interactions(), got {data!r}")
    d2 = data["d"] ** 2
    shrink = d2 / (d2 + alpha)
    curves = np.array([_errors(data, a) for a in alphas])
    train_mse, test_mse = _errors(data, alpha)
    return {"alpha": alpha, "alphas": list(alphas), "shrink": shrink,
            "dof": float(shrink.sum()), "train_mse": train_mse, "test_mse": test_mse,
            "train_curve": curves[:, 0], "test_curve": curves[:, 1],
            "best_alpha": float(alphas[int(np.argmin(curves[:, 1]))])}


def draw(result, axes):
    """Explorer ``draw``: shrink factor per singular direction, and error against α.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    k = np.arange(1, result["shrink"].size + 1)
    fill = left.fill_between(k, result["shrink"], step="mid", color=COLORS["sky"], alpha=0.5, lw=0)
    steps, = left.plot(k, result["shrink"], drawstyle="steps-mid", color=ROLE["train"], lw=1.6)
    left.set_ylim(0, 1.05)
    left.set_xlim(0.5, k[-1] + 0.5)
    left.set_xlabel("singular direction (largest d² first)")
    left.set_ylabel("shrink factor d²/(d² + α)")
    left.set_title(_shrink_title(result), fontsize=10)
    right.loglog(result["alphas"], result["train_curve"], "o-", color=ROLE["train"], ms=4,
                 label="train MSE")
    right.loglog(result["alphas"], result["test_curve"], "s--", color=ROLE["test"], ms=4,
                 label="test MSE")
    marker = right.axvline(result["alpha"], color="#555555", lw=1, ls=":")
    points, = right.plot([result["alpha"]] * 2, [result["train_mse"], result["test_mse"]], "D",
                         color=ROLE["truth"], ms=6)
    # Plain tick labels: log-axis mathtext labels dominate the time of drawing a frame.
    for axis in (right.xaxis, right.yaxis):
        axis.set_major_formatter(mticker.FuncFormatter(lambda v, _: f"{v:g}"))
    right.minorticks_off()
    right.set_xlabel("penalty α")
    right.set_ylabel("mean squared error")
    right.set_title(_error_title(result), fontsize=10)
    right.legend(fontsize=7, loc="upper right")
    return {"fill": fill, "steps": steps, "shrink_title": left.title, "marker": marker,
            "points": points, "error_title": right.title}


def update(result, axes, artists):
    """Explorer ``update``: the new shrink factors, the marker at α and both titles."""
    k = np.arange(1, result["shrink"].size + 1)
    artists["fill"].set_data(k, result["shrink"], 0)
    artists["steps"].set_ydata(result["shrink"])
    artists["shrink_title"].set_text(_shrink_title(result))
    artists["marker"].set_xdata([result["alpha"]] * 2)
    artists["points"].set_data([result["alpha"]] * 2, [result["train_mse"], result["test_mse"]])
    artists["error_title"].set_text(_error_title(result))


def _shrink_title(result):
    return f"α = {result['alpha']:g}: effective df {result['dof']:.1f} of {result['shrink'].size}"


def _error_title(result):
    return f"train {result['train_mse']:.0f}, test {result['test_mse']:.0f}"


def alt(result, alpha):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    kept = int(np.sum(result["shrink"] > 0.5))
    if alpha < result["best_alpha"]:
        regime = "less penalty than the best setting, so the model overfits"
    elif alpha > result["best_alpha"]:
        regime = "more penalty than the best setting, so the model starts to underfit"
    else:
        regime = "the penalty with the lowest test error on this grid"
    return (f"Penalty α = {alpha:g}: {kept} of {result['shrink'].size} singular directions keep "
            f"more than half their least-squares size, effective degrees of freedom "
            f"{result['dof']:.1f}; training MSE {result['train_mse']:.0f}, test MSE "
            f"{result['test_mse']:.0f}; {regime}.")


def make_explorer(seed=0):
    """The chapter 02 explorer over the ridge penalty α on degree-2 diabetes features."""
    data = diabetes_interactions(seed=seed)
    return Explorer(
        partial(compute, data=data), draw,
        [Param("alpha", ALPHAS, label="penalty α", initial=1.0)],
        alt=alt, title="Ridge penalty: shrinkage and error", update=update, fixed_limits=True)
