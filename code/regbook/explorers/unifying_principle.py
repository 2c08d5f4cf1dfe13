"""Chapter 15's explorer: bias², variance and total error of six regularizers on one harness.

Pick a regularizer and a strength (its weakest, or the one with the lowest total error); the frame shows the regularizer's bias² and variance against
its strength with the chosen point marked, and the three terms of the error at that point.
The curves come from :func:`regbook.bias_variance.measure_regularizers` on the semi-synthetic
diabetes task, computed once when the explorer is made, so ``compute`` is a look-up.
"""

from functools import partial

import numpy as np

from regbook.bias_variance import REGULARIZERS, make_diabetes_task, measure_regularizers
from regbook.explore import Explorer, Param
from regbook.plotting import ROLE

LEVELS = ["weakest", "best"]
NAMES = list(REGULARIZERS)


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
    """Explorer ``draw``: the two curves with the chosen strength, and the error at that point."""
    left, right = axes
    positions = np.arange(len(result["strengths"]))
    left.plot(positions, result["bias_squared"], "o-", color=ROLE["bias"], label="bias²")
    left.plot(positions, result["variance"], "s--", color=ROLE["variance"], label="variance")
    left.plot(positions, result["bias_squared"] + result["variance"], "^:", color=ROLE["test"],
              label="bias² + variance")
    left.axvline(result["index"], color="#555555", lw=1)
    left.set_ylim(0, 4500)
    left.set_yticks([0, 1000, 2000, 3000, 4000])
    left.set_xticks(positions, [f"{s:g}" for s in result["strengths"]], fontsize=7)
    left.set_xlabel(result["label"] + " →  more regularization", fontsize=8)
    left.set_ylabel("squared error")
    left.set_title(f"{result['regularizer'].replace('_', ' ')}: the two error terms", fontsize=9)
    left.legend(fontsize=7, loc="upper center")
    i = result["index"]
    parts = [("noise σ²", result["noise"], ROLE["noise"]),
             ("bias²", float(result["bias_squared"][i]), ROLE["bias"]),
             ("variance", float(result["variance"][i]), ROLE["variance"])]
    bottom = 0.0
    for name, value, color in parts:
        right.bar([0], [value], bottom=bottom, color=color, width=0.5, label=name)
        bottom += value
    right.axhline(result["weakest_total"], color="#555555", ls="--", lw=1,
                  label="total at the weakest strength")
    right.text(0, bottom + 150, f"total {bottom:.0f}", ha="center", fontsize=8)
    right.set_xlim(-0.6, 1.6)
    right.set_ylim(0, 8500)
    right.set_yticks([0, 2000, 4000, 6000, 8000])
    right.set_xticks([0], [f"{result['label'].split(' (')[0]} = {result['strengths'][i]:g}"],
                      fontsize=7)
    right.set_ylabel("expected test MSE")
    right.set_title(f"the error at the {result['level']} strength", fontsize=9)
    right.legend(fontsize=7, loc="upper right")


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
