"""Asking for check-ins (안부확인) in the chat: request_checkins ("안부 전화 받고 싶어요",
"혼자 살아서 무서워요"), then a form that asks consent, a name, the 동, the days and the
time, one question at a time with buttons, and files the request for a worker of that
동 to approve in the console (``cases.checkin_requests``).

Only a Telegram chat can ask: check-ins are sent there, and the case store knows a
person by their chat. Elsewhere the citizen hears the programs that check on people and
how to ask. A person whose check-ins are paused gets them back ("다시 받을래요"); one
already receiving them, or waiting for approval, is told so. Those answers end the form
at once (its slot is set to ``DONE``), as the report form does.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import messages
from actions.checkin_link import checkin_chat, resume_checkins
from actions.checkin_request_steps import (
    CONFIRM,
    DAYS,
    TIMES,
    Draft,
    next_step,
    place,
    question,
    read_answer,
)
from actions.checkins import checkin_programs
from actions.facts import stated_facts
from actions.form_turns import step_input
from actions.menu import main_menu
from actions.services import ActionServices, UsesServices
from actions.turns import is_payload, latest_intent, latest_text, program_button
from cases.checkin_requests import CheckinRequest

logger = logging.getLogger(__name__)

DONE = "done"
"""The ``checkin_request_answer`` value that completes the form."""
STORE_ERRORS = (SQLAlchemyError, OSError, RuntimeError)
ALREADY = frozenset({"invited", "active"})
_FOR_AN_ELDER = re.compile(
    r"어머니|어머님|엄마|아버지|아버님|아빠|아부지|부모님|할머니|할아버지|할매|할배|장모님"
    r"|장인어른|시어머니|시아버지"
)


def draft_of(tracker: Tracker) -> Draft:
    value = tracker.get_slot("checkin_request")
    return dict(value) if isinstance(value, dict) else {}


def cleared() -> dict[str, Any]:
    """The slots of a request that is over (filed, declined, stopped, not needed)."""
    return {"checkin_request_answer": DONE, "checkin_request": None, "checkin_request_step": None}


class ActionOfferCheckins(UsesServices, Action):
    """request_checkins: on Telegram, a new request (consent first) unless the chat
    already has check-ins or a request; elsewhere, the programs and how to ask."""

    def name(self) -> str:
        return "action_offer_checkins"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        chat = checkin_chat(tracker)
        reply = self._no_request_needed(dispatcher, tracker, chat)
        if reply is not None:
            dispatcher.utter_message(text=reply)
            return [SlotSet(name, value) for name, value in cleared().items()]
        return [
            SlotSet("checkin_request", {}),
            SlotSet("checkin_request_step", next_step({})),
            SlotSet("checkin_request_answer", None),
        ]

    def _no_request_needed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, chat: str | None
    ) -> str | None:
        """What to say instead of asking, or None when the chat may file a request."""
        if chat is None:
            self._offer_programs(dispatcher, tracker)
            return messages.CHECKINS_ONLY_ON_TELEGRAM
        if _about_someone_else(tracker):
            self._offer_programs(dispatcher, tracker)
            return messages.CHECKINS_FOR_FAMILY
        resumed = resume_checkins(self.services, tracker)
        if resumed is not None:
            return resumed
        status = self.services.checkins.chat_status(chat)
        if status in ALREADY:
            return messages.CHECKINS_ALREADY
        if status == "pending_approval":
            return messages.CHECKINS_REQUEST_WAITING
        return None

    def _offer_programs(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        region = stated_facts(tracker).get("region")
        programs = checkin_programs(self.services, region if isinstance(region, str) else None)
        dispatcher.utter_message(
            text=messages.checkins_offer([p.name for p in programs]),
            buttons=[program_button(p.name, p.id) for p in programs],
        )


def _about_someone_else(tracker: Tracker) -> bool:
    """ "어머니께 안부 전화 신청하고 싶어요": check-ins go to the chat that asks, so a
    parent's must be asked from their own chat, or enrolled by the 주민센터. Only the
    elders people ask for are read (a spouse or children named by a person who lives
    alone — "영감 가고 나서", "자식들이 멀리 살아서" — are not whom the request is for)."""
    words = latest_text(tracker)
    return not is_payload(words) and _FOR_AN_ELDER.search(words) is not None


class ValidateCheckinRequestForm(UsesServices, FormValidationAction):
    """Reads each answer into the request, picks the next step, and files on 신청할게요."""

    def name(self) -> str:
        return "validate_checkin_request_form"

    async def validate_checkin_request_answer(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        given = step_input(self.services, dispatcher, tracker, domain, slot_value, DONE)
        if given.ask_again:
            return {"checkin_request_answer": None}
        if not given.value:
            return {}
        value = given.value
        draft = draft_of(tracker)
        step = str(tracker.get_slot("checkin_request_step") or next_step(draft))
        reading = read_answer(step, value, draft, latest_intent(tracker))
        for text in reading.said:
            dispatcher.utter_message(text=text)
        if reading.event == "declined":
            return cleared()
        new = reading.draft
        if step == "consent" and new.get("consent") and "consented_at" not in new:
            new = {**new, "consented_at": self.services.now().isoformat()}
        if reading.event == "file":
            return self._file(dispatcher, tracker, new)
        return asking(new)

    def _file(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, draft: Draft
    ) -> dict[str, Any]:
        chat = checkin_chat(tracker)
        if chat is None:  # the intake never starts the form outside Telegram
            return cleared()
        try:
            file_request(self.services, chat, draft)
        except STORE_ERRORS as error:
            # Nothing was committed: the answers stay for another try.
            logger.error("check-in request not filed: %s", type(error).__name__)
            dispatcher.utter_message(text=messages.CHECKIN_REQUEST_NOT_FILED)
            return {**asking(draft), "checkin_request_step": CONFIRM}
        place_name = place(str(draft["area"]))
        dispatcher.utter_message(text=messages.CHECKIN_REQUEST_FILED.format(place=place_name))
        return cleared()


def asking(draft: Draft) -> dict[str, Any]:
    return {
        "checkin_request_answer": None,
        "checkin_request": draft,
        "checkin_request_step": next_step(draft),
    }


def file_request(services: ActionServices, chat: str, draft: Draft) -> int:
    """The request into the case store, with the consent given in the chat."""
    start, end = TIMES[str(draft["time"])]
    request = CheckinRequest(
        chat_id=chat,
        name=str(draft["name"]),
        area=str(draft["area"]),
        weekdays=DAYS[str(draft["days"])],
        window_start=start,
        window_end=end,
        consented_at=_consent_time(draft, services),
    )
    return services.checkin_requests.file(request)


def _consent_time(draft: Draft, services: ActionServices) -> dt.datetime:
    """When the citizen agreed (the consent step's time, kept in the draft)."""
    given = draft.get("consented_at")
    try:
        return dt.datetime.fromisoformat(given) if isinstance(given, str) else services.now()
    except ValueError:
        return services.now()


class ActionAskCheckinRequestAnswer(Action):
    """Asks the request form's current step, with its buttons."""

    def name(self) -> str:
        return "action_ask_checkin_request_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        draft = draft_of(tracker)
        step = tracker.get_slot("checkin_request_step") or next_step(draft)
        text, buttons = question(str(step), draft)
        dispatcher.utter_message(text=text, buttons=buttons or None)
        return [SlotSet("checkin_request_step", step)]


class ActionStopCheckinRequest(Action):
    """A way out of the request form; nothing of it is stored."""

    def name(self) -> str:
        return "action_stop_checkin_request"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if latest_intent(tracker) in ("cancel", "stop_checkins"):
            dispatcher.utter_message(
                text=messages.CHECKIN_REQUEST_STOPPED, buttons=main_menu(domain)
            )
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *(SlotSet(name, value) for name, value in cleared().items()),
        ]
