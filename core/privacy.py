"""Keeping 주민등록번호 (resident registration numbers) out of everything ieum stores.

An RRN is a birth date (YYMMDD) and seven more digits, the first of them the century and
sex. ieum masks anything that looks like one, whatever its check digit, in the ways people
actually type it:

* with a hyphen, spaces, both ("800101 - 2234567") or nothing between the halves, or with
  another dash-like character: ㅡ (the Hangul jamo a phone keyboard offers), – — ― ‐ －,
  ~ _ . , or /;
* in full-width digits (０-９, or any other Unicode decimal digit), mixed with ASCII ones;
* with a space between every digit of a half ("8 0 0 1 0 1 - 2 2 3 4 5 6 7");
* with the tail already hidden by the user ("800101-1******", "800101-2xxxxxx");
* split by words: "앞자리 800101 뒷자리 2234567", "생년월일 800101 뒤 2234567";
* one half alone after its label — "주민번호 앞자리 800101", "뒷자리는 2234567이요" —
  because the other half may come in the next message.

An unlabelled number needs the full shape: a real-looking YYMMDD (month 01–12, day
01–31), then a back half whose first digit is 1–8. After a label (주민번호, 앞자리, 뒷자리,
…) the back half may start with any digit (9 and 0 were issued to people born in the
1800s, and a mistyped number is still private). A bare six-digit date, a phone number, an
amount of money, a year or a date with its century ("2026-12-04") is left alone.

Masks: a whole number (or a half with its hidden tail) becomes ``MASK``; a half on its own,
or each half of a number split by words, becomes ``FRONT_MASK`` or ``BACK_MASK``, so
"앞자리 800101 뒷자리 2234567" reads "앞자리 ****** 뒷자리 *******". Everything else in
the text, labels included, is returned exactly as the user wrote it: detection runs on a
*view* of the text in which each character stands for one of the original (digits as
ASCII digits, dash-likes as "-", whitespace as " ", invisible format characters such as
zero-width spaces left out), never on a normalised copy that would be handed on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

MASK = "******-*******"
FRONT_MASK = "******"
BACK_MASK = "*******"

# Characters people put between the two halves, all read as "-" when detecting.
DASHES = frozenset(
    "-"  # hyphen-minus
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # ‐ ‑ ‒ – — ―
    "\u2212\ufe58\ufe63\uff0d"  # − ﹘ ﹣ －
    "\u3161\u30fc"  # ㅡ (Hangul jamo eu), ー (katakana long vowel mark)
    "~\uff5e\u301c"  # ~ ～ 〜
    "_\uff3f"  # _ ＿
    ".\uff0e"  # . ．
)
# Characters standing for a digit the user hid themselves ("800101-1******").
HIDDEN = frozenset("*\uff0a\u2217xX\u00d7\u25cf\u25cb\u2022")  # * ＊ ∗ x X × ● ○ •
# The Unicode category of invisible characters that copy-paste leaves between digits
# (zero-width space, soft hyphen, byte-order mark, …): left out of the view.
INVISIBLE = "Cf"


def _date(gap: str) -> str:
    """YYMMDD (month 01–12, day 01–31), with ``gap`` between the digits."""
    d = "[0-9]"
    return (
        f"{d}{gap}{d}{gap}(?:0{gap}[1-9]|1{gap}[0-2]){gap}(?:0{gap}[1-9]|[12]{gap}{d}|3{gap}[01])"
    )


def _back(first: str) -> str:
    """Seven digits (or hidden digits after the first), close together or one space apart."""
    rest = "[0-9*]"
    return f"(?:{first}{rest}{{6}}|{first}(?: {rest}){{6}})(?![0-9])"


# Patterns run on the view: ASCII digits, " " for whitespace, "-" for dashes, "*" for hidden.
FRONT = rf"(?<![0-9])(?:{_date('')}|{_date(' ')})"
SEPARATOR = r" {0,3}(?:[-,/]{1,2} {0,3})?"
FRONT_LABEL = r"(?:주민 ?(?:등록 ?)?(?:증 ?)?번호|앞 ?(?:의 ?)?(?:(?:6|여섯) ?)?(?:자리|번호))"
BACK_LABEL = r"(?:(?:뒷|뒤) ?(?:의 ?)?(?:(?:7|일곱) ?)?(?:자리|번호))"
# Words between the halves of a split number that say the back half comes next.
THEN_BACK = rf"(?:{BACK_LABEL}|뒷|뒤|나머지)"
NEAR = "[^0-9]{0,12}?"  # a label's particles and punctuation, no number in between

PATTERNS: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    # A whole number after a label: its back half may start with any digit.
    (
        re.compile(rf"{FRONT_LABEL}{NEAR}(?P<whole>{FRONT}{SEPARATOR}{_back('[0-9]')})"),
        {"whole": MASK},
    ),
    # A whole number anywhere.
    (re.compile(rf"(?P<whole>{FRONT}{SEPARATOR}{_back('[1-8]')})"), {"whole": MASK}),
    # The halves split by words that announce the back half.
    (
        re.compile(
            rf"(?P<front>{FRONT})(?![0-9]){NEAR}{THEN_BACK}{NEAR}(?P<back>{_back('[0-9]')})"
        ),
        {"front": FRONT_MASK, "back": BACK_MASK},
    ),
    # A labelled half on its own.
    (re.compile(rf"{FRONT_LABEL}{NEAR}(?P<front>{FRONT})(?![0-9])"), {"front": FRONT_MASK}),
    (re.compile(rf"{BACK_LABEL}{NEAR}(?<![0-9])(?P<back>{_back('[0-9]')})"), {"back": BACK_MASK}),
)


@dataclass(frozen=True)
class _View:
    """The text as the patterns read it, and where each of its characters came from."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the view's ``start:end`` stands for."""
        return self.origin[start], self.origin[end - 1] + 1


def _view_char(ch: str) -> str:
    if ch in DASHES:
        return "-"
    if ch in HIDDEN:
        return "*"
    if ch.isspace():
        return " "
    if ch.isdecimal():
        return str(unicodedata.decimal(ch))
    return ch


def _detection_view(text: str) -> _View:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if unicodedata.category(ch) != INVISIBLE:
            chars.append(_view_char(ch))
            origin.append(i)
    return _View("".join(chars), tuple(origin))


def _masked_spans(view: _View) -> Iterator[tuple[int, int, str]]:
    """Spans of the original text to replace, and their masks; the first pattern wins."""
    taken: list[tuple[int, int]] = []
    for pattern, masks in PATTERNS:
        for match in pattern.finditer(view.text):
            spans = [(match.span(group), mask) for group, mask in masks.items()]
            if any(s < end and start < e for (s, e), _ in spans for start, end in taken):
                continue
            for (s, e), mask in spans:
                taken.append((s, e))
                yield (*view.span(s, e), mask)


def mask_rrn(text: str) -> tuple[str, bool]:
    """The text with every RRN (or labelled half of one) masked, and whether any was found."""
    spans = sorted(_masked_spans(_detection_view(text)))
    if not spans:
        return text, False
    parts: list[str] = []
    at = 0
    for start, end, mask in spans:
        parts += [text[at:start], mask]
        at = end
    parts.append(text[at:])
    return "".join(parts), True
