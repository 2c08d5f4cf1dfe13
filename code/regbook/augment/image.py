"""Image augmentation with numpy and scipy: rotations, flips, crops, jitter and noise.

Every op takes a single grey-scale image of shape ``(H, W)`` or a batch ``(N, H, W)``, returns
an array of the same shape and dtype, and draws one set of random parameters *per image*.
Values are clipped to ``value_range``, by default the input's own ``(min, max)``, so that
scikit-learn's digits (values 0..16) stay in 0..16 and images in [0, 1] stay in [0, 1]. Integer
images are rounded back to their dtype.

Flattened digits of shape ``(N, 64)`` are reshaped with :func:`on_flattened` or the
``image_shape`` argument of :func:`strength_transform`.
"""

import inspect

import numpy as np
from scipy import ndimage

from regbook._validation import check_finite_array, check_random_state, check_scalar


def _check_images(X, name="X"):
    """Return ``(X as float array, original dtype)`` after checking it is (H, W) or (N, H, W)."""
    dtype = np.asarray(X).dtype
    arr = check_finite_array(X, name)
    if arr.ndim not in (2, 3):
        raise ValueError(f"{name} must be an image of shape (H, W) or a batch of shape "
                         f"(N, H, W), got shape {arr.shape}")
    return arr, dtype


def _check_value_range(value_range, X):
    if value_range is None:
        return float(X.min()), float(X.max())
    try:
        low, high = value_range
    except (TypeError, ValueError):
        raise ValueError(f"value_range must be a pair (low, high), got {value_range!r}") from None
    low = check_scalar(low, "value_range[0]")
    high = check_scalar(high, "value_range[1]", low=low)
    return low, high


def _finish(out, dtype, value_range):
    """Clip to the value range and cast back to the input's dtype."""
    out = np.clip(out, *value_range)
    if np.issubdtype(dtype, np.integer):
        out = np.rint(out)
    return out.astype(dtype, copy=False)


def _as_batch(X):
    return X[np.newaxis] if X.ndim == 2 else X


def rotate(X, degrees, *, value_range=None):
    r"""Rotate every image counter-clockwise by the same angle about its centre.

    Output pixel :math:`p` takes the bilinearly interpolated input value at
    :math:`c + R(-\theta)(p - c)`, where :math:`c` is the image centre and :math:`R(\theta)` the
    rotation by ``degrees``. The shape is kept (``scipy.ndimage.rotate`` with ``reshape=False``,
    ``order=1``); corners that rotate in from outside are filled with ``value_range[0]``, the
    background of dark-background images such as the digits.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    degrees : float
        Angle in degrees; positive is counter-clockwise as displayed by ``imshow``.
    value_range : (float, float), optional
        Output is clipped to it. Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    random_rotation : a random angle per image.
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    >>> rotate(X, 90).round(12)  # bilinear interpolation leaves round-off of order 1e-16
    array([[0., 0., 0.],
           [1., 1., 1.],
           [0., 0., 0.]])
    """
    X, dtype = _check_images(X)
    degrees = check_scalar(degrees, "degrees")
    value_range = _check_value_range(value_range, X)
    batch = _as_batch(X)
    out = _rotate_each(batch, np.full(len(batch), degrees), value_range[0])
    return _finish(out.reshape(X.shape), dtype, value_range)


