"""python-telegram-bot's HTTP requests over aiohttp instead of httpx.

The Bot API is a few small HTTP requests per turn. Through httpx and httpcore (pure-Python
HTTP/1.1, a connection pool that looks at every connection per request) they took more CPU than
the interview itself; aiohttp parses HTTP in C and is already what the Slack channel uses.
python-telegram-bot leaves the transport open for this (`BaseRequest`); its behaviour is kept:
the same default timeouts, TimedOut and NetworkError for what went wrong on the way.
"""

from __future__ import annotations

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# python-telegram-bot's own defaults for HTTPXRequest, in seconds
READ, WRITE, CONNECT, POOL, MEDIA_WRITE = 5.0, 5.0, 5.0, 1.0, 20.0


def _given(value: object, default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value  # type: ignore[return-value]


class AiohttpRequest(BaseRequest):
    """One aiohttp session with at most `connections` connections to the Bot API."""

    def __init__(self, connections: int, read_timeout: float | None = READ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            # the session is made here, inside the running loop it will be used on
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                timeout=aiohttp.ClientTimeout(total=None),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | DefaultValue = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        data: aiohttp.FormData | dict[str, str] | None = fields or None
        if files:
            form = aiohttp.FormData(fields or {})
            for name, (filename, content, mime) in files.items():
                form.add_field(name, content, filename=filename, content_type=mime)
            data = form
        read = _given(read_timeout, self._read_timeout)
        write = _given(write_timeout, MEDIA_WRITE if files else WRITE)
        connect = _given(connect_timeout, CONNECT)
        pool = _given(pool_timeout, POOL)
        # aiohttp has no write timeout: it bounds the whole request by the sum instead; its
        # `connect` includes waiting for a free connection in the pool
        parts = [read, write, connect, pool]
        total = None if None in parts else sum(parts)  # type: ignore[arg-type]
        waiting = None if connect is None or pool is None else connect + pool
        timeout = aiohttp.ClientTimeout(
            total=total, connect=waiting, sock_connect=connect, sock_read=read
        )
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as e:
            raise TimedOut from e
        except aiohttp.ClientError as e:
            raise NetworkError(f"aiohttp.{type(e).__name__}: {e}") from e
