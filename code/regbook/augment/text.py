"""Text augmentation: the EDA operations of Wei & Zou (2019) and a simulated back-translation.

Sentences are split on whitespace and rejoined with single spaces. Punctuation attached to a
word stays attached (``"good."`` is looked up as ``good`` and keeps its full stop), and a
capitalised word gets a capitalised synonym. Everything is deterministic given ``rng``.

The synonym table (``data/synonyms.json``) and the phrase table (``data/paraphrases.json``)
are small, hand-written and shipped with the package; nothing is downloaded.
"""

import functools
import importlib.resources
import json
import re

from regbook._validation import check_random_state, check_scalar

_AFFIXES = re.compile(r"^(\W*)(.*?)(\W*)$", re.DOTALL)


@functools.lru_cache(maxsize=None)
def _load(filename, key):
    text = importlib.resources.files("regbook").joinpath("data", filename).read_text("utf-8")
    return json.loads(text)[key]


def synonym_table():
    """Return the shipped synonym table as a new ``dict`` mapping a word to its synonyms.

    About 80 common words of short review-like sentences, each with single-word synonyms, so
    that replacing a word never changes the word count. It stands in for the WordNet lookup
    of Wei & Zou (2019).

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> synonym_table()["movie"]
    ['film', 'picture', 'feature', 'flick']
    """
    return {word: list(syns) for word, syns in _load("synonyms.json", "synonyms").items()}


def paraphrase_table():
    """Return the shipped phrase table as a new ``dict`` mapping a phrase to its rewrites.

    Hand-written; see :func:`simulated_back_translation`.

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> paraphrase_table()["a waste of time"]
    ['a loss of time', 'time lost']
    """
    return {phrase: list(alts) for phrase, alts in _load("paraphrases.json", "paraphrases").items()}


def _check_text(text, name="text"):
    if not isinstance(text, str):
        raise TypeError(f"{name} must be a string, got {type(text).__name__}")
    words = text.split()
    if not words:
        raise ValueError(f"{name} must contain at least one word, got {text!r}")
    return words


def _match_case(template, word):
    if len(template) > 1 and template.isupper():
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _synonyms_of(token):
    """Return ``(prefix, core, suffix, synonyms)`` for a token such as ``"(good!"``."""
    prefix, core, suffix = _AFFIXES.match(token).groups()
    return prefix, core, suffix, _load("synonyms.json", "synonyms").get(core.lower(), [])


def synonym_replacement(text, n=1, *, rng=None):
    """Replace up to ``n`` distinct words that have synonyms by a random synonym each (EDA "SR").

    The words to replace are a uniform random subset of the words found in the synonym table
    (:func:`synonym_table`); each gets a synonym drawn uniformly. The word count never changes.
    With no word in the table, the text comes back unchanged (whitespace normalised).

    Parameters
    ----------
    text : str
        Non-empty.
    n : int, default=1
        Non-negative number of words to replace.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    str

    See Also
    --------
    random_insertion, easy_data_augmentation
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> synonym_replacement("The movie was great.", n=2, rng=0)
    'The feature was terrific.'
    """
    words = _check_text(text)
    n = check_scalar(n, "n", low=0, integer=True)
    rng = check_random_state(rng)
    candidates = [i for i, w in enumerate(words) if _synonyms_of(w)[3]]
    chosen = rng.permutation(candidates)[:n] if candidates else []
    for i in sorted(chosen):
        prefix, core, suffix, synonyms = _synonyms_of(words[i])
        words[i] = prefix + _match_case(core, synonyms[rng.integers(len(synonyms))]) + suffix
    return " ".join(words)


def random_insertion(text, n=1, *, rng=None):
    """Insert ``n`` times a synonym of a random word at a random position (EDA "RI").

    Each time, a word with synonyms is drawn uniformly from the current sentence, one of its
    synonyms is drawn uniformly, and it is inserted at a uniform position among the
    ``len(words) + 1`` gaps. The sentence grows by exactly ``n`` words, or stays unchanged if
    no word is in the synonym table.

    Parameters
    ----------
    text : str
        Non-empty.
    n : int, default=1
        Non-negative number of insertions.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    str

    See Also
    --------
    synonym_replacement
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> random_insertion("the food was cheap", n=1, rng=0)
    'the food was economical cheap'
    """
    words = _check_text(text)
    n = check_scalar(n, "n", low=0, integer=True)
    rng = check_random_state(rng)
    for _ in range(n):
        candidates = [w for w in words if _synonyms_of(w)[3]]
        if not candidates:
            break
        synonyms = _synonyms_of(candidates[rng.integers(len(candidates))])[3]
        words.insert(int(rng.integers(len(words) + 1)), synonyms[rng.integers(len(synonyms))])
    return " ".join(words)