def _rotate_each(batch, angles, fill):
    """Rotate image ``i`` of ``batch`` by ``angles[i]`` degrees about its centre, bilinear, in one pass.

    The same as ``ndimage.rotate(image, angle, reshape=False, order=1, mode="constant", cval=fill)``
    for each image (a unit test checks it), but one ``map_coordinates`` call over the whole batch
    instead of a Python loop, which was 8-25x slower on a few hundred digits.
    """
    n, height, width = batch.shape
    theta = -np.deg2rad(np.asarray(angles, dtype=float))[:, None, None]
    rows, cols = np.mgrid[0:height, 0:width].astype(float)
    centre_row, centre_col = (height - 1) / 2, (width - 1) / 2
    d_row, d_col = rows - centre_row, cols - centre_col
    # Each output pixel samples the input at the inverse rotation of its own position.
    source_rows = np.cos(theta) * d_row - np.sin(theta) * d_col + centre_row
    source_cols = np.sin(theta) * d_row + np.cos(theta) * d_col + centre_col
    images = np.broadcast_to(np.arange(n, dtype=float)[:, None, None], source_rows.shape)
    out = ndimage.map_coordinates(batch, [images, source_rows, source_cols], order=1,
                                  mode="constant", cval=fill)
    # Rotating by 0 stays exact instead of exact up to interpolation round-off.
    unrotated = np.asarray(angles) == 0.0
    out[unrotated] = batch[unrotated]
    return out


def random_rotation(X, max_degrees=15.0, *, rng=None, value_range=None):
    """Rotate each image by its own angle drawn uniformly from ``[-max_degrees, max_degrees]``.

    See :func:`rotate` for the interpolation and the fill. Small rotations model the slant of
    handwriting; large ones can turn a 6 into a 9.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    max_degrees : float, default=15.0
        Non-negative; 0 returns ``X`` unchanged.
    rng : int, None or numpy.random.Generator
    value_range : (float, float), optional
        Output is clipped to it. Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(16.0).reshape(4, 4)
    >>> Y = random_rotation(X, max_degrees=10, rng=0)
    >>> Y.shape, bool(np.array_equal(Y, random_rotation(X, max_degrees=10, rng=0)))
    ((4, 4), True)
    """
    X, dtype = _check_images(X)
    max_degrees = check_scalar(max_degrees, "max_degrees", low=0.0)
    rng = check_random_state(rng)
    value_range = _check_value_range(value_range, X)
    batch = _as_batch(X)
    angles = rng.uniform(-max_degrees, max_degrees, size=len(batch))
    return _finish(_rotate_each(batch, angles, value_range[0]).reshape(X.shape), dtype,
                   value_range)


def flip_horizontal(X):
    """Mirror every image left to right: ``out[..., i, j] = X[..., i, W - 1 - j]``.

    A flip is label-preserving only when the class looks the same in a mirror. Photos of cats
    survive it; most digits do not: a mirrored 2, 3, 7 or 9 is not a digit anyone writes, so
    the model spends capacity on inputs it will never see and may blur classes, while only
    near-symmetric digits such as 0, 1 and 8 survive.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)

    Returns
    -------
    ndarray, same shape and dtype as ``X`` (a copy).

    See Also
    --------
    flip_vertical, random_flip_horizontal
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> flip_horizontal(np.array([[1, 2, 3], [4, 5, 6]]))
    array([[3, 2, 1],
           [6, 5, 4]])
    """
    X, dtype = _check_images(X)
    return X[..., ::-1].astype(dtype)


def flip_vertical(X):
    """Mirror every image top to bottom: ``out[..., i, j] = X[..., H - 1 - i, j]``.

    For digits this can change the label, not just make it odd: a 6 flipped top to bottom has
    its loop on top and reads as a 9 (a mirrored one), and a 9 becomes a 6; a 7 becomes an
    L-shape, while 0, 1, 3 and 8 roughly survive. Whether a flip is an augmentation is a
    statement about the labels, not the pixels.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)

    Returns
    -------
    ndarray, same shape and dtype as ``X`` (a copy).

    See Also
    --------
    flip_horizontal, random_flip_vertical
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> flip_vertical(np.array([[1, 2], [3, 4]]))
    array([[3, 4],
           [1, 2]])
    """
    X, dtype = _check_images(X)
    return X[..., ::-1, :].astype(dtype)


def _random_flip(X, p, rng, axis):
    X, dtype = _check_images(X)
    p = check_scalar(p, "p", low=0.0, high=1.0)
    rng = check_random_state(rng)
    batch = _as_batch(X).copy()
    flip = rng.random(len(batch)) < p
    batch[flip] = np.flip(batch[flip], axis=axis)
    return batch.reshape(X.shape).astype(dtype)


