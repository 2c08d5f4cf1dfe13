# cython: language_level=3, boundscheck=False, wraparound=False
# cython: initializedcheck=False, cdivision=True
"""Compiled coordinate descent for the lasso and the elastic net of :mod:`regbook.linear`.

Each update is the one of :func:`regbook.linear.coordinate_descent_sweep` (chapter 03), in
scikit-learn's unscaled units: minimise ``0.5 ||y - Xw||^2 + l1 ||w||_1 + 0.5 l2 ||w||^2``,
with ``l1 = n alpha rho`` and ``l2 = n alpha (1 - rho)``. Coordinate ``j`` becomes

    w_j = S(x_j' r_j, l1) / (x_j' x_j + l2),   r_j = y - Xw + x_j w_j,

where ``S`` is the soft threshold. Two problem classes keep what ``x_j' r_j`` needs up to date:

* :class:`GramProblem` stores ``G = X'X`` and ``q = X'(y - Xw)``, so ``x_j' r_j = q_j + G_jj w_j``
  and a changed coefficient costs one row of ``G`` (cheap when ``n > p`` and many sweeps are
  needed);
* :class:`ResidualProblem` stores ``X`` and the residual ``r = y - Xw``, so ``x_j' r_j`` is a dot
  product of length ``n`` (no ``p x p`` matrix to form, which pays when ``p >= n`` or the fit
  needs few sweeps).

:func:`solve` runs the same loop on either (Friedman, Hastie & Tibshirani 2010): cyclic sweeps
over every column, with the duality gap (scikit-learn's formulas) checked whenever a sweep
changes no coefficient by more than ``tol`` times the largest, as scikit-learn does. (Cycling
over the non-zero coefficients between full sweeps took twice as many sweeps on the strongly
correlated problem of ``benchmarks/solvers.py``.)
Level-1 and level-2 operations go through BLAS (``scipy.linalg.cython_blas``), as scikit-learn's
own solver does.
"""

from libc.math cimport fabs
from scipy.linalg.cython_blas cimport daxpy, ddot, dgemv

import numpy as np


cdef inline double _threshold(double rho, double l1, double denominator) noexcept nogil:
    """The coordinate's minimiser, ``S(rho, l1) / denominator``; exact zeros are +0.0."""
    if rho > l1:
        return (rho - l1) / denominator
    if rho < -l1:
        return (rho + l1) / denominator
    return 0.0


cdef inline double _dot(const double* a, const double* b, int n) noexcept nogil:
    cdef int one = 1
    return ddot(&n, <double*>a, &one, <double*>b, &one)


cdef inline void _axpy(double scale, const double* x, double* y, int n) noexcept nogil:
    """``y += scale * x``."""
    cdef int one = 1
    daxpy(&n, &scale, <double*>x, &one, y, &one)


cdef inline void _gemv(char* trans, int n_rows, int n_cols, double scale, const double* A,
                       const double* x, double beta, double* y) noexcept nogil:
    """``y = scale * op(A) x + beta * y`` for a column-major ``A``."""
    cdef int one = 1
    dgemv(trans, &n_rows, &n_cols, &scale, <double*>A, &n_rows, <double*>x, &one, &beta, y, &one)


cdef double _gap_from_parts(double R_norm2, double Ry, const double* XtR, const double* w,
                            Py_ssize_t n_features, double l1, double l2) noexcept nogil:
    """scikit-learn's duality gap from ``||R||^2``, ``R'y`` and ``X'R`` (``R = y - Xw``)."""
    cdef Py_ssize_t j
    cdef double w_norm2 = 0.0, w_norm1 = 0.0, dual_norm = 0.0, xtr_norm2 = 0.0
    cdef double scale, primal, dual
    for j in range(n_features):
        w_norm2 += w[j] * w[j]
        w_norm1 += fabs(w[j])
        xtr_norm2 += XtR[j] * XtR[j]
        dual_norm = max(dual_norm, fabs(XtR[j] - l2 * w[j]))
    if l1 == 0.0:
        if l2 == 0.0:  # least squares: no dual, use the first-order condition X'R = 0
            return xtr_norm2
        return R_norm2 + 0.5 * l2 * w_norm2 - Ry + xtr_norm2 / (2.0 * l2)
    scale = min(1.0, l1 / dual_norm) if dual_norm > 0.0 else 1.0
    primal = 0.5 * (R_norm2 + l2 * w_norm2) + l1 * w_norm1
    dual = -0.5 * scale * scale * (R_norm2 + l2 * w_norm2) + scale * Ry
    return primal - dual


