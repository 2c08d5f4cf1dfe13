"""Every chapter's explorer: compute works on its whole grid, and frames render with alt text."""

import importlib
import itertools

import pytest

from regbook.explore import Explorer
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
    fresh = explorer._canvas()
    fresh.show(explorer.compute(**initial))
    reused = explorer._canvas()
    for values in [initial] + corners + [initial]:
        reused.show(explorer.compute(**values))
    assert reused.png(colors=64) == fresh.png(colors=64)


def test_an_updated_frame_equals_the_same_frame_drawn_from_scratch(explorer):
    """``update`` changes the first frame's artists; the result must be what ``draw`` draws."""
    if explorer.update is None:
        pytest.skip("this explorer draws every frame from scratch")
    initial, corners = _corners(explorer)
    updated, scratch = explorer._canvas(), explorer._canvas()
    for canvas in (updated, scratch):  # the first frame fixes the layout
        canvas.show(explorer.compute(**initial))
    for values in corners + [initial]:
        result = explorer.compute(**values)
        updated.show(result)
        scratch.redraw(result)
        assert updated.png() == scratch.png(), f"frame {values} differs"


def test_fixed_limits_hold_every_frame_of_the_grid(explorer):
    """Each frame's own limits (autoscaled, or set by ``draw``) lie inside the fixed ones."""
    if not explorer.fixed_limits:
        pytest.skip("this explorer's frames keep their own limits")
    fixed = explorer.grid_limits()
    probe = explorer._canvas()
    for values in explorer._grid():
        own = probe.limits_of(explorer.compute(**values))
        for k, (own_axes, fixed_axes) in enumerate(zip(own, fixed)):
            for name, interval, (low, high) in zip("xy", own_axes, fixed_axes):
                assert low <= min(interval) and max(interval) <= high, (
                    f"{values}: axes {k} {name}-limits {interval} outside {(low, high)}")
    _, corners = _corners(explorer)
    for values in corners:
        explorer.render(**values)
        for ax, (xlim, ylim) in zip(explorer._live._own_axes, fixed):
            assert sorted(ax.get_xlim()) == sorted(xlim) and sorted(ax.get_ylim()) == sorted(ylim)
