"""Behaviour of regbook.augment: image, text and audio augmentation (chapter 06)."""

from collections import Counter
from functools import partial

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from regbook import augment as aug

SETTINGS = settings(max_examples=25, deadline=None)


# ---------------------------------------------------------------------------------------------
# Images
# ---------------------------------------------------------------------------------------------

@st.composite
def images(draw):
    """A single image (H, W) or a batch (N, H, W) with digit-like values in 0..16."""
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64, np.uint8]))
    shape = draw(st.one_of(hnp.array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=9),
                           hnp.array_shapes(min_dims=3, max_dims=3, min_side=2, max_side=6)))
    if np.issubdtype(dtype, np.integer):
        elements = st.integers(0, 16)
    else:
        elements = st.floats(0, 16, width=32 if dtype == np.float32 else 64)
    return draw(hnp.arrays(dtype, shape, elements=elements))


RANDOM_OPS = {
    "random_rotation": aug.random_rotation,
    "random_flip_horizontal": aug.random_flip_horizontal,
    "random_flip_vertical": aug.random_flip_vertical,
    "random_crop": aug.random_crop,
    "random_brightness_contrast": aug.random_brightness_contrast,
    "add_gaussian_noise": aug.add_gaussian_noise,
    "augment_with_strength": partial(aug.augment_with_strength, strength=1.0),
    "compose": aug.compose(aug.random_crop, aug.random_rotation, aug.flip_vertical),
}


@pytest.mark.parametrize("name", RANDOM_OPS)
@SETTINGS
@given(X=images(), seed=st.integers(0, 2**32 - 1))
def test_image_ops_keep_shape_dtype_and_value_range(name, X, seed):
    out = RANDOM_OPS[name](X, rng=seed)
    assert out.shape == X.shape
    assert out.dtype == X.dtype
    assert X.min() <= out.min() and out.max() <= X.max()


@pytest.mark.parametrize("name", RANDOM_OPS)
def test_image_ops_same_seed_same_output(name):
    X = np.random.default_rng(0).uniform(0, 16, size=(6, 8, 8))
    op = RANDOM_OPS[name]
    np.testing.assert_array_equal(op(X, rng=3), op(X, rng=3))
    np.testing.assert_array_equal(op(X, rng=np.random.default_rng(3)), op(X, rng=3))


@SETTINGS
@given(X=images())
def test_zero_strength_ops_change_nothing(X):
    np.testing.assert_array_equal(aug.random_rotation(X, max_degrees=0, rng=0), X)
    np.testing.assert_array_equal(aug.rotate(X, 0), X)
    np.testing.assert_array_equal(aug.random_crop(X, scale=(1.0, 1.0), rng=0), X)
    np.testing.assert_array_equal(aug.add_gaussian_noise(X, sigma=0.0, rng=0), X)
    np.testing.assert_array_equal(
        aug.random_brightness_contrast(X, brightness=0.0, contrast=0.0, rng=0), X)
    np.testing.assert_array_equal(aug.random_flip_horizontal(X, p=0.0, rng=0), X)
    np.testing.assert_array_equal(aug.augment_with_strength(X, 0.0, rng=0), X)


@SETTINGS
@given(X=images())
def test_flipping_twice_changes_nothing(X):
    np.testing.assert_array_equal(aug.flip_horizontal(aug.flip_horizontal(X)), X)
    np.testing.assert_array_equal(aug.flip_vertical(aug.flip_vertical(X)), X)
    twice = aug.random_flip_vertical(aug.random_flip_vertical(X, p=1.0, rng=0), p=1.0, rng=1)
    np.testing.assert_array_equal(twice, X)


def test_flips_mirror_the_right_axis():
    X = np.arange(6).reshape(2, 3)
    np.testing.assert_array_equal(aug.flip_horizontal(X), [[2, 1, 0], [5, 4, 3]])
    np.testing.assert_array_equal(aug.flip_vertical(X), [[3, 4, 5], [0, 1, 2]])


