"""Behaviour of loss-landscape probes, ``regbook.landscape``."""

import copy
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.func import functional_call

from regbook.landscape import (SharpnessRecorder, epsilon_sharpness, filter_normalized_direction,
                               hessian_trace, hessian_vector_product, interpolate_loss,
                               loss_slice_1d, loss_slice_2d, parameters_of, random_direction,
                               rescale_relu_layers, sam_step, top_hessian_eigenvalue,
                               train_to_loss)
from regbook.training import mlp, one_torch_thread, train


@pytest.fixture(autouse=True)
def single_thread():
    """These problems are tiny: a second torch thread only waits for a busy core."""
    with one_torch_thread():
        yield


@pytest.fixture(scope="module")
def problem():
    """A 10-20-4 ReLU network (304 parameters) in float64, briefly trained, and its data."""
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(80, 10, generator=generator, dtype=torch.float64)
    y = (X[:, :4].argmax(dim=1) + (X[:, 4] > 1).long()) % 4
    model = mlp(10, [20], 4, seed=0)
    with one_torch_thread():
        train(model, X.float(), y, lr=0.5, batch_size=None, epochs=30, progress=False)
    return model.double(), X, y


def exact_hessian(model, loss, X, y):
    names = [name for name, _ in model.named_parameters()]
    shapes = [p.shape for p in model.parameters()]
    sizes = [p.numel() for p in model.parameters()]
    flat = torch.cat([p.detach().reshape(-1) for p in model.parameters()])

    def objective(vector):
        pieces = torch.split(vector, sizes)
        params = {n: piece.reshape(s) for n, piece, s in zip(names, pieces, shapes)}
        return loss(functional_call(model, params, (X,)), y)

    return torch.autograd.functional.hessian(objective, flat)


def flatten(tensors):
    return torch.cat([t.reshape(-1) for t in tensors])


def test_top_eigenvalue_matches_the_exact_hessian(problem):
    model, X, y = problem
    assert sum(p.numel() for p in model.parameters()) == 304
    eigenvalues = torch.linalg.eigvalsh(exact_hessian(model, F.cross_entropy, X, y))
    largest_magnitude = eigenvalues[eigenvalues.abs().argmax()]
    assert largest_magnitude == eigenvalues.max()  # near a minimum the top one dominates
    estimate = top_hessian_eigenvalue(model, F.cross_entropy, X, y, iterations=300, seed=1)
    assert estimate == pytest.approx(float(eigenvalues.max()), rel=1e-6)


def test_hessian_vector_product_matches_the_exact_hessian(problem):
    model, X, y = problem
    vector = random_direction(model, seed=3)
    product = hessian_vector_product(model, F.cross_entropy, X, y, vector)
    exact = exact_hessian(model, F.cross_entropy, X, y) @ flatten(vector)
    torch.testing.assert_close(flatten(product), exact, rtol=1e-9, atol=1e-12)


def test_trace_is_within_its_standard_error_of_the_exact_trace(problem):
    model, X, y = problem
    exact = float(torch.trace(exact_hessian(model, F.cross_entropy, X, y)))
    estimate = hessian_trace(model, F.cross_entropy, X, y, n_probes=200, seed=0)
    assert estimate.n_probes == 200 and estimate.standard_error > 0
    assert abs(estimate.trace - exact) < 4 * estimate.standard_error, (estimate, exact)
    # The standard error itself is honest: over independent estimates, |z| is rarely large.
    z = [(hessian_trace(model, F.cross_entropy, X, y, n_probes=20, seed=s).trace - exact)
         for s in range(1, 6)]
    assert np.std(z) < 3 * estimate.standard_error * math.sqrt(200 / 20)


