"""Behaviour of label smoothing and calibration, ``regbook.smoothing``."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from regbook.smoothing import (epsilon_from_torch, expected_calibration_error,
                               reliability_curve, smooth_labels, smoothed_cross_entropy,
                               torch_label_smoothing)


@st.composite
def labels_and_epsilon(draw):
    k = draw(st.integers(2, 12))
    y = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=20))
    epsilon = draw(st.floats(0.0, 1.0, exclude_max=True))
    return np.array(y), k, epsilon


@given(labels_and_epsilon())
def test_smoothed_labels_are_probability_vectors(case):
    y, k, epsilon = case
    q = smooth_labels(y, k, epsilon)
    assert q.shape == (y.size, k)
    assert np.all(q >= 0)
    np.testing.assert_allclose(q.sum(axis=1), 1.0, atol=1e-12)
    np.testing.assert_allclose(q[np.arange(y.size), y], 1 - epsilon)


@given(labels_and_epsilon())
def test_true_class_keeps_the_largest_mass_below_uniform(case):
    y, k, epsilon = case
    q = smooth_labels(y, k, epsilon)
    if epsilon < (k - 1) / k:
        assert np.array_equal(q.argmax(axis=1), y)
    else:
        assert np.all(q[np.arange(y.size), y] <= q.max(axis=1) + 1e-12)


def test_uniform_at_epsilon_k_minus_one_over_k():
    np.testing.assert_allclose(smooth_labels([1, 0], 4, 0.75), np.full((2, 4), 0.25))


def test_tensor_labels_give_tensor_targets():
    q = smooth_labels(torch.tensor([0, 2]), 3, 0.3)
    assert isinstance(q, torch.Tensor) and q.dtype == torch.get_default_dtype()
    torch.testing.assert_close(q, torch.tensor([[0.7, 0.15, 0.15], [0.15, 0.15, 0.7]]))


@settings(max_examples=60, deadline=None)
@given(k=st.integers(2, 10), fraction=st.floats(0.0, 1.0), seed=st.integers(0, 2**16))
def test_parity_with_torch_label_smoothing(k, fraction, seed):
    epsilon = fraction * (k - 1) / k
    generator = torch.Generator().manual_seed(seed)
    logits = 3 * torch.randn(16, k, generator=generator, dtype=torch.float64)
    y = torch.randint(0, k, (16,), generator=generator)
    ours = smoothed_cross_entropy(logits, y, epsilon, reduction="none")
    theirs = F.cross_entropy(logits, y, reduction="none",
                             label_smoothing=torch_label_smoothing(epsilon, k))
    torch.testing.assert_close(ours, theirs, atol=1e-6, rtol=0)


def test_torch_target_distribution_matches_the_book_after_conversion():
    k, epsilon = 5, 0.2
    eps_t = torch_label_smoothing(epsilon, k)
    torch_target = (1 - eps_t) * np.eye(k)[[3]] + eps_t / k
    np.testing.assert_allclose(torch_target, smooth_labels([3], k, epsilon), atol=1e-12)


def test_conversions_are_inverse():
    assert torch_label_smoothing(0.09, 10) == pytest.approx(0.1)
    assert epsilon_from_torch(0.1, 10) == pytest.approx(0.09)
    for k in (2, 3, 10):
        for eps_t in (0.0, 0.05, 0.5, 1.0):
            assert torch_label_smoothing(epsilon_from_torch(eps_t, k), k) == pytest.approx(eps_t)
    assert torch_label_smoothing(0.5, 2) == 1.0


def test_zero_epsilon_is_plain_cross_entropy_and_reductions_agree():
    logits = torch.randn(8, 4, generator=torch.Generator().manual_seed(0))
    y = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
    torch.testing.assert_close(smoothed_cross_entropy(logits, y, 0.0), F.cross_entropy(logits, y))
    per_sample = smoothed_cross_entropy(logits, y, 0.1, reduction="none")
    torch.testing.assert_close(smoothed_cross_entropy(logits, y, 0.1, reduction="sum"),
                               per_sample.sum())
    torch.testing.assert_close(smoothed_cross_entropy(logits, y, 0.1), per_sample.mean())


def test_smoothing_penalises_overconfident_logits():
    y = torch.tensor([0])
    confident, moderate = torch.tensor([[20.0, 0.0, 0.0]]), torch.tensor([[3.0, 0.0, 0.0]])
    assert smoothed_cross_entropy(confident, y, 0.0) < smoothed_cross_entropy(moderate, y, 0.0)
    assert smoothed_cross_entropy(confident, y, 0.2) > smoothed_cross_entropy(moderate, y, 0.2)


def test_gradient_flows_to_logits():
    logits = torch.zeros(2, 3, requires_grad=True)
    smoothed_cross_entropy(logits, torch.tensor([0, 1]), 0.1).backward()
    assert logits.grad is not None and torch.all(torch.isfinite(logits.grad))


def test_ece_is_zero_for_calibrated_predictions():
    # Confidence 0.75 in every row and exactly 3 of every 4 rows correct.
    probs = np.tile([[0.75, 0.25]], (8, 1))
    y = np.array([0, 0, 0, 1] * 2)
    assert expected_calibration_error(probs, y) == pytest.approx(0.0)


def test_ece_measures_overconfidence():
    probs = np.array([[0.95, 0.05]] * 10)
    y = np.array([0] * 6 + [1] * 4)
    assert expected_calibration_error(probs, y, n_bins=10) == pytest.approx(0.35)


def test_reliability_curve_bins_by_max_probability():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(200, 4)) * 3
    probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    y = rng.integers(0, 4, size=200)
    confidence, acc, counts = reliability_curve(probs, y, n_bins=10)
    assert counts.sum() == 200 and counts.shape == (10,)
    edges = np.linspace(0, 1, 11)
    filled = counts > 0
    assert np.all(confidence[filled] > edges[:-1][filled])
    assert np.all(confidence[filled] <= edges[1:][filled])
    assert np.all(np.isnan(acc[~filled]))
    one_bin = reliability_curve(probs, y, n_bins=1)
    assert expected_calibration_error(probs, y, n_bins=1) == pytest.approx(
        abs(one_bin.accuracy[0] - one_bin.confidence[0]))
    assert 0.0 <= expected_calibration_error(probs, y) <= 1.0


@pytest.mark.parametrize("epsilon", [-0.1, 1.0, 1.5, float("nan")])
def test_bad_epsilon_is_rejected(epsilon):
    with pytest.raises(ValueError, match="epsilon"):
        smooth_labels([0, 1], 2, epsilon)
    with pytest.raises(ValueError, match="epsilon"):
        smoothed_cross_entropy(torch.zeros(2, 2), torch.tensor([0, 1]), epsilon)


@pytest.mark.parametrize("y, bad", [([0, 3], "3"), ([-1, 0], "-1")])
def test_labels_out_of_range_are_rejected(y, bad):
    with pytest.raises(ValueError, match=rf"y must contain class labels in \[0, 3\), got {bad}"):
        smooth_labels(y, 3, 0.1)
    with pytest.raises(ValueError, match="y must contain class labels"):
        smoothed_cross_entropy(torch.zeros(2, 3), torch.tensor(y), 0.1)


def test_other_bad_inputs_are_rejected():
    with pytest.raises(ValueError, match="num_classes"):
        smooth_labels([0], 1, 0.1)
    with pytest.raises(ValueError, match="integer class labels"):
        smooth_labels([0.5, 1.0], 3, 0.1)
    with pytest.raises(ValueError, match=r"epsilon must be in \[0.0, 0.5\]"):
        torch_label_smoothing(0.6, 2)
    with pytest.raises(ValueError, match="label_smoothing"):
        epsilon_from_torch(1.2, 3)
    with pytest.raises(ValueError, match="probs"):
        expected_calibration_error([[0.7, 0.7]], [0])
    with pytest.raises(ValueError, match="n_bins"):
        reliability_curve([[0.7, 0.3]], [0], n_bins=0)
    with pytest.raises(ValueError, match="reduction"):
        smoothed_cross_entropy(torch.zeros(1, 2), torch.tensor([0]), 0.1, reduction="avg")


def test_float64_logits_keep_double_precision_parity_with_torch():
    import torch
    import torch.nn.functional as F

    from regbook.smoothing import smoothed_cross_entropy, torch_label_smoothing

    generator = torch.Generator().manual_seed(0)
    logits = torch.randn(6, 10, dtype=torch.float64, generator=generator)
    y = torch.randint(0, 10, (6,), generator=generator)
    ours = smoothed_cross_entropy(logits, y, 0.1)
    theirs = F.cross_entropy(logits, y, label_smoothing=torch_label_smoothing(0.1, 10))
    assert ours.dtype == torch.float64
    assert abs(float(ours - theirs)) < 1e-12


def test_confidence_on_a_bin_edge_goes_into_the_bin_it_closes():
    from regbook.smoothing import reliability_curve
    probs = np.array([[0.3, 0.2, 0.2, 0.1, 0.1, 0.1]])
    curve = reliability_curve(probs, [0], n_bins=10)
    assert curve.counts[2] == 1 and curve.counts.sum() == 1


def test_smooth_labels_names_inf_and_nan_labels():
    for bad in (np.inf, np.nan):
        with pytest.raises(ValueError, match="y must hold integer class labels, got non-integer"):
            smooth_labels(np.array([0.0, bad]), num_classes=2, epsilon=0.1)


def test_smoothed_cross_entropy_rejects_float_labels_from_numpy():
    from regbook.smoothing import smoothed_cross_entropy

    with pytest.raises(ValueError, match="y must hold integer class labels"):
        smoothed_cross_entropy(torch.zeros(2, 3), np.array(["a", "b"]), 0.1)
