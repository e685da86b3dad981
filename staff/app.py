"""The console application: pages, the JSON API, static files, refusals, and (when it
runs as ``ieum staff serve``) the reply delivery worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException

from cases.errors import CaseError
from cases.service import CaseServices, open_case_services
from core.clock import Clock, utc_now
from core.settings import Settings
from staff import api, checkin_api, checkin_pages, messages, pages
from staff.auth import SESSION_COOKIE, CsrfRefused, NotSignedIn, clear_session_cookies
from staff.console import Console
from staff.problems import status_of, validation_message
from staff.rendering import render
from staff.reply_delivery import deliver_replies
from staff.throttle import SignInThrottle, ThrottleLimits

STATIC_DIR = Path(__file__).resolve().parent / "static"
STOP_SECONDS = 10.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Pages and answers carry personal data: never cached, never framed, no outside sources.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self'; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" even to
    # this site itself, and the cross-site check could not tell its own forms apart.
    "Referrer-Policy": "same-origin",
}


def create_app(
    settings: Settings,
    services: CaseServices | None = None,
    clock: Clock = utc_now,
    *,
    deliver: bool = False,
) -> FastAPI:
    """The console on ``services`` (opened from ``settings`` when None). With ``deliver``
    it also delivers staff replies to Telegram while it serves."""
    services = services or open_case_services(settings, clock)
    console = Console(
        settings=settings,
        services=services,
        throttle=SignInThrottle(services.engine, ThrottleLimits.from_settings(settings), clock),
        clock=clock,
    )
    app = FastAPI(
        title="ieum staff console API",
        version="1",
        description=(
            "The JSON API of the ieum staff console. Sign in with POST /api/session; send "
            "the returned csrf value as X-CSRF-Token with every change."
        ),
        lifespan=_lifespan(console) if deliver else None,
        docs_url=None,
        redoc_url=None,
    )
    app.state.console = console
    app.include_router(api.router)
    app.include_router(checkin_api.router)
    app.include_router(pages.router)
    app.include_router(checkin_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/healthz", tags=["health"])
    def healthz() -> dict[str, str]:
        """200 while the console can reach its database."""
        with services.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return {"status": "ok"}

    app.middleware("http")(_security_headers)
    _refusals(app)
    return app


def _lifespan(console: Console) -> Callable[[FastAPI], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        stop = asyncio.Event()
        worker = asyncio.create_task(
            deliver_replies(console.settings, console.services.replies, stop)
        )
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(worker, STOP_SECONDS)

    return lifespan


async def _security_headers(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    if request.method not in SAFE_METHODS and _cross_site(request):
        # A browser says where a form or fetch came from: another site's page may not sign
        # someone in (login CSRF) or change anything, whatever cookies it could send.
        response = _problem(request, 403, messages.CSRF_REFUSED)
    else:
        response = await call_next(request)
    response.headers.update(SECURITY_HEADERS)
    if not request.url.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


def _cross_site(request: Request) -> bool:
    origin = request.headers.get("origin")
    if origin is None:
        return False
    return origin == "null" or urlsplit(origin).netloc != request.headers.get("host")


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _problem(request: Request, status_code: int, detail: str) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": detail}, status_code=status_code)
    return render(request, "error.html", status_code=status_code, problem=detail)


def _refusals(app: FastAPI) -> None:
    @app.exception_handler(NotSignedIn)
    async def not_signed_in(request: Request, _error: NotSignedIn) -> Response:
        if _is_api(request):
            response: Response = JSONResponse({"detail": messages.NOT_SIGNED_IN}, status_code=401)
        else:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            # A browser that still had a session cookie is told its sign-in has ended.
            ended = SESSION_COOKIE in request.cookies
            response = RedirectResponse(f"/login?{_next(target, ended)}", status_code=303)
        clear_session_cookies(response)
        return response

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _error: CsrfRefused) -> Response:
        return _problem(request, 403, messages.CSRF_REFUSED)

    @app.exception_handler(CaseError)
    async def case_refused(request: Request, error: CaseError) -> Response:
        return _problem(request, status_of(error), error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return _problem(request, 422, validation_message(error.errors()))

    @app.exception_handler(HTTPException)
    async def http_refused(request: Request, error: HTTPException) -> Response:
        detail = messages.PAGE_NOT_FOUND if error.status_code == 404 else messages.INPUT_PROBLEM
        response = _problem(request, error.status_code, detail)
        if error.headers:
            response.headers.update(error.headers)
        return response


def _next(target: str, ended: bool) -> str:
    return urlencode({"next": target, **({"ended": "1"} if ended else {})})
