"""The walking test: every public name of every regbook module rejects bad input clearly.

The walk imports every module of ``regbook``, collects each public function, class and method
defined there, and needs a *valid call* for it in ``SPECS`` (or a reason in ``EXEMPT``). Each
argument of that valid call is then replaced, one at a time, by bad values chosen from the type
of its valid value (NaN or a string for a float, 2.5 or True for an integer, NaN inside an array,
an extra dimension, an empty array, float or negative labels, a non-callable for a callable, an
unknown option for a string, ...). A probe passes when the call raises ValueError or TypeError
and the message names the parameter. A new public function without a valid call fails
``test_every_public_name_has_a_valid_call``; one without validation fails the probes.

Run ``python tests/unit/test_public_api.py`` to print the share of probes that get a good error.
"""

import functools
import importlib
import inspect
import math
import pkgutil
import re
import sys
import types
from dataclasses import dataclass, field

import numpy as np
import pytest
import torch
from torch import nn

import regbook

# Public names without probes, each with its reason.
EXEMPT = {
    # Plain records that regbook builds and returns; they hold results, they do not take input.
    "regbook.bayes.GridPosterior": "result record returned by posterior_on_grid",
    "regbook.bias_variance.BiasVariance": "result record of bias_variance_decomposition",
    "regbook.bias_variance.BiasVarianceCurve": "result record of bias_variance_curve",
    "regbook.bias_variance.SemiSyntheticTask": "record built by make_diabetes_task (its "
                                               "draw_training_set checks rng itself)",
    "regbook.checks.CheckResult": "result record of Exercise.check",
    "regbook.checks.HintsHTML": "str subclass for display of Exercise.hints_html",
    "regbook.checks.SolutionSource": "str subclass for display of Exercise.solution",
    "regbook.early_stopping.StoppingPoint": "result record of stopping_point",
    "regbook.model_selection.CVCurve": "result record of cross_validation_curve",
    "regbook.sharing.DigitsFit": "result record of the cached digits fits",
    "regbook.smoothing.ReliabilityCurve": "result record of reliability_curve",
    "regbook.source.SourceCode": "str subclass for display of show_source",
    "regbook.training.History": "result record of train",
    "regbook.landscape.TraceEstimate": "result record of hessian_trace",
    "regbook.glue.load_ipython_extension": "IPython's entry point: IPython calls it with its shell",
    "regbook.training.Callback": "a typing.Protocol: documents the callback interface only",
}
# Whole modules without probes.
# Reference solutions of the exercises (every module regbook.checks.<topic>): shown verbatim to
# learners as the solution, so they stay as short as a learner's answer; Exercise.check feeds
# them only its own valid cases.
EXEMPT_MODULE_PREFIXES = {"regbook.checks.": "reference solutions shown to learners"}
# A chapter explorer's draw, alt and helpers are called only by its own make_explorer and
# Explorer, with the module's constants; its compute is probed (SPECS below) with the values of
# the explorer's grid.
EXPLORER_PLUMBING = "explorer plumbing: called only by its make_explorer/Explorer"
# Explorers whose make_explorer trains or precomputes for seconds: too slow for this file's 30 s
# budget; tests/unit/test_explorers.py runs their compute over the whole grid.
SLOW_EXPLORERS = {"overfitting", "noise_injection", "label_smoothing", "dropout", "landscape",
                  "unifying_principle"}
# (name, parameter, probe) combinations where the "bad" value is in fact valid.
_TEXT = "the bad value is valid free text"
_ELEMENTWISE = "elementwise: any shape is valid"
_TORCH = "torch semantics: like nn.Dropout, a layer passes NaN and empty batches through"
VALID_PROBES = {
    ("regbook.landscape.SharpnessRecorder", "y", "float-labels"): "float targets are valid for a regression loss; the recorder takes any loss",
    ("regbook.glue.GlueRecorder.glued", "key", "unknown"): "a name not glued yet is valid: it gives a placeholder that a later glue fills in",
    ("regbook.explorers.lasso.compute", "angle", "float"): "the angle of the ellipse is any real number of degrees",
    **{(f"regbook.augment.text.{f}", "text", "unknown"): _TEXT
       for f in ("easy_data_augmentation", "random_deletion", "random_insertion", "random_swap",
                 "simulated_back_translation", "synonym_replacement")},
    **{(name, param, "unknown"): _TEXT for name, param in [
        ("regbook.checks.Case", "description"), ("regbook.checks.Exercise", "name"),
        ("regbook.checks.Mistake", "name"), ("regbook.checks.Mistake", "hint"),
        ("regbook.quiz.Quiz", "title"), ("regbook.quiz.Quiz", "key"),
        ("regbook.quiz.plain_text", "text"), ("regbook.quiz.show_quiz", "title"),
        ("regbook.explore.Param", "name"), ("regbook.explore.Param", "label"),
        ("regbook.explore.Explorer", "title")]},
    **{(f"regbook.augment.audio.{f}", "sample_rate", "float"): "a sample rate may be a float"
       for f in ("tone", "chirp", "dominant_frequency", "pitch_shift", "spectrogram")},
    ("regbook.datasets.true_curve", "x", "extra-dim"): _ELEMENTWISE,
    ("regbook.datasets.true_curve", "x", "empty"): _ELEMENTWISE,
    ("regbook.glue.GluedText", "text", "unknown"): _TEXT,
    ("regbook.augment.image.augment_dataset", "y", "float-labels"): "y may be any targets",
    ("regbook.augment.image.augment_dataset", "y", "negative"): "y may be any targets",
    ("regbook.ensembles.out_of_bag_mask", "indices", "empty"): "no draws: every row is out of bag",
    ("regbook.smoothing.smoothed_cross_entropy", "logits", "nan-inside"): "a loss follows "
        "F.cross_entropy: NaN logits give a NaN loss, which train records",
    ("regbook.training.predict_logits", "X", "extra-dim"): "any input shape the model takes is "
                                                           "valid (conv models take 4-D input)",
    ("regbook.training.predict_proba", "X", "extra-dim"): "any input shape the model takes",
    ("regbook.early_stopping.stopping_point", "scores", "nan-inside"): "NaN marks a diverged "
                                                                       "epoch (documented)",
    ("regbook.checks.Exercise.check", "answer", "not-callable"): "learner-facing: check returns "
                                                                 "feedback, it never raises",
    ("regbook.checks.Exercise", "then.answer", "not-callable"): "learner-facing feedback",
    ("regbook.dropout.dropout_variance", "h", "extra-dim"): _ELEMENTWISE,
    ("regbook.early_stopping.gradient_descent_shrinkage", "eigenvalues", "extra-dim"): _ELEMENTWISE,
    ("regbook.early_stopping.ridge_shrinkage", "eigenvalues", "extra-dim"): _ELEMENTWISE,
    ("regbook.noise.add_gaussian_noise", "X", "extra-dim"): _ELEMENTWISE,
    ("regbook.linear.soft_threshold", "z", "extra-dim"): _ELEMENTWISE,
    ("regbook.bayes.negative_log_posterior", "w", "extra-dim"): "a stack of weight vectors is "
                                                                 "valid (shape (m, d))",
    ("regbook.geometry.quadratic_loss", "w", "extra-dim"): "a stack of points is valid",
    **{(name, "x", probe): _TORCH for name in (
        "regbook.dropout.Dropout.forward", "regbook.dropout.OriginalDropout.forward",
        "regbook.noise.GaussianNoise.forward") for probe in ("empty", "extra-dim", "nan-inside")},
    **{("regbook.sharing.LocallyConnected2d.forward", "x", probe): _TORCH
       for probe in ("empty", "nan-inside")},
    **{("regbook.sharing.shift", "x", probe): "shift only moves values: any leading axes, "
       "empty and NaN are valid" for probe in ("empty", "extra-dim", "nan-inside")},
    **{(f"regbook.ensembles.BaggingClassifier{m}", f"{p}y", "negative"):
       "scikit-learn classifiers take any label values" for m, p in (("", "then."), (".fit", ""))},
}
# scikit-learn estimators keep scikit-learn's own messages for X and y (its contract and its
# check_estimator tests expect them), which do not always name the argument.
SKLEARN_DATA_ERRORS = ("Expected 2D array", "Found array with", "inconsistent numbers of samples",
                       "Unknown label type")


