"""Filing blind-spot reports, and telling a reporter where theirs stands.

Filing is one transaction: the consent (unless the same one is on record), the case, the
report, its 'opened' event and the audit row. The receipt is returned only after the
commit, so a reporter is never told of a report that is not stored. A retried filing
(the same ``dedup_key``: a Telegram update delivered twice, a command run again) returns
the first filing's receipt instead of a second case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cases import messages
from cases.audit import record_access
from cases.db import session_factory
from cases.events import SYSTEM_ACTOR, append_event
from cases.masking import TranscriptEntry, masked, masked_entry, masked_optional
from cases.models import Case, Consent, Priority, Report, Status
from cases.policy import CasePolicy, load_policy
from cases.receipts import new_receipt, parse_receipt
from cases.report_draft import CheckedReport, ReportDraft, check_channel, checked
from core.clock import Clock, utc_now

# A receipt collision (60 random bits) is all but impossible; trying again costs nothing.
RECEIPT_TRIES = 3


@dataclass(frozen=True)
class ConsentGiven:
    """Whose consent, to which wording: a conversation id, or "staff:<login>" when staff
    read the consent out on the phone."""

    subject: str
    wording_version: str


@dataclass(frozen=True)
class ReportReceipt:
    """What the reporter is told once the report is stored."""

    receipt: str
    case_id: int
    area: str | None
    priority: Priority
    due_at: dt.datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "receipt": self.receipt,
            "case_id": self.case_id,
            "area": self.area,
            "priority": self.priority,
            "due": self.due_at.isoformat(),
        }


@dataclass(frozen=True)
class ReceiptStatus:
    """All a receipt reveals: the status and when it last changed."""

    receipt: str
    status: Status
    updated_at: dt.datetime

    def to_json(self) -> dict[str, str]:
        return {
            "receipt": self.receipt,
            "status": self.status,
            "updated_at": self.updated_at.isoformat(),
        }


class ReportIntake:
    """Reports into cases (the schema must be migrated: ``upgrade_database``)."""

    def __init__(
        self, engine: Engine, *, policy: CasePolicy | None = None, clock: Clock = utc_now
    ) -> None:
        self._sessions = session_factory(engine)
        self._policy = policy or load_policy()
        self._clock = clock

    def file_report(
        self,
        draft: ReportDraft,
        *,
        consent: ConsentGiven,
        channel: str,
        dedup_key: str,
        conversation_id: str | None = None,
        transcript: Sequence[TranscriptEntry] = (),
        actor: str = SYSTEM_ACTOR,
    ) -> ReportReceipt:
        """Store the report as a new case and return its receipt (see the module doc).

        Raises ``ReportRejected`` (nothing stored) when the draft fails a check or its
        region is unknown or ambiguous.
        """
        report = checked(draft)
        check_channel(channel)
        for _ in range(RECEIPT_TRIES):
            earlier = self._filed(dedup_key)
            if earlier is not None:
                return earlier
            try:
                with self._sessions.begin() as session:
                    return self._file(
                        session,
                        report,
                        consent,
                        channel,
                        dedup_key,
                        conversation_id,
                        transcript,
                        actor,
                    )
            except IntegrityError:
                # Another process filed the same dedup_key first, or the receipt collided:
                # the next round returns the first filing, or tries a fresh receipt.
                continue
        earlier = self._filed(dedup_key)
        if earlier is None:
            raise RuntimeError("the report could not be stored")
        return earlier

    def status_by_receipt(self, receipt: str) -> ReceiptStatus | None:
        """The status of the report with this receipt (as a reporter types it), or None."""
        parsed = parse_receipt(receipt)
        if parsed is None:
            return None
        query = select(Case.status, Case.status_changed_at).where(
            Case.receipt == parsed, Case.kind == "report"
        )
        with self._sessions() as session:
            row = session.execute(query).one_or_none()
        return None if row is None else ReceiptStatus(parsed, row.status, row.status_changed_at)

    def _file(
        self,
        session: Session,
        report: CheckedReport,
        consent: ConsentGiven,
        channel: str,
        dedup_key: str,
        conversation_id: str | None,
        transcript: Sequence[TranscriptEntry],
        actor: str,
    ) -> ReportReceipt:
        now = self._clock()
        draft = report.draft
        priority = self._policy.report_priority(
            draft.signs, urgent=draft.urgent, danger=draft.danger
        )
        due_at = self._policy.due_at("report", priority, now)
        case = Case(
            kind="report",
            priority=priority,
            status="new",
            area=report.area,
            due_at=due_at,
            receipt=new_receipt(),
            dedup_key=dedup_key,
            conversation_id=conversation_id,
            channel=channel,
            summary=masked(
                messages.report_summary(draft.about, draft.relation, draft.signs, draft.household)
            ),
            transcript=[masked_entry(entry) for entry in transcript],
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
        session.add(case)
        session.flush()
        session.add(self._report(case.id, report, self._consent(session, consent, channel, now)))
        append_event(
            session,
            case,
            "opened",
            actor,
            {"kind": "report", "priority": priority, "area": report.area},
            now,
        )
        record_access(
            session,
            at=now,
            actor=actor,
            action="report.file",
            case_id=case.id,
            detail={"channel": channel},
        )
        return self._receipt(case)

    def _report(self, case_id: int, report: CheckedReport, consent_id: int) -> Report:
        draft = report.draft
        photo = draft.photo
        return Report(
            case_id=case_id,
            about=draft.about,
            relation=masked_optional(draft.relation),
            region_text=masked_optional(draft.region),
            address_detail=masked_optional(draft.address_detail),
            signs=list(draft.signs),
            text=masked(draft.text),
            household=draft.household,
            urgent=draft.urgent,
            danger=draft.danger,
            anonymous=draft.anonymous,
            reporter_name=masked_optional(report.reporter_name),
            reporter_phone=report.reporter_phone,
            photo_path=None if photo is None else photo.path,
            photo_type=None if photo is None else photo.content_type,
            consent_id=consent_id,
        )

    def _consent(
        self, session: Session, consent: ConsentGiven, channel: str, now: dt.datetime
    ) -> int:
        """The id of this subject's standing consent to this wording, recorded now if none."""
        query = select(Consent.id).where(
            Consent.purpose == "report",
            Consent.subject == consent.subject,
            Consent.wording_version == consent.wording_version,
            Consent.withdrawn_at.is_(None),
        )
        found = session.scalars(query.limit(1)).first()
        if found is not None:
            return found
        row = Consent(
            purpose="report",
            subject=consent.subject,
            wording_version=consent.wording_version,
            channel=channel,
            given_at=now,
        )
        session.add(row)
        session.flush()
        return row.id

    def _filed(self, dedup_key: str) -> ReportReceipt | None:
        query = select(Case).where(Case.dedup_key == dedup_key)
        with self._sessions() as session:
            case = session.scalars(query).one_or_none()
        return None if case is None else self._receipt(case)

    def _receipt(self, case: Case) -> ReportReceipt:
        assert case.receipt is not None
        due_at = case.due_at.astimezone(self._policy.office.zone)
        return ReportReceipt(case.receipt, case.id, case.area, case.priority, due_at)
