"""`participatiebot serve`: every configured channel and the HTTP server in one process."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import signal
import socket
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn

from bot.app import build_engine
from bot.engine import Engine
from bot.http import build_app
from bot.settings import Settings
from bot.storage import Store
from handreiking import cores, drawing, pdf

log = logging.getLogger(__name__)

# glibc's malloc gives each thread that allocates an arena of its own (turns run on worker
# threads), raises its thresholds after each large free (then up to 64 MB stay at the top of
# the heap) and keeps the holes a burst of turns freed: two arenas, glibc's first thresholds
# kept fixed, and the freed pages handed back once the process has been quiet for half a second.
MALLOC_ARENAS = 2
MALLOC_THRESHOLD = 128 * 1024  # glibc's default for both
# mallopt's parameter numbers in glibc's malloc.h
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD, _M_ARENA_MAX = -1, -3, -8
QUIET = 0.5  # seconds
QUIET_CPU = 0.025  # CPU seconds used in QUIET seconds, below which the process is quiet

# what turns each chat platform on, said in the log when it is off
CHANNEL_SETTINGS = {
    "Telegram": "TELEGRAM_TOKEN",
    "Slack": "SLACK_BOT_TOKEN met SLACK_SIGNING_SECRET (of SLACK_APP_TOKEN)",
    "Teams": "TEAMS_APP_ID met TEAMS_APP_PASSWORD en TEAMS_TENANT_ID",
}


class ServeError(Exception):
    """Serving cannot start; the message is one line saying what to set."""


class _Server(uvicorn.Server):
    """uvicorn without its own signal handling: serve() owns SIGTERM and stops channels first."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def configured_channels(settings: Settings) -> list[tuple[str, type]]:
    """(name, channel class) for each platform the settings turn on."""
    channels: list[tuple[str, type]] = []
    if settings.telegram_token:
        from bot.channels.telegram import TelegramChannel

        channels.append(("Telegram", TelegramChannel))
    # a channel's module (and its platform's SDK) is imported only when it is turned on
    if settings.slack_enabled:
        from bot.channels.slack import SlackChannel

        channels.append(("Slack", SlackChannel))
    if settings.teams_enabled:
        from bot.channels.teams import TeamsChannel

        channels.append(("Teams", TeamsChannel))
    return channels


async def serve_async(settings: Settings, stop_event: asyncio.Event) -> None:
    """Start the channels and the HTTP server; return after `stop_event`, everything stopped."""
    wanted = configured_channels(settings)
    sock = _listen(settings.http_host, settings.http_port)
    try:
        store = Store(settings.db_url, clock=settings.clock)
    except Exception as e:
        sock.close()
        raise ServeError(f"kan de database niet openen ({settings.db_url}): {_line(e)}") from None
    engine = build_engine(store, settings)
    pdf.start()  # LibreOffice warms up beside the channels: the first PDF need not wait for it
    drawing.enable()  # the documents' pictures are drawn beside the conversations, not among them
    started: list[tuple[str, Any]] = []
    served = False
    try:
        for name, cls in wanted:
            channel = cls(settings, engine, store)
            try:
                await channel.start()
            except Exception as e:
                await _stop(name, channel)
                raise _start_error(name, settings, e) from None
            started.append((name, channel))
            log.info("%s draait (%s)", name, getattr(channel, "mode", "actief"))
        on = {name for name, _ in wanted}
        for name, what in CHANNEL_SETTINGS.items():
            if name not in on:
                log.info("%s staat uit (zet %s om het aan te zetten)", name, what)
        routes = [route for _, channel in started for route in channel.routes()]
        routes += page_routes(settings, engine, store)
        workers = _workers(settings, store, stop_event)
        if (trim := _malloc_trim()) is not None:
            workers.append(asyncio.create_task(_trim_when_quiet(trim, stop_event)))
        app = build_app(settings, engine, store, routes)
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
        server = _Server(config)
        serving = asyncio.create_task(server.serve(sockets=[sock]))
        served = True
        host, port = sock.getsockname()[:2]
        log.info(
            "HTTP-server op %s:%s (GET /health), bereikbaar als %s", host, port, settings.public_url
        )
        if (core := cores.kept()) is not None:
            log.info("Python-draden op kern %s; tekenaar en LibreOffice op alle kernen", core)
        stopping = asyncio.create_task(stop_event.wait())
        await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
        server.should_exit = True
        stopping.cancel()
        await serving
        stop_event.set()
        await asyncio.gather(*workers, return_exceptions=True)
    finally:
        for name, channel in reversed(started):
            await _stop(name, channel)
        store.close()
        sock.close()
        await asyncio.to_thread(pdf.stop)
        await asyncio.to_thread(drawing.stop)
        if served:  # a failed start says one line (the ServeError), nothing more
            log.info("gestopt")


