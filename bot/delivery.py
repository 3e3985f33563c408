"""The message outbox: every message is stored before it is sent and marked after.

Rows are claimed a few at a time in one UPDATE (`SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL, SQLite's write lock), so several workers never send the same row; what a dead
process had claimed is given back. A message goes out twice only when a process dies between
the platform's answer and the mark: at most the sends in flight. Each channel has its own pace
(Telegram: 30/s overall, shared by all processes on one database, and 1/s per chat; Slack: 1/s
per channel), a platform's retry_after pauses the channel, and someone who blocked the bot is
marked and skipped.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import time
import warnings
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid
from typing import Any, Protocol

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import BlockedRecipient, OutboxMessage
from bot.storage.shared import pause_budget, take_token
from handreiking.reminders import in_window, window_start

log = logging.getLogger(__name__)

# Telegram's published guidance: about one message a second to one chat.
TELEGRAM_CHAT_RATE = 1.0
# Keep a little under a limit, so a request that is a few ms late never makes 31 in a second.
SAFETY = 1.03
# The same for a limit shared by several processes (see SharedBudget).
SHARED_SAFETY = 1.06
# Sends running at once per process: enough for ~30/s at 150 ms per request, and the bound on
# duplicates after a crash.
MAX_IN_FLIGHT = 8
# A 429 for the same message this often: give it back to the queue and move on.
MAX_RETRY_AFTER = 10
# Attempts before a message that keeps failing is given up ('failed').
MAX_ATTEMPTS = 8
# A claim older than this is taken over, whoever made it (another host that died).
LEASE = timedelta(minutes=10)
HOST = socket.gethostname()
_LIVE_RUNS: set[str] = set()  # claim tokens of the runs in this process


class RetryLater(Exception):
    """The platform asked to wait (429, retry_after); the message is tried again."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"retry after {seconds} s")
        self.seconds = max(float(seconds), 0.0)


class Blocked(Exception):
    """The person blocked the bot or cannot be reached on this channel any more."""


class Undeliverable(Exception):
    """The platform refused this one message for good (not a matter of waiting)."""


class Sender(Protocol):
    """One channel's way out. Raises RetryLater, Blocked or Undeliverable; anything else is
    treated as a passing failure and the message is tried again later."""

    async def send(self, identity: str, text: str, **extra: Any) -> None: ...


@dataclass
class Message:
    """A message to store in the outbox."""

    identity: str  # telegram:<id>, slack:<team>/<user>, email:<address>
    text: str
    kind: str  # update, reminder, invitation, reply, notice
    plan_id: str | None = None
    ref: str | None = None  # the reminder's key
    dedupe: str | None = None  # the same dedupe key is stored once
    subject: str | None = None
    unsubscribe_url: str | None = None
    daytime: bool = True  # only between 09:00 and 20:00 in Amsterdam


@dataclass
class Stats:
    sent: int = 0
    blocked: int = 0
    failed: int = 0
    retried: int = 0  # 429 / retry_after answers honoured
    deferred: int = 0  # passing failures, tried again later
    skipped_channels: set[str] = field(default_factory=set)


# Chat channels that can message a person by themselves (the console cannot).
CHAT_CHANNELS = ("telegram", "slack", "teams")


def channel_of(identity: str) -> str:
    """'telegram:42' -> 'telegram'."""
    return identity.split(":", 1)[0]


def _sessions(store: Store) -> sessionmaker[Session]:
    return sessionmaker(store.engine, expire_on_commit=False)


def _wall() -> datetime:
    return datetime.now(UTC)


