"""KiwiTokenizer: tokens are exact, disjoint substrings of the original text."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from components import kiwi_tokenizer
from components.kiwi_tokenizer import KiwiTokenizer, kiwi, morpheme_spans
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

NLU_DIR = Path(__file__).resolve().parent.parent
TRAINING_DATA = NLU_DIR / "data" / "nlu.yml"
HELDOUT = NLU_DIR.parent / "bench" / "data" / "nlu_heldout.yml"

TRICKY = [
    "했어요",
    "됐다",
    "갔는데",
    "가요",
    "했었는데 안 됐어요",
    "어머니가 혼자 사시는데 받을수있는복지 알려줘",
    "기초연금받으려면어디로가요",
    "돌봄SOS 서비스 신청은 010-1234-5678로 하나요?",
    "월 80만원 정도예요",
    "1,200,000원이에요",
    "만 65세입니다",
    "살려주세요🙏🙏 제발",
    "안녕하세요😀ㅎㅇ",
    "ㅋㅋㅋ 감사합니당~~",
    "  앞뒤   공백과\t탭\n줄바꿈  ",
    "I'm 73 years old 혼자 삼",
    "괜찮혀유 걱정 말어",
    "Ｆｕｌｌｗｉｄｔｈ ＡＢＣ 123",
    "…",
    "!!!",
]


def tokenize(text: str) -> list[Token]:
    tokenizer = KiwiTokenizer(KiwiTokenizer.get_default_config())
    message = Message(data={TEXT: text})
    tokenizer.process([message])
    tokens: list[Token] = message.get(TOKENS_NAMES[TEXT])
    return tokens


@pytest.mark.parametrize("text", TRICKY)
def test_tokens_are_exact_disjoint_substrings_covering_the_text(text: str) -> None:
    tokens = tokenize(text)
    covered: set[int] = set()
    previous_end = 0
    for token in tokens:
        assert token.end > token.start, f"empty token {token!r}"
        assert text[token.start : token.end] == token.text
        assert token.text == token.text.strip(), f"token with spacing {token!r}"
        assert token.start >= previous_end, f"overlapping or unordered {token!r}"
        previous_end = token.end
        covered.update(range(token.start, token.end))
    uncovered = [i for i, ch in enumerate(text) if not ch.isspace() and i not in covered]
    assert not uncovered, f"characters in no token: {[text[i] for i in uncovered]}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("했어요", ["했", "어요"]),
        ("됐다", ["됐", "다"]),
        ("갔는데", ["갔", "는데"]),
        ("가요", ["가요"]),  # 가 + 어요 share both syllables
        ("어머니가", ["어머니", "가"]),
        ("만 65세입니다", ["만", "65", "세", "입니다"]),
        ("월 80만원", ["월", "80", "만", "원"]),
    ],
)
def test_contractions_and_particles(text: str, expected: list[str]) -> None:
    assert [t.text for t in tokenize(text)] == expected


def test_lemma_joins_kiwi_forms_and_pos_joins_tags() -> None:
    first = tokenize("했어요")[0]
    assert first.lemma == "하었"
    assert first.get("pos") == "VV+EP"


def test_spacing_errors_still_split_at_morphemes() -> None:
    text = "기초연금받으려면어디로가요"
    boundaries = {t.start for t in tokenize(text)} | {t.end for t in tokenize(text)}
    assert {0, len("기초연금")} <= boundaries


def test_emoji_and_latin_keep_their_offsets() -> None:
    text = "살려주세요🙏 SOS"
    by_text = {t.text: t for t in tokenize(text)}
    assert by_text["SOS"].start == text.index("SOS")
    assert any("🙏" in t.text for t in tokenize(text))


def test_empty_and_blank_text() -> None:
    assert morpheme_spans("") == []
    assert morpheme_spans("   ") == []


def test_kiwi_is_loaded_once_per_process() -> None:
    assert kiwi() is kiwi()


@pytest.mark.parametrize("path", [TRAINING_DATA, HELDOUT], ids=lambda p: p.name)
def test_every_entity_span_aligns_with_token_boundaries(path: Path) -> None:
    misaligned: list[str] = []
    for example in load_data(str(path)).training_examples:
        text = example.get(TEXT)
        tokens = tokenize(text)
        starts = {t.start for t in tokens}
        ends = {t.end for t in tokens}
        for entity in example.get("entities") or []:
            if entity["start"] not in starts or entity["end"] not in ends:
                pieces = [t.text for t in tokens]
                misaligned.append(f"{text!r}: {entity['value']!r} vs {pieces}")
    assert not misaligned, "\n".join(misaligned)


class FakeKiwi:
    """Returns fixed morphemes, to reach cases real Kiwi output rarely shows."""

    def __init__(self, morphemes: list[tuple[str, str, int, int]]) -> None:
        self._tokens = [
            SimpleNamespace(form=form, tag=tag, start=start, len=length)
            for form, tag, start, length in morphemes
        ]

    def tokenize(self, text: str) -> list[SimpleNamespace]:
        return self._tokens


@pytest.mark.parametrize(
    ("text", "morphemes", "expected"),
    [
        # zero-length copula joins the next morpheme; one at the end joins the last
        (
            "정도예요",
            [("정도", "NNG", 0, 2), ("이", "VCP", 2, 0), ("예요", "EF", 2, 2)],
            [("정도", "정도"), ("예요", "이예요")],
        ),
        (
            "책이",
            [("책", "NNG", 0, 1), ("이", "JKS", 1, 1), ("다", "EF", 2, 0)],
            [("책", "책"), ("이", "이다")],
        ),
        # characters Kiwi skipped become tokens of their own, spaces never do
        (
            "가 ★★ 나",
            [("가", "NNG", 0, 1), ("나", "NNG", 5, 1)],
            [("가", "가"), ("★★", "★★"), ("나", "나")],
        ),
        # a multi-word entry is split at the space; a span with padding is trimmed
        ("국민 연금", [("국민 연금", "NNP", 0, 5)], [("국민", "국민"), ("연금", "연금")]),
        ("가 ", [("가", "NNG", 0, 2)], [("가", "가")]),
    ],
)
def test_span_rules_on_synthetic_morphemes(
    monkeypatch: pytest.MonkeyPatch,
    text: str,
    morphemes: list[tuple[str, str, int, int]],
    expected: list[tuple[str, str]],
) -> None:
    monkeypatch.setattr(kiwi_tokenizer, "kiwi", lambda: FakeKiwi(morphemes))
    spans = morpheme_spans(text)
    assert [(text[s.start : s.end], "".join(s.forms)) for s in spans] == expected
