"""Audio augmentation on 1-D float signals: time stretch, pitch shift and background noise.

Signals are 1-D arrays of samples at a ``sample_rate`` in Hz. :func:`tone` and :func:`chirp`
make test signals; :func:`spectrogram` and :func:`dominant_frequency` show what each effect
did. Time stretch and pitch shift use a small phase vocoder written with numpy (the method of
librosa's ``time_stretch`` and ``pitch_shift``), so the code on the page is all there is.
"""

from fractions import Fraction

import numpy as np
from scipy import signal as sps

from regbook._validation import check_finite_array, check_random_state, check_scalar


def _check_sample_rate(sample_rate):
    return check_scalar(sample_rate, "sample_rate", low=0.0, low_inclusive=False)


def _check_frequency(freq, name, sample_rate):
    return check_scalar(freq, name, low=0.0, high=sample_rate / 2, low_inclusive=False,
                        high_inclusive=False)


def _time_axis(duration, sample_rate):
    duration = check_scalar(duration, "duration", low=0.0, low_inclusive=False)
    n = int(round(duration * sample_rate))
    if n < 1:
        raise ValueError(f"duration * sample_rate must give at least one sample, got "
                         f"{duration} * {sample_rate}")
    return np.arange(n) / sample_rate


def tone(freq, duration, sample_rate):
    r"""Return the pure tone :math:`x[k] = \sin(2\pi f k / f_s)` for :math:`0 \le k < T f_s`.

    Parameters
    ----------
    freq : float
        Frequency :math:`f` in Hz, strictly between 0 and the Nyquist frequency
        ``sample_rate / 2``.
    duration : float
        Length :math:`T` in seconds, positive.
    sample_rate : float
        :math:`f_s` in Hz, positive.

    Returns
    -------
    ndarray of shape (round(duration * sample_rate),)

    See Also
    --------
    chirp
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> tone(1000, 0.001, 8000).round(3)
    array([ 0.   ,  0.707,  1.   ,  0.707,  0.   , -0.707, -1.   , -0.707])
    """
    sample_rate = _check_sample_rate(sample_rate)
    freq = _check_frequency(freq, "freq", sample_rate)
    t = _time_axis(duration, sample_rate)
    return np.sin(2 * np.pi * freq * t)


def chirp(f0, f1, duration, sample_rate):
    r"""Return a linear chirp whose frequency sweeps from ``f0`` to ``f1`` over ``duration``.

    :math:`x(t) = \cos\big(2\pi (f_0 t + \tfrac{f_1 - f_0}{2T} t^2)\big)`, so the
    instantaneous frequency is :math:`f_0 + (f_1 - f_0) t / T` (``scipy.signal.chirp``,
    ``method="linear"``). A sweep makes time stretch and pitch shift easy to see in a
    spectrogram.

    Parameters
    ----------
    f0, f1 : float
        Start and end frequencies in Hz, each strictly between 0 and ``sample_rate / 2``.
    duration : float
        :math:`T` in seconds, positive.
    sample_rate : float
        In Hz, positive.

    Returns
    -------
    ndarray of shape (round(duration * sample_rate),)

    See Also
    --------
    tone, spectrogram
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> chirp(100, 1000, 0.5, 8000).shape
    (4000,)
    """
    sample_rate = _check_sample_rate(sample_rate)
    f0 = _check_frequency(f0, "f0", sample_rate)
    f1 = _check_frequency(f1, "f1", sample_rate)
    t = _time_axis(duration, sample_rate)
    return sps.chirp(t, f0=f0, t1=duration, f1=f1, method="linear")


def _check_signal(x, name="signal"):
    return check_finite_array(x, name, ndim=1)


def _stft(x, n_fft, hop):
    window = sps.get_window("hann", n_fft)
    padded = np.pad(x, (0, n_fft))
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop]
    return np.fft.rfft(frames * window, axis=1)


