r"""Chapter 09's explorer: slide a digit across the frame and watch a CNN's feature map follow it.

Two networks from :func:`regbook.sharing.train_digits_model` (500 training digits, seed 0) are
trained once per process; the chapter's experiment uses the same cached fits. Their first
layers produce an 8-channel 8 × 8 map each: the CNN's from one shared 3 × 3 filter per channel,
the dense network's (an MLP) from a separate weight vector per unit. ``compute`` shifts one test
digit by ``dx`` pixels (zero fill) and runs two forward passes, so it stays cheap.
"""

from functools import partial

import numpy as np
import torch
from matplotlib.collections import PolyCollection

from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook.sharing import digits_images, shift, train_digits_model

SHIFTS = (-3, -2, -1, 0, 1, 2, 3)
N_TRAIN = 500
SHOWN_LABEL = 4
"""The explorer shows the first test image of this class."""


def _models(seed):
    return (train_digits_model("conv", N_TRAIN, seed).model,
            train_digits_model("dense", N_TRAIN, seed).model)


def _shown_digit():
    _, X_test, _, y_test = digits_images()
    index = int(np.flatnonzero(y_test.numpy() == SHOWN_LABEL)[0])
    return X_test[index:index + 1]


def _strongest_channel(model, image):
    with torch.no_grad():
        first = torch.relu(model[0](image))[0]
    return int(first.flatten(1).sum(dim=1).argmax())


def compute(dx, seed=0):
    """Explorer ``compute``: the shifted digit, one channel of each network's first-layer map
    (after ReLU) and both networks' class probabilities."""
    cnn, dense = _models(seed)
    digit = _shown_digit()
    image = shift(digit, dx, 0, mode="zero")
    result = {"dx": dx, "image": image[0, 0].numpy()}
    for name, model in (("cnn", cnn), ("dense", dense)):
        channel = _strongest_channel(model, digit)
        with torch.no_grad():
            feature = torch.relu(model[0](image))[0, channel].numpy()
            probs = torch.softmax(model(image), dim=1)[0].double().numpy()
        result[name] = {"channel": channel, "feature": feature, "probs": probs,
                        "peak": np.unravel_index(int(feature.argmax()), feature.shape)}
    return result


def _centre_column(image):
    """Ink-weighted mean column of an 8 × 8 image."""
    weights = image.sum(axis=0)
    return float((weights * np.arange(image.shape[1])).sum() / max(weights.sum(), 1e-12))


def _bars(ax, left, width, heights, **style):
    """Vertical bars from 0 as one PolyCollection: ``ax.bar`` adds a patch per bar, and adding
    patches was most of this frame's time."""
    verts = [[(x, 0.0), (x, h), (x + width, h), (x + width, 0.0)] for x, h in zip(left, heights)]
    return ax.add_collection(PolyCollection(verts, **style), autolim=False)


def draw(result, axes):
    """Explorer ``draw``: the digit, the two feature maps and the two probability vectors.

    The feature maps are named, and the bars keyed, by axis labels rather than titles and a
    legend: axis labels stay fixed while the slider moves, so they are not drawn every frame.
    """
    digit_ax, cnn_ax, dense_ax, prob_ax = axes
    digit_ax.imshow(result["image"], cmap="gray_r", vmin=0, vmax=1)
    digit_ax.set_title(f"input shifted by {result['dx']:+d} px")
    digit_ax.set_xlabel("the digit the networks see")
    for ax, name, title in ((cnn_ax, "cnn", "CNN feature map"),
                            (dense_ax, "dense", "MLP first layer")):
        part = result[name]
        ax.imshow(part["feature"], cmap="viridis", vmin=0)
        row, col = part["peak"]
        ax.plot(col, row, "+", color=COLORS["orange"], ms=10, mew=2)
        ax.set_xlabel(f"{title} (channel {part['channel']})")
    for ax in (digit_ax, cnn_ax, dense_ax):
        ax.set_xticks([])
        ax.set_yticks([])
    classes = np.arange(10)
    _bars(prob_ax, classes - 0.4, 0.4, result["cnn"]["probs"], facecolor=ROLE["train"])
    _bars(prob_ax, classes, 0.4, result["dense"]["probs"], facecolor=ROLE["test"], hatch="//",
          edgecolor="white", linewidth=0)
    prob_ax.set_xlim(-0.8, 9.8)
    prob_ax.set_xticks(classes)
    prob_ax.set_ylim(0, 1.05)
    prob_ax.set_xlabel("class\nsolid: CNN    hatched: MLP", fontsize=9)
    prob_ax.set_ylabel("probability")
    # A title here too: with a title on an image panel only, the fixed layout clips it.
    prob_ax.set_title(f"predictions (true class {SHOWN_LABEL})")


def alt(result, dx, **_):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    cnn, dense = result["cnn"], result["dense"]
    return (f"A handwritten {SHOWN_LABEL} shifted by {dx:+d} pixels (ink centre at column "
            f"{_centre_column(result['image']):.1f}). The CNN's feature map peaks at column "
            f"{cnn['peak'][1]}; the MLP's first-layer map peaks at column {dense['peak'][1]}. "
            f"The CNN predicts {int(cnn['probs'].argmax())} with probability "
            f"{cnn['probs'].max():.2f}, the MLP predicts {int(dense['probs'].argmax())} with "
            f"probability {dense['probs'].max():.2f}.")


def make_explorer(seed=0):
    """The chapter 09 explorer over the horizontal shift (trains two small networks once)."""
    _models(seed)
    return Explorer(
        partial(compute, seed=seed), draw,
        [Param("dx", list(SHIFTS), label="horizontal shift (px)", fmt="{:+d}", initial=0)],
        alt=alt, title="Parameter sharing: a shifted digit, two networks",
        subplots=(1, 4), figsize=(9.0, 2.7))
