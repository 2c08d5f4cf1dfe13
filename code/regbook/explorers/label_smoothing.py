r"""Chapter 08's explorer: the smoothing amount ε against the target and the reliability diagram.

An MLP is trained on 500 of scikit-learn's digits with the book's smoothed cross-entropy
(``regbook.smoothing.smoothed_cross_entropy``) for each ε of a small grid, once per process
(:func:`train_digits_mlp` caches its runs, so the chapter's experiment and the explorer share
them). ``compute`` only looks a run up and bins its test predictions, so it stays cheap.
"""

from functools import lru_cache, partial
from typing import NamedTuple

import numpy as np
import torch
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch
from sklearn.model_selection import train_test_split

from regbook.datasets import load_bundled
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook.smoothing import (expected_calibration_error, reliability_curve, smooth_labels,
                               smoothed_cross_entropy)
from regbook.training import mlp, one_torch_thread, predict_logits, predict_proba, train

EPSILONS = (0.0, 0.01, 0.03, 0.1, 0.3)
N_TRAIN, HIDDEN, EPOCHS, BATCH_SIZE, LR = 500, 64, 40, 100, 0.02
N_BINS = 10
NUM_CLASSES = 10
SHOWN_CLASS = 3


@lru_cache(maxsize=1)
def digits_split():
    """The digits scaled to [0, 1], split once (seed 0) into 500 training and 1297 test images."""
    X, y = load_bundled("digits")
    return tuple(train_test_split(X / 16.0, y, train_size=N_TRAIN, random_state=0, stratify=y))


class SmoothingRun(NamedTuple):
    """One trained network: its probabilities and the growth of its logits during training."""

    epsilon: float
    seed: int
    test_probs: np.ndarray
    train_probs: np.ndarray
    logit_norm: np.ndarray
    logit_gap: np.ndarray


def _logit_stats(model, X, y):
    """Mean Euclidean norm of the logit vectors, and mean gap z_y - mean_{k != y} z_k."""
    logits = predict_logits(model, X).double()
    true = logits.gather(1, torch.as_tensor(y)[:, None]).squeeze(1)
    others = (logits.sum(dim=1) - true) / (logits.shape[1] - 1)
    return float(logits.norm(dim=1).mean()), float((true - others).mean())


@lru_cache(maxsize=None)
def train_digits_mlp(epsilon, seed=0):
    """Train a one-hidden-layer MLP on 500 digits with smoothed targets; cached per (ε, seed).

    The loss is :func:`regbook.smoothing.smoothed_cross_entropy` with the book's ε (true class
    1 − ε, every other class ε/(K − 1)); Adam with learning rate 0.02, 40 epochs, mini-batches
    of 100. After every epoch the mean logit norm and mean logit gap on the training images are
    recorded.
    """
    X_train, X_test, y_train, y_test = digits_split()
    model = mlp(X_train.shape[1], [HIDDEN], NUM_CLASSES, seed=seed)
    norms, gaps = [], []

    def record(epoch, history, model):
        norm, gap = _logit_stats(model, X_train, y_train)
        norms.append(norm)
        gaps.append(gap)
        return False

    with one_torch_thread():
        train(model, X_train, y_train, loss=partial(smoothed_cross_entropy, epsilon=epsilon),
              optimizer=partial(torch.optim.Adam, lr=LR), epochs=EPOCHS, batch_size=BATCH_SIZE,
              seed=seed, callbacks=[record], progress=False)
        return SmoothingRun(float(epsilon), int(seed), predict_proba(model, X_test),
                            predict_proba(model, X_train), np.array(norms), np.array(gaps))


def compute(epsilon, seed=0, n_bins=N_BINS):
    """Explorer ``compute``: the smoothed target of one image and the test reliability curve of
    the network trained at ``epsilon``."""
    run = train_digits_mlp(epsilon, seed)
    y_test = digits_split()[3]
    curve = reliability_curve(run.test_probs, y_test, n_bins=n_bins)
    return {
        "epsilon": epsilon,
        "target": smooth_labels([SHOWN_CLASS], NUM_CLASSES, epsilon)[0],
        "curve": curve, "n_bins": n_bins,
        "ece": expected_calibration_error(run.test_probs, y_test, n_bins=n_bins),
        "accuracy": float(np.mean(run.test_probs.argmax(axis=1) == y_test)),
        "confidence": float(run.test_probs.max(axis=1).mean()),
    }


