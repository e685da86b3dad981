"""The finder's results: eligible programs first, then those one fact would settle.

Results go out in few messages: what the person can receive, then what is still open
with the footer and its buttons. Every message a bot sends counts against Telegram's
global send limit, shared with every other user waiting for an answer, so ten short
messages would slow everyone down; a message is split only where it would grow too long
to send.
"""

from __future__ import annotations

from collections.abc import Sequence

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions import messages
from actions.facts import current_profile
from actions.services import ActionServices
from actions.turns import program_button
from knowledge.engine import ProgramResult
from knowledge.messages import OPEN_TO_ALL
from knowledge.profile import CitizenProfile

MAX_PROGRAM_BUTTONS = 8
MAYBE_SHOWN = 3
MESSAGE_MAX_CHARS = 3500  # Telegram refuses messages over 4,096 characters
BLOCK_SEPARATOR = "\n\n"

# Months an amount is spread over when comparing one-off and yearly support with monthly.
MONTHS_PER_PERIOD = {"month": 1, "year": 12, "once": 12}


def show_results(
    dispatcher: CollectingDispatcher,
    services: ActionServices,
    tracker: Tracker,
    profile: CitizenProfile | None = None,
) -> None:
    profile = profile if profile is not None else current_profile(tracker)
    report = services.engine.match(profile, services.today())
    eligible = sorted(report.eligible, key=_eligible_order)
    maybe = sorted(report.maybe, key=_maybe_order)
    if not eligible and not maybe:
        dispatcher.utter_message(text=messages.NO_RESULTS)
        return
    about_other = tracker.get_slot("subject") == "other"
    found = [messages.RESULTS_HEADING_OTHER if about_other else messages.RESULTS_HEADING_SELF]
    limit = services.settings.benefit_results_detailed
    detailed, rest = eligible[:limit], eligible[limit:]
    if detailed:
        found.append(messages.ELIGIBLE_HEADING)
        found.extend(messages.eligible_entry(rank, r) for rank, r in enumerate(detailed, 1))
    if rest:
        found.append(messages.more_eligible([r.program.name for r in rest]))
    settle = maybe[:MAYBE_SHOWN]
    still_open = []
    if settle:
        lines = [messages.MAYBE_HEADING, *(messages.maybe_entry(r) for r in settle)]
        still_open.append("\n".join(lines))
    still_open.append(messages.RESULTS_FOOTER)
    # The heading alone is no message of its own.
    texts = [*pack(found), *pack(still_open)] if len(found) > 1 else pack(found + still_open)
    for text in texts[:-1]:
        dispatcher.utter_message(text=text)
    buttons = [program_button(r.program.name, r.program.id) for r in [*detailed, *settle]]
    dispatcher.utter_message(text=texts[-1], buttons=buttons[:MAX_PROGRAM_BUTTONS])


def pack(blocks: Sequence[str], max_chars: int = MESSAGE_MAX_CHARS) -> list[str]:
    """The blocks in order, joined by blank lines into as few messages as fit ``max_chars``.

    A block is never split; one longer than ``max_chars`` is a message of its own.
    """
    packed: list[str] = []
    for block in blocks:
        if packed and len(packed[-1]) + len(BLOCK_SEPARATOR) + len(block) <= max_chars:
            packed[-1] += BLOCK_SEPARATOR + block
        else:
            packed.append(block)
    return packed


def _eligible_order(result: ProgramResult) -> tuple[int, float, int, str]:
    """The largest expected support first (per month), then more specific matches.

    A citizen should see 생계급여's 32만 원 a month before a 15만 원 yearly voucher.
    """
    specific = sum(1 for reason in result.reasons if reason != OPEN_TO_ALL)
    amount = result.amount
    if amount is None or amount.value is None:
        return (1, 0.0, -specific, result.program.name)
    monthly = amount.value / MONTHS_PER_PERIOD[amount.period]
    return (0, -monthly, -specific, result.program.name)


def _maybe_order(result: ProgramResult) -> tuple[int, int, str]:
    """Programs one fact away first; among them, those already matching on more."""
    return (len(result.missing), -len(result.reasons), result.program.name)
