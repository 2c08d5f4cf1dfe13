"""Explorers: one call gives live sliders in Jupyter and a kernel-free twin on the website.

An explorer is built from three parts:

* ``compute(**params) -> result``: a pure, cheap function (median at most 50 ms);
* ``draw(result, axes)``: draws a result on matplotlib axes;
* the :class:`Explorer` display object. Its ``_repr_mimebundle_`` returns two renderings of the
  same thing: an ipywidgets view that calls ``compute`` and ``draw`` live (Jupyter prefers it), and
  a ``text/html`` *twin* whose frames were precomputed over the parameter grid, with a range
  slider that swaps them (the website is configured to prefer ``text/html``, see ``_config.yml``).

The twin is self-contained: PNG frames as data URIs, inline CSS and JS, no network, and an alt
text on every frame that also appears as a live caption for screen readers.
"""

import base64
import hashlib
import html
import itertools
import json
from dataclasses import dataclass, field

import functools

import matplotlib.pyplot as plt
import numpy as np
from threadpoolctl import ThreadpoolController

from regbook.plotting import figure_to_png, use_book_style

MAX_TWIN_PARAMETERS = 2
_THREADPOOLS = ThreadpoolController()


def single_threaded(compute):
    """Run ``compute`` with one BLAS thread.

    An explorer's problems are tiny, so threads never pay off; on a busy two-core machine a
    multi-threaded BLAS call waits for a free core and one 2 ms solve was measured at 56 ms.
    """
    @functools.wraps(compute)
    def wrapper(**params):
        with _THREADPOOLS.limit(limits=1, user_api="blas"):
            return compute(**params)

    return wrapper


@dataclass
class Param:
    """One explorer parameter: its grid of values and how to show it.

    Parameters
    ----------
    name : str
        Keyword passed to ``compute``.
    values : sequence
        The grid. The twin precomputes one frame per value (per combination, with two parameters).
    label : str, optional
        Text beside the slider; defaults to ``name``.
    fmt : str, default ``"{:g}"``
        Format of a value for display.
    initial : optional
        Starting value, which must be in ``values``; defaults to the middle of the grid.
    """

    name: str
    values: list
    label: str = None
    fmt: str = "{:g}"
    initial: object = None
    _index: int = field(init=False, repr=False)

    def __post_init__(self):
        self.values = list(self.values)
        if not self.values:
            raise ValueError(f"values of parameter {self.name!r} must not be empty")
        self.label = self.label or self.name
        if self.initial is None:
            self._index = len(self.values) // 2
        elif self.initial in self.values:
            self._index = self.values.index(self.initial)
        else:
            raise ValueError(f"initial of parameter {self.name!r} must be one of {self.values}, "
                             f"got {self.initial!r}")
        self.initial = self.values[self._index]

    def show(self, value):
        return self.fmt.format(value)


