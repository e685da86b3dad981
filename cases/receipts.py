"""Receipt numbers of reports: random, never derived from a case id, easy to read aloud.

Twelve symbols of Crockford's base32 (digits and capitals without I, L, O and U, which
look or sound like others), shown in groups of four: "R7KQ-M2XD-9HTC". That is 60 random
bits from ``secrets``: guessing one of a million live receipts takes about 10¹² tries.
Reading back is forgiving: lower case, spaces or no dashes, and the letters people write
for a look-alike digit (O for 0, I and L for 1).
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 12
GROUP = 4
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ㅡ_.]")


def new_receipt() -> str:
    """A fresh receipt number, grouped ("R7KQ-M2XD-9HTC")."""
    return _grouped("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def parse_receipt(text: str) -> str | None:
    """The receipt number ``text`` spells, grouped as stored, or None if it spells none."""
    compact = _SEPARATORS.sub("", text.strip()).upper().translate(_LOOK_ALIKES)
    if len(compact) != LENGTH or any(symbol not in ALPHABET for symbol in compact):
        return None
    return _grouped(compact)


def _grouped(compact: str) -> str:
    return "-".join(compact[i : i + GROUP] for i in range(0, LENGTH, GROUP))
