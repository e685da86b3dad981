"""Signing in through the console: the throttle first, then the password check."""

from __future__ import annotations

import math

from cases.staff_sessions import SignedIn
from staff import messages
from staff.console import Console


class Throttled(Exception):
    """Too many failed sign-ins: try again in ``seconds``."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        self.message = messages.throttled(max(1, math.ceil(seconds / 60)))
        super().__init__(self.message)


def sign_in(console: Console, login: str, password: str, address: str | None) -> SignedIn | None:
    """A new session, None for a wrong login or password, ``Throttled`` when refused
    without checking."""
    wait = console.throttle.retry_after(login, address)
    if wait is not None:
        raise Throttled(wait)
    return console.services.sessions.sign_in(login, password, address)