def random_flip_horizontal(X, p=0.5, *, rng=None):
    """Mirror each image left to right independently with probability ``p``.

    See :func:`flip_horizontal` for when a flip changes a digit's meaning.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    p : float, default=0.5
        Probability of flipping each image, in [0, 1].
    rng : int, None or numpy.random.Generator

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> random_flip_horizontal(np.array([[1, 2]]), p=1.0, rng=0)
    array([[2, 1]])
    """
    return _random_flip(X, p, rng, axis=-1)


def random_flip_vertical(X, p=0.5, *, rng=None):
    """Mirror each image top to bottom independently with probability ``p``.

    See :func:`flip_vertical` for why a 6 and a 9 make this risky on digits.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    p : float, default=0.5
        Probability of flipping each image, in [0, 1].
    rng : int, None or numpy.random.Generator

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> random_flip_vertical(np.array([[1], [2]]), p=1.0, rng=0)
    array([[2],
           [1]])
    """
    return _random_flip(X, p, rng, axis=-2)


def _check_scale(scale):
    try:
        low, high = scale
    except (TypeError, ValueError):
        raise ValueError(f"scale must be a pair (low, high), got {scale!r}") from None
    low = check_scalar(low, "scale[0]", low=0.0, high=1.0, low_inclusive=False)
    high = check_scalar(high, "scale[1]", low=low, high=1.0)
    return low, high


def random_crop(X, scale=(0.64, 1.0), *, rng=None, value_range=None):
    r"""Crop a random square-aspect window of each image and stretch it back to full size.

    Each image draws an area fraction :math:`a \sim U(\text{scale})` (as in torchvision's
    ``RandomResizedCrop``, but without aspect-ratio jitter); the window has sides
    :math:`f = \sqrt{a}` times the image's and a uniform random position inside it. Output
    pixel :math:`(i, j)` takes the bilinear value at input coordinates
    :math:`(y_0 + f i,\; x_0 + f j)` with :math:`y_0 \in [0, (1 - f)(H - 1)]`, so the window
    is sampled continuously (an 8x8 digit can be cropped by half a pixel) and never leaves the
    image. The result is a zoom-in by :math:`1/f` with a random shift.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    scale : (float, float), default=(0.64, 1.0)
        Range of the kept area fraction, ``0 < low <= high <= 1``. ``(1, 1)`` returns ``X``.
    rng : int, None or numpy.random.Generator
    value_range : (float, float), optional
        Output is clipped to it. Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(9.0).reshape(3, 3)
    >>> bool(np.array_equal(random_crop(X, scale=(1.0, 1.0), rng=0), X))
    True
    >>> random_crop(X, scale=(0.25, 0.25), rng=0).round(2)
    array([[0.85, 1.35, 1.85],
           [2.35, 2.85, 3.35],
           [3.85, 4.35, 4.85]])
    """
    X, dtype = _check_images(X)
    low, high = _check_scale(scale)
    rng = check_random_state(rng)
    value_range = _check_value_range(value_range, X)
    batch = _as_batch(X)
    n, h, w = batch.shape
    f = np.sqrt(rng.uniform(low, high, size=n))
    y0 = rng.uniform(0.0, 1.0, size=n) * (1.0 - f) * (h - 1)
    x0 = rng.uniform(0.0, 1.0, size=n) * (1.0 - f) * (w - 1)
    # One map_coordinates call on the stack; the integer image coordinate makes it 2-D bilinear.
    idx, rows, cols = np.meshgrid(np.arange(n), np.arange(h), np.arange(w), indexing="ij")
    coords = np.stack([idx, y0[:, None, None] + f[:, None, None] * rows,
                       x0[:, None, None] + f[:, None, None] * cols]).astype(float)
    out = ndimage.map_coordinates(batch, coords, order=1, mode="nearest")
    return _finish(out.reshape(X.shape), dtype, value_range)