def test_random_flip_flips_each_image_or_leaves_it():
    X = np.random.default_rng(0).uniform(0, 16, size=(200, 5, 5))
    out = aug.random_flip_horizontal(X, p=0.5, rng=0)
    flipped = np.all(out == X[..., ::-1], axis=(1, 2))
    kept = np.all(out == X, axis=(1, 2))
    assert np.all(flipped | kept)
    assert 60 < flipped.sum() < 140


def test_rotate_by_90_degrees_matches_rot90():
    X = np.random.default_rng(0).uniform(0, 16, size=(6, 6))
    np.testing.assert_allclose(aug.rotate(X, 90), np.rot90(X), atol=1e-9)


def test_batched_rotation_matches_scipy_rotate_image_by_image():
    from scipy import ndimage

    from regbook.augment.image import _rotate_each
    rng = np.random.default_rng(1)
    batch = rng.uniform(0, 16, size=(40, 8, 7))
    angles = rng.uniform(-40, 40, size=40)
    angles[:3] = 0.0
    expected = np.stack([image if angle == 0 else ndimage.rotate(
        image, angle, reshape=False, order=1, mode="constant", cval=-1.0)
        for image, angle in zip(batch, angles)])
    np.testing.assert_allclose(_rotate_each(batch, angles, -1.0), expected, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(_rotate_each(batch, angles, -1.0)[:3], batch[:3])


def test_random_rotation_draws_one_angle_per_image():
    image = np.zeros((9, 9))
    image[:, 4] = 16.0
    out = aug.random_rotation(np.stack([image] * 5), max_degrees=30, rng=0)
    assert len({o.tobytes() for o in out}) == 5


def test_crop_zooms_in_by_one_over_the_side_fraction():
    rows, cols = np.mgrid[0:8, 0:8].astype(float)
    ramp = rows + 10 * cols
    out = aug.random_crop(ramp, scale=(0.25, 0.25), rng=0)
    # Bilinear interpolation is exact on a linear ramp; a side fraction of 0.5 halves slopes.
    np.testing.assert_allclose(np.diff(out, axis=0), 0.5)
    np.testing.assert_allclose(np.diff(out, axis=1), 5.0)


def test_gaussian_noise_has_the_requested_sigma():
    X = np.full((100, 20, 20), 8.0)
    out = aug.add_gaussian_noise(X, sigma=1.0, rng=0, value_range=(0, 16))
    assert abs((out - X).std() - 1.0) < 0.02
    assert abs((out - X).mean()) < 0.02


def test_brightness_moves_the_mean_and_contrast_keeps_it():
    X = np.random.default_rng(0).uniform(4, 12, size=(50, 8, 8))
    bright = aug.random_brightness_contrast(X, brightness=0.2, contrast=0.0, rng=0,
                                            value_range=(0, 16))
    shift = (bright - X).mean(axis=(1, 2))
    assert np.allclose(bright - X, shift[:, None, None])
    assert np.all(np.abs(shift) <= 0.2 * 16 + 1e-12) and shift.std() > 0.5
    contrast = aug.random_brightness_contrast(X, brightness=0.0, contrast=0.5, rng=0,
                                              value_range=(0, 16))
    np.testing.assert_allclose(contrast.mean(axis=(1, 2)), X.mean(axis=(1, 2)))


def test_strength_scales_every_parameter_linearly():
    half, full = aug.strength_parameters(0.5), aug.strength_parameters(1.0)
    assert aug.strength_parameters(0.0) == {"max_degrees": 0.0, "scale": (1.0, 1.0),
                                            "brightness": 0.0, "contrast": 0.0,
                                            "noise_fraction": 0.0}
    for key in ("max_degrees", "brightness", "contrast", "noise_fraction"):
        assert half[key] == pytest.approx(full[key] / 2) and full[key] > 0
    assert 1 - half["scale"][0] == pytest.approx((1 - full["scale"][0]) / 2)


def test_stronger_augmentation_moves_images_further():
    X = np.random.default_rng(0).uniform(0, 16, size=(200, 8, 8))
    distance = [np.abs(aug.augment_with_strength(X, s, rng=0, value_range=(0, 16)) - X).mean()
                for s in (0.0, 0.25, 0.5, 1.0)]
    assert distance[0] == 0 and np.all(np.diff(distance) > 0)


def test_strength_transform_works_on_flattened_digits():
    from sklearn.datasets import load_digits
    X = load_digits().data[:50]
    transform = aug.strength_transform(0.7, image_shape=(8, 8), value_range=(0, 16))
    out = transform(X, rng=0)
    assert out.shape == (50, 64) and out.dtype == X.dtype
    assert 0 <= out.min() and out.max() <= 16
    np.testing.assert_array_equal(out, transform(X, rng=0))
    expected = aug.augment_with_strength(X.reshape(-1, 8, 8), 0.7, rng=0, value_range=(0, 16))
    np.testing.assert_array_equal(out, expected.reshape(50, 64))
    assert transform(X[0], rng=0).shape == (64,)
    np.testing.assert_array_equal(transform(X, 0), out)  # rng may be passed positionally
    images = X.reshape(-1, 8, 8)
    np.testing.assert_array_equal(aug.strength_transform(0.7, value_range=(0, 16))(images, 0),
                                  expected)


@SETTINGS
@given(n=st.integers(1, 6), n_copies=st.integers(1, 3), include_original=st.booleans())
def test_augment_dataset_keeps_every_label(n, n_copies, include_original):
    rng = np.random.default_rng(n)
    X, y = rng.uniform(0, 16, size=(n, 8, 8)), rng.integers(0, 10, size=n)
    X_aug, y_aug = aug.augment_dataset(X, y, aug.strength_transform(1.0), n_copies=n_copies,
                                       include_original=include_original, rng=0)
    blocks = n_copies + include_original
    assert X_aug.shape == (blocks * n, 8, 8)
    np.testing.assert_array_equal(y_aug, np.tile(y, blocks))
    if include_original:
        np.testing.assert_array_equal(X_aug[:n], X)


def test_compose_applies_ops_in_order_with_one_generator():
    X = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(aug.compose(aug.flip_horizontal, aug.flip_horizontal)(X), X)
    shift = aug.compose(lambda A: A + 1, lambda A: A * 2)
    np.testing.assert_array_equal(shift(X), (X + 1) * 2)
    chained = aug.compose(partial(aug.random_rotation, max_degrees=20), aug.add_gaussian_noise)
    rng = np.random.default_rng(5)
    by_hand = aug.add_gaussian_noise(aug.random_rotation(X, 20, rng=rng), rng=rng)
    np.testing.assert_array_equal(chained(X, rng=5), by_hand)


@pytest.mark.parametrize("shape", [(64,), (2, 3, 8, 8), ()])
@pytest.mark.parametrize("op", [aug.random_rotation, aug.random_crop, aug.add_gaussian_noise,
                                aug.flip_horizontal, aug.random_flip_vertical,
                                aug.random_brightness_contrast])
def test_non_image_shapes_are_rejected(op, shape):
    with pytest.raises(ValueError, match=r"X must be an image .* got shape " + repr(shape)
                       .replace("(", r"\(").replace(")", r"\)")):
        op(np.zeros(shape))


@pytest.mark.parametrize("call, match", [
    (lambda X: aug.add_gaussian_noise(X, sigma=-1.0), r"sigma must be in \[0.0, inf\), got -1.0"),
    (lambda X: aug.add_gaussian_noise(X, sigma=float("nan")), "sigma must be a finite number"),
    (lambda X: aug.random_flip_horizontal(X, p=1.5), r"p must be in \[0.0, 1.0\], got 1.5"),
    (lambda X: aug.random_flip_vertical(X, p=-0.1), r"p must be in \[0.0, 1.0\], got -0.1"),
    (lambda X: aug.random_flip_vertical(X, p=float("nan")), "p must be a finite number"),
    (lambda X: aug.random_rotation(X, max_degrees=-5), "max_degrees must be in"),
    (lambda X: aug.random_crop(X, scale=(0.0, 1.0)), r"scale\[0\] must be in \(0.0, 1.0\]"),
    (lambda X: aug.random_crop(X, scale=(0.9, 0.5)), r"scale\[1\] must be in \[0.9, 1.0\]"),
    (lambda X: aug.random_crop(X, scale=0.5), "scale must be a pair"),
    (lambda X: aug.random_brightness_contrast(X, brightness=2), "brightness must be in"),
    (lambda X: aug.random_brightness_contrast(X, contrast=-1), "contrast must be in"),
    (lambda X: aug.add_gaussian_noise(X, value_range=(16, 0)), r"value_range\[1\] must be in"),
    (lambda X: aug.augment_with_strength(X, 1.5), r"strength must be in \[0.0, 1.0\]"),
    (lambda X: aug.random_rotation(X, rng=-1), "rng must be a non-negative integer seed"),
    (lambda X: aug.random_rotation(np.full_like(X, np.nan)), "X must contain only finite"),
    (lambda X: aug.on_flattened(aug.compose(), (8, 8))(X), r"X must have shape \(N, 64\)"),
    (lambda X: aug.augment_dataset(X, [0, 1], aug.compose()), "same number of rows"),
])
def test_bad_image_arguments_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call(np.zeros((3, 4, 4)))


def test_non_callables_are_rejected():
    with pytest.raises(TypeError, match=r"ops\[1\] must be callable"):
        aug.compose(aug.flip_horizontal, "flip")
    with pytest.raises(TypeError, match="n_copies must be an integer"):
        aug.augment_dataset(np.zeros((2, 3, 3)), [0, 1], aug.compose(), n_copies=1.5)


# ---------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------

TABLE = aug.synonym_table()
VOCABULARY = ["the", "movie", "was", "great", "food", "really", "bad", "and", "I", "it",
              "service", "slow", "Staff", "friendly.", "zebra", "quiet!", "GOOD", "price,"]
sentences = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=12).map(" ".join)
TEXT_OPS = {
    "synonym_replacement": partial(aug.synonym_replacement, n=2),
    "random_insertion": partial(aug.random_insertion, n=2),
    "random_deletion": partial(aug.random_deletion, p=0.5),
    "random_swap": partial(aug.random_swap, n=2),
    "simulated_back_translation": aug.simulated_back_translation,
}


