"""`participatiebot serve` as an operator runs it: a real process, a loopback Telegram, signals."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.serve import ServeError, serve_async
from bot.settings import Settings
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI

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
            assert health.json() == {"ok": True}
        api.push(api.message(601, "/start"))
        await api.reply(601, "Hoe heet je opgave", timeout=20)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(20):
            code = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
    stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert "Telegram draait (long polling)" in stderr
    assert "Traceback" not in stderr


async def test_serve_with_nothing_configured_says_what_to_set(tmp_path: Path) -> None:
    process = await participatiebot(tmp_path, environment(tmp_path))
    async with asyncio.timeout(30):
        _, stderr = await process.communicate()
    assert process.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1
    assert "TELEGRAM_TOKEN" in lines[0] and "SLACK_BOT_TOKEN" in lines[0]


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
    async with asyncio.timeout(30):
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
