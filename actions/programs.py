"""ask_program: answer about one program, named or found by meaning in the FAISS index.

When nothing in the catalog is close enough to the question, ieum says honestly that it
does not know, with 129 and the menu, instead of answering about the nearest program.
"""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.facts import stated_facts
from actions.menu import main_menu
from actions.services import ActionServices, UsesServices
from actions.turns import entity_values, intent_button, is_payload, latest_text, program_button
from knowledge.engine import closed_on
from knowledge.fields import label
from knowledge.profile import CitizenProfile
from knowledge.schema import Program

logger = logging.getLogger(__name__)

CHOICES_OFFERED = 3


class ActionAnswerProgram(UsesServices, Action):
    """Summary, who, amount, how to apply, contact and source of the program asked about."""

    def name(self) -> str:
        return "action_answer_program"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await answer_question(self.services, dispatcher, tracker, domain)
        return []


async def answer_question(
    services: ActionServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
) -> None:
    """Answer the latest message as a question about a program."""
    program = named_program(services, tracker)
    if program is not None:
        say_program(dispatcher, services, program, personal_fit(services, tracker, program))
        return
    question = latest_text(tracker)
    if is_payload(question) or not question.strip():
        dispatcher.utter_message(text=messages.ASK_WHICH_PROGRAM)
        return
    try:
        # Embedding the question is CPU work: keep the server's event loop free.
        hits = await asyncio.to_thread(services.search.search, question, CHOICES_OFFERED)
    except (FileNotFoundError, OSError) as error:
        logger.error("program search unavailable: %s", type(error).__name__)
        dispatcher.utter_message(text=messages.SEARCH_UNAVAILABLE)
        return
    found = [(hit, services.catalog.get(hit.program_id)) for hit in hits]
    programs = [(hit, p) for hit, p in found if p is not None]
    settings = services.settings
    if not programs or programs[0][0].score < settings.program_min_score:
        dispatcher.utter_message(text=messages.UNKNOWN_TOPIC, buttons=main_menu(domain))
        return
    gap = settings.program_choice_gap
    if len(programs) >= CHOICES_OFFERED and programs[0][0].score - programs[-1][0].score < gap:
        dispatcher.utter_message(
            text=messages.WHICH_PROGRAM,
            buttons=[program_button(p.name, p.id) for _, p in programs],
        )
        return
    program = programs[0][1]
    say_program(dispatcher, services, program, personal_fit(services, tracker, program))


def personal_fit(services: ActionServices, tracker: Tracker, program: Program) -> list[str]:
    """When the program takes applications, and how it fits the person ieum has been told
    about: why it fits, what is still to check, or which condition is not met; and what the
    office will still check that ieum does not."""
    closed = closed_on(program, services.today())
    notes = [messages.closed_line(closed.reason)] if closed is not None else []
    if program.eligibility.office_checks:
        notes.append(messages.office_checks(program.eligibility.office_checks))
    stated = stated_facts(tracker)
    if not stated:
        return notes
    result = services.engine.assess(CitizenProfile.parse(stated), program, services.today())
    if result.status == "eligible":
        fit = messages.PERSONAL_REASONS_ELIGIBLE + " / ".join(result.reasons)
    elif result.status == "maybe":
        fit = messages.PERSONAL_MISSING + ", ".join(label(f) for f in result.missing)
    else:
        fit = messages.PERSONAL_FAILED + " / ".join(result.failed)
    return [fit, *notes]


def named_program(services: ActionServices, tracker: Tracker) -> Program | None:
    """The program the message names: a button's id, an entity, or a name in the text."""
    catalog, matcher = services.catalog, services.matcher
    said = entity_values(tracker, "program")
    text = latest_text(tracker)
    for value in [*said, *([] if is_payload(text) else [text])]:
        program = catalog.get(value)
        if program is not None:
            return program
        ids = matcher.find(value)
        if ids:
            return catalog.get(ids[0])
    return None


def say_program(
    dispatcher: CollectingDispatcher,
    services: ActionServices,
    program: Program,
    personal: list[str],
) -> None:
    amount = program.amount_on(services.today())
    unverified = amount is not None and not program.source(amount.source).verified
    dispatcher.utter_message(
        text=messages.program_answer(program, personal, figures_unverified=unverified),
        buttons=[intent_button(messages.CHECK_ELIGIBILITY_BUTTON, "find_benefits")],
    )
