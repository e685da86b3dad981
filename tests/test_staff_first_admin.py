"""The first admin of an embedded ieum: created once on the SQLite default, never on a
configured database, with the password from the environment or a random one shown once."""

from __future__ import annotations

from pathlib import Path

from cases.db import create_db_engine, upgrade_database
from cases.service import case_services
from core.settings import Settings
from ieum.run import where_to_talk
from staff import messages
from staff.first_admin import FIRST_ADMIN_LOGIN, first_admin
from tests.case_fixtures import FAST_HASHER


def embedded(tmp_path: Path, admin_password: str = "") -> Settings:
    return Settings(
        data_dir=tmp_path,
        database_url=f"sqlite:///{tmp_path / 'ieum.db'}",
        staff_admin_password=admin_password,
    )


def test_the_first_run_creates_an_admin_with_a_password_shown_once(tmp_path: Path) -> None:
    settings = embedded(tmp_path)
    engine = create_db_engine(settings.database_url)
    upgrade_database(engine)
    services = case_services(engine, password_hasher=FAST_HASHER)
    said = first_admin(settings, services)
    password = said.split("비밀번호: ")[1].split("\n")[0]
    assert len(password) >= 12
    account = services.staff.verify(FIRST_ADMIN_LOGIN, password)
    assert account is not None and account.role == "admin"
    assert first_admin(settings, services) == messages.SIGN_IN_HINT, "only once"
    shown = where_to_talk(settings, said)
    assert "http://127.0.0.1:8090/" in shown and password in shown


def test_the_password_can_come_from_the_environment(tmp_path: Path) -> None:
    settings = embedded(tmp_path, admin_password="a long local password")
    engine = create_db_engine(settings.database_url)
    upgrade_database(engine)
    services = case_services(engine, password_hasher=FAST_HASHER)
    said = first_admin(settings, services)
    assert "a long local password" not in said and "IEUM_STAFF_ADMIN_PASSWORD" in said
    assert services.staff.verify(FIRST_ADMIN_LOGIN, "a long local password") is not None


def test_a_configured_database_never_gets_an_account_this_way() -> None:
    settings = Settings(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    assert first_admin(settings) == messages.SIGN_IN_HINT