def test_trace_of_a_diagonal_quadratic_is_exact_with_rademacher_probes():
    model = nn.Linear(3, 1, bias=False).double()
    X = torch.diag(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
    estimate = hessian_trace(model, F.mse_loss, X, torch.zeros(3, 1, dtype=torch.float64),
                             n_probes=5, seed=0)
    assert estimate.trace == pytest.approx(2 * (1 + 4 + 9) / 3)
    assert estimate.standard_error == pytest.approx(0.0, abs=1e-12)


def test_l2_penalty_adds_two_alpha_to_every_eigenvalue_of_a_quadratic():
    generator = torch.Generator().manual_seed(0)
    X = torch.randn(30, 5, generator=generator, dtype=torch.float64)
    target = torch.randn(30, 1, generator=generator, dtype=torch.float64)
    alpha = 0.3

    def objective(w, penalty):
        return F.mse_loss(X @ w[:, None], target) + penalty * w.pow(2).sum()

    w0 = torch.zeros(5, dtype=torch.float64)
    plain = torch.linalg.eigvalsh(torch.autograd.functional.hessian(lambda w: objective(w, 0.0), w0))
    shifted = torch.linalg.eigvalsh(
        torch.autograd.functional.hessian(lambda w: objective(w, alpha), w0))
    torch.testing.assert_close(shifted - plain, torch.full_like(plain, 2 * alpha))
    model = nn.Linear(5, 1, bias=False).double()

    def penalised(outputs, y):
        return F.mse_loss(outputs, y) + alpha * model.weight.pow(2).sum()

    top_plain = top_hessian_eigenvalue(model, F.mse_loss, X, target, iterations=200)
    top_shifted = top_hessian_eigenvalue(model, penalised, X, target, iterations=200)
    assert top_plain == pytest.approx(float(plain.max()), rel=1e-8)
    assert top_shifted - top_plain == pytest.approx(2 * alpha, rel=1e-6)


def test_epsilon_sharpness_finds_the_corner_of_the_box():
    model = nn.Linear(2, 1, bias=False).double()
    with torch.no_grad():
        model.weight.zero_()
    X = torch.diag(torch.tensor([2.0, 1.0], dtype=torch.float64))
    y = torch.zeros(2, 1, dtype=torch.float64)
    # L(δ) = (4δ₁² + δ₂²)/2 is largest at a corner |δᵢ| = ε(|0| + 1): 2.5ε².
    value = epsilon_sharpness(model, F.mse_loss, X, y, epsilon=0.1, steps=10, seed=0)
    assert value == pytest.approx(100 * 2.5 * 0.01)


def test_epsilon_sharpness_is_larger_for_a_sharper_quadratic():
    X = torch.eye(2, dtype=torch.float64)
    y = torch.zeros(2, 1, dtype=torch.float64)
    model = nn.Linear(2, 1, bias=False).double()
    with torch.no_grad():
        model.weight.zero_()
    flat = epsilon_sharpness(model, F.mse_loss, X, y, epsilon=0.05)
    assert epsilon_sharpness(model, F.mse_loss, 3 * X, y, epsilon=0.05) > 5 * flat


def test_filter_normalised_direction_matches_each_filter_and_zeroes_biases():
    model = nn.Sequential(nn.Conv2d(1, 4, 3), nn.BatchNorm2d(4), nn.ReLU(), nn.Flatten(),
                          nn.Linear(4 * 6 * 6, 5))
    direction = filter_normalized_direction(model, seed=0)
    params = list(model.parameters())
    assert [d.shape for d in direction] == [p.shape for p in params]
    for d, p in zip(direction, params):
        if p.ndim == 1:  # conv and linear biases, batch-norm scale and shift
            assert torch.count_nonzero(d) == 0
        else:
            torch.testing.assert_close(d.reshape(len(d), -1).norm(dim=1),
                                       p.detach().reshape(len(p), -1).norm(dim=1))
            assert not torch.allclose(d, p.detach())  # a random direction, not the weights
    again = filter_normalized_direction(model, seed=0)
    other = filter_normalized_direction(model, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(direction, again))
    assert not torch.equal(direction[0], other[0])


def test_rescaling_keeps_every_output_and_changes_the_top_eigenvalue(problem):
    model, X, y = problem
    eigenvalues = {}
    for alpha in (0.1, 1.0, 10.0):
        rescaled = rescale_relu_layers(model, alpha)
        torch.testing.assert_close(rescaled(X), model(X), rtol=1e-10, atol=1e-12)
        eigenvalues[alpha] = top_hessian_eigenvalue(rescaled, F.cross_entropy, X, y,
                                                    iterations=200)
    assert eigenvalues[10.0] > 10 * eigenvalues[1.0]
    assert eigenvalues[0.1] > 10 * eigenvalues[1.0]
    assert torch.equal(model[0].weight, problem[0][0].weight)  # the original is untouched


def test_filter_normalised_slices_agree_after_rescaling_and_raw_ones_do_not(problem):
    model, X, y = problem
    rescaled = rescale_relu_layers(model, 10.0)
    steps = np.linspace(-1, 1, 5)
    normalised = [loss_slice_1d(m, F.cross_entropy, X, y, filter_normalized_direction(m, 4), steps)
                  for m in (model, rescaled)]
    np.testing.assert_allclose(normalised[0], normalised[1], rtol=1e-9)
    raw = [loss_slice_1d(m, F.cross_entropy, X, y, random_direction(m, 4), steps)
           for m in (model, rescaled)]
    assert np.max(np.abs(raw[0] - raw[1])) > 0.1


def test_slices_and_interpolation_hit_the_right_points(problem):
    model, X, y = problem
    centre = float(F.cross_entropy(model(X), y).detach())
    d1, d2 = filter_normalized_direction(model, 0), filter_normalized_direction(model, 1)
    grid = loss_slice_2d(model, F.cross_entropy, X, y, (d1, d2), [-0.5, 0.0, 0.5], [0.0, 0.25])
    assert grid.shape == (2, 3)
    assert grid[0, 1] == pytest.approx(centre)
    moved = copy.deepcopy(model)
    with torch.no_grad():
        for p, a, b in zip(moved.parameters(), d1, d2):
            p.add_(0.5 * a + 0.25 * b)
    assert grid[1, 2] == pytest.approx(float(F.cross_entropy(moved(X), y).detach()))
    start, end = parameters_of(model), parameters_of(moved)
    line = interpolate_loss(model, F.cross_entropy, X, y, start, end, [0.0, 1.0])
    np.testing.assert_allclose(line, [centre, grid[1, 2]])


PROBES = {
    "top_hessian_eigenvalue": lambda m, X, y: top_hessian_eigenvalue(m, F.cross_entropy, X, y,
                                                                     iterations=3),
    "hessian_trace": lambda m, X, y: hessian_trace(m, F.cross_entropy, X, y, n_probes=3),
    "epsilon_sharpness": lambda m, X, y: epsilon_sharpness(m, F.cross_entropy, X, y, steps=3),
    "hessian_vector_product": lambda m, X, y: hessian_vector_product(
        m, F.cross_entropy, X, y, random_direction(m, 0)),
    "loss_slice_1d": lambda m, X, y: loss_slice_1d(m, F.cross_entropy, X, y,
                                                   random_direction(m, 0), [1.0, 2.0]),
    "loss_slice_2d": lambda m, X, y: loss_slice_2d(
        m, F.cross_entropy, X, y, (random_direction(m, 0), random_direction(m, 1)), [1.0], [2.0]),
    "interpolate_loss": lambda m, X, y: interpolate_loss(
        m, F.cross_entropy, X, y, random_direction(m, 0), random_direction(m, 1), [0.3]),
}


@pytest.mark.parametrize("probe", PROBES.values(), ids=PROBES)
def test_every_probe_restores_the_weights_and_the_mode(problem, probe):
    model, X, y = problem
    model = copy.deepcopy(model)
    model.train()
    before = [p.detach().clone() for p in model.parameters()]
    probe(model, X, y)
    assert model.training
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before))
    assert all(p.grad is None for p in model.parameters())


