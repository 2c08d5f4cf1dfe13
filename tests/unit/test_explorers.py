"""Every chapter's explorer: compute works on its whole grid, and frames render with alt text."""

import importlib
import itertools

import pytest

from regbook.explore import Explorer, _Canvas
from regbook.explorers import CHAPTER_EXPLORERS


@pytest.fixture(params=sorted(CHAPTER_EXPLORERS), scope="module")
def explorer(request):
    made = importlib.import_module(CHAPTER_EXPLORERS[request.param]).make_explorer()
    assert isinstance(made, Explorer)
    return made


def test_compute_runs_on_the_whole_grid(explorer):
    names = [p.name for p in explorer.params]
    for combo in itertools.product(*(p.values for p in explorer.params)):
        assert explorer.compute(**dict(zip(names, combo))) is not None


def test_first_and_last_frames_render_with_distinct_alt_text(explorer):
    first = explorer.render(**{p.name: p.values[0] for p in explorer.params})
    last = explorer.render(**{p.name: p.values[-1] for p in explorer.params})
    assert first[0].startswith(b"\x89PNG") and last[0].startswith(b"\x89PNG")
    assert first[1] and last[1] and first[1] != last[1]


def _corners(explorer):
    names = [p.name for p in explorer.params]
    initial = {p.name: p.initial for p in explorer.params}
    corners = [dict(zip(names, combo))
               for combo in itertools.product(*((p.values[0], p.values[-1]) for p in explorer.params))]
    return initial, corners


def test_a_live_frame_drawn_again_after_others_is_unchanged(explorer):
    """The live figure is reused: nothing of an earlier frame may leak into a later one."""
    initial, corners = _corners(explorer)
    before = explorer.render(**initial)[0]
    for values in corners:
        explorer.render(**values)
    assert explorer.render(**initial)[0] == before


def test_a_twin_frame_drawn_after_others_equals_one_drawn_on_a_fresh_figure(explorer):
    """Twin frames share one figure whose layout the initial values fix, as in ``frames``."""
    initial, corners = _corners(explorer)
    fresh = _Canvas(explorer.subplots, explorer.figsize, explorer.dpi)
    fresh.show(explorer.draw, explorer.compute(**initial))
    reused = _Canvas(explorer.subplots, explorer.figsize, explorer.dpi)
    for values in [initial] + corners + [initial]:
        reused.show(explorer.draw, explorer.compute(**values))
    assert reused.png(colors=64) == fresh.png(colors=64)