def random_brightness_contrast(X, brightness=0.2, contrast=0.2, *, rng=None, value_range=None):
    r"""Shift each image's brightness and scale its contrast by random amounts.

    With :math:`b \sim U(-\text{brightness}, \text{brightness})` and
    :math:`c \sim U(1 - \text{contrast}, 1 + \text{contrast})` drawn per image,

    .. math::

        x' = \operatorname{clip}\big(\bar x + c\,(x - \bar x) + b\,(\text{high} - \text{low})\big),

    where :math:`\bar x` is the image's mean. Brightness is *additive* and measured in
    fractions of the value range (torchvision's ``ColorJitter`` multiplies instead); contrast
    stretches about the mean as torchvision does, but about each image's own mean.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    brightness : float, default=0.2
        In [0, 1]; 0 leaves brightness unchanged.
    contrast : float, default=0.2
        In [0, 1]; 0 leaves contrast unchanged.
    rng : int, None or numpy.random.Generator
    value_range : (float, float), optional
        ``(low, high)`` used for the brightness unit and the clipping.
        Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 0.5], [0.5, 1.0]])
    >>> random_brightness_contrast(X, brightness=0.0, contrast=0.5, rng=0).round(3)
    array([[0.115, 0.5  ],
           [0.5  , 0.885]])
    """
    X, dtype = _check_images(X)
    brightness = check_scalar(brightness, "brightness", low=0.0, high=1.0)
    contrast = check_scalar(contrast, "contrast", low=0.0, high=1.0)
    rng = check_random_state(rng)
    value_range = _check_value_range(value_range, X)
    batch = _as_batch(X)
    n = len(batch)
    b = rng.uniform(-brightness, brightness, size=(n, 1, 1))
    c = rng.uniform(1.0 - contrast, 1.0 + contrast, size=(n, 1, 1))
    mean = batch.mean(axis=(1, 2), keepdims=True)
    # Written as x + ... so that zero jitter returns x bit for bit.
    out = batch + (c - 1.0) * (batch - mean) + b * (value_range[1] - value_range[0])
    return _finish(out.reshape(X.shape), dtype, value_range)


def add_gaussian_noise(X, sigma=1.0, *, rng=None, value_range=None):
    r"""Add Gaussian noise to every pixel: :math:`x' = \operatorname{clip}(x + \sigma z)`.

    The noise :math:`z \sim N(0, I)` is drawn independently for every pixel of every image.

    ``sigma`` is in the images' own units (for digits, 1.0 is one sixteenth of the range).
    Clipping makes the noise one-sided on pixels at the ends of the range, so on average it
    lifts a black background and dims saturated strokes. Chapter 07 shows that for a linear
    model and no clipping this is L2 regularization in expectation.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    sigma : float, default=1.0
        Non-negative noise standard deviation; 0 returns ``X`` unchanged.
    rng : int, None or numpy.random.Generator
    value_range : (float, float), optional
        Output is clipped to it. Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    Chapter 06, "Data augmentation"; Chapter 07, "Noise injection".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.full((2, 2), 8.0)
    >>> add_gaussian_noise(X, sigma=1.0, rng=0, value_range=(0, 16)).round(2)
    array([[8.13, 7.87],
           [8.64, 8.1 ]])
    """
    X, dtype = _check_images(X)
    sigma = check_scalar(sigma, "sigma", low=0.0)
    rng = check_random_state(rng)
    value_range = _check_value_range(value_range, X)
    return _finish(X + sigma * rng.standard_normal(X.shape), dtype, value_range)


def _takes_rng(op):
    try:
        return "rng" in inspect.signature(op).parameters
    except (TypeError, ValueError):
        return True


