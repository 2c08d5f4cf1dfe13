import io
import json
import re

import numpy as np
import pytest

from regbook.explore import Explorer, Param


def compute(a, b=1):
    return {"a": a, "b": b, "y": a * np.linspace(0, 1, 5) + b}


def draw(result, ax):
    ax.plot(result["y"])


def alt(result, a, b=1):
    return f"line with slope {a} and intercept {b}"


def make(params=None):
    params = params or [Param("a", [1, 2, 3], label="slope"), Param("b", [0, 5], initial=5)]
    return Explorer(compute, draw, params, alt=alt, title="Toy", subplots=(1, 1), figsize=(3, 2))


def test_param_defaults_and_validation():
    p = Param("a", [1, 2, 3, 4])
    assert p.initial == 3 and p.label == "a"
    with pytest.raises(ValueError, match="initial of parameter 'a' must be one of"):
        Param("a", [1, 2], initial=7)
    with pytest.raises(ValueError, match="values of parameter 'a' must not be empty"):
        Param("a", [])


def test_explorer_takes_one_or_two_parameters():
    with pytest.raises(ValueError, match="params must hold 1 or 2"):
        Explorer(compute, draw, [], alt=alt, title="x")
    with pytest.raises(ValueError, match="params must hold 1 or 2"):
        Explorer(compute, draw, [Param("a", [1])] * 3, alt=alt, title="x")


def test_twin_holds_every_frame_with_alt_text_and_starts_at_initial_values():
    html = make().twin_html()
    payload = json.loads(re.search(r'class="rb-frames">(.*?)</script>', html, re.S).group(1))
    assert payload["sizes"] == [3, 2]
    assert len(payload["sources"]) == 6 and len(set(payload["sources"])) == 6
    assert all(s.startswith("data:image/png;base64,") for s in payload["sources"])
    assert payload["alts"][0] == "line with slope 1 and intercept 0"
    assert payload["alts"][-1] == "line with slope 3 and intercept 5"
    # initial: a=2 (middle), b=5 -> row-major index 1 * 2 + 1 = 3
    assert f'alt="{payload["alts"][3]}"' in html
    assert 'label for="' in html and 'aria-valuetext="5"' in html


def test_twin_is_self_contained():
    html = make().twin_html()
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "</script>" not in re.search(r'class="rb-frames">(.*?)</script>', html, re.S).group(1)


def test_element_ids_are_unique_per_explorer():
    assert make().element_id != make().element_id


def test_bundle_has_widget_twin_and_text():
    explorer = make([Param("a", [1, 2])])
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert 'class="rb-explorer"' in bundle["text/html"]
    assert bundle["text/plain"] == "<Explorer: Toy>"


def test_live_widget_updates_the_frame_when_a_slider_moves():
    explorer = make([Param("a", [1, 2, 3])])
    box = explorer.widget()
    slider, image, caption = box.children[1], box.children[2], box.children[3]
    before = image.value
    slider.value = 3
    assert image.value != before
    assert "slope 3" in caption.value


def test_compute_runs_with_a_single_blas_thread():
    import scipy.linalg  # noqa: F401  (scipy loads its own OpenBLAS, possibly after regbook.explore)
    from threadpoolctl import threadpool_info

    def blas_threads(a):
        return {"threads": [lib["num_threads"] for lib in threadpool_info()
                            if lib["user_api"] == "blas"]}

    explorer = Explorer(blas_threads, draw, [Param("a", [1])], alt=alt, title="threads")
    assert set(explorer.compute(a=1)["threads"]) <= {1}


# ------------------------------------------------------------------ update and fixed limits --

def _pixels(png):
    from PIL import Image

    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=int)


def curve(a):
    x = np.linspace(0, 1, 30)
    return {"a": a, "x": x, "y": a * x ** 2}


def draw_curve(result, ax):
    ax.scatter([0.2, 0.8], [0.0, 1.0], color="grey", label="fixed points")
    line, = ax.plot(result["x"], result["y"], label="curve")
    ax.set_title(f"a = {result['a']}")
    ax.legend(loc="upper left")
    return {"line": line, "title": ax.title}


def update_curve(result, ax, artists):
    artists["line"].set_ydata(result["y"])
    artists["title"].set_text(f"a = {result['a']}")


def alt_curve(result, a):
    return f"parabola {a} x squared"


def make_curve(**kwargs):
    return Explorer(curve, draw_curve, [Param("a", [-2, 1, 3])], alt=alt_curve, title="Curve",
                    subplots=(1, 1), figsize=(3, 2), fixed_limits=True, **kwargs)


def test_update_and_fixed_limits_are_checked():
    with pytest.raises(TypeError, match="update must be callable"):
        make_curve(update=42)
    with pytest.raises(TypeError, match="fixed_limits must be True or False"):
        Explorer(curve, draw_curve, [Param("a", [1])], alt=alt_curve, title="x", fixed_limits=1)


