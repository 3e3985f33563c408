"""Helpers for the lifecycle tests: a real SMTP server on loopback, finished interviews, the web."""

from __future__ import annotations

import email
import re
import socket
from email import policy
from email.message import EmailMessage
from pathlib import Path

import httpx
from aiosmtpd.controller import Controller
from starlette.applications import Starlette

from bot.settings import Settings
from bot.storage import Store
from bot.web import routes
from tests.conftest import Chat
from tests.interviews import answer_script

BASE = "http://127.0.0.1:8080"  # the default public URL: host and port


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailServer:
    """aiosmtpd on 127.0.0.1; every accepted mail lands in `messages`."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        msg = email.message_from_bytes(envelope.original_content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), msg))
        return "250 OK"

    def start(self) -> MailServer:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller:
            self._controller.stop()
            self._controller = None

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


def smtp_settings(settings: Settings, port: int) -> Settings:
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": port})


async def finish(chat: Chat, script, gemeente: str, **start) -> None:
    """A whole scripted interview, summary confirmed: the plan is 'compleet'."""
    await chat.start(gemeente=gemeente, **start)
    await answer_script(chat, script)
    await chat.say("ja")
    assert any(r.kind == "done" for r in chat.replies), chat.text


def text_body(msg: EmailMessage) -> str:
    return msg.get_body(("plain",)).get_content()


def html_body(msg: EmailMessage) -> str:
    return msg.get_body(("html",)).get_content()


def attachments(msg: EmailMessage) -> dict[str, bytes]:
    return {a.get_filename(): a.get_content() for a in msg.iter_attachments()}


def review_link(msg: EmailMessage) -> str:
    """The link to the review page in the mail, as a path on the test client."""
    link = re.search(r"https?://\S+/adviseur/plannen/\S+", text_body(msg)).group()
    return link.removeprefix(BASE)


def read_eml(path: Path) -> EmailMessage:
    return email.message_from_bytes(Path(path).read_bytes(), policy=policy.default)


def client(settings: Settings, store: Store) -> httpx.AsyncClient:
    """The advisor's pages on their own Starlette app, over ASGI (no network)."""
    app = Starlette(routes=routes(settings, store))
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE)


def form_of(html: str) -> dict[str, str]:
    """The hidden fields of the first form on a page (token, versie, csrf)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
