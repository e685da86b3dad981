"""Scripted conversations: what citizens type, what they must see, and what must be stored.

A script (``tests/data/conversations.yml``) is a list of conversations. Each has a
``name``, the ``class`` of problem it covers (the numbered classes of the conversation
issue), ``steps`` and, optionally, what must be ``stored`` afterwards. A step is one of:

- ``say: 텍스트`` — the user types this;
- ``press: 버튼 제목`` — the user presses a button of the last answer;
- ``start: ""`` — the user sends /start (with an optional deep-link payload);
- ``finder: {field: answer, …}`` — the user answers the benefit finder until it shows
  results: a field named here is answered with its text (or ``button:제목``), any other
  with the scripted citizen's answer (``ieum.emulated_stack``);
- ``until: field`` — the same, but only until the finder asks about ``field``.

Any step may carry ``expect`` about the answer it got: ``contains`` (every text),
``contains_any``, ``not_contains``, ``first_line`` (the first message starts with it),
``asks`` (a profile field, ``any`` or ``none``), ``buttons`` (titles offered),
``screen`` (every message fits one phone screen). ``stored`` checks the end state:
``profile`` (a subset of the profile slot), ``not_in_profile`` (fields that must not be
there), ``escalations`` (a list of ``kind/priority``), ``active_loop`` (``none`` or a
form) and ``secret`` (text that must be nowhere: Redis, the case store, the logs).

``run_script`` plays every conversation against the running stack, a few at a time, and
returns one list of problems per conversation (empty: it passed).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from actions.results import SCREEN_CHARS, SCREEN_LINES
from ieum.emulated_stack import ANSWER_BUTTONS, DONT_KNOW, TYPED_ANSWERS, Chat, Turn
from tests.e2e_fixtures import RunningStack

SCRIPT = Path(__file__).parent / "data" / "conversations.yml"
FIRST_CHAT_ID = 90_000
AT_ONCE = 6
"""Conversations played at the same time: enough to be quick, few enough that no answer
is slow enough to be split in two by the quiet period that ends a turn."""
MAX_FINDER_TURNS = 12


@dataclass(frozen=True)
class Conversation:
    name: str
    problem_class: int
    steps: list[dict[str, Any]]
    stored: dict[str, Any] = field(default_factory=dict)


EXPECTATIONS = frozenset(
    {"contains", "contains_any", "not_contains", "first_line", "asks", "buttons", "screen"}
)
STORED = frozenset({"profile", "not_in_profile", "escalations", "active_loop", "secret"})
STEPS = frozenset({"say", "press", "start", "finder", "until"})


def load_script(path: Path = SCRIPT) -> list[Conversation]:
    """The conversations of a script; a misspelt key is an error, not a skipped check."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    conversations = [
        Conversation(item["name"], int(item["class"]), item["steps"], item.get("stored") or {})
        for item in raw["conversations"]
    ]
    for conversation in conversations:
        unknown = set(conversation.stored) - STORED
        for step in conversation.steps:
            unknown |= set(step.get("expect") or {}) - EXPECTATIONS
            unknown |= set(step) - STEPS - {"expect"}
        assert not unknown, f"{conversation.name}: unknown keys {sorted(unknown)}"
    return conversations


async def run_script(
    stack: RunningStack, conversations: list[Conversation]
) -> dict[str, list[str]]:
    """Every conversation's problems, by name; each in a chat of its own."""
    gate = asyncio.Semaphore(AT_ONCE)

    async def play(number: int, conversation: Conversation) -> tuple[str, list[str]]:
        async with gate:
            chat = Chat(stack.emulator, FIRST_CHAT_ID + number)
            try:
                problems = await _play(chat, conversation)
                problems += await asyncio.to_thread(_check_stored, stack, chat, conversation)
            except AssertionError as failure:  # no answer, or a button that is not there
                problems = [str(failure)]
            return conversation.name, problems

    played = await asyncio.gather(*(play(n, c) for n, c in enumerate(conversations)))
    return dict(played)


async def _play(chat: Chat, conversation: Conversation) -> list[str]:
    problems: list[str] = []
    last: Turn | None = None
    for number, step in enumerate(conversation.steps, 1):
        turn = await _take(chat, step, last)
        problems += [f"step {number}: {p}" for p in _check_turn(turn, step.get("expect") or {})]
        last = turn
    return problems


