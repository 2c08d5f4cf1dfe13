r"""Chapter 14's explorer: mini-batch SGD on a 2-D loss with one sharp and one flat minimum.

The loss is a finite sum over :math:`n = 32` "examples". Example :math:`i` sees the same landscape
shifted by a fixed offset :math:`\delta_i`,

.. math::

    \ell_i(w) = \min_{j \in \{\text{sharp}, \text{flat}\}}
        \tfrac12\lambda_j\lVert w - \delta_i - \mu_j\rVert^2 ,

two quadratic bowls of equal depth, curvature :math:`\lambda_{\text{sharp}} = 50` and
:math:`\lambda_{\text{flat}} = 1`. The gradient noise is :math:`\lambda_j` times the spread of the
offsets, so it is large in the sharp bowl and small in the flat one, and gradient descent is
unstable in the sharp bowl once :math:`\eta\lambda_{\text{sharp}} > 2`. The mini-batch gradient
is a genuine SGD gradient: unbiased, with a covariance that shrinks
like :math:`(1/B)(1 - B/n)` (``regbook.sgd``). Every chain starts in the sharp well; the sliders set
the batch size (the noise) and the learning rate.
"""

from functools import partial

import numpy as np

from regbook._validation import check_finite_array
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook.sgd import minibatch_sgd

N_EXAMPLES = 32
OFFSET_SD = 0.06
WELLS = {"sharp": {"centre": (-1.0, 0.0), "curvature": 50.0},
         "flat": {"centre": (1.0, 0.0), "curvature": 1.0}}
BATCH_SIZES = [1, 4, N_EXAMPLES]
LEARNING_RATES = [0.01, 0.03, 0.06]
START = (-0.97, 0.03)
N_CHAINS = 8
STEPS = 240
LOSS_EVERY = 3
EXTENT = (-2.0, 2.5, -1.5, 1.5)
LEVELS = [0.05, 0.2, 0.4, 0.7, 1.0, 1.5, 2.0]


def example_offsets(seed=0):
    """The fixed offsets :math:`\\delta_i`, shape (N_EXAMPLES, 2), centred so that their mean is 0."""
    offsets = np.random.default_rng(seed).normal(scale=OFFSET_SD, size=(N_EXAMPLES, 2))
    return offsets - offsets.mean(axis=0)


_SHARP, _FLAT = (np.array(WELLS[k]["centre"]) for k in ("sharp", "flat"))
_LAMBDA_SHARP, _LAMBDA_FLAT = (WELLS[k]["curvature"] for k in ("sharp", "flat"))


def _pieces(z):
    """The two quadratic pieces at ``z`` (..., 2): their values and the displacements."""
    d_sharp, d_flat = z - _SHARP, z - _FLAT
    v_sharp = 0.5 * _LAMBDA_SHARP * (d_sharp[..., 0] ** 2 + d_sharp[..., 1] ** 2)
    v_flat = 0.5 * _LAMBDA_FLAT * (d_flat[..., 0] ** 2 + d_flat[..., 1] ** 2)
    return v_sharp, v_flat, d_sharp, d_flat


def full_loss(points, offsets):
    """The mean loss :math:`L = \\frac1n\\sum_i \\ell_i` at ``points`` of shape (..., 2)."""
    v_sharp, v_flat, _, _ = _pieces(points[..., None, :] - offsets)
    return np.minimum(v_sharp, v_flat).mean(axis=-1)


def batch_gradient(W, batches, offsets):
    """Mini-batch mean gradient for each chain: ``W`` (chains, 2), ``batches`` (chains, B)."""
    v_sharp, v_flat, d_sharp, d_flat = _pieces(W[:, None, :] - offsets[batches])
    grad = np.where((v_sharp <= v_flat)[..., None], _LAMBDA_SHARP * d_sharp, _LAMBDA_FLAT * d_flat)
    return grad.sum(axis=1) / batches.shape[1]


def _basin(points):
    """'sharp' or 'flat' for each point: the piece that is lower there."""
    v_sharp, v_flat, _, _ = _pieces(points)
    return np.where(v_sharp <= v_flat, "sharp", "flat")


def compute(batch_size, lr, offsets, steps=STEPS, n_chains=N_CHAINS, seed=0):
    """Explorer ``compute``: ``n_chains`` SGD trajectories from the sharp well and where they end."""
    offsets = check_finite_array(offsets, "offsets", ndim=2)
    if offsets.shape != (N_EXAMPLES, 2):
        raise ValueError(f"offsets must have shape ({N_EXAMPLES}, 2), got {offsets.shape}")
    path = minibatch_sgd(partial(batch_gradient, offsets=offsets), N_EXAMPLES, np.array(START),
                         lr=lr, batch_size=batch_size, steps=steps, n_chains=n_chains, seed=seed)
    ends = path[-1]
    basins = _basin(ends)
    return {"batch_size": batch_size, "lr": lr, "path": path,
            "loss": full_loss(path[::LOSS_EVERY], offsets), "ends_sharp": int(np.sum(basins == "sharp")),
            "n_flat": int(np.sum(basins == "flat")), "n_chains": n_chains,
            "steps": steps, "offsets": offsets}


