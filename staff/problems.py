"""Refusals as Korean sentences: request validation errors, and the status code of each
refusal of the case store."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cases.errors import AccessDenied, CaseError, CaseNotFound
from staff import messages


def validation_message(errors: Sequence[Any]) -> str:
    """One Korean sentence naming each field that is wrong and how."""
    problems: list[str] = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
        field = location[0] if location else "body"
        problem = messages.PROBLEMS.get(str(error.get("type", "")), messages.PROBLEM_OTHER)
        line = messages.field_problem(field, problem)
        if line not in problems:
            problems.append(line)
    return " ".join([messages.INPUT_PROBLEM, *(f"{line}." for line in problems)])


def status_of(error: CaseError) -> int:
    """404 unknown case, 403 outside the viewer's areas, 409 a change the case's state
    refuses, 422 anything else that was asked wrongly."""
    if isinstance(error, CaseNotFound):
        return 404
    if isinstance(error, AccessDenied):
        return 403
    if isinstance(error, ValueError):
        return 422
    return 409
