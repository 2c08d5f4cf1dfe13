"""Every regbook estimator passes scikit-learn's estimator checks, with no expected failures.

Add each new estimator (with its default parameters) to ``ESTIMATORS``.
"""

from sklearn.utils.estimator_checks import parametrize_with_checks

from regbook.ensembles import BaggingClassifier, BaggingRegressor
from regbook.linear import ElasticNet, Lasso, Ridge
from regbook.polynomial import PolynomialRidge

ESTIMATORS = [
    Ridge(),
    Lasso(),
    ElasticNet(),
    PolynomialRidge(),
    BaggingRegressor(),
    BaggingClassifier(),
]


@parametrize_with_checks(ESTIMATORS)
def test_sklearn_compatible_estimator(estimator, check):
    check(estimator)
