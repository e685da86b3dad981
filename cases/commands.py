"""``ieum escalations list``: what is waiting for a person (until the staff console);
``ieum cases purge``: erase reporters' contacts past the retention period."""

from __future__ import annotations

import json
from zoneinfo import ZoneInfo

from cases import messages
from cases.records import CaseRecord
from cases.retention import erase_reporter_contacts
from cases.service import open_case_services, open_store
from core.settings import Settings


def list_command(settings: Settings, as_json: bool, include_closed: bool) -> int:
    records = open_store(settings).list_open(include_closed=include_closed)
    if as_json:
        print(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
    else:
        print(render(records, include_closed, ZoneInfo(settings.office_timezone)))
    return 0


def purge_command(settings: Settings) -> int:
    services = open_case_services(settings)
    erased = erase_reporter_contacts(services.engine, services.policy)
    print(messages.contacts_erased(erased, services.policy.reporter_contact_days))
    return 0


def render(records: list[CaseRecord], include_closed: bool, zone: ZoneInfo) -> str:
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