def compose(*ops):
    r"""Chain ops into one ``transform(X, rng=None)``: :math:`T = T_k \circ \dots \circ T_1`.

    Each op is called as ``op(X, rng=rng)`` with one shared generator (or as ``op(X)`` when it
    takes no ``rng``, like :func:`flip_horizontal`), so a seed fixes the whole chain. Bind
    parameters with :func:`functools.partial` or a lambda.

    Parameters
    ----------
    *ops : callables
        Each maps an image array to an array of the same shape.

    Returns
    -------
    transform : callable ``transform(X, rng=None) -> ndarray``

    See Also
    --------
    augment_dataset, strength_transform
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> from functools import partial
    >>> T = compose(partial(random_rotation, max_degrees=10), flip_horizontal)
    >>> X = np.arange(16.0).reshape(4, 4)
    >>> bool(np.array_equal(T(X, rng=0), T(X, rng=0)))
    True
    """
    for i, op in enumerate(ops):
        if not callable(op):
            raise TypeError(f"ops[{i}] must be callable, got {op!r}")
    with_rng = [_takes_rng(op) for op in ops]

    def transform(X, rng=None):
        rng = check_random_state(rng)
        for op, pass_rng in zip(ops, with_rng):
            X = op(X, rng=rng) if pass_rng else op(X)
        return X

    return transform


def on_flattened(transform, image_shape):
    """Wrap an image ``transform`` so it accepts and returns flattened rows ``(N, H*W)``.

    ``transform(X_flat, rng)`` reshapes to ``(N, H, W)``, applies the transform and reshapes
    back, so ``load_digits().data`` (shape ``(n, 64)``) works with ``image_shape=(8, 8)``. A
    single flattened image ``(H*W,)`` is accepted too.

    Parameters
    ----------
    transform : callable ``transform(X, rng=None)``
    image_shape : (int, int)
        ``(H, W)`` of one image.

    Returns
    -------
    callable ``flat_transform(X_flat, rng=None) -> ndarray`` of the input's shape.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> T = on_flattened(compose(flip_horizontal), image_shape=(2, 2))
    >>> T(np.array([[1, 2, 3, 4]]))
    array([[2, 1, 4, 3]])
    """
    if not callable(transform):
        raise TypeError(f"transform must be callable, got {transform!r}")
    try:
        h, w = image_shape
    except (TypeError, ValueError):
        raise ValueError(f"image_shape must be a pair (H, W), got {image_shape!r}") from None
    h = check_scalar(h, "image_shape[0]", low=1, integer=True)
    w = check_scalar(w, "image_shape[1]", low=1, integer=True)

    def flat_transform(X, rng=None):
        X = np.asarray(X)
        if X.ndim not in (1, 2) or X.shape[-1] != h * w:
            raise ValueError(f"X must have shape (N, {h * w}) or ({h * w},) for image_shape "
                             f"{(h, w)}, got shape {X.shape}")
        out = transform(X.reshape(-1, h, w), rng=rng)
        return np.asarray(out).reshape(X.shape)

    return flat_transform


def augment_dataset(X, y, transform, *, n_copies=1, include_original=True, rng=None):
    r"""Grow a labelled data set with copies :math:`\{(T(x_i), y_i)\}` that keep the labels.

    The transform is applied ``n_copies`` times to the whole of ``X`` with fresh randomness
    each time; each copy keeps the labels of the rows it came from. This is augmentation done
    once, offline; a training loop that calls ``transform`` on every batch does it online.

    Parameters
    ----------
    X : array-like of shape (N, ...)
        Whatever ``transform`` accepts, e.g. ``(N, H, W)`` images or ``(N, 64)`` rows with an
        :func:`on_flattened` transform.
    y : array-like of shape (N,)
    transform : callable ``transform(X, rng=None)``
    n_copies : int, default=1
        Number of augmented copies, at least 1.
    include_original : bool, default=True
        Put the untouched ``X`` first.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    X_aug : ndarray of shape ((n_copies + include_original) * N, ...)
    y_aug : ndarray of shape ((n_copies + include_original) * N,)
        ``y_aug[k * N + i] == y[i]``.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X, y = np.zeros((3, 4, 4)), np.array([0, 1, 2])
    >>> X_aug, y_aug = augment_dataset(X, y, compose(random_rotation), n_copies=2, rng=0)
    >>> X_aug.shape, y_aug.tolist()
    ((9, 4, 4), [0, 1, 2, 0, 1, 2, 0, 1, 2])
    """
    check_finite_array(X, "X")
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim < 1 or y.ndim != 1 or len(X) != len(y):
        raise ValueError(f"X and y must have the same number of rows and y must be 1-D, got "
                         f"shapes {X.shape} and {y.shape}")
    if not callable(transform):
        raise TypeError(f"transform must be callable, got {transform!r}")
    n_copies = check_scalar(n_copies, "n_copies", low=1, integer=True)
    rng = check_random_state(rng)
    blocks = [X] if include_original else []
    for _ in range(n_copies):
        block = np.asarray(transform(X, rng=rng))
        # A transform that drops, adds or reshapes rows would put images and labels out of step.
        if block.shape != X.shape:
            raise ValueError(f"transform must return an array of the shape of X {X.shape}, so "
                             f"that every augmented row keeps its label, got {block.shape}")
        blocks.append(block)
    return np.concatenate(blocks), np.tile(y, len(blocks))