# ------------------------------------------------------------------------------ valid calls --

class Fixtures:
    """Small valid inputs, built fresh on every access so that no call can spoil another."""

    @property
    def X(self):
        return np.random.default_rng(0).normal(size=(20, 3))

    @property
    def y(self):
        X = self.X
        return X @ np.array([1.0, -1.0, 0.5]) + 0.1 * np.random.default_rng(1).normal(size=20)

    @property
    def labels(self):
        return np.arange(20) % 3

    @property
    def w(self):
        return np.array([0.1, -0.2, 0.3])

    @property
    def images(self):
        return np.random.default_rng(0).uniform(0, 16, size=(6, 8, 8))

    @property
    def image_labels(self):
        return np.arange(6) % 2

    @property
    def signal(self):
        from regbook.augment.audio import tone
        return tone(440.0, 0.1, 8000)

    @property
    def model(self):
        import copy
        return copy.deepcopy(_seeded_mlp())

    @property
    def Xt(self):
        return torch.tensor(self.X, dtype=torch.float32)

    @property
    def probs(self):
        p = np.random.default_rng(0).uniform(size=(20, 3))
        return p / p.sum(axis=1, keepdims=True)

    @property
    def logits(self):
        return torch.randn(20, 3, generator=torch.Generator().manual_seed(0))

    @property
    def A(self):
        return np.array([[2.0, 0.5], [0.5, 1.0]])

    @property
    def posterior(self):
        from regbook.bayes import GaussianPosterior
        return GaussianPosterior(np.array([1.0, -1.0, 0.5]), np.diag([0.1, 0.2, 0.3]))


F = Fixtures()


@dataclass
class Spec:
    """A valid call: ``kwargs(F)`` gives the arguments. For a class, ``then`` names a method
    called on the new instance with ``then_kwargs(F)`` (``fit`` for an estimator), so that
    validation done there counts. For a method, ``instance(F)`` builds the object."""

    kwargs: types.FunctionType
    then: str | None = None
    then_kwargs: types.FunctionType = field(default=lambda F: {})
    instance: types.FunctionType | None = None


def S(**kw):
    return kw


def _bagging_reg(F):
    from regbook.ensembles import BaggingRegressor
    return BaggingRegressor(n_estimators=3, random_state=0).fit(F.X, F.y)


def _bagging_clf(F):
    from regbook.ensembles import BaggingClassifier
    return BaggingClassifier(n_estimators=3, random_state=0).fit(F.X, F.labels)


@functools.lru_cache(maxsize=1)
def _diabetes_task():
    from regbook.bias_variance import make_diabetes_task
    return make_diabetes_task(n_train=20, n_eval=30)


def _exercise(F):
    from regbook.checks import Case, Exercise
    return Exercise("double", lambda x: 2 * x, [Case("one", {"x": 1.0})])


def _fig(F):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(1, 1))
    return fig


def _history(F):
    from regbook.training import History
    return History(train_loss=[1.0], val_loss=[1.0], lr=[0.1])


@functools.lru_cache(maxsize=1)
def _seeded_mlp():
    from regbook.training import mlp
    return mlp(3, [4], 3, seed=0)


@functools.lru_cache(maxsize=1)
def _cached_questions():
    from regbook.quiz import load_questions
    return load_questions("07_noise_injection", "misconceptions")


def _questions():
    import copy
    return copy.deepcopy(_cached_questions())


def _ce(logits, y):
    return torch.nn.functional.cross_entropy(logits, y)


def _sam_kwargs(F):
    model = F.model
    return S(model=model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels),
             optimizer=torch.optim.SGD(model.parameters(), lr=0.1), rho=0.05)


def _batch_gradient(W, batches):
    targets = np.array([0.0, 1.0, 2.0, 3.0])
    return W - targets[batches].mean(axis=1, keepdims=True)


def _glue_recorder():
    from regbook.glue import GLUE_PREFIX, GlueRecorder
    recorder = GlueRecorder()
    recorder({"msg_type": "display_data", "content": {
        "data": {GLUE_PREFIX + "text/plain": "0.5"},
        "metadata": {"scrapbook": {"name": "half", "mime_prefix": GLUE_PREFIX}}}})
    return recorder


def _toy_compute(a):
    return a


def _toy_draw(result, ax):
    ax.plot([0, 1], [0, result])


def _toy_alt(result, **values):
    return f"A line of slope {result}."


def _toy_explorer(F):
    from regbook.explore import Explorer, Param
    return Explorer(_toy_compute, _toy_draw, [Param("a", [1.0, 2.0])], alt=_toy_alt,
                    title="Toy", subplots=(1, 1), figsize=(2.0, 1.0), dpi=20)


