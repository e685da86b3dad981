"""Blind-spot reports in the chat: intake, the one-question-at-a-time report form, filing
on 접수할게요, danger at any point, the ways out, and where a report stands.

The form has one required slot, ``report_answer``, read for the step the form is asking
(``report_step``, see ``actions/report_steps.py``); the draft lives in the ``report``
slot. Consent comes first: without it nothing is stored. The report is filed inside the
validation of 접수할게요, and the receipt is said only after the commit; the filing's
dedup key (conversation and draft id) makes a retried message file once.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions import messages
from actions.emergency_reply import emergency_reply
from actions.escalate import staff_see_it
from actions.form_turns import step_input
from actions.handoff import escalate_emergency
from actions.menu import main_menu
from actions.normalise.report import read_area, read_receipt, read_relation, read_signs
from actions.report_filing import file_report, filed_message, report_draft
from actions.report_steps import (
    CONFIRM,
    DANGER_SIGNS,
    STEP_KEYS,
    Draft,
    next_step,
    question,
    read_answer,
)
from actions.services import ActionServices, UsesServices
from actions.turns import (
    conversation_channel,
    first_entity,
    is_payload,
    latest_intent,
    latest_text,
)
from cases.errors import ReportRejected
from core.privacy import mask_rrn

logger = logging.getLogger(__name__)

DONE = "done"
"""The ``report_answer`` value that completes the form."""
STOP_INTENTS = frozenset({"cancel", "stop_checkins"})
"""Ways out that are said aloud; others (a greeting, goodbye) have their own answer."""
STORE_ERRORS = (SQLAlchemyError, OSError, RuntimeError)
PHOTO_CHANNELS = frozenset({"telegram"})
"""Channels whose bot takes a photo (bot/photos.py); elsewhere the question is skipped."""


def draft_of(tracker: Tracker) -> Draft:
    value = tracker.get_slot("report")
    return dict(value) if isinstance(value, dict) else {}


def cleared() -> dict[str, Any]:
    """The slots of a report that is over (filed, declined, stopped)."""
    return {"report_answer": DONE, "report": None, "report_step": None, "report_id": None}


def said_words(tracker: Tracker) -> str:
    """The latest message as typed (masked), or '' for a button."""
    text = latest_text(tracker)
    return "" if is_payload(text) else mask_rrn(text)[0]


def shared_place(tracker: Tracker) -> str | None:
    """The region a payload carries: a shared Telegram location ("<lat>,<lon>")."""
    return first_entity(tracker, "region") if is_payload(latest_text(tracker)) else None


def first_draft(text: str) -> Draft:
    """What the opening message already tells: the signs it names (and then its words, as
    the report's text; "신고할게요" is no report), whom it is about, a place naming one 동."""
    if not text:
        return {}
    signs = list(read_signs(text))
    draft: Draft = {"text": text, "signs": signs} if signs else {}
    relation = read_relation(text)
    if relation is not None:
        draft.update(about="self" if relation == "self" else "other")
        draft["relation"] = None if relation == "self" else relation
    place = read_area(text).area
    if place is not None and place.dong is not None:
        draft.update(region=place.key, area=place.key)
    return draft


def say_emergency(dispatcher: CollectingDispatcher, domain: DomainDict, danger: str | None) -> None:
    """The numbers to call, worded for the danger (the domain's utter_emergency)."""
    text = emergency_reply(domain, danger)
    if text is not None:
        dispatcher.utter_message(text=text)


def file_in_danger(
    dispatcher: CollectingDispatcher,
    services: ActionServices,
    tracker: Tracker,
    draft: Draft,
    said: str,
) -> None:
    """After the emergency numbers: the report filed as critical with what is known, once
    consent was given; before consent, or if filing fails, an emergency case."""
    if draft.get("consent"):
        try:
            filed = file_report(services, tracker, report_draft(draft, danger=True, said=said))
        except (ReportRejected, *STORE_ERRORS) as error:
            logger.error("danger report not filed: %s", type(error).__name__)
        else:
            dispatcher.utter_message(text=messages.report_emergency_filed(filed.receipt))
            dispatcher.utter_message(text=staff_see_it(services))
            return
    escalate_emergency(dispatcher, services, tracker)


class ActionReportIntake(UsesServices, Action):
    """report_blind_spot: a new draft (with what the message already says); consent next.

    Danger signs in the opening words (학대, 죽고 싶다고) get the emergency numbers and an
    emergency case at once, before the first question."""

    def name(self) -> str:
        return "action_report_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        draft = first_draft(said_words(tracker))
        if conversation_channel(tracker) not in PHOTO_CHANNELS:
            draft["photo"] = None  # no way to send one: the question is not asked
        danger = next((DANGER_SIGNS[s] for s in draft.get("signs", []) if s in DANGER_SIGNS), None)
        if danger is not None:
            say_emergency(dispatcher, domain, danger)
            escalate_emergency(dispatcher, self.services, tracker)
        return [
            SlotSet("report", draft),
            SlotSet("report_id", uuid.uuid4().hex[:16]),
            SlotSet("report_step", next_step(draft)),
            SlotSet("report_answer", None),
            SlotSet("fallback_count", 0.0),
        ]


class ValidateReportForm(UsesServices, FormValidationAction):
    """Reads each answer into the draft, picks the next step, and files on 접수할게요."""

    def name(self) -> str:
        return "validate_report_form"

    async def validate_report_answer(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        given = step_input(
            self.services, dispatcher, tracker, domain, slot_value, DONE, shared_place(tracker)
        )
        if given.ask_again:
            return {"report_answer": None}
        if not given.value:
            return {}
        value = given.value
        draft = draft_of(tracker)
        step = tracker.get_slot("report_step") or next_step(draft)
        reading = read_answer(str(step), value, draft, latest_intent(tracker))
        for text in reading.said:
            dispatcher.utter_message(text=text)
        if reading.event == "declined":
            return cleared()
        if reading.event == "danger":
            say_emergency(dispatcher, domain, reading.danger)
            file_in_danger(dispatcher, self.services, tracker, reading.draft, said_words(tracker))
            return cleared()
        if reading.event == "file":
            return self._file(dispatcher, tracker, reading.draft)
        return self._asking(reading.draft)

    def _file(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, draft: Draft
    ) -> dict[str, Any]:
        try:
            filed = file_report(self.services, tracker, report_draft(draft))
        except ReportRejected as rejected:
            dispatcher.utter_message(text=rejected.message)
            if rejected.candidates:
                kept = {k: v for k, v in draft.items() if k not in STEP_KEYS["region"]}
                return self._asking({**kept, "pending_candidates": list(rejected.candidates)})
            return self._asking(draft)
        except STORE_ERRORS as error:
            # Nothing was committed: the answers stay for another try.
            logger.error("report not filed: %s", type(error).__name__)
            dispatcher.utter_message(text=messages.REPORT_NOT_FILED)
            return {"report_answer": None, "report": draft, "report_step": CONFIRM}
        anonymous = not draft.get("phone")
        dispatcher.utter_message(text=filed_message(self.services, filed, anonymous))
        return cleared()

    @staticmethod
    def _asking(draft: Draft) -> dict[str, Any]:
        return {"report_answer": None, "report": draft, "report_step": next_step(draft)}


class ActionAskReportAnswer(UsesServices, Action):
    """Asks the report form's current step, with its buttons."""

    def name(self) -> str:
        return "action_ask_report_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        draft = draft_of(tracker)
        step = tracker.get_slot("report_step") or next_step(draft)
        keep_days = self.services.case_policy.reporter_contact_days
        text, buttons = question(str(step), draft, keep_days)
        dispatcher.utter_message(text=text, buttons=buttons)
        return [SlotSet("report_step", step)]


class ActionReportEmergency(UsesServices, Action):
    """emergency while writing a report, after the numbers (utter_emergency): the report
    filed as critical with what is known, or an emergency case before consent."""

    def name(self) -> str:
        return "action_report_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        file_in_danger(dispatcher, self.services, tracker, draft_of(tracker), said_words(tracker))
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *(SlotSet(name, value) for name, value in cleared().items()),
            SlotSet("danger", None),
        ]


class ActionStopReport(Action):
    """A way out of the report form; nothing of the draft is stored."""

    def name(self) -> str:
        return "action_stop_report"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if latest_intent(tracker) in STOP_INTENTS:
            dispatcher.utter_message(text=messages.REPORT_STOPPED, buttons=main_menu(domain))
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            *(SlotSet(name, value) for name, value in cleared().items()),
        ]


class ActionReportStatus(UsesServices, Action):
    """report_status: the status of the report with the receipt given, and its date only."""

    def name(self) -> str:
        return "action_report_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        receipt = read_receipt(latest_text(tracker)) or read_receipt(
            first_entity(tracker, "receipt") or ""
        )
        if receipt is None:
            dispatcher.utter_message(text=messages.REPORT_STATUS_NO_RECEIPT)
            return []
        try:
            status = self.services.reports.status_by_receipt(receipt)
        except STORE_ERRORS as error:
            logger.error("report status not read: %s", type(error).__name__)
            dispatcher.utter_message(text=messages.REPORT_STATUS_UNAVAILABLE)
            return []
        if status is None:
            dispatcher.utter_message(text=messages.REPORT_STATUS_UNKNOWN)
            return []
        day = status.updated_at.astimezone(self.services.now().tzinfo).date()
        dispatcher.utter_message(text=messages.report_status(status.receipt, status.status, day))
        return []