async def _take(chat: Chat, step: dict[str, Any], last: Turn | None) -> Turn:
    if "say" in step:
        return await chat.say(str(step["say"]))
    if "press" in step:
        assert last is not None, "a press needs an answer with buttons before it"
        return await chat.press(last, str(step["press"]))
    if "start" in step:
        return await chat.start(str(step["start"] or ""))
    if "finder" in step or "until" in step:
        assert last is not None, "the finder step answers questions already asked"
        return await _answer_finder(chat, last, step.get("finder") or {}, step.get("until"))
    raise AssertionError(f"unknown step {step!r}")


async def _answer_finder(
    chat: Chat, turn: Turn, answers: dict[str, str], until: str | None = None
) -> Turn:
    """Answer each question until the finder shows its results (or asks about ``until``)."""
    for _ in range(MAX_FINDER_TURNS):
        asked = turn.asked()
        if not asked or asked[0] == until:
            assert until is None or asked, f"results came before {until!r} was asked"
            return turn
        answer = answers.get(asked[0]) or _usual_answer(asked[0], turn)
        if answer.startswith("button:"):
            turn = await chat.press(turn, answer.removeprefix("button:"))
        else:
            turn = await chat.say(answer)
    raise AssertionError(f"the finder kept asking: {turn.text!r}")


def _usual_answer(field_name: str, turn: Turn) -> str:
    if field_name in TYPED_ANSWERS:
        return TYPED_ANSWERS[field_name]
    title = ANSWER_BUTTONS.get(field_name, DONT_KNOW)
    return f"button:{title if turn.with_button(title) else DONT_KNOW}"


def _check_turn(turn: Turn, expect: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    text = turn.text
    for part in expect.get("contains") or []:
        if part not in text:
            problems.append(f"missing {part!r} in {text!r}")
    wanted = expect.get("contains_any") or []
    if wanted and not any(part in text for part in wanted):
        problems.append(f"none of {wanted!r} in {text!r}")
    for part in expect.get("not_contains") or []:
        if part in text:
            problems.append(f"unwanted {part!r} in {text!r}")
    if "first_line" in expect and not text.startswith(str(expect["first_line"])):
        problems.append(f"does not start with {expect['first_line']!r}: {text!r}")
    asks = expect.get("asks")
    asked = turn.asked()
    if asks == "none" and asked:
        problems.append(f"asked {asked} in {text!r}")
    elif asks == "any" and not asked:
        problems.append(f"asked nothing in {text!r}")
    elif asks not in (None, "any", "none") and asked != [asks]:
        problems.append(f"asked {asked}, not {asks!r}, in {text!r}")
    for title in expect.get("buttons") or []:
        if turn.with_button(title) is None:
            problems.append(f"no button {title!r} in {text!r}")
    if expect.get("screen"):
        for message in turn.messages:
            if len(message.text) > SCREEN_CHARS or message.text.count("\n") >= SCREEN_LINES:
                problems.append(f"longer than a screen: {message.text!r}")
    return problems


def _check_stored(stack: RunningStack, chat: Chat, conversation: Conversation) -> list[str]:
    stored = conversation.stored
    if not stored:
        return []
    problems: list[str] = []
    state = stack.tracker(chat.sender)
    profile = state["slots"].get("profile") or {}
    for name, value in (stored.get("profile") or {}).items():
        if profile.get(name) != value:
            problems.append(f"profile {name} is {profile.get(name)!r}, not {value!r}")
    for name in stored.get("not_in_profile") or []:
        if name in profile:
            problems.append(f"profile has {name} = {profile[name]!r}")
    if "escalations" in stored:
        found = [f"{r.kind}/{r.priority}" for r in stack.escalations(chat.sender)]
        if found != list(stored["escalations"]):
            problems.append(f"escalations {found}, not {stored['escalations']}")
    if "active_loop" in stored:
        loop = (state.get("active_loop") or {}).get("name") or "none"
        if loop != stored["active_loop"]:
            problems.append(f"active loop {loop!r}, not {stored['active_loop']!r}")
    for secret in stored.get("secret") or []:
        problems += _secret_kept(stack, chat, str(secret), state)
    return problems


def _secret_kept(stack: RunningStack, chat: Chat, secret: str, state: dict[str, Any]) -> list[str]:
    """Where ``secret`` (digits of a 주민등록번호) was kept, if anywhere."""
    problems: list[str] = []
    if secret in str(state):
        problems.append(f"{secret!r} is in the Rasa tracker")
    if keys := stack.redis_keys_holding(secret):
        problems.append(f"{secret!r} is in Redis keys {keys}")
    if any(secret in str(r.to_json()) for r in stack.escalations(chat.sender)):
        problems.append(f"{secret!r} is in the case store")
    if logs := stack.logs_holding(secret):
        problems.append(f"{secret!r} is in the logs {logs}")
    return problems
