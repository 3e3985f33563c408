"""Bench: the turn that writes the documents ('ja' under the summary), said at once and said
after reading the summary for a second, with the drawing worker as `serve` runs it.

Run: .venv/bin/python bench/summary_bench.py [interviews]   (default 6; about half a minute).
The pictures (ladder, timeline, stakeholder grid) are begun in the drawing worker when the
summary is shown; said at once, 'ja' waits for them, said after reading, only for the Word part.
Each interview (the scripted Heerlen one of tests/interviews.py) has a title of its own, so no
picture is taken from an earlier one; the first interview of each kind is not counted.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_engine  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Store  # noqa: E402
from handreiking import drawing  # noqa: E402
from tests.interviews import HEERLEN  # noqa: E402

READING = 1.0  # seconds the owner reads the summary


async def ja_turns(interviews: int, pause: float) -> list[float]:
    """Seconds each 'ja' took, after the summary was shown `pause` seconds before."""
    with tempfile.TemporaryDirectory() as tmp:
        now = datetime.fromisoformat("2026-01-12T10:00:00+01:00")
        settings = Settings(data_dir=Path(tmp), now=now, _env_file=None)
        store = Store(settings.db_url, clock=settings.clock)
        engine = build_engine(store, settings)
        times: list[float] = []
        for n in range(interviews):
            who = f"console:summary-{pause}-{n}"
            await engine.start(who, gemeente="heerlen")
            for i, (_, answer) in enumerate(HEERLEN):
                await engine.handle(who, f"Speelplek {n} ({pause} s)" if i == 0 else answer)
            await asyncio.sleep(pause)
            began = time.perf_counter()
            replies = await engine.handle(who, "ja")
            times.append(time.perf_counter() - began)
            documents = [p.name for r in replies for p in r.documents]
            assert "participatieplan.docx" in documents, [r.text for r in replies]
        store.close()
    return times[1:]


def main() -> None:
    interviews = int(sys.argv[1]) if len(sys.argv) > 1 else 6
    began = time.perf_counter()
    drawing.enable()  # as serve does
    if not drawing._ready.wait(60):
        sys.exit("the drawing worker did not start")
    at_once = statistics.median(asyncio.run(ja_turns(interviews, 0)))
    read = statistics.median(asyncio.run(ja_turns(interviews, READING)))
    drawing.stop()
    print(f"'ja' under the summary: the turn that writes the documents ({interviews - 1} each)")
    print(f"  said at once                        median {at_once * 1000:7.1f} ms")
    print(f"  said after reading for {READING:.0f} s          median {read * 1000:7.1f} ms")
    print(f"  ratio read / at once                       {read / at_once:7.2f}")
    print(f"({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
