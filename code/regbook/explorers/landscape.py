"""Chapter 13's explorer: filter-normalised 2-D loss slices of digits networks, one per setting.

Each setting (a learning rate, with full-batch gradient descent or mini-batches) trains the same
64-32-10 ReLU network from the same initial weights until its training loss first reaches
:data:`THRESHOLD`. The loss around each trained network is then sliced along two
filter-normalised random directions (Li et al. 2018), so the slices are comparable across
networks whose weights have different scales. The training runs and the grids are computed once
per process and cached (:func:`trained_setting`, :func:`slice_grid`); the chapter's experiment
over seeds reuses the same cache, so ``compute`` only looks results up.
"""

import functools

import contourpy
import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D

from regbook.datasets import load_bundled
from regbook.explore import Explorer, Param
from regbook.landscape import (SharpnessRecorder, filter_normalized_direction, loss_slice_2d,
                               parameters_of,
                               top_hessian_eigenvalue, train_to_loss)
from regbook.plotting import COLORS, ROLE
from regbook.training import accuracy, mlp, one_torch_thread

THRESHOLD = 0.1
"""Every setting trains until its full training cross-entropy first reaches this value."""
N_TRAIN = 600
HIDDEN = 32
MAX_EPOCHS = 1500
SETTINGS = {
    "GD, η = 0.5": (0.5, None),
    "GD, η = 1": (1.0, None),
    "B = 16, η = 0.5": (0.5, 16),
}
"""Setting name -> (learning rate η, batch size B; None means full-batch gradient descent)."""
GRID = np.linspace(-1.0, 1.0, 21)
"""Coordinates along each filter-normalised direction (1 = one filter norm)."""
DIRECTION_SEEDS = (101, 202)
LEVELS = [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4]
STYLES = ["-", "--", ":"]
"""The line style of each setting's centre line, in the order of :data:`SETTINGS`."""


@functools.lru_cache(maxsize=1)
def digits_data(n_train=N_TRAIN, seed=0):
    """Digits scaled to [0, 1], a stratified split of ``n_train`` training images, as tensors:
    ``(X_train, y_train, X_test, y_test)``."""
    from sklearn.model_selection import train_test_split

    X, y = load_bundled("digits")
    X_train, X_test, y_train, y_test = train_test_split(
        X / 16.0, y, train_size=n_train, random_state=seed, stratify=y)
    as_x = functools.partial(torch.tensor, dtype=torch.float32)
    return as_x(X_train), torch.tensor(y_train), as_x(X_test), torch.tensor(y_test)


RECORD_EVERY = 20
"""Full-batch runs of seed 0 record their sharpness every this many steps (edge of stability)."""


