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
