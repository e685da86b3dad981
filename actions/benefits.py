"""The benefit finder: intake, the one-question-at-a-time form, results, corrections.

The form has one required slot, ``answer``. Each answer is read for the field the form
is asking (``pending_field``); facts the message states about other fields are taken
too (a correction mid-form). The eligibility engine picks the next field; when none is
left, or the question cap is reached, ``answer`` becomes ``done`` and the form ends.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import FormValidationAction
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions import messages
from actions.answers import (
    NONE,
    UNKNOWN,
    AnswerContext,
    Facts,
    read_answer,
    says_unknown,
)
from actions.checkin_chat import answer_checkin_button
from actions.facts import ProfileUpdate, apply_facts, current_profile, harvest, stated_facts
from actions.menu import main_menu
from actions.normalise import describes_self, find_region, is_about_self, normalise_relation
from actions.programs import answer_question
from actions.results import show_results
from actions.services import ActionServices, UsesServices
from actions.turns import (
    Button,
    choice_button,
    fields_asked_since_intake,
    first_entity,
    is_payload,
    latest_intent,
    latest_text,
    rrn_was_masked,
)
from knowledge.engine import MatchReport, NextQuestion
from knowledge.fields import FIELDS, label, names_of_kind
from knowledge.profile import CitizenProfile

DONE = "done"
"""The ``answer`` value that completes the form."""
STOP_INTENTS = frozenset({"cancel", "stop_checkins"})
"""Intents that stop the finder and say so; others stop it for an answer of their own."""

# Fields whose answer text also looks like another fact that it is not about: a child's
# age is not the person's age, the parents' income is not the household's.
# A sum held ("보증금 500만 원") and the person's own income are not the household's income.
SHADOWED: dict[str, frozenset[str]] = {
    "children_ages": frozenset({"age"}),
    "parents_household_size": frozenset({"household_size", "lives_alone"}),
    "parents_monthly_income": frozenset({"monthly_income"}),
    "own_monthly_income": frozenset({"monthly_income"}),
    **{name: frozenset({"monthly_income"}) for name in names_of_kind("amount")},
}


def answer_context(services: ActionServices) -> AnswerContext:
    return AnswerContext(services.today(), services.matcher)


def next_question(
    services: ActionServices, profile: CitizenProfile, skipped: set[str]
) -> NextQuestion | None:
    """The engine's most useful question, leaving out fields the user could not answer."""
    report = services.engine.match(profile, services.today())
    if skipped:
        maybe = [
            dataclasses.replace(r, missing=tuple(f for f in r.missing if f not in skipped))
            for r in report.maybe
        ]
        report = MatchReport(report.eligible, maybe, report.ineligible)
    return services.engine.next_question(profile, services.today(), report)


def subject_of(tracker: Tracker) -> str:
    """'self' or 'other': whom the facts are about, from the relation named (default self).

    A speaker describing themselves ('나 혼자 사는 할머니인데') is asking about themselves,
    whatever relation word the entity extractor found.
    """
    text = latest_text(tracker)
    if not is_payload(text) and describes_self(text):
        return "self"
    said = first_entity(tracker, "relation")
    relation = normalise_relation(said) if said else None
    if relation is None and not is_payload(latest_text(tracker)):
        relation = normalise_relation(latest_text(tracker))
    return "self" if relation is None or is_about_self(relation) else "other"


def acknowledge(
    dispatcher: CollectingDispatcher,
    services: ActionServices,
    update: ProfileUpdate,
    before: dict[str, Any],
    quiet: set[str],
) -> None:
    """Say which facts changed (except ``quiet`` ones) and which older ones were dropped."""
    names = {p.id: p.name for p in services.catalog} if "receives" in update.changed else {}
    for name, value in update.changed.items():
        if name in quiet:
            continue
        shown_label = label(name)
        shown = messages.fact_text(name, value, names)
        say = messages.fact_changed if before.get(name) is not None else messages.fact_noted
        dispatcher.utter_message(text=say(shown_label, shown))
    for name in update.dropped:
        dispatcher.utter_message(text=messages.fact_dropped(label(name)))