def _istft(S, n_fft, hop, length):
    window = sps.get_window("hann", n_fft)
    frames = np.fft.irfft(S, n=n_fft, axis=1) * window
    total = (len(frames) - 1) * hop + n_fft
    out, norm = np.zeros(total), np.zeros(total)
    for i, frame in enumerate(frames):
        out[i * hop:i * hop + n_fft] += frame
        norm[i * hop:i * hop + n_fft] += window ** 2
    # The floor stops the first few samples, covered only by a window's tail, from exploding.
    out = out / np.maximum(norm, 0.1 * norm.max())
    return np.pad(out, (0, max(0, length - len(out))))[:length]


def _check_n_fft(n_fft, hop_length):
    n_fft = check_scalar(n_fft, "n_fft", low=4, integer=True)
    if hop_length is None:
        return n_fft, n_fft // 4
    return n_fft, check_scalar(hop_length, "hop_length", low=1, high=n_fft, integer=True)


def time_stretch(signal, rate, *, n_fft=512, hop_length=None):
    r"""Play ``signal`` ``rate`` times faster without changing its pitch (phase vocoder).

    The output has ``round(len(signal) / rate)`` samples. With the short-time Fourier
    transform :math:`X[m, k]` (Hann window of ``n_fft`` samples, hop :math:`H`), output frame
    :math:`t` reads the input at fractional frame :math:`\tau = t \cdot \text{rate}`:

    .. math::

        |Y[t, k]| = (1 - \beta)\,|X[\lfloor\tau\rfloor, k]|
                    + \beta\,|X[\lfloor\tau\rfloor + 1, k]|,
        \qquad \beta = \tau - \lfloor\tau\rfloor,

        \phi[t + 1, k] = \phi[t, k] + \omega_k H
            + \operatorname{wrap}\big(\angle X[\lfloor\tau\rfloor + 1, k]
                                      - \angle X[\lfloor\tau\rfloor, k] - \omega_k H\big),

    with :math:`\omega_k = 2\pi k / n_{\text{fft}}` and :math:`\phi[0] = \angle X[0]`. Frames
    are overlap-added at the *same* hop, so durations scale by ``1 / rate`` while each bin
    keeps advancing its phase at its measured frequency, which keeps the pitch.

    Limits, honestly: this is the textbook phase vocoder without phase locking. Steady tones
    come out clean; transients (clicks, drum hits, consonants) are smeared over about one
    window, and speech and chords take on a "phasey", reverberant sound, more so the further
    ``rate`` is from 1 (roughly 0.7 to 1.4 sounds natural). Frequency resolution is
    ``sample_rate / n_fft``; a longer window sharpens pitch but smears time further. The first
    ``n_fft / 8`` or so output samples fade in, and an abrupt end of the input is a transient
    too: within the last window or so the output can overshoot (up to about 1.4 times the
    amplitude on a tone cut off mid-cycle). Frames start at the first sample instead of being
    centred on it, because a half-empty first frame has distorted phase relations between
    bins, which the phase accumulation would carry through the whole output.

    Parameters
    ----------
    signal : array-like of shape (n,)
    rate : float
        Speed factor in [0.1, 10]: 2 halves the duration, 0.5 doubles it.
    n_fft : int, default=512
        Window length in samples (64 ms at 8 kHz).
    hop_length : int, optional
        Default ``n_fft // 4``.

    Returns
    -------
    ndarray of shape (round(n / rate),)

    See Also
    --------
    pitch_shift
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> x = tone(440, 1.0, 8000)
    >>> y = time_stretch(x, 1.25)
    >>> len(y), round(dominant_frequency(y, 8000))
    (6400, 440)
    """
    x = _check_signal(signal)
    # Outside [0.1, 10] the output (or the frame grid) grows tenfold or more: keep it bounded.
    rate = check_scalar(rate, "rate", low=0.1, high=10.0)
    n_fft, hop = _check_n_fft(n_fft, hop_length)
    length = int(round(len(x) / rate))
    if length < 1:
        raise ValueError(f"rate must leave at least one sample, got rate={rate} for "
                         f"{len(x)} samples")
    X = _stft(x, n_fft, hop)
    X = np.vstack([X, np.zeros((1, X.shape[1]))])
    steps = np.arange(0.0, len(X) - 1, rate)
    left = np.floor(steps).astype(int)
    beta = (steps - left)[:, None]
    magnitude = (1 - beta) * np.abs(X[left]) + beta * np.abs(X[left + 1])
    omega_hop = 2 * np.pi * hop * np.arange(X.shape[1]) / n_fft
    dphase = np.angle(X[left + 1]) - np.angle(X[left]) - omega_hop
    dphase -= 2 * np.pi * np.round(dphase / (2 * np.pi))
    increments = np.vstack([np.angle(X[:1]), omega_hop + dphase[:-1]])
    phase = np.cumsum(increments, axis=0)
    return _istft(magnitude * np.exp(1j * phase), n_fft, hop, length)


