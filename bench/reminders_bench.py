"""One reminder round with 10,000 plans in uitvoering against one with 10, side by side.

Each database holds `plans` Leiden plans (invented data) in uitvoering: 10 of them have their
meeting tomorrow, the others a year or more later, so the same work is due in both. The due
index is filled as for a database from before it (reminders_worker.ensure_index, timed); then a
first round stores the due reminders in the outbox, and the rounds after it (the worker's
every 30 s) are timed: median and p95. The once-a-day privacy check, which reads every plan,
runs before the timing. Goal: a round with 10,000 plans within 50 ms, and about as costly as
one with 10 (the ratio).

Usage: python bench/reminders_bench.py [plans] [rounds] (default 10000 50). SQLite always;
PostgreSQL too when reachable (PARTICIPATIEBOT_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import sessionmaker  # noqa: E402

from bench.db_bench import postgres_schema  # noqa: E402
from bot.features import reminders_worker  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Store  # noqa: E402
from bot.storage.reminder_index import ReminderDue  # noqa: E402
from bot.storage.tables import PlanRow  # noqa: E402
from tests.test_delivery import LEIDEN_PLAN  # noqa: E402

EVE = datetime.fromisoformat("2026-03-11T10:00:00+01:00")  # the day before the meeting
DUE_PLANS = 10
GOAL_MS = 50.0


def plan_data(years_later: int) -> dict:
    """The Leiden plan with every date moved `years_later` years on."""
    raw = json.dumps(LEIDEN_PLAN)
    for year in (2027, 2026, 2025):
        raw = raw.replace(f'"{year}-', f'"{year + years_later}-')
    return json.loads(raw)


def fill(store: Store, settings: Settings, n: int) -> float:
    """n plans in uitvoering, DUE_PLANS of them due on the eve, written as a database from
    before the due index holds them; seconds the first round takes to index them all."""
    now = store.clock()
    rows = [
        {
            "id": f"2026-{i:05d}",
            "owner": f"email:eigenaar{i}@example.org",
            "gemeente": "leiden",
            "titel": "Herinrichting Lindenplein",
            "status": "in_uitvoering",
            "data": plan_data(0 if i < DUE_PLANS else 1 + i % 3),
            "created_at": now,
            "updated_at": now,
        }
        for i in range(n)
    ]
    with sessionmaker(store.engine).begin() as s:
        for start in range(0, n, 1000):
            s.execute(insert(PlanRow), rows[start : start + 1000])
    started = time.perf_counter()
    reminders_worker.ensure_index(store, settings)
    return time.perf_counter() - started


class Setup:
    """One database with its plans, indexed, its privacy check and first round done."""

    def __init__(self, url: str, n: int, data_dir: Path) -> None:
        self.settings = Settings(data_dir=data_dir, now=EVE, _env_file=None)
        self.store = Store(url, clock=self.settings.clock)
        self.n = n
        self.index_s = fill(self.store, self.settings, n)
        reminders_worker.schedule(self.store, self.settings, EVE - timedelta(hours=2))  # privacy
        started = time.perf_counter()
        self.stored = reminders_worker.schedule(self.store, self.settings, EVE)
        self.first_ms = (time.perf_counter() - started) * 1000
        with sessionmaker(self.store.engine)() as s:
            self.rows = s.scalar(select(func.count()).select_from(ReminderDue)) or 0
        self.times: list[float] = []

    def round(self, k: int) -> None:
        at = EVE + timedelta(seconds=30 * (k + 1))
        started = time.perf_counter()
        reminders_worker.schedule(self.store, self.settings, at)
        self.times.append((time.perf_counter() - started) * 1000)

    def figures(self) -> dict[str, float]:
        times = sorted(self.times)
        return {
            "index_s": self.index_s,
            "rows": float(self.rows),
            "stored": float(self.stored),
            "first_ms": self.first_ms,
            "median_ms": statistics.median(times),
            "p95_ms": times[max(int(len(times) * 0.95) - 1, 0)],
        }


def compare(
    small_url: str, large_url: str, n: int, rounds: int, folder: Path
) -> tuple[dict[str, float], dict[str, float]]:
    """Both databases set up, then their rounds alternated: the machine's load hits both."""
    small = Setup(small_url, DUE_PLANS, folder / "small")
    large = Setup(large_url, n, folder / "large")
    try:
        for k in range(rounds):
            small.round(k)
            large.round(k)
        return small.figures(), large.figures()
    finally:
        small.store.close()
        large.store.close()


def report(name: str, small: dict[str, float], large: dict[str, float], n: int) -> None:
    print(f"{name}: one reminder round ({DUE_PLANS} plans with a reminder due)")
    row = "  {:>7} plans  {:>9} due rows  index fill {:>6.1f} s  first round {:>7.1f} ms  "
    row += "round median {:>6.2f} ms  p95 {:>6.2f} ms"
    for plans, m in ((DUE_PLANS, small), (n, large)):
        print(
            row.format(
                plans, int(m["rows"]), m["index_s"], m["first_ms"], m["median_ms"], m["p95_ms"]
            )
        )
    ratio = large["median_ms"] / small["median_ms"]
    verdict = "ok" if large["median_ms"] <= GOAL_MS else "OVER"
    print(
        f"  ratio {n} / {DUE_PLANS} plans: {ratio:.2f}x (round median); "
        f"goal <= {GOAL_MS:.0f} ms: {verdict}",
        flush=True,
    )


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        small_url, large_url = (f"sqlite:///{folder / name}" for name in ("small.db", "large.db"))
        report("SQLite", *compare(small_url, large_url, n, rounds, folder / "sqlite"), n)
        with postgres_schema() as small_url, postgres_schema() as large_url:
            if small_url and large_url:
                report("PostgreSQL", *compare(small_url, large_url, n, rounds, folder / "pg"), n)


if __name__ == "__main__":
    main()
