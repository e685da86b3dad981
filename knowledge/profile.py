"""The citizen profile: the facts the eligibility engine reasons over.

Field names are a public contract (the conversation, the CLI and importers all use
them). Every field is optional: ``None`` means *unknown*, never *no*.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge import messages
from knowledge.fields import label

Sex = Literal["m", "f"]
Disability = Literal["none", "mild", "severe"]
Housing = Literal["own", "rent", "free"]
Employment = Literal["employed", "unemployed", "self_employed", "none"]
Crisis = Literal[
    "income_loss",
    "illness",
    "death_of_earner",
    "eviction",
    "abuse",
    "disaster",
    "business_closure",
    "utility_cut",
    "other",
]

# Situations staff ask about that no other field captures (domain.md household types).
Situation = Literal[
    "multicultural",
    "north_korean_defector",
    "care_leaver",
    "young_carer",
    "reclusive",
    "hospital_discharge",
    "grandparent_family",
    "debt",
]


NO_PREGNANCY_FROM_AGE = 60
"""From this age, pregnancy is taken as not the case rather than unknown."""
ASSET_FIELDS = ("home_value", "other_property_value", "financial_assets", "car_value")
"""What 재산 means for 소득인정액; ``has_assets`` False means all of them are none."""


class ProfileError(ValueError):
    """The profile cannot be used: malformed or self-contradictory facts.

    ``problems`` holds one polite Korean sentence per problem.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


class CitizenProfile(BaseModel):
    """What we know about the person the question is about."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    age: int | None = Field(default=None, ge=0, le=130)
    sex: Sex | None = None
    region: str | None = None
    household_size: int | None = Field(default=None, ge=1, le=20)
    monthly_income: int | None = Field(default=None, ge=0)
    married: bool | None = None
    lives_alone: bool | None = None
    disability: Disability | None = None
    children_ages: list[int] | None = None
    pregnant: bool | None = None
    single_parent: bool | None = None
    housing: Housing | None = None
    owns_home: bool | None = None
    lives_with_parents: bool | None = None
    parents_monthly_income: int | None = Field(default=None, ge=0)
    parents_household_size: int | None = Field(default=None, ge=1, le=20)
    crisis: list[Crisis] | None = None
    receives: list[str] | None = None
    employment: Employment | None = None
    situations: list[Situation] | None = None
    # Income of the applicant (with the spouse's) and property, for 소득인정액.
    own_monthly_income: int | None = Field(default=None, ge=0)
    has_assets: bool | None = None
    home_value: int | None = Field(default=None, ge=0)
    other_property_value: int | None = Field(default=None, ge=0)
    financial_assets: int | None = Field(default=None, ge=0)
    car_value: int | None = Field(default=None, ge=0)
    debts: int | None = Field(default=None, ge=0)

    @classmethod
    def parse(cls, data: object) -> CitizenProfile:
        """Validate raw input, derive implied facts and reject contradictions."""
        if not isinstance(data, dict):
            raise ProfileError([messages.PROFILE_NOT_OBJECT])
        try:
            profile = cls.model_validate(data)
        except ValidationError as error:
            raise ProfileError(
                [messages.field_invalid(label(str(e["loc"][0]))) for e in error.errors()]
            ) from error
        problems = profile.contradictions()
        if problems:
            raise ProfileError(problems)
        return profile.with_implied_facts()

    def contradictions(self) -> list[str]:
        """Facts that cannot all be true at once, in Korean."""
        found: list[str] = []
        if self.children_ages is not None and any(a < 0 or a > 40 for a in self.children_ages):
            found.append(messages.CONTRADICTION_CHILD_AGE)
        if self.lives_alone and self.household_size is not None and self.household_size > 1:
            found.append(messages.CONTRADICTION_ALONE_HOUSEHOLD)
        if self.lives_alone and (self.married or self.lives_with_parents):
            found.append(messages.CONTRADICTION_ALONE_WITH_OTHERS)
        if self.lives_alone and self.children_ages:
            found.append(messages.CONTRADICTION_ALONE_WITH_CHILDREN)
        if self.married and self.household_size == 1:
            found.append(messages.CONTRADICTION_MARRIED_HOUSEHOLD)
        if self.married and self.single_parent:
            found.append(messages.CONTRADICTION_MARRIED_SINGLE_PARENT)
        if self.pregnant and self.sex == "m":
            found.append(messages.CONTRADICTION_PREGNANT_MALE)
        if self.housing == "own" and self.owns_home is False:
            found.append(messages.CONTRADICTION_HOUSING_OWN)
        if (
            self.household_size is not None
            and self.children_ages
            and len(self.children_ages) + 1 > self.household_size
        ):
            found.append(messages.CONTRADICTION_CHILDREN_HOUSEHOLD)
        if self.has_assets is False and any(self._asset_values()):
            found.append(messages.CONTRADICTION_NO_ASSETS)
        return found

    def _asset_values(self) -> list[int]:
        return [v for v in (getattr(self, name) for name in ASSET_FIELDS) if v is not None]

    def with_implied_facts(self) -> CitizenProfile:
        """Fill facts that follow from others (living alone means a household of one), until
        nothing more follows (a household of one then means no children at home)."""
        profile = self
        while implied := profile._implied():
            profile = profile.model_copy(update=implied)
        return profile

    def _implied(self) -> dict[str, object]:
        """Facts that follow from this profile's own and are not yet in it."""
        implied: dict[str, object] = {}
        if self.lives_alone and self.household_size is None:
            implied["household_size"] = 1
        if self.household_size == 1:
            if self.lives_alone is None:
                implied["lives_alone"] = True
            if self.married is None:
                implied["married"] = False
            if self.children_ages is None:
                implied["children_ages"] = []
        if self.housing == "own" and self.owns_home is None:
            implied["owns_home"] = True
        if self.pregnant is None and (
            self.sex == "m" or (self.age is not None and self.age >= NO_PREGNANCY_FROM_AGE)
        ):
            # A 70-year-old is not asked about pregnancy, nor shown 산모 programs as "maybe".
            implied["pregnant"] = False
        if self.has_assets is False:
            implied.update({name: 0 for name in ASSET_FIELDS if getattr(self, name) is None})
        elif self.has_assets is None and any(self._asset_values()):
            implied["has_assets"] = True
        elif self.has_assets is None and len(self._asset_values()) == len(ASSET_FIELDS):
            implied["has_assets"] = False  # every asset said to be none
        return implied

    def known_fields(self) -> set[str]:
        return {name for name, value in self if value is not None}