def pitch_shift(signal, semitones, sample_rate, *, n_fft=None):
    """Raise the pitch by ``semitones`` (negative lowers it) and keep the duration.

    Every frequency is multiplied by :math:`r = 2^{s/12}` (12 semitones = one octave). Two
    steps, as in librosa: :func:`time_stretch` by ``1 / r`` makes the signal :math:`r` times
    longer at the same pitch; resampling it back to the original number of samples
    (``scipy.signal.resample_poly``, a polyphase filter at the rational ratio nearest to the
    lengths' ratio; FFT resampling would treat the signal as periodic and ring at its ends)
    then plays it :math:`r` times faster, which multiplies every frequency by :math:`r`. The limits of :func:`time_stretch`
    apply; shifts of more than a few semitones sound artificial ("chipmunk" or "giant"
    voices), because formants move along with the pitch.

    Parameters
    ----------
    signal : array-like of shape (n,)
    semitones : float
        Shift :math:`s` in [-36, 36]; 12 doubles every frequency.
    sample_rate : float
        In Hz. Sets the vocoder window to about 64 ms when ``n_fft`` is not given, so the
        frequency resolution does not depend on the sample rate.
    n_fft : int, optional
        Vocoder window in samples; default the power of two nearest to
        ``0.064 * sample_rate``.

    Returns
    -------
    ndarray of shape (n,)

    See Also
    --------
    time_stretch
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> x = tone(440, 1.0, 8000)
    >>> y = pitch_shift(x, 12, 8000)
    >>> len(y), round(dominant_frequency(y, 8000))
    (8000, 880)
    """
    x = _check_signal(signal)
    # 36 semitones (three octaves) is a time stretch by 8, well inside time_stretch's limits.
    semitones = check_scalar(semitones, "semitones", low=-36.0, high=36.0)
    sample_rate = _check_sample_rate(sample_rate)
    if n_fft is None:
        n_fft = int(2 ** max(4, round(np.log2(0.064 * sample_rate))))
    ratio = 2.0 ** (semitones / 12.0)
    stretched = time_stretch(x, 1.0 / ratio, n_fft=n_fft)
    step = Fraction(len(x), len(stretched)).limit_denominator(1000)
    resampled = sps.resample_poly(stretched, step.numerator, step.denominator)
    out = np.zeros(len(x))
    out[:min(len(x), len(resampled))] = resampled[:len(x)]
    return out


