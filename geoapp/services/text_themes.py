"""What pins say, computed locally: frequent terms and phrases, and groups of similar pins.

Pure computation on texts already read; nothing here talks to a store or leaves the process.
Texts are analysed per language (the language of the form a pin was sent with), each with
that language's Snowball stemmer and stop words where there are some. Terms are stems counted
once per pin and shown as the words people wrote most often for them. Groups come from TF-IDF
vectors (unigrams, bigrams and four-letter parts of words), reduced by SVD and clustered by
k-means with the number of groups chosen by silhouette; every step is seeded, so the same pins
give the same groups.
"""

import re
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Protocol

import numpy as np
import scipy.sparse
import snowballstemmer
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import normalize
from stop_words import get_stop_words
from threadpoolctl import threadpool_limits

from geoapp.domain import ThemeText

STEMMERS = {
    "de": "german",
    "en": "english",
    "tr": "turkish",
    "ar": "arabic",
    "pl": "polish",
    "ru": "russian",
}
"""Snowball's stemmer per app language; Ukrainian has none, its words are used unstemmed."""
STOP_WORDS = {**STEMMERS, "uk": "ukrainian"}
"""The `stop-words` list per app language."""
EXTRA_STOP_WORDS = {
    "de": frozenset(
        [
            "wäre",
            "wären",
            "würde",
            "würden",
            "schön",
            "bitte",
            "gerne",
            "gern",
            "mehr",
            "gibt",
            "geben",
            "finde",
            "fände",
            "toll",
        ]
    ),
}
"""Words of wishes that say nothing about the theme ("wäre schön", "bitte mehr")."""

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
SEGMENT = re.compile(r"[^.!?;:,()\[\]\n\r\"„“”«»]+")
"""A sentence part: phrases never reach across a sentence or a comma."""
MIN_WORD = 2
MAX_PHRASE = 3
TOP_TERMS = 15
MIN_TO_GROUP = 6
"""Fewer pins with words than this are listed, not grouped."""
MAX_GROUPS = 8
GROUP_TERMS = 3
PART_LENGTH = 4
SVD_DIMENSIONS = 100
SILHOUETTE_SAMPLE = 2000
SEED = 0


@dataclass(frozen=True)
class Term:
    text: str
    """As people wrote it most often, e.g. "Bänke im Schatten" for the stems "bank schatt"."""
    count: int
    """Pins that contain it."""


@dataclass(frozen=True)
class Group:
    terms: list[str]
    """Its most characteristic words and phrases, readable."""
    representative: ThemeText
    """The medoid: the pin most similar to all others of the group."""
    pins: list[ThemeText]
    """Every pin of the group, newest first (the order they were given in)."""


@dataclass(frozen=True)
class LanguageThemes:
    language: str
    pins: int
    stemmed: bool
    """Whether a stemmer for the language was used (words are compared unstemmed otherwise)."""
    terms: list[Term]
    groups: list[Group]
    ungrouped: int
    """Pins in no group: too few to group, or no word left after the stop words."""


class _Stemmer(Protocol):
    """snowballstemmer's pure-Python stemmer, or PyStemmer's C one it hands out when installed."""

    def stemWord(self, word: str) -> str: ...


@dataclass
class _Token:
    stem: str
    start: int
    end: int


def within_budget(texts: Sequence[ThemeText], max_words: int) -> list[ThemeText]:
    """The first texts that hold at most `max_words` words together (the first one always).

    The work of `analyse` grows with the number of words, so this bounds it also for long texts.
    """
    kept, words = [], 0
    for text in texts:
        words += len(WORD.findall(text.text))
        if kept and words > max_words:
            break
        kept.append(text)
    return kept


def analyse(texts: Sequence[ThemeText], max_features: int) -> list[LanguageThemes]:
    """The themes of `texts`, per language: German first, then by number of pins."""
    by_language: dict[str, list[ThemeText]] = defaultdict(list)
    for text in texts:
        by_language[text.language].append(text)
    order = sorted(by_language, key=lambda lang: (lang != "de", -len(by_language[lang]), lang))
    # One thread: a request must not take every core of a machine that serves others too.
    with threadpool_limits(limits=1):
        return [_one_language(lang, by_language[lang], max_features) for lang in order]


