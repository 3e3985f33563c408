"""Reminder scheduling driven by change: a plan's due rows follow its dates and status in the
same transaction, and a round reads only what is due, however many plans exist."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.features import participants, reminders_worker
from bot.settings import Settings
from bot.storage import Store
from bot.storage.lifecycle import Lifecycle
from bot.storage.participant_tables import OutboxMessage
from bot.storage.reminder_index import ReminderDue
from handreiking.models import Plan
from handreiking.profiles import load_profile
from handreiking.reminders import reminders
from tests.sql_count import statements
from tests.test_delivery import LEIDEN_PLAN, add_participants, make_plan

EVE = datetime.fromisoformat("2026-03-11T10:00:00+01:00")  # the day before the meeting


def rows(store: Store, plan_id: str) -> dict[str, bool]:
    with Session(store.engine) as s:
        q = select(ReminderDue.key, ReminderDue.done).where(ReminderDue.plan_id == plan_id)
        return dict(s.execute(q).all())


def waiting(store: Store, plan_id: str) -> list[str]:
    with Session(store.engine) as s:
        q = select(OutboxMessage.ref).where(
            OutboxMessage.plan_id == plan_id, OutboxMessage.status == "pending"
        )
        return sorted(r or "" for r in s.scalars(q))


def test_the_rows_follow_the_plans_dates_and_status(db_url: str, settings: Settings) -> None:
    store = Store(db_url, clock=settings.clock)
    try:
        concept = store.create_plan("console:a", "leiden", dict(LEIDEN_PLAN))
        assert rows(store, concept.id) == {}  # no reminders before vaststelling
        record = make_plan(store)
        expected = {
            r.key for r in reminders(Plan.model_validate(LEIDEN_PLAN), load_profile("leiden"))
        }
        assert set(rows(store, record.id)) == expected and len(expected) > 5
        add_participants(store, record.id, ["telegram:4001"], settings.clock())
        reminders_worker.schedule(store, settings, EVE)
        assert "bijeenkomst_morgen:1:2026-03-11" in waiting(store, record.id)
        assert rows(store, record.id)["bijeenkomst_morgen:1:2026-03-11"] is True  # done

        # the meeting moves: in the same save the old eve is gone, from the index and the outbox
        moved = {**record.data}
        moved["activiteiten"] = [
            {**moved["activiteiten"][0], "datum": "2026-03-19"},
            moved["activiteiten"][1],
        ]
        store.save(record.owner, record.id, moved, {})
        assert "bijeenkomst_morgen:1:2026-03-11" not in rows(store, record.id)
        assert rows(store, record.id)["bijeenkomst_morgen:1:2026-03-18"] is False
        assert "bijeenkomst_morgen:1:2026-03-11" not in waiting(store, record.id)

        # closing the plan ends its reminders at once
        Lifecycle(store).transition(record.id, "afgerond", "console:tester")
        assert rows(store, record.id) == {}
        assert not [ref for ref in waiting(store, record.id) if ":" in ref]
    finally:
        store.close()


def test_a_round_reads_what_is_due_not_what_exists(db_url: str, settings: Settings) -> None:
    """Plans whose reminders are not due add no statement to a round."""
    store = Store(db_url, clock=settings.clock)
    try:
        make_plan(store)
        reminders_worker.schedule(store, settings, EVE)  # the index is filled, due work done
        with statements(store.engine) as few:
            reminders_worker.schedule(store, settings, EVE)
        # forty more plans, all a year later: nothing of theirs is due on the eve
        later = json.loads(json.dumps(LEIDEN_PLAN).replace('"2026-', '"2027-'))
        for _ in range(40):
            make_plan(store, **later)
        with statements(store.engine) as many:
            reminders_worker.schedule(store, settings, EVE)
        assert len(many) == len(few), many
        # outside the daytime window a round does not read the index at all
        with statements(store.engine) as night:
            reminders_worker.schedule(store, settings, EVE.replace(hour=23))
        assert not [q for q in night if "reminder_due" in q and q.startswith("SELECT")]
    finally:
        store.close()


def test_someone_who_starts_following_gets_the_reminder_that_runs_today(
    store: Store, settings: Settings
) -> None:
    record = make_plan(store)
    add_participants(store, record.id, ["telegram:4001"], settings.clock())
    reminders_worker.schedule(store, settings, EVE)
    assert rows(store, record.id)["bijeenkomst_morgen:1:2026-03-11"] is True
    participants.accept(store, settings, record, "telegram:4002", "Deelnemer", EVE)
    reminders_worker.schedule(store, settings, EVE + timedelta(hours=2))
    with Session(store.engine) as s:
        q = select(OutboxMessage.identity).where(
            OutboxMessage.ref == "bijeenkomst_morgen:1:2026-03-11"
        )
        assert sorted(s.scalars(q)) == ["telegram:4001", "telegram:4002"]  # each once
