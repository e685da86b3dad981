"""One-time invitations: the deep link a person (or an emergency contact) opens to link
their chat.

The token is 32 random bytes from ``secrets`` (unguessable), URL-safe so it fits
Telegram's ``start`` parameter (at most 64 characters of A-Z, a-z, 0-9, _ and -). Only its
SHA-256 is stored, so a copy of the table links no chat. A token works once (the update
that marks it used is conditional, so two presses at once link one chat) and expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from cases.models import CheckinContact, CheckinInvitation, CheckinPerson

RedemptionOutcome = Literal["linked", "used", "expired", "unknown"]
PLACEHOLDER_BOT = "<bot>"


@dataclass(frozen=True)
class Redemption:
    """What pressing Start on an invitation did; ``contact_id`` is set for a contact's."""

    outcome: RedemptionOutcome
    person_id: int | None = None
    contact_id: int | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def deep_link(bot_username: str, token: str) -> str:
    """``https://t.me/<bot>?start=<token>``; the placeholder ``<bot>`` when none is set."""
    return f"https://t.me/{bot_username or PLACEHOLDER_BOT}?start={token}"


def issue_invitation(
    session: Session,
    *,
    person_id: int,
    contact_id: int | None,
    now: dt.datetime,
    valid_for: dt.timedelta,
) -> tuple[str, dt.datetime]:
    """A new invitation in the caller's transaction: the token (shown once, never stored)
    and when it expires."""
    token = secrets.token_urlsafe(32)
    expires = now + valid_for
    session.add(
        CheckinInvitation(
            person_id=person_id,
            contact_id=contact_id,
            token_hash=token_hash(token),
            created_at=now,
            expires_at=expires,
        )
    )
    return token, expires


def redeem_invitation(session: Session, token: str, chat_id: str, now: dt.datetime) -> Redemption:
    """Use ``token`` for ``chat_id`` in the caller's transaction: the person (or contact)
    gets the chat, and an invited person becomes active."""
    query = select(CheckinInvitation).where(CheckinInvitation.token_hash == token_hash(token))
    found = session.scalars(query).one_or_none()
    if found is None:
        return Redemption("unknown")
    if found.used_at is not None:
        return Redemption("used", found.person_id, found.contact_id)
    if found.expires_at <= now:
        return Redemption("expired", found.person_id, found.contact_id)
    claimed = session.execute(
        update(CheckinInvitation)
        .where(CheckinInvitation.id == found.id, CheckinInvitation.used_at.is_(None))
        .values(used_at=now, used_by_chat=chat_id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return Redemption("used", found.person_id, found.contact_id)
    if found.contact_id is not None:
        contact = session.get_one(CheckinContact, found.contact_id)
        contact.chat_id = chat_id
        return Redemption("linked", found.person_id, found.contact_id)
    person = session.get_one(CheckinPerson, found.person_id)
    person.chat_id = chat_id
    if person.status == "invited":
        person.status = "active"
    person.updated_at = now
    return Redemption("linked", found.person_id)
