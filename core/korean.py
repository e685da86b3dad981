"""The endings people put after a one-word answer: '73세예요', '서울이요', '2명입니다',
'혼자인데'. Every reader of Korean answers (the chat's normalisers, the area resolver)
builds its patterns from these, so they agree."""

from __future__ import annotations

POLITE_ENDINGS: tuple[str, ...] = ("이에요", "예요", "이요", "입니다")
"""The polite copula after a noun or a number, longest first."""
CONNECTIVE_ENDINGS: tuple[str, ...] = ("이고", "인데")
"""A copula that goes on: '서울이고', '3명인데'."""

DIALECT_ENDINGS: tuple[str, ...] = ("이여", "이유", "이라예", "이당께", "잉께", "여", "유")
"""The copula in 충청, 경상 and 전라 speech: '칠십셋이여', '서울이유'."""

COPULA = "|".join((*POLITE_ENDINGS, *DIALECT_ENDINGS, "요"))
"""Regex alternation: the polite copula (also as people say it in dialect), or a bare 요."""
CONNECTIVE = "|".join(CONNECTIVE_ENDINGS)
"""Regex alternation of ``CONNECTIVE_ENDINGS``."""
