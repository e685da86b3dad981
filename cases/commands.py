"""``ieum escalations list``: what is waiting for a person (until the staff console)."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from cases import messages
from cases.service import open_store
from cases.store import EscalationRecord
from core.settings import Settings


def list_command(settings: Settings, as_json: bool, include_closed: bool) -> int:
    records = open_store(settings).list_open(include_closed=include_closed)
    if as_json:
        print(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
    else:
        print(render(records, include_closed, ZoneInfo(settings.office_timezone)))
    return 0


def render(records: list[EscalationRecord], include_closed: bool, zone: ZoneInfo) -> str:
    if not records:
        return messages.NOTHING_AT_ALL if include_closed else messages.NOTHING_OPEN
    lines = [messages.heading(len(records), include_closed)]
    for record in records:
        opened = record.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M")
        lines.append(
            messages.escalation_line(
                record.id,
                record.priority,
                record.kind,
                record.status,
                opened,
                record.area,
                record.channel,
            )
        )
        lines.append(messages.summary_line(record.summary))
    return "\n".join(lines)