def _core(word):
    return word.strip(".,!?").lower()


def test_shipped_tables_have_the_promised_shape():
    assert 60 <= len(TABLE) <= 100
    for word, synonyms in TABLE.items():
        assert word == word.lower() and synonyms and word not in synonyms
        assert all(len(s.split()) == 1 for s in synonyms)
    phrases = aug.paraphrase_table()
    assert len(phrases) >= 50
    assert all(p == p.lower() and alts and all(a.strip() for a in alts)
               for p, alts in phrases.items())


@pytest.mark.parametrize("name", TEXT_OPS)
@SETTINGS
@given(text=sentences, seed=st.integers(0, 2**32 - 1))
def test_text_ops_return_non_empty_strings_and_are_seeded(name, text, seed):
    out = TEXT_OPS[name](text, rng=seed)
    assert isinstance(out, str) and out.strip()
    assert out == TEXT_OPS[name](text, rng=seed)


@SETTINGS
@given(text=sentences, p=st.floats(0, 1), seed=st.integers(0, 1000))
def test_deletion_never_empties_and_keeps_word_order(text, p, seed):
    words = text.split()
    out = aug.random_deletion(text, p=p, rng=seed).split()
    assert 1 <= len(out) <= len(words)
    remaining = iter(words)
    assert all(w in remaining for w in out)  # a subsequence of the original words
    assert len(aug.random_deletion(text, p=1.0, rng=seed).split()) == 1
    assert aug.random_deletion(text, p=0.0, rng=seed) == " ".join(words)


