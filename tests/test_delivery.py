"""The outbox sends through the real python-telegram-bot and slack_sdk clients to loopback APIs:
limits, 429, blocked people, the daytime window, two workers, and a SIGKILL mid fan-out."""

from __future__ import annotations

import asyncio
import os
import signal
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot import delivery
from bot.app import build_engine
from bot.channels.telegram import TelegramSender
from bot.delivery import Deliverer, Message, Pace
from bot.features import participants
from bot.settings import Settings
from bot.storage import PlanRecord, Store
from bot.storage.participant_tables import BlockedRecipient, OutboxMessage, Participant
from tests.conftest import reminders_send
from tests.fakes.bot_api_limits import LimitedTelegramAPI
from tests.fakes.slack_api import FakeSlackAPI
from tests.fakes.telegram_api import TOKEN

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-03-02T10:00:00+01:00")
# before the Leiden plan's first reminder: the fan-out is the only thing to send
QUIET = datetime.fromisoformat("2026-01-12T10:00:00+01:00")

LEIDEN_PLAN: dict[str, Any] = {
    "titel": "Herinrichting Lindenplein",
    "gemeente": "leiden",
    "initiatiefnemer_type": "gemeente",
    "initiatiefnemer": "Team Openbare Ruimte",
    "beslisser": "college",
    "accounthouder": "Sam Voorbeeld",
    "accounthouder_email": "sam.voorbeeld@example.org",
    "eigenaar_email": "eigenaar@example.org",
    "besluitdatum": "2026-10-01",
    "rapportage_datum": "2026-09-03",
    "evaluatie_datum": "2026-11-12",
    "activiteiten": [
        {
            "type": "bijeenkomst",
            "omschrijving": "Ontwerpavond",
            "datum": "2026-03-12",
            "plaats": "Buurthuis De Linde, 19:30 uur",
        },
        {
            "type": "online inbreng",
            "omschrijving": "Reageren op schetsen",
            "periode": {"van": "2026-03-01", "tot": "2026-03-29"},
        },
    ],
}


def make_plan(
    store: Store,
    owner: str = "console:tester",
    status: str = "in_uitvoering",
    **changes: Any,
) -> PlanRecord:
    """A Leiden plan in uitvoering (invented data)."""
    data = {**LEIDEN_PLAN, **changes}
    record = store.create_plan(owner, "leiden", data)
    store.save(owner, record.id, data, {}, status=status)
    return store.plan(record.id)


def add_participants(store: Store, plan_id: str, identities: list[str], now: datetime) -> None:
    """Participants who agreed already (bulk, for fan-outs)."""
    rows = [
        {
            "plan_id": plan_id,
            "identity": identity,
            "status": "active",
            "consented_at": now,
            "keep_until": datetime(2027, 1, 1).date(),
            "created_at": now,
        }
        for identity in identities
    ]
    with Session(store.engine) as s, s.begin():
        s.execute(insert(Participant), rows)


def statuses(store: Store) -> dict[str, int]:
    return delivery.counts(store)


def tg_settings(tmp_path: Path, api: LimitedTelegramAPI, **extra: Any) -> Settings:
    return Settings(
        data_dir=tmp_path / "var",
        now=NOW,
        telegram_token=TOKEN,
        telegram_base_url=api.base_url,
        _env_file=None,
        **extra,
    )


async def deliver(store: Store, settings: Settings, pace: dict[str, Pace] | None = None):
    senders = await delivery.open_senders(settings, store)
    try:
        pace = pace or delivery.paces(settings)
        return await Deliverer(store, senders, pace).run(settings.clock)
    finally:
        await delivery.close_senders(senders)


async def test_an_update_reaches_every_participant_once(tmp_path: Path) -> None:
    async with LimitedTelegramAPI(overall=200) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=200)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        people = [f"telegram:{1000 + i}" for i in range(40)]
        add_participants(store, plan.id, people, NOW)
        n = participants.post_update(store, settings, plan, plan.owner, "Het ontwerp is klaar.")
        assert n == 40
        stats = await deliver(store, settings)
        store.close()
    assert stats.sent == 40 and api.too_many == 0 and api.duplicates == 0
    assert api.chats("Het ontwerp is klaar.") == {1000 + i for i in range(40)}
    shown = next(t for (_, t) in api.received)
    # signed with the plan, the sender and the contact person; the way out on the channel
    assert "Nieuws over ‘Herinrichting Lindenplein’ in Leiden:" in shown
    assert "Namens Team Openbare Ruimte (Leiden)." in shown
    assert "Sam Voorbeeld (sam.voorbeeld@example.org)" in shown
    assert f"afmelden {participants.invitation_code(store, plan.id)}" in shown