SPECS = {
    # training
    "regbook.training.seed_everything": Spec(lambda F: S(seed=0)),
    "regbook.training.one_torch_thread": Spec(lambda F: S()),
    "regbook.training.resolve_device": Spec(lambda F: S(device="cpu")),
    "regbook.training.mlp": Spec(lambda F: S(in_features=3, hidden=[4], out_features=3, seed=0)),
    "regbook.training.predict_logits": Spec(lambda F: S(model=F.model, X=F.X, batch_size=7)),
    "regbook.training.predict_proba": Spec(lambda F: S(model=F.model, X=F.X, batch_size=7)),
    "regbook.training.accuracy": Spec(lambda F: S(model=F.model, X=F.X, y=F.labels,
                                                  batch_size=7)),
    "regbook.training.evaluate": Spec(lambda F: S(model=F.model, X=F.X, y=F.labels,
                                                  loss=torch.nn.functional.cross_entropy,
                                                  batch_size=7)),
    "regbook.training.train": Spec(lambda F: S(
        model=F.model, X=F.X, y=F.labels, X_val=F.X, y_val=F.labels,
        loss=torch.nn.functional.cross_entropy, lr=0.1, epochs=1, batch_size=8, seed=0,
        transform=lambda X, rng: X, callbacks=[lambda e, h, m: False], device="cpu",
        progress=False)),
    # polynomial, geometry, weight_decay
    "regbook.polynomial.polynomial_features": Spec(lambda F: S(X=F.X[:, :1], degree=3)),
    "regbook.polynomial.PolynomialRidge": Spec(lambda F: S(degree=3, alpha=0.1), then="fit",
                                               then_kwargs=lambda F: S(X=F.X[:, :1], y=F.y)),
    "regbook.polynomial.PolynomialRidge.predict": Spec(
        lambda F: S(X=F.X[:, :1]),
        instance=lambda F: __import__("regbook.polynomial").polynomial.PolynomialRidge(
            degree=3, alpha=0.1).fit(F.X[:, :1], F.y)),
    "regbook.polynomial.PolynomialRidge.fit": Spec(
        lambda F: S(X=F.X[:, :1], y=F.y),
        instance=lambda F: __import__("regbook.polynomial").polynomial.PolynomialRidge(
            degree=3, alpha=0.1)),
    "regbook.geometry.quadratic_loss": Spec(lambda F: S(A=F.A, w_star=np.array([1.0, 2.0]),
                                                        w=np.array([0.0, 0.5]))),
    "regbook.geometry.quadratic_loss_grid": Spec(lambda F: S(A=F.A, w_star=np.array([1.0, 2.0]),
                                                             extent=3.0, n=11)),
    "regbook.geometry.norm_ball": Spec(lambda F: S(radius=1.0, norm="l1", n=21)),
    "regbook.geometry.constrained_minimum": Spec(lambda F: S(A=F.A, w_star=np.array([1.0, 2.0]),
                                                             radius=1.0, norm="l2")),
    "regbook.weight_decay.ridge_alpha_from_mse_lambda": Spec(lambda F: S(lam=0.1, n_samples=20)),
    "regbook.weight_decay.ridge_alpha_from_half_alpha": Spec(lambda F: S(alpha=0.1,
                                                                         n_samples=20)),
    "regbook.weight_decay.ridge_alpha_from_torch_weight_decay": Spec(
        lambda F: S(weight_decay=0.1, n_samples=20)),
    "regbook.weight_decay.torch_weight_decay_from_ridge_alpha": Spec(
        lambda F: S(alpha=0.1, n_samples=20)),
    "regbook.weight_decay.ridge_alpha_from_elastic_net_alpha": Spec(
        lambda F: S(alpha=0.1, n_samples=20)),
    "regbook.weight_decay.lasso_alpha_from_mse_lambda": Spec(lambda F: S(lam=0.1)),
    "regbook.weight_decay.weight_decay_step": Spec(lambda F: S(w=F.w, grad=F.w, lr=0.1,
                                                               weight_decay=0.01)),
    "regbook.weight_decay.penalised_gradient_descent": Spec(lambda F: S(
        X=F.X, y=F.y, lr=0.05, weight_decay=0.01, num_steps=5, w0=F.w)),
    "regbook.weight_decay.ridge_alpha_from_mlp_alpha": Spec(
        lambda F: S(alpha=0.1, n_samples=20, batch_size=5)),
    "regbook.weight_decay.logistic_C_from_torch_weight_decay": Spec(
        lambda F: S(weight_decay=0.1, n_samples=20)),
    "regbook.weight_decay.adam_step": Spec(lambda F: S(
        w=F.w, grad=F.w, state={"step": 1, "m": np.zeros(3), "v": np.zeros(3)}, lr=0.01,
        betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    # model selection, bias-variance
    "regbook.model_selection.kfold_indices": Spec(lambda F: S(n_samples=20, n_splits=4, rng=0)),
    "regbook.model_selection.cross_validation_curve": Spec(lambda F: S(
        estimator=__import__("sklearn.linear_model").linear_model.Ridge(), X=F.X, y=F.y,
        alphas=np.array([0.1, 1.0]), n_splits=3, rng=0, param="alpha")),
    "regbook.model_selection.one_standard_error_rule": Spec(lambda F: S(
        alphas=np.array([0.1, 1.0, 10.0]), mean=np.array([1.0, 0.9, 1.2]),
        standard_error=np.array([0.1, 0.1, 0.1]))),
    "regbook.model_selection.elastic_net_parameters": Spec(lambda F: S(
        l1_penalty=0.1, l2_penalty=0.2, data_term="sum", n_samples=20)),
    "regbook.bias_variance.bias_variance_decomposition": Spec(lambda F: S(
        fit_predict=lambda x, y, xe: np.full(len(xe), float(np.mean(y))),
        draw_training_set=lambda rng: (rng.uniform(size=10), rng.normal(size=10)),
        x_eval=np.linspace(0, 1, 5), f_eval=np.zeros(5), noise=1.0, n_repeats=5, rng=0,
        n_bootstrap=5)),
    "regbook.bias_variance.bias_variance_curve": Spec(lambda F: S(
        fit_predict=lambda s, x, y, xe: np.full(len(xe), float(np.mean(y)) / (1 + s)),
        strengths=[0.0, 1.0],
        draw_training_set=lambda rng: (rng.uniform(size=10), rng.normal(size=10)),
        x_eval=np.linspace(0, 1, 5), f_eval=np.zeros(5), noise=1.0, n_repeats=5, rng=0,
        n_bootstrap=5, path=False)),
    "regbook.bias_variance.make_diabetes_task": Spec(lambda F: S(
        n_train=20, n_eval=30, truth_alpha=10.0, seed=0)),
    "regbook.bias_variance.measure_regularizers": Spec(lambda F: S(
        task=_diabetes_task(), names=["ridge"], n_repeats=3, rng=0, n_bootstrap=2)),
    # bayes
    "regbook.bayes.negative_log_posterior": Spec(lambda F: S(w=F.w, X=F.X, y=F.y, sigma=1.0,
                                                             prior="gaussian", scale=1.0)),
    "regbook.bayes.ridge_alpha_from_prior": Spec(lambda F: S(sigma=1.0, tau=2.0)),
    "regbook.bayes.lasso_alpha_from_prior": Spec(lambda F: S(sigma=1.0, b=0.5, n_samples=20)),
    "regbook.bayes.map_estimate": Spec(lambda F: S(X=F.X, y=F.y, sigma=1.0, prior="laplace",
                                                   scale=1.0, tol=1e-8, max_iter=100)),
    "regbook.bayes.GaussianPosterior": Spec(lambda F: S(mean=np.array([1.0, -1.0]),
                                                        covariance=np.diag([0.1, 0.2]))),
    "regbook.bayes.GaussianPosterior.credible_interval": Spec(lambda F: S(level=0.9),
                                                              instance=lambda F: F.posterior),
    "regbook.bayes.gaussian_posterior": Spec(lambda F: S(X=F.X, y=F.y, sigma=1.0, tau=1.0)),
    "regbook.bayes.predictive_distribution": Spec(lambda F: S(X_new=F.X, posterior=F.posterior,
                                                              sigma=1.0)),
    "regbook.bayes.posterior_samples": Spec(lambda F: S(posterior=F.posterior, n_samples=5,
                                                        rng=0)),
    "regbook.bayes.posterior_on_grid": Spec(lambda F: S(
        X=F.X[:, :2], y=F.y, sigma=1.0, prior="gaussian", scale=1.0,
        w1=np.linspace(-2, 2, 5), w2=np.linspace(-2, 2, 5))),
    # noise
    "regbook.noise.add_gaussian_noise": Spec(lambda F: S(X=F.X, sigma=0.1, rng=0)),
    "regbook.noise.gaussian_noise_transform": Spec(lambda F: S(sigma=0.1)),
    "regbook.noise.GaussianNoise": Spec(lambda F: S(sigma=0.1)),
    "regbook.noise.GaussianNoise.forward": Spec(
        lambda F: S(x=F.Xt), instance=lambda F: __import__("regbook.noise").noise.GaussianNoise(
            0.1)),
    "regbook.noise.expected_noisy_squared_error": Spec(lambda F: S(w=F.w, X=F.X, y=F.y,
                                                                   sigma=0.1)),
    "regbook.noise.monte_carlo_noisy_squared_error": Spec(lambda F: S(
        w=F.w, X=F.X, y=F.y, sigma=0.1, n_draws=10, rng=0)),
    "regbook.noise.equivalent_ridge_alpha": Spec(lambda F: S(n_samples=20, sigma=0.1)),
    "regbook.noise.noise_augmented_least_squares": Spec(lambda F: S(X=F.X, y=F.y, sigma=0.1,
                                                                    n_copies=2, rng=0)),
    # smoothing
    "regbook.smoothing.smooth_labels": Spec(lambda F: S(y=F.labels, num_classes=3, epsilon=0.1)),
    "regbook.smoothing.smoothed_cross_entropy": Spec(lambda F: S(
        logits=F.logits, y=torch.as_tensor(F.labels), epsilon=0.1, reduction="mean")),
    "regbook.smoothing.torch_label_smoothing": Spec(lambda F: S(epsilon=0.1, num_classes=3)),
    "regbook.smoothing.epsilon_from_torch": Spec(lambda F: S(label_smoothing=0.1,
                                                             num_classes=3)),
    "regbook.smoothing.reliability_curve": Spec(lambda F: S(probs=F.probs, y=F.labels,
                                                            n_bins=5)),
    "regbook.smoothing.expected_calibration_error": Spec(lambda F: S(probs=F.probs, y=F.labels,
                                                                     n_bins=5)),
    # datasets, plotting, quiz, source
    "regbook.datasets.load_bundled": Spec(lambda F: S(name="diabetes")),
    "regbook.datasets.true_curve": Spec(lambda F: S(x=np.linspace(0, 1, 5))),
    "regbook.datasets.make_noisy_curve": Spec(lambda F: S(n_samples=10, noise=0.3, rng=0)),
    "regbook.datasets.make_train_test_curves": Spec(lambda F: S(n_train=10, n_test=20,
                                                                noise=0.3, seed=0)),
    "regbook.plotting.use_book_style": Spec(lambda F: S()),
    "regbook.plotting.figure_to_png": Spec(lambda F: S(fig=_fig(F), dpi=20)),
    "regbook.quiz.load_questions": Spec(lambda F: S(chapter="07_noise_injection",
                                                    name="misconceptions")),
    "regbook.quiz.plain_text": Spec(lambda F: S(text="$x$ and **y**")),
    "regbook.quiz.Quiz": Spec(lambda F: S(
        questions=_questions(),
        title="Quiz", key="q07"), then="to_html"),
    "regbook.quiz.show_quiz": Spec(lambda F: S(chapter="07_noise_injection",
                                               name="misconceptions", title="Quiz")),
    "regbook.source.show_source": Spec(lambda F: S(obj=__import__("regbook.datasets").datasets
                                                   .true_curve, docstring=False)),
    # checks
    "regbook.checks.Case": Spec(lambda F: S(description="one", kwargs={"x": 1.0})),
    "regbook.checks.Mistake": Spec(lambda F: S(name="off by one", implementation=lambda x: x,
                                               hint="Look again.")),
    "regbook.checks.Exercise": Spec(lambda F: S(
        name="double", reference=lambda x: 2 * x,
        cases=[__import__("regbook.checks").checks.Case("one", {"x": 1.0})],
        mistakes=[], hints=["Multiply."], rtol=1e-6, atol=1e-9, time_limit=5.0),
        then="check", then_kwargs=lambda F: S(answer=lambda x: 2 * x)),
    "regbook.checks.Exercise.check": Spec(lambda F: S(answer=lambda x: 2 * x),
                                          instance=_exercise),
    # augment.image
    "regbook.augment.image.rotate": Spec(lambda F: S(X=F.images, degrees=10.0,
                                                     value_range=(0.0, 16.0))),
    "regbook.augment.image.random_rotation": Spec(lambda F: S(X=F.images, max_degrees=10.0,
                                                              rng=0, value_range=(0.0, 16.0))),
    "regbook.augment.image.flip_horizontal": Spec(lambda F: S(X=F.images)),
    "regbook.augment.image.flip_vertical": Spec(lambda F: S(X=F.images)),
    "regbook.augment.image.random_flip_horizontal": Spec(lambda F: S(X=F.images, p=0.5, rng=0)),
    "regbook.augment.image.random_flip_vertical": Spec(lambda F: S(X=F.images, p=0.5, rng=0)),
    "regbook.augment.image.random_crop": Spec(lambda F: S(X=F.images, scale=(0.64, 1.0), rng=0,
                                                          value_range=(0.0, 16.0))),
    "regbook.augment.image.random_brightness_contrast": Spec(lambda F: S(
        X=F.images, brightness=0.2, contrast=0.2, rng=0, value_range=(0.0, 16.0))),
    "regbook.augment.image.add_gaussian_noise": Spec(lambda F: S(X=F.images, sigma=1.0, rng=0,
                                                                 value_range=(0.0, 16.0))),
    "regbook.augment.image.compose": Spec(lambda F: S()),
    "regbook.augment.image.on_flattened": Spec(lambda F: S(
        transform=__import__("regbook.augment.image").augment.image.compose(),
        image_shape=(8, 8))),
    "regbook.augment.image.augment_dataset": Spec(lambda F: S(
        X=F.images, y=F.image_labels,
        transform=__import__("regbook.augment.image").augment.image.compose(), n_copies=1,
        include_original=True, rng=0)),
    "regbook.augment.image.strength_parameters": Spec(lambda F: S(strength=0.5)),
    "regbook.augment.image.augment_with_strength": Spec(lambda F: S(
        X=F.images, strength=0.5, rng=0, value_range=(0.0, 16.0))),
    "regbook.augment.image.strength_transform": Spec(lambda F: S(
        strength=0.5, image_shape=(8, 8), value_range=(0.0, 16.0))),
    "regbook.augment.image.apply_to_fraction": Spec(lambda F: S(
        transform=__import__("regbook.augment.image").augment.image.compose(), p=0.5)),
    # augment.text
    "regbook.augment.text.synonym_table": Spec(lambda F: S()),
    "regbook.augment.text.paraphrase_table": Spec(lambda F: S()),
    "regbook.augment.text.synonym_replacement": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", n=1, rng=0)),
    "regbook.augment.text.random_insertion": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", n=1, rng=0)),
    "regbook.augment.text.random_deletion": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", p=0.1, rng=0)),
    "regbook.augment.text.random_swap": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", n=1, rng=0)),
    "regbook.augment.text.easy_data_augmentation": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", alpha=0.1, n_aug=2, rng=0)),
    "regbook.augment.text.simulated_back_translation": Spec(lambda F: S(
        text="the quick brown fox jumps over the lazy dog", p=1.0, rng=0)),
    # augment.audio
    "regbook.augment.audio.tone": Spec(lambda F: S(freq=440.0, duration=0.1, sample_rate=8000)),
    "regbook.augment.audio.chirp": Spec(lambda F: S(f0=100.0, f1=1000.0, duration=0.1,
                                                    sample_rate=8000)),
    "regbook.augment.audio.time_stretch": Spec(lambda F: S(signal=F.signal, rate=1.25,
                                                           n_fft=256, hop_length=64)),
    "regbook.augment.audio.pitch_shift": Spec(lambda F: S(signal=F.signal, semitones=2.0,
                                                          sample_rate=8000, n_fft=256)),
    "regbook.augment.audio.add_background_noise": Spec(lambda F: S(
        signal=F.signal, snr_db=10.0, noise=np.random.default_rng(0).normal(size=800), rng=0)),
    "regbook.augment.audio.spectrogram": Spec(lambda F: S(signal=F.signal, sample_rate=8000,
                                                          n_fft=128, hop_length=32,
                                                          top_db=80.0)),
    "regbook.augment.audio.dominant_frequency": Spec(lambda F: S(signal=F.signal,
                                                                 sample_rate=8000)),
    # sharing
    "regbook.sharing.count_parameters": Spec(lambda F: S(module=F.model, trainable_only=True)),
    "regbook.sharing.conv_output_size": Spec(lambda F: S(size=8, kernel_size=3, stride=1,
                                                         padding=1)),
    "regbook.sharing.conv2d_parameter_count": Spec(lambda F: S(in_channels=1, out_channels=4,
                                                               kernel_size=3, bias=True)),
    "regbook.sharing.dense_parameter_count": Spec(lambda F: S(in_shape=(1, 8, 8),
                                                              out_shape=(4, 8, 8), bias=True)),
    "regbook.sharing.locally_connected_parameter_count": Spec(lambda F: S(
        in_channels=1, out_channels=4, input_size=8, kernel_size=3, stride=1, padding=1,
        bias=True)),
    "regbook.sharing.LocallyConnected2d": Spec(lambda F: S(
        in_channels=1, out_channels=2, input_size=8, kernel_size=3, stride=1, padding=1,
        bias=True)),
    "regbook.sharing.LocallyConnected2d.forward": Spec(
        lambda F: S(x=torch.zeros(2, 1, 8, 8)),
        instance=lambda F: __import__("regbook.sharing").sharing.LocallyConnected2d(
            1, 2, 8, 3, padding=1)),
    "regbook.sharing.shift": Spec(lambda F: S(x=F.images, dx=1, dy=-1, mode="zero")),
    "regbook.sharing.equivariance_error": Spec(lambda F: S(
        f=lambda x: x, x=torch.zeros(2, 1, 8, 8), dx=1, dy=0, mode="circular", margin=0)),
    "regbook.sharing.digits_model": Spec(lambda F: S(kind="conv", channels=2, seed=0)),
    "regbook.sharing.shifted_accuracy": Spec(lambda F: S(
        model=__import__("regbook.sharing").sharing.digits_model("conv", channels=2, seed=0),
        X=F.images.reshape(6, 1, 8, 8), y=F.image_labels, dx=1, dy=0)),
    # early stopping
    "regbook.early_stopping.EarlyStopping": Spec(lambda F: S(
        monitor="val_loss", patience=2, min_delta=0.0, restore_best=True)),
    "regbook.early_stopping.EarlyStopping.on_epoch_end": Spec(
        lambda F: S(epoch=0, history=_history(F), model=F.model),
        instance=lambda F: __import__("regbook.early_stopping").early_stopping.EarlyStopping(
            patience=2)),
    "regbook.early_stopping.stopping_point": Spec(lambda F: S(
        scores=np.array([3.0, 2.0, 2.5, 2.6, 2.7]), patience=2, min_delta=0.0, mode="min",
        every=1)),
    "regbook.early_stopping.gradient_descent_shrinkage": Spec(lambda F: S(
        eigenvalues=np.array([0.5, 1.0]), lr=0.1, steps=10)),
    "regbook.early_stopping.ridge_shrinkage": Spec(lambda F: S(eigenvalues=np.array([0.5, 1.0]),
                                                               alpha=0.1)),
    "regbook.early_stopping.equivalent_ridge_alpha": Spec(lambda F: S(lr=0.1, steps=10)),
    "regbook.early_stopping.gradient_descent_weights": Spec(lambda F: S(X=F.X, y=F.y, lr=0.01,
                                                                        steps=5, w0=F.w)),
    # ensembles
    "regbook.ensembles.ensemble_squared_error": Spec(lambda F: S(V=1.0, C=0.5, k=4)),
    "regbook.ensembles.correlated_errors": Spec(lambda F: S(V=1.0, C=0.5, k=4, n_draws=10,
                                                            bias=0.1, rng=0)),
    "regbook.ensembles.member_error_moments": Spec(lambda F: S(
        member_predictions=np.vstack([F.y, F.y + 0.1]), y=F.y)),
    "regbook.ensembles.bootstrap_indices": Spec(lambda F: S(n_samples=20, size=10, rng=0)),
    "regbook.ensembles.out_of_bag_mask": Spec(lambda F: S(indices=np.array([0, 1, 1, 4]),
                                                          n_samples=6)),
    "regbook.ensembles.distinct_fraction": Spec(lambda F: S(n_samples=20)),
    "regbook.ensembles.BaggingRegressor": Spec(lambda F: S(
        n_estimators=3, max_samples=10, max_features=1.0, random_state=0), then="fit",
        then_kwargs=lambda F: S(X=F.X, y=F.y)),
    "regbook.ensembles.BaggingClassifier": Spec(lambda F: S(
        n_estimators=3, max_samples=10, max_features=1.0, random_state=0), then="fit",
        then_kwargs=lambda F: S(X=F.X, y=F.labels)),
    "regbook.ensembles.BaggingRegressor.predict": Spec(lambda F: S(X=F.X), instance=_bagging_reg),
    "regbook.ensembles.BaggingClassifier.predict": Spec(lambda F: S(X=F.X),
                                                        instance=_bagging_clf),
    "regbook.ensembles.BaggingClassifier.predict_proba": Spec(lambda F: S(X=F.X),
                                                              instance=_bagging_clf),
    # dropout
    "regbook.dropout.Dropout": Spec(lambda F: S(p=0.5, inplace=False)),
    "regbook.dropout.Dropout.forward": Spec(
        lambda F: S(x=F.Xt), instance=lambda F: __import__("regbook.dropout").dropout
        .Dropout(0.5)),
    "regbook.dropout.OriginalDropout": Spec(lambda F: S(p=0.5)),
    "regbook.dropout.OriginalDropout.forward": Spec(
        lambda F: S(x=F.Xt), instance=lambda F: __import__("regbook.dropout").dropout
        .OriginalDropout(0.5)),
    "regbook.dropout.dropout_mlp": Spec(lambda F: S(in_features=3, hidden=[4], out_features=2,
                                                    p=0.5, input_p=0.1, kind="inverted",
                                                    seed=0)),
    "regbook.dropout.convert_dropout": Spec(lambda F: S(
        model=__import__("regbook.dropout").dropout.dropout_mlp(3, [4], 2, p=0.5, seed=0),
        to="original", rescale_weights=True)),
    "regbook.dropout.dropout_variance": Spec(lambda F: S(h=F.w, p=0.5, kind="inverted")),
    "regbook.dropout.all_masks": Spec(lambda F: S(n_units=3)),
    "regbook.dropout.mask_probabilities": Spec(lambda F: S(
        masks=__import__("regbook.dropout").dropout.all_masks(2), p=0.2)),
    "regbook.dropout.enumerate_dropout_ensemble": Spec(lambda F: S(
        forward=torch.nn.Linear(3, 2).double(), X=F.X[:2], p=0.5, chunk=4)),
    "regbook.dropout.dropout_linear_penalty": Spec(lambda F: S(w=F.w, X=F.X, p=0.5)),
    "regbook.dropout.expected_dropout_linear_loss": Spec(lambda F: S(w=F.w, X=F.X, y=F.y,
                                                                     p=0.5)),
    "regbook.dropout.monte_carlo_dropout_linear_loss": Spec(lambda F: S(
        w=F.w, X=F.X, y=F.y, p=0.5, n_draws=10, rng=0)),
    "regbook.dropout.dropout_ridge_solution": Spec(lambda F: S(X=F.X, y=F.y, p=0.5)),
    "regbook.dropout.dropout_augmented_least_squares": Spec(lambda F: S(X=F.X, y=F.y, p=0.2,
                                                                        n_copies=2, rng=0)),
    "regbook.dropout.mc_dropout_predict": Spec(lambda F: S(
        model=__import__("regbook.dropout").dropout.dropout_mlp(3, [4], 1, p=0.2, seed=0),
        X=F.X, n_samples=3, seed=0)),
    "regbook.dropout.ablation_accuracies": Spec(lambda F: S(
        model=__import__("regbook.dropout").dropout.dropout_mlp(3, [4], 3, p=0.5, seed=0),
        X=F.X, y=F.labels, layer=1)),
    "regbook.dropout.make_gap_regression": Spec(lambda F: S(n_samples=10, noise=0.1, gap=0.35,
                                                            seed=0)),
    "regbook.dropout.train_dropout_regressor": Spec(lambda F: S(
        x=np.linspace(-1, 1, 10)[:, None], y=np.linspace(-1, 1, 10), p=0.1, hidden=(4,), epochs=2,
        lr=0.01, seed=0)),
    "regbook.early_stopping.EarlyStopping.on_train_begin": Spec(
        lambda F: S(model=F.model),
        instance=lambda F: __import__("regbook.early_stopping").early_stopping.EarlyStopping(
            patience=2)),
    "regbook.early_stopping.EarlyStopping.on_train_end": Spec(
        lambda F: S(history=_history(F), model=F.model),
        instance=lambda F: __import__("regbook.early_stopping").early_stopping.EarlyStopping(
            patience=2)),
    "regbook.ensembles.BaggingRegressor.fit": Spec(
        lambda F: S(X=F.X, y=F.y), instance=lambda F: __import__("regbook.ensembles").ensembles
        .BaggingRegressor(n_estimators=3, random_state=0)),
    "regbook.ensembles.BaggingClassifier.fit": Spec(
        lambda F: S(X=F.X, y=F.labels), instance=lambda F: __import__("regbook.ensembles")
        .ensembles.BaggingClassifier(n_estimators=3, random_state=0)),
    # glue (the integrator's)
    "regbook.glue.format_glued": Spec(lambda F: S(text="1.5", fmt_spec=".2f")),
    "regbook.glue.GluedText": Spec(lambda F: S(text="1.5")),
    "regbook.glue.GlueRecorder.glued": Spec(lambda F: S(key="half:.2f"),
                                            instance=lambda F: _glue_recorder()),
    # landscape (the chapter 13 helper's)
    "regbook.landscape.parameters_of": Spec(lambda F: S(model=F.model)),
    "regbook.landscape.hessian_vector_product": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels),
        vector=[torch.ones_like(p) for p in F.model.parameters()])),
    "regbook.landscape.top_hessian_eigenvalue": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels), iterations=3, seed=0)),
    "regbook.landscape.hessian_trace": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels), n_probes=3, seed=0)),
    "regbook.landscape.epsilon_sharpness": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels), epsilon=1e-3, steps=2,
        seed=0)),
    "regbook.landscape.random_direction": Spec(lambda F: S(model=F.model, seed=0)),
    "regbook.landscape.filter_normalized_direction": Spec(lambda F: S(model=F.model, seed=0)),
    "regbook.landscape.loss_slice_1d": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels),
        direction=[torch.ones_like(p) for p in F.model.parameters()],
        steps=np.array([-1.0, 0.0, 1.0]))),
    "regbook.landscape.loss_slice_2d": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels),
        directions=([torch.ones_like(p) for p in F.model.parameters()],
                    [-torch.ones_like(p) for p in F.model.parameters()]),
        alphas=np.array([0.0, 1.0]), betas=np.array([0.0, 1.0]))),
    "regbook.landscape.interpolate_loss": Spec(lambda F: S(
        model=F.model, loss=_ce, X=F.Xt, y=torch.as_tensor(F.labels),
        start=[torch.zeros_like(p) for p in F.model.parameters()],
        end=[p.detach().clone() for p in F.model.parameters()], ts=np.array([0.0, 0.5, 1.0]))),
    "regbook.landscape.rescale_relu_layers": Spec(lambda F: S(model=F.model, alpha=2.0,
                                                              layer=0)),
    "regbook.landscape.sam_step": Spec(lambda F: _sam_kwargs(F)),
    "regbook.landscape.train_to_loss": Spec(lambda F: S(
        model=F.model, X=F.X, y=F.labels, threshold=0.01, lr=0.1, batch_size=8, max_epochs=1,
        seed=0, loss=_ce, callbacks=[])),
    "regbook.landscape.SharpnessRecorder": Spec(lambda F: S(
        X=F.Xt, y=torch.as_tensor(F.labels), loss=_ce, every=1, iterations=2, seed=0)),
    "regbook.landscape.SharpnessRecorder.on_epoch_end": Spec(
        lambda F: S(epoch=0, history=_history(F), model=F.model),
        instance=lambda F: __import__("regbook.landscape").landscape.SharpnessRecorder(
            F.Xt, torch.as_tensor(F.labels), _ce, every=1, iterations=2)),
    # sgd (the chapter 14 helper's)
    "regbook.sgd.enumerate_minibatch_gradients": Spec(lambda F: S(
        per_example_gradients=np.array([[1.0], [2.0], [6.0]]), batch_size=2)),
    "regbook.sgd.minibatch_gradient_covariance": Spec(lambda F: S(
        per_example_gradients=np.array([[1.0], [2.0], [6.0]]), batch_size=2)),
    "regbook.sgd.gradient_noise_scale": Spec(lambda F: S(lr=0.1, batch_size=10, n_samples=100)),
    "regbook.sgd.minibatch_sgd": Spec(lambda F: S(
        batch_gradient=_batch_gradient, n_samples=4, w0=np.array([0.0]), lr=0.5, batch_size=2,
        steps=3, n_chains=2, seed=0)),
    "regbook.sgd.gradient_descent": Spec(lambda F: S(gradient=lambda w: 2 * w,
                                                     w0=np.array([1.0]), lr=0.25, steps=3)),
    "regbook.sgd.gradient_descent_least_squares": Spec(lambda F: S(X=F.X, y=F.y, lr=0.05,
                                                                   steps=5, w0=F.w)),
    "regbook.sgd.adam_least_squares": Spec(lambda F: S(X=F.X, y=F.y, lr=0.01, steps=5, w0=F.w,
                                                       betas=(0.9, 0.999), eps=1e-8)),
    "regbook.sgd.minimum_norm_solution": Spec(lambda F: S(X=F.X[:2], y=F.y[:2], w0=F.w)),
    "regbook.sgd.gradient_flow": Spec(lambda F: S(gradient=lambda w: -w, w0=np.array([1.0]),
                                                  times=np.array([0.0, 1.0]), rtol=1e-6,
                                                  atol=1e-8)),
    "regbook.sgd.modified_gradient": Spec(lambda F: S(
        gradient=lambda w: 2 * w, hessian_vector_product=lambda w, v: 2 * v, lr=0.1)),
    "regbook.sgd.factorization_loss": Spec(lambda F: S(w=np.array([2.0, 1.0]), target=1.0)),
    "regbook.sgd.factorization_gradient": Spec(lambda F: S(w=np.array([2.0, 1.0]), target=1.0)),
    "regbook.sgd.factorization_hessian_vector_product": Spec(lambda F: S(
        w=np.array([1.0, 1.0]), v=np.array([1.0, 0.0]), target=1.0)),
    # explore (the integrator's)
    "regbook.explore.single_threaded": Spec(lambda F: S(compute=lambda **kw: 1)),
    "regbook.explore.Param": Spec(lambda F: S(name="alpha", values=[0.1, 1.0], label="alpha",
                                              fmt="{:g}", initial=1.0)),
    "regbook.explore.Param.show": Spec(
        lambda F: S(value=0.1), instance=lambda F: __import__("regbook.explore").explore.Param(
            "alpha", [0.1, 1.0])),
    "regbook.explore.Explorer": Spec(lambda F: S(
        compute=_toy_compute, draw=_toy_draw,
        params=[__import__("regbook.explore").explore.Param("a", [1.0, 2.0])], alt=_toy_alt,
        title="Toy", subplots=(1, 1), figsize=(2.0, 1.0), dpi=20)),
    "regbook.explore.Explorer.render": Spec(lambda F: S(a=1.0), instance=_toy_explorer),
    # linear (the integrator's)
    "regbook.linear.ridge_closed_form": Spec(lambda F: S(X=F.X, y=F.y, alpha=0.1)),
    "regbook.linear.soft_threshold": Spec(lambda F: S(z=F.w, threshold=0.1)),
    "regbook.linear.coordinate_descent_sweep": Spec(lambda F: S(X=F.X, y=F.y, w=F.w, alpha=0.1,
                                                                l1_ratio=0.5)),
    "regbook.linear.regularization_path": Spec(lambda F: S(
        X=F.X, y=F.y, alphas=np.array([0.1, 1.0]), model="elasticnet", l1_ratio=0.5,
        fit_intercept=True, max_iter=50, tol=1e-4)),
    "regbook.linear.Ridge": Spec(lambda F: S(alpha=0.1, fit_intercept=True), then="fit",
                                 then_kwargs=lambda F: S(X=F.X, y=F.y)),
    "regbook.linear.Ridge.fit": Spec(lambda F: S(X=F.X, y=F.y),
                                     instance=lambda F: __import__("regbook.linear").linear
                                     .Ridge(alpha=0.1)),
    "regbook.linear.Lasso": Spec(lambda F: S(alpha=0.1, fit_intercept=True, max_iter=50,
                                             tol=1e-4), then="fit",
                                 then_kwargs=lambda F: S(X=F.X, y=F.y)),
    "regbook.linear.ElasticNet": Spec(lambda F: S(alpha=0.1, l1_ratio=0.5, fit_intercept=True,
                                                  max_iter=50, tol=1e-4), then="fit",
                                      then_kwargs=lambda F: S(X=F.X, y=F.y)),
    "regbook.linear.ElasticNet.fit": Spec(lambda F: S(X=F.X, y=F.y),
                                          instance=lambda F: __import__("regbook.linear").linear
                                          .ElasticNet(alpha=0.1)),
}


