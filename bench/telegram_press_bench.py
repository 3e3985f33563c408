"""Bench: a button pressed against the same answer typed, through the Telegram channel, with
every Bot API request taking a round trip as it does to Telegram's servers.

Run: .venv/bin/python bench/telegram_press_bench.py [ms per request]   (default 50; ~10 s)

A press asks three things of Telegram besides the reply (answer the press, write the choice
into the question, send the next question); typed, only the reply. The loopback Bot API of
tests/fakes/telegram_api.py waits the given time before it answers any request but getUpdates.
Measured from the moment the update is queued until the next question has arrived.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.app import build_engine  # noqa: E402
from bot.channels.telegram import TelegramChannel  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.storage import Store  # noqa: E402
from tests.fakes import telegram_api  # noqa: E402

PEOPLE = 10


class DistantAPI(telegram_api.FakeTelegramAPI):
    """The loopback Bot API, each request answered after a round trip."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds

    async def _handle(self, request):  # type: ignore[no-untyped-def]
        if not request.path.endswith("getUpdates"):
            await asyncio.sleep(self.seconds)
        return await super()._handle(request)


async def main(seconds: float) -> None:
    pressed: list[float] = []
    typed: list[float] = []
    async with DistantAPI(seconds) as api:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                data_dir=Path(tmp),
                now=datetime.fromisoformat("2026-01-12T10:00:00+01:00"),
                telegram_token=api.token,
                telegram_base_url=api.base_url,
                telegram_rate=0,
                _env_file=None,
            )
            store = Store(settings.db_url, clock=settings.clock)
            channel = TelegramChannel(settings, build_engine(store, settings), store)
            await channel.start()
            try:
                for n in range(2 * PEOPLE):
                    user = 900 + n
                    api.push(api.message(user, "/start"))
                    await api.reply(user, "Hoe heet je opgave")
                    since = len(api.sent(user))
                    api.push(api.message(user, f"Buurtmoestuin {n}"))
                    question = await api.reply(user, "In welke gemeente", since)
                    since = len(api.sent(user))
                    started = time.perf_counter()
                    if n % 2:  # every other person types what the button says
                        api.push(api.message(user, "Heerlen"))
                    else:
                        heerlen = next(b for b in question.buttons if b["text"] == "Heerlen")
                        api.push(api.press(user, question, heerlen["callback_data"]))
                    await api.reply(user, "Wie neemt het initiatief", since)
                    (typed if n % 2 else pressed).append(time.perf_counter() - started)
            finally:
                await channel.stop()
                store.close()
    p, t = statistics.median(pressed) * 1000, statistics.median(typed) * 1000
    print(f"Telegram, {seconds * 1000:.0f} ms per Bot API request, {PEOPLE} people each way")
    print(f"  answer typed, to the next question     median {t:6.0f} ms")
    print(f"  button pressed, to the next question   median {p:6.0f} ms")
    print(f"  ratio pressed / typed                  {p / t:6.2f}")


if __name__ == "__main__":
    asyncio.run(main(float(sys.argv[1]) / 1000 if len(sys.argv) > 1 else 0.05))
