"""The program catalog schema: one YAML file per program, validated by these models.

A program file answers "what is this benefit" completely: who it is for (as
machine-checkable conditions *and* their Korean wording), what it gives, how to
apply, whom to call, and where every fact came from.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.fields import names_of_kind
from knowledge.profile import Crisis, Disability, Employment, Housing, Sex, Situation

PROGRAM_ID_PATTERN = r"^[a-z][a-z0-9_]*$"
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
    """Where a fact came from and when someone last checked it."""

    title: str
    url: str = Field(pattern=r"^https?://")
    checked: dt.date
    note: str | None = None


# --- conditions -----------------------------------------------------------------
# Each leaf carries ``text``: the Korean wording of the condition as a welfare
# officer would say it. Explanations are built from these same objects.


class AgeRule(Strict):
    kind: Literal["age"]
    text: str
    min: int | None = None
    max: int | None = None


class IncomeMedianRule(Strict):
    """The household's 소득인정액 at most a percent of 기준중위소득 for its size."""

    kind: Literal["income_median"]
    text: str
    max_percent: float = Field(gt=0)


class ParentsIncomeMedianRule(Strict):
    """The parents' household income at most a percent of the median for *their* size."""

    kind: Literal["parents_income_median"]
    text: str
    max_percent: float = Field(gt=0)


class IncomeThreshold(Strict):
    single: int = Field(gt=0)
    couple: int = Field(gt=0)


class IncomeFixedRule(Strict):
    """A legal threshold in won (e.g. 기초연금 선정기준액), single or couple, by year."""

    kind: Literal["income_fixed"]
    text: str
    by_year: dict[int, IncomeThreshold] = Field(min_length=1)


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


class FixedAmount(Strict):
    kind: Literal["fixed"]
    value: int = Field(ge=0)
    period: Period
    up_to: bool = False
    months: int | None = None


class GapToLineAmount(Strict):
    """Tops income up to a selection line: line(household) − 소득인정액 (생계급여)."""

    kind: Literal["gap_to_line"]
    percent: float = Field(gt=0)
    period: Period = "month"


class ChildAgeBracket(Strict):
    max_age: int
    value: int = Field(ge=0)


class PerChildAmount(Strict):
    """Summed over children: each child gets the first bracket its age fits."""

    kind: Literal["per_child"]
    brackets: list[ChildAgeBracket] = Field(min_length=1)
    period: Period


class ByHouseholdAmount(Strict):
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
    amount: Amount | None = None


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


class ProgramTestCase(Strict):
    """A rules-as-code case beside the rule: profile in, expected verdict out."""

    name: str
    profile: dict[str, object]
    expect: Status
    missing: list[str] | None = None
    amount: int | None = None


class Eligibility(Strict):
    text: str = Field(description="who qualifies, in the words a citizen understands")
    rule: Condition | None = Field(
        default=None, description="machine-checkable conditions; none means open to all"
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
    gov24_id: str | None = None
    notes: list[str] = Field(default_factory=list)
    tests: list[ProgramTestCase] = Field(default_factory=list)

    @model_validator(mode="after")
    def _valid_period_ordered(self) -> Program:
        if self.valid.start and self.valid.end and self.valid.start > self.valid.end:
            raise ValueError("valid.start is after valid.end")
        return self

    def is_active(self, on: dt.date) -> bool:
        starts_ok = self.valid.start is None or self.valid.start <= on
        return starts_ok and (self.valid.end is None or on <= self.valid.end)


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
