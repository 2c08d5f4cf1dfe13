r"""Chapter 11's explorer: the number of members k and their error correlation ρ.

Each member is a degree-8 polynomial ridge fitted to its own noisy copy of 25 points on a 1-D
curve. The copies share part of their noise: member i sees the targets
:math:`f(x) + \sigma(\sqrt{\rho}\,z_0 + \sqrt{1 - \rho}\,z_i)` with standard normal vectors
:math:`z_0` (shared) and :math:`z_i` (its own), so the members' noise-driven errors have
correlation ρ. A fitted curve is linear in its targets, :math:`\hat f = L y`, which gives the
moments in closed form at every grid point x:

.. math::

    V(x) = b(x)^2 + \sigma^2\lVert \ell(x)\rVert^2, \qquad
    C(x) = b(x)^2 + \rho\,\sigma^2\lVert \ell(x)\rVert^2,

with the smoother's bias :math:`b = Lf - f` and :math:`\ell(x)` the row of :math:`L` at x. The
theory curve is :math:`\bar V/k + (k - 1)\bar C/k` with grid averages :math:`\bar V, \bar C`;
the simulated curve averages 200 independent ensembles.
"""

from functools import partial

import numpy as np

from regbook.datasets import true_curve
from regbook.ensembles import ensemble_squared_error
from regbook.explore import Explorer, Param
from regbook.plotting import COLORS, ROLE
from regbook.polynomial import PolynomialRidge
from regbook._validation import check_scalar

K_VALUES = [1, 3, 10, 50]
RHO_VALUES = [0.0, 0.5, 0.9]
N_TRAIN = 25
NOISE = 0.5
DEGREE = 8
ALPHA = 0.3
N_REPEATS = 200
SHOWN_MEMBERS = 8


