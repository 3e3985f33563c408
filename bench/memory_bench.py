"""Bench: memory of one `participatiebot serve` process with 1,000 interviews open at different
questions, next to a bare python-telegram-bot echo bot after the same 1,000 chats; and what
importing `bot.cli` and `bot.serve` costs.

Run: .venv/bin/python bench/memory_bench.py [people] [depth]   (default 1000 20; about four
minutes on 2 cores; no network needed)

Both bots run as processes of their own, long polling the loopback Bot API of
tests/fakes/telegram_api.py in this process (as bench/telegram_bench.py does). Person i sends
/start and the first i % depth answers of the Heerlen interview of tests/interviews.py, so the
interviews stand open at `depth` different questions; the echo bot gets the same messages. RSS
(VmRSS of /proc/PID/status) is read once the bot polls, before the first message, and after the
last reply; the peak is VmHWM. Goal: participatiebot <= 2x the echo bot after the chats.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-01-12T10:00:00+01:00"
AT_ONCE = 100  # people talking at the same moment
SETTLE = 2.0  # seconds after start, and after the last reply, before RSS is read


def echo_bot(base_url: str, token: str) -> None:
    """The bare echo bot, in a process of its own (imports only what it needs)."""
    from telegram import Update
    from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(update.message.text)

    app = ApplicationBuilder().token(token).base_url(base_url).concurrent_updates(True).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(allowed_updates=["message"])


def memory(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def native_packages(pid: int) -> list[str]:
    """The installed packages whose compiled libraries the process has loaded (from
    /proc/PID/maps): a sign of what it imported, e.g. matplotlib or lxml."""
    found = set()
    for line in Path(f"/proc/{pid}/maps").read_text().splitlines():
        path = line.split(maxsplit=5)[-1]
        if "site-packages/" in path and ".so" in path:
            package = path.split("site-packages/", 1)[1].split("/", 1)[0]
            found.add(package.removesuffix(".libs").split(".cpython")[0])
    return sorted(found)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def measure(
    kind: str, people: int, depth: int
) -> tuple[float, float, float, float, list[str]]:
    """(RSS before the first message, RSS after the chats, peak RSS, seconds the chats took,
    packages with compiled code loaded after the chats)."""
    sys.path[:0] = [str(ROOT), str(ROOT / "bench")]
    from telegram_bench import Person, turns

    from tests.fakes.telegram_api import FakeTelegramAPI

    async with FakeTelegramAPI() as api:
        with tempfile.TemporaryDirectory(prefix="memory-bench-") as tmp:
            if kind == "echo":
                command = [sys.executable, __file__, "--echo", api.base_url, api.token]
            else:
                command = [sys.executable, "-m", "bot.cli", "serve"]
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("TELEGRAM_", "SLACK_", "TEAMS_", "PARTICIPATIEBOT_", "SMTP_"))
            }
            env |= {
                "PYTHONPATH": str(ROOT),
                "PARTICIPATIEBOT_DATA_DIR": str(Path(tmp) / "var"),
                "PARTICIPATIEBOT_NOW": NOW,
                "PARTICIPATIEBOT_HTTP_PORT": str(free_port()),
                "PARTICIPATIEBOT_TELEGRAM_RATE": "0",
                "TELEGRAM_TOKEN": api.token,
                "TELEGRAM_BASE_URL": api.base_url,
            }
            bot = await asyncio.create_subprocess_exec(
                *command, cwd=tmp, env=env, stderr=asyncio.subprocess.DEVNULL
            )
            try:
                await api.wait_for(
                    lambda: any(c.method == "deleteWebhook" for c in api.calls), timeout=60
                )
                await asyncio.sleep(SETTLE)
                before, _ = memory(bot.pid)
                began = time.perf_counter()
                queue: asyncio.Queue[int] = asyncio.Queue()
                for i in range(people):
                    queue.put_nowait(i)

                async def talk() -> None:
                    while not queue.empty():
                        i = queue.get_nowait()
                        # memory, not speed: a machine under load may take long
                        person = Person(api, 1_000_000 + i, kind == "echo", patience=600)
                        for text, expect in turns(f"Plek {i}")[: 1 + i % depth]:
                            await person.turn(text, expect)

                await asyncio.gather(*(talk() for _ in range(AT_ONCE)))
                took = time.perf_counter() - began
                await asyncio.sleep(SETTLE)
                after, peak = memory(bot.pid)
                native = native_packages(bot.pid)
            finally:
                bot.send_signal(signal.SIGTERM)
                await bot.wait()
    return before, after, peak, took, native


def import_times(module: str) -> tuple[float, list[tuple[float, str]]]:
    """(ms to import module in a fresh interpreter, the packages that cost most: the import
    time of their own modules, without what those import from other packages)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import {module}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    total, own = 0.0, Counter[str]()
    for line in done.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| \s*(\S+)", line)
        if m is None:
            continue
        name = m[3]
        if name == module:
            total = int(m[2]) / 1000
        # our own packages by module, the others by their top-level package
        parts = name.split(".")
        own[".".join(parts[:2]) if parts[0] in ("bot", "handreiking") else parts[0]] += (
            int(m[1]) / 1000
        )
    return total, [(t, name) for name, t in own.most_common(10)]


async def main() -> None:
    people = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    began = time.perf_counter()
    eb, ea, ep, et, en = await measure("echo", people, depth)
    pb, pa, pp, pt, pn = await measure("participatiebot", people, depth)
    print(f"RSS of one bot process, {people} chats of 1 to {depth} messages (loopback Bot API)")
    print("                                      before   after    peak   (MB)")
    print(f"  bare python-telegram-bot echo bot  {eb:7.1f} {ea:7.1f} {ep:7.1f}   chats {et:.0f} s")
    print(f"  participatiebot serve              {pb:7.1f} {pa:7.1f} {pp:7.1f}   chats {pt:.0f} s")
    print(f"  ratio participatiebot / echo       {pb / eb:7.2f} {pa / ea:7.2f} {pp / ep:7.2f}")
    print("  (goal: after the chats <= 2x the echo bot)")
    print("compiled packages loaded after the chats:")
    print(f"  echo bot: {', '.join(en)}")
    print(f"  participatiebot, besides those: {', '.join(n for n in pn if n not in en)}")
    for module in ("bot.cli", "bot.serve"):
        total, heavy = import_times(module)
        print(f"import {module}: {total:.0f} ms (python -X importtime); most costly, in ms:")
        print("  " + ", ".join(f"{name} {t:.0f}" for t, name in heavy))
    print(f"({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--echo"]:
        echo_bot(sys.argv[2], sys.argv[3])
    else:
        asyncio.run(main())
