"""Explorers: one call gives live sliders in Jupyter and a kernel-free twin on the website.

An explorer is built from three parts:

* ``compute(**params) -> result``: a pure, cheap function (median at most 50 ms);
* ``draw(result, axes)``: draws a result on matplotlib axes;
* optionally ``update(result, axes, artists)``: shows a new result by changing the artists that
  ``draw`` returned, which is several times faster than drawing the frame again;
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
import struct
import sys
import zlib
from dataclasses import dataclass, field

import functools
import io

import numpy as np
from matplotlib.artist import Artist
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
    update : callable, optional
        ``update(result, axes, artists)`` shows ``result`` by changing ``artists``, what ``draw``
        returned (an artist, or a dict, list or tuple of them), with ``set_data``, ``set_text``
        and the like, or by replacing an entry of that dict with a new artist. Given ``update``,
        ``draw`` is called only for the first frame; the artists ``draw`` returned are redrawn
        on every frame, the others are drawn once and kept as pixels, so ``draw`` must return
        every artist that ``update`` changes. The axes keep the limits of the first frame unless
        ``update`` sets them or ``fixed_limits`` is true.
    fixed_limits : bool, default False
        Give each axes, on every frame, the x and y limits that hold the limits of every frame of
        the grid, found by drawing each one once. The axes then do not jump while a slider is
        dragged, and what is drawn once can be kept.

    See Also
    --------
    Chapter 01 for the first explorer; CONTRIBUTING.md for the pattern.
    """

    _count = itertools.count()

    def __init__(self, compute, draw, params, *, alt, title, subplots=(1, 2), figsize=(8.0, 3.2),
                 dpi=80, update=None, fixed_limits=False):
        for name, function in (("compute", compute), ("draw", draw), ("alt", alt)):
            if not callable(function):
                raise TypeError(f"{name} must be callable, got {function!r}")
        if update is not None and not callable(update):
            raise TypeError(f"update must be callable or None, got {update!r}")
        if not isinstance(fixed_limits, bool):
            raise TypeError(f"fixed_limits must be True or False, got {fixed_limits!r}")
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
        self.update = update
        self.fixed_limits = fixed_limits
        self._limits = None
        self._widget = None
        self._live = None
        digest = hashlib.sha1(title.encode()).hexdigest()[:8]
        self.element_id = f"rb-explorer-{digest}-{next(self._count)}"

    def render(self, **values):
        """Compute and draw one live frame; return ``(png_bytes, alt_text)``.

        The live view redraws one figure (see :class:`_Canvas`) and encodes the frame without
        quantisation or row filters: a slider move costs a partial redraw, not a new figure.
        """
        names = [p.name for p in self.params]
        if sorted(values) != sorted(names):
            raise TypeError(f"render takes the parameters {names} as keywords, got {sorted(values)}")
        for p in self.params:
            p.show(values[p.name])  # a value off the grid is an error, as on the slider
        if self._live is None:
            self._live = self._canvas()
        result = self.compute(**values)
        self._live.show(result)
        return self._live.png(), self.alt(result, **values)

    def frames(self):
        """Every frame of the twin, in row-major order over the parameter grids.

        The frames are drawn as the live view draws them, on a figure of their own whose layout
        the initial values fix, and get a 64-colour palette, which shrinks these flat-coloured
        frames about threefold.
        """
        canvas = self._canvas()
        canvas.show(self.compute(**{p.name: p.initial for p in self.params}))
        frames = []
        for values in self._grid():
            result = self.compute(**values)
            canvas.show(result)
            frames.append((canvas.png(colors=64), self.alt(result, **values)))
        return frames

    def _grid(self):
        names = [p.name for p in self.params]
        return [dict(zip(names, combo)) for combo in itertools.product(*(p.values for p in self.params))]

    def _canvas(self):
        return _Canvas(self.subplots, self.figsize, self.dpi, self.draw, self.update,
                       self.grid_limits() if self.fixed_limits else None)

    def grid_limits(self):
        """Per axes of the figure, the ``(xlim, ylim)`` that hold every frame's own limits.

        Each frame of the grid is computed and drawn once (not rendered) and its limits read after
        autoscaling; an axis keeps its direction (an inverted axis stays inverted). Computed once.
        """
        if self._limits is None:
            canvas = _Canvas(self.subplots, self.figsize, self.dpi, self.draw)
            frames = [canvas.limits_of(self.compute(**values)) for values in self._grid()]
            self._limits = []
            for limits in zip(*frames):  # one axes: its (xlim, ylim) on every frame
                xs = [x for xlim, _ in limits for x in xlim]
                ys = [y for _, ylim in limits for y in ylim]
                self._limits.append(((min(xs), max(xs)), (min(ys), max(ys))))
        return self._limits

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

    - The figure and its axes are made once. Without ``update``, each frame's artists are removed
      and drawn again, and the axes kept: rebuilding a figure per frame recreates every tick,
      spine and text object and was measured at two to three times the cost of a redraw. With
      ``update``, the artists of the first frame are changed instead of made again.
    - The first frame fixes the constrained layout, which is then kept instead of solved again on
      every draw. That frame is drawn a second time inside the fixed layout, because what ``draw``
      places in pixels (contour labels) it placed before the layout moved the axes.
    - Blitting, in three layers per axes, in the axes' own drawing order (by z-order): the
      *background* holds the static part of the figure (spines, ticks, tick labels, axis labels,
      grid), about two thirds of a draw, and the artists below the first one that changes; the
      *live* layer, from the first to the last artist that changes, is drawn on every frame; the
      *overlay*, the artists above the last one that changes (legends, mostly), is rendered once
      on a transparent layer and composited. A layer is kept while its artists and the limits,
      scales, ticks and labels stay the same. Live artists land above the grid whatever their
      z-order. An artist changes when ``draw`` returned it (``update`` changes those), when it is
      new, or when matplotlib marked it stale (its setters do). Without ``update`` every artist
      is new on every frame; with it, the frame ``draw`` makes is layered as an updated one, so
      that both give the same pixels.
    """

    def __init__(self, subplots, figsize, dpi, draw, update=None, limits=None):
        use_book_style()
        self.figure = Figure(figsize=figsize, dpi=dpi, layout="constrained")
        FigureCanvasAgg(self.figure)
        self.axes = self.figure.subplots(*subplots)
        self._own_axes = list(np.atleast_1d(self.axes).ravel())
        self._draw = draw
        self._update = update
        self._limits = limits
        self._artists = None
        self._drawn = False
        self._background = None
        self._background_key = None
        self._overlay = None
        self._overlay_key = None
        self._shown = []  # the last frame's artists, kept so that their ids stay theirs

    def show(self, result):
        """Draw ``result`` as the figure's new frame."""
        if self._update is None or self._artists is None:
            if self._drawn:
                self._clear()
            artists = self._draw(result, self.axes)
            if self._update is not None:
                if not list(_artists_in(artists)):
                    raise TypeError(f"draw must return the artists that update changes (an artist, "
                                    f"or a dict, list or tuple of them), got {artists!r}")
                self._artists = artists
                # Layered as an updated frame is, so that both give the same pixels.
                self._shown = [a for ax in self._own_axes for a in self._ordered(ax)]
                for artist in self._shown:
                    artist.stale = False
        else:
            self._update(result, self.axes, self._artists)
        self._fix_limits()
        if not self._drawn:
            self.figure.canvas.draw()
            self.figure.set_layout_engine("none")
            self._drawn = True
            self._artists = None
            self.show(result)
        elif self._can_blit():
            self._blit()
        else:
            self.figure.canvas.draw()
            self._background = self._overlay = None

    def redraw(self, result):
        """Draw ``result`` from scratch with ``draw``, even given ``update``, in the kept layout."""
        self._artists = None
        self.show(result)

    def limits_of(self, result):
        """Per axes, ``(xlim, ylim)`` once ``draw`` has drawn ``result`` (nothing is rendered)."""
        self._clear()
        self._draw(result, self.axes)
        return [(ax.get_xlim(), ax.get_ylim()) for ax in self._own_axes]

    def _fix_limits(self):
        if self._limits is None:
            return
        for ax, (xlim, ylim) in zip(self._own_axes, self._limits):
            for limits, get, set_ in ((xlim, ax.get_xlim, ax.set_xlim),
                                      (ylim, ax.get_ylim, ax.set_ylim)):
                low, high = get()
                set_(*(limits[::-1] if low > high else limits))

    def _can_blit(self):
        return (not self.figure.legends and not self.figure.texts
                and all(ax in self._own_axes for ax in self.figure.axes))

    def _ordered(self, ax):
        """The artists of a frame in ``ax``, in the order the axes draws them."""
        extras = [ax.title, ax._left_title, ax._right_title]
        if ax.legend_ is not None:
            extras.append(ax.legend_)
        return sorted(list(ax._children) + extras, key=lambda artist: artist.get_zorder())

    def _layers(self, ax, changing, shown):
        """``(background, live, overlay)``: the artists of ``ax`` split where changes start and end."""
        ordered = self._ordered(ax)
        changed = [k for k, artist in enumerate(ordered)
                   if artist.stale or id(artist) in changing or id(artist) not in shown]
        if not changed:
            return ordered, [], []
        return ordered[:changed[0]], ordered[changed[0]:changed[-1] + 1], ordered[changed[-1] + 1:]

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
        changing = {id(artist) for artist in _artists_in(self._artists)}
        shown = {id(artist) for artist in self._shown}
        layers = [self._layers(ax, changing, shown) for ax in self._own_axes]
        # Keys hold the artists themselves (equal when identical), so no id is reused under them.
        background_key = (key, [a for below, _, _ in layers for a in below])
        if self._background is None or background_key != self._background_key:
            hidden = [a for _, live, above in layers for a in live + above if a.get_visible()]
            for artist in hidden:
                artist.set_visible(False)
            canvas.draw()
            for artist in hidden:
                artist.set_visible(True)
            self._background = canvas.copy_from_bbox(self.figure.bbox)
            self._background_key = background_key
        else:
            canvas.restore_region(self._background)
        for ax, (_, live, _) in zip(self._own_axes, layers):
            for artist in live:
                ax.draw_artist(artist)
        overlay = [(ax, a) for ax, (_, _, above) in zip(self._own_axes, layers) for a in above]
        if overlay:
            self._composite(key, overlay)
        self._shown = [a for layer in layers for part in layer for a in part]
        for artist in self._shown:
            artist.stale = False

    def _composite(self, key, overlay):
        """Draw the overlay artists from pixels kept while they stay the same."""
        canvas = self.figure.canvas
        overlay_key = (key, [artist for _, artist in overlay])
        if overlay_key != self._overlay_key:
            frame = canvas.copy_from_bbox(self.figure.bbox)
            canvas.get_renderer().clear()  # transparent: what is drawn now keeps its own alpha
            for ax, artist in overlay:
                ax.draw_artist(artist)
            layer = np.asarray(canvas.buffer_rgba())
            where = np.nonzero(layer[:, :, 3])
            self._overlay = where, layer[where]
            self._overlay_key = overlay_key
            canvas.restore_region(frame)
        where, layer = self._overlay
        pixels = np.asarray(canvas.buffer_rgba())
        pixels[where] = _blend(layer, pixels[where])

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
        """The last frame as PNG bytes: fast and unfiltered for the live view, a palette for the twin."""
        pixels = np.asarray(self.figure.canvas.buffer_rgba())
        if colors is None:
            return _png_rgb(pixels[:, :, :3])
        image = Image.fromarray(pixels[:, :, :3])
        out = io.BytesIO()
        image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT,
                       dither=Image.Dither.NONE).save(out, format="PNG", optimize=True)
        return out.getvalue()


