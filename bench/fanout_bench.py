"""One update fanned out to many participants through the loopback Bot API with Telegram's
limits enforced by the fake server (30 messages/s overall, 1/s per chat, 429 beyond).

Prints the achieved rate as a fraction of 30 messages a second, the 429 answers and the
duplicates (goal: >= 0.9, 0, 0). 10,000 participants take about 6 minutes at 30/s.
Usage: python bench/fanout_bench.py [participants] (default 10000)
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bot import delivery  # noqa: E402
from bot.channels import telegram  # noqa: E402, F401 - registers its sender with the outbox
from bot.delivery import Deliverer  # noqa: E402
from bot.features import participants  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.participant_tables import Participant  # noqa: E402
from tests.fakes.bot_api_limits import LimitedTelegramAPI  # noqa: E402
from tests.fakes.telegram_api import TOKEN  # noqa: E402

TELEGRAM_LIMIT = 30  # messages a second, overall (Telegram's guidance)
NOW = datetime.fromisoformat("2026-01-12T10:00:00+01:00")
TEXT = "De schetsen voor het plein zijn klaar. Kom kijken op de inloopavond."


def setup(store: Store, settings: Settings, n: int) -> str:
    record = store.create_plan("console:bench", "leiden", {"titel": "Herinrichting Lindenplein"})
    store.save("console:bench", record.id, record.data, {}, status="in_uitvoering")
    rows = [
        {
            "plan_id": record.id,
            "identity": f"telegram:{1_000_000 + i}",
            "status": "active",
            "consented_at": settings.clock(),
            "keep_until": datetime(2027, 1, 1).date(),
            "created_at": settings.clock(),
        }
        for i in range(n)
    ]
    with Session(store.engine) as s, s.begin():
        s.execute(insert(Participant), rows)
    return record.id


async def bench(n: int, tmp: Path) -> None:
    async with LimitedTelegramAPI(overall=TELEGRAM_LIMIT, per_chat=1, keep_calls=False) as api:
        settings = Settings(
            data_dir=tmp,
            now=NOW,
            telegram_token=TOKEN,
            telegram_base_url=api.base_url,
            telegram_rate=TELEGRAM_LIMIT,
            _env_file=None,
        )
        store = Store(settings.db_url, clock=settings.clock)
        plan_id = setup(store, settings, n)
        t0 = time.perf_counter()
        queued = participants.post_update(
            store, settings, store.plan(plan_id), "console:bench", TEXT
        )
        stored_ms = (time.perf_counter() - t0) * 1000
        senders = await delivery.open_senders(settings, store)
        t0 = time.perf_counter()
        try:
            stats = await Deliverer(store, senders, delivery.paces(settings)).run(settings.clock)
        finally:
            await delivery.close_senders(senders)
        elapsed = time.perf_counter() - t0
        store.close()
    reached = len(api.chats(TEXT))
    span = (api.last_at or 0) - (api.first_at or 0)
    rate = (reached - 1) / span if span > 0 else float("nan")
    print(f"participants: {n}; update stored for {queued} in {stored_ms:.0f} ms")
    print(f"sent: {stats.sent} in {elapsed:.1f} s; reached: {reached}; missing: {n - reached}")
    print(
        f"achieved rate: {rate:.2f} messages/s = {rate / TELEGRAM_LIMIT:.3f} of {TELEGRAM_LIMIT}/s"
    )
    print(f"429 answers: {api.too_many} (retried by the sender: {stats.retried})")
    print(f"duplicates: {api.duplicates}")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(bench(n, Path(tmp)))


if __name__ == "__main__":
    main()
