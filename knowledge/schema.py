"""The program catalog schema: one YAML file per program, validated by these models.

A program file answers "what is this benefit" completely: who it is for (as
machine-checkable conditions *and* their Korean wording), what it gives, how to
apply, whom to call, and where every fact came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.fields import names_of_kind
from knowledge.profile import Crisis, Disability, Employment, Housing, Sex, Situation

PROGRAM_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
DatedT = TypeVar("DatedT", bound="Dated")
NATIONWIDE = "전국"
BOOLEAN_FIELDS = names_of_kind("boolean")

Category = Literal[
    "생계",
    "의료",
    "주거",
    "교육",
    "노인",
    "아동·가족",
    "임신·출산",
    "장애",
    "고용",
    "청년",
    "에너지",
    "긴급",
    "돌봄",
    "안부확인",
    "금융·자산",
    "한부모",
]
Provider = Literal["central", "local", "private"]
Status = Literal["eligible", "maybe", "ineligible"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """Where a fact came from, and when someone checked the figures against it.

    ``checked`` is set only when a person compared the figures that cite this source with
    the source itself (the official guide's page, the 고시); a figure recalled or taken
    from a secondary report has no ``checked`` date and is shown to citizens as possibly
    out of date. Figures cite a source by its ``id``.
    """

    id: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9_-]*$")
    title: str
    url: str = Field(pattern=r"^https?://")
    page: str | None = Field(default=None, description="page or section of the source")
    checked: dt.date | None = None
    note: str | None = None

    @property
    def verified(self) -> bool:
        return self.checked is not None


class Dated(Strict):
    """A figure in force from a date (until the next one of its list), with its source."""

    starts: dt.date = Field(alias="from")
    source: str = Field(description="the id of one of the program's sources")
    note: str | None = None


def in_force(items: Sequence[DatedT], on: dt.date) -> DatedT | None:
    """The item of a dated list in force on ``on``: the latest that has started."""
    started = [item for item in items if item.starts <= on]
    return max(started, key=lambda item: item.starts) if started else None


# --- conditions -----------------------------------------------------------------
# Each leaf carries ``text``: the Korean wording of the condition as a welfare
# officer would say it. Explanations are built from these same objects.


class AgeRule(Strict):
    kind: Literal["age"]
    text: str
    min: int | None = None
    max: int | None = None


IncomeBase = Literal["household", "applicant"]
"""Whose income a rule counts: the whole household's, or the applicant's with the spouse's."""
RecognitionScheme = Literal["livelihood", "basic_pension"]
"""How property becomes income (소득인정액), by the rules of a family of programs
(``knowledge/data/income_recognition.yaml``)."""


class IncomeMedianRule(Strict):
    """소득인정액 (or income) at most a percent of 기준중위소득 for the household's size.

    With ``recognition``, property counts too, by that scheme's rules; without, the rule
    holds for income alone (programs that look at income only).
    """

    kind: Literal["income_median"]
    text: str
    max_percent: float = Field(gt=0)
    source: str = Field(description="the id of the source of the percent")
    recognition: RecognitionScheme | None = None
    base: IncomeBase = "household"


class ParentsIncomeMedianRule(Strict):
    """The parents' household income at most a percent of the median for *their* size."""

    kind: Literal["parents_income_median"]
    text: str
    max_percent: float = Field(gt=0)
    source: str


class IncomeThreshold(Dated):
    """A legal threshold in won (e.g. 기초연금 선정기준액) for a single person and a couple."""

    single: int = Field(gt=0)
    couple: int = Field(gt=0)


class IncomeFixedRule(Strict):
    """소득인정액 at most a legal threshold in won, single or couple, by period."""

    kind: Literal["income_fixed"]
    text: str
    thresholds: list[IncomeThreshold] = Field(min_length=1)
    recognition: RecognitionScheme | None = None
    base: IncomeBase = "applicant"


class FlagRule(Strict):
    """A yes/no fact of the profile (any field of kind boolean in ``knowledge.fields``)."""

    kind: Literal["flag"]
    text: str
    field: str
    value: bool

    @field_validator("field")
    @classmethod
    def _boolean_field(cls, name: str) -> str:
        if name not in BOOLEAN_FIELDS:
            raise ValueError(f"{name!r} is not a yes/no profile field: {sorted(BOOLEAN_FIELDS)}")
        return name


class SexRule(Strict):
    kind: Literal["sex"]
    text: str
    values: list[Sex] = Field(min_length=1)


class DisabilityRule(Strict):
    kind: Literal["disability"]
    text: str
    values: list[Disability] = Field(min_length=1)


class HousingRule(Strict):
    kind: Literal["housing"]
    text: str
    values: list[Housing] = Field(min_length=1)


class EmploymentRule(Strict):
    kind: Literal["employment"]
    text: str
    values: list[Employment] = Field(min_length=1)


class ChildRule(Strict):
    """At least one child in the household aged ``min_age``..``max_age`` (whole years)."""

    kind: Literal["child"]
    text: str
    min_age: int = 0
    max_age: int


class CrisisRule(Strict):
    """A crisis reason; with ``any_of`` empty, any crisis counts."""

    kind: Literal["crisis"]
    text: str
    any_of: list[Crisis] = Field(default_factory=list)


class SituationRule(Strict):
    """One of the situations staff record (다문화, 북한이탈주민, 자립준비청년 …)."""

    kind: Literal["situation"]
    text: str
    any_of: list[Situation] = Field(min_length=1)


class ReceivesRule(Strict):
    """Already receives one of these programs (ids from this catalog)."""

    kind: Literal["receives"]
    text: str
    any_of: list[str] = Field(min_length=1)


class HouseholdSizeRule(Strict):
    kind: Literal["household_size"]
    text: str
    min: int | None = None
    max: int | None = None


class RegionRule(Strict):
    """Lives in the named 시도 or 시군구 (prefix match on the normalised region)."""

    kind: Literal["region"]
    text: str
    within: str


class AllOf(Strict):
    kind: Literal["all"]
    text: str | None = None
    of: list[Condition] = Field(min_length=1)


class AnyOf(Strict):
    kind: Literal["any"]
    text: str | None = None
    of: list[Condition] = Field(min_length=2)


class NotOf(Strict):
    kind: Literal["not"]
    text: str
    of: Condition


Condition = Annotated[
    AgeRule
    | IncomeMedianRule
    | ParentsIncomeMedianRule
    | IncomeFixedRule
    | FlagRule
    | SexRule
    | DisabilityRule
    | HousingRule
    | EmploymentRule
    | ChildRule
    | CrisisRule
    | SituationRule
    | ReceivesRule
    | HouseholdSizeRule
    | RegionRule
    | AllOf
    | AnyOf
    | NotOf,
    Field(discriminator="kind"),
]


# --- amounts ----------------------------------------------------------------------

Period = Literal["once", "month", "year"]


# Each amount is one edition: in force from its date until the next edition of the list.


class FixedAmount(Dated):
    kind: Literal["fixed"]
    value: int = Field(ge=0)
    period: Period
    up_to: bool = False
    months: int | None = None


class GapToLineAmount(Dated):
    """Tops income up to a selection line: line(household) − 소득인정액 (생계급여)."""

    kind: Literal["gap_to_line"]
    percent: float = Field(gt=0)
    period: Period = "month"


class ChildAgeBracket(Strict):
    max_age: int
    value: int = Field(ge=0)


class PerChildAmount(Dated):
    """Summed over children: each child gets the first bracket its age fits."""

    kind: Literal["per_child"]
    brackets: list[ChildAgeBracket] = Field(min_length=1)
    period: Period


class ByHouseholdAmount(Dated):
    """A value by household size; sizes past the table take the largest entry."""

    kind: Literal["by_household"]
    values: dict[int, int] = Field(min_length=1)
    period: Period


Amount = Annotated[
    FixedAmount | GapToLineAmount | PerChildAmount | ByHouseholdAmount,
    Field(discriminator="kind"),
]


class Benefit(Strict):
    text: str = Field(description="지원내용 in plain Korean")
    amounts: list[Amount] = Field(
        default_factory=list, description="the amount's editions, each from its date"
    )


class HowToApply(Strict):
    where: str
    online_url: str | None = Field(default=None, pattern=r"^https?://")
    documents: list[str] = Field(default_factory=list)
    steps: str | None = None


class Contact(Strict):
    name: str
    phone: str | None = None
    url: str | None = Field(default=None, pattern=r"^https?://")


class ValidPeriod(Strict):
    start: dt.date | None = None
    end: dt.date | None = None


class Round(Strict):
    """An application round: applications are taken from ``opens`` to ``closes``.

    A round whose dates no source gives (``opens`` and ``closes`` left out) is known to
    have happened and closed: the program takes no applications until a dated round is
    added.
    """

    opens: dt.date | None = None
    closes: dt.date | None = None
    closes_at: str | None = Field(
        default=None, pattern=r"^\d{2}:\d{2}$", description="the hour on the closing day"
    )
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _dates_together(self) -> Round:
        if (self.opens is None) != (self.closes is None):
            raise ValueError("a round has both dates or neither")
        if self.opens and self.closes and self.opens > self.closes:
            raise ValueError("a round opens after it closes")
        return self

    def takes_applications(self, on: dt.date) -> bool:
        return (
            self.opens is not None and self.closes is not None and self.opens <= on <= self.closes
        )


CATALOG_TEST_DATE = dt.date(2026, 7, 1)
"""The day a program test case is judged on unless it names its own."""


class ProgramTestCase(Strict):
    """A rules-as-code case beside the rule: profile in, expected verdict out."""

    name: str
    profile: dict[str, object]
    expect: Status | Literal["closed"]
    on: dt.date = CATALOG_TEST_DATE
    missing: list[str] | None = None
    amount: int | None = None


class Eligibility(Strict):
    text: str = Field(description="who qualifies, in the words a citizen understands")
    rule: Condition | None = Field(
        default=None, description="machine-checkable conditions; none means open to all"
    )
    office_checks: list[str] = Field(
        default_factory=list,
        description="official conditions the engine does not model (부양의무자, 근로능력, "
        "a diagnosis, lifetime caps): what the office will still check",
    )


class Program(Strict):
    id: str = Field(pattern=PROGRAM_ID_PATTERN)
    name: str
    aliases: list[str] = Field(default_factory=list)
    category: Category
    provider: Provider
    region: str = NATIONWIDE
    summary: str
    description: str
    questions: list[str] = Field(
        default_factory=list,
        description="ways people ask about this program, indexed for retrieval",
    )
    eligibility: Eligibility
    benefit: Benefit
    apply: HowToApply
    contact: Contact
    sources: list[Source] = Field(min_length=1)
    valid: ValidPeriod = Field(default_factory=ValidPeriod)
    rounds: list[Round] = Field(
        default_factory=list, description="application rounds; none: applications any time"
    )
    gov24_id: str | None = None
    notes: list[str] = Field(default_factory=list)
    tests: list[ProgramTestCase] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_period_ordered(self) -> Program:
        if self.valid.start and self.valid.end and self.valid.start > self.valid.end:
            raise ValueError("valid.start is after valid.end")
        return self

    @model_validator(mode="after")
    def _every_figure_has_a_source(self) -> Program:
        ids = [source.id for source in self.sources if source.id is not None]
        if len(ids) != len(set(ids)):
            raise ValueError("two sources share an id")
        unknown = sorted({cited for cited in self.cited_sources() if cited not in ids})
        if unknown:
            raise ValueError(f"figures cite sources that are not listed: {unknown}")
        return self

    def cited_sources(self) -> list[str]:
        """The source ids the program's figures and rounds cite."""
        cited = [amount.source for amount in self.benefit.amounts]
        cited += [r.source for r in self.rounds]
        for rule in _leaves(self.eligibility.rule):
            if isinstance(rule, IncomeMedianRule | ParentsIncomeMedianRule):
                cited.append(rule.source)
            elif isinstance(rule, IncomeFixedRule):
                cited += [threshold.source for threshold in rule.thresholds]
        return cited

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def amount_on(self, on: dt.date) -> Amount | None:
        """The edition of the amount in force on ``on``."""
        return in_force(self.benefit.amounts, on)

    def recognition_scheme(self) -> RecognitionScheme | None:
        """The 소득인정액 scheme of the program's income-to-median rule, if it has one."""
        return next(
            (
                leaf.recognition
                for leaf in _leaves(self.eligibility.rule)
                if isinstance(leaf, IncomeMedianRule) and leaf.recognition is not None
            ),
            None,
        )

    def is_active(self, on: dt.date) -> bool:
        starts_ok = self.valid.start is None or self.valid.start <= on
        return starts_ok and (self.valid.end is None or on <= self.valid.end)


def _leaves(condition: Condition | None) -> list[Condition]:
    if condition is None:
        return []
    if isinstance(condition, AllOf | AnyOf):
        return [leaf for child in condition.of for leaf in _leaves(child)]
    if isinstance(condition, NotOf):
        return _leaves(condition.of)
    return [condition]


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
