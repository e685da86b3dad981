"""Enrolment with consent, one-time invitations, status, and the ``ieum checkins``
command functions; the worrying words and the policy file."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import IntegrityError

from cases import checkin_messages as say
from cases.checkin_commands import (
    enrol_command,
    resync_command,
    status_command,
    tick_command,
    worker_command,
)
from cases.checkin_enrolment import EnrolmentRejected, enrolment_from_json
from cases.checkin_invitations import token_hash
from cases.checkin_policy import CHECKIN_POLICY_FILE, load_checkin_policy
from cases.checkin_words import read_answer
from cases.db import create_db_engine
from cases.models import CheckinInvitation, CheckinPerson, Consent
from cases.policy import PolicyError
from cases.service import CaseServices
from core.settings import Settings
from tests.case_fixtures import SetClock
from tests.checkin_support import at, enrolment


def count(engine: Engine, model: Any) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model)) or 0


@pytest.mark.parametrize(
    "consent",
    [None, {}, {"by": "self", "how": "visit"}, {"by": "", "how": "visit", "at": "2026-12-01"}],
)
def test_no_enrolment_without_a_consent_record(consent: Any) -> None:
    data = enrolment(consent=consent)
    with pytest.raises(EnrolmentRejected) as refused:
        enrolment_from_json(data)
    assert refused.value.message == say.CONSENT_REQUIRED


def test_the_database_refuses_a_person_without_consent(case_engine: Engine) -> None:
    with pytest.raises(IntegrityError), case_engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO checkin_people (display_name, area, tier, weekday_mask, "
                "window_start, window_end, timezone, status, consent_id, created_by, "
                "created_at, updated_at) VALUES ('x', 'a', 'danger', 1, '09:00', '10:00', "
                "'Asia/Seoul', 'invited', NULL, 't', :at, :at)"
            ),
            {"at": "2026-12-03 00:00:00+00:00"},
        )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"tier": "보통"}, "tier"),
        ({"area": "서울"}, "area"),
        ({"schedule": {"days": ["월"], "window": ["11:00", "09:00"]}}, "window"),
        ({"schedule": {"days": [], "window": ["09:00", "10:00"]}}, "days"),
        ({"schedule": {"days": ["x"], "window": ["09:00", "10:00"]}}, "days"),
    ],
)
def test_an_enrolment_is_checked(change: dict[str, Any], field: str) -> None:
    with pytest.raises(EnrolmentRejected) as refused:
        enrolment_from_json(enrolment(**change))
    assert f"'{field}'" in refused.value.message


def test_at_most_two_contacts() -> None:
    contact = {"name": "가", "phone": "010-0000-0000"}
    with pytest.raises(EnrolmentRejected) as refused:
        enrolment_from_json(enrolment(contacts=[contact] * 3))
    assert refused.value.message == say.TOO_MANY_CONTACTS


def test_enrolment_stores_consent_contacts_and_a_hashed_invitation(
    services: CaseServices, clock: SetClock
) -> None:
    given = enrolment_from_json(
        enrolment(tier="주의", schedule={"days": [0, "수"], "window": ["9:00", "11:30"]})
    )
    result = services.checkins.enrol(given, actor="cli:kim", bot_username="ieum_gangseo_bot")
    link = result.invitation.link
    assert link == f"https://t.me/ieum_gangseo_bot?start={result.invitation.token}"
    assert len(result.invitation.token) <= 64 and result.invitation.token.isascii()
    assert result.invitation.expires_at == clock.now + dt.timedelta(days=14)
    with services.engine.connect() as connection:
        hashes = list(connection.scalars(select(CheckinInvitation.token_hash)))
        consent = connection.execute(select(Consent)).one()
    assert token_hash(result.invitation.token) in hashes and len(hashes) == 2
    assert result.invitation.token not in str(hashes)
    assert (consent.purpose, consent.subject, consent.channel) == ("checkin", "self", "visit")
    found = services.checkins.status(result.person_id, actor="cli:kim")
    assert found is not None
    assert (found["tier"], found["status"], found["chat_linked"]) == ("caution", "invited", False)
    assert found["schedule"]["days"] == [0, 2] and found["schedule"]["window"] == ["09:00", "11:30"]
    assert found["contacts"][0]["relation"] == "딸"


def test_an_invitation_works_once(services: CaseServices, clock: SetClock) -> None:
    result = services.checkins.enrol(enrolment_from_json(enrolment()), actor="t")
    token = result.invitation.token
    assert services.checkins.redeem(token, "1001").startswith("김순자님, 반가워요")
    assert services.checkins.redeem(token, "6666") == say.INVITATION_USED
    found = services.checkins.status(result.person_id, actor="t")
    assert found is not None and found["status"] == "active"
    with services.engine.connect() as connection:
        assert connection.scalar(select(CheckinPerson.chat_id)) == "1001"


def test_an_invitation_expires_and_a_made_up_one_does_nothing(
    services: CaseServices, clock: SetClock
) -> None:
    result = services.checkins.enrol(enrolment_from_json(enrolment()), actor="t")
    assert services.checkins.redeem("not-a-token", "1001") == say.INVITATION_UNKNOWN
    clock.advance(days=14)
    assert services.checkins.redeem(result.invitation.token, "1001") == say.INVITATION_EXPIRED
    found = services.checkins.status(result.person_id, actor="t")
    assert found is not None and found["status"] == "invited"


# --- commands ----------------------------------------------------------------------------
@pytest.fixture
def settings(case_engine: Engine, case_database_url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "var", database_url=case_database_url)


def test_checkins_enrol_tick_status_and_resync_commands(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    source = io.StringIO(json.dumps(enrolment(), ensure_ascii=False))
    assert enrol_command(settings, "-", source) == 0
    out, err = capsys.readouterr()
    printed = json.loads(out)
    assert printed["invitation"]["link"].startswith("https://t.me/<bot>?start=")
    assert "IEUM_TELEGRAM_BOT_USERNAME" in err
    assert len(printed["contact_invitations"]) == 1

    assert tick_command(settings, "2026-12-03T09:30:00+09:00") == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["created"] == 0, "no chat linked yet"

    assert status_command(settings, printed["person_id"], as_json=True) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "김순자"
    assert status_command(settings, printed["person_id"], as_json=False) == 0
    assert capsys.readouterr().out.startswith(
        "김순자님 · 위험 · 초대함 · 서울특별시 강서구 화곡1동"
    )
    assert status_command(settings, 999, as_json=True) == 1
    assert resync_command(settings) == 0
    assert "Redis" in capsys.readouterr().out


def test_commands_refuse_bad_input(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    assert enrol_command(settings, "-", io.StringIO("{not json")) == 2
    data = enrolment(consent=None)
    assert enrol_command(settings, "-", io.StringIO(json.dumps(data))) == 2
    assert say.CONSENT_REQUIRED in capsys.readouterr().err
    assert tick_command(settings, "2026-12-03T09:30:00") == 2, "a time without its zone"
    assert count(create_db_engine(settings.database_url), CheckinPerson) == 0


# --- words and policy -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("잘 지내요", False),
        ("아파트 앞을 산책했어요", False),
        ("하나도 안 아파요", False),
        ("오늘 좀 아파요", True),
        ("아픕니다", True),
        ("밥을 못먹었어", True),
        ("끼니를 걸렀어요", True),
        ("요즘 힘드네요", True),
        ("외롭고 쓸쓸해요", True),
        ("어제 넘어졌어요", True),
        ("잠을 못 잤어요", True),
    ],
)
def test_worrying_words_in_their_variants(text: str, flagged: bool) -> None:
    assert read_answer(text).flagged is flagged


def test_emergency_words_are_told_apart() -> None:
    assert read_answer("살려 주세요").emergency == ("살려 주세요",)
    assert read_answer("죽고 싶어요").emergency == ("죽고 싶다",)
    assert read_answer("힘들어요").emergency == ()


def test_the_policy_file_has_every_tier_and_the_case_holidays() -> None:
    policy = load_checkin_policy()
    assert set(policy.ladders) == {"danger", "caution", "watch"}
    assert dt.date(2026, 12, 25) in policy.holidays
    assert policy.ladder("danger").resends == 3, "강서이음콜: three more tries"
    danger = policy.ladder("danger")
    first_case = danger.resend_every * danger.resends + danger.answer_wait
    assert first_case <= dt.timedelta(hours=2), "CareCall: staff know within 2 hours"
    assert policy.is_quiet(at(3, 22)) and not policy.is_quiet(at(3, 8))
    assert policy.first_sendable(at(3, 23)) == at(4, 8)
    assert policy.first_sendable(at(4, 2)) == at(4, 8)


def test_the_worker_ticks_until_stopped(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    stop = threading.Event()
    stop.set()
    with caplog.at_level(logging.INFO, logger="cases.checkin_commands"):
        assert worker_command(settings, None, 0.01, stop) == 0
    assert '"created": 0' in caplog.text


def test_living_is_not_an_emergency() -> None:
    assert read_answer("오래 살려고 운동해요").emergency == ()


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        ({"tiers": {"danger": {}}}, "tiers must be exactly"),
        ({"quiet_hours": {"start": "21:00", "end": "21:00"}}, "quiet hours"),
        ({"claim_lease_minutes": 0}, "must be positive"),
        ({"sent_records": {"seconds": 0, "sends": 200}}, "must be positive"),
    ],
)
def test_a_broken_policy_file_is_refused(
    tmp_path: Path, change: dict[str, Any], complaint: str
) -> None:
    raw = yaml.safe_load(CHECKIN_POLICY_FILE.read_text(encoding="utf-8"))
    raw.update(change)
    path = tmp_path / "checkin_policy.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(PolicyError, match=complaint):
        load_checkin_policy(path)