_EXPLORERS = {}


def _explorer_compute_spec(module_name):
    """compute's valid call: the keywords make_explorer binds plus the first value of each grid."""
    def kwargs(F):
        if module_name not in _EXPLORERS:
            _EXPLORERS[module_name] = importlib.import_module(module_name).make_explorer()
        made = _EXPLORERS[module_name]
        bound = getattr(getattr(made.compute, "__wrapped__", None), "keywords", {}) or {}
        return {**bound, **{p.name: p.values[0] for p in made.params}}
    return Spec(kwargs)


for _name in ("ridge", "lasso", "elastic_net", "bayes", "augmentation", "parameter_sharing",
              "early_stopping", "ensembles", "sgd"):
    SPECS[f"regbook.explorers.{_name}.compute"] = _explorer_compute_spec(
        f"regbook.explorers.{_name}")

# ------------------------------------------------------------------------------------ walk --

def _modules():
    names = ["regbook"] + [m.name for m in pkgutil.walk_packages(regbook.__path__, "regbook.")]
    return [importlib.import_module(n) for n in sorted(names)
            if not any(part.startswith("_") for part in n.split("."))]


def _takes_arguments(obj, method=False):
    """A function, method or class with parameters; one without has nothing to probe."""
    try:
        params = list(inspect.signature(obj).parameters)
    except (TypeError, ValueError):
        return True
    return bool(params[1:] if method else params)


