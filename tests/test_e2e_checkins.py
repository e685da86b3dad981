"""Check-ins end to end through the Bot API emulator: a worker enrols a person, the person
opens the invitation link in Telegram, ``ieum checkins tick`` sends the day's check-in
through the Telegram sender, the person presses 도움이 필요해요, and a check-in concern
is in the area's queue; and a citizen asks for check-ins in the chat, a worker of the
동 approves, and the check-in comes to that chat."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from actions import messages as action_messages
from cases import checkin_messages as said
from cases.access import Viewer
from cases.checkin_enrolment import enrolment_from_json
from cases.db import create_db_engine
from cases.models import Case, CheckinPerson
from cases.service import case_services
from ieum.emulated_stack import Chat
from tests.checkin_support import enrolment
from tests.e2e_fixtures import E2E_MARKS, RunningStack

pytestmark = E2E_MARKS
SEOUL = ZoneInfo("Asia/Seoul")
CHAT_ID = 88001
ASKING_CHAT_ID = 88002


def tick(stack: RunningStack, now: dt.datetime) -> dict[str, int]:
    """``ieum checkins tick --now …`` with the stack's settings (its bot token: Telegram)."""
    ieum = Path(sys.executable).with_name("ieum")
    done = subprocess.run(
        [str(ieum), "checkins", "tick", "--now", now.isoformat()],
        env={**os.environ, **stack.settings.as_env()},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    counts: dict[str, int] = json.loads(done.stdout)
    return counts


async def test_a_check_in_reaches_telegram_and_a_help_press_reaches_the_queue(
    running_stack: RunningStack,
) -> None:
    engine = create_db_engine(running_stack.settings.database_url)
    try:
        services = case_services(engine)
        tomorrow = dt.datetime.now(SEOUL).date() + dt.timedelta(days=1)
        every_day = ["월", "화", "수", "목", "금", "토", "일"]
        enrolled = services.checkins.enrol(
            enrolment_from_json(
                enrolment(schedule={"days": every_day, "window": ["10:00", "10:01"]})
            ),
            actor="test",
        )
        chat = Chat(running_stack.emulator, CHAT_ID)
        welcome = await chat.start(enrolled.invitation.token)
        assert said.LINKED_PERSON.format(name="김순자") in welcome.text
        assert action_messages.CHECKIN_HOW_IT_GOES in welcome.text

        due = dt.datetime.combine(tomorrow, dt.time(10, 5), SEOUL)
        counts = await asyncio.to_thread(tick, running_stack, due)
        # Today's check-in may be due as well by then (a tick late by a day sends both).
        assert counts["sent"] >= 1 and counts["blocked"] == 0
        checkin = (await chat.user.receive(counts["sent"]))[-1]
        assert "김순자님" in checkin.text
        assert [title for title, _ in checkin.buttons] == [label for _, label in said.BUTTONS]

        await chat.user.press(checkin, "도움이 필요해요")
        reply = await chat.user.receive_one(timeout=30)
        assert reply.text == action_messages.CHECKIN_HELP_TOLD
        with engine.connect() as connection:
            kinds = list(
                connection.execute(
                    select(Case.kind, Case.priority, Case.area).where(
                        Case.kind == "checkin_concern"
                    )
                )
            )
        assert [(kind, priority) for kind, priority, _ in kinds] == [("checkin_concern", "high")]
    finally:
        engine.dispose()


async def test_a_citizen_asks_for_check_ins_in_the_chat_and_gets_them_once_approved(
    running_stack: RunningStack,
) -> None:
    chat = Chat(running_stack.emulator, ASKING_CHAT_ID)
    asked = await chat.say("혼자 살아서 무서워요 안부 전화 받고 싶어요")
    assert action_messages.CHECKIN_REQUEST_CONSENT in asked.text
    name = await chat.press(asked, action_messages.CHECKIN_REQUEST_CONSENT_YES)
    assert action_messages.CHECKIN_REQUEST_ASK_NAME in name.text
    area = await chat.say("이순자예요")
    assert action_messages.CHECKIN_REQUEST_ASK_AREA in area.text
    days = await chat.say("강서구 화곡1동")
    time = await chat.press(days, action_messages.CHECKIN_REQUEST_DAYS["daily"])
    summary = await chat.press(time, action_messages.CHECKIN_REQUEST_TIMES["morning"])
    assert "이순자" in summary.text and "강서구 화곡1동" in summary.text
    filed = await chat.press(summary, action_messages.CHECKIN_REQUEST_FILE_BUTTON)
    assert action_messages.CHECKIN_REQUEST_FILED.format(place="강서구 화곡1동") in filed.text

    engine = create_db_engine(running_stack.settings.database_url)
    try:
        services = case_services(engine)
        with engine.connect() as connection:
            person_id, status = connection.execute(
                select(CheckinPerson.id, CheckinPerson.status).where(
                    CheckinPerson.chat_id == str(ASKING_CHAT_ID)
                )
            ).one()
        assert status == "pending_approval"
        worker = Viewer("e2e-worker", "worker", ("서울특별시 강서구 화곡1동",))
        services.checkin_desk.decide(worker, person_id, approve=True, tier="caution")
        tomorrow = dt.datetime.now(SEOUL).date() + dt.timedelta(days=1)
        due = dt.datetime.combine(tomorrow, dt.time(11, 0), SEOUL)
        counts = await asyncio.to_thread(tick, running_stack, due)
        assert counts["sent"] >= 1
        checkins = await chat.user.receive(1, timeout=30)
        assert "이순자님" in checkins[-1].text
    finally:
        engine.dispose()