def test_weights_are_restored_when_the_loss_fails_midway(problem):
    model, X, y = problem
    model = copy.deepcopy(model)
    before = [p.detach().clone() for p in model.parameters()]
    calls = []

    def fails_on_second_call(outputs, target):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("boom")
        return F.cross_entropy(outputs, target)

    with pytest.raises(ValueError, match="boom"):
        loss_slice_1d(model, fails_on_second_call, X, y, random_direction(model, 0), [0.5, 1.0])
    assert all(torch.equal(p, b) for p, b in zip(model.parameters(), before))


def test_sam_with_zero_radius_is_the_plain_step_and_otherwise_uses_the_perturbed_gradient():
    X = torch.tensor([[1.0, 2.0], [0.5, -1.0]], dtype=torch.float64)
    y = torch.tensor([[1.0], [0.0]], dtype=torch.float64)
    plain, sam = nn.Linear(2, 1).double(), nn.Linear(2, 1).double()
    sam.load_state_dict(plain.state_dict())
    reference = copy.deepcopy(plain)
    optimizer = torch.optim.SGD(plain.parameters(), lr=0.1)
    F.mse_loss(plain(X), y).backward()
    optimizer.step()
    sam_step(sam, F.mse_loss, X, y, torch.optim.SGD(sam.parameters(), lr=0.1), rho=0.0)
    assert all(torch.allclose(a, b) for a, b in zip(plain.parameters(), sam.parameters()))

    rho = 0.2
    manual = copy.deepcopy(reference)
    grads = torch.autograd.grad(F.mse_loss(manual(X), y), list(manual.parameters()))
    norm = torch.sqrt(sum((g * g).sum() for g in grads))
    with torch.no_grad():
        for p, g in zip(manual.parameters(), grads):
            p.add_(rho * g / norm)
    perturbed = torch.autograd.grad(F.mse_loss(manual(X), y), list(manual.parameters()))
    expected = [p.detach() - 0.1 * g for p, g in zip(reference.parameters(), perturbed)]
    model = copy.deepcopy(reference)
    value = sam_step(model, F.mse_loss, X, y, torch.optim.SGD(model.parameters(), lr=0.1),
                     rho=rho)
    assert value == pytest.approx(F.mse_loss(reference(X), y).item())
    assert all(torch.allclose(p, e) for p, e in zip(model.parameters(), expected))


