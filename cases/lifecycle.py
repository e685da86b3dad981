"""The one lifecycle of a case: new → assigned → contacted → visited → linked → closed.

A case moves forward, skipping steps if the work went faster (new → contacted); closing
needs an outcome from the policy. Going back is refused, except reopening a closed case
(closed → assigned), which only a supervisor or an admin may do.
"""

from __future__ import annotations

from collections.abc import Collection

from cases import messages
from cases.errors import TransitionRefused
from cases.models import STATUSES, Role

REOPENERS: frozenset[str] = frozenset({"supervisor", "admin"})


def check_transition(
    current: str,
    target: str,
    *,
    role: Role,
    outcome: str | None,
    outcomes: Collection[str],
) -> None:
    """Raise ``TransitionRefused`` unless ``role`` may move a case from ``current`` to
    ``target`` (with ``outcome`` when closing)."""
    if target not in STATUSES:
        raise ValueError(f"unknown status {target!r}")
    if target == current:
        raise TransitionRefused(messages.SAME_STATUS)
    if outcome is not None and target != "closed":
        raise TransitionRefused(messages.OUTCOME_ONLY_WHEN_CLOSING)
    if current == "closed":
        if role not in REOPENERS:
            raise TransitionRefused(messages.REOPEN_NOT_ALLOWED)
        if target != "assigned":
            raise TransitionRefused(messages.REOPEN_TO_ASSIGNED)
        return
    if STATUSES.index(target) < STATUSES.index(current):
        raise TransitionRefused(messages.BACKWARD_STATUS)
    if target == "closed":
        if outcome is None:
            raise TransitionRefused(messages.OUTCOME_NEEDED)
        if outcome not in outcomes:
            raise TransitionRefused(messages.OUTCOME_UNKNOWN)
