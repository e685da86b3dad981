"""Handing over to a person: on request, after repeated misunderstanding, and in an
emergency. Each stores an escalation, or adds to the conversation's open one."""

from __future__ import annotations

import re

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.checkin_link import record_emergency_answer
from actions.escalate import Escalated, record_escalation, staff_see_it, when_someone_answers
from actions.menu import main_menu
from actions.services import ActionServices, UsesServices
from actions.turns import latest_text, previous_user_intent

FALLBACK_INTENT = "nlu_fallback"
# A message with no letter or digit (👍, 🙏, ㅎㅎ is letters): nothing was misunderstood.
_NO_WORDS = re.compile(r"^[\W_]*$")


def received(escalated: Escalated) -> str:
    """The receipt of a handoff, new or added to the open one."""
    number = escalated.record.id
    return messages.handoff_again(number) if escalated.again else messages.handoff_received(number)


class ActionHandoff(UsesServices, Action):
    """request_human: store a handoff and say honestly when and how a person will answer."""

    def name(self) -> str:
        return "action_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        escalated = record_escalation(self.services, tracker, "handoff", "normal")
        if escalated is None:
            dispatcher.utter_message(text=messages.NOT_RECORDED)
            return []
        dispatcher.utter_message(text=received(escalated))
        dispatcher.utter_message(text=when_someone_answers(self.services, tracker))
        dispatcher.utter_message(text=messages.HELPLINE)
        return []


class ActionFallback(UsesServices, Action):
    """nlu_fallback: ask to rephrase once; the second time in a row, hand over.

    A message without words (an emoji, a thumbs-up) is taken as a nod, not counted.
    """

    def name(self) -> str:
        return "action_fallback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if _NO_WORDS.match(latest_text(tracker)):
            dispatcher.utter_message(text=messages.NOD_ACKNOWLEDGED, buttons=main_menu(domain))
            return [SlotSet("fallback_count", 0.0)]
        count = int(tracker.get_slot("fallback_count") or 0)
        if not (count >= 1 and previous_user_intent(tracker) == FALLBACK_INTENT):
            dispatcher.utter_message(text=messages.FALLBACK_FIRST, buttons=main_menu(domain))
            return [SlotSet("fallback_count", 1.0)]
        escalated = record_escalation(self.services, tracker, "fallback", "normal")
        if escalated is None:
            dispatcher.utter_message(text=messages.NOT_RECORDED)
        else:
            dispatcher.utter_message(text=messages.fallback_handoff(escalated.record.id))
            dispatcher.utter_message(text=when_someone_answers(self.services, tracker))
        return [SlotSet("fallback_count", 0.0)]


class ActionEmergency(UsesServices, Action):
    """emergency, in any state: after the numbers to call (the domain's utter_emergency),
    a critical escalation, said honestly when staff will see it, and the form stopped."""

    def name(self) -> str:
        return "action_emergency"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        record_emergency_answer(self.services, tracker)
        escalate_emergency(dispatcher, self.services, tracker)
        return [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("answer", None),
            SlotSet("pending_field", None),
            # The next emergency names its own danger.
            SlotSet("danger", None),
        ]


def escalate_emergency(
    dispatcher: CollectingDispatcher, services: ActionServices, tracker: Tracker
) -> None:
    """Store a critical escalation (or add to the open one) and say when staff see it."""
    escalated = record_escalation(services, tracker, "emergency", "critical")
    if escalated is None:
        dispatcher.utter_message(text=messages.EMERGENCY_NOT_RECORDED)
    elif not escalated.again:
        dispatcher.utter_message(text=staff_see_it(services))