def test_train_to_loss_stops_at_the_first_epoch_below_the_threshold():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(64, 2))
    y = (X[:, 0] > 0).astype(int)
    history = train_to_loss(mlp(2, [8], 2, seed=0), X, y, threshold=0.3, lr=0.5,
                            batch_size=None, seed=0)
    assert history.train_loss[-1] <= 0.3 < min(history.train_loss[:-1])
    never = train_to_loss(mlp(2, [8], 2, seed=0), X, y, threshold=1e-9, lr=0.5,
                          batch_size=None, max_epochs=5)
    assert never.stopped_epoch is None and never.epochs_run == 5


def test_recording_sharpness_does_not_change_training():
    rng = np.random.default_rng(1)
    X = torch.tensor(rng.normal(size=(64, 3)), dtype=torch.float32)
    y = torch.tensor((rng.normal(size=64) > 0).astype(int))
    recorder = SharpnessRecorder(X, y, F.cross_entropy, every=2, iterations=5)
    with_recorder = train(mlp(3, [8], 2, seed=0), X, y, lr=0.3, batch_size=16, epochs=4,
                          callbacks=[recorder], progress=False)
    without = train(mlp(3, [8], 2, seed=0), X, y, lr=0.3, batch_size=16, epochs=4,
                    progress=False)
    assert with_recorder.train_loss == without.train_loss
    assert [epoch for epoch, _ in recorder.trajectory] == [1, 2, 4]


def linear_problem():
    model = nn.Linear(2, 1)
    return model, torch.zeros(4, 2), torch.zeros(4, 1)


