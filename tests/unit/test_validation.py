import math

import numpy as np
import pytest

from regbook._validation import (check_finite_array, check_linear_problem, check_random_state,
                                check_scalar)


@pytest.mark.parametrize("value", [-1.0, math.nan, math.inf])
def test_scalar_out_of_range_nan_and_inf_are_rejected_with_name_and_value(value):
    with pytest.raises(ValueError, match=r"alpha must be .*got"):
        check_scalar(value, "alpha", low=0.0)


def test_scalar_messages_state_the_range():
    with pytest.raises(ValueError, match=r"epsilon must be in \[0, 1\), got 1"):
        check_scalar(1, "epsilon", low=0, high=1, high_inclusive=False)


def test_bools_and_strings_are_not_numbers():
    for value in (True, "1.0"):
        with pytest.raises(TypeError, match="p must be a number"):
            check_scalar(value, "p")


def test_integer_check():
    assert check_scalar(3, "degree", low=1, integer=True) == 3
    with pytest.raises(TypeError, match="degree must be an integer"):
        check_scalar(3.0, "degree", integer=True)


def test_arrays():
    assert check_finite_array([[1, 2]], "X", ndim=2).dtype == float
    with pytest.raises(ValueError, match="X must be 2-dimensional, got shape"):
        check_finite_array([1, 2], "X", ndim=2)
    with pytest.raises(ValueError, match="y must contain only finite values"):
        check_finite_array([1, np.nan], "y")
    with pytest.raises(ValueError, match="X must not be empty"):
        check_finite_array(np.zeros((0, 3)), "X")


def test_random_state():
    rng = np.random.default_rng(0)
    assert check_random_state(rng) is rng
    assert check_random_state(5).integers(100) == np.random.default_rng(5).integers(100)
    with pytest.raises(ValueError, match="rng must be"):
        check_random_state("seed")


@pytest.mark.parametrize("w, X, y, match", [
    (None, np.ones((3, 2)), np.ones(4), "same number of samples, got 3 and 4"),
    (np.ones(3), np.ones((3, 2)), np.ones(3), r"one weight per feature \(2\), got 3"),
    (np.ones(2), np.ones(6), np.ones(6), "X must be 2-dimensional"),
    (np.array([1.0, np.nan]), np.ones((3, 2)), np.ones(3), "w must contain only finite"),
])
def test_check_linear_problem_names_the_mismatch(w, X, y, match):
    with pytest.raises(ValueError, match=match):
        check_linear_problem(w, X, y)
