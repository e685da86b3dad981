"""The endings people put after a one-word answer: '73세예요', '서울이요', '2명입니다',
'혼자인데'. Each normaliser builds its patterns from these, so they agree."""

from __future__ import annotations

POLITE_ENDINGS: tuple[str, ...] = ("이에요", "예요", "이요", "입니다")
"""The polite copula after a noun or a number, longest first."""
CONNECTIVE_ENDINGS: tuple[str, ...] = ("이고", "인데")
"""A copula that goes on: '서울이고', '3명인데'."""

COPULA = "|".join((*POLITE_ENDINGS, "요"))
"""Regex alternation: the polite copula, or a bare 요 ('서울요')."""
CONNECTIVE = "|".join(CONNECTIVE_ENDINGS)
"""Regex alternation of ``CONNECTIVE_ENDINGS``."""
