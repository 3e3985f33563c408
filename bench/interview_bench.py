"""Median and p99 milliseconds per interview turn (engine + SQLite on disk), and render time.

Runs the scripted Leiden, Heemstede and Heerlen interviews (tests/interviews.py) several times
through the engine, then renders the resulting participatieplan repeatedly.
Usage: python bench/interview_bench.py [rounds]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.app import build_engine
from bot.settings import Settings  # noqa: E402
from bot.storage import Store  # noqa: E402
from handreiking import documents, rules  # noqa: E402
from handreiking.models import Plan  # noqa: E402
from handreiking.profiles import load_profile  # noqa: E402
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN  # noqa: E402

SCRIPTS = {"leiden": LEIDEN, "heemstede": HEEMSTEDE, "heerlen": HEERLEN}


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


async def interviews(rounds: int, tmp: Path) -> tuple[list[float], Plan]:
    settings = Settings(
        data_dir=tmp, now=datetime.fromisoformat("2026-01-12T10:00:00+01:00"), _env_file=None
    )
    store = Store(settings.db_url, clock=settings.clock)
    engine = build_engine(store, settings)
    turns: list[float] = []
    for r in range(rounds):
        for gemeente, script in SCRIPTS.items():
            who = f"console:bench{r}-{gemeente}"
            await engine.start(who, gemeente=gemeente)
            for _, answer in script:
                t0 = time.perf_counter()
                await engine.handle(who, answer)
                turns.append((time.perf_counter() - t0) * 1000)
    plan = Plan.model_validate(store.plans(owner="console:bench0-leiden")[0].data)
    store.close()
    return turns, plan


def render_times(plan: Plan, tmp: Path, n: int = 30) -> list[float]:
    profile = load_profile("leiden")
    findings = rules.check(plan, profile, datetime(2026, 1, 12).date())
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        documents.render("participatieplan", plan, profile, findings, tmp / f"plan{i}.docx")
        times.append((time.perf_counter() - t0) * 1000)
    return times


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        turns, plan = asyncio.run(interviews(rounds, Path(tmp)))
        renders = render_times(plan, Path(tmp))
    print(f"interview turns: {len(turns)} (engine + SQLite on disk, fsync per answer)")
    print(f"  median {statistics.median(turns):.2f} ms, p99 {pct(turns, 99):.2f} ms per turn")
    print(f"render participatieplan.docx: {len(renders)} runs")
    print(f"  median {statistics.median(renders):.1f} ms, p99 {pct(renders, 99):.1f} ms")


if __name__ == "__main__":
    main()
