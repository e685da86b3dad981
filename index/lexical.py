"""Character-bigram BM25 over program texts: a lexical signal for the dense index.

Korean particles stick to words ("기초연금은", "기초연금을"), so whole-word matching
misses; character bigrams inside each word match them without a morphological analyser.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence

WORD = re.compile(r"[0-9A-Za-z가-힣]+")
K1 = 1.2
B = 0.75


def bigrams(text: str) -> list[str]:
    grams: list[str] = []
    for word in WORD.findall(text.lower()):
        if len(word) == 1:
            grams.append(word)
        grams.extend(word[i : i + 2] for i in range(len(word) - 1))
    return grams


class BigramBM25:
    """BM25 over a fixed set of documents; scores are per document index."""

    def __init__(self, documents: Sequence[str]) -> None:
        self._counts = [Counter(bigrams(doc)) for doc in documents]
        self._lengths = [sum(c.values()) for c in self._counts]
        self._average = sum(self._lengths) / max(len(self._lengths), 1)
        frequency: Counter[str] = Counter()
        for counts in self._counts:
            frequency.update(counts.keys())
        n = len(documents)
        self._idf = {
            gram: math.log(1 + (n - df + 0.5) / (df + 0.5)) for gram, df in frequency.items()
        }

    def scores(self, query: str) -> list[float]:
        grams = set(bigrams(query))
        results: list[float] = []
        for counts, length in zip(self._counts, self._lengths, strict=True):
            norm = K1 * (1 - B + B * length / self._average)
            score = 0.0
            for gram in grams:
                tf = counts.get(gram, 0)
                if tf:
                    score += self._idf[gram] * tf * (K1 + 1) / (tf + norm)
            results.append(score)
        return results
