"""Explorers of chapters 08-15: the static part of a frame is the same on the whole grid.

While a slider moves, the live view redraws only what changes; the axes' limits, scales, ticks
and labels are kept as pixels while they stay the same. These explorers fix them for the whole
grid, so every frame's data must fit inside the fixed limits.
"""

import importlib
import itertools

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from regbook.explorers import CHAPTER_EXPLORERS

FIXED = ["08_label_smoothing", "09_parameter_sharing", "10_early_stopping", "11_ensembles",
         "12_dropout", "13_loss_landscapes", "14_sgd", "15_unifying_principle"]


@pytest.fixture(params=FIXED, scope="module")
def explorer(request):
    return importlib.import_module(CHAPTER_EXPLORERS[request.param]).make_explorer()


def _grid(explorer):
    names = [p.name for p in explorer.params]
    combos = itertools.product(*(p.values for p in explorer.params))
    return [dict(zip(names, combo)) for combo in combos]


def _drawn(explorer, values):
    """The axes of a new figure on which ``draw`` drew the frame of ``values``."""
    figure = Figure(figsize=explorer.figsize, dpi=explorer.dpi)
    FigureCanvasAgg(figure)
    axes = figure.subplots(*explorer.subplots)
    explorer.draw(explorer.compute(**values), axes)
    return list(np.atleast_1d(axes).ravel())


def _static_part(ax):
    part = []
    for axis in (ax.xaxis, ax.yaxis):
        ticks = axis.get_majorticklocs()
        part.append((tuple(np.round(axis.get_view_interval(), 12)), axis.get_scale(),
                     axis.label.get_text(), tuple(ticks),
                     tuple(axis.get_major_formatter().format_ticks(ticks)),
                     tuple(axis.get_minorticklocs())))
    return part


def _data_bounds(ax):
    """(x_min, x_max, y_min, y_max) of the data of the lines, collections and images in ``ax``,
    leaving out artists placed in axes coordinates (axhline, axvline, axvspan)."""
    boxes = []
    for line in ax.lines:
        if line.get_transform() == ax.transData and len(line.get_xydata()):
            xy = line.get_xydata()
            boxes.append((np.nanmin(xy[:, 0]), np.nanmax(xy[:, 0]),
                          np.nanmin(xy[:, 1]), np.nanmax(xy[:, 1])))
    for collection in ax.collections:
        if ax.transData not in (collection.get_transform(), collection.get_offset_transform()):
            continue
        box = collection.get_datalim(ax.transData)
        if np.all(np.isfinite(box.extents)) and box.width >= 0:
            boxes.append((box.x0, box.x1, box.y0, box.y1))
    for image in ax.images:
        left, right, bottom, top = image.get_extent()
        boxes.append((min(left, right), max(left, right), min(bottom, top), max(bottom, top)))
    return boxes


def test_limits_ticks_and_labels_are_the_same_on_every_frame(explorer):
    frames = [[_static_part(ax) for ax in _drawn(explorer, values)] for values in _grid(explorer)]
    for values, frame in zip(_grid(explorer), frames):
        assert frame == frames[0], f"the axes change at {values}"


def test_every_frame_fits_inside_the_fixed_limits(explorer):
    for values in _grid(explorer):
        for k, ax in enumerate(_drawn(explorer, values)):
            (x_low, x_high), (y_low, y_high) = sorted(ax.get_xlim()), sorted(ax.get_ylim())
            slack_x, slack_y = 1e-9 * (x_high - x_low), 1e-9 * (y_high - y_low)
            for x0, x1, y0, y1 in _data_bounds(ax):
                assert x_low - slack_x <= x0 and x1 <= x_high + slack_x, (values, k, x0, x1)
                assert y_low - slack_y <= y0 and y1 <= y_high + slack_y, (values, k, y0, y1)


def _legend_labels(ax):
    return None if ax.legend_ is None else [text.get_text() for text in ax.legend_.get_texts()]


def test_legends_are_the_same_on_every_frame(explorer):
    """A legend that does not change is kept as pixels while the sliders move."""
    frames = [[_legend_labels(ax) for ax in _drawn(explorer, values)] for values in _grid(explorer)]
    assert any(labels for labels in frames[0]), "no legend"
    for values, frame in zip(_grid(explorer), frames):
        assert frame == frames[0], f"the legends change at {values}"


def _data_points(ax):
    """Display coordinates along the lines (20 per segment), of the markers and of the polygons
    (their corners and a grid inside bars) drawn in data coordinates in ``ax``."""
    def along(xy):
        xy = np.asarray(xy, dtype=float)
        t = np.linspace(0, 1, 20)[:, None]
        pieces = [xy[i] + t * (xy[i + 1] - xy[i]) for i in range(len(xy) - 1)
                  if np.all(np.isfinite(xy[i:i + 2]))]
        return np.vstack(pieces) if pieces else xy[np.all(np.isfinite(xy), axis=1)]

    points = [np.zeros((0, 2))]
    for line in ax.lines:
        if line.get_transform() == ax.transData:
            xy = line.get_xydata()
            points.append(along(xy) if line.get_linestyle() not in ("None", "") else xy)
    for collection in ax.collections:
        if collection.get_offset_transform() == ax.transData and len(collection.get_offsets()):
            points.append(np.asarray(collection.get_offsets()))
        if collection.get_transform() == ax.transData:
            for path in collection.get_paths():
                vertices = path.vertices
                if len(vertices) <= 5:  # a bar: its inside too
                    (x0, y0), (x1, y1) = vertices.min(axis=0), vertices.max(axis=0)
                    grid = np.meshgrid(np.linspace(x0, x1, 8), np.linspace(y0, y1, 8))
                    points.append(np.column_stack([g.ravel() for g in grid]))
                else:
                    points.append(along(vertices))
    xy = np.vstack(points)
    return ax.transData.transform(xy[np.all(np.isfinite(xy), axis=1)])


def test_legends_cover_no_data(explorer):
    canvas = explorer._canvas()
    for values in _grid(explorer):
        canvas.show(explorer.compute(**values))
        renderer = canvas.figure.canvas.get_renderer()
        for k, ax in enumerate(canvas._own_axes):
            if ax.legend_ is None:
                continue
            box = ax.legend_.get_window_extent(renderer)
            x, y = _data_points(ax).T
            covered = (box.x0 < x) & (x < box.x1) & (box.y0 < y) & (y < box.y1)
            assert not covered.any(), f"{values}: the legend of axes {k} covers data"
