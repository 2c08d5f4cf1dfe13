r"""Two-dimensional geometry of penalised least squares: loss contours and norm balls.

Near its minimum a least-squares loss in two weights is a quadratic bowl

.. math::

    L(w) = (w - w^*)^\top A\, (w - w^*), \qquad A = A^\top \succ 0,

whose level sets are ellipses centred on the unpenalised solution :math:`w^*`. A penalty
:math:`\alpha\|w\|` is equivalent (for a matching radius) to the constraint
:math:`\|w\| \le r`, so the penalised solution is the point where the smallest ellipse touches
the ball: a circle for L2 (ridge, chapter 02) and a diamond for L1 (lasso, chapter 03). The
functions here compute both exactly, so that the pictures in those chapters are not
approximations.
"""

import numpy as np
from scipy import optimize

from regbook._validation import check_finite_array, check_scalar

__all__ = ["constrained_minimum", "norm_ball", "quadratic_loss", "quadratic_loss_grid"]

_NORMS = ("l1", "l2")


def _check_quadratic(A, w_star):
    A = check_finite_array(A, "A", ndim=2)
    if A.shape != (2, 2):
        raise ValueError(f"A must have shape (2, 2), got {A.shape}")
    if not np.allclose(A, A.T, rtol=1e-10, atol=1e-12):
        raise ValueError(f"A must be symmetric, got A[0, 1] = {A[0, 1]!r} and "
                         f"A[1, 0] = {A[1, 0]!r}")
    A = 0.5 * (A + A.T)
    smallest = float(np.linalg.eigvalsh(A)[0])
    if not smallest > 0.0:
        raise ValueError(f"A must be positive definite (all eigenvalues > 0), got smallest "
                         f"eigenvalue {smallest!r}")
    w_star = check_finite_array(w_star, "w_star", ndim=1)
    if w_star.shape != (2,):
        raise ValueError(f"w_star must have shape (2,), got {w_star.shape}")
    return A, w_star


def _check_norm(norm):
    if not isinstance(norm, str) or norm not in _NORMS:
        raise ValueError(f"norm must be one of {_NORMS}, got {norm!r}")
    return norm


def quadratic_loss(A, w_star, w):
    r"""Evaluate :math:`L(w) = (w - w^*)^\top A (w - w^*)` at one point or many.

    Parameters
    ----------
    A : array-like of shape (2, 2)
        Symmetric positive definite curvature matrix.
    w_star : array-like of shape (2,)
        Unconstrained minimiser.
    w : array-like of shape (..., 2)
        Point(s) where the loss is evaluated (last axis holds the two weights).

    Returns
    -------
    float or ndarray of shape (...)

    See Also
    --------
    Chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> quadratic_loss([[2.0, 0.0], [0.0, 1.0]], [1.0, 1.0], [0.0, 0.0])
    3.0
    """
    A, w_star = _check_quadratic(A, w_star)
    w = check_finite_array(w, "w")
    if w.shape[-1:] != (2,):
        raise ValueError(f"w must have shape (..., 2), got {w.shape}")
    d = w - w_star
    out = np.einsum("...i,ij,...j->...", d, A, d)
    return float(out) if out.ndim == 0 else out


def quadratic_loss_grid(A, w_star, extent, n):
    r"""The quadratic loss :math:`L(w) = (w - w^*)^\top A (w - w^*)` on a square grid.

    Parameters
    ----------
    A : array-like of shape (2, 2)
        Symmetric positive definite curvature matrix.
    w_star : array-like of shape (2,)
        Unconstrained minimiser (centre of the elliptic contours).
    extent : float
        Positive half-width: the grid covers :math:`[-\text{extent}, \text{extent}]^2`.
    n : int
        Number of grid points per axis (at least 2).

    Returns
    -------
    W1, W2, L : ndarray of shape (n, n)
        ``np.meshgrid`` coordinates (``W1`` varies along columns) and the loss there, ready for
        ``plt.contour(W1, W2, L)``.

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay"; chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> W1, W2, L = quadratic_loss_grid([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], 1.0, 3)
    >>> L
    array([[2., 1., 2.],
           [1., 0., 1.],
           [2., 1., 2.]])
    """
    A, w_star = _check_quadratic(A, w_star)
    extent = check_scalar(extent, "extent", low=0.0, low_inclusive=False)
    n = check_scalar(n, "n", low=2, integer=True)
    axis = np.linspace(-extent, extent, n)
    W1, W2 = np.meshgrid(axis, axis)
    D1, D2 = W1 - w_star[0], W2 - w_star[1]
    L = A[0, 0] * D1 ** 2 + 2.0 * A[0, 1] * D1 * D2 + A[1, 1] * D2 ** 2
    return W1, W2, L


