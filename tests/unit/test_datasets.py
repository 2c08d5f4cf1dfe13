import numpy as np
import pytest

from regbook.datasets import (BUNDLED, load_bundled, make_noisy_curve, make_train_test_curves,
                              true_curve)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_bundled_sets_load_without_download(name):
    X, y = load_bundled(name)
    assert X.ndim == 2 and len(X) == len(y) > 100 and np.isfinite(X).all()


def test_unknown_set_is_named():
    with pytest.raises(ValueError, match="name must be one of .* got 'mnist'"):
        load_bundled("mnist")


def test_noisy_curve_is_seeded_and_has_the_requested_noise():
    a = make_noisy_curve(50, rng=3)
    b = make_noisy_curve(50, rng=3)
    assert all(np.array_equal(u, v) for u, v in zip(a, b))
    x, y = make_noisy_curve(200_000, noise=0.3, rng=0)
    assert np.std(y - true_curve(x)) == pytest.approx(0.3, rel=0.01)
    assert x.min() >= -1 and x.max() <= 1


def test_train_test_curves_differ_but_are_reproducible():
    first = make_train_test_curves(seed=0)
    assert not np.array_equal(first[0][:20], first[2][:20])
    assert all(np.array_equal(u, v) for u, v in zip(first, make_train_test_curves(seed=0)))


@pytest.mark.parametrize("kwargs, match", [({"n_samples": 0}, "n_samples"),
                                           ({"noise": -0.1}, "noise"),
                                           ({"rng": -1}, "rng")])
def test_bad_input_is_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        make_noisy_curve(**kwargs)


def test_curve_helpers_name_their_own_parameters():
    import pytest

    from regbook.datasets import make_train_test_curves, true_curve

    with pytest.raises(TypeError, match="n_train must be an integer"):
        make_train_test_curves(n_train=2.5)
    with pytest.raises(TypeError, match="n_test must be an integer"):
        make_train_test_curves(n_test=True)
    with pytest.raises(ValueError, match=r"seed must be in \[0, inf\)"):
        make_train_test_curves(seed=-1)
    with pytest.raises(ValueError, match="x must contain only finite values"):
        true_curve([0.0, np.nan])
