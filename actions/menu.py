"""The main menu, defined once in the Rasa domain and read from the domain Rasa sends.

Rasa includes its domain in every call to the action server, so an action that offers the
menu shows exactly the buttons the greeting shows.
"""

from __future__ import annotations

from rasa_sdk.types import DomainDict

from actions.turns import Button

MENU_RESPONSE = "utter_how_can_i_help"
"""A domain response whose buttons are the main menu (the ``&main_menu`` anchor)."""


def main_menu(domain: DomainDict) -> list[Button]:
    """The menu's buttons; none when the domain lacks the response."""
    variants = (domain.get("responses") or {}).get(MENU_RESPONSE) or [{}]
    return [
        {"title": str(button["title"]), "payload": str(button["payload"])}
        for button in variants[0].get("buttons") or []
    ]
