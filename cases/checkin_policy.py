"""The check-in policy (``checkin_policy.yaml``): the escalation ladder of each risk tier,
quiet hours, invitations and send retries; public holidays come from the case policy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal
from zoneinfo import ZoneInfo

import yaml

from cases import checkin_messages as say
from cases.models import CHECKIN_TIERS, PRIORITIES, CheckinTier, Priority
from cases.policy import CasePolicy, PolicyError, load_policy

CHECKIN_POLICY_FILE = Path(__file__).resolve().parent / "checkin_policy.yaml"
TIER_CODES = {label: code for code, label in say.TIER_LABELS.items()}
"""The Korean tier names staff use (위험, 주의, 관심), to their codes."""


@dataclass(frozen=True)
class Ladder:
    """What happens to one tier's unanswered check-in, step by step."""

    label: str
    case_priority: Priority
    on_holidays: Literal["send", "skip"]
    resends: int
    resend_every: dt.timedelta
    answer_wait: dt.timedelta
    contacts_after: dt.timedelta | None
    contacts_next_morning: dt.time | None
    critical_after: dt.timedelta


@dataclass(frozen=True)
class CheckinPolicy:
    zone: ZoneInfo
    quiet_start: dt.time
    quiet_end: dt.time
    invitation_valid: dt.timedelta
    claim_lease: dt.timedelta
    claim_batch: int
    sent_records_seconds: float
    sent_records_sends: int
    first_retry: dt.timedelta
    max_retry: dt.timedelta
    alert_after_failures: int
    ladders: Mapping[str, Ladder]
    holidays: frozenset[dt.date]

    def ladder(self, tier: str) -> Ladder:
        return self.ladders[tier]

    def checks_in_on(self, tier: str, day: dt.date) -> bool:
        """Whether a person of ``tier`` scheduled on ``day`` is checked in on then."""
        return day not in self.holidays or self.ladder(tier).on_holidays == "send"

    def is_quiet(self, at: dt.datetime) -> bool:
        local = at.astimezone(self.zone).time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= local < self.quiet_end
        return local >= self.quiet_start or local < self.quiet_end

    def first_sendable(self, at: dt.datetime) -> dt.datetime:
        """``at``, or the end of the quiet hours it falls in."""
        if not self.is_quiet(at):
            return at
        local = at.astimezone(self.zone)
        day = local.date()
        if local.time() >= self.quiet_end:
            day += dt.timedelta(days=1)
        return dt.datetime.combine(day, self.quiet_end, self.zone)

    def contacts_at(self, tier: str, case_opened: dt.datetime) -> dt.datetime:
        """When the emergency contacts of a person of ``tier`` are told, the case having
        opened at ``case_opened`` without an answer since."""
        ladder = self.ladder(tier)
        if ladder.contacts_after is not None:
            return case_opened + ladder.contacts_after
        assert ladder.contacts_next_morning is not None
        day = case_opened.astimezone(self.zone).date() + dt.timedelta(days=1)
        return dt.datetime.combine(day, ladder.contacts_next_morning, self.zone)

    def failure_backoff(self, failures: int) -> dt.timedelta:
        """The wait after the ``failures``-th failed send in a row (1 for the first)."""
        backoff: dt.timedelta = self.first_retry * 2 ** (failures - 1)
        return min(backoff, self.max_retry)


def tier_code(given: str) -> CheckinTier:
    """The tier code of ``given``: a code (danger, caution, watch) or 위험 / 주의 / 관심."""
    code = TIER_CODES.get(given.strip(), given.strip())
    if code not in CHECKIN_TIERS:
        raise ValueError(given)
    tier: CheckinTier = code  # type: ignore[assignment]
    return tier


@cache
def load_checkin_policy(path: Path = CHECKIN_POLICY_FILE) -> CheckinPolicy:
    """The check-in policy in ``path``, with the public holidays of the case policy."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, dict):
        raise PolicyError(f"{path}: not a mapping")
    try:
        return _policy(raw, load_policy())
    except (KeyError, TypeError, ValueError) as error:
        raise PolicyError(f"{path}: {error}") from error


def _policy(raw: dict[str, Any], cases: CasePolicy) -> CheckinPolicy:
    if set(raw["tiers"]) != set(CHECKIN_TIERS):
        raise PolicyError(f"tiers must be exactly {list(CHECKIN_TIERS)}")
    retry = raw["failed_send"]
    policy = CheckinPolicy(
        zone=ZoneInfo(raw["timezone"]),
        quiet_start=dt.time.fromisoformat(raw["quiet_hours"]["start"]),
        quiet_end=dt.time.fromisoformat(raw["quiet_hours"]["end"]),
        invitation_valid=dt.timedelta(days=_positive(raw["invitation_days"])),
        claim_lease=dt.timedelta(minutes=_positive(raw["claim_lease_minutes"])),
        claim_batch=int(_positive(raw["claim_batch"])),
        sent_records_seconds=float(_positive(raw["sent_records"]["seconds"])),
        sent_records_sends=int(_positive(raw["sent_records"]["sends"])),
        first_retry=dt.timedelta(minutes=_positive(retry["first_retry_minutes"])),
        max_retry=dt.timedelta(minutes=_positive(retry["max_retry_minutes"])),
        alert_after_failures=int(_positive(retry["alert_after"])),
        ladders=MappingProxyType({tier: _ladder(rule) for tier, rule in raw["tiers"].items()}),
        holidays=frozenset(cases.holidays),
    )
    if policy.quiet_start == policy.quiet_end:
        raise PolicyError("quiet hours must not start when they end")
    return policy


def _ladder(rule: dict[str, Any]) -> Ladder:
    if rule["case_priority"] not in PRIORITIES:
        raise PolicyError(f"unknown priority {rule['case_priority']!r}")
    if rule["on_holidays"] not in ("send", "skip"):
        raise PolicyError("on_holidays must be send or skip")
    contacts = rule["contacts"]
    if not (isinstance(contacts, dict) and len(contacts) == 1):
        raise PolicyError(f"contacts: one of after_hours, next_morning: {contacts!r}")
    after = contacts.get("after_hours")
    morning = contacts.get("next_morning")
    if after is None and morning is None:
        raise PolicyError(f"contacts: one of after_hours, next_morning: {contacts!r}")
    if int(rule["resends"]) < 0:
        raise PolicyError("resends cannot be negative")
    return Ladder(
        label=str(rule["label"]),
        case_priority=rule["case_priority"],
        on_holidays=rule["on_holidays"],
        resends=int(rule["resends"]),
        resend_every=dt.timedelta(minutes=_positive(rule["resend_minutes"])),
        answer_wait=dt.timedelta(minutes=_positive(rule["answer_minutes"])),
        contacts_after=None if after is None else dt.timedelta(hours=_positive(after)),
        contacts_next_morning=None if morning is None else dt.time.fromisoformat(morning),
        critical_after=dt.timedelta(hours=_positive(rule["critical_hours"])),
    )


def _positive(value: Any) -> float:
    number = float(value)
    if number <= 0:
        raise PolicyError(f"must be positive: {value!r}")
    return number
