"""Chapter 12's explorer: the drop probability p against the MC-dropout predictive band.

One small ReLU network (1-32-32-1, dropout after each hidden layer) is trained per grid value of p
on 1-D data with a gap (``regbook.dropout.make_gap_regression``), once, when the explorer is made.
``compute`` runs 100 stochastic forward passes with dropout left on (MC dropout) and returns
their mean and spread along x; the explorer computes every frame of its grid once, when it is made,
so a slider move costs only drawing.
"""

import functools
from functools import partial

import numpy as np

from regbook.dropout import make_gap_regression, mc_dropout_predict, train_dropout_regressor
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook.training import one_torch_thread

P_VALUES = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5]
N_TRAIN = 40
N_SAMPLES = 100
GRID = np.linspace(-2.0, 2.0, 81)
GAP = 0.35


def regions(grid=GRID, gap=GAP):
    """Boolean masks of the grid: on the data, inside the gap, and far outside the data."""
    x = np.abs(grid)
    return {"data": (x >= gap) & (x <= 1.0), "gap": x < gap, "outside": x > 1.3}


def trained_models(p_values=tuple(P_VALUES), n_train=N_TRAIN, seed=0):
    """One trained network per p on the same gap data (cached: the chapter reuses them).

    The cache is keyed on the values, not on how they were passed: ``trained_models()`` in the
    chapter and ``trained_models(seed=0)`` in :func:`make_explorer` share one training run.
    """
    return _trained_models(tuple(p_values), n_train, seed)


@functools.lru_cache(maxsize=4)
def _trained_models(p_values, n_train, seed):
    x, y = make_gap_regression(n_train, gap=GAP, seed=seed)
    return (x, y), {p: train_dropout_regressor(x, y, p, seed=seed) for p in p_values}


def compute(p, models, data, summary, n_samples=N_SAMPLES, seed=1):
    """Explorer ``compute``: MC-dropout mean and spread on the grid for the network trained at p."""
    with one_torch_thread():
        samples = mc_dropout_predict(models[p], GRID[:, None], n_samples=n_samples,
                                     seed=seed)[:, :, 0]
    spread = samples.std(axis=0)
    masks = regions()
    return {"p": p, "data": data, "grid": GRID, "mean": samples.mean(axis=0), "spread": spread,
            "spread_data": float(spread[masks["data"]].mean()),
            "spread_gap": float(spread[masks["gap"]].mean()),
            "spread_outside": float(spread[masks["outside"]].mean()),
            "summary": summary}


def draw(result, axes):
    """Explorer ``draw``: the band on the data (left), and the spread against p (right).

    The top of each panel is room for its legend, above every frame's data. Returns the artists
    that :func:`update` changes.
    """
    left, right = axes
    x, y = result["data"]
    left.axvspan(-GAP, GAP, color="#EEEEEE", zorder=0, label="gap in the data")
    band = left.fill_between(result["grid"], *_band(result), color=COLORS["sky"], alpha=0.45,
                             lw=0, label="mean ± 2 sd")
    left.plot(result["grid"], np.sin(3 * result["grid"]), color=ROLE["truth"], ls="--", lw=1.1,
              label="sin(3x)")
    mean, = left.plot(result["grid"], result["mean"], color=ROLE["fit"], lw=1.8,
                      label=f"mean of {N_SAMPLES} passes")
    left.scatter(x[:, 0], y, s=14, color=ROLE["train"], zorder=3, label="training data")
    left.set_xlim(-2, 2)
    left.set_ylim(-2, 3)
    left.set_yticks([-2, -1, 0, 1, 2])
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title(_band_title(result))
    left.legend(loc="upper center", ncols=3, fontsize=7)
    ps = result["summary"]["p"]
    positions = np.arange(len(ps))
    for key, style, color, label in [("data", "o-", ROLE["train"], "on the data"),
                                     ("gap", "s--", ROLE["test"], "in the gap"),
                                     ("outside", "^:", COLORS["green"], "|x| > 1.3")]:
        right.plot(positions, result["summary"][key], style, color=color, label=label)
    marker = right.axvline(ps.index(result["p"]), color="#555555", lw=1, ls=":")
    right.set_xticks(positions, [f"{v:g}" for v in ps], fontsize=7)
    highest = max(max(v) for k, v in result["summary"].items() if k != "p")
    right.set_ylim(0, 1.45 * highest)
    right.set_xlabel("drop probability p")
    right.set_ylabel("mean predictive sd")
    right.set_title("the spread is set mostly by p")
    right.legend(loc="upper left", fontsize=7)
    return {"band": band, "mean": mean, "band_title": left.title, "marker": marker}


def update(result, axes, artists):
    """Explorer ``update``: the new band and mean, the title and the marker at p."""
    artists["band"].set_data(result["grid"], *_band(result))
    artists["mean"].set_ydata(result["mean"])
    artists["band_title"].set_text(_band_title(result))
    artists["marker"].set_xdata([result["summary"]["p"].index(result["p"])] * 2)


def _band(result):
    return result["mean"] - 2 * result["spread"], result["mean"] + 2 * result["spread"]


def _band_title(result):
    return f"MC dropout, p = {result['p']:g}"


def alt(result, p):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"MC dropout with p = {p:g}: the mean predictive standard deviation is "
            f"{result['spread_data']:.3f} on the data, {result['spread_gap']:.3f} in the gap and "
            f"{result['spread_outside']:.3f} far outside the data.")


def _precomputed(p, frames):
    """The explorer's ``compute``: a look-up of the frames :func:`make_explorer` computed, since
    100 forward passes per slider move were a third of a frame's time."""
    return frames[p]


def make_explorer(seed=0):
    """The chapter 12 explorer over the drop probability p of an MC-dropout regressor."""
    data, models = trained_models(seed=seed)
    frames = {p: compute(p, models, data, None) for p in P_VALUES}
    summary = {"p": list(P_VALUES), **{key: [frames[p][f"spread_{key}"] for p in P_VALUES]
                                       for key in ("data", "gap", "outside")}}
    for frame in frames.values():
        frame["summary"] = summary
    return Explorer(
        partial(_precomputed, frames=frames), draw,
        [Param("p", P_VALUES, label="drop probability p", initial=0.1)],
        alt=alt, title="MC dropout: the predictive band against the drop probability",
        update=update, fixed_limits=True)