@SETTINGS
@given(text=sentences, n=st.integers(0, 5), seed=st.integers(0, 1000))
def test_swap_keeps_the_multiset_of_words(text, n, seed):
    assert Counter(aug.random_swap(text, n=n, rng=seed).split()) == Counter(text.split())


@SETTINGS
@given(text=sentences, n=st.integers(0, 5), seed=st.integers(0, 1000))
def test_synonym_replacement_swaps_words_for_their_synonyms(text, n, seed):
    words, out = text.split(), aug.synonym_replacement(text, n=n, rng=seed).split()
    assert len(out) == len(words)
    changed = [(a, b) for a, b in zip(words, out) if a != b]
    assert len(changed) <= n
    for before, after in changed:
        assert _core(after) in TABLE[_core(before)]
    if n and any(_core(w) in TABLE for w in words):
        assert changed


@SETTINGS
@given(text=sentences, n=st.integers(0, 4), seed=st.integers(0, 1000))
def test_insertion_adds_n_synonyms_of_words_in_the_sentence(text, n, seed):
    words, out = text.split(), aug.random_insertion(text, n=n, rng=seed).split()
    if not any(_core(w) in TABLE for w in words):
        assert out == words
        return
    assert len(out) == len(words) + n
    added = Counter(out) - Counter(words)
    assert sum(added.values()) == n
    # Inserted synonyms can themselves be table words, so check against the table's closure.
    reachable = {_core(w) for w in words}
    for _ in range(n):
        reachable |= {s for w in reachable for s in TABLE.get(w, [])}
    assert all(w in reachable for w in added)