@functools.lru_cache(maxsize=1)
def public_names():
    """Every public function, class and method (with parameters) defined in regbook."""
    found = {}
    for module in _modules():
        if module.__name__.startswith(tuple(EXEMPT_MODULE_PREFIXES)):
            continue
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if module.__name__.startswith("regbook.explorers.") and (
                    name != "compute" or module.__name__.rsplit(".", 1)[1] in SLOW_EXPLORERS):
                continue
            if inspect.isfunction(obj):
                found[f"{module.__name__}.{name}"] = obj
            elif inspect.isclass(obj):
                qual = f"{module.__name__}.{name}"
                if qual in EXEMPT or _takes_arguments(obj):
                    found[qual] = obj
                if qual in EXEMPT:
                    continue
                for meth_name, meth in vars(obj).items():
                    if meth_name.startswith("_") or not inspect.isfunction(meth):
                        continue
                    if _takes_arguments(meth, method=True):
                        found[f"{qual}.{meth_name}"] = meth
    return found


# ---------------------------------------------------------------------------------- probes --

def _is_labels(a):
    return a.dtype.kind in "iu" if isinstance(a, np.ndarray) else not (
        a.is_floating_point() or a.is_complex())


def battery(param, value, kwargs):
    """Bad replacements for ``value``: a list of (probe name, bad value)."""
    if param in ("rng", "random_state", "seed"):
        return [("negative", -1), ("float", 1.5), ("string", "zero")]
    if value is None or isinstance(value, (bool, np.bool_)):
        return []
    if isinstance(value, (int, np.integer)):
        return [("float", 2.5), ("bool", True), ("string", "3")]
    if isinstance(value, (float, np.floating)):
        return [("nan", math.nan), ("string", "0.1")]
    if isinstance(value, str):
        return [("unknown", "no-such-option"), ("int", 42)]
    if isinstance(value, (np.ndarray, torch.Tensor)):
        arr = value
        probes = [("string", "abc"), ("empty", arr[:0]), ("extra-dim", arr[None])]
        if _is_labels(arr):
            probes += [("float-labels", arr + 0.5), ("negative", arr - 100)]
        else:
            bad = arr.clone() if isinstance(arr, torch.Tensor) else arr.copy()
            bad.reshape(-1)[0] = math.nan
            probes.append(("nan-inside", bad))
        if arr.ndim == 2 and any(not isinstance(kwargs.get(k, ""), str)
                                 for k in ("w", "model", "posterior", "W", "w0")):
            extra = (torch.cat([arr, arr[:, :1]], 1) if isinstance(arr, torch.Tensor)
                     else np.hstack([arr, arr[:, :1]]))
            probes.append(("extra-column", extra))
        if (arr.ndim == 1 and param in ("y", "w", "w0", "f_eval") and len(arr) > 1
                and set(kwargs) & {"X", "x", "x_eval", "member_predictions"}):
            probes.append(("one-short", arr[:-1]))
        return probes
    if isinstance(value, (list, tuple)) and value and all(
            isinstance(v, numbers_real()) and not isinstance(v, bool) for v in value):
        first = 2.5 if isinstance(value[0], int) else math.nan
        return [("nan-inside", type(value)([first, *value[1:]])), ("string", "abc")]
    if isinstance(value, nn.Module):
        return [("not-a-module", "model")]
    if callable(value) and not isinstance(value, type):
        return [("not-callable", 42)]
    if isinstance(value, dict):
        return [("not-a-dict", 42)]
    if isinstance(value, list):
        return [("not-a-list", 42)]
    return []


