"""The loopback Bot API (tests/fakes/telegram_api.py) with Telegram's flood limits enforced.

sendMessage is limited as Telegram's guidance says: `overall` messages in any second, and one
chat at most `per_chat` a second; over a limit it answers 429 with `parameters.retry_after`.
A chat in `blocked` answers 403 Forbidden, as when the person blocked the bot. It counts what
each chat received, so tests and the bench can see duplicates.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from typing import Any

from aiohttp import web

from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI

PARSED = web.RequestKey("parsed", tuple)


class LimitedTelegramAPI(FakeTelegramAPI):
    def __init__(
        self,
        token: str = TOKEN,
        *,
        overall: int = 30,
        per_chat: float = 1.0,
        retry_after: int = 1,
        keep_calls: bool = True,
    ) -> None:
        super().__init__(token)
        self.overall = overall
        self.per_chat = per_chat
        self.retry_after = retry_after
        self.keep_calls = keep_calls  # the bench sends 10,000: no need to keep every call
        self.blocked: set[int] = set()
        self.too_many = 0  # 429 answers given for the limits
        self.received: Counter[tuple[int, str]] = Counter()
        self.in_flight = 0
        self.max_in_flight = 0
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._accepted: deque[float] = deque()
        self._chat_last: dict[int, float] = {}

    @property
    def duplicates(self) -> int:
        return sum(n - 1 for n in self.received.values() if n > 1)

    def chats(self, text_part: str = "") -> set[int]:
        """Chats that received a message holding `text_part`."""
        return {chat for chat, text in self.received if text_part in text}

    async def _read(self, request: web.Request) -> tuple[dict[str, Any], dict[str, Any]]:
        # the body can be read once: the limits look at it first, then the base class
        if PARSED not in request:
            request[PARSED] = await super()._read(request)
        return request[PARSED]

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["method"] != "sendMessage":
            return await super()._handle(request)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            return await self._send(request)
        finally:
            self.in_flight -= 1

    async def _send(self, request: web.Request) -> web.Response:
        params, _ = await self._read(request)
        chat_id = int(params.get("chat_id") or 0)
        now = time.monotonic()
        while self._accepted and now - self._accepted[0] >= 1.0:
            self._accepted.popleft()
        too_soon = now - self._chat_last.get(chat_id, -1e9) < 1.0 / self.per_chat
        if len(self._accepted) >= self.overall or too_soon:
            self.too_many += 1
            return _error(
                429,
                f"Too Many Requests: retry after {self.retry_after}",
                parameters={"retry_after": self.retry_after},
            )
        if chat_id in self.blocked:
            return _error(403, "Forbidden: bot was blocked by the user")
        self._accepted.append(now)
        self._chat_last[chat_id] = now
        response = await super()._handle(request)
        if response.status == 200:
            self.received[(chat_id, str(params.get("text") or ""))] += 1
            self.first_at = self.first_at or now
            self.last_at = now
            if not self.keep_calls:
                self.calls.clear()
                self.messages.clear()
        return response


def _error(code: int, description: str, **extra: Any) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description, **extra}
    return web.json_response(body, status=code)
