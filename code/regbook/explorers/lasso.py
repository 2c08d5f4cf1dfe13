"""Chapter 03's explorer: a loss bowl meets the L1 diamond and the L2 circle of the same radius."""

import numpy as np

from regbook.explore import Explorer, Param
from regbook.geometry import constrained_minimum, norm_ball
from regbook.plotting import COLORS, ROLE
from regbook._validation import check_scalar

RADII = [0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25]
ANGLES = [15, 35]
W_STAR_NORM = 2.4
A = np.array([[1.0, 0.5], [0.5, 1.0]])
EXTENT = 2.6
NAMES = {"l1": "L1 diamond (lasso)", "l2": "L2 circle (ridge)"}


def unpenalised_minimum(angle):
    """The least-squares solution w* at ``angle`` degrees from the w1 axis, of norm 2.4."""
    theta = np.deg2rad(angle)
    return W_STAR_NORM * np.array([np.cos(theta), np.sin(theta)])


def level_set(w_star, level, n=90):
    """Points on the ellipse (w - w*)^T A (w - w*) = level, for drawing without a contour grid."""
    evals, Q = np.linalg.eigh(A)
    theta = np.linspace(0.0, 2.0 * np.pi, n)
    unit = np.column_stack([np.cos(theta), np.sin(theta)])
    return w_star + np.sqrt(level) * (unit / np.sqrt(evals)) @ Q.T


def compute(radius, angle):
    """Explorer ``compute``: the exact L1 and L2 constrained minima and the touching ellipses."""
    radius = check_scalar(radius, "radius", low=0.0, low_inclusive=False)
    angle = check_scalar(angle, "angle")
    w_star = unpenalised_minimum(angle)
    result = {"radius": radius, "angle": angle, "w_star": w_star}
    for norm in ("l1", "l2"):
        w = constrained_minimum(A, w_star, radius, norm)
        d = w - w_star
        level = float(d @ A @ d)
        result[norm] = w
        result[norm + "_loss"] = level
        result[norm + "_ellipses"] = [level_set(w_star, level * f) for f in (0.3, 1.0, 2.0)
                                      if level > 0.0]
    return result


def draw(result, axes):
    """Explorer ``draw``: one panel per norm, with the loss ellipse that touches the ball.

    Returns the artists that :func:`update` changes.
    """
    artists = {}
    for ax, norm in zip(axes, ("l1", "l2")):
        # Three ellipses always: with w* inside the ball (loss 0), they have no points.
        ellipses = [ax.plot([], [], color=COLORS["grey"], lw=1.6 if k == 1 else 0.8)[0]
                    for k in range(3)]
        ball = norm_ball(result["radius"], norm, n=120)
        fill, = ax.fill(*ball.T, color=COLORS["sky"], alpha=0.35, lw=0)
        outline, = ax.plot(*ball.T, color=ROLE["train"], lw=1.4)
        w_star, = ax.plot(*result["w_star"], "x", color=ROLE["truth"], ms=8, mew=2)
        label = ax.annotate("w*", result["w_star"], xytext=(6, -12), textcoords="offset points")
        w_hat, = ax.plot(*result[norm], "o", color=ROLE["test"], ms=8, zorder=4)
        ax.axhline(0, color="#555555", lw=0.6)
        ax.axvline(0, color="#555555", lw=0.6)
        ax.set_xlim(-EXTENT, EXTENT)
        ax.set_ylim(-EXTENT, EXTENT)
        ax.set_aspect("equal")
        ax.set_xlabel("w₁")
        ax.set_ylabel("w₂")
        artists[norm] = {"ellipses": ellipses, "fill": fill, "outline": outline,
                         "w_star": w_star, "label": label, "w_hat": w_hat, "title": ax.title}
        ax.set_title("", fontsize=10)
    update(result, axes, artists)
    return artists


def update(result, axes, artists):
    """Explorer ``update``: the ball, the touching ellipses, w*, ŵ and the titles."""
    for norm in ("l1", "l2"):
        parts, w = artists[norm], result[norm]
        ellipses = result[norm + "_ellipses"]
        for k, line in enumerate(parts["ellipses"]):
            line.set_data(*(ellipses[k].T if k < len(ellipses) else ([], [])))
        ball = norm_ball(result["radius"], norm, n=120)
        parts["fill"].set_xy(ball)
        parts["outline"].set_data(*ball.T)
        parts["w_star"].set_data(*([v] for v in result["w_star"]))
        parts["label"].xy = tuple(result["w_star"])
        parts["w_hat"].set_data(*([v] for v in w))
        parts["title"].set_text(f"{NAMES[norm]}: ŵ = ({w[0]:.2f}, {w[1]:.2f})")


def alt(result, radius, angle):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    w1, w2 = result["l1"], result["l2"]
    if (w1 == 0.0).sum() == 1:
        where = "at a corner of the diamond, so one weight is exactly zero"
    elif np.array_equal(result["l1"], result["w_star"]):
        where = "at the unpenalised minimum w*, which is inside the diamond"
    else:
        where = "on an edge, with both weights non-zero"
    return (f"Radius {radius:g}, w* at {angle:g} degrees: the lasso solution "
            f"({w1[0]:.2f}, {w1[1]:.2f}) lies {where}; the ridge solution is "
            f"({w2[0]:.2f}, {w2[1]:.2f}).")


def make_explorer():
    """The chapter 03 explorer over the constraint radius and the direction of w*."""
    return Explorer(
        compute, draw,
        [Param("radius", RADII, label="constraint radius r", initial=1.0),
         Param("angle", ANGLES, label="angle of w* (degrees)", fmt="{:d}", initial=15)],
        alt=alt, title="The L1 diamond and the L2 circle", figsize=(8.0, 3.6), update=update)
