"""Several bot processes on one database: a shared fan-out with one process killed, the rate
limit held by all processes together, and Telegram long polling in one process only."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot import delivery
from bot.app import build_engine
from bot.channels.telegram import POLLING_LEASE, TelegramChannel
from bot.delivery import Message
from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import OutboxMessage
from bot.storage.shared import acquire_lease, lease_holder, take_token
from handreiking.reminders import in_window
from tests.conftest import postgres_schema, reminders_send
from tests.fakes.bot_api_limits import LimitedTelegramAPI
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI
from tests.test_telegram import telegram_settings

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-01-12T10:00:00+01:00")
TEXT = "De schetsen voor het plein zijn klaar. Kom kijken op de inloopavond."
RATE = 300  # messages a second, for all processes together (raised from 30 to keep it short)
FANOUT = 3000


@pytest.fixture
def pg_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


async def _worker(url: str, data_dir: Path, api: LimitedTelegramAPI) -> asyncio.subprocess.Process:
    return await reminders_send(
        data_dir=data_dir,
        now=NOW,
        telegram_url=api.base_url,
        token=TOKEN,
        rate=RATE,
        database_url=url,
    )


async def test_three_processes_share_a_fan_out_and_the_rate(tmp_path: Path, pg_url: str) -> None:
    store = Store(pg_url)
    people = [f"telegram:{20_000 + i}" for i in range(FANOUT)]
    messages = [Message(p, TEXT, "update", dedupe=f"u:{p}", daytime=False) for p in people]
    assert delivery.enqueue(store, messages, NOW) == FANOUT
    store.close()

    async with LimitedTelegramAPI(overall=RATE, per_chat=1, keep_calls=False) as api:
        workers = [await _worker(pg_url, tmp_path / f"w{i}", api) for i in range(3)]
        victim = workers[0]
        await api.wait_for(lambda: len(api.received) >= FANOUT // 3, timeout=60)
        assert victim.returncode is None, (await victim.stderr.read()).decode()[-2000:]
        victim.send_signal(signal.SIGKILL)
        assert await victim.wait() == -signal.SIGKILL
        at_kill = len(api.received)
        outputs = [await asyncio.wait_for(w.communicate(), 90) for w in workers[1:]]

    assert at_kill < FANOUT  # really killed mid-way
    for worker, (out, err) in zip(workers[1:], outputs, strict=True):
        assert worker.returncode == 0, err.decode()[-2000:]
        assert "verstuurd:" in out.decode(), err.decode()[-2000:]
    assert api.chats(TEXT) == {20_000 + i for i in range(FANOUT)}
    # a message goes out twice only when its process died between the answer and the mark
    assert api.duplicates <= delivery.MAX_IN_FLIGHT
    # the fake API answers 429 when more than RATE messages arrive in any second
    assert api.too_many == 0
    store = Store(pg_url, migrate=False)
    with Session(store.engine) as s:
        left = dict(s.execute(select(OutboxMessage.status, func.count()).group_by("status")).all())
    store.close()
    assert left == {"sent": FANOUT}


def test_the_shared_budget_holds_across_connections(db_url: str) -> None:  # noqa: F811
    """Two 'processes' (engines) asking one budget get no more than the rate between them."""
    first, second = Store(db_url), Store(db_url, migrate=False)
    granted = 0
    start = time.monotonic()
    while time.monotonic() - start < 1.0:
        for store in (first, second):
            if take_token(store.engine, "telegram", rate=20) == 0.0:
                granted += 1
    first.close()
    second.close()
    # one saved up, then 20 a second: never more; fewer only when the machine is busy
    assert 5 <= granted <= 21


def test_the_due_query_reads_the_claim_index_on_postgresql(pg_url: str) -> None:
    store = Store(pg_url)
    query = (
        select(OutboxMessage.id)
        .where(*store.due_where(["telegram"], NOW, night=not in_window(NOW)))
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(1)
    )
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as conn:
        conn.execute(text("SET enable_seqscan = off"))  # an empty table: ask what it would do
        plan = "\n".join(conn.execute(text(f"EXPLAIN {sql}")).scalars())
    store.close()
    assert "ix_message_outbox_claim" in plan


# ---------------------------------------------------------------------- long polling
@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


async def _channel(settings: Settings, url: str, api: FakeTelegramAPI) -> TelegramChannel:
    store = Store(url, clock=settings.clock)
    s = telegram_settings(settings, api)
    channel = TelegramChannel(s, build_engine(store, s), store)
    channel.lease_seconds = 1.5
    await channel.start()
    return channel


async def _close(channel: TelegramChannel) -> None:
    await channel.stop()
    channel.store.close()


async def test_one_process_polls_and_the_other_takes_over(
    settings: Settings,
    db_url: str,  # noqa: F811
    api: FakeTelegramAPI,
) -> None:
    first = await _channel(settings, db_url, api)
    second = await _channel(settings, db_url, api)
    try:
        assert first.polling and not second.polling
        assert second.mode == "long polling door een ander proces"
        api.push(api.message(801, "/start"))
        await api.reply(801, "Hoe heet je opgave")
        await _close(first)
        deadline = time.monotonic() + 5
        while not second.polling and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert second.polling
        assert lease_holder(second.store.engine, POLLING_LEASE) == second._holder
        since = len(api.sent(802))
        api.push(api.message(802, "/start"))
        await api.reply(802, "Hoe heet je opgave", since)
    finally:
        await _close(second)


async def test_a_lease_of_a_killed_process_runs_out(
    settings: Settings,
    db_url: str,  # noqa: F811
    api: FakeTelegramAPI,
) -> None:
    store = Store(db_url)
    # a process that was killed cannot give its lease back: it holds it until it runs out
    assert acquire_lease(store.engine, POLLING_LEASE, "elders:4242:weg", 1.0)
    store.close()
    channel = await _channel(settings, db_url, api)
    try:
        assert not channel.polling
        deadline = time.monotonic() + 5
        while not channel.polling and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        assert channel.polling
        api.push(api.message(803, "/start"))
        await api.reply(803, "Hoe heet je opgave")
    finally:
        await _close(channel)


def test_a_claim_takes_the_oldest_and_no_more_than_asked(db_url: str) -> None:  # noqa: F811
    store = Store(db_url)
    people = [f"telegram:{i}" for i in range(40)]
    delivery.enqueue(store, [Message(p, "Hallo", "update", daytime=False) for p in people], NOW)
    first = delivery.Deliverer(store, {"telegram": object()}, {})  # type: ignore[dict-item]
    second = delivery.Deliverer(store, {"telegram": object()}, {})  # type: ignore[dict-item]
    a, b = first.claim_batch(NOW, 8), second.claim_batch(NOW, 8)
    left = delivery.counts(store)
    store.close()
    assert [r.identity for r in a] == people[:8]
    assert [r.identity for r in b] == people[8:16]
    assert left == {"sending": 16, "pending": 24}
