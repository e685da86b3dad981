"""Words that only sound like a check-in answer.

A check-in answer only counts as one while a check-in waits for it (the case store's
``waiting_checkin``; recorded by ``actions.checkin_chat``). Anything else that merely
sounds like one is read for what it is: a question goes to the program answers ("틀니
건강보험 되나요" once read as "I'm fine"), a good word gets a friendly menu, a hard one
gets kindness and a way to a person.
"""

from __future__ import annotations

import re

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.menu import main_menu
from actions.programs import answer_question
from actions.services import ActionServices
from actions.turns import latest_text
from core.areas.provinces import region_within
from knowledge.schema import NATIONWIDE, Program

# Words that make a message a question, whatever the classifier thought.
_QUESTION = re.compile(
    r"[?？]|어디|어떻게|어케|언제|얼마|무엇|뭐|뭔|몇|누가|왜|되나요?|돼요\??$|있나요?|있어요\??$"
    r"|하나요?|해요\??$|나요$|까요?$|는지|신청"
)
CHECKIN_CATEGORY = "안부확인"
# Care programs that also check on people living alone (besides the 안부확인 category).
CHECKIN_RELATED_PROGRAMS = ("elderly_custom_care", "emergency_safety_care")


def is_question(text: str) -> bool:
    return bool(_QUESTION.search(text.strip()))


async def answer_not_awaited(
    services: ActionServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    intent: str,
) -> None:
    """checkin_ok or checkin_need_help when no check-in waits: a question is answered as
    one, a hard word gets kindness and a way to a person, a good word the menu."""
    if is_question(latest_text(tracker)):
        await answer_question(services, dispatcher, tracker, domain)
    elif intent == "checkin_need_help":
        dispatcher.utter_message(text=messages.HARD_TIMES, buttons=main_menu(domain))
    else:
        dispatcher.utter_message(text=messages.GLAD_TO_HEAR, buttons=main_menu(domain))


def checkin_programs(services: ActionServices, region: str | None) -> list[Program]:
    """Nationwide check-in programs, and local ones where the person lives."""
    found = [
        p
        for p in services.catalog
        if p.category == CHECKIN_CATEGORY or p.id in CHECKIN_RELATED_PROGRAMS
    ]
    return [
        p
        for p in found
        if p.region == NATIONWIDE or (region is not None and region_within(region, p.region))
    ]
