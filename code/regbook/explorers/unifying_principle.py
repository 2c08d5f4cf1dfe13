"""Chapter 15's explorer: bias², variance and total error of six regularizers on one harness.

Pick a regularizer and a strength (its weakest, or the one with the lowest total error); the frame shows the regularizer's bias² and variance against
its strength with the chosen point marked, and the three terms of the error at that point.
The curves come from :func:`regbook.bias_variance.measure_regularizers` on the semi-synthetic
diabetes task, computed once when the explorer is made, so ``compute`` is a look-up.
"""

from functools import partial

import numpy as np
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from regbook.bias_variance import REGULARIZERS, make_diabetes_task, measure_regularizers
from regbook.explore import Explorer, Param
from regbook.plotting import ROLE

LEVELS = ["weakest", "best"]
NAMES = list(REGULARIZERS)
MAX_STRENGTHS = max(len(spec["strengths"]) for spec in REGULARIZERS.values())


def compute(regularizer, level, curves):
    """Explorer ``compute``: the curves of ``regularizer`` and the index picked by ``level``."""
    if regularizer not in curves:
        raise ValueError(f"regularizer must be one of {sorted(curves)}, got {regularizer!r}")
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    curve = curves[regularizer]
    index = 0 if level == "weakest" else curve.best
    return {
        "regularizer": regularizer, "level": level, "index": index,
        "label": REGULARIZERS[regularizer]["label"], "strengths": list(curve.strengths),
        "bias_squared": np.asarray(curve.bias_squared), "variance": np.asarray(curve.variance),
        "noise": float(curve.noise), "total": np.asarray(curve.total),
        "weakest_total": float(curve.total[0]),
    }


def draw(result, axes):
    """Explorer ``draw``: the two curves with the chosen strength, and the error at that point.

    The axes, their ticks and their labels are the same for every regularizer, so they are kept
    as pixels while the sliders move: the strengths are texts in the place of tick labels.
    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    positions = np.arange(MAX_STRENGTHS)
    curves = {key: left.plot([], [], style, color=ROLE[role], label=label)[0]
              for key, style, role, label in [("bias", "o-", "bias", "bias²"),
                                              ("variance", "s--", "variance", "variance"),
                                              ("sum", "^:", "test", "bias² + variance")]}
    marker = left.axvline(0, color="#555555", lw=1)
    strength_texts = [left.text(position, -0.03, "", transform=left.get_xaxis_transform(),
                                ha="center", va="top", fontsize=7, clip_on=False)
                      for position in positions]
    left.set_xlim(-0.5, MAX_STRENGTHS - 0.5)
    left.set_ylim(0, 4800)
    left.set_yticks([0, 1000, 2000, 3000, 4000])
    left.set_xticks([])
    # The empty first line keeps the room of the tick labels that the texts replace.
    left.set_xlabel("\nstrength  →  more regularization")
    left.set_ylabel("squared error")
    left.legend(loc="upper center", fontsize=7)
    parts = right.add_collection(PolyCollection(
        _stack(result)[0], facecolors=[ROLE["noise"], ROLE["bias"], ROLE["variance"]]),
        autolim=False)
    weakest, = right.plot([-0.35, 0.35], [result["weakest_total"]] * 2, color="#555555", ls="--",
                          lw=1, label="total at the weakest strength")
    total = right.text(0, 0, "", ha="center", fontsize=8)
    right.set_xlim(-0.6, 1.6)
    right.set_ylim(0, 8500)
    right.set_yticks([0, 2000, 4000, 6000, 8000])
    right.set_xticks([])
    right.set_ylabel("expected test MSE")
    # Proxy patches: the stacked parts are one collection, which a legend shows as one entry.
    handles = [Patch(color=color, label=label) for label, color in
               [("variance", ROLE["variance"]), ("bias²", ROLE["bias"]), ("noise σ²", ROLE["noise"])]]
    right.legend(handles=[weakest, *handles], loc="upper right", fontsize=7)
    artists = {**curves, "marker": marker, "strength_texts": strength_texts,
               "curves_title": left.set_title("", fontsize=9), "parts": parts, "weakest": weakest,
               "total": total, "error_title": right.set_title("", fontsize=9)}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the regularizer's curves and strengths, the stacked error, the titles."""
    strengths = result["strengths"]
    positions = np.arange(len(strengths))
    artists["bias"].set_data(positions, result["bias_squared"])
    artists["variance"].set_data(positions, result["variance"])
    artists["sum"].set_data(positions, result["bias_squared"] + result["variance"])
    artists["marker"].set_xdata([result["index"]] * 2)
    for k, text in enumerate(artists["strength_texts"]):
        text.set_text(f"{strengths[k]:g}" if k < len(strengths) else "")
    verts, top = _stack(result)
    artists["parts"].set_verts(verts)
    artists["weakest"].set_ydata([result["weakest_total"]] * 2)
    # Above the dashed line when the text, about 500 high, would otherwise cross it.
    text_bottom, weakest = top + 150, result["weakest_total"]
    if text_bottom <= weakest <= text_bottom + 500:
        text_bottom = weakest + 150
    artists["total"].set_position((0, text_bottom))
    artists["total"].set_text(f"total {top:.0f}")
    name = result["label"].split(" (")[0]
    artists["curves_title"].set_text(f"{name}: the two error terms")
    artists["error_title"].set_text(f"at the {result['level']} strength, "
                                    f"{name} = {strengths[result['index']]:g}")


def _stack(result):
    """The bars of noise, bias² and variance at the chosen strength, stacked; and their top."""
    i = result["index"]
    values = [result["noise"], float(result["bias_squared"][i]), float(result["variance"][i])]
    tops = np.cumsum(values)
    bottoms = tops - values
    return ([[(-0.25, b), (-0.25, t), (0.25, t), (0.25, b)] for b, t in zip(bottoms, tops)],
            float(tops[-1]))


def alt(result, regularizer, level):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    i = result["index"]
    return (f"{regularizer.replace('_', ' ')} at its {level} strength "
            f"({result['strengths'][i]:g}): bias² {result['bias_squared'][i]:.0f}, variance "
            f"{result['variance'][i]:.0f}, noise {result['noise']:.0f}, total "
            f"{result['total'][i]:.0f} against {result['weakest_total']:.0f} at the weakest "
            f"strength.")


def make_explorer(curves=None, seed=0, n_repeats=40):
    """The chapter 15 explorer. Pass the chapter's ``curves`` to avoid measuring them again."""
    if curves is None:
        curves = measure_regularizers(make_diabetes_task(seed=seed), n_repeats=n_repeats, rng=1,
                                      n_bootstrap=2)
    return Explorer(
        partial(compute, curves=curves), draw,
        [Param("regularizer", [name for name in NAMES if name in curves], label="regularizer",
               fmt="{}", initial="ridge"),
         Param("level", LEVELS, label="strength", fmt="{}", initial="best")],
        alt=alt, title="Bias and variance of six regularizers on one task", update=update,
        fixed_limits=True)
