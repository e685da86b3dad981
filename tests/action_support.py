"""Running ieum's actions without a Rasa server: trackers, services and a tiny dialogue.

Trackers are built as Rasa would send them (slots, latest message, events); returned
events are applied back the way Rasa applies them, so several actions can be chained.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.services import ActionServices
from cases.reports import ReportIntake
from cases.store import CaseStore
from core.paths import NLU_DIR
from core.settings import Settings
from index.search import SearchService
from knowledge.catalog import Catalog

SEOUL = ZoneInfo("Asia/Seoul")
OFFICE_OPEN = dt.datetime(2026, 11, 24, 10, 30, tzinfo=SEOUL)  # a Tuesday morning
OFFICE_CLOSED = dt.datetime(2026, 11, 28, 22, 0, tzinfo=SEOUL)  # a Saturday night
# The assistant's own domain, as Rasa sends it to the action server with every call.
DOMAIN: DomainDict = yaml.safe_load((NLU_DIR / "domain.yml").read_text(encoding="utf-8"))
SLOTS: tuple[str, ...] = (
    "subject",
    "profile",
    "pending_field",
    "answer",
    "questions_asked",
    "fallback_count",
    "results_shown",
    "requested_slot",
    "danger",
    "report_answer",
    "report_step",
    "report",
    "report_id",
    "checkin_request_answer",
    "checkin_request_step",
    "checkin_request",
)


def make_services(
    catalog: Catalog,
    cases: CaseStore | None = None,
    search: SearchService | None = None,
    now: dt.datetime = OFFICE_OPEN,
    reports: ReportIntake | None = None,
    **settings: Any,
) -> ActionServices:
    return ActionServices(
        Settings(**settings),
        catalog=catalog,
        cases=cases,
        search=search,
        reports=reports,
        clock=lambda: now,
    )


def entity(name: str, value: str) -> dict[str, Any]:
    return {"entity": name, "value": value}


def user_event(
    text: str,
    intent: str | None,
    entities: Sequence[dict[str, Any]] = (),
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "event": "user",
        "timestamp": time.time(),
        "text": text,
        "input_channel": "ieum",
        "metadata": metadata or {},
        "parse_data": {
            "text": text,
            "intent": {"name": intent, "confidence": 1.0},
            "entities": list(entities),
            "metadata": metadata or {},
        },
    }


def bot_event(text: str) -> dict[str, Any]:
    return {"event": "bot", "timestamp": time.time(), "text": text}


def slot_event(name: str, value: Any) -> dict[str, Any]:
    return {"event": "slot", "timestamp": None, "name": name, "value": value}


def make_tracker(
    text: str = "",
    intent: str | None = None,
    entities: Sequence[dict[str, Any]] = (),
    slots: dict[str, Any] | None = None,
    history: Iterable[dict[str, Any]] = (),
    trailing: Iterable[dict[str, Any]] = (),
    sender: str = "citizen-1",
    metadata: dict[str, Any] | None = None,
) -> Tracker:
    """A tracker whose latest message is ``text``; ``history`` comes before it and
    ``trailing`` after it (e.g. the slot the form just extracted)."""
    message = user_event(text, intent, entities, metadata)
    return Tracker(
        sender,
        {**dict.fromkeys(SLOTS), **(slots or {})},
        message["parse_data"],
        [*history, message, *trailing],
        False,
        None,
        {},
        "action_listen",
    )


def slot_changes(events: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def texts(dispatcher: CollectingDispatcher) -> list[str]:
    return [m["text"] for m in dispatcher.messages if m.get("text")]


def payloads(dispatcher: CollectingDispatcher) -> list[str]:
    return [b["payload"] for m in dispatcher.messages for b in m.get("buttons") or []]


async def run(
    action: Action, tracker: Tracker
) -> tuple[list[dict[str, Any]], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, DOMAIN)
    return list(events), dispatcher


@dataclass
class Dialogue:
    """Slots and events of one conversation, updated as Rasa would after each action."""

    slots: dict[str, Any] = field(default_factory=lambda: dict.fromkeys(SLOTS))
    events: list[dict[str, Any]] = field(default_factory=list)
    said: list[str] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)
    latest: dict[str, Any] = field(default_factory=lambda: user_event("", None))
    sender: str = "citizen-1"

    def say(
        self,
        text: str,
        intent: str | None = "inform",
        entities: Sequence[dict[str, Any]] = (),
        extracted: dict[str, Any] | None = None,
    ) -> None:
        """The user's message, then the slots Rasa extracted from it."""
        self.latest = user_event(text, intent, entities)
        self.events.append(self.latest)
        for name, value in (extracted or {}).items():
            self.events.append(slot_event(name, value))
            self.slots[name] = value
        self.said, self.buttons = [], []

    async def act(self, action: Action) -> list[dict[str, Any]]:
        tracker = Tracker(
            self.sender,
            dict(self.slots),
            self.latest["parse_data"],
            list(self.events),
            False,
            None,
            {},
            "action_listen",
        )
        events, dispatcher = await run(action, tracker)
        self.events.append({"event": "action", "name": action.name()})
        self.events.extend(events)
        self.slots.update(slot_changes(events))
        self.said.extend(texts(dispatcher))
        self.buttons.extend(payloads(dispatcher))
        self.events.extend(bot_event(t) for t in texts(dispatcher))
        return events