def test_synonym_replacement_keeps_punctuation_and_capitals():
    out = aug.synonym_replacement("Great food.", n=2, rng=0)
    first, second = out.split()
    assert first[0].isupper() and first.lower() in TABLE["great"]
    assert second.endswith(".") and second[:-1] in TABLE["food"]


def test_simulated_back_translation_rewrites_known_phrases_only():
    text = "I really liked the movie, but it was too long."
    out = aug.simulated_back_translation(text, rng=0)
    assert out != text and out.startswith("I ") and out.endswith(".")
    assert aug.simulated_back_translation(text, p=0.0, rng=0) == text
    assert aug.simulated_back_translation("zebra zebra", rng=0) == "zebra zebra"
    outputs = {aug.simulated_back_translation("The movie was great.", rng=s) for s in range(20)}
    assert len(outputs) > 2


def test_easy_data_augmentation_cycles_through_the_four_operations():
    text = "the hotel staff were friendly and the room was quiet"
    out = aug.easy_data_augmentation(text, alpha=0.2, n_aug=8, rng=0)
    assert len(out) == 8 and all(s.strip() for s in out)
    n_words = [len(s.split()) for s in out]
    assert n_words[0] == n_words[2] == 10  # replacement and swap keep the length
    assert n_words[1] == 12  # insertion adds alpha * 10 = 2 words
    assert n_words[3] <= 10


@pytest.mark.parametrize("name", TEXT_OPS)
@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_text_is_rejected(name, text):
    with pytest.raises(ValueError, match="text must contain at least one word"):
        TEXT_OPS[name](text, rng=0)


@pytest.mark.parametrize("call, error, match", [
    (lambda: aug.synonym_replacement(42), TypeError, "text must be a string, got int"),
    (lambda: aug.random_deletion("a b", p=1.5), ValueError, r"p must be in \[0.0, 1.0\]"),
    (lambda: aug.random_deletion("a b", p=float("nan")), ValueError, "p must be a finite"),
    (lambda: aug.random_swap("a b", n=-1), ValueError, r"n must be in \[0, inf\)"),
    (lambda: aug.random_insertion("a b", n=1.5), TypeError, "n must be an integer"),
    (lambda: aug.simulated_back_translation("a b", p=-0.5), ValueError, "p must be in"),
    (lambda: aug.easy_data_augmentation("a b", alpha=2), ValueError, "alpha must be in"),
    (lambda: aug.easy_data_augmentation("a b", n_aug=0), ValueError, "n_aug must be in"),
])
def test_bad_text_arguments_name_the_parameter(call, error, match):
    with pytest.raises(error, match=match):
        call()


# ---------------------------------------------------------------------------------------------
# Audio
# ---------------------------------------------------------------------------------------------

