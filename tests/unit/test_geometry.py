"""Tests for regbook.geometry: exact constrained minima against a generic solver, and errors."""

import numpy as np
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from scipy import optimize

from regbook.geometry import constrained_minimum, norm_ball, quadratic_loss, quadratic_loss_grid


def random_problem(seed):
    rng = np.random.default_rng(seed)
    M = rng.normal(size=(2, 2))
    A = M @ M.T + 0.1 * np.eye(2)
    w_star = rng.normal(scale=2.0, size=2)
    radius = float(rng.uniform(0.1, 2.0))
    return A, w_star, radius


def brute_force(A, w_star, radius, norm):
    """Generic SLSQP solve; for l1 the constraint is split into 4 smooth half-planes."""
    def f(w):
        d = w - w_star
        return d @ A @ d

    if norm == "l2":
        cons = [{"type": "ineq", "fun": lambda w: radius ** 2 - w @ w}]
    else:
        cons = [{"type": "ineq", "fun": lambda w, s=s: radius - np.dot(s, w)}
                for s in ([1, 1], [1, -1], [-1, 1], [-1, -1])]
    best = None
    for start in ([0.0, 0.0], 0.5 * radius * np.sign(w_star)):
        res = optimize.minimize(f, np.asarray(start, float), constraints=cons, method="SLSQP",
                                options={"ftol": 1e-15, "maxiter": 1000})
        if best is None or res.fun < best.fun:
            best = res
    return best.x, best.fun


@pytest.mark.parametrize("norm", ["l1", "l2"])
@pytest.mark.parametrize("seed", range(12))
def test_matches_generic_solver(seed, norm):
    A, w_star, radius = random_problem(seed)
    w = constrained_minimum(A, w_star, radius, norm)
    w_ref, f_ref = brute_force(A, w_star, radius, norm)
    order = 1 if norm == "l1" else 2
    assert np.linalg.norm(w, ord=order) <= radius * (1 + 1e-12)
    # Ours is never worse than the generic solver (which may overstep the constraint by ~1e-9,
    # hence the relative slack), and both agree on the point.
    assert quadratic_loss(A, w_star, w) <= f_ref * (1 + 1e-8) + 1e-9
    assert_allclose(w, w_ref, atol=1e-5)


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_not_beaten_by_dense_boundary_search(norm):
    A, w_star, radius = np.array([[3.0, 1.2], [1.2, 1.0]]), np.array([2.0, 1.5]), 1.0
    w = constrained_minimum(A, w_star, radius, norm)
    boundary = norm_ball(radius, norm, n=20001) if norm == "l2" else np.concatenate(
        [np.linspace(a, b, 5001) for a, b in zip(norm_ball(radius, "l1")[:-1],
                                                  norm_ball(radius, "l1")[1:])])
    assert quadratic_loss(A, w_star, w) <= quadratic_loss(A, w_star, boundary).min() + 1e-12


def test_l1_corner_is_exactly_sparse():
    # Elongated bowl tilted so that the first contact with the diamond is the corner (r, 0).
    A = np.array([[1.0, 0.0], [0.0, 4.0]])
    w = constrained_minimum(A, [3.0, 0.5], 1.0, "l1")
    assert_array_equal(w, [1.0, 0.0])
    assert w[1] == 0.0
    w = constrained_minimum(A, [-0.2, -3.0], 0.5, "l1")
    assert_array_equal(w, [0.0, -0.5])


def test_l1_corner_is_optimal_by_kkt():
    # At a corner (r, 0) the KKT conditions say: gradient of L = -mu * subgradient of |w|_1,
    # i.e. g_1 = -mu and |g_2| <= mu for some mu >= 0.
    A = np.array([[2.0, 0.5], [0.5, 1.0]])
    w_star = np.array([2.5, 0.4])
    w = constrained_minimum(A, w_star, 1.0, "l1")
    assert w[1] == 0.0
    g = 2 * A @ (w - w_star)
    mu = -g[0]
    assert mu > 0 and abs(g[1]) <= mu


