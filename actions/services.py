"""What the actions need (catalog, engine, search, case store, report intake, clock),
built lazily.

The action server builds each piece once per process on first use; tests hand an
``ActionServices`` with their own pieces to the actions they construct.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from functools import lru_cache
from typing import TypeVar, cast

from actions.normalise import ProgramMatcher
from cases.checkin_requests import CheckinRequests
from cases.checkin_service import Checkins
from cases.policy import CasePolicy, load_policy
from cases.reports import ReportIntake
from cases.service import CaseServices, open_case_services
from cases.store import CaseStore
from core.clock import Clock, local_clock, utc_now
from core.settings import Settings, get_settings
from index.search import SearchService
from index.service import open_search
from knowledge.catalog import Catalog
from knowledge.engine import EligibilityEngine
from knowledge.service import build_engine, load_settings_catalog

T = TypeVar("T")


class ActionServices:
    """The shared, read-mostly objects of one action-server process."""

    def __init__(
        self,
        settings: Settings,
        *,
        catalog: Catalog | None = None,
        search: SearchService | None = None,
        cases: CaseStore | None = None,
        reports: ReportIntake | None = None,
        checkins: Checkins | None = None,
        checkin_requests: CheckinRequests | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.settings = settings
        self._clock = local_clock(settings.office_timezone, clock or utc_now)
        self._built: dict[str, object] = {
            name: value
            for name, value in (
                ("catalog", catalog),
                ("search", search),
                ("cases", cases),
                ("reports", reports),
                ("checkins", checkins),
                ("checkin_requests", checkin_requests),
            )
            if value is not None
        }
        # Re-entrant: the case store and the report intake are built from one CaseServices.
        self._lock = threading.RLock()

    def _once(self, name: str, build: Callable[[], T]) -> T:
        with self._lock:
            if name not in self._built:
                self._built[name] = build()
            return cast(T, self._built[name])

    @property
    def catalog(self) -> Catalog:
        return self._once("catalog", lambda: load_settings_catalog(self.settings))

    @property
    def engine(self) -> EligibilityEngine:
        catalog = self.catalog
        return self._once("engine", lambda: build_engine(self.settings, catalog))

    @property
    def matcher(self) -> ProgramMatcher:
        catalog = self.catalog
        return self._once("matcher", lambda: ProgramMatcher(catalog))

    @property
    def search(self) -> SearchService:
        return self._once("search", lambda: open_search(self.settings))

    @property
    def cases(self) -> CaseStore:
        """The case store, migrated to the current schema on first use."""
        return self._once("cases", lambda: self._case_services().store)

    @property
    def reports(self) -> ReportIntake:
        """Blind-spot reports into the case store (the same database as ``cases``)."""
        return self._once("reports", lambda: self._case_services().reports)

    @property
    def checkins(self) -> Checkins:
        """Check-ins (안부확인) on the case database: invitations, answers, pause and stop."""
        return self._once("checkins", lambda: self._case_services().checkins)

    @property
    def checkin_requests(self) -> CheckinRequests:
        """Citizens' own requests for check-ins, waiting for a worker's approval."""
        return self._once("checkin_requests", lambda: self._case_services().checkin_requests)

    @property
    def case_policy(self) -> CasePolicy:
        """Deadlines, priorities and retention of cases (cases/policy.yaml)."""
        return self._once("case_policy", load_policy)

    def _case_services(self) -> CaseServices:
        return self._once("case_services", lambda: open_case_services(self.settings))

    def now(self) -> dt.datetime:
        """The current time in the office's time zone."""
        return self._clock()

    def today(self) -> dt.date:
        return self.now().date()


@lru_cache(maxsize=1)
def default_services() -> ActionServices:
    """The process-wide services, from the environment's settings."""
    return ActionServices(get_settings())


class UsesServices:
    """Mixin for actions: ``self.services`` is the injected or the process-wide services.

    Not an ``Action`` itself, so rasa-sdk does not try to register it.
    """

    def __init__(self, services: ActionServices | None = None) -> None:
        self._services = services

    @property
    def services(self) -> ActionServices:
        return self._services or default_services()
