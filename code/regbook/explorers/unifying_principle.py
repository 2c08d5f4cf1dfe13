"""Chapter 15's explorer: bias², variance and total error of six regularizers on one harness.

Pick a regularizer and a strength (its weakest, or the one with the lowest total error); the frame shows the regularizer's bias² and variance against
its strength with the chosen point marked, and the three terms of the error at that point.
The curves come from :func:`regbook.bias_variance.measure_regularizers` on the semi-synthetic
diabetes task, computed once when the explorer is made, so ``compute`` is a look-up.
"""

from functools import partial

import numpy as np
from matplotlib.collections import PolyCollection

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

    The axes, their ticks and their labels are the same for every regularizer, so they are not
    drawn again while the sliders move: the strengths are texts in the place of tick labels.
    """
    left, right = axes
    strengths = result["strengths"]
    positions = np.arange(len(strengths))
    left.plot(positions, result["bias_squared"], "o-", color=ROLE["bias"])
    left.plot(positions, result["variance"], "s--", color=ROLE["variance"])
    left.plot(positions, result["bias_squared"] + result["variance"], "^:", color=ROLE["test"])
    left.axvline(result["index"], color="#555555", lw=1)
    for position, strength in zip(positions, strengths):
        left.text(position, -0.03, f"{strength:g}", transform=left.get_xaxis_transform(),
                  ha="center", va="top", fontsize=7, clip_on=False)
    left.set_xlim(-0.5, MAX_STRENGTHS - 0.5)
    left.set_ylim(0, 4500)
    left.set_yticks([0, 1000, 2000, 3000, 4000])
    left.set_xticks([])
    # The label's empty first line keeps the room of the tick labels that the texts replace;
    # its last line is the key, which as a legend would be drawn again on every frame.
    left.set_xlabel("\nstrength  →  more regularization\n"
                    "●  bias²      ■  variance      ▲  bias² + variance", fontsize=8)
    left.set_ylabel("squared error")
    left.set_title(result["label"], fontsize=9)
    i = result["index"]
    parts = [("noise σ²", result["noise"], ROLE["noise"]),
             ("bias²", float(result["bias_squared"][i]), ROLE["bias"]),
             ("variance", float(result["variance"][i]), ROLE["variance"])]
    tops = np.cumsum([value for _, value, _ in parts])
    bottoms = tops - [value for _, value, _ in parts]
    right.add_collection(PolyCollection(
        [[(-0.25, b), (-0.25, t), (0.25, t), (0.25, b)] for b, t in zip(bottoms, tops)],
        facecolors=[color for _, _, color in parts]), autolim=False)
    right.axhline(result["weakest_total"], color="#555555", ls="--", lw=1)
    right.text(0, tops[-1] + 150, f"total {tops[-1]:.0f}", ha="center", fontsize=8)
    right.set_xlim(-0.6, 1.6)
    right.set_ylim(0, 8500)
    right.set_yticks([0, 2000, 4000, 6000, 8000])
    right.set_xticks([])
    # The key is the axis label, which stays fixed: the parts are stacked in the same order.
    right.set_xlabel("from the bottom: noise σ², bias², variance\n"
                     "╌╌  total at the weakest strength", fontsize=8)
    right.set_ylabel("expected test MSE")
    right.set_title(f"at the {result['level']} strength, "
                    f"{result['label'].split(' (')[0]} = {strengths[i]:g}", fontsize=9)


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
        alt=alt, title="Bias and variance of six regularizers on one task")
