"""Handing over to a person: on request, after repeated misunderstanding, in an
emergency, and when a check-in answer is worrying. Each stores an escalation."""

from __future__ import annotations

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.escalate import record_escalation, when_someone_answers
from actions.menu import main_menu
from actions.services import UsesServices
from actions.turns import previous_user_intent

FALLBACK_INTENT = "nlu_fallback"


class ActionHandoff(UsesServices, Action):
    """request_human: store a handoff and say honestly when a person will answer."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = record_escalation(self.services, tracker, "handoff", "normal")
        if record is None:
            dispatcher.utter_message(text=messages.NOT_RECORDED)
            return []
        dispatcher.utter_message(text=messages.handoff_received(record.id))
        dispatcher.utter_message(text=when_someone_answers(self.services))
        dispatcher.utter_message(text=messages.HELPLINE)
        return []


class ActionFallback(UsesServices, Action):
    """nlu_fallback: ask to rephrase once; the second time in a row, hand over."""

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        count = int(tracker.get_slot("fallback_count") or 0)
        if not (count >= 1 and previous_user_intent(tracker) == FALLBACK_INTENT):
            dispatcher.utter_message(text=messages.FALLBACK_FIRST, buttons=main_menu(domain))
            return [SlotSet("fallback_count", 1.0)]
        record = record_escalation(self.services, tracker, "fallback", "normal")
        if record is None:
            dispatcher.utter_message(text=messages.NOT_RECORDED)
        else:
            dispatcher.utter_message(text=messages.fallback_handoff(record.id))
            dispatcher.utter_message(text=when_someone_answers(self.services))
        return [SlotSet("fallback_count", 0.0)]


class ActionEmergency(UsesServices, Action):
    """emergency, in any state: the numbers to call at once, a critical escalation, and
    the benefit form (if any) stopped."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # The numbers to call went out already as the domain's utter_emergency, which
        # needs no action server; this action records and stops the form.
        record = record_escalation(self.services, tracker, "emergency", "critical")
        dispatcher.utter_message(
            text=messages.EMERGENCY_RECORDED if record else messages.EMERGENCY_NOT_RECORDED
        )
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("answer", None),
            SlotSet("pending_field", None),
        ]


class ActionCheckinConcern(UsesServices, Action):
    """checkin_need_help: a high-priority escalation and a kind reply."""

    def name(self) -> str:
        return "action_checkin_concern"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record = record_escalation(self.services, tracker, "checkin_concern", "high")
        if record is None:
            dispatcher.utter_message(text=messages.NOT_RECORDED)
        else:
            dispatcher.utter_message(text=messages.checkin_concern_received(record.id))
            dispatcher.utter_message(text=when_someone_answers(self.services))
        dispatcher.utter_message(text=messages.CHECKIN_CONCERN_SAFETY)
        return []
