"""Exercises for chapter 06, "Data augmentation": references, test inputs and known mistakes."""

import numpy as np

from regbook.checks import Case, Exercise, Mistake
from regbook.datasets import load_bundled


def _digit_batch(start, n):
    """``n`` consecutive digits from the bundled set as an (n, 8, 8) batch with values 0..16."""
    X, _ = load_bundled("digits")
    return X[start:start + n].reshape(-1, 8, 8)


def _asymmetric_batch(seed, n=3, h=4, w=6):
    """A small non-square batch, so that mixing up height and width changes the shape."""
    return np.random.default_rng(seed).integers(0, 17, size=(n, h, w)).astype(float)


# --- 1. horizontal flip of a batch --------------------------------------------------------------

def flip_horizontal_batch(X):
    """Reference: mirror every image of an (N, H, W) batch left to right; keep the order."""
    return X[:, :, ::-1]


flip_horizontal_batch_exercise = Exercise(
    name="flip_horizontal_batch",
    reference=flip_horizontal_batch,
    cases=[
        Case("a batch of 8 digits of shape (8, 8, 8)", {"X": _digit_batch(0, 8)}),
        Case("a batch of 5 digits of shape (5, 8, 8)", {"X": _digit_batch(100, 5)}),
        Case("a random 3 × 4 × 6 batch", {"X": _asymmetric_batch(0)}),
    ],
    mistakes=[
        Mistake("batch_axis", lambda X: X[::-1],
                "you reversed the order of the images (axis 0) instead of mirroring each one. In "
                "a batch of shape (N, H, W) the columns are the last axis."),
        Mistake("vertical", lambda X: X[:, ::-1, :],
                "you flipped top to bottom (axis 1, the rows). A horizontal flip reverses the "
                "columns, the last axis; np.fliplr on a 3-D array flips axis 1, not the columns."),
        Mistake("transpose", lambda X: np.transpose(X, (0, 2, 1)),
                "you transposed each image (a mirror across the diagonal). A horizontal flip "
                "keeps every pixel in its row and reverses the order within the row."),
    ],
    hints=[
        "The batch has shape (N, H, W): axis 0 is the image, axis 1 the row, axis 2 the column.",
        "Mirroring left to right reverses the order of the columns and leaves the rows and the "
        "images where they are.",
        "X[:, :, ::-1] (or np.flip(X, axis=-1)).",
    ],
)


# --- 2. Gaussian noise with clipping ------------------------------------------------------------

def add_noise_clipped(X, sigma, seed, value_range=(0.0, 16.0)):
    """Reference: X + sigma * z with z ~ N(0, 1) per pixel, clipped to ``value_range``."""
    rng = np.random.default_rng(seed)
    noisy = X + sigma * rng.standard_normal(X.shape)
    return np.clip(noisy, value_range[0], value_range[1])


def _no_clip(X, sigma, seed, value_range=(0.0, 16.0)):
    return X + sigma * np.random.default_rng(seed).standard_normal(X.shape)


def _variance_as_scale(X, sigma, seed, value_range=(0.0, 16.0)):
    noisy = X + sigma**2 * np.random.default_rng(seed).standard_normal(X.shape)
    return np.clip(noisy, *value_range)


def _unit_range(X, sigma, seed, value_range=(0.0, 16.0)):
    return np.clip(X + sigma * np.random.default_rng(seed).standard_normal(X.shape), 0.0, 1.0)


def _one_draw_per_image(X, sigma, seed, value_range=(0.0, 16.0)):
    z = np.random.default_rng(seed).standard_normal((X.shape[0], 1, 1))
    return np.clip(X + sigma * z, *value_range)


add_noise_clipped_exercise = Exercise(
    name="add_noise_clipped",
    reference=add_noise_clipped,
    cases=[
        Case("4 digits with σ = 2 (seed 0)", {"X": _digit_batch(0, 4), "sigma": 2.0, "seed": 0}),
        Case("6 digits with σ = 0.5 (seed 1)", {"X": _digit_batch(50, 6), "sigma": 0.5,
                                                "seed": 1}),
        Case("images in [0, 1] with σ = 0.1 and value_range=(0, 1) (seed 2)",
             {"X": _digit_batch(10, 3) / 16, "sigma": 0.1, "seed": 2, "value_range": (0.0, 1.0)}),
    ],
    mistakes=[
        Mistake("no_clip", _no_clip,
                "some pixels are below 0 or above 16. Clip the noisy images to value_range "
                "(np.clip), or the model trains on values real images never take."),
        Mistake("variance_as_scale", _variance_as_scale,
                "the noise is scaled by σ² instead of σ. sigma is a standard deviation: "
                "sigma * z with z ~ N(0, 1) has variance σ²."),
        Mistake("unit_range", _unit_range,
                "you clipped to [0, 1], but these digits live in value_range = (0, 16). Use the "
                "value_range argument, not a fixed range."),
        Mistake("one_draw_per_image", _one_draw_per_image,
                "every pixel of an image moved by the same amount: that is a brightness shift. "
                "Draw one independent normal number per pixel, rng.standard_normal(X.shape)."),
    ],
    hints=[
        "Make the generator first, rng = np.random.default_rng(seed), and draw the noise with a "
        "single call so that your numbers match the checker's.",
        "noise = sigma * rng.standard_normal(X.shape): one draw per pixel, standard deviation "
        "sigma.",
        "Return np.clip(X + noise, value_range[0], value_range[1]).",
    ],
)


# --- 3. rotation by 90 degrees ------------------------------------------------------------------

def rotate90_batch(X):
    """Reference: rotate every image of an (N, H, W) batch by 90° counter-clockwise."""
    return np.rot90(X, k=1, axes=(1, 2))


rotate90_batch_exercise = Exercise(
    name="rotate90_batch",
    reference=rotate90_batch,
    cases=[
        Case("a batch of 8 digits of shape (8, 8, 8)", {"X": _digit_batch(20, 8)}),
        Case("a random 3 × 4 × 6 batch", {"X": _asymmetric_batch(1)}),
    ],
    mistakes=[
        Mistake("clockwise", lambda X: np.rot90(X, k=-1, axes=(1, 2)),
                "you rotated clockwise. Counter-clockwise, as imshow shows it, is np.rot90's "
                "default direction (k=1)."),
        Mistake("batch_axes", lambda X: np.rot90(X),
                "np.rot90 without axes rotates the first two axes: here the batch and the "
                "rows. Pass axes=(1, 2) so that each image is rotated on its own."),
        Mistake("transpose", lambda X: np.transpose(X, (0, 2, 1)),
                "a transpose is a mirror across the diagonal, not a rotation. A rotation also "
                "reverses one of the axes."),
        Mistake("half_turn", lambda X: np.rot90(X, k=2, axes=(1, 2)),
                "you turned each image by 180°. One quarter turn is k=1."),
    ],
    hints=[
        "np.rot90 rotates in the plane of two axes; for a batch (N, H, W) that plane is axes 1 "
        "and 2.",
        "Positive k turns counter-clockwise; each image of shape (H, W) becomes (W, H).",
        "np.rot90(X, k=1, axes=(1, 2)). It only moves entries, so the dtype stays the same.",
    ],
)
