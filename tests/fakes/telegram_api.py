"""A loopback Telegram Bot API: `POST /bot<token>/<method>` as Telegram answers it; records all.

python-telegram-bot is pointed at it with `base_url`, so tests and the bench run the real
library over real HTTP. Updates are queued with `push` and served by getUpdates (long polling
with offset and timeout), or built here and posted to a webhook by the test itself. A document
a person sends (`document`) is fetched as Telegram serves it: getFile, then a GET of
`/file/bot<token>/<file_path>`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiohttp import web

TOKEN = "123456:TEST-participatiebot-token"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "Participatiebot",
    "username": "participatie_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
# form values python-telegram-bot JSON-encodes; everything else stays the string it sent
JSON_FIELDS = {
    *("reply_markup", "commands", "allowed_updates", "scope", "entities"),
    "link_preview_options",
}
INT_FIELDS = {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "max_connections"}

T = TypeVar("T")
UPDATES = "updates"
ANY = "any"


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    result: Any = None

    @property
    def chat_id(self) -> int | None:
        return self.params.get("chat_id")

    @property
    def text(self) -> str:
        return str(self.params.get("text") or "")

    @property
    def preview(self) -> str | None:
        """The web page Telegram shows a preview of in the message (its first link), unless
        the bot turned previews off."""
        if (self.params.get("link_preview_options") or {}).get("is_disabled"):
            return None
        found = re.search(r"https?://\S+", self.text)
        return found.group(0) if found else None

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row after row."""
        markup = self.params.get("reply_markup") or {}
        return [b for row in markup.get("inline_keyboard", []) for b in row]


