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
