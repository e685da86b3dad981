"""The chat side of check-ins (안부확인), on the case store's check-in core.

- ``action_greet``: /start with an invitation token (the deep link a worker handed
  over) links this Telegram chat to the person, or to an emergency contact, before the
  greeting; the person is told when check-ins come and how to pause or stop, and the
  greeting then says who ieum is. An expired or used link is said politely.
- ``action_checkin_answer``: a check-in's button (``checkin_payload`` entity, set by the
  bot from the button's ``ck:<check-in>:<answer>``), words written back while a check-in
  waits (``checkin_ok``, ``checkin_need_help``), and pause / stop / keep
  (``stop_checkins``). Words that merely sound like an answer when no check-in waits are
  read for what they are (``actions.checkins``).

Only Telegram chats are check-in chats: the case store knows a person by their chat id.
"""

from __future__ import annotations

import re

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.checkin_link import ENROLLED, checkin_chat
from actions.checkins import answer_not_awaited, is_question
from actions.escalate import when_someone_answers
from actions.menu import main_menu
from actions.services import ActionServices, UsesServices
from actions.turns import latest_intent, latest_text
from cases import checkin_messages as said
from cases.checkin_answers import AnswerOutcome
from cases.checkin_sender import parse_button_payload

ANSWER_INTENTS = frozenset({"checkin_ok", "checkin_need_help"})
# "잠깐 쉴래요", "며칠 쉬고 싶어요": a pause, which the person can undo in the chat.
_PAUSE = re.compile(r"쉬|쉴|잠깐|잠시|당분간|며칠|나중에")
# Words that make "그만" about the check-ins themselves, not about this conversation.
_ABOUT_CHECKINS = re.compile(r"안부|연락|확인|메시지|문자|받")
# A line only the case store's reply to a person's own link has (not a contact's link,
# nor a used, expired or unknown one).
_LINKED_PERSON_MARK = said.LINKED_PERSON.split("\n")[1]


def latest_entity(tracker: Tracker, name: str) -> str | None:
    value = next(tracker.get_latest_entity_values(name), None)
    return value if isinstance(value, str) and value else None


class ActionGreet(UsesServices, Action):
    """A greeting or /start, before the greeting itself (utter_greet): with an invitation
    token, the check-in link is made and said first."""

    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        token = latest_entity(tracker, "start_payload")
        chat = checkin_chat(tracker)
        if token is None or chat is None:
            return []
        reply = self.services.checkins.redeem(token.strip(), chat)
        dispatcher.utter_message(text=reply)
        if _LINKED_PERSON_MARK in reply:
            dispatcher.utter_message(text=messages.CHECKIN_HOW_IT_GOES)
        return []


class ActionCheckinAnswer(UsesServices, Action):
    """checkin_ok, checkin_need_help (typed or a check-in's button) and stop_checkins."""

    def name(self) -> str:
        return "action_checkin_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        intent = latest_intent(tracker)
        chat = checkin_chat(tracker)
        if answer_checkin_button(self.services, dispatcher, tracker, domain):
            return []
        if intent == "stop_checkins":
            self._stop(dispatcher, tracker, domain, chat)
        elif not self._written_answer(dispatcher, tracker, chat, intent):
            await answer_not_awaited(self.services, dispatcher, tracker, domain, intent)
        return []

    def _written_answer(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, chat: str | None, intent: str
    ) -> bool:
        """Words written back while a check-in waits: recorded; False when none waits
        (or a question that only sounds like "잘 지내요")."""
        if chat is None or intent not in ANSWER_INTENTS:
            return False
        text = latest_text(tracker)
        if intent == "checkin_ok" and is_question(text):
            return False
        checkins = self.services.checkins
        if checkins.waiting_checkin(chat) is None:
            return False
        outcome = checkins.answer_text(chat, text, intent)
        if outcome is None:
            return False
        tell_outcome(self.services, dispatcher, tracker, outcome, messages.CHECKIN_WORRY_TOLD)
        return True

    def _stop(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
        chat: str | None,
    ) -> None:
        """Pause, stop or keep the chat's check-ins; a bare "그만할래요" is asked about."""
        checkins = self.services.checkins
        if chat is None or checkins.chat_status(chat) not in ENROLLED:
            dispatcher.utter_message(text=messages.NO_CHECKINS_TO_STOP, buttons=main_menu(domain))
            return
        choice = latest_entity(tracker, "choice")
        text = latest_text(tracker)
        if choice == "keep":
            dispatcher.utter_message(text=messages.CHECKINS_KEPT)
            return
        if choice is None and not _PAUSE.search(text) and not _ABOUT_CHECKINS.search(text):
            dispatcher.utter_message(
                text=messages.PAUSE_OR_STOP, buttons=messages.pause_or_stop_buttons()
            )
            return
        pause = choice == "pause" or (choice is None and bool(_PAUSE.search(text)))
        reply = checkins.set_status_by_chat(chat, "paused" if pause else "stopped")
        dispatcher.utter_message(text=reply or messages.NO_CHECKINS_TO_STOP)


def answer_checkin_button(
    services: ActionServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
) -> bool:
    """A check-in's button pressed (the ``checkin_payload`` entity), whatever the
    conversation was doing: recorded and answered; False when the message is not one. The
    forms call this first, so a button pressed mid-form is never taken as the form's
    answer (the form asks its question again)."""
    payload = latest_entity(tracker, "checkin_payload")
    if payload is None:
        return False
    chat = checkin_chat(tracker)
    outcome = None if chat is None else services.checkins.answer_button(chat, payload)
    if outcome is None:
        dispatcher.utter_message(text=messages.CHECKIN_BUTTON_STALE, buttons=main_menu(domain))
        return True
    parsed = parse_button_payload(payload)
    told = messages.CHECKIN_CALL_ME_TOLD if parsed and parsed[1] == "call_me" else None
    tell_outcome(services, dispatcher, tracker, outcome, told or messages.CHECKIN_HELP_TOLD)
    return True


def tell_outcome(
    services: ActionServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    outcome: AnswerOutcome,
    told: str,
) -> None:
    """The reply to an answer: thanks; for a worrying one, who was told and, honestly,
    when they will see it; for an emergency, 119 and 109 now."""
    if outcome.emergency:
        dispatcher.utter_message(text=outcome.reply)
    elif outcome.flagged:
        dispatcher.utter_message(text=told)
        dispatcher.utter_message(text=when_someone_answers(services, tracker))
        dispatcher.utter_message(text=messages.CHECKIN_CONCERN_SAFETY)
    else:
        dispatcher.utter_message(text=outcome.reply)