def add_background_noise(signal, snr_db, *, noise=None, rng=None):
    r"""Mix in noise scaled so that the signal-to-noise ratio is exactly ``snr_db``.

    With :math:`P(x) = \tfrac1n \sum_k x_k^2`, the output is :math:`x + c\,z` with
    :math:`c` chosen so that :math:`10 \log_{10}\big(P(x) / P(c z)\big) = \text{snr\_db}`.
    :math:`z` is white Gaussian noise, or a random stretch of the given ``noise`` recording
    (tiled if shorter than the signal), as when speech is mixed with street sounds. 0 dB means
    equal powers; every 10 dB lower makes the noise ten times stronger.

    Parameters
    ----------
    signal : array-like of shape (n,)
        Must not be all zeros.
    snr_db : float
        Target SNR in decibels; any finite value.
    noise : array-like of shape (m,), optional
        A background recording, not all zeros. Default: white Gaussian noise.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    ndarray of shape (n,)

    See Also
    --------
    Chapter 06, "Data augmentation"; Chapter 07, "Noise injection".

    Examples
    --------
    >>> import numpy as np
    >>> x = tone(440, 0.5, 8000)
    >>> y = add_background_noise(x, snr_db=10, rng=0)
    >>> round(float(10 * np.log10(np.mean(x ** 2) / np.mean((y - x) ** 2))), 6)
    10.0
    """
    x = _check_signal(signal)
    snr_db = check_scalar(snr_db, "snr_db")
    rng = check_random_state(rng)
    signal_power = np.mean(x ** 2)
    if signal_power == 0:
        raise ValueError("signal must not be all zeros: its SNR is undefined")
    if noise is None:
        z = rng.standard_normal(len(x))
    else:
        noise = _check_signal(noise, "noise")
        if not np.any(noise):
            raise ValueError("noise must not be all zeros")
        tiled = np.tile(noise, -(-len(x) // len(noise)) + 1)
        start = rng.integers(len(noise))
        z = tiled[start:start + len(x)]
    scale = np.sqrt(signal_power / (10 ** (snr_db / 10) * np.mean(z ** 2)))
    return x + scale * z


def spectrogram(signal, sample_rate, *, n_fft=256, hop_length=None, top_db=80.0):
    r"""Return the power spectrogram in decibels: frequencies, times and :math:`10\log_{10} P`.

    ``scipy.signal.spectrogram`` with a Hann window of ``n_fft`` samples (shortened to the
    signal's length if it is shorter) and power spectral density scaling. Values below
    ``max - top_db`` are raised to that floor, so silence does not give :math:`-\infty`.

    Parameters
    ----------
    signal : array-like of shape (n,)
    sample_rate : float
        In Hz.
    n_fft : int, default=256
        Window length; frequency resolution is ``sample_rate / n_fft``.
    hop_length : int, optional
        Default ``n_fft // 4``.
    top_db : float, default=80.0
        Dynamic range shown, positive.

    Returns
    -------
    freqs : ndarray of shape (n_fft // 2 + 1,)
        In Hz, from 0 to ``sample_rate / 2``.
    times : ndarray of shape (n_frames,)
        Centre of each frame in seconds.
    power_db : ndarray of shape (n_freqs, n_frames)

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> f, t, S = spectrogram(tone(1000, 0.5, 8000), 8000)
    >>> S.shape, float(f[S.mean(axis=1).argmax()])
    ((129, 59), 1000.0)
    """
    x = _check_signal(signal)
    sample_rate = _check_sample_rate(sample_rate)
    n_fft, hop = _check_n_fft(n_fft, hop_length)
    top_db = check_scalar(top_db, "top_db", low=0.0, low_inclusive=False)
    n_fft = min(n_fft, len(x))
    hop = min(hop, n_fft)
    freqs, times, power = sps.spectrogram(x, fs=sample_rate, window="hann", nperseg=n_fft,
                                          noverlap=n_fft - hop)
    power_db = 10 * np.log10(np.maximum(power, np.finfo(float).tiny))
    return freqs, times, np.maximum(power_db, power_db.max() - top_db)


def dominant_frequency(signal, sample_rate):
    r"""Return the frequency in Hz of the strongest peak of the signal's spectrum.

    The peak of :math:`|\mathrm{rfft}(w \cdot x)|` (Hann window :math:`w`) is refined by
    fitting a parabola through the log-magnitudes of its bin and both neighbours, which is
    accurate to a small fraction of a bin (``sample_rate / n``) for a steady tone.

    Parameters
    ----------
    signal : array-like of shape (n,)
    sample_rate : float
        In Hz.

    Returns
    -------
    float

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> round(dominant_frequency(tone(440.3, 1.0, 8000), 8000), 1)
    440.3
    """
    x = _check_signal(signal)
    sample_rate = _check_sample_rate(sample_rate)
    magnitude = np.abs(np.fft.rfft(x * sps.get_window("hann", len(x))))
    k = int(np.argmax(magnitude))
    offset = 0.0
    if 0 < k < len(magnitude) - 1:
        a, b, c = np.log(magnitude[k - 1:k + 2] + np.finfo(float).tiny)
        denominator = a - 2 * b + c
        offset = 0.5 * (a - c) / denominator if denominator != 0 else 0.0
    return float((k + offset) * sample_rate / len(x))
