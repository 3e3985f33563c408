"""A loopback Bot Connector service (what Teams' serviceUrl points at) for tests.

It answers `POST /v3/conversations/{id}/activities[/{replyToId}]` and
`PUT /v3/conversations/{id}/activities/{activityId}` as the real service does (201 with the
new activity's id; 429 with Retry-After when told to throttle; 403 for a chat the bot was
removed from; 401 without a valid bot token when it checks tokens) and records every call.
`PUT /upload/{name}` stands in for the OneDrive upload session of a file consent card.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakes.microsoft_login import FakeMicrosoftLogin

CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO = "application/vnd.microsoft.teams.card.file.info"


@dataclass
class Call:
    method: str
    conversation: str
    activity: dict[str, Any]
    reply_to: str | None
    status: int
    token: str
    id: str | None = None
    at: float = 0.0  # when it arrived (monotonic seconds)


@dataclass
class FakeBotConnector:
    # with a login, every call must carry a bot token that login issued (as the real service)
    login: FakeMicrosoftLogin | None = None
    calls: list[Call] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    url: str = ""  # the serviceUrl, with the trailing slash Teams gives it
    _throttle: list[str] = field(default_factory=list)  # Retry-After of the next answers
    _gone: dict[str, int] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    # the bot's TCP connections the activities came over (host, port)
    connections: set[tuple[str, int]] = field(default_factory=set)

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_post("/v3/conversations/{conversation}/activities/{reply}", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{reply}", self._put)
        app.router.add_put("/upload/{name}", self._upload)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self.url

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------ test controls
    def throttle(self, times: int = 1, retry_after: str = "0") -> None:
        """The next `times` calls get 429 with this Retry-After."""
        self._throttle += [retry_after] * times

    def remove_bot(self, conversation: str, status: int = 403) -> None:
        """The person removed the app: the service refuses messages to that chat."""
        self._gone[conversation] = status

    def upload_url(self, name: str) -> str:
        return f"{self.url}upload/{name}"

    def sent(self, conversation: str | None = None) -> list[dict[str, Any]]:
        """Activities the service accepted, oldest first (updates not included)."""
        return [
            c.activity
            for c in self.calls
            if c.method == "POST" and c.status < 300
            if conversation is None or c.conversation == conversation
        ]

    def updates(self) -> list[Call]:
        return [c for c in self.calls if c.method == "PUT" and c.status < 300]

    def texts(self, conversation: str | None = None) -> list[str]:
        return [shown_text(a) for a in self.sent(conversation)]

    # ------------------------------------------------------------------ HTTP
    def _refused(self, request: web.Request, conversation: str) -> web.Response | None:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.login is not None and not self.login.bot_token_valid(token):
            return web.json_response(
                {"message": "Authorization has been denied for this request."}, status=401
            )
        if self._throttle:
            return web.json_response(
                {"error": {"code": "Throttled", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": self._throttle.pop(0)},
            )
        if conversation in self._gone:
            return web.json_response(
                {
                    "error": {
                        "code": "Forbidden",
                        "message": "The bot is not part of the conversation roster.",
                    }
                },
                status=self._gone[conversation],
            )
        return None

    async def _post(self, request: web.Request) -> web.Response:
        return await self._record(request, "POST")

    async def _put(self, request: web.Request) -> web.Response:
        return await self._record(request, "PUT")

    async def _record(self, request: web.Request, method: str) -> web.Response:
        if request.transport is not None:
            self.connections.add(request.transport.get_extra_info("peername")[:2])
        conversation = request.match_info["conversation"]
        reply = request.match_info.get("reply")
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        call = Call(
            method, conversation, await request.json(), reply, 0, token, at=time.monotonic()
        )
        self.calls.append(call)
        refused = self._refused(request, conversation)
        if refused is not None:
            call.status = refused.status
            return refused
        call.id = reply if method == "PUT" else f"1:{next(self._ids)}"
        call.status = 200 if method == "PUT" else 201
        return web.json_response({"id": call.id}, status=call.status)

    async def _upload(self, request: web.Request) -> web.Response:
        content = await request.read()
        expected = f"bytes 0-{len(content) - 1}/{len(content)}"
        if request.headers.get("Content-Range") != expected:
            return web.json_response({"error": {"code": "invalidRange"}}, status=400)
        self.uploads[request.match_info["name"]] = content
        return web.json_response({"id": "file-1", "name": request.match_info["name"]}, status=201)


# ---------------------------------------------------------------------- reading what was sent
def cards(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [a["content"] for a in activity.get("attachments") or [] if a["contentType"] == CARD]


def _elements(card: dict[str, Any]) -> list[dict[str, Any]]:
    return list(card.get("body") or [])


def shown_text(activity: dict[str, Any]) -> str:
    """What the person reads: the text blocks of its cards, a file card's name, or the text."""
    lines: list[str] = []
    for a in activity.get("attachments") or []:
        if a["contentType"] == CARD:
            lines += [e["text"] for e in _elements(a["content"]) if e["type"] == "TextBlock"]
        elif a["contentType"] in (FILE_CONSENT, FILE_INFO):
            lines.append(a.get("name") or "")
    if activity.get("text"):
        lines.insert(0, activity["text"])
    return "\n".join(lines)


def buttons(activity: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(title, data) of each button under a message."""
    return [
        (action["title"], action.get("data") or {})
        for card in cards(activity)
        for e in _elements(card)
        if e["type"] == "ActionSet"
        for action in e["actions"]
        if action["type"] == "Action.Submit"
    ]


def inputs(activity: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        e for card in cards(activity) for e in _elements(card) if e["type"].startswith("Input.")
    ]
