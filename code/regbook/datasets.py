"""Small data for the book: seeded generators and scikit-learn's bundled sets.

Nothing here downloads anything. The bundled sets (digits, diabetes, breast cancer, wine) ship
inside scikit-learn; the generators are seeded so two builds give identical numbers.
"""

import numpy as np
from sklearn import datasets as _sk_datasets

from regbook._validation import check_random_state, check_scalar

BUNDLED = {
    "digits": _sk_datasets.load_digits,
    "diabetes": _sk_datasets.load_diabetes,
    "breast_cancer": _sk_datasets.load_breast_cancer,
    "wine": _sk_datasets.load_wine,
}


def load_bundled(name):
    """Load one of scikit-learn's bundled data sets as ``(X, y)`` float/int arrays.

    Parameters
    ----------
    name : {"digits", "diabetes", "breast_cancer", "wine"}

    Returns
    -------
    X : ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)

    Examples
    --------
    >>> X, y = load_bundled("wine")
    >>> X.shape, y.shape
    ((178, 13), (178,))
    """
    if name not in BUNDLED:
        raise ValueError(f"name must be one of {sorted(BUNDLED)}, got {name!r}")
    X, y = BUNDLED[name](return_X_y=True)
    return X.astype(float), y


def true_curve(x):
    r"""The smooth signal behind :func:`make_noisy_curve`: :math:`f(x) = \sin(2.5\,x) + 0.5x`."""
    try:
        x = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"x must be numbers, got {x!r}") from None
    if not np.all(np.isfinite(x)):
        raise ValueError("x must contain only finite values, got NaN or inf")
    return np.sin(2.5 * x) + 0.5 * x


def make_noisy_curve(n_samples=20, noise=0.3, rng=None):
    r"""Draw ``n_samples`` points :math:`y = f(x) + \varepsilon` with :math:`x \sim U(-1, 1)`.

    :math:`f` is :func:`true_curve` and :math:`\varepsilon \sim \mathcal N(0, \text{noise}^2)`,
    so ``noise**2`` is the irreducible error of any regression on this data.

    Parameters
    ----------
    n_samples : int, default 20
        Number of points, at least 1.
    noise : float, default 0.3
        Standard deviation of the Gaussian noise, non-negative.
    rng : int, None or numpy.random.Generator
        Seed or generator.

    Returns
    -------
    x, y : ndarray of shape (n_samples,)

    See Also
    --------
    Chapter 01, "Why models overfit".

    Examples
    --------
    >>> x, y = make_noisy_curve(5, noise=0.0, rng=0)
    >>> bool(np.allclose(y, true_curve(x)))
    True
    """
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    noise = check_scalar(noise, "noise", low=0.0)
    rng = check_random_state(rng)
    x = rng.uniform(-1.0, 1.0, size=n_samples)
    y = true_curve(x) + noise * rng.standard_normal(n_samples)
    return x, y


def make_train_test_curves(n_train=20, n_test=500, noise=0.3, seed=0):
    """A small noisy training set and a large test set drawn from the same curve.

    Returns ``(x_train, y_train, x_test, y_test)``, see :func:`make_noisy_curve`.
    """
    n_train = check_scalar(n_train, "n_train", low=1, integer=True)
    n_test = check_scalar(n_test, "n_test", low=1, integer=True)
    seed = check_scalar(seed, "seed", low=0, integer=True)
    rng = np.random.default_rng(seed)
    x_train, y_train = make_noisy_curve(n_train, noise=noise, rng=rng)
    x_test, y_test = make_noisy_curve(n_test, noise=noise, rng=rng)
    return x_train, y_train, x_test, y_test