async def test_retry_after_is_honoured(tmp_path: Path) -> None:
    async with LimitedTelegramAPI(overall=200) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=200)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        add_participants(store, plan.id, ["telegram:7", "telegram:8"], NOW)
        participants.post_update(store, settings, plan, plan.owner, "Even geduld.")
        api.throttle("sendMessage", times=2, retry_after=1)
        started = time.monotonic()
        stats = await deliver(store, settings)
        elapsed = time.monotonic() - started
        store.close()
    assert stats.retried == 2 and stats.sent == 2
    assert elapsed >= 1.0  # the channel waited as asked before it tried again
    assert api.chats("Even geduld.") == {7, 8} and api.duplicates == 0


async def test_one_chat_gets_at_most_its_rate_and_in_order(tmp_path: Path) -> None:
    # Telegram's 1 message/s per chat, raised to 10/s here so the test runs fast
    async with LimitedTelegramAPI(overall=200, per_chat=10) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=200)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store, owner="telegram:5")
        msgs = [
            Message("telegram:5", f"Bericht {i}", "notice", plan.id, daytime=False)
            for i in range(6)
        ]
        delivery.enqueue(store, msgs, NOW)
        stats = await deliver(store, settings, {"telegram": Pace(200, 10)})
        store.close()
    assert stats.sent == 6 and stats.retried == 0 and api.too_many == 0
    assert api.texts(5) == [f"Bericht {i}" for i in range(6)]


async def test_a_participant_who_blocked_the_bot_is_marked_and_skipped(
    tmp_path: Path,
) -> None:
    async with LimitedTelegramAPI(overall=200) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=200)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        add_participants(store, plan.id, ["telegram:21", "telegram:22"], NOW)
        api.blocked.add(22)
        participants.post_update(store, settings, plan, plan.owner, "Eerste update.")
        first = await deliver(store, settings)
        participants.post_update(store, settings, plan, plan.owner, "Tweede update.")
        second = await deliver(store, settings)
        assert delivery.is_blocked(store, "telegram:22")
        assert [p.identity for p in participants.participants(store, plan.id)] == ["telegram:21"]
        # talking to the bot again means the block is lifted
        engine = build_engine(store, settings)
        await engine.handle("telegram:22", "mijngegevens")
        unblocked = not delivery.is_blocked(store, "telegram:22")
        store.close()
    assert first.sent == 1 and first.blocked == 1
    assert second.sent == 1 and second.blocked == 0  # not tried again
    assert api.texts(21)[-1].startswith("Nieuws over") and "Tweede update." in api.texts(21)[-1]
    assert api.chats("Tweede update.") == {21}
    assert unblocked


async def test_updates_wait_for_the_daytime_window(tmp_path: Path) -> None:
    async with LimitedTelegramAPI(overall=200) as api:
        evening = datetime.fromisoformat("2026-03-02T21:30:00+01:00")
        settings = tg_settings(tmp_path, api, telegram_rate=200)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        add_participants(store, plan.id, ["telegram:31"], NOW)
        participants.post_update(store, settings, plan, plan.owner, "Laat nieuws.", now=evening)
        senders = await delivery.open_senders(settings, store)
        try:
            night = await Deliverer(store, senders, delivery.paces(settings)).run(lambda: evening)
            morning_at = datetime.fromisoformat("2026-03-03T09:00:00+01:00")
            morning = await Deliverer(store, senders, delivery.paces(settings)).run(
                lambda: morning_at
            )
        finally:
            await delivery.close_senders(senders)
        store.close()
    assert night.sent == 0 and morning.sent == 1
    assert api.chats("Laat nieuws.") == {31}


async def test_slack_direct_messages_and_429(tmp_path: Path) -> None:
    api = FakeSlackAPI()
    url = await api.start()
    try:
        settings = Settings(
            data_dir=tmp_path / "var",
            now=NOW,
            slack_bot_token=api.token,
            slack_api_url=url,
            slack_rate=50,
            _env_file=None,
        )
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        add_participants(store, plan.id, ["slack:T0TEST/U1", "slack:T0TEST/U2"], NOW)
        participants.post_update(store, settings, plan, plan.owner, "Nieuws <voor> Slack & co")
        api.rate_limit("chat.postMessage", times=1)
        stats = await deliver(store, settings)
        store.close()
    finally:
        await api.close()
    assert stats.sent == 2 and stats.retried == 1
    texts = api.texts()
    assert len(texts) == 2
    assert all("Nieuws <voor> Slack & co" in t for t in texts)