def numbers_real():
    import numbers
    return numbers.Real


def _resolve(qualname):
    parts = qualname.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)
        return obj, parts[cut:]
    raise ImportError(qualname)


def call(qualname, replace=None):
    """Make the valid call of ``qualname``, with ``replace = (where, param, value)`` swapped in
    (``where`` is "call" for the main arguments, "then" for the follow-up method's)."""
    spec = SPECS[qualname]
    obj, attrs = _resolve(qualname)
    kwargs = spec.kwargs(F)
    then_kwargs = spec.then_kwargs(F)
    if replace is not None:
        where, param, value = replace
        (kwargs if where == "call" else then_kwargs)[param] = value
    if spec.instance is not None:
        target = getattr(spec.instance(F), attrs[-1])
    else:
        target = obj
    result = target(**kwargs)
    if inspect.isgeneratorfunction(target) or hasattr(result, "__enter__"):
        with result:
            pass
    if spec.then is not None:
        result = getattr(result, spec.then)(**then_kwargs)
    return result


def probes_of(qualname):
    spec = SPECS[qualname]
    out = []
    for where, kw in (("call", spec.kwargs(F)), ("then", spec.then_kwargs(F))):
        for param, value in kw.items():
            for probe, bad in battery(param, value, kw):
                if (qualname, f"{'' if where == 'call' else where + '.'}{param}",
                        probe) in VALID_PROBES:
                    continue
                out.append((qualname, where, param, probe, bad))
    return out


