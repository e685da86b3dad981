"""``ieum checkins enrol|tick|worker|status|resync``: check-ins from the shell.

Exit codes: 0 done; 1 no such person; 2 input refused (a Korean message on stderr,
nothing stored).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
import threading
from typing import IO, Any

from cases import checkin_messages as say
from cases.checkin_enrolment import EnrolmentRejected, enrolment_from_json
from cases.checkin_sender import CheckinSender
from cases.report_commands import os_user
from cases.service import open_case_services
from core.settings import Settings

log = logging.getLogger(__name__)
REFUSED = 2
NOT_FOUND = 1


def enrol_command(settings: Settings, source: str, stdin: IO[str] | None = None) -> int:
    """Enrol the person in the JSON file ``source`` ('-': standard input); print
    {"person_id", "status", "invitation": {"token", "link", "expires_at"},
    "contact_invitations": [...]}."""
    try:
        enrolment = enrolment_from_json(_read_json(source, stdin or sys.stdin))
    except EnrolmentRejected as error:
        print(error.message, file=sys.stderr)
        return REFUSED
    services = open_case_services(settings)
    result = services.checkins.enrol(
        enrolment, actor=f"cli:{os_user()}", bot_username=settings.telegram_bot_username
    )
    if not settings.telegram_bot_username:
        print(say.BOT_USERNAME_MISSING, file=sys.stderr)
    print(json.dumps(result.to_json(), ensure_ascii=False))
    return 0


def tick_command(settings: Settings, now: str | None, sender: CheckinSender | None = None) -> int:
    """One scheduling pass as of ``now`` (ISO 8601 with a zone; default: the clock);
    print its counts as JSON. Without a ``sender`` nothing is sent: sends wait."""
    try:
        at = None if now is None else _instant(now)
    except ValueError:
        print(say.BAD_FIELD.format(field="--now", why=say.WHY_ZONE), file=sys.stderr)
        return REFUSED
    counts = open_case_services(settings).checkins.tick(at, sender)
    if sender is None:
        print(say.NO_SENDER, file=sys.stderr)
    print(json.dumps(counts.to_json()))
    return 0


def worker_command(
    settings: Settings,
    sender: CheckinSender | None = None,
    interval_seconds: float = 30.0,
    stop: threading.Event | None = None,
) -> int:
    """Tick every ``interval_seconds`` until ``stop`` is set (or the process ends); each
    pass's counts go to the log. Any number may run on PostgreSQL, one on SQLite."""
    checkins = open_case_services(settings).checkins
    stop = stop or threading.Event()
    while True:
        try:
            counts = checkins.tick(None, sender)
            log.info("check-in tick: %s", json.dumps(counts.to_json()))
        except Exception:
            # A database hiccup must not end the scheduler: the next pass tries again.
            log.exception("check-in tick failed")
        if stop.wait(interval_seconds):
            return 0


def status_command(settings: Settings, person_id: int, as_json: bool) -> int:
    """A person's enrolment and latest check-ins."""
    found = open_case_services(settings).checkins.status(person_id, actor=f"cli:{os_user()}")
    if found is None:
        print(say.PERSON_NOT_FOUND, file=sys.stderr)
        return NOT_FOUND
    if as_json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    print(say.person_line(found["name"], found["tier"], found["status"], found["area"]))
    for checkin in found["checkins"]:
        print(
            say.checkin_line(
                checkin["date"], checkin["state"], checkin["sends"], checkin["ladder_step"]
            )
        )
    return 0


def resync_command(settings: Settings) -> int:
    """Nothing to rebuild: check-ins are kept in SQL only. Redis holds the bot's shared
    send budget, disposable state that an emptied Redis starts afresh on its own."""
    print(say.RESYNC_NOT_NEEDED)
    return 0


def _instant(text: str) -> dt.datetime:
    parsed = dt.datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError(text)
    return parsed


def _read_json(source: str, stdin: IO[str]) -> Any:
    try:
        if source == "-":
            return json.load(stdin)
        with open(source, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise EnrolmentRejected(say.NOT_JSON) from error
