"""기준중위소득 tables and the selection lines derived from them.

The tables live in ``knowledge/data/median_income.yaml`` with their sources; each is in
force from its date (1 January), so the day of a question chooses the table and several
years live side by side.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from knowledge.schema import Source
from knowledge.yaml_data import load_yaml

MEDIAN_INCOME_FILE = Path(__file__).parent / "data" / "median_income.yaml"


class MedianIncomeTable(BaseModel):
    """One year's monthly 기준중위소득 by household size."""

    model_config = ConfigDict(populate_by_name=True)

    year: int
    starts: dt.date = Field(alias="from")
    monthly: dict[int, int] = Field(description="household size -> KRW per month")
    sources: list[Source] = Field(min_length=1)
    larger_households: str = Field(
        description="how sizes beyond the table are derived, in the source's words"
    )

    def median(self, household_size: int) -> int:
        """The monthly median for a household size.

        Sizes beyond the published table add, per extra person, the difference between
        the two largest published sizes: the 고시's rule for 8인 and over (7인 − 6인), and
        the estimate for a year whose table stops at 6인 (see ``larger_households``).
        """
        if household_size < 1:
            raise ValueError("household_size must be at least 1")
        largest = max(self.monthly)
        if household_size <= largest:
            return self.monthly[household_size]
        step = self.monthly[largest] - self.monthly[largest - 1]
        return self.monthly[largest] + step * (household_size - largest)

    def line(self, household_size: int, percent: float) -> int:
        """A selection line: median × percent, rounded to the nearest won.

        Published lines are rounded half-up (3인 생계 1,714,891.52 → 1,714,892), so
        a boundary test on the published figure holds exactly.
        """
        exact = Decimal(self.median(household_size)) * Decimal(str(percent)) / Decimal(100)
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


class MedianIncomeTables(BaseModel):
    tables: list[MedianIncomeTable]

    def for_year(self, year: int) -> MedianIncomeTable:
        for table in self.tables:
            if table.year == year:
                return table
        raise KeyError(f"no 기준중위소득 table for {year}")

    def on(self, day: dt.date) -> MedianIncomeTable:
        """The table in force on ``day``: the latest that has started."""
        started = [t for t in self.tables if t.starts <= day]
        if not started:
            raise KeyError(f"no 기준중위소득 table in force on {day}")
        return max(started, key=lambda t: t.starts)


@lru_cache(maxsize=4)
def load_median_income(path: Path = MEDIAN_INCOME_FILE) -> MedianIncomeTables:
    with path.open(encoding="utf-8") as handle:
        return MedianIncomeTables.model_validate(load_yaml(handle))