def test_l2_lies_on_circle_when_outside():
    for seed in range(20):
        A, w_star, _ = random_problem(seed)
        radius = 0.5 * float(np.linalg.norm(w_star))
        w = constrained_minimum(A, w_star, radius, "l2")
        assert abs(np.linalg.norm(w) - radius) <= 1e-10 * max(radius, 1.0)


def test_l2_is_ridge_solution():
    # The l2 minimiser is (A + lam I)^{-1} A w* for the multiplier lam found, i.e. it is
    # collinear with the ridge path: check A (w - w*) is parallel to w with a negative factor.
    A, w_star, radius = np.array([[2.0, 0.7], [0.7, 1.0]]), np.array([1.5, -2.0]), 0.8
    w = constrained_minimum(A, w_star, radius, "l2")
    g = A @ (w - w_star)
    cross = g[0] * w[1] - g[1] * w[0]
    assert abs(cross) < 1e-12 and g @ w < 0


@pytest.mark.parametrize("norm", ["l1", "l2"])
def test_inside_and_zero_radius(norm):
    A = np.eye(2)
    assert_array_equal(constrained_minimum(A, [0.2, -0.3], 1.0, norm), [0.2, -0.3])
    assert_array_equal(constrained_minimum(A, [2.0, -3.0], 0.0, norm), [0.0, 0.0])


def test_grid_shapes_and_values():
    A, w_star = np.array([[2.0, 0.3], [0.3, 1.0]]), np.array([0.5, -1.0])
    W1, W2, L = quadratic_loss_grid(A, w_star, 2.0, 7)
    assert W1.shape == W2.shape == L.shape == (7, 7)
    assert W1[0, 0] == -2.0 and W1[0, -1] == 2.0 and W2[-1, 0] == 2.0
    pts = np.stack([W1, W2], axis=-1)
    assert_allclose(L, quadratic_loss(A, w_star, pts), rtol=1e-13)
    assert L.min() >= 0


def test_norm_ball():
    xy = norm_ball(2.0, "l2", n=50)
    assert_allclose(np.linalg.norm(xy, axis=1), 2.0)
    assert_array_equal(xy[0], xy[-1])
    assert_allclose(np.abs(norm_ball(1.5, "l1")).sum(axis=1), 1.5)


@pytest.mark.parametrize("A, match", [
    ([[1.0, 0.5], [0.0, 1.0]], "symmetric"),
    ([[1.0, 2.0], [2.0, 1.0]], "positive definite"),
    ([[0.0, 0.0], [0.0, 0.0]], "positive definite"),
    (np.eye(3), "shape"),
    ([[np.nan, 0.0], [0.0, 1.0]], "finite"),
])
def test_bad_A(A, match):
    with pytest.raises(ValueError, match=match):
        constrained_minimum(A, [1.0, 1.0], 1.0, "l1")
    with pytest.raises(ValueError, match=match):
        quadratic_loss_grid(A, [1.0, 1.0], 1.0, 5)


def test_bad_arguments():
    A = np.eye(2)
    with pytest.raises(ValueError, match="radius"):
        constrained_minimum(A, [1.0, 1.0], -1.0, "l1")
    with pytest.raises(ValueError, match="norm"):
        constrained_minimum(A, [1.0, 1.0], 1.0, "l3")
    with pytest.raises(ValueError, match="norm"):
        constrained_minimum(A, [1.0, 1.0], 1.0, 1)
    with pytest.raises(ValueError, match="w_star"):
        constrained_minimum(A, [1.0, 1.0, 1.0], 1.0, "l2")
    with pytest.raises(ValueError, match="extent"):
        quadratic_loss_grid(A, [0.0, 0.0], 0.0, 5)
    with pytest.raises(ValueError, match="n must"):
        quadratic_loss_grid(A, [0.0, 0.0], 1.0, 1)
    with pytest.raises(TypeError, match="n must"):
        quadratic_loss_grid(A, [0.0, 0.0], 1.0, 5.5)
