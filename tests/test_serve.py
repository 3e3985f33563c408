"""`participatiebot serve` as an operator runs it: a real process, a loopback Telegram, signals."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import socket
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine

from bot.app import build_engine
from bot.http import build_app
from bot.serve import QUIET, QUIET_CPU, ServeError, _listen, _trim_when_quiet, serve_async
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.interviews import LEIDEN
from tests.review_helpers import MailServer, text_body

OURS = ("TELEGRAM_", "SLACK_", "PARTICIPATIEBOT_", "SMTP_", "MAIL_FROM")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The process environment without any of our settings from outside, plus `settings`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    env.update(PARTICIPATIEBOT_DATA_DIR=str(tmp_path / "var"), PARTICIPATIEBOT_NOW=NOW)
    env.update(settings)
    return env


# Seconds a `serve` process may take to start, answer or stop: a guard against a hang, not a
# timing; on a busy two-core machine starting Python with every library takes tens of seconds
PROCESS_WAIT = 120


async def participatiebot(tmp_path: Path, env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "serve",
        cwd=tmp_path,  # no .env of the developer's
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def stopped(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """SIGTERM, as an operator stops it: its exit code and what it logged."""
    process.send_signal(signal.SIGTERM)
    async with asyncio.timeout(PROCESS_WAIT):
        code = await process.wait()
    return code, (await process.stderr.read()).decode()


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


async def test_serve_answers_health_and_telegram_then_stops_on_sigterm(
    tmp_path: Path, api: FakeTelegramAPI
) -> None:
    port = free_port()
    env = environment(
        tmp_path,
        TELEGRAM_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url,
        PARTICIPATIEBOT_HTTP_PORT=str(port),
    )
    process = await participatiebot(tmp_path, env)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                try:
                    health = await client.get(f"http://127.0.0.1:{port}/health")
                    break
                except httpx.TransportError:
                    assert process.returncode is None, await process.stderr.read()
                    await asyncio.sleep(0.1)
            assert health.json() == {"status": "ok"}
        api.push(api.message(601, "/start"))
        await api.reply(601, "Hoe heet je opgave", timeout=PROCESS_WAIT)
        code, stderr = await stopped(process)
    finally:
        if process.returncode is None:
            process.kill()
    assert code == 0, stderr
    assert "Telegram draait (long polling)" in stderr
    assert "Traceback" not in stderr


async def wait_for_health(client: httpx.AsyncClient, url: str, process) -> httpx.Response:
    for _ in range(300):
        try:
            return await client.get(f"{url}/health")
        except httpx.TransportError:
            assert process.returncode is None, await process.stderr.read()
            await asyncio.sleep(0.1)
    raise AssertionError("the server did not answer")


async def test_serve_without_a_chat_channel_runs_web_chat_mail_and_the_review_link(
    tmp_path: Path,
) -> None:
    """A gemeente with only e-mail: the web chat, the submit mail and the page it links to."""
    port = free_port()
    smtp = MailServer().start()
    env = environment(
        tmp_path,
        PARTICIPATIEBOT_HTTP_PORT=str(port),
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp.port),
    )
    process = await participatiebot(tmp_path, env)
    url = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            health = await wait_for_health(client, url, process)
            assert health.status_code == 200 and health.json() == {"status": "ok"}
            replies = await api_interview(client, LEIDEN, "leiden")
            assert any(r["kind"] == "done" for r in replies)
            said = await client.post("/chat/api/message", json={"text": "indienen"})
            assert "ingediend bij de adviseur van Leiden" in said.json()["replies"][0]["text"]
            [mail] = smtp.to("participatie-leiden@example.org")
            # the link follows host and port when PARTICIPATIEBOT_PUBLIC_URL is unset
            link = re.search(r"http://\S+/adviseur/plannen/\S+", text_body(mail)).group()
            assert link.startswith(f"{url}/adviseur/plannen/")
            review = await client.get(link)
            assert review.status_code == 200
            assert "<h1>Herinrichting Lindenplein</h1>" in review.text
            assert (await client.get("/adviseur")).status_code == 200
            assert (await client.get("/chat")).status_code == 200
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(PROCESS_WAIT):
            code = await process.wait()
    finally:
        smtp.stop()
        if process.returncode is None:
            process.kill()
    stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert "Telegram staat uit (zet TELEGRAM_TOKEN" in stderr
    assert "Slack staat uit" in stderr and "Teams staat uit" in stderr
    assert f"HTTP-server op 127.0.0.1:{port}" in stderr
    assert "Traceback" not in stderr


async def api_interview(
    client: httpx.AsyncClient, script: list[tuple[str, str]], gemeente: str
) -> list[dict]:
    """A whole scripted interview through the web chat's JSON API, summary confirmed."""
    started = await client.post("/chat/api/session", json={"gemeente": gemeente})
    assert started.status_code == 200, started.text
    replies = started.json()["replies"]
    for fragment, answer in script:
        asked = [r for r in replies if r["kind"] == "question"][-1]["text"]
        assert fragment.lower() in asked.lower(), (fragment, replies)
        replies = (await client.post("/chat/api/message", json={"text": answer})).json()["replies"]
    return (await client.post("/chat/api/message", json={"text": "ja"})).json()["replies"]