def enqueue(store: Store, messages: Iterable[Message], now: datetime) -> int:
    """Store messages for sending; one whose dedupe key is already stored is left out."""
    now = now.astimezone(UTC)  # SQLite keeps no zone: every stored time is UTC
    rows = []
    for m in messages:
        not_before = window_start(now).astimezone(UTC) if m.daytime else now
        rows.append(
            {
                "channel": channel_of(m.identity),
                "identity": m.identity,
                "plan_id": m.plan_id,
                "kind": m.kind,
                "ref": m.ref,
                "dedupe": m.dedupe,
                "subject": m.subject,
                "text": m.text,
                "unsubscribe_url": m.unsubscribe_url,
                "daytime": m.daytime,
                "not_before": not_before,
                "status": "pending",
                "attempts": 0,
                "created_at": now,
            }
        )
    if not rows:
        return 0
    dialect = store.engine.dialect.name
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    elif dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
        dialect_insert = None
    added = 0
    with _sessions(store).begin() as s:
        if dialect_insert is not None:
            stmt = (
                dialect_insert(OutboxMessage)
                .on_conflict_do_nothing(index_elements=["dedupe"])
                .returning(OutboxMessage.id)
            )
            for chunk in _chunks(rows, 500):
                added += len(s.execute(stmt, chunk).all())
        else:
            for row in rows:
                if row["dedupe"] and s.scalar(
                    select(OutboxMessage.id).where(OutboxMessage.dedupe == row["dedupe"])
                ):
                    continue
                s.execute(insert(OutboxMessage), [row])
                added += 1
    if added:
        kick()
    return added


def _chunks(rows: list[dict[str, Any]], n: int) -> Iterable[list[dict[str, Any]]]:
    for i in range(0, len(rows), n):
        yield rows[i : i + n]


# A worker in this process sleeps on this event between rounds; enqueue wakes it.
_wake: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}


def _wake_event() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    return _wake.setdefault(loop, asyncio.Event())


def kick() -> None:
    """Wake the worker of this process (if one runs): there is something to send."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    event = _wake.get(loop)
    if event is not None:
        event.set()


async def wait_for_work(timeout: float) -> None:
    """Sleep until `kick()` or `timeout` seconds, whichever comes first."""
    event = _wake_event()
    try:
        await asyncio.wait_for(event.wait(), timeout)
    except TimeoutError:
        pass
    event.clear()


def mark_blocked(store: Store, identity: str, reason: str, now: datetime) -> None:
    """Remember that `identity` cannot be reached; what waits for them is skipped."""
    store.block(identity, reason, now)


def unblock(store: Store, identity: str) -> None:
    """Someone who talks to the bot again has not blocked it (any more)."""
    store.unblock(identity)


def is_blocked(store: Store, identity: str) -> bool:
    return store.is_blocked(identity)


def bot_value(store: Store, key: str) -> str | None:
    return store.bot_value(key)


def set_bot_value(store: Store, key: str, value: str) -> None:
    store.set_bot_value(key, value)


def pending(store: Store, at: datetime) -> list[OutboxMessage]:
    """Messages waiting to be sent that may go out at `at` (for `reminders due`)."""
    at = at.astimezone(UTC)
    q = (
        select(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= at)
        # the claim index's order: only due rows are read
        .order_by(OutboxMessage.not_before, OutboxMessage.id)
    )
    if not in_window(at):
        q = q.where(OutboxMessage.daytime.is_(False))
    with _sessions(store)() as s:
        return list(s.scalars(q))


def prune(store: Store, before: datetime) -> int:
    """Forget finished messages stored before `before`: their text and address are personal
    data, and a reminder is never due again that long after it was sent."""
    return store.prune_outbox(before)


def counts(store: Store, plan_id: str | None = None) -> dict[str, int]:
    """How many messages are in each state (sent, pending, blocked, failed, sending)."""
    return store.outbox_counts(plan_id)


# ---------------------------------------------------------------------- pacing
class Pace:
    """At most `rate` sends a second overall and `per_key` a second per key (chat, channel).

    Spacing counts from the moment a send really starts, so a stalled event loop never
    catches up with a burst. Keys wait in the order they asked.
    """

    def __init__(
        self, rate: float | None, per_key: float | None, budget: SharedBudget | None = None
    ) -> None:
        self.budget = budget
        self.interval = SAFETY / rate if rate else 0.0
        self.key_interval = SAFETY / per_key if per_key else 0.0
        self._last = -1e9
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self._keys: dict[str, float] = {}

    def pause(self, seconds: float) -> None:
        """A platform's retry_after: nothing goes out on this channel until it has passed."""
        self._paused_until = max(self._paused_until, time.monotonic() + seconds)
        if self.budget is not None:
            self.budget.pause(seconds)

    async def wait(self, key: str) -> None:
        while True:
            gap = self._keys.get(key, -1e9) + self.key_interval - time.monotonic()
            if gap <= 0:
                break
            await asyncio.sleep(gap)
        async with self._lock:
            while True:
                now = time.monotonic()
                ready = max(self._last + self.interval, self._paused_until)
                if ready <= now:
                    wait = self.budget.take() if self.budget is not None else 0.0
                    if wait <= 0:
                        break
                    ready = now + wait
                await asyncio.sleep(ready - now)
            self._last = now
        self._keys[key] = now
        if len(self._keys) > 10_000:  # forget chats that are long past their interval
            horizon = now - self.key_interval
            self._keys = {k: t for k, t in self._keys.items() if t > horizon}

    def done(self, key: str) -> None:
        """A send to `key` has finished: the next one waits a full interval from now, so a
        slow request (a new connection) never lets two arrive closer than the limit."""
        self._keys[key] = time.monotonic()


