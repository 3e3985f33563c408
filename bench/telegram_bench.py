"""Bench: ms per interview turn through the Telegram channel, next to a bare python-telegram-bot
echo bot on the same loopback Bot API, and turns per second with 200 people at once.

Run: .venv/bin/python bench/telegram_bench.py   (about a minute; no network needed)

The loopback Bot API and the simulated people run in this process; each bot runs in a process of
its own (so on two cores the bot has one to itself), long polling as in production. A turn is
timed from the moment the person's message is queued at the Bot API until the bot's last message
of that turn (the next question, or the document) has arrived there. Pacing is off
(PARTICIPATIEBOT_TELEGRAM_RATE=0): Telegram's 30 messages/s would otherwise be all we measure.
The participatiebot process keeps its threads on one core, as `serve` does
(handreiking/cores.py); the echo bots run as written, on any core.
The throughput is also measured against the echo bot given the channel's own HTTP transport
(bot/channels/telegram_http.py: aiohttp with bot.channels.telegram.CONNECTIONS connections,
instead of python-telegram-bot's httpx with 256): that ratio is what the interview itself costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import ms  # noqa: E402
from tests.fakes.telegram_api import FakeTelegramAPI  # noqa: E402
from tests.interviews import HEERLEN  # noqa: E402

NOW = "2026-01-12T10:00:00+01:00"
WARMUP_INTERVIEWS = 1
TIMED_INTERVIEWS = 4
PEOPLE = 200
RAMP = 3.0  # seconds before the throughput window opens (everyone has started)
WINDOW = 15.0


def turns(titel: str) -> list[tuple[str, str]]:
    """(what the person sends, what the bot's last message of that turn holds)."""
    steps = [(HEERLEN[0][0], titel), ("In welke gemeente", "Heerlen"), *HEERLEN[1:]]
    steps.append(("Klopt alles?", "ja"))
    said = ["/start"] + [answer for _, answer in steps]
    expected = [fragment for fragment, _ in steps] + ["participatieplan.docx"]
    return list(zip(said, expected, strict=True))


class Person:
    """One simulated person: sends a message, waits for the end of the bot's turn, times it."""

    def __init__(self, api: FakeTelegramAPI, user: int, echo: bool, patience: float = 60) -> None:
        """`patience`: seconds to wait for a reply before the run fails."""
        self.api = api
        self.user = user
        self.echo = echo
        self.since = 0
        self.patience = patience

    async def turn(self, text: str, expect: str) -> tuple[float, float]:
        """(seconds the turn took, when it ended)."""
        started = time.perf_counter()
        self.api.push(self.api.message(self.user, text))
        reply = await self.api.reply(
            self.user, text if self.echo else expect, self.since, self.patience
        )
        ended = time.perf_counter()
        self.since = self.api.sent(self.user).index(reply) + 1
        return ended - started, ended

    async def interview(self, n: int) -> list[tuple[float, float]]:
        return [await self.turn(text, expect) for text, expect in turns(f"Plek {self.user}-{n}")]


async def latency(kind: str) -> tuple[list[float], list[float]]:
    """Turn times of whole interviews, one person at a time; and the engine's share."""
    async with FakeTelegramAPI() as api, Bot(kind, api) as bot:
        for i in range(WARMUP_INTERVIEWS):
            await Person(api, 100 + i, kind == "echo").interview(0)
        samples: list[float] = []
        for i in range(TIMED_INTERVIEWS):
            samples += [s for s, _ in await Person(api, 200 + i, kind == "echo").interview(0)]
    return samples, bot.engine_seconds[-len(samples) :]


async def throughput(kind: str) -> float:
    """Turns per second while PEOPLE people interview at once."""
    ended: list[float] = []

    async def person(api: FakeTelegramAPI, user: int, deadline: float) -> None:
        p = Person(api, user, kind.startswith("echo"))
        n = 0
        while time.perf_counter() < deadline:
            for text, expect in turns(f"Plek {user}-{n}"):
                ended.append((await p.turn(text, expect))[1])
                if time.perf_counter() >= deadline:
                    return
            n += 1

    async with FakeTelegramAPI() as api, Bot(kind, api):
        start = time.perf_counter()
        opens, closes = start + RAMP, start + RAMP + WINDOW
        await asyncio.gather(*(person(api, 10_000 + u, closes) for u in range(PEOPLE)))
    return sum(1 for t in ended if opens <= t < closes) / WINDOW


class Bot:
    """A bot process polling the loopback API: the participatiebot channel or a bare echo bot."""

    def __init__(self, kind: str, api: FakeTelegramAPI) -> None:
        self.kind = kind
        self.api = api
        self.engine_seconds: list[float] = []
        self.dir = tempfile.TemporaryDirectory(prefix="telegram-bench-")

    async def __aenter__(self) -> Bot:
        args = [sys.executable, __file__, "--bot", self.kind, "--base-url", self.api.base_url]
        args += ["--token", self.api.token, "--data-dir", self.dir.name]
        self.process = await asyncio.create_subprocess_exec(
            *args, stdout=asyncio.subprocess.PIPE, cwd=self.dir.name
        )
        # both start polling the same way: deleteWebhook first
        await self.api.wait_for(
            lambda: any(c.method == "deleteWebhook" for c in self.api.calls), timeout=60
        )
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.process.send_signal(signal.SIGTERM)
        out, _ = await self.process.communicate()
        if out.strip():
            self.engine_seconds = json.loads(out)["engine_seconds"]
        self.dir.cleanup()


def run_bot(kind: str, base_url: str, token: str, data_dir: str) -> None:
    """The bot side, in its own process; stops on SIGTERM."""
    if kind.startswith("echo"):
        from telegram import Update
        from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

        async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            await update.message.reply_text(update.message.text)

        builder = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(True)
        if kind == "echo-ours":  # the participatiebot channel's HTTP transport
            from bot.channels.telegram import CONNECTIONS
            from bot.channels.telegram_http import AiohttpRequest

            builder = builder.request(AiohttpRequest(CONNECTIONS))
            builder = builder.get_updates_request(AiohttpRequest(1))
        app = builder.build()
        app.add_handler(MessageHandler(filters.TEXT, echo))
        app.run_polling(allowed_updates=["message"])
        return
    from handreiking import cores

    cores.one_core()  # as serve does, before any thread starts
    asyncio.run(_participatiebot(base_url, token, Path(data_dir)))


async def _participatiebot(base_url: str, token: str, data_dir: Path) -> None:
    from datetime import datetime

    from bot.app import registry
    from bot.channels.telegram import TelegramChannel
    from bot.engine import Engine, Reply
    from bot.settings import Settings
    from bot.storage import Store
    from handreiking import drawing

    engine_seconds: list[float] = []

    class TimedEngine(Engine):
        """The engine as is; only counts how long each turn takes inside it."""

        async def start(self, identity: str, **kw: object) -> list[Reply]:
            began = time.perf_counter()
            try:
                return await super().start(identity, **kw)
            finally:
                engine_seconds.append(time.perf_counter() - began)

        async def handle(self, identity: str, text: str, **kw: object) -> list[Reply]:
            began = time.perf_counter()
            try:
                return await super().handle(identity, text, **kw)
            finally:
                engine_seconds.append(time.perf_counter() - began)

    settings = Settings(
        data_dir=data_dir,
        now=datetime.fromisoformat(NOW),
        telegram_token=token,
        telegram_base_url=base_url,
        telegram_rate=0,
        _env_file=None,
    )
    store = Store(settings.db_url, clock=settings.clock)
    drawing.enable()  # as serve does: the documents' pictures in a worker process of their own
    channel = TelegramChannel(settings, TimedEngine(store, settings, registry=registry()), store)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await channel.start()
    await stop.wait()
    await channel.stop()
    store.close()
    drawing.stop()
    print(json.dumps({"engine_seconds": engine_seconds}))


async def main() -> None:
    began = time.perf_counter()
    echo, _ = await latency("echo")
    ours, engine = await latency("participatiebot")
    echo_rate = await throughput("echo")
    our_rate = await throughput("participatiebot")
    pool_rate = await throughput("echo-ours")
    (em, ep), (om, op), (gm, gp) = ms(echo), ms(ours), ms(engine)
    print(f"Telegram turn latency, one person at a time ({len(ours)} turns each, loopback Bot API)")
    print(f"  bare python-telegram-bot echo bot   median {em:7.1f} ms   p99 {ep:7.1f} ms")
    print(f"  participatiebot Telegram channel    median {om:7.1f} ms   p99 {op:7.1f} ms")
    print(f"    of which the interview engine     median {gm:7.1f} ms   p99 {gp:7.1f} ms")
    print(f"  ratio participatiebot / echo        median {om / em:7.2f}      p99 {op / ep:7.2f}")
    print("  (goal: median ratio <= 1.2, p99 ratio <= 1.5)")
    print(f"Throughput, {PEOPLE} people interviewing at once ({WINDOW:.0f} s window)")
    print(f"  participatiebot Telegram channel    {our_rate:7.1f} turns/s")
    for name, rate in [
        ("bare python-telegram-bot echo bot", echo_rate),
        ("echo bot, our HTTP transport", pool_rate),
    ]:
        print(f"  {name:34s}  {rate:7.1f} turns/s   ratio {our_rate / rate:5.2f}")
    print("  (goal: ratio >= 0.9)")
    print(f"({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot", choices=["echo", "echo-ours", "participatiebot"])
    parser.add_argument("--base-url")
    parser.add_argument("--token")
    parser.add_argument("--data-dir")
    args = parser.parse_args()
    if args.bot:
        run_bot(args.bot, args.base_url, args.token, args.data_dir)
    else:
        asyncio.run(main())
