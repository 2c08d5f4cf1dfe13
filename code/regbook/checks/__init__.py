"""Exercise checkers that explain what is wrong instead of crashing.

An :class:`Exercise` holds a reference solution, a few test inputs and the known wrong answers
("mistakes"), each with its own hint. ``exercise.check(answer)`` calls the learner's function on
every input and returns a :class:`CheckResult` whose text says, in this order of precedence:

* the stub is still unfilled (it raises ``NotImplementedError``);
* the answer raised, and with what message, on which input;
* it ran longer than the time limit;
* it returned the wrong type or shape, or NaN/inf;
* its values match a known mistake (that mistake's hint);
* its values are off (expected versus received, on which input);
* or that it is correct.

Hints are progressive (:meth:`Exercise.hint`, :meth:`Exercise.hints_html`), and the reference
solution is shown only when asked for (:meth:`Exercise.solution`).
"""

import copy
import html
import inspect
import signal
import threading
import time
from dataclasses import dataclass, field

import numpy as np

from regbook._validation import check_scalar


def _check_str(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r} of type {type(value).__name__}")


def _check_list_of(value, name, kind, what):
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{name} must be a list of {what}, got {value!r} of type "
                        f"{type(value).__name__}")
    for item in value:
        if not isinstance(item, kind):
            raise TypeError(f"{name} must be a list of {what}, got an item {item!r}")


@dataclass(frozen=True)
class Case:
    """One test input: a description for the learner and the keyword arguments to pass."""

    description: str
    kwargs: dict

    def __post_init__(self):
        _check_str(self.description, "description")
        if not isinstance(self.kwargs, dict) or not all(isinstance(k, str) for k in self.kwargs):
            raise TypeError(f"kwargs must be a dict of keyword arguments, got {self.kwargs!r}")


@dataclass(frozen=True)
class Mistake:
    """A known wrong answer: an implementation of the mistake and the hint that fixes it."""

    name: str
    implementation: callable
    hint: str

    def __post_init__(self):
        _check_str(self.name, "name")
        if not callable(self.implementation):
            raise TypeError(f"implementation must be a callable, got {self.implementation!r}")
        _check_str(self.hint, "hint")


@dataclass(frozen=True)
class CheckResult:
    """The verdict on one answer. ``str()`` of it is the feedback shown to the learner."""

    passed: bool
    message: str
    mistake: str = None

    def __str__(self):
        return ("✓ " if self.passed else "✗ ") + self.message

    __repr__ = __str__


class _TimeLimitExceeded(Exception):
    pass


def _call_with_time_limit(function, kwargs, seconds):
    """Call ``function(**kwargs)``, interrupting it after ``seconds`` where signals allow."""
    can_interrupt = (hasattr(signal, "setitimer")
                     and threading.current_thread() is threading.main_thread())
    if not can_interrupt:
        return function(**kwargs)

    def interrupt(signum, frame):
        raise _TimeLimitExceeded

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(**kwargs)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _signature_mismatch(function, kwargs):
    """Why ``function(**kwargs)`` cannot bind, in the learner's terms, or None if it can."""
    try:
        signature = inspect.signature(function)
    except (TypeError, ValueError):
        return None
    try:
        signature.bind(**kwargs)
    except TypeError:
        return f"your function takes ({', '.join(signature.parameters)})"
    return None


def _as_numbers(value):
    """``value`` as a float array, or ``None`` if it is not real numbers (complex is not)."""
    try:
        if np.iscomplexobj(value):
            return None
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        return None
    return array


def _short(array):
    array = np.asarray(array)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    return np.array2string(array, precision=4, threshold=6, separator=", ")