class SharedBudget:
    """A rate limit that holds for every process on one database: a token bucket row."""

    def __init__(self, store: Store, key: str, rate: float) -> None:
        self.engine = store.engine
        self.key = key
        # no burst, and further under the limit than one process needs: a token is taken in
        # one process and the send arrives a few ms later, and with several processes on few
        # cores those delays differ more than within one process
        self.rate = rate / SHARED_SAFETY

    def take(self) -> float:
        """0.0: send now; otherwise the seconds to wait before asking again."""
        return take_token(self.engine, self.key, self.rate)

    def pause(self, seconds: float) -> None:
        pause_budget(self.engine, self.key, self.rate, seconds)


def paces(settings: Settings, store: Store | None = None) -> dict[str, Pace]:
    """Each channel's pace; with a store, Telegram's overall limit is shared by all processes
    on that database (on SQLite the same code, with one worker)."""
    shared = SharedBudget(store, "telegram", settings.telegram_rate) if store else None
    from bot.channels import teams

    return {
        "telegram": Pace(settings.telegram_rate, TELEGRAM_CHAT_RATE, shared),
        "slack": Pace(None, settings.slack_rate),
        "email": Pace(None, None),
        **teams.paces(settings),
    }


# ---------------------------------------------------------------------- the deliverer
@dataclass
class _Claimed:
    id: int
    channel: str
    identity: str
    text: str
    subject: str | None
    unsubscribe_url: str | None
    plan_id: str | None
    attempts: int


