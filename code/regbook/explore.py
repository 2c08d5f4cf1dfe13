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
import math
import sys
from dataclasses import dataclass, field

import functools
import io

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from PIL import Image
from threadpoolctl import ThreadpoolController

from regbook.plotting import use_book_style

MAX_TWIN_PARAMETERS = 2
_threadpools = {"controller": None, "modules": 0}


def _blas_controller():
    """A ThreadpoolController that knows every BLAS loaded so far.

    Building one costs milliseconds, so it is kept, and built again only after new modules were
    imported: a BLAS library is loaded only by importing an extension module (scipy brings its own).
    """
    if _threadpools["controller"] is None or _threadpools["modules"] != len(sys.modules):
        _threadpools["controller"] = ThreadpoolController()
        _threadpools["modules"] = len(sys.modules)
    return _threadpools["controller"]


def single_threaded(compute):
    """Run ``compute`` with one BLAS thread.

    An explorer's problems are tiny, so threads never pay off; on a busy two-core machine a
    multi-threaded BLAS call waits for a free core and one 2 ms solve was measured at 56 ms.
    """
    if not callable(compute):
        raise TypeError(f"compute must be callable, got {compute!r} of type {type(compute).__name__}")

    @functools.wraps(compute)
    def wrapper(**params):
        with _blas_controller().limit(limits=1, user_api="blas"):
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
        if not isinstance(self.name, str) or not self.name.isidentifier():
            raise TypeError(f"name must be a keyword of compute (an identifier string), got {self.name!r}")
        if isinstance(self.values, (str, bytes)) or not hasattr(self.values, "__iter__"):
            raise TypeError(f"values of parameter {self.name!r} must be a sequence, got {self.values!r}")
        self.values = list(self.values)
        if not self.values:
            raise ValueError(f"values of parameter {self.name!r} must not be empty")
        if any(isinstance(v, float) and not math.isfinite(v) for v in self.values):
            raise ValueError(f"values of parameter {self.name!r} must be finite, got {self.values}")
        if self.label is not None and not isinstance(self.label, str):
            raise TypeError(f"label of parameter {self.name!r} must be a string, got {self.label!r}")
        if not isinstance(self.fmt, str) or "{" not in self.fmt:
            raise ValueError(f"fmt of parameter {self.name!r} must be a format string such as "
                             f"'{{:g}}', got {self.fmt!r}")
        for value in self.values:
            try:
                self.fmt.format(value)
            except (ValueError, TypeError, IndexError, KeyError) as exc:
                raise ValueError(f"fmt of parameter {self.name!r} cannot format the value "
                                 f"{value!r}: {exc}") from None
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
        """``value``, one of the grid's, as the slider shows it."""
        if value not in self.values:
            raise ValueError(f"value of parameter {self.name!r} must be one of {self.values}, "
                             f"got {value!r}")
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
        for name, function in (("compute", compute), ("draw", draw), ("alt", alt)):
            if not callable(function):
                raise TypeError(f"{name} must be callable, got {function!r}")
        if not isinstance(params, (list, tuple)) or not all(isinstance(p, Param) for p in params):
            raise TypeError(f"params must be a list of Param objects, got {params!r}")
        if not 1 <= len(params) <= MAX_TWIN_PARAMETERS:
            raise ValueError(f"params must hold 1 or {MAX_TWIN_PARAMETERS} Param objects, "
                             f"got {len(params)}")
        if not isinstance(title, str) or not title:
            raise TypeError(f"title must be a non-empty string, got {title!r}")
        if not (isinstance(subplots, tuple) and len(subplots) == 2
                and all(isinstance(k, int) and not isinstance(k, bool) and k >= 1 for k in subplots)):
            raise ValueError(f"subplots must be a tuple (rows, columns) of positive integers, got {subplots!r}")
        if not (isinstance(figsize, tuple) and len(figsize) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
                        and v > 0 for v in figsize)):
            raise ValueError(f"figsize must be a tuple (width, height) of positive inches, got {figsize!r}")
        if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi < 1:
            raise TypeError(f"dpi must be a positive integer, got {dpi!r}")
        self.compute = single_threaded(compute)
        self.draw = draw
        self.params = list(params)
        self.alt = alt
        self.title = title
        self.subplots = subplots
        self.figsize = figsize
        self.dpi = dpi
        self._widget = None
        self._live = None
        digest = hashlib.sha1(title.encode()).hexdigest()[:8]
        self.element_id = f"rb-explorer-{digest}-{next(self._count)}"

    def render(self, **values):
        """Compute and draw one live frame; return ``(png_bytes, alt_text)``.

        The live view redraws one figure (see :class:`_Canvas`) and encodes the frame without
        quantisation: a slider move costs a partial redraw, not a new figure.
        """
        names = [p.name for p in self.params]
        if sorted(values) != sorted(names):
            raise TypeError(f"render takes the parameters {names} as keywords, got {sorted(values)}")
        for p in self.params:
            p.show(values[p.name])  # a value off the grid is an error, as on the slider
        if self._live is None:
            self._live = _Canvas(self.subplots, self.figsize, self.dpi)
        result = self.compute(**values)
        self._live.show(self.draw, result)
        return self._live.png(), self.alt(result, **values)

    def frames(self):
        """Every frame of the twin, in row-major order over the parameter grids.

        The frames are drawn as the live view draws them, on a figure of their own whose layout
        the initial values fix, and get a 64-colour palette, which shrinks these flat-coloured
        frames about threefold.
        """
        canvas = _Canvas(self.subplots, self.figsize, self.dpi)
        canvas.show(self.draw, self.compute(**{p.name: p.initial for p in self.params}))
        names = [p.name for p in self.params]
        frames = []
        for combo in itertools.product(*(p.values for p in self.params)):
            values = dict(zip(names, combo))
            result = self.compute(**values)
            canvas.show(self.draw, result)
            frames.append((canvas.png(colors=64), self.alt(result, **values)))
        return frames

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


