"""Exercises for chapter 09, "Parameter sharing": references, test inputs and known mistakes."""

import torch
from torch import nn

from regbook.checks import Case, Exercise, Mistake


def conv2d_parameter_count(in_channels, out_channels, kernel_size, bias):
    """Reference: parameters of nn.Conv2d(in_channels, out_channels, kernel_size, bias=bias)."""
    return out_channels * in_channels * kernel_size**2 + (out_channels if bias else 0)


def _conv_case(c_in, c_out, k, bias):
    return Case(f"in_channels={c_in}, out_channels={c_out}, kernel_size={k}, bias={bias}",
                {"in_channels": c_in, "out_channels": c_out, "kernel_size": k, "bias": bias})


conv2d_parameter_count_exercise = Exercise(
    name="conv2d_parameter_count",
    reference=conv2d_parameter_count,
    cases=[_conv_case(2, 16, 3, True), _conv_case(3, 64, 3, True), _conv_case(16, 32, 5, False),
           _conv_case(64, 128, 1, True)],
    mistakes=[
        Mistake("forgot_in_channels",
                lambda in_channels, out_channels, kernel_size, bias:
                out_channels * kernel_size**2 + (out_channels if bias else 0),
                "each filter spans every input channel: it has in_channels × k × k weights, not "
                "k × k. On RGB a 3 × 3 filter has 27 weights."),
        Mistake("forgot_bias",
                lambda in_channels, out_channels, kernel_size, bias:
                out_channels * in_channels * kernel_size**2,
                "with bias=True every output channel also has one bias: add out_channels."),
        Mistake("kernel_not_squared",
                lambda in_channels, out_channels, kernel_size, bias:
                out_channels * in_channels * kernel_size + (out_channels if bias else 0),
                "a k × k window has k² weights per input channel, not k."),
        Mistake("bias_per_input_channel",
                lambda in_channels, out_channels, kernel_size, bias:
                out_channels * in_channels * (kernel_size**2 + (1 if bias else 0)),
                "there is one bias per output channel, not one per (output, input) channel "
                "pair: the filter's responses on all input channels are summed before the bias "
                "is added."),
    ],
    hints=[
        "Count one filter first: how many input channels does it read, over how big a window?",
        "One filter has in_channels · k² weights; there are out_channels filters, each with one "
        "bias when bias=True.",
        "out_channels * in_channels * kernel_size ** 2 + (out_channels if bias else 0).",
    ],
)


def locally_connected_parameter_count(in_channels, out_channels, input_size, kernel_size,
                                      padding):
    """Reference: parameters of a locally connected layer (stride 1, a filter and a bias per
    output channel and position), i.e. positions × (C_out·C_in·k² + C_out)."""
    output_size = input_size + 2 * padding - kernel_size + 1
    return output_size**2 * (out_channels * in_channels * kernel_size**2 + out_channels)


def _local_case(c_in, c_out, n, k, p):
    return Case(f"in_channels={c_in}, out_channels={c_out}, input_size={n}, kernel_size={k}, "
                f"padding={p}",
                {"in_channels": c_in, "out_channels": c_out, "input_size": n, "kernel_size": k,
                 "padding": p})


def _local_with(positions_of, per_position):
    def wrong(in_channels, out_channels, input_size, kernel_size, padding):
        return (positions_of(input_size, kernel_size, padding)
                * per_position(in_channels, out_channels, kernel_size))
    return wrong


def _output_positions(n, k, p):
    return (n + 2 * p - k + 1) ** 2


def _full_filter(c_in, c_out, k):
    return c_out * c_in * k**2 + c_out


locally_connected_parameter_count_exercise = Exercise(
    name="locally_connected_parameter_count",
    reference=locally_connected_parameter_count,
    cases=[_local_case(1, 8, 8, 3, 1), _local_case(3, 4, 10, 3, 0), _local_case(2, 5, 6, 5, 2)],
    mistakes=[
        Mistake("input_positions", _local_with(lambda n, k, p: n**2, _full_filter),
                "you counted the input positions. There is one filter per *output* position, "
                "and the output is n + 2p − k + 1 wide."),
        Mistake("shared_like_conv", _local_with(lambda n, k, p: 1, _full_filter),
                "that is the convolution's count: one filter shared by all positions. A locally "
                "connected layer has its own filter at every output position."),
        Mistake("shared_bias",
                lambda in_channels, out_channels, input_size, kernel_size, padding:
                _output_positions(input_size, kernel_size, padding)
                * out_channels * in_channels * kernel_size**2 + out_channels,
                "the bias is per position too in this layer: each output channel has one bias "
                "at every output position."),
        Mistake("dense",
                lambda in_channels, out_channels, input_size, kernel_size, padding:
                (in_channels * input_size**2 + 1) * out_channels
                * _output_positions(input_size, kernel_size, padding),
                "that is a dense layer: every output unit connected to every input pixel. A "
                "locally connected unit sees only its k × k window, on every input channel."),
    ],
    hints=[
        "Start from the convolution's count for one position, then ask how many positions "
        "have their own copy.",
        "The output is (n + 2p − k + 1) × (n + 2p − k + 1); each of those positions has "
        "C_out · C_in · k² weights and C_out biases.",
        "(input_size + 2 * padding - kernel_size + 1) ** 2 * (out_channels * in_channels * "
        "kernel_size ** 2 + out_channels).",
    ],
)


