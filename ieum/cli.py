"""The ``ieum`` command: one entry point, each subcommand handled by its component.

The command line sits on top of every component. It imports a subcommand's handler only
when that subcommand runs, so ``ieum match`` does not load Telegram, Redis and the
embedding libraries first (about 0.6 s instead of 2 s); no import cycle needs it
(``tests/test_architecture.py``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from core.settings import Settings, get_settings
from ieum import messages


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(messages.BAD_DATE.format(text=text)) from error


def _checkin_pass(settings: Settings, command: str, args: argparse.Namespace) -> int:
    """``ieum checkins tick|worker``, sending through Telegram when a bot token is set.

    The worker ends its current pass on SIGTERM (the supervisor's stop) rather than
    dying between a send and its record."""
    import logging
    import signal
    import threading

    from cases import checkin_commands as checkin_cli
    from ieum.checkin_sending import telegram_checkin_sender

    sender = telegram_checkin_sender(settings)
    try:
        if command == "tick":
            return checkin_cli.tick_command(settings, args.now, sender)
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s"
        )
        # httpx logs every request URL, and Telegram's carry the bot token.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
        return checkin_cli.worker_command(
            settings, sender, settings.checkin_tick_seconds, stop=stop
        )
    finally:
        if sender is not None:
            sender.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ieum", description="ieum (이음) welfare companion")
    commands = parser.add_subparsers(dest="command", required=True)

    match = commands.add_parser("match", help="decide every program for a citizen profile")
    match.add_argument("--profile", required=True, help="profile JSON file, or - for stdin")
    match.add_argument("--json", action="store_true", help="print JSON")
    match.add_argument(
        "--next-question",
        action="store_true",
        help="print the one question that would settle the most programs now",
    )
    match.add_argument(
        "--date",
        type=_day,
        help="judge on this day, YYYY-MM-DD (default: today in Asia/Seoul)",
    )

    search = commands.add_parser("search", help="find programs for a free question")
    search.add_argument("query", nargs="?", help="the question")
    search.add_argument("--k", type=int, default=5, help="how many programs")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--file", type=Path, help="one query a line; one JSON list a line")

    catalog = commands.add_parser("catalog", help="the program catalog")
    catalog_commands = catalog.add_subparsers(dest="catalog_command", required=True)
    catalog_commands.add_parser("validate", help="check schema, references and test cases")
    audit = catalog_commands.add_parser(
        "audit", help="list figures never checked against their source, or checked long ago"
    )
    audit.add_argument("--date", type=_day, help="as of this day (default: today)")
    gov24 = catalog_commands.add_parser("import-gov24", help="import 보조금24 API JSON files")
    gov24.add_argument("files", nargs="+", type=Path)
    gov24.add_argument("--out", type=Path, help="output directory for the program files")

    index = commands.add_parser("index", help="the retrieval index")
    index_commands = index.add_subparsers(dest="index_command", required=True)
    build = index_commands.add_parser("build", help="build the index for the current catalog")
    build.add_argument("--force", action="store_true", help="rebuild even when current")

    escalations = commands.add_parser("escalations", help="conversations handed to a person")
    escalation_commands = escalations.add_subparsers(dest="escalations_command", required=True)
    listing = escalation_commands.add_parser("list", help="escalations not yet closed")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.add_argument("--all", action="store_true", help="include closed ones")

    cases = commands.add_parser("cases", help="the case store")
    case_commands = cases.add_subparsers(dest="cases_command", required=True)
    case_commands.add_parser("purge", help="erase reporters' contacts past the retention period")

    reports = commands.add_parser("reports", help="blind-spot reports (복지 사각지대)")
    report_commands = reports.add_subparsers(dest="reports_command", required=True)
    file_report = report_commands.add_parser("file", help="file a report taken by phone or visit")
    file_report.add_argument("--json", dest="source", required=True, help="report JSON file, or -")
    status = report_commands.add_parser("status", help="a receipt's status and its date")
    status.add_argument("receipt")
    status.add_argument("--json", action="store_true", help="print JSON")

    staff = commands.add_parser("staff", help="the staff console and its users")
    staff_commands = staff.add_subparsers(dest="staff_command", required=True)
    create_user = staff_commands.add_parser("create-user", help="add a member of staff")
    create_user.add_argument("login")
    create_user.add_argument("--role", required=True, choices=["worker", "supervisor", "admin"])
    create_user.add_argument(
        "--area", action="append", default=[], help="an area as citizens write it; repeatable"
    )
    create_user.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    serve = staff_commands.add_parser("serve", help="run the staff console (web pages and API)")
    serve.add_argument("--host", default=None, help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port to listen on (default 8090)")

    checkins = commands.add_parser("checkins", help="check-ins (안부확인)")
    checkin_commands = checkins.add_subparsers(dest="checkins_command", required=True)
    enrol = checkin_commands.add_parser("enrol", help="enrol a person and print their invitation")
    enrol.add_argument("--json", dest="source", required=True, help="enrolment JSON file, or -")
    tick = checkin_commands.add_parser("tick", help="one scheduling pass; prints JSON counts")
    tick.add_argument("--now", default=None, help="ISO 8601 with a zone (default: now)")
    checkin_commands.add_parser("worker", help="the check-in scheduler, until stopped")
    checkin_status = checkin_commands.add_parser("status", help="a person's check-ins")
    checkin_status.add_argument("person_id", type=int)
    checkin_status.add_argument("--json", action="store_true", help="print JSON")
    checkin_commands.add_parser(
        "resync", help="rebuild what Redis keeps (nothing: SQL only; the send budget refills)"
    )

    commands.add_parser("chat", help="chat with the assistant in the terminal (needs Rasa)")
    nlu = commands.add_parser("nlu", help="the Rasa language model")
    nlu_commands = nlu.add_subparsers(dest="nlu_command", required=True)
    nlu_parse = nlu_commands.add_parser("parse", help="intent and entities of each line")
    nlu_parse.add_argument(
        "--file", type=argparse.FileType("r", encoding="utf-8"), default="-", help="one text a line"
    )
    nlu_parse.add_argument("--json", action="store_true", help="print one JSON object a line")
    nlu_commands.add_parser("train", help="train the Rasa model unless today's is cached")

    commands.add_parser("run", help="start the whole system and chat in the terminal")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    if args.command == "match":
        from knowledge.commands import match_command

        return match_command(settings, args.profile, args.json, args.next_question, args.date)
    if args.command == "catalog" and args.catalog_command == "validate":
        from knowledge.commands import validate_command

        return validate_command(settings)
    if args.command == "catalog" and args.catalog_command == "audit":
        from knowledge.commands import audit_command

        return audit_command(settings, args.date)
    if args.command == "catalog" and args.catalog_command == "import-gov24":
        from knowledge.importers.gov24 import run_import

        return run_import(args.files, args.out or settings.imported_catalog_dir)
    if args.command == "index":
        from index.commands import build_command

        return build_command(settings, force=args.force)
    if args.command == "search":
        from index.commands import search_command

        return search_command(settings, args.query, args.k, args.json, args.file)
    if args.command == "escalations" and args.escalations_command == "list":
        from cases.commands import list_command

        return list_command(settings, args.json, args.all)
    if args.command == "cases" and args.cases_command == "purge":
        from cases.commands import purge_command

        return purge_command(settings)
    if args.command == "reports" and args.reports_command == "file":
        from cases.report_commands import file_command

        return file_command(settings, args.source)
    if args.command == "reports" and args.reports_command == "status":
        from cases.report_commands import status_command

        return status_command(settings, args.receipt, args.json)
    if args.command == "staff" and args.staff_command == "create-user":
        from cases.staff_commands import create_user_command

        return create_user_command(settings, args.login, args.role, args.area, args.password_stdin)
    if args.command == "staff" and args.staff_command == "serve":
        from staff.serve import serve_command

        return serve_command(settings, args.host, args.port)
    if args.command == "checkins":
        from cases import checkin_commands as checkin_cli

        if args.checkins_command == "enrol":
            return checkin_cli.enrol_command(settings, args.source)
        if args.checkins_command in ("tick", "worker"):
            return _checkin_pass(settings, args.checkins_command, args)
        if args.checkins_command == "status":
            return checkin_cli.status_command(settings, args.person_id, args.json)
        return checkin_cli.resync_command(settings)
    if args.command == "chat":
        import asyncio

        from bot.terminal import chat

        return asyncio.run(chat(settings))
    if args.command == "nlu" and args.nlu_command == "parse":
        from ieum.nlu_commands import parse_command

        return parse_command(settings, args.file, args.json)
    if args.command == "nlu" and args.nlu_command == "train":
        from ieum.nlu_commands import train_command

        return train_command(settings)
    if args.command == "run":
        from ieum.run import run_command

        return run_command(settings)
    raise AssertionError(f"unhandled command {args.command}")


if __name__ == "__main__":
    sys.exit(main())
