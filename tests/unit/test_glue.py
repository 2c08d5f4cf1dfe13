"""``regbook.glue``: JupyterLab shows the same glued numbers as the website."""

import pytest
from myst_nb.core.variables import format_plain_text

from regbook.glue import GLUE_PREFIX, GlueRecorder, GluedText, format_glued, load_ipython_extension


def glue_message(name, text, prefix=GLUE_PREFIX):
    return {"msg_type": "display_data", "content": {
        "data": {prefix + "text/plain": text},
        "metadata": {"scrapbook": {"name": name, "mime_prefix": prefix}}}}


@pytest.mark.parametrize("text, fmt_spec", [
    ("0.123456", ".3f"), ("12620.4", ".0f"), ("-0.5", ".1%"), ("3", "d"), ("1e-12", ".0e"),
    ("0.01", "g"), ("'ridge'", ""), ("'ridge'", "s"), ("7", ""), ("2.5", ","), ("42", "x")])
def test_format_matches_the_website(text, fmt_spec):
    assert format_glued(text, fmt_spec) == format_plain_text(text, fmt_spec)


def test_recorder_formats_what_glue_displayed_and_passes_every_message_on():
    recorder = GlueRecorder()
    other = {"msg_type": "display_data", "content": {"data": {"text/plain": "1"}, "metadata": {}}}
    assert recorder(other) is other
    message = glue_message("gap", "0.0419")
    assert recorder(message) is message
    shown = recorder.glued("gap:.2f")
    assert isinstance(shown, GluedText) and repr(shown) == str(shown) == "0.04"
    assert repr(recorder.glued("gap")) == "0.0419"
    # glue(..., display=True) has no prefix; a later glue of the same name wins, as on the website.
    recorder(glue_message("gap", "0.5", prefix=""))
    assert repr(recorder.glued("gap:.1f")) == "0.5"


def test_a_number_glued_further_down_fills_in_when_its_cell_runs():
    recorder = GlueRecorder()
    placeholder = recorder.glued("later:.3f")
    assert placeholder.value == "…"
    recorder(glue_message("later", "0.98765"))
    assert placeholder.value == "0.988"
    assert recorder.pending == {}


def test_key_must_be_a_string():
    with pytest.raises(TypeError, match="key must be a str"):
        GlueRecorder().glued(3)
    with pytest.raises(TypeError, match="fmt_spec must be a str"):
        format_glued("1", 2)


def test_extension_hooks_the_display_publisher_and_defines_glued():
    class Publisher:
        def __init__(self):
            self.hooks = []

        def register_hook(self, hook):
            self.hooks.append(hook)

    class Shell:
        display_pub = Publisher()
        user_ns = {}

        def push(self, variables, interactive=True):
            self.user_ns.update(variables)

    shell = Shell()
    load_ipython_extension(shell)
    (hook,) = shell.display_pub.hooks
    hook(glue_message("n", "442"))
    assert repr(shell.user_ns["glued"]("n:d")) == "442"