_BACKGROUND_CACHE = {}


def _background(offsets):
    """The loss on a pixel-fine grid over :data:`EXTENT`, as the grey level of its band between
    :data:`LEVELS`: what ``contourf`` drew, computed once, so a frame shows it as one image."""
    key = offsets.tobytes()
    if key not in _BACKGROUND_CACHE:
        xs = np.linspace(EXTENT[0], EXTENT[1], 360)
        ys = np.linspace(EXTENT[2], EXTENT[3], 240)
        gx, gy = np.meshgrid(xs, ys)
        loss = full_loss(np.stack([gx, gy], axis=-1), offsets)
        edges = np.array([0.0] + LEVELS + [np.inf])
        band = np.searchsorted(edges, loss, side="right") - 1
        middles = np.append((edges[:-2] + edges[1:-1]) / 2, (LEVELS[-1] + 2.5) / 2)
        _BACKGROUND_CACHE[key] = middles[band]
    return _BACKGROUND_CACHE[key]


def _joined(curves):
    """Curves of shape (points, curves) as one (points + 1) * curves array with NaN breaks, so
    that one line artist draws them all."""
    return np.vstack([curves, np.full((1, curves.shape[1]), np.nan)]).T.ravel()


def draw(result, axes):
    """Explorer ``draw``: the trajectories on the loss bands, and the loss along each of them.

    Returns the artists that :func:`update` changes.
    """
    left, right = axes
    left.imshow(_background(result["offsets"]), cmap="Greys", vmin=0, vmax=6, origin="lower",
                extent=EXTENT, aspect="auto")
    # Below the trajectories, so that the names are kept as pixels with the loss bands.
    for name, well in WELLS.items():
        left.text(well["centre"][0], 0.28, name, ha="center", fontsize=8, zorder=1)
    paths, = left.plot(*_path_lines(result), color=COLORS["sky"], lw=0.8, alpha=0.8,
                       label="SGD trajectories")
    ends = left.scatter(*result["path"][-1].T, s=28, color=ROLE["test"], zorder=4,
                        label="end points")
    start = left.scatter([START[0]], [START[1]], marker="x", s=40, color="black", zorder=5,
                         label="start")
    left.set_xticks([-2, -1, 0, 1, 2])
    left.set_yticks([-1, 0, 1])
    left.set_xlim(EXTENT[0], EXTENT[1])
    left.set_ylim(EXTENT[2], EXTENT[3])
    left.set_xlabel("w₁")
    left.set_ylabel("w₂")
    left.legend(handles=[paths, ends, start], loc="lower left", fontsize=7)
    losses, = right.plot(*_loss_lines(result), color=COLORS["sky"], lw=0.8)
    right.set_xlim(-12, result["steps"] + 12)
    right.set_ylim(0, 2.05)  # the highest loss of the grid is 1.97
    right.set_yticks([0, 0.5, 1.0, 1.5, 2.0])
    right.set_xticks([0, 80, 160, 240])
    right.set_xlabel("step")
    right.set_ylabel("full-batch loss L(w)")
    right.set_title("loss along each trajectory", fontsize=9)
    artists = {"paths": paths, "ends": ends, "paths_title": left.set_title("", fontsize=9),
               "losses": losses}
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the new trajectories, their end points, title and losses."""
    artists["paths"].set_data(*_path_lines(result))
    artists["ends"].set_offsets(result["path"][-1])
    artists["paths_title"].set_text(f"B = {result['batch_size']}, η = {result['lr']:g}: "
                                    f"{result['n_flat']}/{result['n_chains']} end in the flat well")
    artists["losses"].set_data(*_loss_lines(result))


def _path_lines(result):
    path = result["path"]
    return _joined(path[:, :, 0]), _joined(path[:, :, 1])


def _loss_lines(result):
    steps = np.arange(0, result["steps"] + 1, LOSS_EVERY)
    return _joined(np.repeat(steps[:, None], result["n_chains"], axis=1)), _joined(result["loss"])


def alt(result, batch_size, lr):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"Batch size {batch_size} of {N_EXAMPLES}, learning rate {lr:g}: "
            f"{result['n_flat']} of {result['n_chains']} SGD trajectories started in the sharp "
            f"well end in the flat well after {result['steps']} steps.")


def make_explorer(seed=0):
    """The chapter 14 explorer over the batch size and the learning rate."""
    offsets = example_offsets(seed)
    return Explorer(
        partial(compute, offsets=offsets, seed=seed), draw,
        [Param("batch_size", BATCH_SIZES, label="batch size B", initial=N_EXAMPLES),
         Param("lr", LEARNING_RATES, label="learning rate η", initial=0.03)],
        alt=alt, title="SGD between a sharp and a flat minimum", update=update,
        fixed_limits=True)