async def test_health_says_503_when_the_database_does_not_answer(settings: Settings) -> None:
    store = Store(settings.db_url, clock=settings.clock)
    app = build_app(settings, build_engine(store, settings), store, [])
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test"
    ) as client:
        assert (await client.get("/health")).json() == {"status": "ok"}
        # the database server goes away: nothing listens where the store connects to
        store.engine = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/x")
        down = await client.get("/health")
    assert down.status_code == 503
    assert down.json() == {"status": "database unavailable"}
    store.close()


async def test_serve_with_a_rejected_token_stops_with_one_line(
    tmp_path: Path, api: FakeTelegramAPI
) -> None:
    env = environment(
        tmp_path,
        TELEGRAM_TOKEN="999:rejected",
        TELEGRAM_BASE_URL=api.base_url,
        PARTICIPATIEBOT_HTTP_PORT=str(free_port()),
    )
    process = await participatiebot(tmp_path, env)
    async with asyncio.timeout(PROCESS_WAIT):
        _, stderr = await process.communicate()
    assert process.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert "Telegram weigert TELEGRAM_TOKEN" in lines[0]
    assert [c.method for c in api.rejected] == ["getMe"]


async def test_serve_async_rejected_token_and_taken_port(
    settings: Settings, api: FakeTelegramAPI
) -> None:
    bad = settings.model_copy(
        update={
            "telegram_token": "999:rejected",
            "telegram_base_url": api.base_url,
            "http_port": free_port(),
        }
    )
    with pytest.raises(ServeError, match="weigert TELEGRAM_TOKEN"):
        await serve_async(bad, asyncio.Event())

    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        busy = bad.model_copy(
            update={"telegram_token": api.token, "http_port": taken.getsockname()[1]}
        )
        with pytest.raises(ServeError, match="PARTICIPATIEBOT_HTTP_PORT"):
            await serve_async(busy, asyncio.Event())


async def test_serve_async_stops_when_asked(settings: Settings, api: FakeTelegramAPI) -> None:
    port = free_port()
    s = settings.model_copy(
        update={"telegram_token": api.token, "telegram_base_url": api.base_url, "http_port": port}
    )
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_async(s, stop))
    api.push(api.message(602, "/start"))
    await api.reply(602, "Hoe heet je opgave")
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"http://127.0.0.1:{port}/health")).status_code == 200
    stop.set()
    async with asyncio.timeout(15):
        await serving
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.TransportError):
            await client.get(f"http://127.0.0.1:{port}/health")


async def test_serve_async_takes_telegram_webhooks_on_its_http_server(
    settings: Settings, api: FakeTelegramAPI
) -> None:
    port = free_port()
    s = settings.model_copy(
        update={
            "telegram_token": api.token,
            "telegram_base_url": api.base_url,
            "telegram_webhook_url": "https://bot.example.org/telegram/webhook",
            "telegram_webhook_secret": "geheim-456",
            "http_port": port,
        }
    )
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_async(s, stop))
    try:
        await api.wait_for(lambda: api.webhook.get("secret_token") == "geheim-456")
        url = f"http://127.0.0.1:{port}/telegram/webhook"
        update = api.message(603, "/start")
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    refused = await client.post(url, json=update)
                    break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            assert refused.status_code == 403
            headers = {"X-Telegram-Bot-Api-Secret-Token": "geheim-456"}
            assert (await client.post(url, json=update, headers=headers)).status_code == 200
        await api.reply(603, "Hoe heet je opgave")
    finally:
        stop.set()
        async with asyncio.timeout(15):
            await serving