class Deliverer:
    """Sends what is due from the outbox through the given senders, then returns."""

    def __init__(
        self,
        store: Store,
        senders: dict[str, Sender],
        pace: dict[str, Pace],
        *,
        max_in_flight: int = MAX_IN_FLIGHT,
    ) -> None:
        self.store = store
        self.senders = senders
        self.pace = pace
        self.max_in_flight = max_in_flight
        self._sessions = _sessions(store)
        # claims and marks are one statement each: no BEGIN/COMMIT round trips around them
        self._auto = store.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.token = f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"

    async def run(self, now: Callable[[], datetime], stop: asyncio.Event | None = None) -> Stats:
        """Send every message due at `now()`; stop claiming when `stop` is set."""
        stats = Stats()
        _LIVE_RUNS.add(self.token)
        try:
            self.recover()
            self._skip_blocked()
            stats.skipped_channels = self._waiting_channels(now())
            slots = asyncio.Semaphore(self.max_in_flight)
            tails: dict[str, asyncio.Task[None]] = {}
            tasks: set[asyncio.Task[None]] = set()
            # claimed a few at a time (one statement for up to max_in_flight messages); those
            # not sent yet when this process dies are given back by recover(), not sent twice
            claimed: deque[_Claimed] = deque()
            while stop is None or not stop.is_set():
                await slots.acquire()
                if not claimed:
                    claimed.extend(self.claim_batch(now(), self.max_in_flight))
                row = claimed.popleft() if claimed else None
                if row is None:
                    slots.release()
                    if not tasks:
                        # another process died with claims: they are ours to send now
                        if self.recover() and self.claimable(now()):
                            continue
                        break
                    # what is in flight may free more work (a release after a failure)
                    await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
                    continue
                before = tails.get(row.identity)
                task = asyncio.create_task(self._deliver(row, before, slots, stats, now))
                tails[row.identity] = task
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                task.add_done_callback(lambda t, key=row.identity: _forget(tails, key, t))
            if claimed:
                self._unclaim(claimed)
            if tasks:
                await asyncio.gather(*tasks)
        finally:
            _LIVE_RUNS.discard(self.token)
        return stats

    # --- claiming ---
    def _where(self, now: datetime) -> list[Any]:
        now = now.astimezone(UTC)
        blocked = select(BlockedRecipient.identity)
        where = [
            OutboxMessage.status == "pending",
            OutboxMessage.not_before <= now,
            OutboxMessage.channel.in_(list(self.senders)),
            OutboxMessage.identity.not_in(blocked),
        ]
        if not in_window(now):
            where.append(OutboxMessage.daytime.is_(False))
        return where

    def claimable(self, now: datetime) -> bool:
        with self._sessions() as s:
            q = select(OutboxMessage.id).where(*self._where(now)).limit(1)
            return s.scalar(q) is not None

    def claim(self, now: datetime) -> _Claimed | None:
        """Take the oldest due message for this run, or None when nothing is due."""
        rows = self.claim_batch(now, 1)
        return rows[0] if rows else None

    def claim_batch(self, now: datetime, limit: int) -> list[_Claimed]:
        """Take up to `limit` of the oldest due messages for this run, oldest first.

        One statement: PostgreSQL skips rows another process has locked, SQLite runs it
        under its write lock. The claim index (status, not_before, id) gives this order, so
        only due rows are read, however many wait for a later day."""
        due = (
            select(OutboxMessage.id)
            .where(*self._where(now))
            .order_by(OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
            # materialized: as a plain IN (subquery) PostgreSQL may run it once per row and
            # claim far more than `limit`
            .cte("due")
            .prefix_with("MATERIALIZED")
        )
        stmt = (
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(select(due.c.id)), OutboxMessage.status == "pending")
            .values(
                status="sending",
                claimed_by=self.token,
                claimed_at=_wall(),
                attempts=OutboxMessage.attempts + 1,
            )
            .returning(
                OutboxMessage.id,
                OutboxMessage.channel,
                OutboxMessage.identity,
                OutboxMessage.text,
                OutboxMessage.subject,
                OutboxMessage.unsubscribe_url,
                OutboxMessage.plan_id,
                OutboxMessage.attempts,
                OutboxMessage.not_before,
            )
            .execution_options(synchronize_session=False)
        )
        with self._auto.connect() as conn:
            rows = conn.execute(stmt).all()
        rows.sort(key=lambda r: (r.not_before, r.id))  # RETURNING keeps no order
        return [_Claimed(*r[:8]) for r in rows]

    def _unclaim(self, rows: Iterable[_Claimed]) -> None:
        """Give back claimed messages this run will not send (it was asked to stop)."""
        ids = [r.id for r in rows]
        with self._sessions.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(ids), OutboxMessage.claimed_by == self.token)
                .values(
                    status="pending",
                    claimed_by=None,
                    claimed_at=None,
                    attempts=OutboxMessage.attempts - 1,
                )
                .execution_options(synchronize_session=False)
            )

    def recover(self) -> int:
        """Give back claims of runs that died (this host: the process is gone; else: LEASE)."""
        freed = 0
        with self._sessions.begin() as s:
            rows = s.execute(
                select(OutboxMessage.id, OutboxMessage.claimed_by, OutboxMessage.claimed_at).where(
                    OutboxMessage.status == "sending"
                )
            ).all()
            for row_id, by, at in rows:
                if not _dead(by, at):
                    continue
                freed += s.execute(
                    update(OutboxMessage)
                    .where(
                        OutboxMessage.id == row_id,
                        OutboxMessage.status == "sending",
                        OutboxMessage.claimed_by == by,
                    )
                    .values(status="pending", claimed_by=None, claimed_at=None)
                    .execution_options(synchronize_session=False)
                ).rowcount
        if freed:
            log.info("%s messages of a stopped run are sent again", freed)
        return freed

    def _skip_blocked(self) -> None:
        blocked = select(BlockedRecipient.identity)
        with self._sessions.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.status == "pending", OutboxMessage.identity.in_(blocked))
                .values(status="blocked")
                .execution_options(synchronize_session=False)
            )

    def _waiting_channels(self, now: datetime) -> set[str]:
        now = now.astimezone(UTC)
        q = select(OutboxMessage.channel).where(
            OutboxMessage.status == "pending",
            OutboxMessage.not_before <= now,
            OutboxMessage.channel.not_in(list(self.senders)),
        )
        with self._sessions() as s:
            return set(s.scalars(q.distinct()))

    # --- sending ---
    async def _deliver(
        self,
        row: _Claimed,
        before: asyncio.Task[None] | None,
        slots: asyncio.Semaphore,
        stats: Stats,
        now: Callable[[], datetime],
    ) -> None:
        try:
            if before is not None:
                await asyncio.wait([before])  # one person's messages go out in order
            await self._send(row, stats, now)
        except Exception:  # the database may be away for a moment: the claim runs out
            log.exception("message %s: delivery failed", row.id)
        finally:
            slots.release()

    async def _send(self, row: _Claimed, stats: Stats, now: Callable[[], datetime]) -> None:
        sender = self.senders[row.channel]
        pace = self.pace.get(row.channel) or Pace(None, None)
        extra = {"subject": row.subject, "unsubscribe_url": row.unsubscribe_url}
        if row.plan_id:
            extra["plan_id"] = row.plan_id
        for _ in range(MAX_RETRY_AFTER):
            await pace.wait(row.identity)
            try:
                await sender.send(row.identity, row.text, **extra)
            except RetryLater as e:
                pace.done(row.identity)
                stats.retried += 1
                log.info("%s asks to wait %.1f s (message %s)", row.channel, e.seconds, row.id)
                pace.pause(e.seconds)
                continue
            except Blocked as e:
                stats.blocked += 1
                log.info("%s cannot be reached: %s", row.identity, e)
                self._finish(row, "blocked", str(e))
                mark_blocked(self.store, row.identity, str(e) or "blocked", now())
                return
            except Undeliverable as e:
                stats.failed += 1
                log.warning("message %s refused: %s", row.id, e)
                self._finish(row, "failed", str(e))
                return
            except Exception as e:
                self._release(row, f"{type(e).__name__}: {e}", now(), stats)
                return
            pace.done(row.identity)
            stats.sent += 1
            self._finish(row, "sent", None)
            return
        self._release(row, "too many retry_after answers", now(), stats)

    def _finish(self, row: _Claimed, status: str, error: str | None) -> None:
        with self._auto.connect() as conn:
            conn.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(status=status, sent_at=_wall(), error=error and error[:1000])
                .execution_options(synchronize_session=False)
            )

    def _release(self, row: _Claimed, error: str, now: datetime, stats: Stats) -> None:
        """A passing failure: back to the queue, a little later each time; in the end 'failed'."""
        given_up = row.attempts >= MAX_ATTEMPTS
        if given_up:
            stats.failed += 1
        else:
            stats.deferred += 1
        log.warning("message %s not sent (%s), attempt %s", row.id, error, row.attempts)
        delay = timedelta(seconds=30 * 2 ** min(row.attempts, 8))
        now = now.astimezone(UTC)
        with self._sessions.begin() as s:
            s.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id == row.id)
                .values(
                    status="failed" if given_up else "pending",
                    not_before=now + delay,
                    claimed_by=None,
                    claimed_at=None,
                    error=error[:1000],
                )
                .execution_options(synchronize_session=False)
            )


