"""The store on SQLite and PostgreSQL: migrations match the models, answers survive."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot import delivery
from bot.app import build_engine
from bot.delivery import Message
from bot.storage import Store
from bot.storage.tables import Base
from tests.conftest import Chat
from tests.interviews import HEERLEN


def test_migrations_create_exactly_the_models(db_url):
    store = Store(db_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    store.close()
    assert diff == []


def test_plan_ids_are_numbered_and_answers_kept(db_url):
    store = Store(db_url)
    first = store.create_plan("console:a", "leiden", {"titel": "Een"})
    second = store.create_plan("console:b", "heerlen", {})
    assert first.id.endswith("-0001") and second.id.endswith("-0002")
    store.save("console:a", first.id, {"titel": "Een 🌳 & <twee>"}, {"done": ["titel"]})
    assert store.plan(first.id).data == {"titel": "Een 🌳 & <twee>"}
    assert store.state("console:a", first.id) == {"done": ["titel"]}
    assert [p.id for p in store.plans(gemeente="heerlen")] == [second.id]
    assert store.delete_plan(first.id) and store.plan(first.id) is None
    store.close()


def test_the_next_plan_number_follows_the_highest_also_past_9999(db_url):
    from bot.storage.tables import PlanRow

    store = Store(db_url)
    first = store.create_plan("console:a", "leiden", {})
    year = first.id.split("-")[0]
    with store._session.begin() as s:  # a busy year: plan 9999 and 10000 exist
        for number in ("9999", "10000"):
            s.add(PlanRow(id=f"{year}-{number}", owner="console:a", status="concept", data={},
                          created_at=first.created_at, updated_at=first.created_at))  # fmt: skip
    assert store.create_plan("console:b", "leiden", {}).id == f"{year}-10001"
    store.close()


def test_a_repeated_delivery_is_recognised(db_url):
    store = Store(db_url)
    assert store.first_delivery("telegram", "42")
    assert not store.first_delivery("telegram", "42")
    assert store.first_delivery("slack", "42")
    store.close()


async def test_whole_interview_on_each_database(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    chat = Chat(build_engine(store, settings))
    await chat.start(gemeente="heerlen")
    for fragment, answer in HEERLEN:
        assert fragment.lower() in chat.question.text.lower()
        await chat.say(answer)
    await chat.say("ja")
    assert any(r.kind == "done" for r in chat.replies)
    record = store.plans(owner="console:tester")[0]
    assert record.status == "compleet"
    assert record.data["initiatiefnemer"] == "Stichting Samen Parkstraat"
    store.close()


def test_the_store_keeps_values_blocks_and_the_outbox(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock()
    assert store.bot_value("telegram_username") is None
    store.set_bot_value("telegram_username", "proefbot")
    store.set_bot_value("telegram_username", "proefbot2")
    assert store.bot_value("telegram_username") == "proefbot2"

    plan = store.create_plan("console:a", "leiden", {"titel": "Een"})
    store.update_plan_data(plan.id, "afsluiting", {"gewist": "ja"})
    assert store.plan(plan.id).data == {"titel": "Een", "afsluiting": {"gewist": "ja"}}
    with pytest.raises(KeyError):
        store.update_plan_data("2026-9999", "afsluiting", {})

    def reminder(identity: str, ref: str) -> Message:
        return Message(identity, "Morgen", "reminder", plan.id, ref, dedupe=f"{identity}{ref}")

    people = ["telegram:1", "telegram:2"]
    messages = [reminder(p, r) for p in people for r in ("oud", "nieuw")]
    assert delivery.enqueue(store, messages, now) == 4
    assert store.outbox_identities(plan.id, "oud") == set(people)
    store.block("telegram:2", "Forbidden: bot was blocked by the user", now)
    assert store.is_blocked("telegram:2")
    assert store.outbox_counts(plan.id) == {"pending": 2, "blocked": 2}
    store.unblock("telegram:2")
    assert not store.is_blocked("telegram:2")

    assert store.prune_outbox(now + timedelta(days=1)) == 2  # the two blocked ones
    assert store.outbox_counts() == {"pending": 2}
    store.close()


def test_the_store_keeps_who_follows_a_plan(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock().astimezone(UTC)
    today = now.date()
    first = store.create_plan("console:a", "leiden", {"titel": "Een"})
    second = store.create_plan("console:a", "leiden", {"titel": "Twee"})
    until = today + timedelta(days=60)
    store.accept_participant(first.id, "telegram:1", "Proefpersoon Een", now, until)
    store.accept_participant(first.id, "telegram:2", None, now, today - timedelta(days=1))
    store.accept_participant(second.id, "telegram:1", None, now, until)
    store.accept_participant(first.id, "telegram:1", None, now, until)  # again: the name stays

    [one, two] = store.plan_participants(first.id)
    assert (one.identity, one.naam, one.keep_until) == ("telegram:1", "Proefpersoon Een", until)
    assert [p.plan_id for p in store.followed_plans("telegram:1")] == [second.id, first.id]
    store.block("telegram:1", "Forbidden", now)
    assert [p.identity for p in store.plan_participants(first.id)] == ["telegram:2"]

    # telegram:2's date has passed: erased with what waits for them
    assert store.expire_participants(now, today, timedelta(days=14)) == 1
    assert store.followed_plans("telegram:2") == []
    assert store.leave_plans("telegram:1", second.id) == [second.id]
    assert store.erase_participation("telegram:1") == 2  # the participation and the block
    assert store.followed_plans("telegram:1") == [] and not store.is_blocked("telegram:1")
    assert store.participant(1_000_000) is None
    store.close()


def test_the_store_keeps_codes_updates_and_invitations(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock().astimezone(UTC)
    plan = store.create_plan("console:a", "leiden", {"titel": "Een"})
    codes = iter(["CODE0001", "CODE0001", "CODE0002"])
    first = store.create_plan("console:b", "leiden", {})
    assert store.followup(first.id, lambda: next(codes)).code == "CODE0001"
    # the same code again: another one is made
    assert store.followup(plan.id, lambda: next(codes)).code == "CODE0002"
    assert store.followup(plan.id, lambda: "NIETNODIG").code == "CODE0002"
    assert store.plan_id_for_code("CODE0002") == plan.id
    assert store.plan_id_for_code("ONBEKEND") is None
    store.set_followup(plan.id, owner_mail_off=True)
    assert store.followup(plan.id, lambda: "NIETNODIG").owner_mail_off

    assert store.last_plan_update(plan.id) is None
    store.add_plan_update(plan.id, "De avond gaat door", "console:a", False, now)
    assert store.last_plan_update(plan.id) == now

    until = now.date() + timedelta(days=14)
    assert store.invite_participant(plan.id, "email:een@example.org", now, until)[1]
    pid, new = store.invite_participant(plan.id, "email:een@example.org", now, until)
    assert not new and store.participant(pid).status == "invited"
    assert store.count_invited(plan.id) == 1
    assert store.participant_status(plan.id, "email:een@example.org") == "invited"
    assert store.participant_status(plan.id, "email:twee@example.org") is None
    assert store.find_person("console:a") is None  # reading makes no person
    store.person("console:a", "Proefpersoon")
    assert store.find_person("console:a").naam == "Proefpersoon"
    store.close()


def outbox_row(identity: str, now, dedupe: str | None = None, daytime: bool = False) -> dict:
    return {
        "channel": identity.split(":", 1)[0],
        "identity": identity,
        "plan_id": None,
        "kind": "notice",
        "ref": None,
        "dedupe": dedupe,
        "subject": None,
        "text": f"Hallo {identity}",
        "unsubscribe_url": None,
        "daytime": daytime,
        "not_before": now,
        "status": "pending",
        "attempts": 0,
        "created_at": now,
    }


def test_the_store_claims_marks_and_gives_back_outbox_messages(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock().astimezone(UTC)
    rows = [outbox_row(f"telegram:{i}", now, dedupe=f"d{i}") for i in range(1, 4)]
    rows += [outbox_row("slack:T1/U1", now), outbox_row("telegram:9", now, daytime=True)]
    assert store.add_messages(rows) == 5
    assert store.add_messages([outbox_row("telegram:1", now, dedupe="d1")]) == 0  # stored once
    assert store.add_messages([]) == 0
    assert len(store.waiting_messages(now, night=False)) == 5
    assert len(store.waiting_messages(now, night=True)) == 4  # not the daytime one
    assert store.channels_waiting(["telegram"], now) == {"slack"}

    store.block("telegram:3", "Forbidden: bot was blocked by the user", now)
    assert store.has_claimable(["telegram"], now, night=True)
    first = store.claim_messages("run-a", ["telegram"], now, True, 1, now)
    assert [(r.identity, r.attempts) for r in first] == [("telegram:1", 1)]
    rest = store.claim_messages("run-b", ["telegram"], now, True, 10, now)
    assert [r.identity for r in rest] == ["telegram:2"]  # blocked and daytime ones wait
    assert not store.has_claimable(["telegram"], now, night=True)

    store.unclaim_messages([rest[0].id], "run-a")  # not run-a's: it stays claimed
    assert store.outbox_counts()["sending"] == 2
    store.unclaim_messages([rest[0].id], "run-b")
    again = store.claim_messages("run-c", ["telegram"], now, True, 10, now)
    assert [(r.identity, r.attempts) for r in again] == [("telegram:2", 1)]

    assert store.recover_claims(lambda by, at: by == "run-c") == 1
    store.finish_message(first[0].id, "sent", None, now)
    later = now + timedelta(minutes=1)
    [second] = store.claim_messages("run-d", ["telegram"], now, True, 10, now)
    store.release_message(second.id, "pending", later, "TimedOut: " + "x" * 2000)
    assert not store.has_claimable(["telegram"], now, night=True)
    assert store.has_claimable(["telegram"], later, night=True)
    store.skip_blocked_messages()
    counts = store.outbox_counts()
    assert counts == {"sent": 1, "pending": 3, "blocked": 1}
    store.close()


def test_the_store_keeps_teams_conversations_and_shared_rates(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock()
    identity = "teams:tenant-1/user-1"
    assert store.teams_reference(identity) is None
    reference = {"conversation": {"id": "a:1"}, "serviceUrl": "http://127.0.0.1:1/"}
    store.save_teams_reference(identity, reference, now)
    store.save_teams_reference(identity, {**reference, "locale": "nl-NL"}, now)
    assert store.teams_reference(identity) == {**reference, "locale": "nl-NL"}

    assert store.take_rate_token("proef", 1.0) == 0.0  # a full bucket: one at once
    assert store.take_rate_token("proef", 1.0) > 0.0  # then one a second
    store.pause_rate("proef", 1.0, 30.0)
    assert store.take_rate_token("proef", 1.0) > 20.0  # 'retry after' holds every process
    store.close()
