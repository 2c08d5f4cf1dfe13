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


def _bar_verts(left, width, heights):
    """Vertical bars from 0 as polygons, for one PolyCollection: ``ax.bar`` adds a patch per bar,
    and adding patches was most of this frame's time."""
    return [[(x, 0.0), (x, h), (x + width, h), (x + width, 0.0)] for x, h in zip(left, heights)]


CLASSES = np.arange(10)


def draw(result, axes):
    """Explorer ``draw``: the digit, the two feature maps and the two probability vectors.

    Returns the artists that :func:`update` changes.
    """
    digit_ax, cnn_ax, dense_ax, prob_ax = axes
    artists = {"digit": digit_ax.imshow(result["image"], cmap="gray_r", vmin=0, vmax=1),
               "digit_title": digit_ax.set_title("", fontsize=9)}
    for ax, name, title in ((cnn_ax, "cnn", "CNN feature map"),
                            (dense_ax, "dense", "MLP first layer")):
        part = result[name]
        artists[f"{name}_map"] = ax.imshow(part["feature"], cmap="viridis", vmin=0)
        artists[f"{name}_peak"], = ax.plot([], [], "+", color=COLORS["orange"], ms=10, mew=2)
        ax.set_title(f"{title} (channel {part['channel']})", fontsize=9)
    for ax in (digit_ax, cnn_ax, dense_ax):
        ax.set_xticks([])
        ax.set_yticks([])
    artists["cnn_bars"] = prob_ax.add_collection(PolyCollection(
        _bar_verts(CLASSES - 0.4, 0.4, result["cnn"]["probs"]), facecolor=ROLE["train"],
        label="CNN"), autolim=False)
    artists["dense_bars"] = prob_ax.add_collection(PolyCollection(
        _bar_verts(CLASSES, 0.4, result["dense"]["probs"]), facecolor=ROLE["test"], hatch="//",
        edgecolor="white", linewidth=0, label="MLP"), autolim=False)
    prob_ax.set_xlim(-0.8, 9.8)
    prob_ax.set_xticks(CLASSES)
    prob_ax.set_ylim(0, 1.3)  # the top is room for the legend
    prob_ax.set_yticks([0, 0.25, 0.5, 0.75, 1.0])
    prob_ax.set_xlabel("class")
    prob_ax.set_ylabel("probability")
    prob_ax.set_title(f"predictions (true class {SHOWN_LABEL})", fontsize=9)
    prob_ax.legend(loc="upper left", ncols=2, fontsize=7)
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the shifted digit, both feature maps and peaks, and the predictions."""
    artists["digit"].set_data(result["image"])
    artists["digit_title"].set_text(f"input shifted by {result['dx']:+d} px")
    for name in ("cnn", "dense"):
        part = result[name]
        artists[f"{name}_map"].set_data(part["feature"])
        # As imshow(..., vmin=0) scales a new image: up to the largest value of this map.
        artists[f"{name}_map"].set_clim(0, part["feature"].max())
        row, col = part["peak"]
        artists[f"{name}_peak"].set_data([col], [row])
    artists["cnn_bars"].set_verts(_bar_verts(CLASSES - 0.4, 0.4, result["cnn"]["probs"]))
    artists["dense_bars"].set_verts(_bar_verts(CLASSES, 0.4, result["dense"]["probs"]))


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
        subplots=(1, 4), figsize=(9.0, 2.7), update=update, fixed_limits=True)