def _forget(tails: dict[str, asyncio.Task[None]], key: str, task: asyncio.Task[None]) -> None:
    if tails.get(key) is task:
        del tails[key]


def _dead(claimed_by: str | None, claimed_at: datetime | None) -> bool:
    if not claimed_by:
        return True
    host, _, rest = claimed_by.partition(":")
    pid_text, _, _token = rest.partition(":")
    if host == HOST and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return claimed_by not in _LIVE_RUNS
        if not _alive(pid):
            return True
    if claimed_at is None:
        return True
    if claimed_at.tzinfo is None:  # SQLite hands back naive UTC
        claimed_at = claimed_at.replace(tzinfo=UTC)
    return _wall() - claimed_at > LEASE


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------------- senders
class TelegramSender:
    """Sends through python-telegram-bot's Bot, at the configured base_url."""

    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        from telegram import Bot
        from telegram.request import HTTPXRequest

        if not settings.telegram_token:
            raise ValueError("TELEGRAM_TOKEN is not set")
        self.store = store
        self.bot = Bot(
            settings.telegram_token,
            base_url=settings.telegram_base_url,
            request=HTTPXRequest(connection_pool_size=MAX_IN_FLIGHT * 2),
        )

    async def start(self) -> None:
        await self.bot.initialize()  # getMe: a wrong token fails here, not per message
        if self.store is not None and self.bot.username:
            set_bot_value(self.store, "telegram_username", self.bot.username)

    async def close(self) -> None:
        await self.bot.shutdown()

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        from telegram.error import BadRequest, Forbidden, RetryAfter

        from bot.channels.telegram import split_text

        chat_id = int(identity.removeprefix("telegram:"))
        try:
            for chunk in split_text(text):
                await self.bot.send_message(chat_id, chunk)
        except RetryAfter as e:
            raise RetryLater(_seconds(e)) from None
        except Forbidden as e:
            raise Blocked(e.message) from None
        except BadRequest as e:
            if "chat not found" in e.message.lower():
                raise Blocked(e.message) from None
            raise Undeliverable(e.message) from None


