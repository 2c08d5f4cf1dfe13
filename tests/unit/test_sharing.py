"""Behaviour of parameter sharing, ``regbook.sharing``."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from torch import nn

from regbook.sharing import (MODEL_KINDS, LocallyConnected2d, conv2d_parameter_count,
                             conv_output_size, count_parameters, dense_parameter_count,
                             digits_images, digits_model, equivariance_error,
                             locally_connected_parameter_count, shift, shifted_accuracy,
                             train_digits_model)


def seeded_conv(*args, seed=0, **kwargs):
    torch.manual_seed(seed)
    return nn.Conv2d(*args, **kwargs).double()


def images(n=3, channels=1, size=8, seed=0):
    return torch.rand(n, channels, size, size, generator=torch.Generator().manual_seed(seed),
                      dtype=torch.float64)


@pytest.mark.parametrize("c_in, c_out, size, k, stride, padding", [
    (1, 4, 8, 3, 1, 1), (3, 2, 9, 3, 2, 1), (2, 5, 7, 5, 1, 0), (1, 1, 6, 1, 1, 0)])
def test_locally_connected_equals_the_conv_when_every_position_has_its_filter(
        c_in, c_out, size, k, stride, padding):
    conv = seeded_conv(c_in, c_out, k, stride=stride, padding=padding)
    local = LocallyConnected2d.from_conv(conv, size)
    x = images(channels=c_in, size=size)
    torch.testing.assert_close(local(x), conv(x), rtol=0, atol=1e-12)


def test_locally_connected_differs_from_the_conv_once_one_position_changes():
    conv = seeded_conv(1, 2, 3, padding=1)
    local = LocallyConnected2d.from_conv(conv, 8)
    with torch.no_grad():
        local.weight[10] += 1.0
    x = images()
    difference = (local(x) - conv(x)).abs().flatten(2).amax(dim=(0, 1))
    assert difference[10] > 0.1
    assert torch.count_nonzero(difference > 1e-12) == 1


def test_locally_connected_without_bias_and_its_gradients():
    layer = LocallyConnected2d(2, 3, (6, 5), 3, bias=False)
    assert layer.bias is None and layer.output_size == (4, 3)
    out = layer(torch.rand(4, 2, 6, 5))
    out.sum().backward()
    assert out.shape == (4, 3, 4, 3) and layer.weight.grad.shape == layer.weight.shape


@pytest.mark.parametrize("module, formula", [
    (nn.Conv2d(3, 64, 3), conv2d_parameter_count(3, 64, 3)),
    (nn.Conv2d(16, 8, 5, bias=False), conv2d_parameter_count(16, 8, 5, bias=False)),
    (nn.Conv2d(2, 4, (3, 5)), conv2d_parameter_count(2, 4, (3, 5))),
    (nn.Linear(3 * 6 * 6, 2 * 4 * 4), dense_parameter_count((3, 6, 6), (2, 4, 4))),
    (nn.Linear(64, 10, bias=False), dense_parameter_count((64,), (10,), bias=False)),
    (LocallyConnected2d(1, 8, 8, 3, padding=1), locally_connected_parameter_count(1, 8, 8, 3,
                                                                                   padding=1)),
    (LocallyConnected2d(3, 2, (9, 7), 3, stride=2),
     locally_connected_parameter_count(3, 2, (9, 7), 3, stride=2)),
    (LocallyConnected2d(2, 2, 5, 3, bias=False),
     locally_connected_parameter_count(2, 2, 5, 3, bias=False)),
])
def test_formulas_equal_the_parameter_count_of_real_modules(module, formula):
    assert count_parameters(module) == sum(p.numel() for p in module.parameters()) == formula


def test_count_parameters_can_skip_frozen_parameters():
    model = nn.Sequential(nn.Linear(4, 3), nn.Linear(3, 2))
    model[0].weight.requires_grad_(False)
    assert count_parameters(model) == 23 and count_parameters(model, trainable_only=True) == 11


@given(size=st.integers(3, 20), k=st.integers(1, 3), stride=st.integers(1, 3),
       padding=st.integers(0, 2))
@settings(max_examples=40, deadline=None)
def test_conv_output_size_matches_torch(size, k, stride, padding):
    out = nn.Conv2d(1, 1, k, stride=stride, padding=padding)(torch.zeros(1, 1, size, size))
    assert conv_output_size(size, k, stride, padding) == out.shape[-1]


@given(dx=st.integers(-9, 9), dy=st.integers(-9, 9))
@settings(max_examples=40, deadline=None)
def test_circular_padding_conv_is_exactly_equivariant_for_every_shift(dx, dy):
    conv = seeded_conv(2, 3, 3, padding=1, padding_mode="circular")
    x = images(channels=2)
    assert equivariance_error(conv, x, dx, dy, mode="circular") < 1e-12


def test_zero_padding_breaks_equivariance_only_near_the_border():
    conv = seeded_conv(1, 2, 3, padding=1)
    x = images(size=12)
    assert equivariance_error(conv, x, 2, mode="zero") > 0.1
    assert equivariance_error(conv, x, 2, mode="zero", margin=3) < 1e-12


def test_stride_keeps_equivariance_only_for_multiples_of_the_stride():
    conv = seeded_conv(1, 2, 3, stride=2, padding=1, padding_mode="circular")
    x = images()
    assert equivariance_error(conv, x, 2, output_shift=(1, 0)) < 1e-12
    assert min(equivariance_error(conv, x, 1, output_shift=(s, 0)) for s in (0, 1)) > 0.1


def test_shift_moves_pixels_and_fills_with_zeros_or_wraps():
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(shift(x, dx=-1)[:, :3], x[:, 1:])
    assert np.all(shift(x, dx=-1)[:, 3] == 0)
    np.testing.assert_array_equal(shift(x, dy=1, mode="circular"), np.roll(x, 1, axis=0))
    assert np.all(shift(x, dx=5) == 0)
    t = torch.arange(12.0).reshape(1, 3, 4)
    torch.testing.assert_close(shift(t, 1, 1), torch.as_tensor(shift(t.numpy(), 1, 1)))
    torch.testing.assert_close(shift(shift(t, 2, mode="circular"), -2, mode="circular"), t)


def test_digits_models_differ_only_in_their_first_layer():
    counts = {kind: count_parameters(digits_model(kind)) for kind in MODEL_KINDS}
    head = 8 * 16 * 10 + 10
    assert counts["conv"] == head + conv2d_parameter_count(1, 8, 3)
    assert counts["local"] == head + locally_connected_parameter_count(1, 8, 8, 3, padding=1)
    assert counts["dense"] == head + dense_parameter_count((1, 8, 8), (8, 8, 8))
    x = digits_images()[1][:5]
    assert all(digits_model(kind)(x).shape == (5, 10) for kind in MODEL_KINDS)
    torch.testing.assert_close(digits_model("conv", seed=3)(x), digits_model("conv", seed=3)(x))


def test_training_is_seeded_and_learns():
    first = train_digits_model("conv", 100, seed=1, epochs=15)
    second = train_digits_model.__wrapped__("conv", 100, seed=1, epochs=15)
    _, X_test, _, y_test = digits_images()
    accuracy = shifted_accuracy(first.model, X_test, y_test)
    assert accuracy == shifted_accuracy(second.model, X_test, y_test) > 0.5
    assert len(first.accuracy_curve) == 15


@pytest.mark.parametrize("call, error, match", [
    (lambda: LocallyConnected2d(0, 1, 8, 3), ValueError, "in_channels must be in"),
    (lambda: LocallyConnected2d(1, 1, 8, 3.0), TypeError, "kernel_size must be an integer"),
    (lambda: LocallyConnected2d(1, 1, (8, 8, 8), 3), ValueError, "input_size must be an int or"),
    (lambda: LocallyConnected2d(1, 1, 4, 7), ValueError, "kernel_size must be at most"),
    (lambda: LocallyConnected2d(1, 1, 8, 3, padding=-1), ValueError, "padding must be in"),
    (lambda: LocallyConnected2d(1, 1, 8, 3)(torch.zeros(1, 1, 7, 8)), ValueError,
     r"x must have shape \(N, 1, 8, 8\), got \(1, 1, 7, 8\)"),
    (lambda: LocallyConnected2d.from_conv(nn.Linear(2, 2), 8), TypeError, "conv must be"),
    (lambda: LocallyConnected2d.from_conv(nn.Conv2d(1, 1, 3, padding_mode="circular"), 8),
     ValueError, "conv must have groups=1"),
    (lambda: count_parameters([1, 2]), TypeError, "module must be a torch.nn.Module"),
    (lambda: conv2d_parameter_count(True, 2, 3), TypeError, "in_channels must be an integer"),
    (lambda: dense_parameter_count((), (3,)), ValueError, "in_shape must be a non-empty tuple"),
    (lambda: conv_output_size(8, 3, stride=0), ValueError, "stride must be in"),
    (lambda: shift(np.zeros((3, 3)), dx=1.5), TypeError, "dx must be an integer"),
    (lambda: shift(np.zeros((3, 3)), mode="reflect"), ValueError, "mode must be one of"),
    (lambda: shift(np.zeros(3)), ValueError, "x must have at least 2 dimensions"),
    (lambda: shift([[0.0]]), TypeError, "x must be a torch.Tensor or a numpy array"),
    (lambda: equivariance_error(nn.ReLU(), torch.zeros(3, 3)), ValueError, "x must be a 4-D"),
    (lambda: equivariance_error(nn.ReLU(), torch.zeros(1, 1, 4, 4), margin=2), ValueError,
     "margin must be below"),
    (lambda: equivariance_error("conv", torch.zeros(1, 1, 4, 4)), TypeError, "f must be"),
    (lambda: digits_model("rnn"), ValueError, "kind must be one of"),
    (lambda: train_digits_model("conv", 5000), ValueError, "n_train must be in"),
])
def test_bad_input_errors_name_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()


def test_shifted_accuracy_checks_labels_and_images():
    from regbook.sharing import digits_model, shifted_accuracy

    model = digits_model("conv", channels=2, seed=0)
    X = np.zeros((3, 1, 8, 8))
    with pytest.raises(ValueError, match=r"y must hold class labels in \[0, 10\)"):
        shifted_accuracy(model, X, np.array([0, 1, 12]))
    with pytest.raises(ValueError, match="y must hold one integer class label per image"):
        shifted_accuracy(model, X, np.array([0, 1]))
    with pytest.raises(ValueError, match="X must be a 4-D array"):
        shifted_accuracy(model, np.zeros((3, 8, 8)), np.array([0, 1, 2]))
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        shifted_accuracy("conv", X, np.array([0, 1, 2]))


def test_equivariance_error_rejects_nan_and_empty_inputs():
    from regbook.sharing import equivariance_error

    with pytest.raises(ValueError, match="x must contain only finite values"):
        equivariance_error(lambda x: x, torch.full((1, 1, 4, 4), float("nan")))
    with pytest.raises(ValueError, match="x must not be empty"):
        equivariance_error(lambda x: x, torch.zeros(0, 1, 4, 4))
