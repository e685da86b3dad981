"""What every request of the console works with, kept on the application's state."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from cases.service import CaseServices
from core.clock import Clock
from core.settings import Settings
from staff.throttle import SignInThrottle


@dataclass(frozen=True)
class Console:
    settings: Settings
    services: CaseServices
    throttle: SignInThrottle
    clock: Clock


def console_of(request: Request) -> Console:
    console: Console = request.app.state.console
    return console
