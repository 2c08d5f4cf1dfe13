r"""Ensembles and bagging (chapter 11).

Average :math:`k` models whose errors :math:`\varepsilon_i` (prediction minus target) have
:math:`V = \mathbb E[\varepsilon_i^2]` and :math:`C = \mathbb E[\varepsilon_i\varepsilon_j]`
(:math:`i \ne j`). The average's squared error is (Goodfellow et al. 2016, §7.11)

.. math::

    \mathbb E\Big[\Big(\frac1k\sum_{i=1}^k \varepsilon_i\Big)^2\Big]
    = \frac{V}{k} + \frac{k - 1}{k}\,C .

The moments are uncentred, so a bias shared by every member enters :math:`C` and stays however
many members are averaged. Bagging (Breiman 1996) makes members differ by fitting each to a
bootstrap sample: :math:`n` rows drawn with replacement from the :math:`n` training rows, which
holds a fraction :math:`1 - (1 - 1/n)^n \approx 1 - 1/e` of distinct rows; the rows left out are
the member's out-of-bag rows. :class:`BaggingRegressor` averages the members' predictions and
:class:`BaggingClassifier` their class probabilities (soft voting).
"""

import numbers
import warnings

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, clone
from sklearn.metrics import accuracy_score, r2_score
from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from regbook._validation import check_finite_array, check_random_state, check_scalar

__all__ = ["BaggingClassifier", "BaggingRegressor", "bootstrap_indices", "correlated_errors",
           "distinct_fraction", "ensemble_squared_error", "member_error_moments",
           "out_of_bag_mask"]


def ensemble_squared_error(V, C, k):
    r"""Expected squared error of the average of ``k`` members: :math:`V/k + (k - 1)C/k`.

    Parameters
    ----------
    V : float
        Mean squared error of one member, :math:`\mathbb E[\varepsilon_i^2] \ge 0`.
    C : float
        Mean product of two members' errors, :math:`\mathbb E[\varepsilon_i\varepsilon_j]`. For
        the :math:`k \times k` matrix of these moments to be valid,
        :math:`-V/(k - 1) \le C \le V`.
    k : int
        Number of members, at least 1.

    Returns
    -------
    float

    See Also
    --------
    member_error_moments : V and C estimated from members' errors. Chapter 11.

    Examples
    --------
    >>> ensemble_squared_error(V=1.0, C=0.0, k=4)   # independent errors: V / k
    0.25
    >>> ensemble_squared_error(V=1.0, C=1.0, k=4)   # identical errors: no gain
    1.0
    """
    k = check_scalar(k, "k", low=1, integer=True)
    V = check_scalar(V, "V", low=0.0)
    C = check_scalar(C, "C")
    low = -V / (k - 1) if k > 1 else -np.inf
    if not (low <= C <= V):
        raise ValueError(f"C must be in [{low:g}, {V:g}] (between -V/(k - 1) and V), got {C!r}")
    return V / k + (k - 1) / k * C


def correlated_errors(V, C, k, n_draws, *, bias=0.0, rng=None):
    r"""Draw member errors :math:`\varepsilon_i = b + \sqrt{C}\,z_0 + \sqrt{V - C}\,z_i`.

    With independent standard normal :math:`z_0, z_1, \dots, z_k`, the zero-mean part has
    variance :math:`V` and covariance :math:`C` between members; the shared component
    :math:`\sqrt{C}\,z_0` is what averaging cannot remove. A bias :math:`b` added to every member
    shifts the uncentred moments to :math:`V + b^2` and :math:`C + b^2`.

    Parameters
    ----------
    V, C : float
        Variance and covariance, with :math:`0 \le C \le V`.
    k : int
        Number of members, at least 1.
    n_draws : int
        Number of independent draws (rows), at least 1.
    bias : float, default 0.0
        A bias :math:`b` shared by every member.
    rng : int, None or numpy Generator

    Returns
    -------
    ndarray of shape (n_draws, k)

    Examples
    --------
    >>> errors = correlated_errors(V=1.0, C=0.5, k=3, n_draws=200_000, rng=0)
    >>> np.round(np.cov(errors.T), 1)
    array([[1. , 0.5, 0.5],
           [0.5, 1. , 0.5],
           [0.5, 0.5, 1. ]])
    """
    V = check_scalar(V, "V", low=0.0)
    C = check_scalar(C, "C", low=0.0, high=V)
    k = check_scalar(k, "k", low=1, integer=True)
    n_draws = check_scalar(n_draws, "n_draws", low=1, integer=True)
    bias = check_scalar(bias, "bias")
    rng = check_random_state(rng)
    shared = rng.standard_normal((n_draws, 1))
    own = rng.standard_normal((n_draws, k))
    return bias + np.sqrt(C) * shared + np.sqrt(V - C) * own