def circular_equivariance_error(layer, x, shift):
    """Reference: max |layer(roll(x)) − roll(layer(x))| for a horizontal circular shift."""
    with torch.no_grad():
        shifted_first = layer(torch.roll(x, shift, dims=-1))
        shifted_after = torch.roll(layer(x), shift, dims=-1)
    return float((shifted_first - shifted_after).abs().max())


def _invariance_not_equivariance(layer, x, shift):
    with torch.no_grad():
        return float((layer(torch.roll(x, shift, dims=-1)) - layer(x)).abs().max())


def _vertical_shift(layer, x, shift):
    with torch.no_grad():
        return float((layer(torch.roll(x, shift, dims=-2))
                      - torch.roll(layer(x), shift, dims=-2)).abs().max())


def _opposite_direction(layer, x, shift):
    with torch.no_grad():
        return float((layer(torch.roll(x, shift, dims=-1))
                      - torch.roll(layer(x), -shift, dims=-1)).abs().max())


def _mean_not_max(layer, x, shift):
    with torch.no_grad():
        return float((layer(torch.roll(x, shift, dims=-1))
                      - torch.roll(layer(x), shift, dims=-1)).abs().mean())


def _conv(seed, padding_mode, stride=1, channels=(1, 3)):
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Conv2d(*channels, 3, stride=stride, padding=1,
                         padding_mode=padding_mode).double()


def _image(seed, channels=1, size=8):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand(2, channels, size, size, generator=generator, dtype=torch.float64)


circular_equivariance_error_exercise = Exercise(
    name="circular_equivariance_error",
    reference=circular_equivariance_error,
    cases=[
        Case("a 3 × 3 conv with zero padding, random 8 × 8 images, shift 2",
             {"layer": _conv(0, "zeros"), "x": _image(0), "shift": 2}),
        Case("a 3 × 3 conv with circular padding, random 8 × 8 images, shift 3",
             {"layer": _conv(1, "circular"), "x": _image(1), "shift": 3}),
        Case("a 3 × 3 conv with circular padding and 2 input channels, random 10 × 10 images, "
             "shift −1", {"layer": _conv(2, "circular", channels=(2, 4)),
                          "x": _image(2, channels=2, size=10), "shift": -1}),
        Case("a ReLU (no weights at all), random 8 × 8 images, shift 1",
             {"layer": nn.ReLU(), "x": _image(3) - 0.5, "shift": 1}),
    ],
    mistakes=[
        Mistake("invariance_not_equivariance", _invariance_not_equivariance,
                "you compared layer(shift(x)) with layer(x). Equivariance says the output moves "
                "with the input: compare layer(shift(x)) with shift(layer(x))."),
        Mistake("vertical_shift", _vertical_shift,
                "you shifted along the rows (dims=-2). A horizontal shift moves the columns: "
                "roll along the last axis, dims=-1."),
        Mistake("opposite_direction", _opposite_direction,
                "you shifted the output the other way. Both shifts must be the same: roll by "
                "+shift on the input and on the output."),
        Mistake("mean_not_max", _mean_not_max,
                "you averaged the differences. The error asked for is the largest absolute "
                "difference (.abs().max()), so that one violation anywhere is visible."),
    ],
    hints=[
        "Compute the output twice: once shifting the input before the layer, once shifting "
        "the output after it.",
        "torch.roll(t, shift, dims=-1) shifts the columns circularly. Compare "
        "layer(torch.roll(x, shift, dims=-1)) with torch.roll(layer(x), shift, dims=-1).",
        "float((layer(torch.roll(x, shift, dims=-1)) - torch.roll(layer(x), shift, "
        "dims=-1)).abs().max()), inside torch.no_grad().",
    ],
)