def _artists_in(artists):
    """The matplotlib artists in an artist, or in a dict, list or tuple of them (nested)."""
    if isinstance(artists, Artist):
        yield artists
    elif isinstance(artists, dict):
        for value in artists.values():
            yield from _artists_in(value)
    elif isinstance(artists, (list, tuple)):  # bar containers are tuples of patches
        for value in artists:
            yield from _artists_in(value)


def _blend(top, below):
    """RGBA pixels ``top`` drawn over ``below`` (both (n, 4) uint8, not premultiplied).

    The integer arithmetic of matplotlib's Agg blender (``fixed_blender_rgba_plain``), so that an
    artist composited from its own transparent layer gets the pixels it gets when drawn directly.
    """
    alpha, below_alpha = top[:, 3:].astype(np.int64), below[:, 3:].astype(np.int64)
    kept = below[:, :3] * below_alpha
    total = ((alpha + below_alpha) << 8) - alpha * below_alpha
    colour = (((top[:, :3].astype(np.int64) << 8) - kept) * alpha + (kept << 8)) // total
    return np.concatenate([colour, total >> 8], axis=1).astype(np.uint8)


def _png_rgb(pixels):
    """PNG bytes of an (height, width, 3) uint8 array, with zlib level 1 and no row filter.

    Half the time of Pillow's encoder on explorer frames, at about the same size (flat colours
    compress well without filters).
    """
    height, width, _ = pixels.shape
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type "None" on every row
    rows[:, 1:] = pixels.reshape(height, 3 * width)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


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
