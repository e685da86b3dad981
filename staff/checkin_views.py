"""What the check-in pages and API share: the enrolment from JSON or from the form, and
the invitation as the console shows it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from cases.checkin_enrolment import (
    Enrolment,
    EnrolmentChange,
    EnrolmentRejected,
    change_from_json,
    enrolment_from_json,
)
from cases.checkin_service import Invitation
from staff import messages

FORM_CONTACTS = (1, 2)


def enrolment_of(data: Any) -> Enrolment:
    """The enrolment in ``data`` (the JSON of ``ieum checkins enrol``), checked.
    Text a database cannot hold (a NUL, half of a surrogate pair) is refused first."""
    if not _storable(data):
        raise EnrolmentRejected(messages.INPUT_PROBLEM)
    return enrolment_from_json(data)


def change_of(data: Any) -> EnrolmentChange:
    """The change of tier, schedule and contacts in ``data``, checked like an enrolment."""
    if not _storable(data):
        raise EnrolmentRejected(messages.INPUT_PROBLEM)
    return change_from_json(data)


def form_change(form: Mapping[str, Any]) -> dict[str, Any]:
    """The change JSON from the fields of the person page's edit form."""
    given = form_enrolment(form)
    return {key: given[key] for key in ("tier", "schedule", "contacts")}


def edit_fields(person: Mapping[str, Any]) -> dict[str, Any]:
    """The edit form's fields filled from the person's record."""
    fields: dict[str, Any] = {
        "tier": person["tier"],
        "days": [str(day) for day in person["schedule"]["days"]],
        "start": person["schedule"]["window"][0],
        "end": person["schedule"]["window"][1],
    }
    for contact in person["contacts"]:
        n = contact["position"]
        fields[f"contact{n}_name"] = contact["name"]
        fields[f"contact{n}_relation"] = contact["relation"] or ""
        fields[f"contact{n}_phone"] = contact["phone"]
    return fields


def form_enrolment(form: Mapping[str, Any]) -> dict[str, Any]:
    """The enrolment JSON from the fields of the form (empty contacts are left out; the
    consent only as far as it was given, so a missing one is refused by name)."""

    def text(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    contacts = [
        {
            "name": text(f"contact{n}_name"),
            "relation": text(f"contact{n}_relation") or None,
            "phone": text(f"contact{n}_phone"),
        }
        for n in FORM_CONTACTS
        if text(f"contact{n}_name") or text(f"contact{n}_phone")
    ]
    consent: dict[str, str] = {}
    if text("consent_by"):
        consent["by"] = text("consent_by")
    if text("consent_how"):
        consent["how"] = text("consent_how")
    if when := text("consent_at"):
        # <input type="datetime-local"> gives Seoul wall time without a zone.
        has_zone = when.endswith("Z") or "+" in when[10:] or when[10:].count("-") > 0
        consent["at"] = when if has_zone else f"{when}+09:00"
    days = form.get("days") or []
    return {
        "name": text("name"),
        "area": text("area"),
        "tier": text("tier"),
        "schedule": {
            "days": [int(day) if day.isdigit() else day for day in days],
            "window": [text("start"), text("end")],
        },
        "contacts": contacts,
        "consent": consent,
    }


def invitation_view(person_id: int, name: str, invitation: Invitation) -> dict[str, Any]:
    return {
        "person_id": person_id,
        "name": name,
        "link": invitation.link,
        "token": invitation.token,
        "expires_at": invitation.expires_at,
        "bot_missing": "/<bot>?" in invitation.link,
    }


def _storable(value: Any) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, Mapping):
        return all(_storable(key) and _storable(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return all(_storable(item) for item in value)
    return True