def _seconds(e: Any) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PTB warns that retry_after becomes a timedelta
        value = e.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# Slack answers these when a person or their DM is gone for good.
SLACK_GONE = {
    "account_inactive",
    "user_not_found",
    "user_disabled",
    "cannot_dm_bot",
    "channel_not_found",
    "is_archived",
    "not_in_channel",
    "messages_tab_disabled",
}


class SlackSender:
    """Sends a direct message through the Slack Web API (conversations.open, chat.postMessage)."""

    def __init__(self, settings: Settings) -> None:
        from slack_sdk.web.async_client import AsyncWebClient

        self.client = AsyncWebClient(
            token=settings.slack_bot_token, base_url=settings.slack_api_url
        )
        self._dms: dict[str, str] = {}

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        from slack_sdk.errors import SlackApiError

        user = identity.removeprefix("slack:").split("/", 1)[-1]
        try:
            if user not in self._dms:
                opened = await self.client.conversations_open(users=user)
                self._dms[user] = opened["channel"]["id"]
            await self.client.chat_postMessage(channel=self._dms[user], text=_slack_escape(text))
        except SlackApiError as e:
            if e.response.status_code == 429:
                raise RetryLater(float(e.response.headers.get("Retry-After", 1))) from None
            error = str(e.response.get("error", ""))
            if error in SLACK_GONE:
                raise Blocked(error) from None
            raise Undeliverable(error or str(e)) from None


def _slack_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class EmailSender:
    """Hands each message to the mail outbox (bot/mail.py), which sends it over SMTP or writes
    an .eml file, and retries a failing server by itself."""

    def __init__(self, settings: Settings, store: Store) -> None:
        from bot.mail import Outbox

        self.settings = settings
        self.outbox = Outbox(settings, store)

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def send(self, identity: str, text: str, **extra: Any) -> None:
        address = identity.removeprefix("email:")
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = address
        message["Subject"] = extra.get("subject") or "Bericht van participatiebot"
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(domain=self.settings.mail_from.rpartition("@")[2])
        body = text
        url = extra.get("unsubscribe_url")
        if url:
            # RFC 8058: mail programs show their own one-click 'unsubscribe' button
            message["List-Unsubscribe"] = f"<{url}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
            body += f"\n\n--\nGeen berichten meer? Meld je af met één klik:\n{url}\n"
        message.set_content(body)
        # A header line may be 998 long (RFC 5322): folded at 78, the long link in
        # List-Unsubscribe would be turned into encoded words that no mail program can follow.
        raw = message.as_bytes(policy=SMTP.clone(max_line_length=998))
        mail_id = self.outbox.db.add([address], str(message["Subject"]), raw, extra.get("plan_id"))
        # stored in the mail outbox: a failing server is retried there, nothing is lost
        await self.outbox.deliver(mail_id)


async def open_senders(settings: Settings, store: Store) -> dict[str, Sender]:
    """A sender for each configured channel; e-mail always (without SMTP: .eml files)."""
    senders: dict[str, Sender] = {"email": EmailSender(settings, store)}
    if settings.telegram_token:
        telegram = TelegramSender(settings, store)
        await telegram.start()
        senders["telegram"] = telegram
    if settings.slack_bot_token:
        senders["slack"] = SlackSender(settings)
    from bot.channels import teams

    if teams.enabled(settings):
        sender = teams.TeamsSender(settings, store)
        await sender.start()
        senders["teams"] = sender
    return senders


async def close_senders(senders: dict[str, Sender]) -> None:
    for sender in senders.values():
        close = getattr(sender, "close", None)
        if close is not None:
            try:
                await close()
            except Exception:  # closing one must not keep the others open
                log.warning("closing a sender failed", exc_info=True)
