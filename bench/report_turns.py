"""What a blind-spot report costs per turn, against the benefit finder's turns.

The stack of ``bench/conversation_latency.py`` (Bot API emulator, Rasa, the action server
and the bot as ``ieum run`` starts them). Twenty independent Telegram users each ask the
benefit finder (its turns are the baseline), then report a neighbour: consent, the 동,
no address detail, two more signs, the household, a phone number, no photo, 접수할게요, and
ask the receipt's status. Prints the first-reply p50/p95 of both kinds of turn and the
difference; the filing turn (a database commit before the receipt is said) separately.

    .venv/bin/python -m bench.report_turns
"""

from __future__ import annotations

import asyncio
import re
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

from actions import messages
from bench.conversation_latency import (
    FIRST_CHAT_ID,
    REDIS_URL,
    Pacing,
    Results,
    TimedEmulator,
    TimedUser,
    conversation,
    percentile,
)
from core.settings import Settings
from ieum.emulated_stack import emulated_stack

USERS = 20
RUN_TIMEOUT = 300.0
RECEIPT = re.compile(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}")
FILING = f"[{messages.REPORT_CONFIRM_BUTTON}]"


async def report_a_neighbour(user: TimedUser) -> None:
    """The report of ``tests/test_e2e_reports.py``, timed; stops at the first gap."""
    turn = await user.say("옆집 할머니가 일주일째 안 보이세요. 신고하고 싶어요")
    steps: list[str | None] = [
        messages.REPORT_CONSENT_YES,
        None,  # the 동, typed
        messages.REPORT_SKIP_BUTTON,
        messages.SIGN_BUTTONS["rubbish_smell"],  # 며칠째 안 보여요 is ticked from the opening
        messages.SIGN_BUTTONS["illness"],
        messages.REPORT_SIGNS_DONE_BUTTON,
        messages.HOUSEHOLD_BUTTONS["elderly_alone"],
        None,  # the phone number, typed
        messages.REPORT_NO_PHOTO_BUTTON,
        messages.REPORT_CONFIRM_BUTTON,
    ]
    typed = iter(("강서구 화곡1동이요", "010-2345-6789"))
    for title in steps:
        if turn is None:
            return
        if title is None:
            turn = await user.say(next(typed))
            continue
        message = turn.with_button(title)
        if message is None:
            user.results.errors += 1
            user.results.error_notes.append(f"no button {title!r} in {turn.text[:80]!r}")
            return
        turn = await user.press(message, title)
    found = RECEIPT.search(turn.text) if turn is not None else None
    if found is not None:
        await user.say(f"접수번호 {found.group(0)} 어떻게 됐어요?")


async def one_person(
    emulator: TimedEmulator, chat_id: int, finder: Results, report: Results, pacing: Pacing
) -> None:
    await conversation(emulator, chat_id, finder, pacing)
    await report_a_neighbour(TimedUser(emulator, chat_id, report, pacing))


def line(name: str, values: list[float]) -> str:
    return (
        f"{name:<22}{len(values):>7}{statistics.median(values):>9.0f}"
        f"{percentile(values, 0.95):>9.0f}"
    )


def print_figures(finder: Results, report: Results) -> None:
    filing = report.first_ms_by_message.get(FILING, [])
    other = [
        ms for sent, times in report.first_ms_by_message.items() if sent != FILING for ms in times
    ]
    print(f"{'turn':<22}{'turns':>7}{'p50 ms':>9}{'p95 ms':>9}")
    print(line("benefit finder", finder.first_ms))
    print(line("report (questions)", other))
    if filing:
        print(line("report (filing)", filing))
    added = statistics.median(report.first_ms) - statistics.median(finder.first_ms)
    print(f"a report turn adds {added:.0f} ms at the median over a finder turn")
    problems = finder.errors + finder.timeouts + report.errors + report.timeouts
    print(f"errors and timeouts: {problems}")
    for note in (finder.error_notes + report.error_notes)[:10]:
        print(f"  {note}")


async def run(scratch: Path) -> int:
    emulator = TimedEmulator()
    finder, report = Results(), Results()
    pacing = Pacing(lockstep=False)
    async with emulated_stack(
        redis_url=REDIS_URL,
        database_url=f"sqlite:///{scratch / 'ieum.db'}",
        rasa_token=secrets.token_urlsafe(24),
        log_dir=scratch / "logs",
        emulator=emulator,
    ):
        started = time.perf_counter()
        people = [
            one_person(emulator, FIRST_CHAT_ID + n, finder, report, pacing) for n in range(USERS)
        ]
        await asyncio.wait_for(asyncio.gather(*people), RUN_TIMEOUT)
        print(f"{USERS} people, finder then report, in {time.perf_counter() - started:.0f} s")
        print_figures(finder, report)
    return 0


def main() -> int:
    if not Settings().rasa_model.exists():
        print("no trained Rasa model (make rasa-model)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="ieum-report-turns-") as scratch:
        return asyncio.run(run(Path(scratch)))


if __name__ == "__main__":
    sys.exit(main())