@functools.lru_cache(maxsize=None)
def trained_setting(lr, batch_size, seed):
    """Train the 64-32-10 network of ``seed`` with (``lr``, ``batch_size``) to :data:`THRESHOLD`.

    Returns a dict with the ``initial`` parameters and the trained ``model``, the ``epochs`` and
    ``steps`` run, whether the threshold was ``reached``, the final ``train_loss`` and the
    per-epoch ``loss_curve``, ``test_accuracy``, and the top Hessian eigenvalue ``sharpness`` (30
    power iterations on the training set). Full-batch runs of seed 0 also return the sharpness
    ``trajectory``: (step, λ_max) every :data:`RECORD_EVERY` steps (10 warm-started power
    iterations each).
    """
    X_train, y_train, X_test, y_test = digits_data()
    with one_torch_thread():
        model = mlp(64, [HIDDEN], 10, seed=seed)
        initial = parameters_of(model)
        record = batch_size is None and seed == 0
        recorders = ([SharpnessRecorder(X_train, y_train, F.cross_entropy, every=RECORD_EVERY,
                                        iterations=10)] if record else [])
        history = train_to_loss(model, X_train, y_train, threshold=THRESHOLD, lr=lr,
                                batch_size=batch_size, max_epochs=MAX_EPOCHS, seed=seed,
                                callbacks=recorders)
        steps_per_epoch = 1 if batch_size is None else -(-len(y_train) // batch_size)
        return {
            "initial": initial, "model": model, "lr": lr, "batch_size": batch_size, "seed": seed,
            "epochs": history.epochs_run, "steps": history.epochs_run * steps_per_epoch,
            "reached": history.stopped_epoch is not None,
            "train_loss": float(history.train_loss[-1]),
            "loss_curve": np.asarray(history.train_loss),
            "test_accuracy": accuracy(model, X_test, y_test),
            "sharpness": top_hessian_eigenvalue(model, F.cross_entropy, X_train, y_train,
                                                iterations=30, seed=seed),
            "trajectory": recorders[0].trajectory if recorders else None,
        }


@functools.lru_cache(maxsize=None)
def slice_grid(setting, seed=0):
    """The training loss on :data:`GRID` × :data:`GRID` around the trained network of ``setting``,
    along two filter-normalised directions; shape ``(len(GRID), len(GRID))``."""
    lr, batch_size = SETTINGS[setting]
    model = trained_setting(lr, batch_size, seed)["model"]
    X_train, y_train, _, _ = digits_data()
    with one_torch_thread():
        directions = tuple(filter_normalized_direction(model, s) for s in DIRECTION_SEEDS)
        return loss_slice_2d(model, F.cross_entropy, X_train, y_train, directions, GRID, GRID)


LABEL_DIRECTION = np.deg2rad(40)
"""Each contour is labelled where it is nearest to the ray from the centre at this angle."""


@functools.lru_cache(maxsize=None)
def contour_paths(setting):
    """The contours of :func:`slice_grid` at :data:`LEVELS`, computed once per setting.

    Returns ``(lines, labels)``: a list of ``(level index, vertices)`` and, per level that
    crosses the inner part of the slice, ``(level index, x, y, angle in degrees)`` for its
    label, upright and along the line. Drawing these costs a fifth of ``contour`` and ``clabel``
    on every frame.
    """
    generator = contourpy.contour_generator(GRID, GRID, slice_grid(setting))
    lines, labels = [], []
    for index, level in enumerate(LEVELS):
        level_lines = [line for line in generator.lines(level) if len(line) > 1]
        lines.extend((index, line) for line in level_lines)
        # Inside the frame, and off the star at the centre.
        candidates = [(line, k) for line in level_lines for k in range(1, len(line) - 1)
                      if np.abs(line[k]).max() <= 0.8 and np.hypot(*line[k]) >= 0.15]
        if not candidates:
            continue
        line, k = min(candidates, key=lambda c: abs(np.angle(complex(*c[0][c[1]]) *
                                                            np.exp(-1j * LABEL_DIRECTION))))
        dx, dy = line[k + 1] - line[k - 1]
        angle = (np.degrees(np.arctan2(dy, dx)) + 90) % 180 - 90
        labels.append((index, float(line[k, 0]), float(line[k, 1]), float(angle)))
    return lines, labels


def compute(setting):
    """Explorer ``compute``: the cached slice of ``setting`` and every setting's centre profile."""
    if setting not in SETTINGS:
        raise ValueError(f"setting must be one of {list(SETTINGS)}, got {setting!r}")
    lr, batch_size = SETTINGS[setting]
    run = trained_setting(lr, batch_size, 0)
    middle = len(GRID) // 2
    return {
        "setting": setting, "grid": GRID, "losses": slice_grid(setting),
        "contours": contour_paths(setting),
        "profiles": {name: slice_grid(name)[middle] for name in SETTINGS},
        "sharpness": run["sharpness"], "test_accuracy": run["test_accuracy"],
        "train_loss": run["train_loss"], "steps": run["steps"],
    }


COLORS_OF_LEVELS = matplotlib.colormaps["viridis"](np.linspace(0, 0.85, len(LEVELS)))
"""The colour of each contour level."""


def draw(result, axes):
    """Explorer ``draw``: contours of the slice, and the slices' centre lines side by side.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    grid = result["grid"]
    contours = left.add_collection(LineCollection([], linewidths=1.5), autolim=False)
    # One text per level, left empty where a level has no label: update then changes texts only.
    labels = [left.text(0, 0, "", rotation_mode="anchor", ha="center", va="center", fontsize=7,
                        bbox=dict(facecolor="white", edgecolor="none", pad=0.5))
              for _ in LEVELS]
    left.plot([0], [0], marker="*", color=COLORS["vermillion"], markersize=10, zorder=4)
    left.set_xlim(grid[0], grid[-1])
    left.set_ylim(grid[0], grid[-1])
    left.set_aspect("equal")
    left.set_xlabel("filter-normalised direction 1")
    left.set_ylabel("direction 2")
    profiles = [right.plot(grid, profile, ls=style)[0]
                for profile, style in zip(result["profiles"].values(), STYLES)]
    right.set_yscale("log")
    right.set_ylim(0.05, 40)  # the top is room for the legend
    right.set_yticks([0.1, 1, 10], ["0.1", "1", "10"])
    right.minorticks_off()
    right.set_xlabel("step along direction 1")
    right.set_ylabel("training loss")
    right.set_title("centre line of every setting")
    # Proxy lines: the styles name the settings; the thick line is the setting on the left.
    handles = [Line2D([], [], ls=style, lw=1.0, color=ROLE["noise"], label=name)
               for name, style in zip(SETTINGS, STYLES)]
    handles.append(Line2D([], [], lw=2.6, color=ROLE["fit"], label="the slice on the left"))
    right.legend(handles=handles, loc="upper center", ncols=2, fontsize=7)
    artists = {"contours": contours, "labels": labels, "slice_title": left.title,
               "profiles": profiles}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the contours and their labels, the title, the highlighted centre line."""
    lines, labels = result["contours"]
    artists["contours"].set_segments([line for _, line in lines])
    artists["contours"].set_colors([COLORS_OF_LEVELS[index] for index, _ in lines])
    for k, text in enumerate(artists["labels"]):
        if k < len(labels):
            index, x, y, angle = labels[k]
            text.set_position((x, y))
            text.set_rotation(angle)
            text.set_color(COLORS_OF_LEVELS[index])
            text.set_text(f"{LEVELS[index]:g}")
        else:
            text.set_text("")
    artists["slice_title"].set_text(f"{result['setting']}: λ_max = {result['sharpness']:.2f}")
    for name, line in zip(result["profiles"], artists["profiles"]):
        current = name == result["setting"]
        line.set_linewidth(2.6 if current else 1.0)
        line.set_color(ROLE["fit"] if current else ROLE["noise"])


def alt(result, setting):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    losses = result["losses"]
    return (f"Setting {setting}: contours of the training loss on a 2-D filter-normalised slice "
            f"around the trained network (centre loss {losses[len(GRID) // 2, len(GRID) // 2]:.3f}"
            f", corner losses up to {losses.max():.2f}); top Hessian eigenvalue "
            f"{result['sharpness']:.2f}, test accuracy {result['test_accuracy']:.3f}.")


def make_explorer():
    """The chapter 13 explorer over the training settings."""
    names = list(SETTINGS)
    return Explorer(compute, draw, [Param("setting", names, label="training setting", fmt="{}",
                                          initial=names[0])],
                    alt=alt, title="Loss slices of networks trained to the same loss",
                    figsize=(8.0, 3.4), update=update, fixed_limits=True)
