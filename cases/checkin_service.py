"""Check-ins (안부확인) on the case database: enrolment, invitations, the scheduling tick,
answers, pause and stop, and a person's status.

SQL is the only store: schedules, check-ins, attempts, answers and ladder steps are rows,
and due work is claimed from them (``cases.checkin_delivery``), so there is nothing to
rebuild after a restart.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from cases import checkin_messages as say
from cases.checkin_answers import AnswerOutcome, record_button, record_text
from cases.checkin_delivery import (
    Claimed,
    SendOrder,
    SentRecords,
    claim,
    record_blocked,
    record_failed,
)
from cases.checkin_enrolment import Enrolment, store_enrolment
from cases.checkin_invitations import deep_link, issue_invitation, redeem_invitation
from cases.checkin_policy import CheckinPolicy, load_checkin_policy
from cases.checkin_schedule import create_due_checkins
from cases.checkin_sender import (
    ChatBlocked,
    CheckinSender,
    SendUnanswered,
    parse_button_payload,
)
from cases.checkin_status import person_status
from cases.db import session_factory
from cases.models import (
    AuditEntry,
    Checkin,
    CheckinContact,
    CheckinPerson,
    Consent,
    PersonStatus,
)
from cases.policy import CasePolicy, load_policy
from core.clock import Clock, utc_now

log = logging.getLogger(__name__)
STATUS_REPLIES = {"paused": say.PAUSED, "stopped": say.STOPPED, "active": say.RESUMED}
TEXT_ANSWER_HOURS = 48
"""Words written back count as the answer of a check-in sent within this many hours."""


@dataclass
class TickCounts:
    """What one tick did (printed as JSON by ``ieum checkins tick``)."""

    created: int = 0
    holiday_skipped: int = 0
    sent: int = 0
    resent: int = 0
    in_doubt_resent: int = 0
    """Sends repeated because a worker died between recording and finishing one: the
    person may have the message twice."""
    failed: int = 0
    unanswered: int = 0
    """Failed sends that went out with no answer (in ``failed`` too): perhaps delivered,
    so their next try is counted in ``in_doubt_resent``."""
    blocked: int = 0
    alerts: int = 0
    deferred_quiet: int = 0
    waiting_for_sender: int = 0
    skipped: int = 0
    missed: int = 0
    contacts: int = 0
    contact_messages: int = 0
    contact_messages_failed: int = 0
    contact_messages_unsent: int = 0
    critical: int = 0

    def to_json(self) -> dict[str, int]:
        return asdict(self)

    def add(self, claimed: Claimed) -> None:
        self.skipped += claimed.skipped
        self.deferred_quiet += claimed.deferred_quiet
        self.waiting_for_sender += claimed.waiting_for_sender
        self.missed += claimed.missed
        self.contacts += claimed.contacts
        self.critical += claimed.critical


@dataclass(frozen=True)
class Invitation:
    token: str
    link: str
    expires_at: dt.datetime

    def to_json(self) -> dict[str, str]:
        return {"token": self.token, "link": self.link, "expires_at": self.expires_at.isoformat()}


@dataclass(frozen=True)
class EnrolResult:
    person_id: int
    invitation: Invitation
    contact_invitations: dict[int, Invitation] = field(default_factory=dict)
    """By contact position (1, 2)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "status": "invited",
            "invitation": self.invitation.to_json(),
            "contact_invitations": [
                {"position": position, **invitation.to_json()}
                for position, invitation in sorted(self.contact_invitations.items())
            ],
        }