def make_problem(seed=0, n_train=N_TRAIN, degree=DEGREE, alpha=ALPHA, n_grid=60,
                 k_max=max(K_VALUES), n_repeats=N_REPEATS):
    """The fixed inputs, the smoother matrix L of the member model and the seeded noise draws."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1, 1, size=n_train))
    grid = np.linspace(-1, 1, n_grid)
    # The fit is linear in its targets, so fitting the unit vectors gives the columns of L.
    smoother = np.column_stack([
        PolynomialRidge(degree=degree, alpha=alpha).fit(x[:, None], unit).predict(grid[:, None])
        for unit in np.eye(n_train)])
    return {"x": x, "grid": grid, "smoother": smoother,
            "shared": rng.standard_normal((n_repeats, 1, n_train)),
            "own": rng.standard_normal((n_repeats, k_max, n_train))}


def compute(k, rho, problem, noise=NOISE):
    """Explorer ``compute``: members, their average, and ensemble error against k (simulated
    and from the theory)."""
    if not isinstance(problem, dict):
        raise TypeError(f"problem must be the dict made by make_problem, got {problem!r}")
    k = check_scalar(k, "k", low=1, high=problem["own"].shape[1], integer=True)
    rho = check_scalar(rho, "rho", low=0.0, high=1.0)
    grid, smoother = problem["grid"], problem["smoother"]
    truth = true_curve(grid)
    noise_part = noise * (np.sqrt(rho) * problem["shared"] + np.sqrt(1 - rho) * problem["own"])
    k_all = np.arange(1, noise_part.shape[1] + 1)
    prefix_noise = np.cumsum(noise_part, axis=1) / k_all[None, :, None]
    # Grid-averaged squared error of each prefix ensemble, (b + L u)² averaged over the grid,
    # expanded so that the work is in the 25 training coordinates rather than on the grid.
    bias = smoother @ true_curve(problem["x"]) - truth
    gram = smoother.T @ smoother / grid.size
    cross = smoother.T @ bias / grid.size
    bias2 = float(np.mean(bias**2))
    simulated = np.mean(bias2 + 2 * prefix_noise @ cross
                        + np.sum((prefix_noise @ gram) * prefix_noise, axis=-1), axis=0)
    targets = true_curve(problem["x"]) + noise_part[0]
    members = targets[:k] @ smoother.T
    spread = float(noise**2 * np.mean(np.sum(smoother**2, axis=1)))
    V, C = bias2 + spread, bias2 + rho * spread
    theory = np.array([ensemble_squared_error(V, C, int(j)) for j in k_all])
    return {"k": k, "rho": rho, "grid": grid, "truth": truth, "x": problem["x"],
            "data": targets[0], "members": members, "average": members.mean(axis=0),
            "k_all": k_all, "simulated": simulated, "theory": theory, "V": V, "C": C,
            "bias2": bias2, "error": float(theory[k - 1]), "simulated_error": float(simulated[k - 1])}


def _y_limit(problem):
    """A y limit of the left panel that holds the curves and data of every frame of the grid."""
    frames = [compute(k, rho, problem) for k in K_VALUES for rho in RHO_VALUES]
    largest = max(np.abs(np.concatenate([frame["members"][:SHOWN_MEMBERS].ravel(), frame["data"],
                                         frame["average"], frame["truth"]])).max()
                  for frame in frames)
    return float(np.ceil(10.5 * largest) / 10)


def draw(result, axes, y_limit=2.6):
    """Explorer ``draw``: the members and their average on the left, error against k on the right.

    The limits are fixed: the left panel spans ±``y_limit`` and the right one 1.5 V, the top
    part of each being room for the legend, above every frame's data. The members are one line
    broken by NaNs, not one line each. Returns the artists that :func:`update` changes.
    """
    left, right = axes
    members, = left.plot(*_members_line(result), color=COLORS["sky"], lw=0.8, alpha=0.7,
                         label=f"members (≤ {SHOWN_MEMBERS} shown)")
    left.plot(result["grid"], result["truth"], color=ROLE["truth"], ls="--", lw=1.2,
              label="true curve")
    average, = left.plot(result["grid"], result["average"], color=ROLE["fit"], lw=2.2,
                         label="their average")
    data = left.scatter(result["x"], result["data"], s=14, color=ROLE["train"], zorder=3,
                        label="one member's data")
    left.set_xlim(-1.1, 1.1)
    left.set_ylim(-y_limit, 1.6 * y_limit)
    # Few tick labels: text layout dominates the time of drawing a frame.
    left.set_xticks([-1, 0, 1])
    left.set_yticks([-2, 0, 2])
    left.set_xlabel("x")
    left.set_ylabel("y")
    left.set_title(_members_title(result))
    left.legend(loc="upper center", ncols=2, fontsize=7)
    theory, = right.plot(result["k_all"], result["theory"], color=ROLE["fit"], lw=1.8,
                         label="V/k + (k − 1)C/k")
    simulated, = right.plot(result["k_all"], result["simulated"], "o", ms=3, color=ROLE["test"],
                            label=f"simulated ({N_REPEATS} ensembles)")
    floor = right.axhline(result["C"], color=ROLE["variance"], ls=":", lw=1.2, label="floor C")
    right.axhline(result["bias2"], color=ROLE["bias"], ls="--", lw=1.0, label="bias² (in C)")
    marker = right.axvline(result["k"], color="#555555", lw=1, ls=":")
    right.set_xscale("log")
    right.set_xlim(0.82, 61)
    right.set_xticks([1, 3, 10, 50], ["1", "3", "10", "50"])
    right.minorticks_off()
    top = result["V"] if result["V"] > 0 else 1.0  # V does not depend on k or ρ
    right.set_ylim(0, 1.5 * top)
    right.set_yticks(np.round(np.linspace(0, 1.05 * top, 4), 2)[:-1])
    right.set_xlabel("number of members k")
    right.set_ylabel("ensemble mean squared error")
    right.set_title(_error_title(result))
    right.legend(loc="upper center", ncols=2, fontsize=7)
    return {"members": members, "average": average, "data": data, "members_title": left.title,
            "theory": theory, "simulated": simulated, "floor": floor, "marker": marker,
            "error_title": right.title}


def update(result, axes, artists):
    """Explorer ``update``: the new members, data and curves, the markers and both titles."""
    artists["members"].set_data(*_members_line(result))
    artists["average"].set_ydata(result["average"])
    artists["data"].set_offsets(np.column_stack([result["x"], result["data"]]))
    artists["members_title"].set_text(_members_title(result))
    artists["theory"].set_ydata(result["theory"])
    artists["simulated"].set_ydata(result["simulated"])
    artists["floor"].set_ydata([result["C"]] * 2)
    artists["marker"].set_xdata([result["k"]] * 2)
    artists["error_title"].set_text(_error_title(result))


def _members_line(result):
    """The shown members as one line, broken by NaNs."""
    members = result["members"][:SHOWN_MEMBERS]
    gaps = np.full((len(members), 1), np.nan)
    return (np.hstack([np.tile(result["grid"], (len(members), 1)), gaps]).ravel(),
            np.hstack([members, gaps]).ravel())


def _members_title(result):
    return f"k = {result['k']} members, correlation ρ = {result['rho']:g}"


def _error_title(result):
    return f"error {result['error']:.3f} at k = {result['k']}"


def alt(result, k, rho):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    return (f"{k} members with error correlation {rho:g}: their average has mean squared error "
            f"{result['error']:.3f} by the formula ({result['simulated_error']:.3f} simulated), "
            f"against {result['V']:.3f} for one member and a floor of C = {result['C']:.3f}.")


def make_explorer(seed=0):
    """The chapter 11 explorer over the number of members k and their correlation ρ."""
    problem = make_problem(seed)
    return Explorer(
        partial(compute, problem=problem), partial(draw, y_limit=_y_limit(problem)),
        [Param("k", K_VALUES, label="members k", initial=3),
         Param("rho", RHO_VALUES, label="correlation ρ", initial=0.5)],
        alt=alt, title="Averaging k members with correlated errors", update=update,
        fixed_limits=True)