def _names(message, param):
    return re.search(rf"(?<![\w.]){re.escape(param)}(?!\w)", message) is not None


def outcome(qualname, where, param, bad, probe=None):
    """"good" when the call raises ValueError/TypeError naming ``param`` (or, for a probe that
    breaks the agreement of two arguments, naming the other one); else what happened."""
    try:
        call(qualname, (where, param, bad))
    except (ValueError, TypeError) as exc:
        message = str(exc)
        spec = SPECS[qualname]
        others = [*spec.kwargs(F), *spec.then_kwargs(F)] if probe in (
            "extra-column", "one-short") else []
        if _names(message, param) or any(_names(message, other) for other in others):
            return "good", message
        if param in ("X", "y") and any(s in message for s in SKLEARN_DATA_ERRORS):
            return "good", message
        return "obscure", f"{type(exc).__name__}: {message}"
    except Exception as exc:  # noqa: BLE001 - any other exception is what we report
        return "crash", f"{type(exc).__name__}: {exc}"
    return "silent", "returned a result"


def _probe_id(qualname, param, probe, where="call"):
    return f"{qualname}:{'' if where == 'call' else where + '.'}{param}:{probe}"


# ----------------------------------------------------------------------------------- tests --

def test_every_public_name_has_a_valid_call():
    missing = sorted(set(public_names()) - set(SPECS) - set(EXEMPT))
    assert not missing, ("public names without a valid call in SPECS (add one, or a reason in "
                         f"EXEMPT): {missing}")


