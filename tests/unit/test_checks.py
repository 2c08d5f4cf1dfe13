"""The checker contract, and every exercise of every chapter: reference passes, mistakes diagnosed."""

import importlib
import math
import pkgutil
import time

import numpy as np
import pytest

import regbook.checks
from regbook.checks import Case, CheckResult, Exercise, Mistake


def all_exercises():
    found = []
    for info in pkgutil.iter_modules(regbook.checks.__path__):
        module = importlib.import_module(f"regbook.checks.{info.name}")
        found += [(f"{info.name}.{name}", obj) for name, obj in vars(module).items()
                  if isinstance(obj, Exercise)]
    return found


EXERCISES = all_exercises()


def test_every_chapter_with_checks_has_at_least_two_exercises():
    modules = {name.split(".")[0] for name, _ in EXERCISES}
    for module in modules:
        assert sum(name.startswith(module + ".") for name, _ in EXERCISES) >= 2, module


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[n for n, _ in EXERCISES])
def test_reference_solution_passes(name, exercise):
    result = exercise.check(exercise.reference)
    assert result.passed, result.message


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[n for n, _ in EXERCISES])
def test_each_known_mistake_gets_its_own_hint(name, exercise):
    assert exercise.mistakes, f"{name} lists no known mistakes"
    for mistake in exercise.mistakes:
        result = exercise.check(mistake.implementation)
        assert not result.passed
        assert result.mistake == mistake.name, (mistake.name, result.message)
        assert mistake.hint in result.message


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[n for n, _ in EXERCISES])
def test_hints_are_progressive_and_solution_is_the_reference(name, exercise):
    assert len(exercise.hints) >= 2
    html = str(exercise.hints_html())
    assert html.count("<details") == len(exercise.hints)
    assert html.index("Hint 1") < html.index("Hint 2")
    assert exercise.solution().strip().startswith("def ")


def unfilled_stub(**kwargs):
    raise NotImplementedError


@pytest.mark.parametrize("name, exercise", EXERCISES, ids=[n for n, _ in EXERCISES])
def test_stub_and_crash_give_messages_not_tracebacks(name, exercise):
    assert "still the stub" in exercise.check(unfilled_stub).message

    def crashes(**kwargs):
        return {}["missing"]

    assert "raised KeyError" in exercise.check(crashes).message


# The contract itself, on a toy exercise.
def square(x):
    return x**2


TOY = Exercise(
    name="square", reference=square,
    cases=[Case("x = 3", {"x": 3.0}), Case("x = -2", {"x": -2.0})],
    mistakes=[Mistake("double", lambda x: 2 * x, "you doubled x instead of squaring it.")],
    hints=["Multiply x by itself.", "x ** 2"], time_limit=0.5)


@pytest.mark.parametrize("answer, expected", [
    (square, "correct on all 2 test inputs"),
    (lambda x: 2 * x, "you doubled x"),
    (lambda x: x**3, "expected 9, got 27"),
    (lambda x: math.nan, "returned NaN or inf"),
    (lambda x: "nine", "should return numbers, got str"),
    (lambda x: [x, x], "returned shape (2,), expected ()"),
    (lambda x: None, "forget the `return`"),
    (lambda x: 1 / 0, "raised ZeroDivisionError"),
    (lambda: 1, "called with the keyword arguments x, as in the statement; your function takes ()"),
    (lambda value: value**2, "your function takes (value). Rename your parameters to match"),
    (42, "Pass your function itself"),
])
def test_feedback_is_specific(answer, expected):
    result = TOY.check(answer)
    assert expected in result.message
    assert result.passed == (answer is square)
    assert str(result).startswith("✓" if result.passed else "✗")


def test_an_endless_loop_is_stopped():
    def forever(x):
        while True:
            pass

    start = time.perf_counter()
    result = TOY.check(forever)
    assert time.perf_counter() - start < 5
    assert "was stopped" in result.message


def test_answer_cannot_corrupt_later_cases():
    arrays = Exercise("total", lambda a: a.sum(), [Case("ones", {"a": np.ones(3)})] * 2)

    def mutates(a):
        a[:] = 100
        return 3.0

    assert arrays.check(mutates).passed


def test_hints_come_one_at_a_time():
    toy = Exercise("square", square, TOY.cases, hints=["one", "two"])
    assert toy.hint() == "Hint 1 of 2: one"
    assert toy.hint() == "Hint 2 of 2: two"
    assert toy.hint() == "Hint 2 of 2: two"


def test_check_result_is_printable():
    assert repr(CheckResult(False, "no")) == "✗ no"


# --- issue 14: an Exercise rejects a bad definition instead of blaming a correct answer -------

def test_exercise_rejects_a_time_limit_that_would_blame_every_answer():
    from regbook.checks import Case, Exercise

    for bad in (-1, 0, float("nan")):
        with pytest.raises(ValueError, match="time_limit"):
            Exercise("double", lambda x: 2 * x, [Case("one", {"x": 1.0})], time_limit=bad)
    with pytest.raises(TypeError, match="time_limit"):
        Exercise("double", lambda x: 2 * x, [Case("one", {"x": 1.0})], time_limit="10")


@pytest.mark.parametrize("kwargs, error, match", [
    ({"reference": 42}, TypeError, "reference must be a callable"),
    ({"cases": []}, ValueError, "cases must hold at least one Case"),
    ({"cases": [{"x": 1.0}]}, TypeError, "cases must be a list of Case"),
    ({"mistakes": ["off by one"]}, TypeError, "mistakes must be a list of Mistake"),
    ({"hints": "Multiply."}, TypeError, "hints must be a list of str"),
    ({"rtol": -1e-6}, ValueError, "rtol"),
    ({"atol": float("nan")}, ValueError, "atol"),
])
def test_exercise_checks_its_definition(kwargs, error, match):
    from regbook.checks import Case, Exercise

    definition = {"name": "double", "reference": lambda x: 2 * x,
                  "cases": [Case("one", {"x": 1.0})], **kwargs}
    with pytest.raises(error, match=match):
        Exercise(**definition)


def test_case_and_mistake_check_their_fields():
    from regbook.checks import Case, Mistake

    with pytest.raises(TypeError, match="kwargs must be a dict"):
        Case("one", [1.0])
    with pytest.raises(TypeError, match="description must be a str"):
        Case(1, {"x": 1.0})
    with pytest.raises(TypeError, match="implementation must be a callable"):
        Mistake("sign", 42, "Check the sign.")


def test_a_complex_answer_does_not_pass():
    from regbook.checks import Case, Exercise

    exercise = Exercise("double", lambda x: 2 * x, [Case("one", {"x": 1.0})])
    result = exercise.check(lambda x: complex(2 * x, 1.0))
    assert not result.passed and "should return numbers" in result.message
    assert exercise.check(lambda x: 2 * x).passed
