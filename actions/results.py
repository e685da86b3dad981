"""The finder's results, made to fit the person and a phone screen.

What the person can receive comes first, ranked by fit (a benefit aimed at their situation
before one open to all, job programs last for someone who does not work), each named
briefly with what it gives; the detail is behind each program's button. Then services
open to everyone, what they already receive (not offered as new), what one more fact
would settle, and near misses they should hear about. Every message fits one screen,
and messages are few: each one costs a share of Telegram's global send limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Tracker

from actions import messages
from actions.facts import current_profile
from actions.services import ActionServices
from actions.turns import program_button
from knowledge.engine import ClosedProgram, MatchReport, ProgramResult
from knowledge.messages import OPEN_TO_ALL, REGION_TEXT
from knowledge.profile import CitizenProfile

MAX_PROGRAM_BUTTONS = 8
MAYBE_SHOWN = 3
NEAR_MISSES_SHOWN = 2
SCREEN_CHARS = 500
"""About one phone screen of Korean text (with ``SCREEN_LINES``): no message is longer,
unless one line is."""
BLOCK_SEPARATOR = "\n\n"
SCREEN_LINES = 14
RETIRED_AGE = 65
YOUTH_AGES = (19, 39)
JOB_CATEGORY = "고용"

# Months an amount is spread over when comparing one-off and yearly support with monthly.
MONTHS_PER_PERIOD = {"month": 1, "year": 12, "once": 12}


def show_results(
    dispatcher: CollectingDispatcher,
    services: ActionServices,
    tracker: Tracker,
    profile: CitizenProfile | None = None,
) -> None:
    profile = profile if profile is not None else current_profile(tracker)
    today = services.today()
    report = services.engine.match(profile, today)
    closed = [
        c
        for c in report.closed
        if services.engine.assess(profile, c.program, today).status != "ineligible"
    ]
    results = FinderResults.of(report, profile, closed)
    if results.is_empty:
        dispatcher.utter_message(text=messages.NO_RESULTS)
        return
    about_other = tracker.get_slot("subject") == "other"
    heading = messages.RESULTS_HEADING_OTHER if about_other else messages.RESULTS_HEADING_SELF
    found, still_open = results.found_blocks(heading), results.open_blocks()
    # A heading alone is no message of its own.
    texts = [*pack(found), *pack(still_open)] if results.found else pack(found + still_open)
    for text in texts[:-1]:
        dispatcher.utter_message(text=text)
    buttons = [program_button(r.program.name, r.program.id) for r in results.worth_a_look]
    dispatcher.utter_message(text=texts[-1], buttons=buttons[:MAX_PROGRAM_BUTTONS])


@dataclass(frozen=True)
class FinderResults:
    """A match report sorted for the person: what to show, in which order."""

    targeted: list[ProgramResult]
    """Receivable, aimed at the person's situation, most fitting first."""
    for_anyone: list[ProgramResult]
    """Receivable, but open to everyone (or to everyone in the area)."""
    already: list[str]
    """Names of programs the person said they receive."""
    maybe: list[ProgramResult]
    near: list[ProgramResult]
    closed: list[ClosedProgram]
    """Programs the person may fit that take no applications now."""

    @classmethod
    def of(
        cls,
        report: MatchReport,
        profile: CitizenProfile,
        closed: Sequence[ClosedProgram] = (),
    ) -> FinderResults:
        receiving = set(profile.receives or ())
        new = [r for r in report.eligible if r.program.id not in receiving]
        return cls(
            targeted=sorted(
                (r for r in new if is_targeted(r)), key=lambda r: fit_order(r, profile)
            ),
            for_anyone=[r for r in new if not is_targeted(r)],
            already=[
                r.program.name
                for r in (*report.eligible, *report.maybe, *report.ineligible)
                if r.program.id in receiving
            ],
            maybe=sorted(
                (r for r in report.maybe if r.program.id not in receiving),
                key=lambda r: (len(r.missing), fit_order(r, profile)),
            )[:MAYBE_SHOWN],
            near=[r for r in report.ineligible if r.near_miss and r.program.id not in receiving][
                :NEAR_MISSES_SHOWN
            ],
            closed=[c for c in closed if c.program.id not in receiving],
        )

    @property
    def found(self) -> bool:
        return bool(self.targeted or self.for_anyone or self.already)

    @property
    def is_empty(self) -> bool:
        return not (self.targeted or self.for_anyone or self.maybe or self.near or self.closed)

    @property
    def worth_a_look(self) -> list[ProgramResult]:
        return [*self.targeted, *self.maybe]

    def found_blocks(self, heading: str) -> list[str]:
        first = [heading]
        if self.targeted:
            first.append(messages.eligible_count(len(self.targeted)))
            first += [
                messages.eligible_line(rank, r.program.name, brief_amount(r))
                for rank, r in enumerate(self.targeted, 1)
            ]
            if any(brief_amount(r) and r.amount and not r.amount.verified for r in self.targeted):
                first.append(messages.AMOUNTS_MAY_HAVE_CHANGED)
        blocks = ["\n".join(first)]
        if self.for_anyone:
            blocks.append(messages.open_to_all([r.program.name for r in self.for_anyone]))
        if self.already:
            blocks.append(messages.already_received(self.already))
        return blocks

    def open_blocks(self) -> list[str]:
        blocks: list[str] = []
        if self.maybe:
            blocks.append(
                "\n".join([messages.MAYBE_HEADING, *map(messages.maybe_entry, self.maybe)])
            )
        if self.near:
            near = [messages.NEAR_MISS_HEADING, *map(messages.near_miss_entry, self.near)]
            blocks.append("\n".join(near))
        if self.closed:
            closed = [
                messages.CLOSED_HEADING,
                *(messages.closed_entry(c.program.name, c.reason) for c in self.closed),
            ]
            blocks.append("\n".join(closed))
        return [*blocks, messages.RESULTS_FOOTER]