class Checkins:
    """Check-ins on a migrated case database."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock = utc_now,
        case_policy: CasePolicy | None = None,
        policy: CheckinPolicy | None = None,
    ) -> None:
        self._sessions = session_factory(engine)
        self._clock = clock
        self.case_policy = case_policy or load_policy()
        self.policy = policy or load_checkin_policy()

    # --- enrolment -------------------------------------------------------------------
    def enrol(self, enrolment: Enrolment, *, actor: str, bot_username: str = "") -> EnrolResult:
        """Store the enrolment with its consent and contacts, and invite the person (and
        each contact): the tokens are returned once and never stored."""
        now = self._clock()
        valid = self.policy.invitation_valid
        with self._sessions.begin() as session:
            person = store_enrolment(
                session, enrolment, actor=actor, now=now, timezone=str(self.policy.zone)
            )
            token, expires = issue_invitation(
                session, person_id=person.id, contact_id=None, now=now, valid_for=valid
            )
            own = Invitation(token, deep_link(bot_username, token), expires)
            contacts: dict[int, Invitation] = {}
            query = select(CheckinContact).where(CheckinContact.person_id == person.id)
            for contact in session.scalars(query):
                token, expires = issue_invitation(
                    session, person_id=person.id, contact_id=contact.id, now=now, valid_for=valid
                )
                contacts[contact.position] = Invitation(
                    token, deep_link(bot_username, token), expires
                )
            _audit(session, now, actor, "checkin.enrol", person.id)
            return EnrolResult(person.id, own, contacts)

    def redeem(self, token: str, chat_id: str) -> str:
        """Start pressed on an invitation: link the chat; what to tell the chat."""
        now = self._clock()
        with self._sessions.begin() as session:
            redemption = redeem_invitation(session, token, chat_id, now)
            if redemption.outcome == "used":
                return say.INVITATION_USED
            if redemption.outcome == "expired":
                return say.INVITATION_EXPIRED
            if redemption.outcome == "unknown" or redemption.person_id is None:
                return say.INVITATION_UNKNOWN
            person = session.get_one(CheckinPerson, redemption.person_id)
            _audit(session, now, f"chat:{chat_id}", "checkin.link", person.id)
            if redemption.contact_id is None:
                return say.LINKED_PERSON.format(name=person.display_name)
            contact = session.get_one(CheckinContact, redemption.contact_id)
            return say.LINKED_CONTACT.format(contact=contact.name, name=person.display_name)

    def set_status(self, person_id: int, status: PersonStatus, actor: str) -> bool:
        """Pause, stop or resume (``active``) a person's check-ins; False if no such person.
        Check-ins not yet sent are skipped while paused or stopped; stopping withdraws the
        consent (a restart needs a new one)."""
        now = self._clock()
        with self._sessions.begin() as session:
            person = session.get(CheckinPerson, person_id, with_for_update=True)
            if person is None:
                return False
            self._change_status(session, person, status, actor, now)
            return True

    def set_status_by_chat(self, chat_id: str, status: PersonStatus) -> str | None:
        """The person of ``chat_id`` asked to pause, stop or resume ("이제 그만 받을래요"):
        what to tell them, or None when the chat is nobody's check-in chat. A stopped
        person cannot resume from the chat: a worker enrols them again, with consent."""
        now = self._clock()
        query = select(CheckinPerson).where(
            CheckinPerson.chat_id == chat_id, CheckinPerson.status != "stopped"
        )
        with self._sessions.begin() as session:
            person = session.scalars(query.order_by(CheckinPerson.id.desc()).limit(1)).first()
            if person is None or status not in STATUS_REPLIES:
                return None
            self._change_status(session, person, status, f"chat:{chat_id}", now)
            return STATUS_REPLIES[status]

    def chat_status(self, chat_id: str) -> PersonStatus | None:
        """The check-in status of the person ``chat_id`` belongs to (the latest not
        stopped, else the latest), or None when the chat is nobody's check-in chat; for
        the chat to answer "그만할래요" as the person it is."""
        query = (
            select(CheckinPerson.status)
            .where(CheckinPerson.chat_id == chat_id)
            .order_by((CheckinPerson.status == "stopped").asc(), CheckinPerson.id.desc())
            .limit(1)
        )
        with self._sessions() as session:
            return session.scalars(query).first()

    def _change_status(
        self,
        session: Session,
        person: CheckinPerson,
        status: PersonStatus,
        actor: str,
        now: dt.datetime,
    ) -> None:
        person.status = status
        person.updated_at = now
        if status == "stopped":
            consent = session.get_one(Consent, person.consent_id)
            consent.withdrawn_at = consent.withdrawn_at or now
        _audit(session, now, actor, f"checkin.{status}", person.id)

    # --- the tick --------------------------------------------------------------------
    def tick(
        self, now: dt.datetime | None = None, sender: CheckinSender | None = None
    ) -> TickCounts:
        """One pass as of ``now``: create due check-ins, send what is due (with a
        ``sender``; without one sends wait), and climb the ladder of unanswered ones.

        Without ``now`` (the worker) each claimed batch is taken as of the clock when it
        is claimed: a morning of many batches takes minutes at Telegram's pace, and a
        lease or a reminder reckoned from the pass's start would already have run out."""
        counts = TickCounts()
        with self._sessions.begin() as session:
            created = create_due_checkins(session, now or self._clock(), self.policy)
        counts.created, counts.holiday_skipped = created.created, created.holiday
        after = 0
        given = now
        while True:
            now = given or self._clock()
            with self._sessions.begin() as session:
                claimed = claim(
                    session,
                    now=now,
                    after_id=after,
                    can_send=sender is not None,
                    policy=self.policy,
                    cases=self.case_policy,
                )
            counts.add(claimed)
            if sender is None:
                # The step and its case event are recorded; the chat message cannot go.
                counts.contact_messages_unsent += len(claimed.contact_messages)
            else:
                self._send_batch(claimed.orders, sender, now, counts)
                for message in claimed.contact_messages:
                    try:
                        sender.send(message.chat_id, message.text, ())
                        counts.contact_messages += 1
                    except Exception as error:
                        # The error's type only: a traceback may carry the request's URL,
                        # and with it the bot's token.
                        failure = type(error).__name__
                        log.warning("a contact's alert could not be sent (%s)", failure)
                        counts.contact_messages_failed += 1
            if claimed.last_id is None:
                return counts
            after = claimed.last_id

    def _send_batch(
        self,
        orders: list[SendOrder],
        sender: CheckinSender,
        now: dt.datetime,
        counts: TickCounts,
    ) -> None:
        """Send a claimed batch. Accepted sends are recorded together (``SentRecords``),
        also when an error escapes the loop; failures and blocked chats one by one."""
        records = SentRecords(self._sessions, now, self.policy)
        try:
            for order in orders:
                self._send(order, sender, records, now, counts)
        finally:
            records.flush()

    def _send(
        self,
        order: SendOrder,
        sender: CheckinSender,
        records: SentRecords,
        now: dt.datetime,
        counts: TickCounts,
    ) -> None:
        records.flush_if_old()
        try:
            message_id = sender.send(order.chat_id, order.text, order.buttons)
        except ChatBlocked:
            with self._sessions.begin() as session:
                record_blocked(session, order, now, self.policy, self.case_policy)
            counts.blocked += 1
            log.info("check-in %s: chat blocked the bot", order.checkin_id)
            return
        except Exception as error:
            # Sent with no answer: perhaps delivered, so the attempt stays recorded and
            # the next try repeats it as in doubt (counted); any other error: not taken.
            unanswered = isinstance(error, SendUnanswered)
            with self._sessions.begin() as session:
                alerted = record_failed(
                    session,
                    order,
                    type(error).__name__,
                    now,
                    self.policy,
                    self.case_policy,
                    perhaps_delivered=unanswered,
                )
            counts.failed += 1
            counts.unanswered += unanswered
            counts.alerts += alerted
            log.warning("check-in %s: send failed (%s)", order.checkin_id, type(error).__name__)
            return
        records.add(order, message_id)
        counts.sent += 1
        counts.resent += order.resend and not order.in_doubt
        counts.in_doubt_resent += order.in_doubt

    # --- answers ---------------------------------------------------------------------
    def answer_button(self, chat_id: str, payload: str) -> AnswerOutcome | None:
        """A check-in button pressed in ``chat_id``; None when the payload is not a
        check-in button of this chat."""
        parsed = parse_button_payload(payload)
        if parsed is None:
            return None
        checkin_id, code = parsed
        now = self._clock()
        with self._sessions.begin() as session:
            checkin = session.get(Checkin, checkin_id, with_for_update=True)
            if checkin is None:
                return None
            person = session.get_one(CheckinPerson, checkin.person_id)
            if person.chat_id != chat_id:
                return None
            return record_button(session, checkin, person, code, now, self.policy, self.case_policy)

    def answer_text(
        self, chat_id: str, text: str, intent: str | None = None
    ) -> AnswerOutcome | None:
        """Words written in ``chat_id`` as the answer of its latest check-in (sent within
        ``TEXT_ANSWER_HOURS``); None when no check-in waits there."""
        now = self._clock()
        with self._sessions.begin() as session:
            found = self._latest_sent(session, chat_id, now)
            if found is None:
                return None
            checkin, person = found
            return record_text(
                session, checkin, person, text, intent, now, self.policy, self.case_policy
            )

    def waiting_checkin(self, chat_id: str) -> int | None:
        """The check-in of ``chat_id`` that waits for an answer (sent, not yet answered,
        within ``TEXT_ANSWER_HOURS``), or None: what the chat's ``checkin_pending`` is."""
        with self._sessions() as session:
            found = self._latest_sent(session, chat_id, self._clock(), lock=False)
            if found is None or found[0].state not in ("sent", "missed"):
                return None
            return found[0].id

    def _latest_sent(
        self, session: Session, chat_id: str, now: dt.datetime, lock: bool = True
    ) -> tuple[Checkin, CheckinPerson] | None:
        query = (
            select(Checkin, CheckinPerson)
            .join(CheckinPerson, CheckinPerson.id == Checkin.person_id)
            .where(
                CheckinPerson.chat_id == chat_id,
                Checkin.attempts > 0,
                Checkin.due_at >= now - dt.timedelta(hours=TEXT_ANSWER_HOURS),
            )
            .order_by(Checkin.due_at.desc(), Checkin.id.desc())
            .limit(1)
        )
        row = session.execute(query).first()
        if row is None:
            return None
        if not lock:
            return row[0], row[1]
        checkin = session.get_one(Checkin, row[0].id, with_for_update=True, populate_existing=True)
        return checkin, row[1]

    # --- reading ---------------------------------------------------------------------
    def status(self, person_id: int, actor: str) -> dict[str, Any] | None:
        """A person's enrolment and latest check-ins (recorded in the access log)."""
        now = self._clock()
        with self._sessions.begin() as session:
            found = person_status(session, person_id)
            if found is not None:
                _audit(session, now, actor, "checkin.read", person_id)
            return found


def _audit(session: Session, at: dt.datetime, actor: str, action: str, person_id: int) -> None:
    session.add(
        AuditEntry(at=at, actor=actor, action=action, case_id=None, detail={"person": person_id})
    )