async def test_replies_are_not_held_back_by_nagle() -> None:
    """The server's connections send at once (TCP_NODELAY): asyncio sets it only on a socket made
    as TCP, and without it every reply's body waited ~40 ms for the client's ACK."""
    sock = _listen("127.0.0.1", 0)
    seen: list[int] = []

    async def accepted(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = writer.get_extra_info("socket")
        seen.append(conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(accepted, sock=sock)
    async with server:
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        while not seen:
            await asyncio.sleep(0.01)
        writer.close()
    assert seen == [1]


async def test_the_heap_is_trimmed_once_after_a_busy_spell() -> None:
    """Freed memory goes back to the system when the process has gone quiet, once per spell."""
    trimmed: list[float] = []
    stop = asyncio.Event()
    task = asyncio.create_task(_trim_when_quiet(lambda: trimmed.append(time.process_time()), stop))
    await asyncio.sleep(QUIET * 2.5)  # starting up was the first busy spell
    assert len(trimmed) == 1
    began = time.process_time()
    while time.process_time() - began < QUIET_CPU * 4:  # a burst of work
        sum(range(10_000))
    await asyncio.sleep(QUIET * 3.5)
    assert len(trimmed) == 2
    stop.set()
    await asyncio.wait_for(task, QUIET * 2)


def _cores(pid: int | str, task: int | str | None = None) -> str:
    where = f"/proc/{pid}/task/{task}/status" if task else f"/proc/{pid}/status"
    status = Path(where).read_text()
    return re.search(r"^Cpus_allowed_list:\s*(\S+)", status, re.M).group(1)


def _children(pid: int) -> dict[int, str]:
    """The processes started by `pid`, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                if parent == pid:
                    found[int(entry.name)] = (entry / "cmdline").read_bytes().decode()
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
    return found


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="one core: nothing to keep together",
)
async def test_serve_keeps_its_threads_on_one_core_and_its_workers_on_all(tmp_path: Path) -> None:
    port = free_port()
    process = await participatiebot(
        tmp_path, environment(tmp_path, PARTICIPATIEBOT_HTTP_PORT=str(port))
    )
    everywhere = _cores(os.getpid())
    try:
        url = f"http://127.0.0.1:{port}"
        async with httpx.AsyncClient(base_url=url, timeout=60) as client:
            await wait_for_health(client, url, process)
            # a turn through the web chat: the worker threads that run turns exist now
            started = await client.post("/chat/api/session", json={"gemeente": "leiden"})
            assert started.status_code == 200, started.text
        tasks = os.listdir(f"/proc/{process.pid}/task")
        assert len(tasks) > 1  # the event loop's thread and the turns' threads
        assert {_cores(process.pid, task) for task in tasks} == {_cores(process.pid)}
        assert _cores(process.pid).isdigit()  # one core, as '3', not '0-1'
        # the drawing worker, once started and warm, draws on every core
        async with asyncio.timeout(PROCESS_WAIT):
            while not any(
                "spawn_main" in line
                and "resource_tracker" not in line
                and _cores(pid) == everywhere
                for pid, line in _children(process.pid).items()
            ):
                await asyncio.sleep(0.2)
        code, stderr = await stopped(process)
    finally:
        if process.returncode is None:
            process.kill()
    assert code == 0, stderr
    assert "Python-draden op kern" in stderr


@pytest.mark.skipif(
    not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2,
    reason="one core: nothing to keep together",
)
async def test_serve_on_every_core_when_told(tmp_path: Path) -> None:
    port = free_port()
    env = environment(tmp_path, PARTICIPATIEBOT_HTTP_PORT=str(port), PARTICIPATIEBOT_ONE_CORE="0")
    process = await participatiebot(tmp_path, env)
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            await wait_for_health(client, f"http://127.0.0.1:{port}", process)
        assert _cores(process.pid) == _cores(os.getpid())
        code, stderr = await stopped(process)
    finally:
        if process.returncode is None:
            process.kill()
    assert code == 0, stderr
    assert "kern" not in stderr
