"""ask_program: answer about one program, named or found by meaning in the FAISS index."""

from __future__ import annotations

import asyncio
import logging

from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.services import UsesServices
from actions.turns import entity_values, intent_button, is_payload, latest_text, program_button
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
        program = self._named(tracker)
        if program is not None:
            self._answer(dispatcher, program)
            return []
        question = latest_text(tracker)
        if is_payload(question) or not question.strip():
            dispatcher.utter_message(text=messages.ASK_WHICH_PROGRAM)
            return []
        try:
            # Embedding the question is CPU work: keep the server's event loop free.
            hits = await asyncio.to_thread(self.services.search.search, question, CHOICES_OFFERED)
        except (FileNotFoundError, OSError) as error:
            logger.error("program search unavailable: %s", type(error).__name__)
            hits = []
        found = [(hit, self.services.catalog.get(hit.program_id)) for hit in hits]
        programs = [(hit, p) for hit, p in found if p is not None]
        if not programs:
            dispatcher.utter_message(text=messages.SEARCH_UNAVAILABLE)
            return []
        gap = self.services.settings.program_choice_gap
        if len(programs) >= CHOICES_OFFERED and programs[0][0].score - programs[-1][0].score < gap:
            dispatcher.utter_message(
                text=messages.WHICH_PROGRAM,
                buttons=[program_button(p.name, p.id) for _, p in programs],
            )
            return []
        self._answer(dispatcher, programs[0][1])
        return []

    def _named(self, tracker: Tracker) -> Program | None:
        """The program the message names: a button's id, an entity, or a name in the text."""
        catalog, matcher = self.services.catalog, self.services.matcher
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

    @staticmethod
    def _answer(dispatcher: CollectingDispatcher, program: Program) -> None:
        dispatcher.utter_message(
            text=messages.program_answer(program),
            buttons=[intent_button(messages.CHECK_ELIGIBILITY_BUTTON, "find_benefits")],
        )