def test_specs_and_exemptions_name_real_objects():
    names = public_names()
    stale = [name for name in [*SPECS, *EXEMPT] if name not in names
             and not name.startswith(tuple(EXEMPT_MODULE_PREFIXES))]
    assert not stale, f"SPECS/EXEMPT entries that are not public names any more: {stale}"


@pytest.mark.parametrize("qualname", sorted(SPECS))
def test_valid_call_succeeds(qualname):
    call(qualname)


# One test per name (a test per probe would cost pytest's overhead some 1,700 times): every
# probe of the name must get a clear error.
@pytest.mark.parametrize("qualname", sorted(SPECS))
def test_bad_input_gets_a_clear_error(qualname):
    bad_outcomes = []
    for qn, where, param, probe, bad in probes_of(qualname):
        kind, message = outcome(qn, where, param, bad, probe)
        if kind != "good":
            bad_outcomes.append(f"{_probe_id(qn, param, probe, where)}: {kind}: {message[:200]}")
    if bad_outcomes:
        # pytrace=False: the traceback of this file would cost pytest ~0.5 s to format.
        pytest.fail("\n".join(bad_outcomes), pytrace=False)


if __name__ == "__main__":
    counts, failures = {}, []
    for qualname in sorted(SPECS):
        for qn, where, param, probe, bad in probes_of(qualname):
            kind, message = outcome(qn, where, param, bad, probe)
            counts[kind] = counts.get(kind, 0) + 1
            if kind != "good":
                failures.append((_probe_id(qn, param, probe, where), kind, message[:150]))
    total = sum(counts.values())
    if "-v" in sys.argv:
        for f in failures:
            print(*f, sep="  |  ")
    print({k: f"{v} ({v / total:.1%})" for k, v in sorted(counts.items())}, "of", total)