class FakeTelegramAPI:
    """Start with `async with FakeTelegramAPI() as api:`; point the bot at `api.base_url`."""

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.rejected: list[Call] = []  # requests answered with an error (429, 401)
        self.webhook: dict[str, Any] = {}
        self.commands: dict[str, list[dict[str, str]]] = {}
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # what the chat shows now
        self._by_chat: dict[int, list[Call]] = {}  # messages and documents per chat
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._chats: dict[int, dict[str, Any]] = {}
        self._throttle: dict[str, list[int]] = {}
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (name, bytes)
        self.downloads: list[str] = []  # file paths the bot fetched
        # who waits for what: a chat id (its messages), UPDATES (getUpdates) or ANY
        self._waiters: dict[Any, list[asyncio.Future[None]]] = {}
        self._closing = False
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ------------------------------------------------------------------ life
    async def start(self) -> FakeTelegramAPI:
        app = web.Application(client_max_size=50 * 1024 * 1024)
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=1, access_log=None
        )
        await self._runner.setup()
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()
        return self

    async def stop(self) -> None:
        self._closing = True
        self._wake(UPDATES)
        if self._runner:
            await self._runner.cleanup()

    async def __aenter__(self) -> FakeTelegramAPI:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ------------------------------------------------------------------ updates from users
    def message(
        self,
        user_id: int,
        text: str | None,
        *,
        chat_id: int | None = None,
        chat_type: str = "private",
        first_name: str = "Testgebruiker",
        update_id: int | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        """An Update carrying a message from a person (not queued: see `push`)."""
        chat_id = user_id if chat_id is None else chat_id
        chat: dict[str, Any] = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = first_name
        else:
            chat["title"] = "Buurtgroep"
        self._chats[chat_id] = chat
        msg: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id, first_name),
            **extra,
        }
        if text is not None:
            msg["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                msg["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": self._update_id(update_id), "message": msg}

    def document(
        self, user_id: int, name: str, data: bytes, *, caption: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        """An Update carrying a file the person sent (not queued: see `push`)."""
        file_id = self._store_file(name, data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "mime_type": "text/csv",
            "file_size": len(data),
        }
        if caption is not None:
            extra["caption"] = caption
        return self.message(user_id, None, document=document, **extra)

    def _store_file(self, name: str, data: bytes) -> str:
        file_id = f"doc{len(self.files) + 1}"
        self.files[file_id] = (name, data)
        return file_id

    def press(
        self, user_id: int, sent: Call, data: str, *, update_id: int | None = None
    ) -> dict[str, Any]:
        """An Update for pressing the button with callback `data` under a message the bot sent."""
        chat_id = sent.chat_id
        shown = self.messages[(chat_id, sent.result["message_id"])]
        return {
            "update_id": self._update_id(update_id),
            "callback_query": {
                "id": f"cq{next(self._message_ids)}",
                "from": self._user(user_id, "Testgebruiker"),
                "chat_instance": f"ci{chat_id}",
                "data": data,
                "message": shown,
            },
        }

    def edit(self, sent: dict[str, Any], text: str) -> dict[str, Any]:
        """An Update for the person changing the text of a message they sent (`sent`, an
        Update from `message`)."""
        msg = {**sent["message"], "text": text, "edit_date": int(time.time())}
        return {"update_id": self._update_id(None), "edited_message": msg}

    def push(self, *updates: dict[str, Any]) -> None:
        """Queue updates for getUpdates, as Telegram holds them until the bot confirms them."""
        self._updates.extend(updates)
        self._wake(UPDATES)

    def _update_id(self, given: int | None) -> int:
        return next(self._update_ids) if given is None else given

    @staticmethod
    def _user(user_id: int, first_name: str) -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": "nl"}

    # ------------------------------------------------------------------ what the bot did
    def sent(self, chat_id: int | None = None, method: str | None = None) -> list[Call]:
        """Messages and documents the bot sent (to one chat), oldest first."""
        methods = {method} if method else {"sendMessage", "sendDocument"}
        calls = self.calls if chat_id is None else self._by_chat.get(chat_id, [])
        return [c for c in calls if c.method in methods]

    def texts(self, chat_id: int) -> list[str]:
        return [c.text for c in self.sent(chat_id, "sendMessage")]

    def throttle(self, method: str, times: int = 1, retry_after: int = 1) -> None:
        """Answer the next `times` calls of `method` with 429 Too Many Requests."""
        self._throttle[method] = [retry_after] * times

    async def wait_for(
        self, check: Callable[[], T], timeout: float = 15, chat_id: int | None = None
    ) -> T:
        """Wait until `check()` is truthy (re-checked after each request of the bot, or each
        message to `chat_id`); return its value."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"waited {timeout}s; the bot's last calls: {self.calls[-5:]}")
            await self._sleep(left, ANY if chat_id is None else chat_id)

    async def reply(self, chat_id: int, contains: str, since: int = 0, timeout: float = 15) -> Call:
        """The first message to `chat_id` after the first `since` ones that holds `contains`."""

        def find() -> Call | None:
            for c in self.sent(chat_id)[since:]:
                if contains in c.text or contains in c.files.get("document", ("", b""))[0]:
                    return c
            return None

        return await self.wait_for(find, timeout, chat_id)

    def _wake(self, *keys: Any) -> None:
        for key in (*keys, ANY):
            for waiter in self._waiters.pop(key, []):
                if not waiter.done():
                    waiter.set_result(None)

    async def _sleep(self, timeout: float, key: Any) -> None:
        """Until `_wake(key)` or the timeout. The waiter is registered before anything yields,
        so a wake-up between the caller's check and this wait cannot get lost."""
        waiter = asyncio.get_running_loop().create_future()
        waiters = self._waiters.setdefault(key, [])
        waiters.append(waiter)
        try:
            await asyncio.wait_for(waiter, max(timeout, 0))
        except TimeoutError:
            pass
        finally:
            if waiter in self._waiters.get(key, []):
                self._waiters[key].remove(waiter)

    # ------------------------------------------------------------------ the HTTP side
    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files = await self._read(request)
        call = Call(method, params, files)
        if request.match_info["token"] != self.token:
            self.rejected.append(call)
            return _error(401, "Unauthorized")
        pending = self._throttle.get(method)
        if pending:
            retry_after = pending.pop(0)
            self.rejected.append(call)
            return _error(
                429,
                f"Too Many Requests: retry after {retry_after}",
                parameters={"retry_after": retry_after},
            )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        try:
            result = await handler(params, files)
        except _ApiError as e:
            return _error(e.code, e.description)
        if method != "getUpdates":
            call.result = result
            self.calls.append(call)
            if method in ("sendMessage", "sendDocument"):
                self._by_chat.setdefault(call.chat_id, []).append(call)
            self._wake(call.chat_id)
        return web.json_response({"ok": True, "result": result})

    async def _download(self, request: web.Request) -> web.Response:
        """A file as Telegram serves it at the path getFile gave."""
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        file_id = path.removeprefix("documents/").split("_", 1)[0]
        if file_id not in self.files:
            return web.Response(status=404)
        return web.Response(body=self.files[file_id][1])

    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
        params: dict[str, Any] = {}
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            params = dict(await request.json())
        elif request.can_read_body:
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    params[key] = value
        for key, value in list(params.items()):
            if isinstance(value, str) and value.startswith("attach://"):
                files[key] = files.pop(value.removeprefix("attach://"))
                del params[key]
            elif key in JSON_FIELDS and isinstance(value, str):
                params[key] = json.loads(value)
            elif key in INT_FIELDS and isinstance(value, str):
                params[key] = int(value)
        return params, files

    def _sent_message(self, chat_id: int, **content: Any) -> dict[str, Any]:
        chat = self._chats.get(chat_id, {"id": chat_id, "type": "private", "first_name": "Test"})
        msg = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": BOT_USER,
            **content,
        }
        self.messages[(chat_id, msg["message_id"])] = msg
        return msg

    def _shown(self, params: dict[str, Any]) -> dict[str, Any]:
        key = (params.get("chat_id"), params.get("message_id"))
        if key not in self.messages:
            raise _ApiError(400, "Bad Request: message to edit not found")
        return self.messages[key]

    # Bot API methods, named as Telegram names them
    async def _m_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return BOT_USER

    async def _m_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if self.webhook.get("url"):
            raise _ApiError(409, "Conflict: can't use getUpdates method while webhook is active")
        offset = params.get("offset") or 0
        if offset:
            # updates before the offset are confirmed: Telegram forgets them
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        while not self._updates and not self._closing and time.monotonic() < deadline:
            await self._sleep(deadline - time.monotonic(), UPDATES)
        return self._updates[: params.get("limit") or 100]

    async def _m_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook = dict(params)
        return True

    async def _m_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook = {}
        if params.get("drop_pending_updates") in ("true", True):
            self._updates.clear()
        return True

    async def _m_getWebhookInfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _m_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands[params.get("language_code") or ""] = params["commands"]
        return True

    async def _m_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        text = str(params.get("text") or "")
        if not text.strip():
            raise _ApiError(400, "Bad Request: message text is empty")
        if len(text.encode("utf-16-le")) // 2 > 4096:
            raise _ApiError(400, "Bad Request: message is too long")
        content: dict[str, Any] = {"text": text}
        if params.get("reply_markup"):
            content["reply_markup"] = params["reply_markup"]
        return self._sent_message(params["chat_id"], **content)

    async def _m_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        if "document" not in files:
            raise _ApiError(400, "Bad Request: there is no document in the request")
        name, data = files["document"]
        file_id = self._store_file(name, data)
        document = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": name,
            "file_size": len(data),
        }
        return self._sent_message(params["chat_id"], document=document)

    async def _m_getFile(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise _ApiError(400, "Bad Request: invalid file_id")
        name, data = self.files[file_id]
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(data),
            "file_path": f"documents/{file_id}_{name}",
        }

    async def _m_editMessageText(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        shown = self._shown(params)
        shown["text"] = params["text"]
        shown.pop("reply_markup", None)
        if params.get("reply_markup"):
            shown["reply_markup"] = params["reply_markup"]
        return shown

    async def _m_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        shown = self._shown(params)
        shown.pop("reply_markup", None)
        if params.get("reply_markup"):
            shown["reply_markup"] = params["reply_markup"]
        return shown

    async def _m_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_sendChatAction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _m_close(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def _error(code: int, description: str, **extra: Any) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description, **extra}
    return web.json_response(body, status=code)
