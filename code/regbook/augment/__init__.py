"""Data augmentation for images, text and audio (chapter 06).

Augmentation trains a model on transformed copies of its inputs, ``(T(x), y)`` with ``T`` drawn
at random from transforms that should not change the label. It regularizes by encoding an
invariance the model would otherwise have to learn from data. The three families live in
their own modules and are re-exported here:

* :mod:`regbook.augment.image`: rotations, flips, crops, brightness and contrast, Gaussian
  noise, composition and a single ``strength`` knob;
* :mod:`regbook.augment.text`: the EDA operations of Wei & Zou (2019) and a *simulated*
  back-translation;
* :mod:`regbook.augment.audio`: tones and chirps, time stretch, pitch shift, background noise
  and spectrograms.
"""

from regbook.augment.audio import (add_background_noise, chirp, dominant_frequency, pitch_shift,
                                   spectrogram, time_stretch, tone)
from regbook.augment.image import (add_gaussian_noise, augment_dataset, augment_with_strength,
                                   compose, flip_horizontal, flip_vertical, on_flattened,
                                   random_brightness_contrast, random_crop,
                                   random_flip_horizontal, random_flip_vertical, random_rotation,
                                   rotate, strength_parameters, strength_transform,
                                   apply_to_fraction)
from regbook.augment.text import (easy_data_augmentation, paraphrase_table, random_deletion,
                                  random_insertion, random_swap, simulated_back_translation,
                                  synonym_replacement, synonym_table)

__all__ = [
    # image
    "rotate", "random_rotation", "flip_horizontal", "flip_vertical", "random_flip_horizontal",
    "random_flip_vertical", "random_crop", "random_brightness_contrast", "add_gaussian_noise",
    "compose", "on_flattened", "augment_dataset", "strength_parameters", "augment_with_strength",
    "strength_transform", "apply_to_fraction",
    # text
    "synonym_table", "paraphrase_table", "synonym_replacement", "random_insertion",
    "random_deletion", "random_swap", "easy_data_augmentation", "simulated_back_translation",
    # audio
    "tone", "chirp", "time_stretch", "pitch_shift", "add_background_noise", "spectrogram",
    "dominant_frequency",
]