@pytest.mark.parametrize("call, error, match", [
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X, y, iterations=0), ValueError,
     r"iterations must be in \[1, inf\), got 0"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X, y, iterations=2.5), TypeError,
     "iterations must be an integer, got 2.5"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X, y, iterations=True), TypeError,
     "iterations must be an integer, got True"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X, y, seed=-1), ValueError,
     r"seed must be in \[0, inf\), got -1"),
    (lambda m, X, y: top_hessian_eigenvalue(m, "mse", X, y), TypeError, "loss must be a callable"),
    (lambda m, X, y: top_hessian_eigenvalue("net", F.mse_loss, X, y), TypeError,
     "model must be a torch.nn.Module, got str"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X, y[:3]), ValueError,
     "X and y must have the same number of samples, got 4 and 3"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, X * np.nan, y), ValueError,
     "X must contain only finite values"),
    (lambda m, X, y: top_hessian_eigenvalue(m, lambda o, t: o - t, X, y), ValueError,
     "loss must return a scalar tensor"),
    (lambda m, X, y: hessian_trace(m, F.mse_loss, X, y, n_probes=1), ValueError,
     r"n_probes must be in \[2, inf\), got 1"),
    (lambda m, X, y: epsilon_sharpness(m, F.mse_loss, X, y, epsilon=0.0), ValueError,
     r"epsilon must be in \(0.0, inf\), got 0.0"),
    (lambda m, X, y: epsilon_sharpness(m, F.mse_loss, X, y, epsilon=float("nan")), ValueError,
     "epsilon must be a finite number, got nan"),
    (lambda m, X, y: epsilon_sharpness(m, F.mse_loss, X, y, steps=0), ValueError,
     r"steps must be in \[1, inf\), got 0"),
    (lambda m, X, y: filter_normalized_direction(m, seed=1.0), TypeError,
     "seed must be an integer, got 1.0"),
    (lambda m, X, y: filter_normalized_direction(nn.ReLU(), seed=0), ValueError,
     "model must have at least one parameter"),
    (lambda m, X, y: loss_slice_1d(m, F.mse_loss, X, y, [torch.zeros(1, 2)], [0.0]), ValueError,
     r"direction must hold one tensor per parameter \(2\), got 1"),
    (lambda m, X, y: loss_slice_1d(m, F.mse_loss, X, y, [torch.zeros(2, 1), torch.zeros(1)],
                                   [0.0]), ValueError, r"direction\[0\] must have shape \(1, 2\)"),
    (lambda m, X, y: loss_slice_1d(m, F.mse_loss, X, y, torch.zeros(1, 2), [0.0]), TypeError,
     "direction must be a sequence of tensors"),
    (lambda m, X, y: loss_slice_1d(m, F.mse_loss, X, y, random_direction(m, 0), [np.inf]),
     ValueError, "steps must contain only finite values"),
    (lambda m, X, y: loss_slice_2d(m, F.mse_loss, X, y, [random_direction(m, 0)], [0.0], [0.0]),
     ValueError, "directions must be a pair"),
    (lambda m, X, y: interpolate_loss(m, F.mse_loss, X, y, random_direction(m, 0),
                                      random_direction(m, 1), [[0.0]]), ValueError,
     "ts must be 1-dimensional"),
    (lambda m, X, y: rescale_relu_layers(mlp(2, [3], 1), 0.0), ValueError,
     r"alpha must be in \(0.0, inf\), got 0.0"),
    (lambda m, X, y: rescale_relu_layers(mlp(2, [3], 1), float("nan")), ValueError,
     "alpha must be a finite number, got nan"),
    (lambda m, X, y: rescale_relu_layers(mlp(2, [3], 1), 2.0, layer=1), ValueError,
     r"layer must be in \[0, 0\], got 1"),
    (lambda m, X, y: rescale_relu_layers(m, 2.0), TypeError, "model must be a torch.nn.Sequential"),
    (lambda m, X, y: rescale_relu_layers(nn.Sequential(nn.Linear(2, 2)), 2.0), ValueError,
     "at least two nn.Linear layers, got 1"),
    (lambda m, X, y: rescale_relu_layers(mlp(2, [3], 1, activation=nn.Tanh), 2.0), ValueError,
     "positively homogeneous .* got Tanh"),
    (lambda m, X, y: sam_step(m, F.mse_loss, X, y, torch.optim.SGD(m.parameters(), lr=0.1),
                              rho=-0.1), ValueError, r"rho must be in \[0.0, inf\), got -0.1"),
    (lambda m, X, y: sam_step(m, F.mse_loss, X, y, "sgd"), TypeError,
     "optimizer must be a torch.optim.Optimizer, got str"),
    (lambda m, X, y: train_to_loss(m, X, y, threshold=0.0, lr=0.1, batch_size=None), ValueError,
     r"threshold must be in \(0.0, inf\), got 0.0"),
    (lambda m, X, y: train_to_loss(m, X, y, threshold=0.1, lr=-1.0, batch_size=None), ValueError,
     r"lr must be in \(0.0, inf\), got -1.0"),
    (lambda m, X, y: SharpnessRecorder(X, y, F.mse_loss, every=0), ValueError,
     r"every must be in \[1, inf\), got 0"),
    (lambda m, X, y: SharpnessRecorder(X, y[:3], F.mse_loss), ValueError,
     "X and y must have the same number of samples, got 4 and 3"),
    (lambda m, X, y: SharpnessRecorder(X, y, F.mse_loss).on_epoch_end(1.0, None, m), TypeError,
     "epoch must be an integer, got 1.0"),
    (lambda m, X, y: top_hessian_eigenvalue(m, F.mse_loss, torch.zeros(4, 3), y), ValueError,
     r"X does not fit the model: samples of shape \(3,\)"),
    (lambda m, X, y: top_hessian_eigenvalue(mlp(2, [3], 2), F.cross_entropy, X,
                                            torch.tensor([0, 1, 2, -1])), ValueError,
     "y does not fit the loss"),
    (lambda m, X, y: train_to_loss(m, X, y, threshold=0.1, lr=0.1, batch_size=None,
                                   max_epochs=2.0), TypeError, "max_epochs must be an integer"),
    (lambda m, X, y: train_to_loss(m, X, y, threshold=0.1, lr=0.1, batch_size=None,
                                   callbacks=print), TypeError, "callbacks must be a list or tuple"),
])
def test_bad_input_is_named(call, error, match):
    model, X, y = linear_problem()
    with pytest.raises(error, match=match):
        call(model, X, y)
