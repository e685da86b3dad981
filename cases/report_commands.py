"""``ieum reports file|status``: staff intake of a blind-spot report from the shell, and a
receipt's status.

Exit codes: 0 done; 1 no such receipt; 2 input refused (a Korean message on stderr,
nothing stored).
"""

from __future__ import annotations

import getpass
import hashlib
import json
import sys
from typing import IO, Any

from cases import messages
from cases.errors import ReportRejected
from cases.report_draft import draft_from_json
from cases.reports import ConsentGiven
from cases.service import open_case_services
from core.settings import Settings

REFUSED = 2
NOT_FOUND = 1
PHONE_CONSENT_VERSION = "staff-intake-2026-12"
"""The consent script staff read out before taking a report by phone or on a visit."""
INTAKE_CHANNEL = "phone"


def file_command(settings: Settings, source: str, stdin: IO[str] | None = None) -> int:
    """File the report in the JSON file ``source`` ('-': standard input); print its receipt
    as {"receipt", "case_id", "area", "priority", "due"}."""
    try:
        data = _read_json(source, stdin or sys.stdin)
        given = draft_from_json(data, INTAKE_CHANNEL)
        if not given.consent:
            raise ReportRejected(messages.CONSENT_REQUIRED)
        staff = os_user()
        receipt = open_case_services(settings).reports.file_report(
            given.draft,
            consent=ConsentGiven(f"staff:{staff}", PHONE_CONSENT_VERSION),
            channel=given.channel,
            dedup_key=_dedup_key(data),
            actor=f"cli:{staff}",
        )
    except ReportRejected as error:
        print(error.message, file=sys.stderr)
        return REFUSED
    print(json.dumps(receipt.to_json(), ensure_ascii=False))
    return 0


def status_command(settings: Settings, receipt: str, as_json: bool) -> int:
    """Print a receipt's status and its date, nothing else."""
    services = open_case_services(settings)
    found = services.reports.status_by_receipt(receipt)
    if found is None:
        print(messages.RECEIPT_NOT_FOUND, file=sys.stderr)
        return NOT_FOUND
    if as_json:
        print(json.dumps(found.to_json(), ensure_ascii=False))
    else:
        local = found.updated_at.astimezone(services.policy.office.zone)
        print(messages.receipt_status(found.receipt, found.status, f"{local:%Y-%m-%d %H:%M}"))
    return 0


def _read_json(source: str, stdin: IO[str]) -> Any:
    try:
        if source == "-":
            return json.load(stdin)
        with open(source, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ReportRejected(messages.NOT_JSON) from error


def _dedup_key(data: Any) -> str:
    """The same JSON filed twice (a command run again) is one report."""
    canonical = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "intake:" + hashlib.sha256(canonical.encode()).hexdigest()


def os_user() -> str:
    """Who runs the command, as the audit log and the consent record name them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