def random_deletion(text, p=0.1, *, rng=None):
    """Delete each word independently with probability ``p``, never all of them (EDA "RD").

    If every word would be deleted, one word chosen uniformly is kept, as in Wei & Zou's
    implementation, so the result is never empty.

    Parameters
    ----------
    text : str
        Non-empty.
    p : float, default=0.1
        Deletion probability per word, in [0, 1].
    rng : int, None or numpy.random.Generator

    Returns
    -------
    str

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> random_deletion("the staff were very friendly", p=0.3, rng=1)
    'the staff very friendly'
    >>> random_deletion("the staff were very friendly", p=1.0, rng=0)
    'very'
    """
    words = _check_text(text)
    p = check_scalar(p, "p", low=0.0, high=1.0)
    rng = check_random_state(rng)
    keep = rng.random(len(words)) >= p
    if not keep.any():
        keep[rng.integers(len(words))] = True
    return " ".join(w for w, k in zip(words, keep) if k)


def random_swap(text, n=1, *, rng=None):
    """Swap two words at distinct random positions, ``n`` times (EDA "RS").

    The multiset of words is unchanged; only their order moves. A one-word text comes back
    unchanged.

    Parameters
    ----------
    text : str
        Non-empty.
    n : int, default=1
        Non-negative number of swaps.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    str

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> random_swap("the room was clean and quiet", n=1, rng=0)
    'the room was and clean quiet'
    """
    words = _check_text(text)
    n = check_scalar(n, "n", low=0, integer=True)
    rng = check_random_state(rng)
    if len(words) > 1:
        for _ in range(n):
            i, j = rng.choice(len(words), size=2, replace=False)
            words[i], words[j] = words[j], words[i]
    return " ".join(words)


def easy_data_augmentation(text, *, alpha=0.1, n_aug=4, rng=None):
    r"""Return ``n_aug`` augmented versions of ``text``, the EDA recipe of Wei & Zou (2019).

    The i-th version applies one operation, cycling through synonym replacement, random
    insertion, random swap and random deletion. With :math:`\ell` words, the first three
    change :math:`n = \max(1, \lfloor \alpha \ell \rfloor)` words and deletion uses
    ``p = alpha``. The paper suggests ``alpha = 0.1`` and more copies for smaller data sets.

    Parameters
    ----------
    text : str
        Non-empty.
    alpha : float, default=0.1
        Fraction of words changed, in [0, 1].
    n_aug : int, default=4
        Number of augmented sentences, at least 1.
    rng : int, None or numpy.random.Generator

    Returns
    -------
    list of str

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> for s in easy_data_augmentation("the hotel staff were friendly and helpful", rng=0):
    ...     print(s)
    the hotel staff were welcoming and helpful
    inn the hotel staff were friendly and helpful
    the and staff were friendly hotel helpful
    the hotel staff were friendly helpful
    """
    words = _check_text(text)
    alpha = check_scalar(alpha, "alpha", low=0.0, high=1.0)
    n_aug = check_scalar(n_aug, "n_aug", low=1, integer=True)
    rng = check_random_state(rng)
    n = max(1, int(alpha * len(words)))
    ops = [lambda: synonym_replacement(text, n, rng=rng),
           lambda: random_insertion(text, n, rng=rng),
           lambda: random_swap(text, n, rng=rng),
           lambda: random_deletion(text, alpha, rng=rng)]
    return [ops[i % len(ops)]() for i in range(n_aug)]


@functools.lru_cache(maxsize=None)
def _phrase_pattern():
    phrases = sorted(_load("paraphrases.json", "paraphrases"), key=len, reverse=True)
    # Longest phrases first, so "i really liked" wins over "really".
    return re.compile(r"\b(" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE)


def simulated_back_translation(text, p=1.0, *, rng=None):
    """Rewrite known phrases as a round trip through another language *might*: a simulation.

    **No translation happens here.** Real back-translation (Sennrich et al. 2016; used for
    augmentation by Yu et al. 2018 and Xie et al. 2020) translates a sentence into a pivot
    language with a neural translation model and back again, e.g. English -> French ->
    English; the result says the same thing in different words, with changed word order,
    function words and idioms, and sometimes errors. That needs large models and a download,
    which this book avoids. Instead, every phrase of the shipped phrase table
    (:func:`paraphrase_table`, about 75 hand-written entries) found in ``text``
    (case-insensitive, whole words, longest match first, left to right) is replaced with
    probability ``p`` by one of its rewrites, drawn uniformly. Text outside the table is left
    alone. The rewrites ignore context, so the output is only as good as the table, and it is
    never more varied than the table.

    Parameters
    ----------
    text : str
        Non-empty.
    p : float, default=1.0
        Probability of rewriting each matched phrase, in [0, 1].
    rng : int, None or numpy.random.Generator

    Returns
    -------
    str

    See Also
    --------
    Chapter 06, "Data augmentation".

    Examples
    --------
    >>> simulated_back_translation("I really liked the movie, but it was too long.", rng=0)
    'I very much liked the film, however that was overlong.'
    """
    _check_text(text)
    p = check_scalar(p, "p", low=0.0, high=1.0)
    rng = check_random_state(rng)
    table = _load("paraphrases.json", "paraphrases")

    def rewrite(match):
        phrase = match.group(0)
        if rng.random() >= p:
            return phrase
        alternatives = table[phrase.lower()]
        return _match_case(phrase, alternatives[rng.integers(len(alternatives))])

    return " ".join(_phrase_pattern().sub(rewrite, text).split())