# ---------------------------------------------------------------------- two workers at once
async def test_two_workers_never_send_the_same_message(tmp_path: Path, db_url: str) -> None:
    async with LimitedTelegramAPI(overall=1000) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=1000, database_url=db_url)
        store = Store(settings.db_url, clock=settings.clock)
        plan = make_plan(store)
        add_participants(store, plan.id, [f"telegram:{5000 + i}" for i in range(120)], NOW)
        participants.post_update(store, settings, plan, plan.owner, "Samen versturen.")
        a = TelegramSender(settings, store)
        b = TelegramSender(settings, store)
        await a.start()
        await b.start()
        try:
            first, second = await asyncio.gather(
                Deliverer(store, {"telegram": a}, delivery.paces(settings)).run(settings.clock),
                Deliverer(store, {"telegram": b}, delivery.paces(settings)).run(settings.clock),
            )
        finally:
            await a.close()
            await b.close()
        left = statuses(store)
        store.close()
    assert first.sent + second.sent == 120
    assert api.duplicates == 0 and len(api.chats("Samen versturen.")) == 120
    assert left == {"sent": 120}


# ---------------------------------------------------------------------- SIGKILL mid fan-out
async def _sender(settings: Settings, api: LimitedTelegramAPI) -> asyncio.subprocess.Process:
    return await reminders_send(
        data_dir=settings.data_dir, now=QUIET, telegram_url=api.base_url, token=TOKEN, rate=300
    )


async def test_a_fan_out_killed_mid_way_resumes_without_loss(tmp_path: Path) -> None:
    n = 1000
    async with LimitedTelegramAPI(overall=300, keep_calls=False) as api:
        settings = tg_settings(tmp_path, api, telegram_rate=300)
        store = Store(settings.db_url, clock=lambda: QUIET)
        plan = make_plan(store)
        add_participants(store, plan.id, [f"telegram:{10_000 + i}" for i in range(n)], QUIET)
        participants.post_update(
            store, settings, plan, plan.owner, "Grote update voor iedereen.", now=QUIET
        )
        store.close()

        first = await _sender(settings, api)
        await api.wait_for(lambda: len(api.received) >= 300, timeout=60)
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
        at_kill = len(api.received)
        assert at_kill < n  # really killed mid-way

        second = await _sender(settings, api)
        out, err = await asyncio.wait_for(second.communicate(), 120)
        assert second.returncode == 0, err.decode()

    assert api.chats("Grote update voor iedereen.") == {10_000 + i for i in range(n)}
    # a message goes out twice only when the process died between the answer and the mark
    assert api.duplicates <= delivery.MAX_IN_FLIGHT
    store = Store(settings.db_url, clock=settings.clock)
    assert statuses(store) == {"sent": n}
    with Session(store.engine) as s:
        assert s.scalar(select(BlockedRecipient.identity)) is None
        assert s.scalar(select(OutboxMessage.id).where(OutboxMessage.status != "sent")) is None
    store.close()
    assert "verstuurd:" in out.decode()


def test_claims_of_a_dead_process_are_taken_over(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'd.db'}", clock=lambda: NOW.astimezone(UTC))
    plan = make_plan(store)
    delivery.enqueue(store, [Message("telegram:1", "hallo", "notice", plan.id)], NOW)
    gone = f"{delivery.HOST}:{2**22 + 12345}:dead"  # a pid no process has
    alive = f"{delivery.HOST}:{os.getpid()}:other-live-run"
    with Session(store.engine) as s, s.begin():
        s.execute(
            OutboxMessage.__table__.update().values(
                status="sending", claimed_by=gone, claimed_at=datetime.now(UTC)
            )
        )
    freed = Deliverer(store, {}, {}).recover()
    delivery._LIVE_RUNS.add(alive)
    try:
        with Session(store.engine) as s, s.begin():
            s.execute(
                OutboxMessage.__table__.update().values(
                    status="sending", claimed_by=alive, claimed_at=datetime.now(UTC)
                )
            )
        kept = Deliverer(store, {}, {}).recover()
    finally:
        delivery._LIVE_RUNS.discard(alive)
    store.close()
    assert freed == 1 and kept == 0


async def test_only_a_turn_that_stores_a_message_wakes_the_worker(tmp_path: Path) -> None:
    # a round reads the whole outbox: after every turn it cost more than the turn itself
    settings = Settings(data_dir=tmp_path / "var", now=QUIET, _env_file=None)
    store = Store(settings.db_url, clock=settings.clock)
    engine = build_engine(store, settings)
    plan = make_plan(store)
    waiting = asyncio.create_task(delivery.wait_for_work(30))
    await asyncio.sleep(0)
    try:
        await engine.start("console:owner-1", gemeente="leiden")
        await engine.handle("console:owner-1", "Buurtmoestuin")
        await asyncio.sleep(0.2)
        assert not waiting.done()  # an answer stored nothing to send

        # a message stored on a thread that is not the worker's (as turns run) wakes it
        def store_one() -> int:
            message = Message("telegram:4242", "Het ontwerp is klaar.", "update", plan.id)
            return delivery.enqueue(store, [message], QUIET)

        assert await asyncio.to_thread(store_one) == 1
        await asyncio.wait_for(waiting, 2)
    finally:
        waiting.cancel()
        store.close()
