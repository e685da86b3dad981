"""Helpers for the check-in tests: enrolment JSON, a person enrolled and linked, and a
sender that records, fails, is blocked or dies on demand."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

from cases.checkin_enrolment import enrolment_from_json
from cases.checkin_sender import Button, ChatBlocked
from cases.service import CaseServices
from tests.case_fixtures import SEOUL, SetClock

EVERY_DAY = ["월", "화", "수", "목", "금", "토", "일"]


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> dt.datetime:
    """A moment of 2026 in Seoul (12-03 is a Thursday)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SEOUL)


def enrolment(**changes: Any) -> dict[str, Any]:
    """김순자 of 화곡1동, 위험, every day at 09:00 (a one-minute window), one contact."""
    data: dict[str, Any] = {
        "name": "김순자",
        "area": "서울 강서구 화곡1동",
        "tier": "위험",
        "schedule": {"days": EVERY_DAY, "window": ["09:00", "09:01"]},
        "contacts": [{"name": "박영희", "relation": "딸", "phone": "010-1234-5678"}],
        "consent": {"by": "self", "how": "visit", "at": "2026-12-01T10:00:00+09:00"},
    }
    data.update(changes)
    return data


def enrol_linked(
    services: CaseServices, clock: SetClock, chat: str = "1001", **changes: Any
) -> int:
    """Enrol a person the evening before 12-03 and link their chat; their id."""
    clock.now = at(2, 18)
    result = services.checkins.enrol(enrolment_from_json(enrolment(**changes)), actor="test")
    services.checkins.redeem(result.invitation.token, chat)
    return result.person_id


class WorkerDied(BaseException):
    """Stands for a worker killed mid-send: nothing in ieum catches it."""


class FakeSender:
    """Records what it sends; ``blocked`` chats raise ChatBlocked, ``failures`` sends in
    a row raise TimeoutError, ``die`` kills the worker after the attempt was recorded."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str, tuple[Button, ...]]] = []
        self.blocked: set[str] = set()
        self.failures = 0
        self.die = False
        self._lock = threading.Lock()

    def send(self, chat_id: str, text: str, buttons: tuple[Button, ...]) -> str:
        if chat_id in self.blocked:
            raise ChatBlocked(chat_id)
        if self.die:
            raise WorkerDied
        if self.failures:
            self.failures -= 1
            raise TimeoutError
        with self._lock:
            self.sent.append((chat_id, text, buttons))
            return str(len(self.sent))

    def to(self, chat_id: str) -> list[str]:
        return [text for chat, text, _ in self.sent if chat == chat_id]