cdef int[::1] _nonzero_columns(_Problem problem):
    """The columns a sweep visits: a column of zeros keeps ``w_j = 0``."""
    return np.flatnonzero(np.asarray(problem.col_norm2) > 0.0).astype(np.intc)


cdef class _Problem:
    """What :func:`solve` needs from a least-squares problem; subclasses store it two ways."""

    cdef readonly Py_ssize_t n_features
    cdef readonly double y_norm2
    cdef double[::1] col_norm2  # x_j' x_j

    cdef void reset(self, const double[::1] w) noexcept nogil:
        """Recompute the kept quantities from ``w`` (also clears accumulated rounding)."""
        pass

    cdef (double, double) sweep(self, const int[::1] columns, double[::1] w, double l1,
                                double l2) noexcept nogil:
        """One cyclic pass over ``columns``; returns the largest change and coefficient."""
        return 0.0, 0.0

    cdef double gap(self, const double[::1] w, double l1, double l2) noexcept nogil:
        """Duality gap of ``w``, just after :meth:`reset`."""
        return 0.0

    def one_sweep(self, double[::1] w, double l1, double l2):
        """One sweep of :func:`solve` from ``w`` (updated in place); lets tests compare it."""
        if w.shape[0] != self.n_features:
            raise ValueError(f"w must have {self.n_features} entries, got {w.shape[0]}")
        self.reset(w)
        return self.sweep(_nonzero_columns(self), w, l1, l2)


cdef class GramProblem(_Problem):
    """A problem stored as ``G = X'X``, ``X'y`` and ``||y||^2``, with ``q = X'(y - Xw)``."""

    cdef const double[:, ::1] gram
    cdef const double[::1] Xy
    cdef double[::1] q

    def __init__(self, const double[:, ::1] gram, const double[::1] Xy, double y_norm2):
        # The loops below do not check bounds: the shapes are checked once, here.
        if not gram.shape[0] == gram.shape[1] == Xy.shape[0]:
            raise ValueError(f"gram must be square and match Xy, got shapes "
                             f"({gram.shape[0]}, {gram.shape[1]}) and ({Xy.shape[0]},)")
        self.gram, self.Xy, self.y_norm2 = gram, Xy, y_norm2
        self.n_features = gram.shape[0]
        self.col_norm2 = np.ascontiguousarray(np.diagonal(gram), dtype=float)
        self.q = np.empty(self.n_features)

    cdef void reset(self, const double[::1] w) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(self.n_features):
            self.q[i] = self.Xy[i]
        # G is symmetric, so its row-major storage is also its column-major storage.
        _gemv("N", self.n_features, self.n_features, -1.0, &self.gram[0, 0], &w[0], 1.0,
              &self.q[0])

    cdef (double, double) sweep(self, const int[::1] columns, double[::1] w, double l1,
                                double l2) noexcept nogil:
        cdef Py_ssize_t k, j, p = self.n_features
        cdef double w_j, w_new, diag_j, d_w_max = 0.0, w_max = 0.0
        for k in range(columns.shape[0]):
            j = columns[k]
            w_j = w[j]
            diag_j = self.col_norm2[j]
            w_new = _threshold(self.q[j] + diag_j * w_j, l1, diag_j + l2)
            if w_new != w_j:
                _axpy(w_j - w_new, &self.gram[j, 0], &self.q[0], p)
                w[j] = w_new
                d_w_max = max(d_w_max, fabs(w_new - w_j))
            w_max = max(w_max, fabs(w_new))
        return d_w_max, w_max

    cdef double gap(self, const double[::1] w, double l1, double l2) noexcept nogil:
        cdef Py_ssize_t p = self.n_features
        cdef double w_Xy = _dot(&w[0], &self.Xy[0], p)
        # w'Gw = w'(X'y - q)
        cdef double w_Gw = w_Xy - _dot(&w[0], &self.q[0], p)
        cdef double R_norm2 = max(self.y_norm2 - 2.0 * w_Xy + w_Gw, 0.0)
        return _gap_from_parts(R_norm2, self.y_norm2 - w_Xy, &self.q[0], &w[0], p, l1, l2)


