"""Glued numbers in JupyterLab: the kernel side of the book's ``{eval}`glued('name:fmt')``` roles.

The website pastes each number that a chapter glues with ``myst_nb.glue(name, value)`` into its
prose. JupyterLab (with jupyterlab-myst) has no glue role; it evaluates inline ``{eval}`` roles in
the kernel instead. So the prose writes a glued number as ``{eval}`glued('name:.3f')``` and:

- on the website, ``_ext/book_assets.py`` turns that back into ``{glue:text}`name:.3f``` before
  myst-nb reads the notebook, so the page shows the glued value as before;
- in a kernel, this module (an IPython extension that the ``regbook`` kernel loads) records every
  value that ``glue`` displays and defines ``glued``, which formats a recorded value the way
  myst-nb's ``{glue:text}`` role does. A learner's Run All therefore shows the numbers of the
  learner's own run.
"""

from ast import literal_eval

# myst_nb.glue(..., display=False) prefixes every MIME type of the hidden output with this.
GLUE_PREFIX = "application/papermill.record/"


def format_glued(text, fmt_spec=""):
    """Format the ``text/plain`` form of a glued value with a format spec, as myst-nb does.

    The ``text/plain`` string is read back with :func:`ast.literal_eval` (so ``'abc'`` loses its
    quotes), then converted by the spec's type character (``d`` → int, ``f``/``e``/``g``/``%`` →
    float, ``s`` → str) and passed to :func:`format`. This is the rule of
    ``myst_nb.core.variables.format_plain_text``, so JupyterLab and the website print the same
    digits for the same value.

    Examples
    --------
    >>> format_glued("0.123456", ".3f")
    '0.123'
    >>> format_glued("12", "d"), format_glued("0.25", ".0%"), format_glued("'ridge'")
    ('12', '25%', 'ridge')
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be a str, got {text!r} of type {type(text).__name__}")
    if not isinstance(fmt_spec, str):
        raise TypeError(f"fmt_spec must be a str, got {fmt_spec!r} of type {type(fmt_spec).__name__}")
    try:
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt_spec == "":
        return str(value)
    kind = fmt_spec[-1]
    try:
        if kind == "s":
            value = str(value)
        elif kind in "bcdoxX":
            value = int(value)
        elif kind in "eEfFgGn%":
            value = float(value)
        return format(value, fmt_spec)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"text {text!r} cannot be formatted with fmt_spec {fmt_spec!r}: {exc}") from None


class GluedText:
    """A formatted glued number; its plain-text display is the number itself (no quotes)."""

    def __init__(self, text):
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {text!r} of type {type(text).__name__}")
        self.text = text

    def __repr__(self):
        return self.text

    def __str__(self):
        return self.text


class GlueRecorder:
    """Remembers the ``text/plain`` of every value that ``myst_nb.glue`` displays in this kernel.

    It is a hook on IPython's display publisher: it sees each ``display_data`` message, keeps the
    glued ones' text and passes every message on unchanged.

    Examples
    --------
    >>> recorder = GlueRecorder()
    >>> message = {"msg_type": "display_data", "content": {
    ...     "data": {GLUE_PREFIX + "text/plain": "0.5"},
    ...     "metadata": {"scrapbook": {"name": "half", "mime_prefix": GLUE_PREFIX}}}}
    >>> recorder(message) is message
    True
    >>> recorder.glued("half:.2f")
    0.50
    """

    def __init__(self):
        self.values = {}
        # Numbers the prose shows before the cell that glues them: name -> [(widget, fmt_spec)].
        self.pending = {}

    def __call__(self, message):
        content = message.get("content", {}) if isinstance(message, dict) else {}
        scrapbook = content.get("metadata", {}).get("scrapbook")
        if isinstance(scrapbook, dict) and "name" in scrapbook:
            prefix = scrapbook.get("mime_prefix", "")
            text = content.get("data", {}).get(prefix + "text/plain")
            if text is not None:
                name = scrapbook["name"]
                self.values[name] = text
                for widget, fmt_spec in self.pending.pop(name, []):
                    widget.value = format_glued(text, fmt_spec)
        return message

    def glued(self, key):
        """The value glued under ``name``, formatted: ``key`` is ``"name"`` or ``"name:fmt"``.

        The key splits at its last colon, as in ``{glue:text}`name:fmt```. A name not glued yet
        gives an ipywidgets ``HTML`` placeholder that shows the number once a cell glues it.
        """
        if not isinstance(key, str):
            raise TypeError(f"key must be a str such as 'name:.3f', got {key!r} of type "
                            f"{type(key).__name__}")
        name, _, fmt_spec = key.rpartition(":") if ":" in key else (key, "", "")
        if name in self.values:
            return GluedText(format_glued(self.values[name], fmt_spec))
        # Prose may quote a number that a later cell glues. Run All evaluates markdown cells after
        # the code cells (JupyterLab 4.6, jupyterlab-myst 2.7), but a learner who runs the cells one
        # by one reaches the prose first: a live widget shows "…" and fills in once it is glued.
        from ipywidgets import HTML, Layout

        widget = HTML(value="…", description_allow_html=False,
                      layout=Layout(display="inline-flex", height="auto", width="auto"),
                      tooltip=f"computed by a code cell below (glue name {name!r})")
        self.pending.setdefault(name, []).append((widget, fmt_spec))
        return widget


def load_ipython_extension(ipython):
    """Record glued values and define ``glued`` in the user namespace (``--ext regbook.glue``)."""
    recorder = GlueRecorder()
    # ipykernel's display publisher takes hooks; a plain terminal IPython has nothing to record.
    if hasattr(ipython.display_pub, "register_hook"):
        ipython.display_pub.register_hook(recorder)
    ipython.push({"glued": recorder.glued}, interactive=False)