def is_targeted(result: ProgramResult) -> bool:
    """Whether the program matched a condition about the person (not only 'open to all'
    or 'lives in the area')."""
    local = REGION_TEXT.format(region=result.program.region)
    return any(reason != OPEN_TO_ALL and not reason.startswith(local) for reason in result.reasons)


def fit_order(result: ProgramResult, profile: CitizenProfile) -> tuple[int, int, float, int, str]:
    """Most fitting first: not a job program for someone who does not work or is retired;
    then the kinds of support that matter most for this person (income, health and care
    for an elder, 장애 for a disabled person, children's support for a parent …); then
    more support a month; then matched on more of the person's own conditions."""
    out_of_work = profile.employment == "none" or (profile.age or 0) >= RETIRED_AGE
    misfit = int(result.program.category == JOB_CATEGORY and out_of_work)
    aside = int(result.program.category not in categories_that_matter(profile))
    specific = sum(1 for reason in result.reasons if reason != OPEN_TO_ALL)
    return (misfit, aside, -monthly_value(result), -specific, result.program.name)


def categories_that_matter(profile: CitizenProfile) -> frozenset[str]:
    """Program categories that matter most for this person; everyone needs income,
    health and a home."""
    found = {"생계", "의료", "주거"}
    if profile.crisis:
        found.add("긴급")
    if profile.pregnant:
        found.add("임신·출산")
    if profile.disability in ("mild", "severe"):
        found.add("장애")
    if (profile.age or 0) >= RETIRED_AGE:
        found.update({"노인", "돌봄", "안부확인"})
    if profile.children_ages:
        found.update({"아동·가족", "한부모", "교육"})
    if profile.age is not None and YOUTH_AGES[0] <= profile.age <= YOUTH_AGES[1]:
        found.add("청년")
    return frozenset(found)


def monthly_value(result: ProgramResult) -> float:
    amount = result.amount
    if amount is None or amount.value is None:
        return 0.0
    return amount.value / MONTHS_PER_PERIOD[amount.period]


def brief_amount(result: ProgramResult) -> str | None:
    """What the program gives, when it is an amount; the rest is in the detail."""
    amount = result.amount
    return amount.text if amount is not None and amount.value is not None else None


def pack(
    blocks: Sequence[str], max_chars: int = SCREEN_CHARS, max_lines: int = SCREEN_LINES
) -> list[str]:
    """The blocks in order, joined by blank lines into as few messages as fit a screen
    (``max_chars`` and ``max_lines``). A longer block is split between its lines."""
    packed: list[str] = []
    for block in blocks:
        for part in _split_lines(block, max_chars, max_lines):
            joined = packed[-1] + BLOCK_SEPARATOR + part if packed else part
            if packed and _fits(joined, max_chars, max_lines):
                packed[-1] = joined
            else:
                packed.append(part)
    return packed


def _split_lines(block: str, max_chars: int, max_lines: int) -> list[str]:
    parts: list[str] = []
    for line in block.split("\n"):
        if parts and _fits(parts[-1] + "\n" + line, max_chars, max_lines):
            parts[-1] += "\n" + line
        else:
            parts.append(line)
    return parts


def _fits(text: str, max_chars: int, max_lines: int) -> bool:
    return len(text) <= max_chars and text.count("\n") < max_lines
