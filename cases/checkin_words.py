"""The worrying words of a check-in answer: one list, in one place.

A plain "answered" is a weak signal; what the person says matters (아프다, 힘들다, 밥을 못
먹었다 → flag). Each entry is the word staff see and a pattern over the answer with its
spaces removed (people type 못먹었어 and 못 먹었어 alike), covering the endings people use
(아파요, 아픕니다, 아팠어, 아퍼). "안 아파요" is not a worry; "힘들지 않아요" is flagged
all the same: a case too many is a phone call, a case too few can be a life.

A few words are an emergency whatever the language model says (the chat's own emergency
handling answers them with 119/112/109 first); the rest flag the answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

WORRYING: tuple[tuple[str, str], ...] = (
    ("아프다", r"(?<!안)(아파(?!트)|아프(?!리카)|아픕|아팠|아퍼|아픈|통증|쑤시|저려|저리)"),
    ("못 먹었다", r"(못먹|못드|안먹었|안먹어|굶|끼니\S{0,2}(거르|걸렀|걸러|못)|입맛이없|밥맛이없)"),
    ("힘들다", r"(?<!안)(힘들|힘드|힘듭|힘듦|힘겨|지쳤|지쳐)"),
    ("외롭다", r"(?<!안)(외롭|외로|쓸쓸|적적|보고싶|그리워)"),
    ("우울하다", r"(우울|슬퍼|슬프|눈물|살기싫|사는게싫|의욕이없)"),
    ("어지럽다", r"(?<!안)(어지러|어지럽|어질어질|핑돌)"),
    ("넘어졌다", r"(넘어졌|넘어져|미끄러졌|다쳤|다쳐|낙상)"),
    ("잠을 못 잤다", r"(못잤|못자|잠이안|잠을못|뜬눈)"),
    ("숨이 차다", r"(숨이차|숨차|가슴이답답|가슴이아)"),
    ("열이 난다", r"(열이나|열나|오한|기침)"),
    ("몸이 안 좋다", r"(몸이안좋|몸이좀안좋|몸이별로|컨디션이안좋|기운이없|기운없|힘이없)"),
    ("병원", r"(입원|응급실|병원에가|병원가야)"),
    ("무섭다", r"(무서|무섭|겁나)"),
    ("돈이 없다", r"(돈이없|전기가끊|가스가끊|월세가밀|월세를못)"),
)
EMERGENCY: tuple[tuple[str, str], ...] = (
    ("살려 주세요", r"살려(줘|주|달)"),
    ("죽고 싶다", r"(죽고싶|죽을래|죽어버리|자살|목숨을끊|극단적)"),
    ("쓰러졌다", r"(쓰러졌|쓰러져|의식이없)"),
    ("숨을 못 쉰다", r"(숨을못|숨이안쉬|숨을안쉬)"),
)
_WORRYING = tuple((word, re.compile(pattern)) for word, pattern in WORRYING)
_EMERGENCY = tuple((word, re.compile(pattern)) for word, pattern in EMERGENCY)


@dataclass(frozen=True)
class AnswerReading:
    """What a free-text answer holds: the worrying and the emergency words found."""

    worrying: tuple[str, ...]
    emergency: tuple[str, ...]

    @property
    def flagged(self) -> bool:
        return bool(self.worrying or self.emergency)

    @property
    def words(self) -> tuple[str, ...]:
        return self.emergency + self.worrying


def read_answer(text: str) -> AnswerReading:
    """The worrying and emergency words in ``text``."""
    folded = "".join(unicodedata.normalize("NFKC", text).split())
    return AnswerReading(
        worrying=tuple(word for word, pattern in _WORRYING if pattern.search(folded)),
        emergency=tuple(word for word, pattern in _EMERGENCY if pattern.search(folded)),
    )