def member_error_moments(member_predictions, y):
    r"""Uncentred second moments :math:`(\hat V, \hat C)` of members' errors on a set of points.

    With errors :math:`e_{im} = \hat y_{im} - y_m` of member :math:`i` at point :math:`m`,

    .. math::

        \hat V = \frac{1}{kM}\sum_{i, m} e_{im}^2, \qquad
        \hat C = \frac{1}{k(k - 1)M}\sum_{i \ne j}\sum_m e_{im} e_{jm} .

    For these estimates :math:`\hat V/k + (k - 1)\hat C/k` equals the ensemble's mean squared
    error on the same points *exactly*, for any data: it is an algebraic identity, a
    decomposition of the error into what averaging removes and the floor :math:`\hat C`.

    Parameters
    ----------
    member_predictions : array-like of shape (k, n_points)
        Each member's predictions, ``k >= 2``.
    y : array-like of shape (n_points,)

    Returns
    -------
    V, C : float

    Examples
    --------
    >>> predictions = np.array([[1.0, 2.0], [3.0, 2.0]])
    >>> member_error_moments(predictions, [2.0, 2.0])
    (0.5, -0.5)
    """
    predictions = check_finite_array(member_predictions, "member_predictions", ndim=2)
    y = check_finite_array(y, "y", ndim=1)
    k, n_points = predictions.shape
    if k < 2:
        raise ValueError(f"member_predictions must hold at least 2 members (rows), got {k}")
    if y.shape[0] != n_points:
        raise ValueError(f"y must have one value per column of member_predictions "
                         f"({n_points}), got {y.shape[0]}")
    errors = predictions - y
    squares = np.sum(errors**2)
    cross = np.sum(errors.sum(axis=0) ** 2) - squares
    return float(squares / (k * n_points)), float(cross / (k * (k - 1) * n_points))


def bootstrap_indices(n_samples, *, size=None, rng=None):
    """Row indices of one bootstrap sample: ``size`` draws with replacement from ``n_samples``.

    Parameters
    ----------
    n_samples : int
        Number of training rows, at least 1.
    size : int, optional
        Number of draws; None means ``n_samples`` (Breiman's bootstrap sample).
    rng : int, None or numpy Generator

    Returns
    -------
    ndarray of int of shape (size,)

    Examples
    --------
    >>> bootstrap_indices(5, rng=0)
    array([4, 3, 2, 1, 1])
    """
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    size = n_samples if size is None else check_scalar(size, "size", low=1, integer=True)
    return check_random_state(rng).integers(0, n_samples, size=size)


def out_of_bag_mask(indices, n_samples):
    """Boolean mask of the rows that ``indices`` never drew: the out-of-bag rows.

    Examples
    --------
    >>> out_of_bag_mask(np.array([4, 3, 2, 1, 1]), 5)
    array([ True, False, False, False, False])
    """
    n_samples = check_scalar(n_samples, "n_samples", low=1, integer=True)
    indices = np.asarray(indices)
    if indices.ndim != 1 or not np.issubdtype(indices.dtype, np.integer):
        raise ValueError(f"indices must be a 1-D array of integers, got shape {indices.shape} "
                         f"and dtype {indices.dtype}")
    if indices.size and not (0 <= indices.min() and indices.max() < n_samples):
        raise ValueError(f"indices must be in [0, {n_samples - 1}], got values from "
                         f"{indices.min()} to {indices.max()}")
    mask = np.ones(n_samples, dtype=bool)
    mask[indices] = False
    return mask


