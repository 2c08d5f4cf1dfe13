import re
from importlib import resources

import pytest
import yaml

from regbook.quiz import load_questions, show_quiz

QUIZ_FILES = sorted(p.name[:-4] for p in (resources.files("regbook") / "quizzes").iterdir()
                    if p.name.endswith(".yml"))


@pytest.mark.parametrize("chapter", QUIZ_FILES)
def test_every_quiz_file_is_valid_and_has_both_sets(chapter):
    sets = yaml.safe_load((resources.files("regbook") / "quizzes" / f"{chapter}.yml").read_text())
    assert len(load_questions(chapter, "misconceptions")) >= 4
    assert len(load_questions(chapter, "exercises")) >= 3
    assert set(sets) <= {"misconceptions", "exercises"}


def test_html_has_one_radio_group_per_question_and_feedback_per_option():
    quiz = show_quiz("01_overfitting", "misconceptions")
    html = quiz.to_html()
    questions = quiz.questions
    assert html.count("<fieldset>") == len(questions)
    n_options = sum(len(q["options"]) for q in questions)
    assert html.count('type="radio"') == html.count('class="rb-feedback') == n_options
    assert html.count("rb-right") - html.count(".rb-right") == len(questions)
    assert "<script" not in html


def test_ids_are_stable_across_builds():
    assert show_quiz("01_overfitting", "exercises").key == show_quiz("01_overfitting", "exercises").key
    assert show_quiz("01_overfitting", "exercises").key != show_quiz("01_overfitting", "misconceptions").key


def test_text_is_escaped():
    html = show_quiz("01_overfitting", "misconceptions").to_html()
    assert not re.search(r"<(?!/?(style|div|p|fieldset|legend|input|label|strong)\b)", html)


@pytest.mark.parametrize("chapter, name, match", [("99_missing", "x", "chapter must name a file"),
                                                  ("01_overfitting", "nope", "name must be one of")])
def test_unknown_quiz_is_named(chapter, name, match):
    with pytest.raises(ValueError, match=match):
        load_questions(chapter, name)


def test_malformed_question_is_reported(tmp_path, monkeypatch):
    import regbook.quiz as quiz_module

    bad = tmp_path / "quizzes"
    bad.mkdir()
    (bad / "00_bad.yml").write_text(
        "misconceptions:\n  - prompt: q\n    options:\n"
        "      - {text: a, correct: true, feedback: f}\n      - {text: b, correct: true, feedback: f}\n")
    monkeypatch.setattr(quiz_module.resources, "files", lambda package: tmp_path)
    with pytest.raises(ValueError, match="exactly one correct option"):
        load_questions("00_bad", "misconceptions")


def test_each_option_has_a_plain_text_label_for_math_only_options():
    from regbook.quiz import plain_text

    assert plain_text(r"\(\alpha = \sigma^2\)") == "alpha = sigma^2"
    html = show_quiz("01_overfitting", "misconceptions").to_html()
    assert html.count('aria-label="') == html.count('type="radio"')
    assert 'aria-label="The noise sigma^2"' in html
