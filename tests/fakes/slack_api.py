"""A loopback Slack Web API for tests: answers /api/<method> as Slack does and records each call.

It speaks what participatiebot uses: auth.test, conversations.open, chat.postMessage,
chat.update, the three calls of files_upload_v2 (files.getUploadURLExternal, the POST of the
bytes to the returned upload_url, files.completeUploadExternal) and Socket Mode
(apps.connections.open and a WebSocket that pushes envelopes). `rate_limit` makes the next
calls of a method answer 429 with Retry-After. `share` makes a file a person shares in a
direct message: its `url_private_download` answers only with the bot token, as Slack's does.
"""

from __future__ import annotations

import asyncio
import html
import json
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

TEAM = "T0TEST"
BOT_USER = "UBOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str
    status: int = 200


@dataclass
class UploadedFile:
    id: str
    filename: str
    title: str = ""
    content: bytes = b""
    channel: str | None = None


@dataclass
class FakeSlackAPI:
    token: str = "xoxb-test"
    app_token: str = "xapp-test"
    calls: list[Call] = field(default_factory=list)
    files: dict[str, UploadedFile] = field(default_factory=dict)
    posted: list[dict[str, Any]] = field(default_factory=list)  # messages as Slack keeps them
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    _limited: dict[str, int] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    url: str = ""  # the Web API base, for SLACK_API_URL
    _root: str = ""
    _sockets: list[web.WebSocketResponse] = field(default_factory=list)
    _ts: int = 0
    # the client's TCP connections the Web API calls came over (host, port)
    connections: set[tuple[str, int]] = field(default_factory=set)

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> str:
        """Serve on 127.0.0.1 on a free port; returns the Web API base URL (SLACK_API_URL)."""
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/files-pri/{file_id}/{name:.+}", self._download)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self._root = f"http://127.0.0.1:{port}"
        self.url = f"{self._root}/api/"
        return self.url

    async def close(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ------------------------------------------------------------------ test controls
    def rate_limit(self, method: str, times: int = 1) -> None:
        """The next `times` calls of `method` get 429 with Retry-After: 0."""
        self._limited[method] = times

    def share(self, name: str, content: bytes) -> dict[str, Any]:
        """A file a person shares, as the `files` entry of their message event."""
        file_id = f"F{len(self.files) + 1:04d}"
        self.files[file_id] = UploadedFile(file_id, name, name, content)
        return {
            "id": file_id,
            "name": name,
            "mimetype": "text/csv",
            "size": len(content),
            "url_private": f"{self._root}/files-pri/{file_id}/{name}",
            "url_private_download": f"{self._root}/files-pri/{file_id}/download/{name}",
        }

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def messages(self, channel: str | None = None) -> list[dict[str, Any]]:
        """The messages posted (channel, ts, text, blocks), oldest first."""
        return [m for m in self.posted if channel is None or m["channel"] == channel]

    def texts(self, channel: str | None = None) -> list[str]:
        """What the person reads, message by message."""
        return [shown_text(m) for m in self.messages(channel)]

    async def push(self, envelope: dict[str, Any]) -> None:
        """Socket Mode: send an envelope to every connected app."""
        for ws in self._sockets:
            await ws.send_json(envelope)

    async def wait_for_socket(self, timeout: float = 5) -> None:
        async with asyncio.timeout(timeout):
            while not self._sockets:
                await asyncio.sleep(0.01)

    # ------------------------------------------------------------------ HTTP
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.transport is not None:
            self.connections.add(request.transport.get_extra_info("peername")[:2])
        args: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            args.update(await request.json())
        elif request.body_exists:
            args.update(await request.post())
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        call = Call(method, args, token)
        self.calls.append(call)
        if self._limited.get(method):
            self._limited[method] -= 1
            call.status = 429
            return web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers={"Retry-After": "0"}
            )
        expected = self.app_token if method == "apps.connections.open" else self.token
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        if answer is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response({"ok": True, **answer(args)})

    async def _upload(self, request: web.Request) -> web.Response:
        f = self.files.get(request.match_info["file_id"])
        if f is None:
            return web.Response(status=404, text="unknown upload")
        f.content = await request.read()
        return web.Response(text=f"OK - {len(f.content)}")

    async def _download(self, request: web.Request) -> web.Response:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        self.calls.append(Call("files-pri", dict(request.match_info), token))
        f = self.files.get(request.match_info["file_id"])
        if token != self.token or f is None:
            return web.Response(status=404, text="not found")
        return web.Response(body=f.content)

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1})
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
        self._sockets.remove(ws)
        return ws

    # ------------------------------------------------------------------ Web API methods
    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": "https://testteam.example.org/",
            "team": "Testteam",
            "user": "participatiebot",
            "team_id": TEAM,
            "user_id": BOT_USER,
            "bot_id": "BBOT",
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": self._root.replace("http", "ws", 1) + "/socket"}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": {"id": "D" + str(args["users"])}}

    def _chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        self._ts += 1
        ts = f"{1767600000 + self._ts}.000100"
        message = {"type": "message", "ts": ts, "text": args.get("text"), "user": BOT_USER}
        if args.get("blocks"):
            message["blocks"] = args["blocks"]
        self.posted.append({"channel": args["channel"], **message})
        return {"channel": args["channel"], "ts": ts, "message": message}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": args["channel"], "ts": args["ts"], "text": args.get("text")}

    def _files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        file_id = f"F{len(self.files) + 1:04d}"
        self.files[file_id] = UploadedFile(file_id, args["filename"])
        return {"upload_url": f"{self._root}/upload/{file_id}", "file_id": file_id}

    def _files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        done = []
        for item in json.loads(args["files"]):
            f = self.files[item["id"]]
            f.title = item.get("title", f.filename)
            f.channel = args.get("channel_id")
            done.append({"id": f.id, "name": f.filename, "title": f.title})
        return {"files": done}


def shown_text(message: dict[str, Any]) -> str:
    """The text of a message as Slack shows it: its blocks' text, else the `text` field."""
    blocks = message.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    lines = []
    for b in blocks:
        if b.get("type") == "section":
            lines.append(b["text"]["text"])
        elif b.get("type") == "context":
            lines += [e["text"] for e in b["elements"]]
    return "\n".join(lines) if lines else html.unescape(message.get("text") or "")


def buttons(message: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of each button under a message."""
    return [
        (e["text"]["text"], e["value"])
        for b in message.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["type"] == "button"
    ]


def has_datepicker(message: dict[str, Any]) -> bool:
    return any(
        e["type"] == "datepicker"
        for b in message.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
    )
