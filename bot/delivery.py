"""The message outbox: every message is stored before it is sent and marked after.

Rows are claimed a few at a time in one UPDATE (`SELECT ... FOR UPDATE SKIP LOCKED` on
PostgreSQL, SQLite's write lock), so several workers never send the same row; what a dead
process had claimed is given back. A message goes out twice only when a process dies between
the platform's answer and the mark: at most the sends in flight. Each channel registers its
sender and its pace here (`register_sender`; Telegram: 30/s overall, shared by all processes on
one database, and 1/s per chat; Slack: 1/s per channel); a platform's retry_after pauses the
channel, and someone who blocked the bot is marked and skipped. The store does the reading and
writing; this module knows no channel.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from bot import mail
from bot.pacing import Pace
from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import OutboxMessage
from handreiking.reminders import in_window, window_start

log = logging.getLogger(__name__)

# A limit shared by several processes (see SharedBudget): further under it than one process
# needs (bot.pacing.SAFETY).
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
    added = store.add_messages(rows)
    if added:
        kick()
    return added


# A worker in this process sleeps on its loop's event between rounds; enqueue wakes it from
# whatever thread stored the messages (a turn runs on a worker thread with a loop of its own).
_wake: dict[asyncio.AbstractEventLoop, asyncio.Event] = {}


def _wake_event() -> asyncio.Event:
    loop = asyncio.get_running_loop()
    return _wake.setdefault(loop, asyncio.Event())


def kick() -> None:
    """Wake the workers of this process (if one runs): there is something to send. Only when
    something was stored: a round reads the whole outbox, too much for every turn."""
    try:
        running: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    for loop, event in list(_wake.items()):
        if loop is running:
            event.set()
            continue
        try:
            loop.call_soon_threadsafe(event.set)
        except RuntimeError:  # that loop has closed: its worker is gone
            _wake.pop(loop, None)


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
    return store.waiting_messages(at, night=not in_window(at))


def prune(store: Store, before: datetime) -> int:
    """Forget finished messages stored before `before`: their text and address are personal
    data, and a reminder is never due again that long after it was sent."""
    return store.prune_outbox(before)


def counts(store: Store, plan_id: str | None = None) -> dict[str, int]:
    """How many messages are in each state (sent, pending, blocked, failed, sending)."""
    return store.outbox_counts(plan_id)


# ---------------------------------------------------------------------- pacing
class SharedBudget:
    """A rate limit that holds for every process on one database: a token bucket row."""

    def __init__(self, store: Store, key: str, rate: float) -> None:
        self.store = store
        self.key = key
        # no burst, and further under the limit than one process needs: a token is taken in
        # one process and the send arrives a few ms later, and with several processes on few
        # cores those delays differ more than within one process
        self.rate = rate / SHARED_SAFETY

    def take(self) -> float:
        """0.0: send now; otherwise the seconds to wait before asking again."""
        return self.store.take_rate_token(self.key, self.rate)

    def pause(self, seconds: float) -> None:
        self.store.pause_rate(self.key, self.rate, seconds)


# ---------------------------------------------------------------------- the ways out
OpenSender = Callable[[Settings, Store], Awaitable["Sender | None"]]
MakePace = Callable[[Settings, "Store | None"], Pace]


@dataclass(frozen=True)
class _Way:
    open: OpenSender
    pace: MakePace


_ways: dict[str, _Way] = {}


def register_sender(channel: str, open: OpenSender, pace: MakePace) -> None:
    """A channel's way out, registered by the channel's module: `open(settings, store)` gives
    a started sender, or None when the settings leave the channel off; `pace(settings, store)`
    how fast the outbox may send on it (with a store: shared by every process on it)."""
    _ways[channel] = _Way(open, pace)


def paces(settings: Settings, store: Store | None = None) -> dict[str, Pace]:
    """Each registered channel's pace."""
    return {channel: way.pace(settings, store) for channel, way in _ways.items()}


async def open_senders(settings: Settings, store: Store) -> dict[str, Sender]:
    """A sender for each registered channel the settings turn on; e-mail always (without
    SMTP: .eml files)."""
    senders: dict[str, Sender] = {}
    for channel, way in _ways.items():
        sender = await way.open(settings, store)
        if sender is not None:
            senders[channel] = sender
    return senders


async def close_senders(senders: dict[str, Sender]) -> None:
    for sender in senders.values():
        close = getattr(sender, "close", None)
        if close is not None:
            try:
                await close()
            except Exception:  # closing one must not keep the others open
                log.warning("closing a sender failed", exc_info=True)


async def _open_email(settings: Settings, store: Store) -> Sender:
    return mail.EmailSender(settings, store)


# e-mail needs no platform: it is always there, before any channel registers
register_sender("email", _open_email, lambda settings, store: Pace(None, None))


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
    def claimable(self, now: datetime) -> bool:
        return self.store.has_claimable(list(self.senders), now, night=not in_window(now))

    def claim(self, now: datetime) -> _Claimed | None:
        """Take the oldest due message for this run, or None when nothing is due."""
        rows = self.claim_batch(now, 1)
        return rows[0] if rows else None

    def claim_batch(self, now: datetime, limit: int) -> list[_Claimed]:
        """Take up to `limit` of the oldest due messages for this run, oldest first (one
        statement: several workers never take the same message)."""
        rows = self.store.claim_messages(
            self.token, list(self.senders), now, not in_window(now), limit, _wall()
        )
        return [_Claimed(*r[:8]) for r in rows]

    def _unclaim(self, rows: Iterable[_Claimed]) -> None:
        """Give back claimed messages this run will not send (it was asked to stop)."""
        self.store.unclaim_messages([r.id for r in rows], self.token)

    def recover(self) -> int:
        """Give back claims of runs that died (this host: the process is gone; else: LEASE)."""
        freed = self.store.recover_claims(_dead)
        if freed:
            log.info("%s messages of a stopped run are sent again", freed)
        return freed

    def _skip_blocked(self) -> None:
        self.store.skip_blocked_messages()

    def _waiting_channels(self, now: datetime) -> set[str]:
        return self.store.channels_waiting(list(self.senders), now)

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
        self.store.finish_message(row.id, status, error, _wall())

    def _release(self, row: _Claimed, error: str, now: datetime, stats: Stats) -> None:
        """A passing failure: back to the queue, a little later each time; in the end 'failed'."""
        given_up = row.attempts >= MAX_ATTEMPTS
        if given_up:
            stats.failed += 1
        else:
            stats.deferred += 1
        log.warning("message %s not sent (%s), attempt %s", row.id, error, row.attempts)
        delay = timedelta(seconds=30 * 2 ** min(row.attempts, 8))
        status = "failed" if given_up else "pending"
        self.store.release_message(row.id, status, now.astimezone(UTC) + delay, error)


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
