"""What the case page offers from where a case stands: the next statuses, whether a reply
can reach the citizen, the photo's address."""

from __future__ import annotations

from cases.lifecycle import REOPENERS
from cases.models import STATUSES, Role
from cases.records import CaseRecord
from cases.replies import REACHABLE_CHANNELS


def photo_url(case_id: int) -> str:
    return f"/cases/{case_id}/photo"


def next_statuses(record: CaseRecord, role: Role) -> list[str]:
    """The statuses ``role`` may move the case to (``cases.lifecycle`` decides for real)."""
    if record.status == "closed":
        return ["assigned"] if role in REOPENERS else []
    return list(STATUSES[STATUSES.index(record.status) + 1 :])


def can_reply(record: CaseRecord) -> bool:
    """Whether a reply would reach the citizen's chat."""
    reachable = record.conversation_id is not None and record.channel in REACHABLE_CHANNELS
    return reachable and record.status != "closed"