class ActionBenefitIntake(UsesServices, Action):
    """find_benefits: whom it is about, facts already given; the form starts next."""

    def name(self) -> str:
        return "action_benefit_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        subject = subject_of(tracker)
        # A new search about the same person keeps what they said (also facts told before
        # any search: "저 73세고 혼자 살아요", then "지원 찾아 주세요"); otherwise start clean.
        same_search = subject == tracker.get_slot("subject") and not tracker.get_slot(
            "results_shown"
        )
        stated = stated_facts(tracker) if same_search else {}
        update = apply_facts(stated, harvest(tracker, answer_context(self.services)))
        dispatcher.utter_message(
            text=messages.INTAKE_SELF if subject == "self" else messages.INTAKE_OTHER
        )
        for problem in update.problems:
            dispatcher.utter_message(text=problem)
        question = next_question(self.services, update.profile, set())
        return [
            SlotSet("subject", subject),
            SlotSet("profile", update.stated),
            SlotSet("questions_asked", 0.0),
            SlotSet("results_shown", False),
            SlotSet("fallback_count", 0.0),
            SlotSet("pending_field", question.field if question else None),
            SlotSet("answer", None if question else DONE),
        ]


class ValidateBenefitForm(UsesServices, FormValidationAction):
    """Reads each answer into the profile and picks the next question."""

    def name(self) -> str:
        return "validate_benefit_form"

    async def validate_answer(
        self,
        slot_value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        pending = tracker.get_slot("pending_field")
        asked = int(tracker.get_slot("questions_asked") or 0)
        stated = stated_facts(tracker)
        if not isinstance(pending, str) or pending not in FIELDS:
            return self._finish(stated, asked)
        text = first_entity(tracker, "choice") or str(slot_value or "")
        if not text:
            # The intake's own SlotSet(answer=None) is validated too: nothing was answered.
            return {}
        if answer_checkin_button(self.services, dispatcher, tracker, domain):
            return {"answer": None}  # that check-in's answer; the question is asked again
        context = answer_context(self.services)
        reading = None if is_payload(text) else read_answer(pending, text, context)
        if reading is None and says_unknown(text):
            dispatcher.utter_message(text=messages.SKIPPED)
            return self._next(tracker, stated, CitizenProfile.parse(stated), asked + 1, pending)
        skip = {pending, *SHADOWED.get(pending, frozenset())}
        new: Facts = {**harvest(tracker, context, skip), **(reading or {})}
        update = apply_facts(stated, new)
        if update.problems:
            for problem in update.problems:
                dispatcher.utter_message(text=problem)
            return {"answer": None}
        if reading is None and not update.changed:
            dispatcher.utter_message(text=messages.not_understood(pending))
            return {"answer": None}
        # The answer itself needs no echo; facts about other fields were corrections.
        acknowledge(dispatcher, self.services, update, stated, quiet=set(reading or {}))
        if reading is not None:
            asked += 1
        return self._next(tracker, update.stated, update.profile, asked, None)

    def _next(
        self,
        tracker: Tracker,
        stated: dict[str, Any],
        profile: CitizenProfile,
        asked: int,
        unanswered: str | None,
    ) -> dict[str, Any]:
        if asked >= self.services.settings.benefit_question_cap:
            return self._finish(stated, asked)
        # Fields asked before and still unknown were skipped ('잘 모르겠어요'); the one
        # being asked now counts only when this answer skipped it.
        known = profile.known_fields()
        current = tracker.get_slot("pending_field")
        skipped = {f for f in fields_asked_since_intake(tracker) if f not in known and f != current}
        if unanswered is not None:
            skipped.add(unanswered)
        question = next_question(self.services, profile, skipped)
        if question is None:
            return self._finish(stated, asked)
        return {
            "answer": None,
            "profile": stated,
            "pending_field": question.field,
            "questions_asked": float(asked),
        }

    @staticmethod
    def _finish(stated: dict[str, Any], asked: int) -> dict[str, Any]:
        return {
            "answer": DONE,
            "profile": stated,
            "pending_field": None,
            "questions_asked": float(asked),
        }


class ActionAskAnswer(UsesServices, Action):
    """Asks the form's current question, with buttons for its fixed choices."""

    def name(self) -> str:
        return "action_ask_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = []
        field = tracker.get_slot("pending_field")
        if not isinstance(field, str) or field not in FIELDS:
            question = next_question(self.services, current_profile(tracker), set())
            if question is None:
                # Nothing left to ask: let the form complete on the next turn.
                return [SlotSet("answer", DONE)]
            field = question.field
            events.append(SlotSet("pending_field", field))
        text, buttons = question_for(field, tracker)
        dispatcher.utter_message(text=text, buttons=buttons)
        return events


def question_for(field: str, tracker: Tracker) -> tuple[str, list[Button]]:
    """The wording (about the user or someone else) and buttons for ``field``."""
    said = latest_text(tracker)
    if field == "region" and not is_payload(said):
        reading = find_region(said)
        if reading is not None and reading.ambiguous:
            places = [choice_button(place, place) for place in reading.candidates]
            return messages.WHICH_REGION, [*places, _dont_know()]
    wording = FIELDS[field]
    text = wording.about_self if tracker.get_slot("subject") != "other" else wording.about_other
    buttons = [choice_button(title, value) for title, value in wording.options]
    if wording.is_list and not wording.options:
        buttons.append(choice_button(messages.NONE_BUTTON, NONE))
    return text, [*buttons, _dont_know()]


def _dont_know() -> Button:
    return choice_button(messages.DONT_KNOW_BUTTON, UNKNOWN)


class ActionBenefitResults(UsesServices, Action):
    """After the form: eligible programs first, then those one fact would settle."""

    def name(self) -> str:
        return "action_benefit_results"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        show_results(dispatcher, self.services, tracker)
        return [
            SlotSet("results_shown", True),
            SlotSet("pending_field", None),
            SlotSet("answer", None),
        ]


class ActionUpdateFact(UsesServices, Action):
    """inform outside the form: correct the profile, and show results again if shown."""

    def name(self) -> str:
        return "action_update_fact"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        stated = stated_facts(tracker)
        heard = harvest(tracker, answer_context(self.services))
        update = apply_facts(stated, heard)
        if update.problems:
            for problem in update.problems:
                dispatcher.utter_message(text=problem)
            return []
        if not update.changed:
            # A masked resident number is often all such a message held; the bot has
            # already asked the user not to send it, so "what did you mean" adds nothing.
            if rrn_was_masked(tracker):
                return []
            if not heard:
                # Not one fact in it: a question the model took for an answer ("운전면허
                # 갱신은 어디서 해요"). Answered as a question: a program, or an honest
                # "잘 모르겠어요" with 129 and the menu.
                await answer_question(self.services, dispatcher, tracker, domain)
                return []
            dispatcher.utter_message(text=messages.NOTHING_TO_CHANGE)
            return []
        acknowledge(dispatcher, self.services, update, stated, quiet=set())
        events: list[EventType] = [SlotSet("profile", update.stated)]
        if tracker.get_slot("subject") is None:
            # Facts told before any search: whom they are about, for the search to come.
            events.append(SlotSet("subject", subject_of(tracker)))
        if tracker.get_slot("results_shown"):
            show_results(dispatcher, self.services, tracker, update.profile)
        return events


class ActionStopFinder(Action):
    """A way out of the finder mid-form: cancel ("그만할래요", "처음으로") stops it and keeps
    the facts for a later search; a greeting (/start) starts over, forgetting them; a
    report or a request for check-ins stops it before their own answer."""

    def name(self) -> str:
        return "action_stop_finder"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events: list[EventType] = [
            ActiveLoop(None),
            SlotSet("requested_slot", None),
            SlotSet("answer", None),
            SlotSet("pending_field", None),
        ]
        intent = latest_intent(tracker)
        if intent == "greet":
            return [*events, SlotSet("profile", None), SlotSet("subject", None)]
        if intent in STOP_INTENTS:
            dispatcher.utter_message(text=messages.FINDER_STOPPED, buttons=main_menu(domain))
        return events