_MAX_DEGREES = 20.0
_MIN_AREA = 0.6
_MAX_BRIGHTNESS = 0.2
_MAX_CONTRAST = 0.3
_MAX_NOISE_FRACTION = 0.08


def strength_parameters(strength):
    """Map one ``strength`` in [0, 1] to the parameters of each op, all growing linearly.

    ============================  ======================================
    op                            parameter at strength ``s``
    ============================  ======================================
    :func:`random_crop`           ``scale = (1 - 0.4 s, 1)``
    :func:`random_rotation`       ``max_degrees = 20 s``
    :func:`random_brightness_contrast`  ``brightness = 0.2 s``, ``contrast = 0.3 s``
    :func:`add_gaussian_noise`    ``sigma = 0.08 s (high - low)``
    ============================  ======================================

    Flips are left out on purpose: they change some digits' meaning (see
    :func:`flip_horizontal`). ``noise_fraction`` is ``sigma`` as a fraction of the value range.

    Parameters
    ----------
    strength : float
        In [0, 1]; 0 is no augmentation.

    Returns
    -------
    dict with keys ``max_degrees``, ``scale``, ``brightness``, ``contrast``,
    ``noise_fraction``.

    See Also
    --------
    augment_with_strength, strength_transform
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> strength_parameters(0.5)["max_degrees"]
    10.0
    """
    s = check_scalar(strength, "strength", low=0.0, high=1.0)
    return {"max_degrees": _MAX_DEGREES * s, "scale": (1.0 - (1.0 - _MIN_AREA) * s, 1.0),
            "brightness": _MAX_BRIGHTNESS * s, "contrast": _MAX_CONTRAST * s,
            "noise_fraction": _MAX_NOISE_FRACTION * s}


def augment_with_strength(X, strength, *, rng=None, value_range=None):
    """Apply crop, rotation, brightness/contrast jitter and noise, all scaled by one ``strength``.

    The ops run in that order with the parameters of :func:`strength_parameters`; strength 0
    returns ``X`` unchanged and strength 1 is strong but keeps digits recognisable. The value
    range is taken once from the input, so the ops do not narrow it one after another.

    Parameters
    ----------
    X : array-like of shape (H, W) or (N, H, W)
    strength : float
        In [0, 1].
    rng : int, None or numpy.random.Generator
    value_range : (float, float), optional
        For digits pass ``(0, 16)``. Default: ``(X.min(), X.max())``.

    Returns
    -------
    ndarray, same shape and dtype as ``X``.

    See Also
    --------
    strength_transform : the same as a training hook, also for flattened rows.
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> X = np.arange(16.0).reshape(4, 4)
    >>> bool(np.array_equal(augment_with_strength(X, 0.0, rng=0), X))
    True
    >>> augment_with_strength(X, 1.0, rng=0).shape
    (4, 4)
    """
    X, dtype = _check_images(X)
    params = strength_parameters(strength)
    rng = check_random_state(rng)
    value_range = _check_value_range(value_range, X)
    # The chain stays in float; only the result is rounded back to an integer dtype.
    X = random_crop(X, params["scale"], rng=rng, value_range=value_range)
    X = random_rotation(X, params["max_degrees"], rng=rng, value_range=value_range)
    X = random_brightness_contrast(X, params["brightness"], params["contrast"], rng=rng,
                                   value_range=value_range)
    sigma = params["noise_fraction"] * (value_range[1] - value_range[0])
    X = add_gaussian_noise(X, sigma, rng=rng, value_range=value_range)
    return _finish(X, dtype, value_range)