class _Canvas:
    """One figure redrawn frame after frame, as fast as a frame can change.

    - The figure and its axes are made once. Each frame's artists are removed and the axes kept:
      rebuilding a figure per frame recreates every tick, spine and text object and was measured
      at two to three times the cost of a redraw.
    - The first frame fixes the constrained layout, which is then kept instead of solved again on
      every draw. That frame is drawn a second time inside the fixed layout, because what ``draw``
      places in pixels (contour labels) it placed before the layout moved the axes.
    - Blitting: the static part of the figure (spines, ticks, tick labels, axis labels, grid),
      about two thirds of a draw, is kept as a background while the limits, scales, ticks and
      labels stay the same, and only the frame's own artists, titles and legends are drawn over
      it. Blitted artists land above the grid whatever their z-order.
    """

    def __init__(self, subplots, figsize, dpi):
        use_book_style()
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(*subplots)
        self._own_axes = list(np.atleast_1d(self.axes).ravel())
        self._drawn = False
        self._background = None
        self._background_key = None

    def show(self, draw, result):
        """Draw ``draw(result, axes)`` as the figure's new frame."""
        first = not self._drawn
        if not first:
            self._clear()
        draw(result, self.axes)
        if first or not self._can_blit():
            self.figure.canvas.draw()
            self._background = None
        else:
            self._blit()
        if first:
            self.figure.set_layout_engine("none")
            self._drawn = True
            self.show(draw, result)

    def _can_blit(self):
        return (not self.figure.legends and not self.figure.texts
                and all(ax in self._own_axes for ax in self.figure.axes))

    def _dynamic(self, ax):
        extras = [ax.title, ax._left_title, ax._right_title]
        if ax.legend_ is not None:
            extras.append(ax.legend_)
        return sorted(list(ax._children) + extras, key=lambda artist: artist.get_zorder())

    def _static_key(self):
        key = []
        for ax in self._own_axes:
            for axis in (ax.xaxis, ax.yaxis):
                major, minor = axis.get_majorticklocs(), axis.get_minorticklocs()
                key.append((tuple(axis.get_view_interval()), axis.get_scale(), axis.label.get_text(),
                            tuple(major), tuple(minor), tuple(axis.get_major_formatter().format_ticks(major)),
                            tuple(axis.get_minor_formatter().format_ticks(minor))))
        return key

    def _blit(self):
        canvas = self.figure.canvas
        key = self._static_key()
        if self._background is None or key != self._background_key:
            dynamic = [a for ax in self._own_axes for a in self._dynamic(ax) if a.get_visible()]
            for artist in dynamic:
                artist.set_visible(False)
            canvas.draw()
            for artist in dynamic:
                artist.set_visible(True)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = key
        else:
            canvas.restore_region(self._background)
        for ax in self._own_axes:
            for artist in self._dynamic(ax):
                ax.draw_artist(artist)

    def _clear(self):
        for extra in [ax for ax in self.figure.axes if ax not in self._own_axes]:
            extra.remove()  # colorbars and twin axes are made anew by each draw
        self.figure.legends.clear()
        self.figure.texts.clear()
        for ax in self._own_axes:
            for artist in list(ax._children):
                if artist in ax._children:  # removing a contour set removes its parts too
                    artist.remove()
            ax.containers.clear()
            if ax.legend_ is not None:
                ax.legend_.remove()
            for title in (ax.title, ax._left_title, ax._right_title):
                title.set_text("")
            ax.set_prop_cycle(None)
            ax.xaxis.set_inverted(False)
            ax.yaxis.set_inverted(False)
            ax.dataLim.set_points(Bbox.null().get_points())
            ax.ignore_existing_data_limits = True
            ax.set_autoscale_on(True)
            ax.autoscale_view()

    def png(self, colors=None):
        """The last frame as PNG bytes: fast zlib for the live view, a palette for the twin."""
        image = Image.frombuffer("RGBA", self.figure.canvas.get_width_height(),
                                 self.figure.canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
        out = io.BytesIO()
        if colors is None:
            image.save(out, format="PNG", compress_level=1)
        else:
            image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT,
                           dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
        return out.getvalue()


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