def _one_language(language: str, texts: list[ThemeText], max_features: int) -> LanguageThemes:
    segments = [_segments(t.text, language) for t in texts]
    terms = _top_terms(texts, segments)
    groups = _groups(texts, segments, max_features)
    return LanguageThemes(
        language=language,
        pins=len(texts),
        stemmed=language in STEMMERS,
        terms=terms,
        groups=groups,
        ungrouped=len(texts) - sum(len(g.pins) for g in groups),
    )


@cache
def _stemmer(language: str) -> _Stemmer | None:
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


@cache
def _stop_words(language: str) -> frozenset[str]:
    name = STOP_WORDS.get(language)
    words = frozenset(w.lower() for w in get_stop_words(name)) if name else frozenset()
    return words | EXTRA_STOP_WORDS.get(language, frozenset())


def _segments(text: str, language: str) -> list[list[_Token]]:
    """The text's content words per sentence part: stop words out, the rest stemmed."""
    stemmer, stop = _stemmer(language), _stop_words(language)
    parts: list[list[_Token]] = []
    for part in SEGMENT.finditer(text):
        tokens = []
        for match in WORD.finditer(part.group()):
            word = match.group().lower()
            if len(word) < MIN_WORD or word in stop:
                continue
            stem = stemmer.stemWord(word) if stemmer else word
            tokens.append(_Token(stem, part.start() + match.start(), part.start() + match.end()))
        if tokens:
            parts.append(tokens)
    return parts


def _runs(
    segments: list[list[_Token]], sizes: Iterable[int], allowed: Container[str] | None = None
) -> Iterator[list[_Token]]:
    """Each run of `sizes` consecutive content words; longer ones only of `allowed` stems."""
    for tokens in segments:
        for size in sizes:
            for i in range(len(tokens) - size + 1):
                run = tokens[i : i + size]
                if size == 1 or allowed is None or all(t.stem in allowed for t in run):
                    yield run


def _stems(run: list[_Token]) -> tuple[str, ...]:
    return tuple(t.stem for t in run)


def _frequent_stems(segments: list[list[list[_Token]]]) -> tuple[Counter[str], set[str]]:
    """Pins per stem, and the stems of two pins or more.

    A phrase in two pins or more has only such stems: phrases are counted only of them, which
    keeps the count small even for long texts of words nobody else used.
    """
    pins: Counter[str] = Counter()
    for parts in segments:
        pins.update({t.stem for tokens in parts for t in tokens})
    return pins, {stem for stem, n in pins.items() if n >= 2}


def _top_terms(texts: list[ThemeText], segments: list[list[list[_Token]]]) -> list[Term]:
    words, frequent = _frequent_stems(segments)
    pins: Counter[tuple[str, ...]] = Counter({(stem,): n for stem, n in words.items()})
    phrases: Counter[tuple[str, ...]] = Counter()
    for parts in segments:
        phrases.update({_stems(run) for run in _runs(parts, range(2, MAX_PHRASE + 1), frequent)})
    pins.update({gram: n for gram, n in phrases.items() if n >= 2})
    redundant = _inside_equal_phrase(pins)
    kept = sorted((g for g in pins if g not in redundant), key=lambda g: (-pins[g], -len(g), g))
    kept = kept[:TOP_TERMS]
    written = _written_forms(texts, segments, set(kept))
    return [Term(_readable(written[gram]), pins[gram]) for gram in kept]


def _inside_equal_phrase(pins: Counter[tuple[str, ...]]) -> set[tuple[str, ...]]:
    """Words and phrases that occur only inside one longer phrase: it says more than they."""
    redundant = set()
    for gram, count in pins.items():
        for size in range(1, len(gram)):
            for i in range(len(gram) - size + 1):
                if pins.get(gram[i : i + size]) == count:
                    redundant.add(gram[i : i + size])
    return redundant


def _written_forms(
    texts: list[ThemeText], segments: list[list[list[_Token]]], wanted: set[tuple[str, ...]]
) -> dict[tuple[str, ...], Counter[str]]:
    """How each wanted stem sequence was written, from its first word to its last."""
    forms: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    sizes = sorted({len(gram) for gram in wanted})
    for text, parts in zip(texts, segments, strict=True):
        for run in _runs(parts, sizes):
            stems = _stems(run)
            if stems in wanted:
                forms[stems][" ".join(text.text[run[0].start : run[-1].end].split())] += 1
    return forms


def _readable(forms: Counter[str]) -> str:
    """The most frequent way of writing a term; ties go to the first one seen."""
    return forms.most_common(1)[0][0]


