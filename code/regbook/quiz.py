"""Multiple-choice quizzes whose questions live in data (``regbook/quizzes/<chapter>.yml``).

A quiz renders as plain HTML and CSS: each option is a radio button, and choosing one reveals that
option's feedback through a CSS ``:checked`` rule. With no script at all, the same output answers
clicks on the static website and in Jupyter, and nothing can fail to load.

The data format, per chapter file::

    misconceptions:            # a named set of questions
      - prompt: "…"            # may contain inline math as \\( … \\)
        options:
          - text: "…"
            correct: true      # exactly one option per question is correct
            feedback: "…"      # why this option is right or wrong
"""

import hashlib
import html
import re
from importlib import resources

import yaml

MAX_OPTIONS = 6


def load_questions(chapter, name):
    """Load and validate the question set ``name`` of ``quizzes/<chapter>.yml``.

    Raises
    ------
    ValueError
        If the file or the set does not exist, or a question does not have 2 to 6 options with
        exactly one correct one, each with feedback.
    """
    _check_str(chapter, "chapter")
    _check_str(name, "name")
    path = resources.files("regbook") / "quizzes" / f"{chapter}.yml"
    if not path.is_file():
        raise ValueError(f"chapter must name a file in regbook/quizzes, got {chapter!r}")
    sets = yaml.safe_load(path.read_text(encoding="utf-8"))
    if name not in sets:
        raise ValueError(f"name must be one of {sorted(sets)} for chapter {chapter!r}, "
                         f"got {name!r}")
    questions = sets[name]
    for number, question in enumerate(questions, start=1):
        options = question.get("options", [])
        where = f"{chapter}.yml, set {name!r}, question {number}"
        if not 2 <= len(options) <= MAX_OPTIONS:
            raise ValueError(f"{where}: needs 2 to {MAX_OPTIONS} options, has {len(options)}")
        if sum(bool(o.get("correct")) for o in options) != 1:
            raise ValueError(f"{where}: needs exactly one correct option")
        if not question.get("prompt") or not all(o.get("text") and o.get("feedback")
                                                  for o in options):
            raise ValueError(f"{where}: every prompt, option text and feedback must be non-empty")
    return questions


def _check_str(value, name):
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {value!r} of type {type(value).__name__}")


def plain_text(text):
    r"""A readable plain-text version of ``text`` with its TeX markup removed.

    Screen readers and axe-core may find no text in a label that holds only typeset math, so each
    option also carries this as its ``aria-label``: ``\(\alpha = \sigma^2\)`` -> ``alpha = sigma^2``.
    """
    _check_str(text, "text")
    text = re.sub(r"\\[()\[\]]", "", text)
    text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
    return re.sub(r"[{}]", "", text).strip()


class Quiz:
    """A displayable quiz; see the module docstring. Build it with :func:`show_quiz`."""

    def __init__(self, questions, title, key):
        if not isinstance(questions, list) or not questions or not all(
                isinstance(q, dict) and isinstance(q.get("prompt"), str)
                and isinstance(q.get("options"), list) for q in questions):
            raise TypeError("questions must be a non-empty list of dicts with a 'prompt' and a "
                            f"list of 'options' (as load_questions returns), got {questions!r}")
        _check_str(title, "title")
        _check_str(key, "key")
        if not re.fullmatch(r"[A-Za-z][\w-]*", key):
            raise ValueError(f"key must be an HTML id (a letter, then letters, digits, _ or -), "
                             f"got {key!r}")
        self.questions = questions
        self.title = title
        self.key = key

    def to_html(self):
        """The quiz as self-contained HTML and CSS."""
        parts = [QUIZ_STYLE, f'<div class="rb-quiz tex2jax_process" id="{self.key}">',
                 f'<p class="rb-quiz-title">{html.escape(self.title)}</p>']
        for q, question in enumerate(self.questions, start=1):
            group = f"{self.key}-q{q}"
            parts.append(f'<fieldset><legend>{q}. {html.escape(question["prompt"])}</legend>')
            for k, option in enumerate(question["options"]):
                parts.append(f'<input type="radio" name="{group}" id="{group}-{k}" '
                             f'aria-label="{html.escape(plain_text(option["text"]))}">'
                             f'<label for="{group}-{k}">{html.escape(option["text"])}</label>')
            for k, option in enumerate(question["options"]):
                verdict = "Correct." if option.get("correct") else "Not quite."
                kind = "rb-right" if option.get("correct") else "rb-wrong"
                parts.append(f'<p class="rb-feedback {kind}" data-option="{k}">'
                             f'<strong>{verdict}</strong> {html.escape(option["feedback"])}</p>')
            parts.append("</fieldset>")
        parts.append("</div>")
        return "\n".join(parts)

    def _repr_html_(self):
        return self.to_html()

    def __repr__(self):
        return f"<Quiz {self.title!r}: {len(self.questions)} questions>"


def show_quiz(chapter, name, title=None):
    """Return the :class:`Quiz` for set ``name`` of chapter ``chapter`` (e.g. ``"01_overfitting"``).

    The element id is derived from the chapter and set name, so rebuilding gives the same page.
    """
    if title is not None:
        _check_str(title, "title")
    questions = load_questions(chapter, name)
    key = "rb-quiz-" + hashlib.sha1(f"{chapter}/{name}".encode()).hexdigest()[:8]
    return Quiz(questions, title or "Check your understanding", key)


_OPTION_RULES = "\n".join(
    f".rb-quiz input:nth-of-type({k + 1}):checked ~ .rb-feedback[data-option=\"{k}\"] "
    "{ display: block; }" for k in range(MAX_OPTIONS))

QUIZ_STYLE = f"""<style>
.rb-quiz {{ border: 1px solid #c8c8c8; border-radius: 6px; padding: .6rem .8rem; margin: 1rem 0; }}
.rb-quiz .rb-quiz-title {{ font-weight: 600; margin: 0 0 .4rem 0; }}
.rb-quiz fieldset {{ border: 0; border-top: 1px solid #e0e0e0; margin: .4rem 0; padding: .4rem 0; }}
.rb-quiz legend {{ float: none; width: 100%; font-size: 1rem; font-weight: 600; padding: 0; margin-bottom: .3rem; }}
.rb-quiz input {{ margin: .3rem .5rem 0 0; vertical-align: top; }}
.rb-quiz label {{ display: inline-block; width: calc(100% - 2rem); margin: .15rem 0; cursor: pointer; }}
.rb-quiz .rb-feedback {{ display: none; margin: .4rem 0 0 0; padding: .4rem .6rem;
  border-radius: 4px; }}
.rb-quiz .rb-right {{ background: #e3f2e8; color: #14532d; }}
.rb-quiz .rb-wrong {{ background: #fbe9e2; color: #7c2d12; }}
{_OPTION_RULES}
</style>"""