SR = 8000


def test_tone_and_chirp_have_the_requested_frequencies():
    x = aug.tone(440, 0.5, SR)
    assert x.shape == (4000,) and np.abs(x).max() == pytest.approx(1.0, abs=1e-3)
    assert aug.dominant_frequency(x, SR) == pytest.approx(440, abs=0.5)
    freqs, times, power_db = aug.spectrogram(aug.chirp(300, 3000, 1.0, SR), SR)
    peaks = freqs[power_db.argmax(axis=0)]
    bin_width = freqs[1]
    assert abs(peaks[1] - (300 + 2700 * times[1])) <= bin_width
    assert abs(peaks[-2] - (300 + 2700 * times[-2])) <= bin_width
    assert np.all(np.diff(peaks) >= 0)


@pytest.mark.parametrize("semitones", [-7, -2, 2, 5, 12])
def test_pitch_shift_multiplies_the_frequency_by_two_to_the_s_over_12(semitones):
    x = aug.tone(440, 1.0, SR)
    y = aug.pitch_shift(x, semitones, SR)
    assert y.shape == x.shape
    bin_width = SR / len(y)
    assert abs(aug.dominant_frequency(y, SR) - 440 * 2 ** (semitones / 12)) <= bin_width


@pytest.mark.parametrize("rate", [0.5, 0.8, 1.25, 2.0])
def test_time_stretch_changes_the_length_and_keeps_the_frequency(rate):
    x = aug.tone(523.25, 1.0, SR)
    y = aug.time_stretch(x, rate)
    assert len(y) == round(len(x) / rate)
    assert abs(aug.dominant_frequency(y, SR) - 523.25) <= SR / len(y)
    # The interior keeps the tone's amplitude: no loss from incoherent phases.
    interior = y[len(y) // 8:-len(y) // 8]
    assert np.sqrt(np.mean(interior ** 2)) == pytest.approx(np.sqrt(0.5), rel=0.01)


def test_time_stretch_at_rate_one_reconstructs_the_signal():
    x = aug.chirp(200, 1500, 0.5, SR)
    y = aug.time_stretch(x, 1.0)
    np.testing.assert_allclose(y[256:-512], x[256:-512], atol=1e-9)


@pytest.mark.parametrize("snr_db", [-5.0, 0.0, 10.0, 30.0])
@pytest.mark.parametrize("background", [None, "chirp"])
def test_added_noise_has_the_requested_snr(snr_db, background):
    x = aug.tone(440, 0.5, SR)
    noise = None if background is None else aug.chirp(50, 3500, 0.1, SR)
    y = aug.add_background_noise(x, snr_db, noise=noise, rng=0)
    measured = 10 * np.log10(np.mean(x ** 2) / np.mean((y - x) ** 2))
    assert measured == pytest.approx(snr_db, abs=1e-6)
    np.testing.assert_array_equal(y, aug.add_background_noise(x, snr_db, noise=noise, rng=0))
    assert not np.array_equal(y, aug.add_background_noise(x, snr_db, noise=noise, rng=1))


def test_spectrogram_is_in_decibels_with_a_floor():
    freqs, times, power_db = aug.spectrogram(aug.tone(1000, 0.5, SR), SR, top_db=60)
    assert power_db.shape == (len(freqs), len(times))
    assert freqs[0] == 0 and freqs[-1] == SR / 2 and np.all(np.diff(times) > 0)
    assert power_db.max() - power_db.min() <= 60 + 1e-9
    assert freqs[power_db.mean(axis=1).argmax()] == pytest.approx(1000, abs=SR / 256)
    assert aug.spectrogram(np.ones(100), SR)[2].shape[0] == 51  # window shortened to 100


@pytest.mark.parametrize("call, match", [
    (lambda: aug.tone(4000, 1.0, SR), r"freq must be in \(0.0, 4000.0\), got 4000"),
    (lambda: aug.tone(440, 0.0, SR), "duration must be in"),
    (lambda: aug.tone(440, 1.0, -8000), "sample_rate must be in"),
    (lambda: aug.chirp(100, 5000, 1.0, SR), r"f1 must be in \(0.0, 4000.0\)"),
    (lambda: aug.time_stretch(np.ones(100), 0.0), r"rate must be in \[0.1, 10.0\]"),
    (lambda: aug.time_stretch(np.ones((10, 10)), 1.0), "signal must be 1-dimensional"),
    (lambda: aug.time_stretch([1.0, np.nan], 1.0), "signal must contain only finite"),
    (lambda: aug.pitch_shift(np.ones(100), float("inf"), SR), "semitones must be a finite"),
    (lambda: aug.add_background_noise(np.zeros(100), 10, rng=0), "signal must not be all zeros"),
    (lambda: aug.add_background_noise(np.ones(100), 10, noise=np.zeros(5)), "noise must not"),
    (lambda: aug.add_background_noise(np.ones(100), float("nan")), "snr_db must be a finite"),
    (lambda: aug.spectrogram(np.ones(100), SR, top_db=0), "top_db must be in"),
])
def test_bad_audio_arguments_name_the_parameter(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_strength_transform_plugs_into_the_training_loop():
    import torch

    from regbook.augment import strength_transform
    from regbook.training import mlp, train

    X = np.random.default_rng(0).uniform(0, 16, (32, 64))
    y = np.arange(32) % 10
    transform = strength_transform(0.5, image_shape=(8, 8), value_range=(0, 16))
    out = transform(torch.as_tensor(X, dtype=torch.float32), rng=np.random.default_rng(1))
    assert isinstance(out, torch.Tensor) and out.dtype == torch.float32 and out.shape == (32, 64)
    history = train(mlp(64, [8], 10, seed=0), X.astype(np.float32), y, epochs=1, transform=transform)
    assert history.epochs_run == 1


def test_apply_to_fraction_augments_about_p_of_the_images_and_keeps_the_rest():
    flip = aug.apply_to_fraction(aug.compose(aug.flip_horizontal), p=0.3)
    X = np.arange(2000 * 4, dtype=float).reshape(2000, 2, 2)
    out = flip(X, rng=0)
    changed = np.any(out != X, axis=(1, 2))
    assert 0.25 < changed.mean() < 0.35
    assert np.array_equal(out[changed], X[changed][:, :, ::-1])
    assert np.array_equal(out[~changed], X[~changed])
    assert np.array_equal(flip(X, rng=1), flip(X, rng=1))


def test_apply_to_fraction_rejects_bad_p():
    with pytest.raises(ValueError, match="p must be in"):
        aug.apply_to_fraction(aug.compose(aug.flip_horizontal), p=1.5)


def test_pitch_shift_does_not_ring_at_the_ends():
    from regbook.augment.audio import pitch_shift, tone
    x = tone(440, 1.0, 8000) * np.hanning(8000)  # silent at both ends
    y = pitch_shift(x, 5, 8000)
    assert np.abs(y[:40]).max() < 0.05 and np.abs(y[-40:]).max() < 0.05


# --- issue 14 ----------------------------------------------------------------------------------

def test_augment_dataset_keeps_images_and_labels_in_step():
    X, y = np.zeros((4, 3, 3)), np.arange(4)
    with pytest.raises(ValueError, match="transform must return an array of the shape of X"):
        aug.image.augment_dataset(X, y, lambda X, rng=None: X[:-1], rng=0)
    with pytest.raises(ValueError, match="X must contain only finite values"):
        aug.image.augment_dataset(np.full((4, 3, 3), np.nan), y, lambda X, rng=None: X, rng=0)


def test_pitch_shift_names_semitones_not_an_internal_rate():
    x = aug.audio.tone(440.0, 0.1, 8000)
    for bad in (-300, 60):
        with pytest.raises(ValueError, match=r"semitones must be in \[-36.0, 36.0\]"):
            aug.audio.pitch_shift(x, bad, 8000)
    with pytest.raises(ValueError, match=r"rate must be in \[0.1, 10.0\]"):
        aug.audio.time_stretch(x, 0.01)
