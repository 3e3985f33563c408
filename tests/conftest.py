"""Shared fixtures: settings on a temporary data dir with a fixed 'now', a store and an engine."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import shutil
import socket
import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine, inspect, text

import bot.channels.slack  # noqa: F401 - each chat channel registers its sender with the outbox
import bot.channels.teams  # noqa: F401
import bot.channels.telegram  # noqa: F401
from bot.app import build_engine
from bot.engine import Engine, Reply, Upload
from bot.settings import Settings
from bot.storage import Store
from bot.storage import store as store_module
from handreiking import pdf
from tests.fakes.telegram_api import FakeTelegramAPI

if TYPE_CHECKING:
    from tests.review_helpers import MailServer

NOW = "2026-01-12T10:00:00+01:00"

# Where the environment says PYTHONDONTWRITEBYTECODE, every test worker would rewrite every test
# module's asserts again, and every `participatiebot` process a test starts would compile the
# sources again (a few seconds a worker, a tenth of a second a process): the tests keep bytecode.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def _migration_script(url: str) -> str:
    """The migrations as one SQL script, written by Alembic for the dialect of `url`."""
    cfg = Config(output_buffer=io.StringIO())
    cfg.set_main_option("script_location", str(store_module.MIGRATIONS))
    cfg.attributes["url"] = url
    cfg.attributes["configure_logger"] = False
    command.upgrade(cfg, "heads", sql=True)
    return cfg.output_buffer.getvalue()


@pytest.fixture(scope="session", autouse=True)
def _migrated_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Replaying every migration takes most of a second. A test's new SQLite database starts as
    a copy of one database migrated once per test process; a new PostgreSQL schema gets the
    migrations' SQL script in one round trip. A database that has tables goes through Alembic."""
    migrate = store_module.upgrade
    template = tmp_path_factory.mktemp("migrated") / "template.db"
    migrate(f"sqlite:///{template}")
    scripts: dict[str, str] = {}

    def upgrade(url: str) -> None:
        path = Path(url.removeprefix("sqlite:///"))
        if url.startswith("sqlite:///") and not path.exists():
            shutil.copyfile(template, path)
            return
        if url.startswith("postgresql"):
            engine = create_engine(url)
            try:
                if not inspect(engine).has_table("alembic_version"):
                    script = scripts.get("postgresql") or _migration_script(url)
                    scripts["postgresql"] = script
                    # the script holds its own BEGIN and COMMIT
                    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                        c.exec_driver_sql(script)
                    return
            finally:
                engine.dispose()
        migrate(url)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "upgrade", upgrade)
        yield


@pytest.fixture(scope="session")
def warm_office() -> Iterator[pdf.Office | None]:
    """The one warm LibreOffice of the test session (None without LibreOffice)."""
    exe = shutil.which("soffice")
    if exe is None:
        yield None
        return
    office = pdf.office(exe)
    with contextlib.suppress(pdf.OfficeUnavailable):  # the tests that need it say so
        office.start()
    yield office
    office.stop()


@pytest.fixture(autouse=True)
def _cli_logs_end_with_the_test() -> Iterator[None]:
    """The command line logs to the data dir of its first run in a process: each test that
    runs it gets its own log, not one left behind by an earlier test."""
    yield
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_participatiebot", False)]:
        root.removeHandler(handler)
        handler.close()


@pytest.fixture(autouse=True)
def _pdf_only_when_asked(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only tests marked `pdf` make PDFs, all through one warm LibreOffice."""
    if "pdf" not in request.keywords:
        monkeypatch.setenv(pdf.SOFFICE, "")
    else:
        request.getfixturevalue("warm_office")


@pytest.fixture
def smtp() -> Iterator[MailServer]:
    """A mail server (aiosmtpd) on loopback that keeps what it receives."""
    from tests.review_helpers import MailServer  # it builds on this module's Chat

    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    # bound here, handed to uvicorn: the port is known before the links in the mail are made
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    yield sock
    sock.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        now=datetime.fromisoformat(NOW),
        _env_file=None,
    )


@pytest.fixture
def store(settings: Settings):
    s = Store(settings.db_url, clock=settings.clock)
    yield s
    s.close()


@pytest.fixture
def engine(store: Store, settings: Settings) -> Engine:
    return build_engine(store, settings)


class Chat:
    """A person talking to the engine; keeps the last replies for assertions."""

    def __init__(self, engine: Engine, identity: str = "console:tester") -> None:
        self.engine = engine
        self.identity = identity
        self.replies: list[Reply] = []

    async def start(self, **kw) -> str:
        self.replies = await self.engine.start(self.identity, **kw)
        return self.text

    async def say(self, text: str) -> str:
        self.replies = await self.engine.handle(self.identity, text)
        return self.text

    async def send(self, name: str, content: bytes) -> str:
        """Send a file, as a person attaches one in Telegram or Slack."""

        async def read() -> bytes:
            return content

        upload = Upload(name, len(content), read)
        self.replies = await self.engine.handle(self.identity, "", upload=upload)
        return self.text

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)

    @property
    def question(self) -> Reply:
        questions = [r for r in self.replies if r.kind == "question"]
        assert questions, f"no question in: {self.text}"
        return questions[-1]


@pytest.fixture
def chat(engine: Engine) -> Chat:
    return Chat(engine)


@pytest.fixture
async def telegram(settings: Settings, store: Store) -> AsyncIterator[FakeTelegramAPI]:
    """A started Telegram channel on a loopback Bot API; yields the Bot API."""
    from bot.channels.telegram import TelegramChannel

    async with FakeTelegramAPI() as api:
        update = {"telegram_token": api.token, "telegram_base_url": api.base_url}
        s = settings.model_copy(update={**update, "telegram_rate": 0})
        channel = TelegramChannel(s, build_engine(store, s), store)
        await channel.start()
        yield api
        await channel.stop()


# ---------------------------------------------------------------- SQLite and PostgreSQL
PG_URL = os.environ.get(
    "PARTICIPATIEBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _pg_available() -> str | None:
    try:
        engine = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as e:  # any failure to connect means: no PostgreSQL here
        return str(e).splitlines()[0]


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    with postgres_schema() as url:
        yield url


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards. Skips without
    PostgreSQL, or fails when PARTICIPATIEBOT_REQUIRE_POSTGRES=1."""
    reason = _pg_available()
    if reason:
        if os.environ.get("PARTICIPATIEBOT_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but unreachable at {PG_URL}: {reason}")
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {reason}")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()


async def reminders_send(
    *,
    data_dir: Path,
    now: datetime,
    telegram_url: str,
    token: str,
    rate: int,
    database_url: str | None = None,
) -> asyncio.subprocess.Process:
    """One `participatiebot reminders send` process, as cron or a second host starts it."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SLACK_", "SMTP_", "TELEGRAM_", "PARTICIPATIEBOT_"))
    }
    env |= {
        "PARTICIPATIEBOT_DATA_DIR": str(data_dir),
        "PARTICIPATIEBOT_NOW": now.isoformat(),
        "PARTICIPATIEBOT_TELEGRAM_RATE": str(rate),
        "TELEGRAM_TOKEN": token,
        "TELEGRAM_BASE_URL": telegram_url,
    }
    if database_url:
        env["PARTICIPATIEBOT_DATABASE_URL"] = database_url
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "reminders",
        "send",
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
