"""Show the package's real source in a chapter, so the code on the page is the tested code."""

import ast
import inspect
import textwrap


class SourceCode(str):
    """Python source that displays as a highlighted code block in Jupyter and on the website."""

    def _repr_markdown_(self):
        return f"```python\n{self}\n```"

    def __repr__(self):
        return str(self)


def show_source(obj, docstring=False):
    """Return the source of a function, class or method, without its docstring by default.

    Examples
    --------
    >>> def f(x):
    ...     '''Doubles x.'''
    ...     return 2 * x
    >>> print(show_source(f))  # doctest: +SKIP
    def f(x):
        return 2 * x
    """
    if not isinstance(docstring, bool):
        raise TypeError(f"docstring must be a bool, got {docstring!r}")
    try:  # functions, classes, methods, modules and wrappers such as lru_cache's
        source = textwrap.dedent(inspect.getsource(obj))
    except TypeError:
        raise TypeError(f"obj must be a function, class, method or module, got {obj!r} of type "
                        f"{type(obj).__name__}") from None
    if docstring:
        return SourceCode(source.rstrip())
    lines = source.splitlines()
    node = ast.parse(source).body[0]
    body = getattr(node, "body", [])
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        start, end = body[0].lineno - 1, body[0].end_lineno
        lines = lines[:start] + lines[end:]
    return SourceCode("\n".join(lines).rstrip())