def page_routes(settings: Settings, engine: Engine, store: Store) -> list[Any]:
    """The advisor's pages (/adviseur), the participants' consent and unsubscribe links, the web
    chat (/chat) and the public plan pages (/plannen)."""
    from bot import pages, participant_pages, public_pages, web
    from bot.channels import web as webchat

    return [
        *pages.static_routes(),
        *web.routes(settings, store),
        *participant_pages.routes(settings, store),
        *webchat.routes(settings, engine, store),
        *public_pages.routes(settings, store),
    ]


def _workers(settings: Settings, store: Store, stop: asyncio.Event) -> list[asyncio.Task]:
    """The mail outbox and the reminder worker run beside the channels until `stop`."""
    from bot import mail
    from bot.features import reminders_worker

    configured_channels(settings)  # each channel that is on registers its sender with the outbox

    log.info("herinneringen en e-mail worden verstuurd vanuit dit proces")
    return [
        asyncio.create_task(mail.run_worker(mail.Outbox(settings, store), stop)),
        asyncio.create_task(reminders_worker.run_worker(settings, store, stop)),
    ]


def _malloc_trim() -> Callable[[], None] | None:
    """glibc's malloc_trim, or None on another C library."""
    try:
        trim = ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None
    return lambda: trim(0)


def _tune_malloc() -> None:
    """At most MALLOC_ARENAS malloc arenas and fixed thresholds (glibc; set before any thread
    starts)."""
    with contextlib.suppress(OSError, AttributeError):
        mallopt = ctypes.CDLL("libc.so.6").mallopt
        mallopt(_M_ARENA_MAX, MALLOC_ARENAS)
        mallopt(_M_TRIM_THRESHOLD, MALLOC_THRESHOLD)
        mallopt(_M_MMAP_THRESHOLD, MALLOC_THRESHOLD)


async def _trim_when_quiet(trim: Callable[[], None], stop: asyncio.Event) -> None:
    """Hand the heap's free pages back to the system once after each busy spell (starting up
    is the first)."""
    busy = True
    used = time.process_time()
    while not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), QUIET)
        before, used = used, time.process_time()
        if used - before > QUIET_CPU:
            busy = True
        elif busy:
            trim()
            busy = False
            used = time.process_time()


def run(settings: Settings) -> None:
    """Serve until SIGTERM or SIGINT; raises ServeError with one line when it cannot start."""
    _log_to_stderr()
    _tune_malloc()
    if settings.one_core:
        cores.one_core()  # before any thread starts: every thread of serve inherits it

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve_async(settings, stop)

    asyncio.run(main())


def _listen(host: str, port: int) -> socket.socket:
    """Bind before anything starts, so a taken port is one clear line, not a uvicorn exit."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP, as uvicorn makes its own: asyncio turns Nagle off (TCP_NODELAY) only on a
    # socket that says it is TCP; with protocol 0 every reply's body waited ~40 ms for the
    # client's acknowledgement of its headers
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        raise ServeError(
            f"kan niet luisteren op {host}:{port} ({e.strerror}); zet PARTICIPATIEBOT_HTTP_PORT "
            "op een vrije poort en PARTICIPATIEBOT_HTTP_HOST op een adres van deze machine"
        ) from None
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _start_error(name: str, settings: Settings, e: Exception) -> ServeError:
    if isinstance(e, ServeError):
        return e
    from telegram.error import InvalidToken, NetworkError

    if isinstance(e, InvalidToken):
        return ServeError("Telegram weigert TELEGRAM_TOKEN: zet de token die @BotFather je gaf")
    if isinstance(e, NetworkError):
        return ServeError(
            f"kan Telegram niet bereiken via TELEGRAM_BASE_URL ({settings.telegram_base_url}): "
            f"{_line(e)}"
        )
    if type(e).__name__ == "SlackApiError":
        return ServeError(
            f"Slack weigert de verbinding ({_line(e)}): controleer SLACK_BOT_TOKEN "
            "en SLACK_SIGNING_SECRET of SLACK_APP_TOKEN"
        )
    return ServeError(f"{name} kan niet starten: {_line(e)}")


async def _stop(name: str, channel: Any) -> None:
    try:
        await channel.stop()
    except Exception:  # stopping must go on for the other channels and the store
        log.warning("%s stopte niet netjes", name, exc_info=True)


def _line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0] if lines else type(e).__name__


def _log_to_stderr() -> None:
    """Our own INFO lines (which channels run) and everyone's warnings go to stderr."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(lambda r: r.levelno >= logging.WARNING or r.name.startswith("bot."))
    root = logging.getLogger()
    root.addHandler(handler)
    if root.level > logging.INFO or root.level == logging.NOTSET:
        root.setLevel(logging.INFO)
