"""Reminders that are due: the query behind `reminders due|send` and the worker `serve` runs.

A round reads the due index (bot.storage.reminder_index), which every change of a plan keeps
up to date in its own transaction: a changed date moved what was not sent yet before the round
comes. Only the plans with a reminder due now are loaded; a reminder that is due is stored in
the outbox once (per person), marked done and then sent.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from pydantic import ValidationError

from bot import delivery
from bot.delivery import Deliverer, Message, Stats
from bot.features import participants, privacy
from bot.settings import AMSTERDAM, Settings
from bot.storage import PlanRecord, Store
from handreiking import reminders as pure
from handreiking.models import Plan
from handreiking.profiles import Profile, profile_for

log = logging.getLogger(__name__)

# Finished messages are forgotten after this; longer than any reminder stays due.
KEEP_SENT = timedelta(days=180)
# An owner who sent an update in the week before a reminder does not get the reminder.
RECENT_UPDATE = timedelta(days=7)
POLL = 30.0  # seconds between rounds of the worker (an enqueue wakes it sooner)
INDEXED = "reminder_index"  # bot value: the due index was filled for the plans that existed
# per store in this process: the index is known to be filled, and the day it was last pruned
# (a round need not ask the database again)
_indexed: weakref.WeakSet[Store] = weakref.WeakSet()
_pruned: weakref.WeakKeyDictionary[Store, date] = weakref.WeakKeyDictionary()


@dataclass
class Due:
    """One reminder or waiting message that goes out at `at`, for `reminders due`."""

    at: datetime
    plan_id: str | None
    kind: str
    audience: str  # 'owner', 'participants', or the kind of a waiting message
    recipients: list[str]
    text: str
    waiting: bool = False  # already in the outbox
    note: str | None = None


@dataclass
class _Planned:
    record: PlanRecord
    reminder: pure.Reminder
    messages: list[Message] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    note: str | None = None
    auto: bool = False  # update_voorstel that goes out by itself


def parse_at(text: str) -> datetime:
    """'2026-03-02' (09:00 that day) or an ISO date-time; without a zone: Amsterdam. In UTC."""
    value = text.strip()
    try:
        if len(value) == 10:
            moment = datetime.combine(date.fromisoformat(value), pure.WINDOW_START)
        else:
            moment = datetime.fromisoformat(value)
    except ValueError:
        raise ValueError(
            f"'{text}' is geen datum of tijd; gebruik bijvoorbeeld 2026-03-02 of 2026-03-02T10:00"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(UTC)


def _load(settings: Settings, record: PlanRecord) -> tuple[Plan, Profile] | None:
    try:
        plan = Plan.model_validate(record.data)
    except ValidationError:
        log.warning("plan %s has answers that do not fit the model; no reminders", record.id)
        return None
    return plan, profile_for(record.data, settings.profiles_dir)


def _titel(record: PlanRecord) -> str:
    return record.titel or f"plan {record.id}"


def _local_day(moment: datetime) -> date:
    return moment.astimezone(AMSTERDAM).date()


def _collect(
    store: Store, settings: Settings, at: datetime, passed: list[tuple[str, str]] | None = None
) -> list[_Planned]:
    """Every reminder due at `at`, with the messages it becomes (stored or not); `passed`
    collects the ones that will never go out (an update came in time)."""
    out: list[_Planned] = []
    if not pure.in_window(at):
        return out
    open_keys = store.reminders_open(_local_day(at))
    wanted: dict[str, set[str]] = {}
    for plan_id, key in open_keys:
        wanted.setdefault(plan_id, set()).add(key)
    for record in store.plans(status=participants.ACTIVE, ids=wanted) if wanted else []:
        loaded = _load(settings, record)
        if loaded is None:
            continue
        plan, profile = loaded
        keys = wanted[record.id]
        due_now = [r for r in pure.due(pure.reminders(plan, profile), at) if r.key in keys]
        if not due_now:
            continue
        last = participants.last_update(store, record.id)
        last_day = _local_day(last) if last else None
        follow = participants.followup(store, record.id)
        for r in due_now:
            recent = r.kind == "update" and last_day and last_day >= r.start - RECENT_UPDATE
            if recent or (
                r.kind == "update_voorstel" and last_day and last_day >= r.unless_update_since
            ):
                if passed is not None:
                    passed.append((record.id, r.key))
                continue
            item = _Planned(record, r, auto=r.kind == "update_voorstel" and follow.auto_status)
            if r.audience == "owner":
                _owner_message(store, settings, plan, item, follow.code)
            else:
                _participant_messages(store, settings, item)
            out.append(item)
    return out


def _owner_message(store: Store, settings: Settings, plan: Plan, item: _Planned, code: str) -> None:
    record, r = item.record, item.reminder
    to = participants.owner_recipient(store, record)
    if to is None:
        item.note = "niet te bezorgen: de eigenaar werkt in de console en gaf geen e-mailadres"
        return
    text = r.text
    if item.auto:
        text = (
            f"Je stuurde nog geen update over {_titel(record)}. Zoals je koos, ging dit bericht "
            f"vanzelf naar de deelnemers:\n\n{r.proposal}"
        )
    text += f"\n\n(Plan {record.id}: {_titel(record)})"
    if delivery.channel_of(to) == "email":
        text += participants.way_back(settings, record)  # 'verstuur' is typed in the chat
    url = None
    if delivery.channel_of(to) == "email":
        today = _local_day(settings.clock())
        url = participants.unsubscribe_url(
            settings, record.id, to, participants.keep_until(plan, today)
        )
    item.recipients = [to]
    item.messages = [
        Message(
            identity=to,
            text=text,
            kind="reminder",
            plan_id=record.id,
            ref=r.key,
            dedupe=f"r:{record.id}:{r.key}:{to}",
            subject=f"Herinnering: {_titel(record)}",
            unsubscribe_url=url,
        )
    ]


def _participant_messages(store: Store, settings: Settings, item: _Planned) -> None:
    record, r = item.record, item.reminder
    notice = participants.Notice(
        r.text,
        kind="reminder",
        dedupe=f"r:{record.id}:{r.key}",
        subject=f"Herinnering: {_titel(record)}",
        ref=r.key,
    )
    item.messages = participants.messages_to_participants(store, settings, record, notice)
    if not item.messages:
        item.note = "niemand volgt dit plan"
        return
    item.recipients = [m.identity for m in item.messages]


def _stored(store: Store, plan_id: str, ref: str) -> set[str]:
    """Who already has this reminder in the outbox (sent or waiting)."""
    return store.outbox_identities(plan_id, ref)


def due(store: Store, settings: Settings, at: datetime) -> list[Due]:
    """What goes out at `at`: reminders not stored yet, and messages waiting in the outbox."""
    local = at.astimezone(AMSTERDAM)
    out: list[Due] = []
    for item in _collect(store, settings, at):
        r = item.reminder
        stored = _stored(store, item.record.id, r.key)
        fresh = [m.identity for m in item.messages if m.identity not in stored]
        if item.messages and not fresh:
            continue  # stored already: it shows below as waiting, or it was sent
        out.append(Due(local, item.record.id, r.kind, r.audience, fresh, r.text, note=item.note))
    waiting: dict[tuple[str | None, str, str], Due] = {}
    for m in delivery.pending(store, at):
        key = (m.plan_id, m.kind, m.ref or m.text)
        if key not in waiting:
            waiting[key] = Due(local, m.plan_id, m.kind, m.kind, [], m.text, waiting=True)
        waiting[key].recipients.append(m.identity)
    return out + list(waiting.values())


def schedule(store: Store, settings: Settings, at: datetime) -> int:
    """Store what is due at `at` in the outbox (each once); returns how many messages."""
    participants.expire(store, at)
    privacy.erase_expired(store, settings, at)  # retention date of personal data
    delivery.prune(store, at - KEEP_SENT)
    ensure_index(store, settings)
    today = _local_day(at)
    if _pruned.get(store) != today:  # rows past their last day go once a day
        store.prune_reminders(today)
        _pruned[store] = today
    added = 0
    done: list[tuple[str, str]] = []
    for item in _collect(store, settings, at, done):
        r, record = item.reminder, item.record
        # looked at once: a new participant reopens it (reminder_index.reopen)
        done.append((record.id, r.key))
        if r.kind == "update_voorstel" and not item.auto:
            # the owner taps /verstuur to send exactly this
            participants.set_followup(store, record.id, proposal=r.proposal)
        added += delivery.enqueue(store, item.messages, at)
        if item.auto and r.proposal:
            # the owner's notice is stored first: a crash before the update repeats only this
            added += participants.post_update(
                store, settings, record, record.owner, r.proposal, automatic=True, now=at
            )
    if done:
        store.mark_reminders_done(done)
    return added


def ensure_index(store: Store, settings: Settings) -> None:
    """Fill the due index for the plans of a database from before it existed, once."""
    if store in _indexed:
        return
    if delivery.bot_value(store, INDEXED) != "1":
        n = store.rebuild_reminders(settings.profiles_dir)
        delivery.set_bot_value(store, INDEXED, "1")
        log.info("reminders of %s plans in uitvoering indexed", n)
    _indexed.add(store)


async def send(
    settings: Settings,
    store: Store,
    at: datetime,
    senders: dict[str, delivery.Sender],
    stop: asyncio.Event | None = None,
) -> Stats:
    """Store what is due at `at` and send everything that may go out; for cron and the worker."""
    schedule(store, settings, at)
    stats = await Deliverer(store, senders, delivery.paces(settings, store)).run(lambda: at, stop)
    return stats


async def run_worker(settings: Settings, store: Store, stop_event: asyncio.Event) -> None:
    """For `serve`: every round (30 s, or sooner when a message is stored) store the reminders
    that are due and send what waits; returns when `stop_event` is set."""
    senders: dict[str, delivery.Sender] | None = None
    pace = delivery.paces(settings, store)
    try:
        while not stop_event.is_set():
            try:
                if senders is None:
                    senders = await delivery.open_senders(settings, store)
                # the round's queries run beside the event loop, not on it
                await asyncio.to_thread(schedule, store, settings, settings.clock())
                await Deliverer(store, senders, pace).run(settings.clock, stop_event)
            except Exception:  # a database or network hiccup: the next round tries again
                log.exception("reminder round failed")
            await _sleep(stop_event, POLL)
    finally:
        if senders:
            await delivery.close_senders(senders)


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    stopping = asyncio.create_task(stop.wait())
    work = asyncio.create_task(delivery.wait_for_work(seconds))
    await asyncio.wait({stopping, work}, return_when=asyncio.FIRST_COMPLETED)
    for task in (stopping, work):
        task.cancel()


async def send_once(settings: Settings, store: Store, at: datetime) -> Stats:
    """`reminders send`: open the channels, send what is due at `at`, flush the mail outbox.

    Raises ConnectionError (one line) when a configured channel cannot be opened."""
    from bot.mail import Outbox

    try:
        senders = await delivery.open_senders(settings, store)
    except Exception as e:
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ConnectionError(f"kan de kanalen niet openen: {first}") from None
    try:
        stats = await send(settings, store, at, senders)
        # mail that failed before (in this run or an earlier one) gets its next try here
        await Outbox(settings, store).send_due(at)
    finally:
        await delivery.close_senders(senders)
    return stats


def describe(items: list[Due]) -> list[str]:
    """Lines for `reminders due`: when, plan, for whom, what."""
    if not items:
        return ["Er staat niets klaar."]
    lines = []
    for d in items:
        if d.audience == "owner":
            who = f"eigenaar {d.recipients[0]}" if d.recipients else "eigenaar"
        else:
            who = (
                f"{len(d.recipients)} deelnemer(s)"
                if d.audience == "participants"
                else (f"{len(d.recipients)} ontvanger(s)")
            )
        state = f"{d.kind}, wacht in de outbox" if d.waiting else d.kind
        first = d.text.strip().splitlines()[0] if d.text.strip() else ""
        note = f" [{d.note}]" if d.note else ""
        lines.append(f"{d.at:%Y-%m-%d %H:%M}\t{d.plan_id or '-'}\t{who}\t{state}\t{first}{note}")
    return lines


def summary(stats: Stats) -> str:
    """One line for `reminders send`."""
    line = (
        f"verstuurd: {stats.sent} · geblokkeerd: {stats.blocked} · mislukt: {stats.failed} · "
        f"later opnieuw: {stats.deferred} · wachten op het platform (429): {stats.retried}"
    )
    if stats.skipped_channels:
        off = ", ".join(sorted(stats.skipped_channels))
        line += f"\nberichten wachten op een kanaal dat uit staat: {off}"
    return line
