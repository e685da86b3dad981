"""Keeping 주민등록번호 (resident registration numbers) out of everything ieum stores.

A number is masked when it has the shape of an RRN: a plausible birth date (YYMMDD),
an optional hyphen or space, then a first digit 1–8 (century and sex, foreigners
included) and six more digits. Masking errs on the side of privacy: a 13-digit number
of that shape is masked even if it happens to be something else.
"""

from __future__ import annotations

import re

RRN = re.compile(
    r"(?<!\d)"
    r"(\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))"
    r"[\s\-–]?"
    r"([1-8]\d{6})"
    r"(?!\d)"
)
MASK = "******-*******"


def mask_rrn(text: str) -> tuple[str, bool]:
    """The text with every RRN replaced by a mask, and whether any was found."""
    masked, count = RRN.subn(MASK, text)
    return masked, count > 0