def distinct_fraction(n_samples):
    r"""Expected fraction of distinct rows in a bootstrap sample: :math:`1 - (1 - 1/n)^n`.

    Each row is missed by all :math:`n` draws with probability :math:`(1 - 1/n)^n`, which tends
    to :math:`e^{-1}`; so the fraction tends to :math:`1 - 1/e \approx 0.632` (the ".632" of
    Efron and Tibshirani 1997).

    Examples
    --------
    >>> distinct_fraction(2)
    0.75
    >>> round(distinct_fraction(10**6), 4)
    0.6321
    """
    n = check_scalar(n_samples, "n_samples", low=1, integer=True)
    return float(1.0 - (1.0 - 1.0 / n) ** n)


def _check_bool(value, name):
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r} of type "
                        f"{type(value).__name__}")
    return bool(value)


def _resolve_count(value, name, total, what):
    """An int count in [1, total], or a float fraction in (0, 1] of ``total`` (at least 1)."""
    if isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_)):
        return check_scalar(value, name, low=1, high=total, integer=True)
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        fraction = check_scalar(value, name, low=0.0, high=1.0, low_inclusive=False)
        return max(1, int(fraction * total))
    raise TypeError(f"{name} must be an int (number of {what}) or a float in (0, 1] (fraction "
                    f"of {what}), got {value!r} of type {type(value).__name__}")


