"""Chapter 06's explorer: one augmentation strength, a gallery of augmented digits."""

from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from regbook.augment import augment_with_strength, strength_parameters
from regbook.datasets import load_bundled
from regbook.explore import Explorer, Param
from regbook._validation import check_finite_array, check_random_state, check_scalar

STRENGTHS = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
CLASSES = (1, 2, 4, 5, 7, 9)
N_COPIES = 2
VALUE_RANGE = (0.0, 16.0)
GAP_COLOR = "#cfd8e3"


def gallery_digits(classes=CLASSES):
    """The first bundled digit of each class in ``classes``, as a (k, 8, 8) batch."""
    X, y = load_bundled("digits")
    return np.stack([X[np.flatnonzero(y == c)[0]].reshape(8, 8) for c in classes])


def compute(strength, images, seed=0, n_copies=N_COPIES):
    """Explorer ``compute``: ``n_copies`` augmented copies of ``images`` at ``strength``.

    The seed is the same for every strength, so moving the slider changes how far each digit is
    transformed, not which random draw it gets.
    """
    strength = check_scalar(strength, "strength", low=0.0, high=1.0)
    images = check_finite_array(images, "images", ndim=3)
    rng = check_random_state(seed, "seed")
    copies = np.stack([augment_with_strength(images, strength, rng=rng, value_range=VALUE_RANGE)
                       for _ in range(n_copies)])
    return {"strength": float(strength), "images": images, "copies": copies,
            "params": strength_parameters(strength),
            "mean_change": float(np.mean(np.abs(copies - images[None])))}


def mosaic(rows, gap=1):
    """Tile equal-sized images into one array, ``rows[r][c]`` at row r, column c, NaN between."""
    rows = np.asarray(rows, dtype=float)
    n_rows, n_cols, h, w = rows.shape
    out = np.full((n_rows * (h + gap) - gap, n_cols * (w + gap) - gap), np.nan)
    for r in range(n_rows):
        for c in range(n_cols):
            out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = rows[r, c]
    return out


def draw(result, ax):
    """Explorer ``draw``: originals on the top row, one augmented copy per row below.

    The gallery is a single image (a mosaic), which draws much faster than one axes per digit.
    Returns the artists that :func:`update` changes.
    """
    rows = [result["images"], *result["copies"]]
    cmap = plt.get_cmap("gray_r").with_extremes(bad=GAP_COLOR)
    image = ax.imshow(mosaic(rows), cmap=cmap, vmin=VALUE_RANGE[0], vmax=VALUE_RANGE[1],
                      interpolation="nearest")
    h = result["images"].shape[1] + 1
    ax.set_yticks([h * r + (h - 2) / 2 for r in range(len(rows))],
                  ["original"] + [f"copy {r}" for r in range(1, len(rows))])
    ax.set_xticks([])
    ax.tick_params(length=0)
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.set_title("", fontsize=9)
    artists = {"image": image, "title": ax.title}
    update(result, ax, artists)
    return artists


def update(result, ax, artists):
    """Explorer ``update``: the new copies and the title that states the strength's settings."""
    artists["image"].set_data(mosaic([result["images"], *result["copies"]]))
    p = result["params"]
    artists["title"].set_text(f"strength {result['strength']:.1f}: rotation ±{p['max_degrees']:.0f}°, "
                              f"crop area ≥ {p['scale'][0]:.2f}, noise σ = "
                              f"{p['noise_fraction'] * 16:.2f}")


def alt(result, strength):
    """Explorer ``alt``: one sentence that states what the frame shows."""
    p = result["params"]
    if strength == 0:
        return ("Strength 0: the two copies of six digits are identical to the originals; "
                "the mean pixel change is 0.")
    return (f"Strength {strength:.1f}: two augmented copies of six digits, rotated by up to "
            f"{p['max_degrees']:.0f} degrees, cropped to at least {p['scale'][0]:.0%} of their "
            f"area, with brightness, contrast and noise jitter; mean absolute pixel change "
            f"{result['mean_change']:.2f} on the 0 to 16 scale.")


def make_explorer(seed=0):
    """The chapter 06 explorer: a gallery of augmented digits over the augmentation strength."""
    images = gallery_digits()
    return Explorer(
        partial(compute, images=images, seed=seed), draw,
        [Param("strength", STRENGTHS, label="augmentation strength", fmt="{:.1f}", initial=0.4)],
        alt=alt, title="Augmentation strength gallery", subplots=(1, 1),
        figsize=(6.0, 3.2), update=update)
