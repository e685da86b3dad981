"""The shape every form of the console's pages shares: the CSRF check, then the change
(the form validated and the desk asked), then the next page; a refused change shows the
same page again with the reason, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError

from cases.errors import CaseError
from staff.auth import StaffMember
from staff.problems import status_of, validation_message

Made = TypeVar("Made")

Refused = Callable[[str, int], Response]
"""The form's page again, with the Korean reason and the status code to answer with."""


class FormRefused(CaseError, ValueError):
    """A form the page refuses before the desk is asked (answered with 422)."""


def submit_form(
    member: StaffMember,
    csrf: str,
    change: Callable[[], Made],
    *,
    done: Callable[[Made], Response],
    refused: Refused,
) -> Response:
    """Check ``csrf``, then make ``change`` (it validates the form and calls the desk) and
    answer with ``done`` of what it made. A form that does not validate is ``refused``
    with 422, a change the store refuses with the refusal's own code (409 for the state,
    422 for the input); an unknown record (404) or one outside the member's areas (403)
    is raised for the error page."""
    member.check_csrf(csrf)
    try:
        made = change()
    except ValidationError as error:
        return refused(validation_message(error.errors()), 422)
    except CaseError as error:
        status_code = status_of(error)
        if status_code in (403, 404):
            raise
        return refused(error.message, status_code)
    return done(made)


def see_other(url: str) -> RedirectResponse:
    """After a change that went through: the browser shows ``url`` (GET, 303)."""
    return RedirectResponse(url, status_code=303)