def norm_ball(radius, norm, n=201):
    r"""Points on the boundary :math:`\{w : \|w\| = r\}` of the L1 diamond or the L2 circle.

    Parameters
    ----------
    radius : float
        Non-negative radius :math:`r`.
    norm : {"l1", "l2"}
    n : int, default 201
        Number of points for the circle (the diamond always uses its 4 corners, closed).

    Returns
    -------
    ndarray of shape (m, 2)
        A closed polygon (first point repeated at the end), ready for ``plt.plot(*xy.T)``.

    See Also
    --------
    Chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> norm_ball(1.0, "l1")
    array([[ 1.,  0.],
           [ 0.,  1.],
           [-1.,  0.],
           [ 0., -1.],
           [ 1.,  0.]])
    """
    radius = check_scalar(radius, "radius", low=0.0)
    norm = _check_norm(norm)
    n = check_scalar(n, "n", low=3, integer=True)
    if norm == "l1":
        return radius * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0], [1.0, 0.0]])
    theta = np.linspace(0.0, 2.0 * np.pi, n)
    xy = radius * np.column_stack([np.cos(theta), np.sin(theta)])
    xy[-1] = xy[0]
    return xy


def _l2_minimum(A, w_star, radius):
    # Stationarity of L(w) + lam (|w|^2 - r^2):  A (w - w*) + lam w = 0,  so
    # w(lam) = (A + lam I)^{-1} A w*. In A's eigenbasis the components are c_i a_i / (a_i + lam),
    # each shrinking monotonically with lam, so |w(lam)| = r has exactly one root lam > 0.
    evals, Q = np.linalg.eigh(A)
    c = Q.T @ w_star

    def w_of(lam):
        return Q @ (c * evals / (evals + lam))

    def excess(lam):
        return float(np.linalg.norm(w_of(lam))) - radius

    # Each component is at most |c_i| a_max / lam, so at lam_hi the norm is <= radius.
    lam_hi = evals[-1] * float(np.linalg.norm(w_star)) / radius
    while excess(lam_hi) > 0.0:  # guard against rounding at the bracket end
        lam_hi *= 2.0
    lam = optimize.brentq(excess, 0.0, lam_hi, xtol=1e-300, rtol=4 * np.finfo(float).eps,
                          maxiter=500)
    return w_of(lam)


def _l1_minimum(A, w_star, radius):
    # The minimiser lies on the diamond's boundary: minimise the 1-D quadratic exactly on each
    # of the 4 edges (a segment corner_k -> corner_{k+1}), clipping to the segment, so that a
    # corner (with an exact zero) is returned whenever the edge minimum falls beyond it.
    corners = radius * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]])
    best, best_loss = None, np.inf
    for k in range(4):
        a, b = corners[k], corners[(k + 1) % 4]
        d = b - a
        t = float(d @ A @ (w_star - a)) / float(d @ A @ d)
        # Within rounding of a corner the corner itself is the answer: snap, so its zero is exact.
        if t <= 1e-12:
            w = a.copy()
        elif t >= 1.0 - 1e-12:
            w = b.copy()
        else:
            w = a + t * d
        diff = w - w_star
        loss = float(diff @ A @ diff)
        if loss < best_loss:
            best, best_loss = w, loss
    return best


def constrained_minimum(A, w_star, radius, norm):
    r"""Exact minimiser of a 2-D quadratic loss inside an L1 or L2 ball.

    Solves

    .. math::

        \hat w = \arg\min_{\|w\| \le r} (w - w^*)^\top A (w - w^*).

    If :math:`w^*` is inside the ball it is the answer. Otherwise the answer is on the boundary:

    * ``"l2"``: :math:`\hat w = (A + \lambda I)^{-1} A w^*` with the Lagrange multiplier
      :math:`\lambda > 0` found by a root-finder on :math:`\|\hat w(\lambda)\|_2 = r`
      (this is ridge regression with penalty :math:`\lambda`);
    * ``"l1"``: the quadratic restricted to each of the diamond's 4 edges is minimised in
      closed form and clipped to the edge; the best of the 4 wins. When the clip is active the
      answer is a corner, with one coordinate exactly ``0.0`` (the lasso's sparsity).

    Parameters
    ----------
    A : array-like of shape (2, 2)
        Symmetric positive definite curvature matrix.
    w_star : array-like of shape (2,)
        Unconstrained minimiser.
    radius : float
        Non-negative radius :math:`r` of the constraint ball.
    norm : {"l1", "l2"}
        Which norm defines the ball.

    Returns
    -------
    ndarray of shape (2,)
        The constrained minimiser (exact for ``"l1"``, to about 1e-15 relative for ``"l2"``).

    Raises
    ------
    ValueError
        If ``A`` is not a symmetric positive definite 2x2 matrix, ``w_star`` is not of length 2,
        ``radius`` is negative or not finite, or ``norm`` is not ``"l1"`` or ``"l2"``.

    See Also
    --------
    Chapter 02, "L2 / ridge and weight decay"; chapter 03, "L1 / lasso and sparsity".

    Examples
    --------
    >>> A = [[1.0, 0.0], [0.0, 1.0]]
    >>> constrained_minimum(A, [2.0, 0.5], 1.0, "l1")
    array([1., 0.])
    >>> constrained_minimum(A, [3.0, 4.0], 1.0, "l2").round(6)
    array([0.6, 0.8])
    """
    A, w_star = _check_quadratic(A, w_star)
    radius = check_scalar(radius, "radius", low=0.0)
    norm = _check_norm(norm)
    if radius == 0.0:
        return np.zeros(2)
    order = 1 if norm == "l1" else 2
    if np.linalg.norm(w_star, ord=order) <= radius:
        return w_star.copy()
    if norm == "l2":
        return _l2_minimum(A, w_star, radius)
    return _l1_minimum(A, w_star, radius)
