"""The scripted conversations (``tests/data/conversations.yml``) cover what they promise;
``tests/test_e2e_conversations.py`` plays them through Telegram."""

from __future__ import annotations

from tests.conversation_scripts import load_script

CLASSES_HERE = frozenset(range(1, 10))  # 10 and 11 are covered elsewhere (see the script)


def test_the_script_covers_every_class_with_sixty_conversations() -> None:
    conversations = load_script()
    assert len(conversations) >= 60
    assert len({c.name for c in conversations}) == len(conversations), "names are unique"
    assert {c.problem_class for c in conversations} == CLASSES_HERE
