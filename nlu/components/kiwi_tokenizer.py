"""Korean tokenizer for Rasa built on Kiwi (kiwipiepy) morphemes.

Kiwi analyses text into morphemes whose forms may differ from the text (했어요 → 하/VV 었/EP
어요/EF; 입니다 → 이/VCP ᆸ니다/EF) and several morphemes may share one syllable. Rasa needs
tokens that are substrings of the ORIGINAL text with exact character offsets, or entity
annotations stop lining up with tokens. So each token is built from the surface span Kiwi
reports: morphemes whose spans overlap are merged into one token, zero-length morphemes
(contracted copulas) join a neighbour, and any non-space character Kiwi skipped becomes a
token of its own. The result never has overlapping or empty tokens, and every non-space
character of the text belongs to exactly one token.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.spacy_tokenizer import POS_TAG_KEY
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer

if TYPE_CHECKING:
    from kiwipiepy import Kiwi
    from rasa.shared.nlu.training_data.message import Message

# Tag given to characters Kiwi did not cover (Kiwi's own tag for unknown symbols).
UNCOVERED_TAG = "SW"


@dataclass
class MorphemeSpan:
    """A run of original text with the Kiwi morphemes (form, tag) that cover it."""

    start: int
    end: int
    forms: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)

    def add(self, form: str, tag: str) -> None:
        self.forms.append(form)
        self.tags.append(tag)


@functools.cache
def kiwi() -> Kiwi:
    """The process-wide Kiwi analyser, loaded on first use (loading takes about a second)."""
    from kiwipiepy import Kiwi

    return Kiwi()


def _merge(morphemes: list[tuple[int, int, str, str]]) -> list[MorphemeSpan]:
    """Merges (start, end, form, tag) morphemes, sorted by start, into disjoint spans."""
    spans: list[MorphemeSpan] = []
    pending: list[tuple[str, str]] = []  # zero-length morphemes waiting for a span
    for start, end, form, tag in morphemes:
        if end <= start:
            pending.append((form, tag))
            continue
        if spans and start < spans[-1].end:
            current = spans[-1]
            current.end = max(current.end, end)
        else:
            current = MorphemeSpan(start, end)
            spans.append(current)
        for waiting in pending:
            current.add(*waiting)
        pending.clear()
        current.add(form, tag)
    if spans:
        for waiting in pending:
            spans[-1].add(*waiting)
    return spans


def _words(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of non-space characters in text[start:end]."""
    index = start
    while index < end:
        if text[index].isspace():
            index += 1
            continue
        run_end = index
        while run_end < end and not text[run_end].isspace():
            run_end += 1
        yield index, run_end
        index = run_end


def _fill_gaps(text: str, spans: list[MorphemeSpan]) -> list[MorphemeSpan]:
    """Adds a span for every run of non-space characters that no morpheme covers."""
    result: list[MorphemeSpan] = []
    position = 0
    for span in [*spans, MorphemeSpan(len(text), len(text))]:
        for start, end in _words(text, position, span.start):
            result.append(MorphemeSpan(start, end, [text[start:end]], [UNCOVERED_TAG]))
        if span.end > span.start:
            result.append(span)
        position = max(position, span.end)
    return result


def _split_at_spaces(text: str, span: MorphemeSpan) -> list[MorphemeSpan]:
    """Splits a span at whitespace (Kiwi's multi-word entries can cross a space)."""
    words = list(_words(text, span.start, span.end))
    if len(words) == 1:
        span.start, span.end = words[0]
        return [span]
    # The analysis belongs to the whole phrase; each word keeps its own surface.
    return [MorphemeSpan(s, e, [text[s:e]], list(span.tags)) for s, e in words]


def morpheme_spans(text: str) -> list[MorphemeSpan]:
    """Disjoint, non-empty spans of `text` from Kiwi's analysis, in text order."""
    if not text.strip():
        return []
    # Stable sort on the start only: morphemes of one syllable keep Kiwi's order (하, 었).
    analysed = sorted(
        (
            (token.start, token.start + token.len, token.form, token.tag)
            for token in kiwi().tokenize(text)
        ),
        key=lambda morpheme: morpheme[0],
    )
    spans = _fill_gaps(text, _merge(analysed))
    return [piece for span in spans for piece in _split_at_spaces(text, span)]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class KiwiTokenizer(Tokenizer):
    """Tokenizes Korean text into Kiwi morphemes aligned with the original characters.

    A token's `lemma` joins the Kiwi forms it covers (했 → 하었), so inflected forms share
    word features; its `pos` data joins their tags (VV+EP) for LexicalSyntacticFeaturizer.
    """

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def required_packages() -> list[str]:
        return ["kiwipiepy"]

    @staticmethod
    def supported_languages() -> list[str]:
        return ["ko"]

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        text: str = message.get(attribute)
        tokens = [
            Token(
                text[span.start : span.end],
                span.start,
                end=span.end,
                data={POS_TAG_KEY: "+".join(span.tags)},
                lemma="".join(span.forms),
            )
            for span in morpheme_spans(text)
        ]
        return self._apply_token_pattern(tokens)
