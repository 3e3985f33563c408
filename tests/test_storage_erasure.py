"""The store's privacy, closing-step and reminder-index methods on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from bot import delivery
from bot.delivery import Message
from bot.storage import NotFound, Store
from bot.storage.erasure import GEWIST
from tests.test_delivery import make_plan
from tests.test_reminder_index import EVE


def _message(identity: str, plan_id: str, text: str, kind: str = "update") -> Message:
    return Message(
        identity=identity,
        text=text,
        kind=kind,
        plan_id=plan_id,
        dedupe=f"{kind}:{identity}:{text}",
        subject="Nieuws",
    )


def test_the_store_finds_and_exports_what_it_keeps_about_a_person(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock().astimezone(UTC)
    until = now.date() + timedelta(days=60)
    plan = store.create_plan("console:eigenaar", "leiden", {"eigenaar_email": "baas@example.org"})
    store.accept_participant(plan.id, "telegram:4242", "Proefpersoon Vier", now, until)
    store.accept_participant(plan.id, "slack:T1/4242", None, now, until)
    store.invite_participant(plan.id, "email:een@example.org", now, until)
    delivery.enqueue(store, [_message("telegram:4242", plan.id, "Hallo")], now)

    assert store.identities_ending("4242") == {"telegram:4242"}  # slack's id is T1/4242
    assert store.identities_ending("eigenaar") == {"console:eigenaar"}
    assert sorted(store.participant_identities(plan.id)) == [
        "email:een@example.org",
        "slack:T1/4242",
        "telegram:4242",
    ]
    assert store.names_of("telegram:4242") == {"Proefpersoon Vier"}
    assert store.own_addresses("console:eigenaar") == ({"baas@example.org"}, {plan.id})
    assert store.own_addresses("email:een@example.org") == ({"een@example.org"}, set())

    person = store.person_export("telegram:4242")
    assert [d["naam"] for d in person["deelnames"]] == ["Proefpersoon Vier"]
    assert [m["tekst"] for m in person["berichten"]] == ["Hallo"]
    people = store.plan_people_export(plan.id)
    assert len(people["deelnemers"]) == 3 and people["berichten_in_outbox"]
    store.close()


def test_the_store_erases_a_person_and_a_plans_people(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    now = settings.clock().astimezone(UTC)
    until = now.date() + timedelta(days=60)
    plan = store.create_plan("console:eigenaar", "leiden", {"eigenaar_email": "baas@example.org"})
    contact = {"accounthouder_email": "baas@example.org"}
    other = store.create_plan("console:ander", "leiden", contact)
    store.accept_participant(plan.id, "telegram:1", "Proefpersoon Een", now, until)
    store.accept_participant(plan.id, "telegram:2", "Proefpersoon Twee", now, until)
    store.accept_participant(other.id, "telegram:2", None, now, until)
    delivery.enqueue(
        store,
        [
            _message("telegram:1", plan.id, "Voor een"),
            _message("console:eigenaar", plan.id, "Reactie van Proefpersoon Een", "reply"),
        ],
        now,
    )

    n, touched = store.erase_person_rows(
        "console:eigenaar",
        {"console:eigenaar", "email:baas@example.org"},
        {"baas@example.org"},
        {"console:eigenaar", "baas@example.org"},
    )
    assert n >= 3 and touched == {plan.id, other.id}
    assert store.plan(plan.id).owner == GEWIST
    assert "eigenaar_email" not in store.plan(plan.id).data
    assert "accounthouder_email" not in store.plan(other.id).data

    # telegram:2 follows another plan too: only this plan's part goes
    n, gone = store.erase_plan_people(
        plan.id,
        {"telegram:1": {"telegram:1", "Proefpersoon Een"}, "telegram:2": {"telegram:2"}},
    )
    assert gone == {"telegram:1", "Proefpersoon Een"}
    assert store.participant_identities(plan.id) == []
    assert store.participant_identities(other.id) == ["telegram:2"]
    assert store.outbox_counts(plan.id) == {}
    store.vacuum()  # SQLite rebuilds its file; PostgreSQL has nothing to do
    store.close()


def test_the_store_merges_closing_steps_and_keeps_the_due_index(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    plan = store.create_plan("console:a", "leiden", {})
    store.merge_plan_data(plan.id, "afsluiting", {"besluit_gemeld": "2026-03-01T10:00:00+00:00"})
    store.merge_plan_data(plan.id, "afsluiting", {"gewist": "2026-09-01T10:00:00+00:00"})
    assert store.plan(plan.id).data["afsluiting"] == {
        "besluit_gemeld": "2026-03-01T10:00:00+00:00",
        "gewist": "2026-09-01T10:00:00+00:00",
    }
    with pytest.raises(NotFound):
        store.merge_plan_data("2026-9999", "afsluiting", {"gewist": "x"})
    with pytest.raises(KeyError):  # NotFound is the KeyError the store always raised
        store.update_plan_data("2026-9999", "afronding", {})

    store.close()


def test_the_store_keeps_the_due_index_of_reminders(db_url, settings):
    store = Store(db_url, clock=settings.clock)
    record = make_plan(store)
    eve = EVE.date()
    assert store.rebuild_reminders(settings.profiles_dir) == 1  # the plan in uitvoering
    due = store.reminders_open(eve)
    assert (record.id, "bijeenkomst_morgen:1:2026-03-11") in due
    store.mark_reminders_done([(record.id, "bijeenkomst_morgen:1:2026-03-11")])
    assert (record.id, "bijeenkomst_morgen:1:2026-03-11") not in store.reminders_open(eve)
    # a year on, every reminder's last day passed: pruned, nothing is open
    later = eve + timedelta(days=365)
    store.prune_reminders(later)
    assert store.reminders_open(later) == []
    store.close()