class Explorer:
    """An interactive figure: live ipywidgets in Jupyter, a precomputed twin on the website.

    Parameters
    ----------
    compute : callable
        ``compute(**params)`` returns a result (numbers only, no drawing).
    draw : callable
        ``draw(result, axes)`` draws a result; ``axes`` is one Axes or an array of them.
    params : list of Param
        One or two parameters; the first is the main one.
    alt : callable
        ``alt(result, **params) -> str``: a sentence describing the frame (alt text and caption).
    title : str
        Names the explorer for screen readers and in the twin's heading.
    subplots : tuple of int, default (1, 2)
    figsize : tuple of float, default (8.0, 3.2)
    dpi : int, default 80
        Resolution of the twin's frames.

    See Also
    --------
    Chapter 01 for the first explorer; CONTRIBUTING.md for the pattern.
    """

    _count = itertools.count()

    def __init__(self, compute, draw, params, *, alt, title, subplots=(1, 2), figsize=(8.0, 3.2),
                 dpi=80):
        if not 1 <= len(params) <= MAX_TWIN_PARAMETERS:
            raise ValueError(f"params must hold 1 or {MAX_TWIN_PARAMETERS} Param objects, "
                             f"got {len(params)}")
        self.compute = single_threaded(compute)
        self.draw = draw
        self.params = list(params)
        self.alt = alt
        self.title = title
        self.subplots = subplots
        self.figsize = figsize
        self.dpi = dpi
        self._widget = None
        digest = hashlib.sha1(title.encode()).hexdigest()[:8]
        self.element_id = f"rb-explorer-{digest}-{next(self._count)}"

    def render(self, **values):
        """Compute and draw one frame; return ``(png_bytes, alt_text)``."""
        use_book_style()
        result = self.compute(**values)
        fig, axes = plt.subplots(*self.subplots, figsize=self.figsize, layout="constrained")
        self.draw(result, axes)
        return figure_to_png(fig, dpi=self.dpi, colors=64), self.alt(result, **values)

    def frames(self):
        """Every frame of the twin, in row-major order over the parameter grids."""
        grids = [p.values for p in self.params]
        names = [p.name for p in self.params]
        return [self.render(**dict(zip(names, combo))) for combo in itertools.product(*grids)]

    def twin_html(self):
        """The self-contained HTML of the kernel-free twin."""
        frames = self.frames()
        sources = ["data:image/png;base64," + base64.b64encode(png).decode() for png, _ in frames]
        alts = [text for _, text in frames]
        sizes = [len(p.values) for p in self.params]
        start = np.ravel_multi_index([p._index for p in self.params], sizes)
        controls = []
        for k, p in enumerate(self.params):
            input_id = f"{self.element_id}-p{k}"
            labels = json.dumps([p.show(v) for v in p.values])
            controls.append(
                f'<div class="rb-control"><label for="{input_id}">{html.escape(p.label)}</label>'
                f'<input type="range" id="{input_id}" min="0" max="{len(p.values) - 1}" step="1" '
                f'value="{p._index}" aria-valuetext="{html.escape(p.show(p.initial))}" '
                f"data-labels='{html.escape(labels)}'>"
                f'<output for="{input_id}">{html.escape(p.show(p.initial))}</output></div>')
        payload = json.dumps({"sizes": sizes, "sources": sources, "alts": alts})
        return TWIN_TEMPLATE.format(
            id=self.element_id,
            title=html.escape(self.title),
            src=sources[start],
            alt=html.escape(alts[start]),
            controls="".join(controls),
            count=len(frames),
            payload=payload.replace("</", "<\\/"),
        )

    def widget(self):
        """The live ipywidgets view (built once)."""
        if self._widget is None:
            import ipywidgets as widgets

            sliders = [
                widgets.SelectionSlider(
                    options=[(p.show(v), v) for v in p.values], value=p.initial,
                    description=p.label, continuous_update=True,
                    style={"description_width": "initial"},
                    layout=widgets.Layout(width="420px"))
                for p in self.params
            ]
            image = widgets.Image(format="png")
            caption = widgets.HTML()

            def update(_change=None):
                png, text = self.render(**{p.name: s.value for p, s in zip(self.params, sliders)})
                image.value = png
                caption.value = f"<em>{html.escape(text)}</em>"

            for slider in sliders:
                slider.observe(update, names="value")
            update()
            self._widget = widgets.VBox([widgets.HTML(f"<strong>{html.escape(self.title)}</strong>"),
                                         *sliders, image, caption])
        return self._widget

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget()._repr_mimebundle_(include=include, exclude=exclude)
        bundle["text/html"] = self.twin_html()
        bundle["text/plain"] = f"<Explorer: {self.title}>"
        return bundle


TWIN_TEMPLATE = """\
<div class="rb-explorer" id="{id}" role="group" aria-label="{title}">
<style>
.rb-explorer {{ border: 1px solid #c8c8c8; border-radius: 6px; padding: .6rem .8rem; margin: 1rem 0; }}
.rb-explorer .rb-title {{ font-weight: 600; margin: 0 0 .4rem 0; }}
.rb-explorer img {{ max-width: 100%; height: auto; display: block; }}
.rb-explorer .rb-control {{ display: flex; align-items: center; gap: .6rem; margin: .2rem 0; }}
.rb-explorer .rb-control label {{ min-width: 9rem; }}
.rb-explorer .rb-control input {{ flex: 1; max-width: 24rem; }}
.rb-explorer .rb-control output {{ min-width: 4rem; font-family: monospace; }}
.rb-explorer figcaption {{ font-style: italic; margin-top: .3rem; }}
.rb-explorer .rb-note {{ font-size: .8rem; color: #555; margin: .3rem 0 0 0; }}
</style>
<p class="rb-title">{title}</p>
{controls}
<figure><img src="{src}" alt="{alt}"><figcaption aria-live="polite">{alt}</figcaption></figure>
<p class="rb-note">Precomputed: {count} frames, no kernel needed. Run the notebook for the live version.</p>
<script type="application/json" class="rb-frames">{payload}</script>
<script>
(function () {{
  var root = document.getElementById("{id}");
  var data = JSON.parse(root.querySelector("script.rb-frames").textContent);
  var inputs = root.querySelectorAll("input[type=range]");
  var img = root.querySelector("img"), caption = root.querySelector("figcaption");
  function show() {{
    var index = 0;
    inputs.forEach(function (input, k) {{
      index = index * data.sizes[k] + Number(input.value);
      var label = JSON.parse(input.dataset.labels)[Number(input.value)];
      input.setAttribute("aria-valuetext", label);
      root.querySelector('output[for="' + input.id + '"]').textContent = label;
    }});
    img.src = data.sources[index];
    img.alt = data.alts[index];
    caption.textContent = data.alts[index];
  }}
  inputs.forEach(function (input) {{ input.addEventListener("input", show); }});
}})();
</script>
</div>
"""