def _bar_verts(left, width, heights):
    """Vertical bars from 0 as polygons, for one PolyCollection: ``ax.bar`` adds a patch per bar,
    and adding patches was most of this frame's time."""
    return [[(x, 0.0), (x, h), (x + width, h), (x + width, 0.0)] for x, h in zip(left, heights)]


def draw(result, axes):
    """Explorer ``draw``: the target distribution as bars, and the reliability diagram.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    classes = np.arange(NUM_CLASSES)
    colors = [ROLE["fit"] if k == SHOWN_CLASS else COLORS["sky"] for k in classes]
    target = left.add_collection(PolyCollection(
        _bar_verts(classes - 0.4, 0.8, result["target"]), facecolors=colors, edgecolor="#333333",
        linewidth=0.6), autolim=False)
    left.axhline(1.0, color="#555555", lw=0.8, ls=":")
    left.set_xlim(-0.8, NUM_CLASSES - 0.2)
    left.set_ylim(0, 1.08)
    left.set_xticks(classes)
    left.set_xlabel("class k")
    left.set_ylabel("target probability")
    left.legend(handles=[Patch(facecolor=ROLE["fit"], edgecolor="#333333", label=f"true class {SHOWN_CLASS}"),
                         Patch(facecolor=COLORS["sky"], edgecolor="#333333", label="other classes")],
                loc="center right", fontsize=7)
    bins = right.add_collection(PolyCollection(
        _reliability_bars(result), facecolor=ROLE["train"], alpha=0.45, edgecolor="#333333",
        linewidth=0.6, label="accuracy in the bin"), autolim=False)
    right.plot([0, 1], [0, 1], color=ROLE["truth"], ls="--", lw=1, label="perfect calibration")
    points, = right.plot(*_reliability_points(result), "o", color=ROLE["test"], ms=4,
                         label="at the bin's mean confidence")
    right.set_xlim(0, 1)
    right.set_ylim(0, 1.3)  # the top is room for the legend
    right.set_yticks([0, 0.2, 0.4, 0.6, 0.8, 1.0])
    right.set_xlabel("confidence (max probability)")
    right.set_ylabel("accuracy")
    right.legend(handles=[points, bins, right.lines[0]], loc="upper left", ncols=2, fontsize=7)
    artists = {"target": target, "target_title": left.title, "bins": bins, "points": points,
               "reliability_title": right.title}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the new target, the reliability bars and points, and both titles."""
    target = result["target"]
    artists["target"].set_verts(_bar_verts(np.arange(NUM_CLASSES) - 0.4, 0.8, target))
    artists["target_title"].set_text(f"target for a '{SHOWN_CLASS}': {target[SHOWN_CLASS]:.2f} "
                                     f"and {target[0]:.4f} × 9")
    artists["bins"].set_verts(_reliability_bars(result))
    artists["points"].set_data(*_reliability_points(result))
    artists["reliability_title"].set_text(f"test: accuracy {result['accuracy']:.1%}, "
                                          f"ECE {result['ece']:.3f}")


def _reliability_bars(result):
    width = 1 / result["n_bins"]
    filled = result["curve"].counts > 0
    return _bar_verts(np.flatnonzero(filled) * width, width, result["curve"].accuracy[filled])


def _reliability_points(result):
    curve = result["curve"]
    filled = curve.counts > 0
    return curve.confidence[filled], curve.accuracy[filled]


def alt(result, epsilon, **_):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    side = ("over-confident" if result["confidence"] > result["accuracy"]
            else "under-confident")
    return (f"Smoothing ε = {epsilon:g}: the target gives the true class "
            f"{result['target'][SHOWN_CLASS]:.2f} and each other class "
            f"{result['target'][0]:.4f}. The network trained with it has test accuracy "
            f"{result['accuracy']:.1%}, mean confidence {result['confidence']:.1%} "
            f"({side}) and ECE {result['ece']:.3f}.")


def make_explorer(seed=0):
    """The chapter 08 explorer over the smoothing amount ε (trains 5 small networks once)."""
    for epsilon in EPSILONS:
        train_digits_mlp(epsilon, seed)
    return Explorer(
        partial(compute, seed=seed), draw,
        [Param("epsilon", list(EPSILONS), label="smoothing ε", initial=0.1)],
        alt=alt, title="Label smoothing: targets and calibration", update=update,
        fixed_limits=True)
