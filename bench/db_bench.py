"""The database under load: the due-reminder query with 1,000,000 scheduled reminders on
PostgreSQL and SQLite, and fan-out throughput with 1, 2 and 4 worker processes on PostgreSQL.

Part 1 stores `rows` reminders in the outbox (COPY on PostgreSQL, executemany on SQLite): most
wait for a later day, some were sent, 1,000 are due now. It times the claim query (the oldest
due message) and the `reminders due` query (every due message).
Part 2 enqueues a fan-out and runs `participatiebot reminders send` in 1, 2 and 4 processes
against the loopback Bot API: once with the fake API's limit raised (the engine's own capacity)
and once at Telegram's 30 messages a second (goal: 0 answers 429).
Usage: python bench/db_bench.py [rows] [fan-out at raised limit] [fan-out at 30/s]
(default 1000000 2000 450; about 3 minutes on 2 cores). Needs PostgreSQL (see
PARTICIPATIEBOT_TEST_POSTGRES_URL); without it only SQLite is measured.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, select, text  # noqa: E402

from bot import delivery  # noqa: E402
from bot.delivery import Deliverer, Message  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.participant_tables import OutboxMessage  # noqa: E402
from tests.fakes.bot_api_limits import LimitedTelegramAPI  # noqa: E402
from tests.fakes.telegram_api import TOKEN  # noqa: E402

PG_URL = os.environ.get(
    "PARTICIPATIEBOT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
NOW = datetime.fromisoformat("2026-01-12T10:00:00+01:00").astimezone(UTC)
DUE = 1000
TELEGRAM_LIMIT = 30
COLUMNS = (
    "channel, identity, plan_id, kind, ref, dedupe, text, daytime, not_before, status, "
    "attempts, created_at"
)


# ---------------------------------------------------------------------- part 1: the due query
def reminder_rows(n: int) -> Iterator[tuple]:
    """n reminders: DUE due now, a tenth sent last month, the rest due over the next year."""
    for i in range(n):
        if i % 10 == 0:
            status, at = "sent", NOW - timedelta(days=30, seconds=i)
        elif i % (n // DUE) == 1:
            status, at = "pending", NOW - timedelta(minutes=5)
        else:
            status, at = "pending", NOW + timedelta(seconds=1 + (i * 7919) % (365 * 86400))
        yield (
            "telegram",
            f"telegram:{i}",
            None,
            "reminder",
            "r:bench",
            f"r:bench:{i}",
            "Over drie weken is de inloopavond. Zet je de aankondiging klaar?",
            False,
            at,
            status,
            0,
            NOW - timedelta(days=60),
        )


def fill_postgres(store: Store, n: int) -> None:
    raw = store.engine.raw_connection()
    try:
        with raw.cursor() as cur, cur.copy(f"COPY message_outbox ({COLUMNS}) FROM STDIN") as copy:
            for row in reminder_rows(n):
                copy.write_row(row)
        raw.commit()
        raw.autocommit = True
        with raw.cursor() as cur:
            cur.execute("ANALYZE message_outbox")
    finally:
        raw.close()


def fill_sqlite(store: Store, n: int) -> None:
    path = store.engine.url.database
    conn = sqlite3.connect(path)
    marks = ", ".join("?" * 12)
    with conn:
        conn.executemany(
            f"INSERT INTO message_outbox ({COLUMNS}) VALUES ({marks})",
            ((*r[:8], _sqlite_time(r[8]), *r[9:11], _sqlite_time(r[11])) for r in reminder_rows(n)),
        )
    conn.execute("ANALYZE")
    conn.close()


def _sqlite_time(moment: datetime) -> str:
    # as SQLAlchemy writes a DateTime to SQLite, so comparisons with its parameters hold
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def timed(fn: Callable[[], object], times: int) -> tuple[float, object]:
    """Median milliseconds of `times` calls, and the last result."""
    spans, result = [], None
    for _ in range(times):
        t0 = time.perf_counter()
        result = fn()
        spans.append((time.perf_counter() - t0) * 1000)
    return statistics.median(spans), result


def due_query(name: str, url: str, n: int, fill: Callable[[Store, int], None]) -> None:
    store = Store(url)
    t0 = time.perf_counter()
    fill(store, n)
    filled = time.perf_counter() - t0
    deliverer = Deliverer(store, {"telegram": object()}, {})  # type: ignore[dict-item]
    claim_q = (
        select(OutboxMessage.id)
        .where(*deliverer._where(NOW))
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
        .limit(1)
    )

    def claim() -> object:
        with store.engine.connect() as conn:
            return conn.execute(claim_q).scalar()

    claim_ms, _ = timed(claim, 50)
    due_ms, rows = timed(lambda: delivery.pending(store, NOW), 10)
    sql = str(claim_q.compile(store.engine, compile_kwargs={"literal_binds": True}))
    explain = "EXPLAIN QUERY PLAN " if name == "SQLite" else "EXPLAIN "
    with store.engine.connect() as conn:
        plan = [str(r[-1]) for r in conn.execute(text(explain + sql))]
    store.close()
    print(f"{name}: {n:,} reminders stored in {filled:.1f} s; {len(rows)} due")  # type: ignore[arg-type]
    print(f"  claim query (oldest due message): {claim_ms:.2f} ms (median of 50)")
    print(f"  all due messages ({len(rows)}): {due_ms:.1f} ms (median of 10)")  # type: ignore[arg-type]
    print("  plan: " + " | ".join(line.strip() for line in plan[:3]))


@contextmanager
def postgres_schema() -> Iterator[str | None]:
    try:
        admin = create_engine(PG_URL, connect_args={"connect_timeout": 3})
        schema = f"bench_{uuid.uuid4().hex[:10]}"
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as e:  # no PostgreSQL here: the SQLite figures still count
        print(f"PostgreSQL unreachable at {PG_URL}: {str(e).splitlines()[0]}")
        yield None
        return
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


# ---------------------------------------------------------------------- part 2: fan-out
async def fan_out(url: str, tmp: Path, workers: int, n: int, limit: int | None) -> str:
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("DELETE FROM message_outbox"))
        conn.execute(text("DELETE FROM rate_buckets"))
    text_ = f"Fan-out met {workers} worker(s)."
    people = [f"telegram:{500_000 + i}" for i in range(n)]
    delivery.enqueue(store, [Message(p, text_, "update", daytime=False) for p in people], NOW)
    store.close()
    overall = limit or 1_000_000
    async with LimitedTelegramAPI(overall=overall, per_chat=1, keep_calls=False) as api:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "SMTP_"))}
        env |= {
            "PARTICIPATIEBOT_DATABASE_URL": url,
            "PARTICIPATIEBOT_DATA_DIR": str(tmp),
            "PARTICIPATIEBOT_NOW": NOW.isoformat(),
            "PARTICIPATIEBOT_TELEGRAM_RATE": str(overall),
            "TELEGRAM_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": api.base_url,
        }
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "reminders",
                "send",
                cwd=ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            for _ in range(workers)
        ]
        await asyncio.gather(*(p.wait() for p in procs))
    reached = len(api.chats(text_))
    span = (api.last_at or 0) - (api.first_at or 0)
    rate = (reached - 1) / span if span > 0 else float("nan")
    label = f"limit {limit}/s" if limit else "limit raised"
    return (
        f"  {label:>14}, {workers} worker(s): {rate:7.1f} messages/s; reached {reached}/{n}; "
        f"429 answers: {api.too_many}; duplicates: {api.duplicates}"
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    raised_n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    real_n = int(sys.argv[3]) if len(sys.argv) > 3 else 450
    with tempfile.TemporaryDirectory() as tmp:
        due_query("SQLite", f"sqlite:///{Path(tmp) / 'bench.db'}", rows, fill_sqlite)
        with postgres_schema() as url:
            if url is None:
                return
            due_query("PostgreSQL", url, rows, fill_postgres)
            print("fan-out on PostgreSQL, `reminders send` in separate processes:")
            for limit, n in ((None, raised_n), (TELEGRAM_LIMIT, real_n)):
                for workers in (1, 2, 4):
                    print(asyncio.run(fan_out(url, Path(tmp), workers, n, limit)), flush=True)


if __name__ == "__main__":
    main()