cdef class ResidualProblem(_Problem):
    """A problem stored as ``X`` (column-major) and ``y``, with the residual ``r = y - Xw``."""

    cdef const double[::1, :] X
    cdef const double[::1] y
    cdef double[::1] residual
    cdef double[::1] XtR
    cdef Py_ssize_t n_samples

    def __init__(self, const double[::1, :] X, const double[::1] y):
        if X.shape[0] != y.shape[0]:
            raise ValueError(f"X and y must have the same number of samples, got {X.shape[0]} "
                             f"and {y.shape[0]}")
        self.X, self.y = X, y
        self.n_samples, self.n_features = X.shape[0], X.shape[1]
        self.y_norm2 = _dot(&y[0], &y[0], self.n_samples)
        self.col_norm2 = np.einsum("ij,ij->j", X, X)
        self.residual = np.empty(self.n_samples)
        self.XtR = np.empty(self.n_features)

    cdef void reset(self, const double[::1] w) noexcept nogil:
        cdef Py_ssize_t i
        for i in range(self.n_samples):
            self.residual[i] = self.y[i]
        _gemv("N", self.n_samples, self.n_features, -1.0, &self.X[0, 0], &w[0], 1.0,
              &self.residual[0])

    cdef (double, double) sweep(self, const int[::1] columns, double[::1] w, double l1,
                                double l2) noexcept nogil:
        cdef Py_ssize_t k, j, n = self.n_samples
        cdef double w_j, w_new, norm2_j, d_w_max = 0.0, w_max = 0.0
        for k in range(columns.shape[0]):
            j = columns[k]
            w_j = w[j]
            norm2_j = self.col_norm2[j]
            w_new = _threshold(_dot(&self.X[0, j], &self.residual[0], n) + norm2_j * w_j,
                               l1, norm2_j + l2)
            if w_new != w_j:
                _axpy(w_j - w_new, &self.X[0, j], &self.residual[0], n)
                w[j] = w_new
                d_w_max = max(d_w_max, fabs(w_new - w_j))
            w_max = max(w_max, fabs(w_new))
        return d_w_max, w_max

    cdef double gap(self, const double[::1] w, double l1, double l2) noexcept nogil:
        cdef Py_ssize_t n = self.n_samples
        _gemv("T", n, self.n_features, 1.0, &self.X[0, 0], &self.residual[0], 0.0, &self.XtR[0])
        return _gap_from_parts(_dot(&self.residual[0], &self.residual[0], n),
                               _dot(&self.residual[0], &self.y[0], n),
                               &self.XtR[0], &w[0], self.n_features, l1, l2)


def solve(_Problem problem, double[::1] w, double l1, double l2, Py_ssize_t max_iter, double tol):
    """Coordinate descent from ``w`` (updated in place); returns ``(duality_gap, n_sweeps)``.

    Stops when the gap is at most ``tol * ||y||^2``; the caller warns if it is not.
    """
    if w.shape[0] != problem.n_features:
        raise ValueError(f"w must have {problem.n_features} entries, got {w.shape[0]}")
    cdef int[::1] columns = _nonzero_columns(problem)
    cdef Py_ssize_t n_sweeps = 0, j
    cdef double gap_tol = tol * problem.y_norm2, gap, d_w_max, w_max
    cdef bint converged
    with nogil:
        for j in range(problem.n_features):
            if problem.col_norm2[j] == 0.0:
                w[j] = 0.0  # a column of zeros cannot explain anything
        problem.reset(w)
        gap = problem.gap(w, l1, l2)
        converged = gap <= gap_tol
        while not converged and n_sweeps < max_iter:
            d_w_max, w_max = problem.sweep(columns, w, l1, l2)
            n_sweeps += 1
            if w_max == 0.0 or d_w_max <= tol * w_max or n_sweeps == max_iter:
                problem.reset(w)  # an exact gap, and no rounding errors piling up
                gap = problem.gap(w, l1, l2)
                converged = gap <= gap_tol
    return gap, n_sweeps
