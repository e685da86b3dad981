"""The edge between check-ins and a messenger: what the bot side implements.

``tick`` hands each message to a ``CheckinSender``. A send either returns the messenger's
message id (the message was accepted), raises ``ChatBlocked`` (the person blocked the
bot: an alert case, never a silent skip), raises ``SendUnanswered`` (sent, no answer:
perhaps delivered, so the next try counts as in doubt), or raises anything else (not
taken: tried again with backoff). Buttons carry ``button_payload`` as their callback
data; the bot gives it back to ``Checkins.answer_button`` when pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from cases.models import BUTTON_CODES, ButtonCode

PAYLOAD_PREFIX = "ck"


class ChatBlocked(Exception):
    """The chat cannot receive messages from the bot (blocked, deleted, deactivated)."""


class SendUnanswered(Exception):
    """The message went out but no answer came (a timeout, a dropped connection): the
    messenger may have taken it. Tried again like a failure, and that send is counted as
    a possible duplicate."""


@dataclass(frozen=True)
class Button:
    label: str
    payload: str
    """Callback data: at most 64 bytes."""


class CheckinSender(Protocol):
    def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
        """Deliver ``text`` with ``buttons`` (one a row) to ``chat_id``; the message id."""
        ...


def button_payload(checkin_id: int, code: ButtonCode) -> str:
    return f"{PAYLOAD_PREFIX}:{checkin_id}:{code}"


def parse_button_payload(payload: str) -> tuple[int, ButtonCode] | None:
    """The check-in and answer of a check-in button's payload, or None (not one)."""
    prefix, _, rest = payload.partition(":")
    number, _, code = rest.partition(":")
    if prefix != PAYLOAD_PREFIX or not number.isdigit() or code not in BUTTON_CODES:
        return None
    answer: ButtonCode = code  # type: ignore[assignment]
    return int(number), answer
