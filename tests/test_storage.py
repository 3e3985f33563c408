"""The store on SQLite and PostgreSQL: migrations match the models, answers survive."""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, text

from bot.engine import Engine
from bot.storage import Store
from bot.storage.tables import Base
from tests.conftest import Chat
from tests.interviews import HEERLEN

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


def test_migrations_create_exactly_the_models(db_url):
    store = Store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_plan_ids_are_numbered_and_answers_kept(db_url):
    store = Store(db_url)
    first = store.create_plan("console:a", "leiden", {"titel": "Een"})
    second = store.create_plan("console:b", "heerlen", {})
    assert first.id.endswith("-0001") and second.id.endswith("-0002")
    store.save("console:a", first.id, {"titel": "Een 🌳 & <twee>"}, {"done": ["titel"]})
    assert store.plan(first.id).data == {"titel": "Een 🌳 & <twee>"}
    assert store.state("console:a", first.id) == {"done": ["titel"]}
    assert [p.id for p in store.plans(gemeente="heerlen")] == [second.id]
    assert store.delete_plan(first.id) and store.plan(first.id) is None
    store.close()


def test_a_repeated_delivery_is_recognised(db_url):
    store = Store(db_url)
    assert store.first_delivery("telegram", "42")
    assert not store.first_delivery("telegram", "42")
    assert store.first_delivery("slack", "42")
    store.close()


async def test_whole_interview_on_each_database(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    chat = Chat(Engine(store, settings))
    await chat.start(gemeente="heerlen")
    for fragment, answer in HEERLEN:
        assert fragment.lower() in chat.question.text.lower()
        await chat.say(answer)
    await chat.say("ja")
    assert any(r.kind == "done" for r in chat.replies)
    record = store.plans(owner="console:tester")[0]
    assert record.status == "compleet"
    assert record.data["initiatiefnemer"] == "Stichting Samen Parkstraat"
    store.close()
