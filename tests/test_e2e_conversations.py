"""Scripted conversations through Telegram, written the way people type
(``tests/data/conversations.yml``): what each person sees, and what is stored."""

from __future__ import annotations

import pytest
import pytest_asyncio

from tests.conversation_scripts import Conversation, load_script, run_script
from tests.e2e_fixtures import E2E_MARKS, RunningStack

CONVERSATIONS = load_script()

pytestmark = E2E_MARKS


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def played(running_stack: RunningStack) -> dict[str, list[str]]:
    """Every conversation of the script, played once against the running stack."""
    return await run_script(running_stack, CONVERSATIONS)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.name)
async def test_a_scripted_conversation(
    played: dict[str, list[str]], conversation: Conversation
) -> None:
    assert played[conversation.name] == []