@dataclass
class Exercise:
    """A code exercise with automatic feedback.

    Parameters
    ----------
    name : str
        The function name the learner writes.
    reference : callable
        The reference solution; its outputs define the right answers.
    cases : list of Case
    mistakes : list of Mistake
    hints : list of str
        Progressive hints, from a nudge to nearly the answer.
    rtol, atol : float
        Tolerances for comparing values.
    time_limit : float, default 10.0
        Seconds allowed per case.
    """

    name: str
    reference: callable
    cases: list
    mistakes: list = field(default_factory=list)
    hints: list = field(default_factory=list)
    rtol: float = 1e-6
    atol: float = 1e-9
    time_limit: float = 10.0
    _hints_shown: int = field(default=0, init=False, repr=False)

    def __post_init__(self):
        _check_str(self.name, "name")
        if not callable(self.reference):
            raise TypeError(f"reference must be a callable, got {self.reference!r}")
        _check_list_of(self.cases, "cases", Case, "Case")
        if not self.cases:
            raise ValueError("cases must hold at least one Case, got none")
        _check_list_of(self.mistakes, "mistakes", Mistake, "Mistake")
        _check_list_of(self.hints, "hints", str, "str")
        self.rtol = check_scalar(self.rtol, "rtol", low=0.0)
        self.atol = check_scalar(self.atol, "atol", low=0.0)
        # A non-positive limit would stop (and blame) every answer, however correct.
        self.time_limit = check_scalar(self.time_limit, "time_limit", low=0.0,
                                       low_inclusive=False)

    def _close(self, a, b):
        return a.shape == b.shape and np.allclose(a, b, rtol=self.rtol, atol=self.atol)

    def check(self, answer):
        """Run ``answer`` on every case and return a :class:`CheckResult`."""
        if not callable(answer):
            return CheckResult(False, f"Pass your function itself, e.g. check({self.name}); "
                                      f"got a {type(answer).__name__}.")
        for case in self.cases:
            mismatch = _signature_mismatch(answer, case.kwargs)
            if mismatch:
                return CheckResult(False, f"{self.name} is called with the keyword arguments "
                                          f"{', '.join(case.kwargs)}, as in the statement; "
                                          f"{mismatch}. Rename your parameters to match.")
            expected = np.asarray(self.reference(**copy.deepcopy(case.kwargs)), dtype=float)
            start = time.perf_counter()
            try:
                received = _call_with_time_limit(answer, copy.deepcopy(case.kwargs),
                                                 self.time_limit)
            except NotImplementedError:
                return CheckResult(False, f"{self.name} is still the stub: replace "
                                          "`raise NotImplementedError` with your code.")
            except _TimeLimitExceeded:
                return CheckResult(False, f"{self.name} ran for more than {self.time_limit:g} s on "
                                          f"{case.description} and was stopped. Look for a loop "
                                          "that never ends or a much larger computation than needed.")
            except Exception as exc:  # noqa: BLE001 -- any error in learner code becomes feedback
                return CheckResult(False, f"{self.name} raised {type(exc).__name__}: {exc} "
                                          f"on {case.description}.")
            elapsed = time.perf_counter() - start
            if received is None:
                return CheckResult(False, f"{self.name} returned None on {case.description}. "
                                          "Did you forget the `return` statement?")
            numbers = _as_numbers(received)
            if numbers is None or numbers.dtype == object:
                return CheckResult(False, f"{self.name} should return numbers, got "
                                          f"{type(received).__name__} on {case.description}.")
            if numbers.shape != expected.shape:
                return CheckResult(False, f"{self.name} returned shape {numbers.shape}, expected "
                                          f"{expected.shape}, on {case.description}.")
            if not np.all(np.isfinite(numbers)):
                return CheckResult(False, f"{self.name} returned NaN or inf on {case.description}"
                                          f": {_short(numbers)}.")
            if not self._close(numbers, expected):
                for mistake in self.mistakes:
                    wrong = _as_numbers(mistake.implementation(**copy.deepcopy(case.kwargs)))
                    if wrong is not None and self._close(numbers, wrong):
                        return CheckResult(False, f"Not yet, on {case.description}: "
                                                  f"{mistake.hint}", mistake=mistake.name)
                return CheckResult(False, f"Not yet, on {case.description}: expected "
                                          f"{_short(expected)}, got {_short(numbers)}. "
                                          "Try hint() for a nudge.")
            if elapsed > self.time_limit:
                return CheckResult(False, f"{self.name} took {elapsed:.1f} s on "
                                          f"{case.description}; aim for under {self.time_limit:g} s.")
        return CheckResult(True, f"{self.name} is correct on all {len(self.cases)} test inputs.")

    def hint(self):
        """Return the next hint, one more each call."""
        if not self.hints:
            return "No hints for this exercise."
        self._hints_shown = min(self._hints_shown + 1, len(self.hints))
        k = self._hints_shown
        return f"Hint {k} of {len(self.hints)}: {self.hints[k - 1]}"

    def hints_html(self):
        """All hints as nested, collapsed ``<details>``: each opens only after the previous one."""
        inner = ""
        for k in range(len(self.hints), 0, -1):
            inner = (f"<details class='rb-hint'><summary>Hint {k}</summary>"
                     f"<p>{html.escape(self.hints[k - 1])}</p>{inner}</details>")
        return HintsHTML(inner)

    def solution(self):
        """Return the source of the reference solution (only shown when you call this)."""
        return SolutionSource(inspect.getsource(self.reference))


class HintsHTML(str):
    """Hints that display as collapsed HTML in Jupyter and on the website."""

    def _repr_html_(self):
        return f"<div class='rb-hints'>{self}</div>"


class SolutionSource(str):
    """Source code that prints as itself."""

    def __repr__(self):
        return str(self)
