"""What a turn of the step-by-step forms (blind-spot reports, check-in requests) answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker
from rasa_sdk.types import DomainDict

from actions.checkin_chat import answer_checkin_button
from actions.services import ActionServices
from actions.turns import first_entity, is_payload


@dataclass(frozen=True)
class StepInput:
    """What one turn gives the step being asked."""

    value: str
    """A button's value or the words typed; '' when the turn answers nothing."""
    ask_again: bool = False
    """A button that is no answer to the step: a check-in's (recorded as that check-in's
    answer) or an older one (the menu's)."""


def step_input(
    services: ActionServices,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    slot_value: Any,
    done: str,
    *other_values: str | None,
) -> StepInput:
    """The turn's answer: the ``choice`` entity of a button, else ``other_values`` (a
    shared place …), else the slot's text. The form's own ``done`` value and the slot
    cleared by the intake answer nothing."""
    given = first_entity(tracker, "choice") or next((v for v in other_values if v), None)
    value = given or str(slot_value or "")
    if not value or value == done:
        return StepInput("")
    if answer_checkin_button(services, dispatcher, tracker, domain) or is_payload(value):
        return StepInput("", ask_again=True)
    return StepInput(value)