def strength_transform(strength, *, image_shape=None, value_range=None):
    """Return a hook ``transform(X_batch, rng=None)`` that augments at a fixed ``strength``.

    This is the hook a training loop calls on every batch (fresh randomness each call) and
    what an explorer slider drives. With ``image_shape`` the hook takes flattened rows
    ``(N, H*W)``, as in ``load_digits().data``, and returns rows (see :func:`on_flattened`).

    Parameters
    ----------
    strength : float
        In [0, 1].
    image_shape : (int, int), optional
        Set it to accept flattened rows, e.g. ``(8, 8)`` for digits.
    value_range : (float, float), optional
        Fixed value range, e.g. ``(0, 16)`` for digits. Fixing it is better than the default
        ``(X.min(), X.max())`` of each batch, which can differ between batches.

    Returns
    -------
    callable ``transform(X, rng=None) -> ndarray`` of the input's shape and dtype.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> T = strength_transform(0.5, image_shape=(8, 8), value_range=(0, 16))
    >>> X = np.random.default_rng(0).uniform(0, 16, size=(5, 64))
    >>> T(X, rng=0).shape
    (5, 64)
    """
    strength = check_scalar(strength, "strength", low=0.0, high=1.0)
    if value_range is not None:
        value_range = _check_value_range(value_range, None)

    def transform(X, rng=None):
        return augment_with_strength(X, strength, rng=rng, value_range=value_range)

    numpy_transform = transform if image_shape is None else on_flattened(transform, image_shape)
    return apply_to_fraction(numpy_transform, p=1.0)


def apply_to_fraction(transform, p=1.0):
    """Wrap ``transform`` so it augments each image of a batch independently with probability ``p``.

    The wrapped ``transform(X, rng=None)`` draws one uniform number per image (none when ``p`` is 1),
    applies ``transform`` to the chosen images and leaves the others as they are. It also accepts a
    torch tensor and returns one of the same dtype and device, so it plugs straight into the
    ``transform`` hook of :func:`regbook.training.train`, which hands it training batches.

    Parameters
    ----------
    transform : callable ``transform(X, rng=None)``
    p : float, default=1.0
        Probability of augmenting each image, in [0, 1].

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> import numpy as np
    >>> always = apply_to_fraction(compose(flip_horizontal), p=1.0)
    >>> always(np.array([[[1, 2]]]), rng=0)
    array([[[2, 1]]])
    >>> apply_to_fraction(compose(flip_horizontal), p=0.0)(np.array([[[1, 2]]]), rng=0)
    array([[[1, 2]]])
    """
    if not callable(transform):
        raise TypeError(f"transform must be callable, got {transform!r}")
    p = check_scalar(p, "p", low=0.0, high=1.0)

    def wrapped(X, rng=None):
        rng = check_random_state(rng)
        if type(X).__module__.startswith("torch"):
            import torch

            out = wrapped(X.detach().cpu().numpy(), rng=rng)
            return torch.as_tensor(out, dtype=X.dtype, device=X.device)
        if p == 1.0:
            return transform(X, rng=rng)
        X = np.array(X, copy=True)
        chosen = rng.random(len(X)) < p
        if chosen.any():
            X[chosen] = transform(X[chosen], rng=rng)
        return X

    return wrapped