def test_with_update_draw_must_return_the_artists():
    explorer = Explorer(curve, draw, [Param("a", [1, 2])], alt=alt_curve, title="x",
                        subplots=(1, 1), update=update_curve)
    with pytest.raises(TypeError, match="draw must return the artists that update changes"):
        explorer.render(a=1)


def test_an_updated_frame_equals_the_frame_drawn_from_scratch():
    updated = make_curve(update=update_curve)
    updated.render(a=-2)
    updated.render(a=1)
    for a in (3, -2, 1):
        assert _pixels(updated.render(a=a)[0]).tolist() == _pixels(
            make_curve(update=update_curve).render(a=a)[0]).tolist()


def test_frames_with_and_without_update_look_the_same():
    """Without update the legend is drawn on every frame; with it, it is composited from pixels."""
    with_update, without = make_curve(update=update_curve), make_curve()
    for a in (-2, 3, 1):
        difference = np.abs(_pixels(with_update.render(a=a)[0]) - _pixels(without.render(a=a)[0]))
        # Only where a live artist crosses the grid (drawn above it live, below it in the background).
        assert (difference.max(axis=2) > 40).mean() < 0.005


def test_an_artist_that_update_changes_without_returning_it_is_redrawn():
    def update_colour_too(result, ax, artists):
        update_curve(result, ax, artists)
        ax.collections[0].set_color("red" if result["a"] > 0 else "grey")

    def draw_colour_too(result, ax):
        artists = draw_curve(result, ax)
        ax.collections[0].set_color("red" if result["a"] > 0 else "grey")
        return artists

    updated = Explorer(curve, draw_colour_too, [Param("a", [-2, 1, 3])], alt=alt_curve, title="c",
                       subplots=(1, 1), figsize=(3, 2), fixed_limits=True, update=update_colour_too)
    updated.render(a=-2)
    fresh = Explorer(curve, draw_colour_too, [Param("a", [-2, 1, 3])], alt=alt_curve, title="c",
                     subplots=(1, 1), figsize=(3, 2), fixed_limits=True, update=update_colour_too)
    shown, expected = _pixels(updated.render(a=3)[0]), _pixels(fresh.render(a=3)[0])

    def red(pixels):
        return ((pixels[:, :, 0] > 200) & (pixels[:, :, 1] < 80) & (pixels[:, :, 2] < 80)).sum()

    # Redrawn live, the points land above the grid lines that cross them in the fresh frame.
    assert red(shown) >= red(expected) > 20
    assert (np.abs(shown - expected).max(axis=2) > 40).mean() < 0.005


def test_fixed_limits_hold_every_frame_and_do_not_move():
    explorer = make_curve(update=update_curve)
    [(xlim, ylim)] = explorer.grid_limits()
    assert ylim[0] <= -2 and ylim[1] >= 3  # the lowest and the highest curve of the grid
    for a in (-2, 1, 3):
        explorer.render(a=a)
        ax = explorer._live.axes
        assert ax.get_xlim() == xlim and ax.get_ylim() == ylim
        data = ax.lines[0].get_ydata()
        assert ylim[0] <= data.min() and data.max() <= ylim[1]


def test_fixed_limits_keep_an_inverted_axis_inverted():
    def draw_inverted(result, ax):
        artists = draw_curve(result, ax)
        ax.invert_yaxis()
        return artists

    explorer = Explorer(curve, draw_inverted, [Param("a", [-2, 3])], alt=alt_curve, title="i",
                        subplots=(1, 1), figsize=(3, 2), fixed_limits=True)
    explorer.render(a=3)
    low, high = explorer._live.axes.get_ylim()
    assert low > high and high <= -2 and low >= 3


def test_the_overlay_blend_equals_drawing_directly():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from regbook.explore import _blend

    figure = Figure(figsize=(2, 1), dpi=40)
    FigureCanvasAgg(figure)
    ax = figure.subplots()
    ax.plot([0, 1], [0, 1], lw=6, color="C0")
    line, = ax.plot([0, 1], [1, 0], lw=4, color="C1", alpha=0.6)
    line.set_visible(False)
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    below = np.array(figure.canvas.buffer_rgba()).reshape(-1, 4)
    line.set_visible(True)
    line.draw(renderer)
    direct = np.array(figure.canvas.buffer_rgba()).reshape(-1, 4)
    renderer.clear()
    line.draw(renderer)
    layer = np.array(figure.canvas.buffer_rgba()).reshape(-1, 4)
    drawn = layer[:, 3] > 0
    assert drawn.sum() > 100
    assert _blend(layer[drawn], below[drawn]).tolist() == direct[drawn].tolist()


def test_the_live_png_holds_the_canvas_pixels():
    explorer = make_curve(update=update_curve)
    png, _ = explorer.render(a=3)
    canvas = np.asarray(explorer._live.figure.canvas.buffer_rgba())[:, :, :3]
    assert _pixels(png).tolist() == canvas.tolist()