class _BaseBagging(BaseEstimator):
    """Fitting shared by the two bagging estimators; subclasses combine the members."""

    def __init__(self, estimator=None, n_estimators=10, *, max_samples=None, max_features=1.0,
                 bootstrap=True, oob_score=False, random_state=None):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.max_features = max_features
        self.bootstrap = bootstrap
        self.oob_score = oob_score
        self.random_state = random_state

    def _check_params(self, n_samples, n_features):
        n_estimators = check_scalar(self.n_estimators, "n_estimators", low=1, integer=True)
        bootstrap = _check_bool(self.bootstrap, "bootstrap")
        oob_score = _check_bool(self.oob_score, "oob_score")
        if oob_score and not bootstrap:
            raise ValueError("oob_score=True needs bootstrap=True: without replacement there "
                             "is no out-of-bag estimate, got bootstrap=False")
        if self.max_samples is None:
            draws = n_samples
        elif (bootstrap and isinstance(self.max_samples, numbers.Integral)
              and not isinstance(self.max_samples, (bool, np.bool_))):
            # With replacement a member may draw more rows than there are.
            draws = check_scalar(self.max_samples, "max_samples", low=1, integer=True)
        else:
            draws = _resolve_count(self.max_samples, "max_samples", n_samples, "samples")
        n_kept = _resolve_count(self.max_features, "max_features", n_features, "features")
        return n_estimators, bootstrap, oob_score, draws, n_kept

    def _draw(self, rng, n_samples, n_features, draws, n_kept, bootstrap):
        """One member's rows (with or without replacement) and its sorted feature subset."""
        if bootstrap:
            rows = rng.integers(0, n_samples, size=draws)
        else:
            rows = rng.choice(n_samples, size=draws, replace=False)
        features = np.sort(rng.choice(n_features, size=n_kept, replace=False))
        return rows, features

    def _fit(self, X, y):
        n_samples, n_features = X.shape
        n_estimators, bootstrap, oob_score, draws, n_kept = self._check_params(n_samples,
                                                                               n_features)
        rng = check_random_state(self.random_state, "random_state")
        self.estimator_ = clone(self._default_estimator() if self.estimator is None
                                else self.estimator)
        member_seeds = rng.integers(0, 2**31 - 1, size=n_estimators)
        self.estimators_, self.estimators_samples_, self.estimators_features_ = [], [], []
        for seed in member_seeds:
            member_rng = np.random.default_rng(seed)
            rows, features = self._draw(member_rng, n_samples, n_features, draws, n_kept,
                                        bootstrap)
            member = clone(self.estimator_)
            if "random_state" in member.get_params(deep=False):
                member.set_params(random_state=int(seed))
            member.fit(X[rows][:, features], y[rows])
            self.estimators_.append(member)
            self.estimators_samples_.append(rows)
            self.estimators_features_.append(features)
        if oob_score:
            self._set_oob_score(X, y)
        return self

    def _out_of_bag_outputs(self, X):
        """Sum of member outputs over the members for which each row is out of bag, and counts."""
        n_samples = X.shape[0]
        total, counts = None, np.zeros(n_samples)
        for member, rows, features in zip(self.estimators_, self.estimators_samples_,
                                          self.estimators_features_):
            mask = out_of_bag_mask(rows, n_samples)
            output = self._member_output(member, X[mask][:, features])
            if total is None:
                total = np.zeros((n_samples,) + output.shape[1:])
            total[mask] += output
            counts[mask] += 1
        covered = counts > 0
        if not covered.all():
            warnings.warn(f"{int((~covered).sum())} of {n_samples} rows were drawn by every "
                          "member, so they have no out-of-bag prediction and are left out of "
                          "oob_score_; use more estimators", UserWarning, stacklevel=3)
        shape = (-1,) + (1,) * (total.ndim - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            return total / counts.reshape(shape), covered

    def _members_outputs(self, X):
        check_is_fitted(self, "estimators_")
        X = validate_data(self, X, reset=False)
        return [self._member_output(member, X[:, features])
                for member, features in zip(self.estimators_, self.estimators_features_)]


class BaggingRegressor(RegressorMixin, _BaseBagging):
    r"""Bootstrap aggregation (bagging) of any regressor: the average of members' predictions.

    Member :math:`b = 1, \dots, B` is a clone of ``estimator`` fitted to rows drawn from the
    training set (with replacement when ``bootstrap=True``) and, optionally, a subset of the
    features; the prediction is

    .. math:: \hat f(x) = \frac1B \sum_{b=1}^B \hat f_b(x).

    Parameters
    ----------
    estimator : regressor or None, default None
        The base model, cloned for each member. None means
        ``sklearn.tree.DecisionTreeRegressor()`` (fully grown trees, as in Breiman 1996). If it
        has a ``random_state`` parameter, each member gets its own seed.
    n_estimators : int, default 10
        Number of members, at least 1.
    max_samples : int, float or None, default None
        Rows drawn for each member: None means ``n_samples`` (a bootstrap sample); an int is a
        count (at most ``n_samples`` without replacement); a float in (0, 1] a fraction of
        ``n_samples``.
    max_features : int or float, default 1.0
        Features given to each member, drawn without replacement once per member (a random
        subspace; random forests instead draw at every split): an int in [1, n_features] or a
        fraction in (0, 1].
    bootstrap : bool, default True
        Draw rows with replacement (bagging). False draws without replacement ("pasting").
    oob_score : bool, default False
        Compute the out-of-bag R²: each row is predicted by the members that did not draw it.
        Needs ``bootstrap=True``.
    random_state : int, None or numpy Generator, default None
        Seeds every draw; the same integer gives the same ensemble.

    Attributes
    ----------
    estimator_ : estimator
        The unfitted template cloned for each member.
    estimators_ : list of fitted estimators
    estimators_samples_ : list of ndarray of int
        The rows each member was fitted on (with repeats).
    estimators_features_ : list of ndarray of int
        The feature columns each member was fitted on.
    oob_score_ : float
        Out-of-bag R² (only with ``oob_score=True``).
    oob_prediction_ : ndarray of shape (n_samples,)
        Out-of-bag prediction of each training row; NaN for a row that every member drew.
    n_features_in_ : int

    See Also
    --------
    BaggingClassifier. sklearn.ensemble.BaggingRegressor, which this matches in distribution
    (not draw for draw). Chapter 11, "Ensembles and bagging".

    Examples
    --------
    >>> from sklearn.datasets import make_friedman1
    >>> X, y = make_friedman1(n_samples=200, random_state=0)
    >>> model = BaggingRegressor(n_estimators=20, oob_score=True, random_state=0).fit(X, y)
    >>> len(model.estimators_), model.oob_score_ > 0.6
    (20, True)
    """

    def _default_estimator(self):
        return DecisionTreeRegressor()

    @staticmethod
    def _member_output(member, X):
        return member.predict(X)

    def fit(self, X, y):
        """Fit ``n_estimators`` members, each on its own draw of rows and features."""
        X, y = validate_data(self, X, y, y_numeric=True)
        return self._fit(X, y)

    def _set_oob_score(self, X, y):
        self.oob_prediction_, covered = self._out_of_bag_outputs(X)
        self.oob_score_ = float(r2_score(y[covered], self.oob_prediction_[covered]))

    def predict(self, X):
        """Average of the members' predictions."""
        return np.mean(self._members_outputs(X), axis=0)


class BaggingClassifier(ClassifierMixin, _BaseBagging):
    r"""Bootstrap aggregation (bagging) of any classifier, by soft voting.

    Members are fitted as in :class:`BaggingRegressor`; the ensemble's class probabilities are
    the average of the members'

    .. math:: \hat p(c \mid x) = \frac1B \sum_{b=1}^B \hat p_b(c \mid x),

    and ``predict`` returns the class of largest average probability. A member whose bootstrap
    sample missed a class gives that class probability 0. A member without ``predict_proba``
    votes with probability 1 for its predicted class.

    Parameters
    ----------
    estimator : classifier or None, default None
        None means ``sklearn.tree.DecisionTreeClassifier()``.
    n_estimators, max_samples, max_features, bootstrap, random_state
        As in :class:`BaggingRegressor`.
    oob_score : bool, default False
        Compute the out-of-bag accuracy. Needs ``bootstrap=True``.

    Attributes
    ----------
    classes_ : ndarray
        The class labels, sorted.
    estimator_, estimators_, estimators_samples_, estimators_features_, n_features_in_
        As in :class:`BaggingRegressor`. Members are fitted on the class indices
        ``0, …, len(classes_) - 1``.
    oob_score_ : float
        Out-of-bag accuracy (only with ``oob_score=True``).
    oob_decision_function_ : ndarray of shape (n_samples, n_classes)
        Out-of-bag class probabilities of each training row; NaN for a row every member drew.

    See Also
    --------
    BaggingRegressor. sklearn.ensemble.BaggingClassifier. Chapter 11, "Ensembles and bagging".

    Examples
    --------
    >>> from sklearn.datasets import load_breast_cancer
    >>> X, y = load_breast_cancer(return_X_y=True)
    >>> model = BaggingClassifier(n_estimators=30, oob_score=True, random_state=0).fit(X, y)
    >>> model.predict_proba(X[:2]).sum(axis=1)
    array([1., 1.])
    >>> model.oob_score_ > 0.9
    True
    """

    def _default_estimator(self):
        return DecisionTreeClassifier()

    def _member_output(self, member, X):
        """Member probabilities placed in the columns of the ensemble's classes."""
        n_classes = len(self.classes_)
        probabilities = np.zeros((X.shape[0], n_classes))
        if hasattr(member, "predict_proba"):
            probabilities[:, member.classes_] = member.predict_proba(X)
        else:
            probabilities[np.arange(X.shape[0]), member.predict(X).astype(int)] = 1.0
        return probabilities

    def fit(self, X, y):
        """Fit ``n_estimators`` members, each on its own draw of rows and features."""
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_, y_index = np.unique(y, return_inverse=True)
        return self._fit(X, y_index)

    def _set_oob_score(self, X, y_index):
        self.oob_decision_function_, covered = self._out_of_bag_outputs(X)
        predicted = np.argmax(self.oob_decision_function_[covered], axis=1)
        self.oob_score_ = float(accuracy_score(y_index[covered], predicted))

    def predict_proba(self, X):
        """Average of the members' class probabilities, shape (n_samples, n_classes)."""
        return np.mean(self._members_outputs(X), axis=0)

    def predict(self, X):
        """The class with the largest average probability."""
        probabilities = self.predict_proba(X)
        return self.classes_[np.argmax(probabilities, axis=1)]