def _groups(
    texts: list[ThemeText], segments: list[list[list[_Token]]], max_features: int
) -> list[Group]:
    _, frequent = _frequent_stems(segments)
    words = [
        [" ".join(_stems(run)) for run in _runs(parts, (1, 2), frequent)] for parts in segments
    ]
    usable = [i for i, w in enumerate(words) if w]
    if len(usable) < MIN_TO_GROUP:
        return []
    by_word = TfidfVectorizer(analyzer=_same, max_features=max_features, sublinear_tf=True)
    by_part = TfidfVectorizer(analyzer=_same, max_features=max_features, sublinear_tf=True)
    tfidf = by_word.fit_transform([words[i] for i in usable])
    parts = by_part.fit_transform([_word_parts(segments[i], frequent) for i in usable])
    # Word parts find what compounds share ("Sitzbank", "Parkbänke"; "Radweg", "Fahrradweg").
    vectors = _reduced(normalize(scipy.sparse.hstack([tfidf, parts]).tocsr()))
    labels = _clusters(vectors)
    vocabulary = by_word.get_feature_names_out()
    chosen = []
    for label in sorted(set(labels)):
        rows = np.flatnonzero(labels == label)
        members = vectors[rows]
        medoid = rows[int(np.argmax((members @ members.T).sum(axis=1)))]
        weights = np.asarray(tfidf[rows].mean(axis=0)).ravel()
        chosen.append((rows, medoid, _group_terms(weights, vocabulary)))
    wanted = {stems for _, _, terms in chosen for stems in terms}
    written = _written_forms(texts, segments, wanted)
    groups = [
        Group(
            terms=[_readable(written[stems]) for stems in terms],
            representative=texts[usable[medoid]],
            pins=[texts[usable[r]] for r in rows],
        )
        for rows, medoid, terms in chosen
    ]
    groups.sort(key=lambda g: (-len(g.pins), g.pins[0].id))
    return groups


def _same(features: list[str]) -> list[str]:
    """The analyzer of features made beforehand."""
    return features


def _word_parts(segments: list[list[_Token]], frequent: Container[str]) -> list[str]:
    """Every run of PART_LENGTH letters of each stem more than one pin has, its ends marked."""
    parts = []
    for tokens in segments:
        for token in tokens:
            if token.stem not in frequent:
                continue
            marked = f"<{token.stem}>"
            parts.extend(marked[i : i + PART_LENGTH] for i in range(len(marked) - PART_LENGTH + 1))
    return parts


def _reduced(tfidf: scipy.sparse.csr_matrix) -> np.ndarray:
    """Unit vectors in a smaller space where related words share dimensions (LSA)."""
    dimensions = min(SVD_DIMENSIONS, tfidf.shape[1] - 1, tfidf.shape[0] - 1)
    if dimensions < 2:
        return normalize(tfidf.toarray())
    reduced = TruncatedSVD(dimensions, random_state=SEED).fit_transform(tfidf)
    return normalize(reduced)


def _clusters(vectors: np.ndarray) -> np.ndarray:
    """Labels of the k-means run whose number of groups has the best silhouette."""
    best: tuple[float, np.ndarray] | None = None
    # More groups than different texts would leave k-means with empty clusters.
    distinct = len(np.unique(vectors.round(6), axis=0))
    for k in range(2, min(MAX_GROUPS, len(vectors) // 3, distinct) + 1):
        labels = KMeans(k, n_init=4, random_state=SEED).fit_predict(vectors)
        if len(set(labels)) < 2:
            continue
        score = silhouette_score(
            vectors,
            labels,
            metric="cosine",
            sample_size=min(SILHOUETTE_SAMPLE, len(vectors)),
            random_state=SEED,
        )
        if best is None or score > best[0]:
            best = (score, labels)
    return best[1] if best else np.zeros(len(vectors), dtype=int)


def _group_terms(weights: np.ndarray, vocabulary: np.ndarray) -> list[tuple[str, ...]]:
    """The stems of the group's heaviest words and word pairs, none repeating another's."""
    chosen: list[tuple[str, ...]] = []
    for index in np.argsort(-weights, kind="stable"):
        if weights[index] <= 0 or len(chosen) == GROUP_TERMS:
            break
        stems = tuple(str(vocabulary[index]).split(" "))
        # "Bank" adds nothing beside "Bank im Schatten", nor the other way round.
        if any(set(stems) & set(other) for other in chosen):
            continue
        chosen.append(stems)
    return chosen
