"""A plan's lifecycle: statuses and steps, submitting in chat, vaststelling on the command line,
the public version without personal data."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.features.review import record_review, vaststellen
from bot.storage import Store
from bot.storage.lifecycle import Lifecycle
from handreiking import lifecycle, openbaar
from handreiking.documents import document_text
from handreiking.lifecycle import Status, TransitionError
from handreiking.models import Plan
from handreiking.profiles import load_profile
from tests.conftest import NOW, Chat
from tests.interviews import HEERLEN, LEIDEN
from tests.review_helpers import finish

S = Status
SECTIONS = ["quickscan", "kaders", "planomschrijving", "plan", "planning", "terugkoppeling"]


# ---------------------------------------------------------------- the steps themselves


def test_the_way_from_concept_to_afgerond():
    path = [
        S.concept,
        S.compleet,
        S.ingediend,
        S.aanpassen_gevraagd,
        S.ingediend,
        S.akkoord_adviseur,
        S.vastgesteld,
        S.in_uitvoering,
        S.afgerond,
    ]
    for current, target in zip(path, path[1:], strict=False):
        assert lifecycle.allowed(current, target, complex=True), (current, target)


@pytest.mark.parametrize(
    "current, target",
    [
        (S.concept, S.ingediend),
        (S.ingediend, S.vastgesteld),
        (S.compleet, S.vastgesteld),
        (S.aanpassen_gevraagd, S.akkoord_adviseur),
        (S.ingediend, S.in_uitvoering),
        (S.afgerond, S.concept),
    ],
)
def test_steps_that_skip_the_advisor_or_go_back_are_refused(current, target):
    assert not lifecycle.allowed(current, target, complex=False)
    with pytest.raises(TransitionError):
        lifecycle.check(current, target, complex=False)


def test_only_a_simple_initiative_starts_right_after_akkoord():
    assert lifecycle.allowed(S.akkoord_adviseur, S.in_uitvoering, complex=False)
    assert not lifecycle.allowed(S.akkoord_adviseur, S.in_uitvoering, complex=True)
    with pytest.raises(TransitionError, match="college of raad stelt het plan eerst vast"):
        lifecycle.check(S.akkoord_adviseur, S.in_uitvoering, complex=True)
    assert "vaststellen mag" in lifecycle.next_step(S.akkoord_adviseur, complex=False)
    assert "stelt het plan vast" in lifecycle.next_step(S.akkoord_adviseur, complex=True)


def test_one_aanpassen_sends_the_plan_back():
    assert lifecycle.review_outcome({"a": "akkoord", "b": "akkoord"}) == S.akkoord_adviseur
    assert lifecycle.review_outcome({"a": "akkoord", "b": "aanpassen"}) == S.aanpassen_gevraagd
    with pytest.raises(ValueError):
        lifecycle.review_outcome({"a": "misschien"})


# ---------------------------------------------------------------- submitting in chat


async def test_indienen_in_chat_freezes_the_plan_and_records_who_and_when(chat, store):
    await finish(chat, LEIDEN, "leiden")
    assert "indienen" in chat.text  # the done message says how to submit
    await chat.say("indienen")
    assert "Je plan is ingediend" in chat.text
    record = store.plans()[0]
    assert record.status == "ingediend"
    lc = Lifecycle(store)
    [version] = lc.versions(record.id)
    assert version.nr == 1 and version.reason == "ingediend"
    assert version.data["titel"] == "Herinrichting Lindenplein"
    [step] = lc.transitions(record.id)
    assert (step.from_status, step.to_status, step.who) == ("compleet", "ingediend", chat.identity)
    assert step.at.isoformat() == "2026-01-12T09:00:00+00:00"

    await chat.say("indienen")
    assert "Je plan is nu: ingediend bij de adviseur" in chat.text
    assert len(lc.versions(record.id)) == 1


async def test_back_after_submitting_opens_that_plan_and_offers_a_new_one(chat, store):
    # back in the chat after 'indienen', a new empty interview began as if the plan was gone
    await finish(chat, LEIDEN, "leiden")
    await chat.say("indienen")
    text = await chat.start()
    assert "Je plan 'Herinrichting Lindenplein' staat op 'ingediend'" in text
    assert "Je plan ligt bij de adviseur" in text and "'nieuw' voor een nieuw plan" in text
    assert "Hoe heet je opgave" not in text
    assert len(store.plans()) == 1 and store.plans()[0].status == "ingediend"
    assert "Herinrichting Lindenplein" in await chat.say("samenvatting")
    await chat.say("nieuw")
    assert "Hoe heet je opgave" in chat.question.text
    assert len(store.plans()) == 2 and store.plans()[0].status == "ingediend"


async def test_an_unfinished_plan_cannot_be_submitted_and_the_interview_goes_on(chat, store):
    await chat.start(gemeente="leiden")
    await chat.say("Speelplek Kastanjelaan")
    await chat.say("/indienen")
    assert "Je plan is nog niet af" in chat.text
    assert "Wie neemt het initiatief" in chat.question.text
    assert store.plans()[0].status == "concept"


async def test_edits_after_submitting_do_not_undo_the_status(chat, store):
    await finish(chat, HEERLEN, "heerlen")
    await chat.say("indienen")
    await chat.say("wijzig")
    await chat.say("1")
    await chat.say("Ontmoetingsplek Parkstraat-Noord")
    assert store.plans()[0].status == "ingediend"
    await chat.say("plannen")
    assert "(2026-0001, ingediend)" in chat.text


async def test_vastgesteld_keeps_the_version_the_advisor_approved(chat, store, settings):
    await finish(chat, LEIDEN, "leiden")
    await chat.say("indienen")
    plan_id = store.plans()[0].id
    # the owner changes the title after submitting; the advisor approves what was submitted
    await chat.say("wijzig")
    await chat.say("1")
    await chat.say("Herinrichting Lindenplein, tweede poging")
    record_review(
        settings,
        store,
        plan_id,
        1,
        {s: ("akkoord", None) for s in [*SECTIONS, "afspraken"]},
        "email:participatie-leiden@example.org",
    )
    version = vaststellen(settings, store, plan_id, date(2026, 1, 8), "2026/0042", "email:a")
    assert version.reason == "vastgesteld" and version.besluit == "2026/0042"
    assert version.data["titel"] == "Herinrichting Lindenplein"
    assert store.plan(plan_id).data["titel"] == "Herinrichting Lindenplein, tweede poging"
    steps = [(t.from_status, t.to_status) for t in Lifecycle(store).transitions(plan_id)]
    assert steps == [
        ("compleet", "ingediend"),
        ("ingediend", "akkoord_adviseur"),
        ("akkoord_adviseur", "vastgesteld"),
    ]
    # and the public version is the adopted one
    public = settings.plans_dir / plan_id / "participatieplan-openbaar.docx"
    text = document_text(public)
    assert "Herinrichting Lindenplein" in text and "tweede poging" not in text


async def test_deleting_a_plan_removes_its_history(chat, store):
    await finish(chat, HEERLEN, "heerlen")
    await chat.say("indienen")
    plan_id = store.plans()[0].id
    assert store.delete_plan(plan_id)
    lc = Lifecycle(store)
    assert lc.versions(plan_id) == [] and lc.transitions(plan_id) == []


# ---------------------------------------------------------------- the command line

BIN = Path(sys.executable).parent / "participatiebot"


def cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PARTICIPATIEBOT_") or k == "PARTICIPATIEBOT_SOFFICE"
    }
    env.update(PARTICIPATIEBOT_DATA_DIR=str(tmp_path / "var"), PARTICIPATIEBOT_NOW=NOW)
    return subprocess.run(
        [str(BIN), *args], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120
    )


async def test_plans_vaststellen_on_the_command_line(tmp_path, settings, store):
    chat = Chat(build_engine(store, settings))
    await finish(chat, LEIDEN, "leiden")
    await chat.say("indienen")
    plan_id = store.plans()[0].id

    early = cli(tmp_path, "plans", "vaststellen", plan_id, "--datum", "2026-01-10")
    assert early.returncode == 1
    assert early.stderr.count("\n") == 1 and "akkoord van de adviseur" in early.stderr

    verdicts = {s: ("akkoord", None) for s in [*SECTIONS, "afspraken"]}
    record_review(settings, store, plan_id, 1, verdicts, "email:participatie-leiden@example.org")
    bad = cli(tmp_path, "plans", "vaststellen", plan_id, "--datum", "ooit")
    assert bad.returncode == 2 and "kan de datum 'ooit' niet lezen" in bad.stderr
    other = cli(
        tmp_path, "plans", "vaststellen", plan_id, "--datum", "8-1-2026", "--gemeente", "heerlen"
    )
    assert other.returncode == 1 and "niet gevonden" in other.stderr

    done = cli(
        tmp_path,
        "plans",
        "vaststellen",
        plan_id,
        "--datum",
        "8 januari 2026",
        "--besluit",
        "B&W 12",
    )
    assert done.returncode == 0, done.stderr
    # the version handed in and approved, as the advisor's page and the public version's front
    # page number it; not the number of the frozen copy the vaststelling keeps ('versie 2')
    assert f"plan {plan_id} vastgesteld op 8 januari 2026, besluit B&W 12 (versie 1)" in done.stdout
    public = settings.plans_dir / plan_id / "participatieplan-openbaar.docx"
    assert str(public) in done.stdout
    assert "Versie\t1" in document_text(public)
    assert store.plan(plan_id).status == "vastgesteld"
    adopted = Lifecycle(store).latest(plan_id, "vastgesteld")
    assert adopted.besluit_datum == date(2026, 1, 8) and adopted.besluit == "B&W 12"
    listed = cli(tmp_path, "plans", "list")
    assert f"{plan_id}\tleiden\tvastgesteld" in listed.stdout


# ---------------------------------------------------------------- the public version


def test_looks_like_personal_data():
    found = openbaar.persoonsgegevens(
        "Bel mevrouw Jansen op 06-12345678 of mail buurt@example.org; ook J. de Boer en "
        "Anna de Vries komen, net als +31 6 1234 5678."
    )
    assert [(t.soort, t.tekst) for t in found] == [
        ("e-mailadres", "buurt@example.org"),
        ("telefoonnummer", "06-12345678"),
        ("telefoonnummer", "+31 6 1234 5678"),
        ("naam", "mevrouw Jansen"),
        ("naam", "J. de Boer"),
        ("naam", "Anna de Vries"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Bewoners van Leiden en ondernemers uit de Lindenstraat.",
        "Budget € 250.000; 1000-2000 euro; op 12-3-2026 in Buurthuis De Linde.",
        "Plan 2026-0001, Gebiedsvisie Lindenkwartier: het plein blijft autoluw & groen.",
        "Inwoners van Leidschendam-Voorburg, de Raad van State en het Huis van de Wijk.",
        "Ook van Heemstede komen ondernemers; Vrienden van Heemstede doen mee.",
    ],
)
def test_ordinary_plan_text_is_not_personal_data(text):
    assert openbaar.persoonsgegevens(text) == []


def test_a_name_with_only_van_in_a_public_text_gets_a_tip():
    # 'Kees van Amsterdam' in the opgave went into the openbare versie without a word
    plan = Plan(
        titel="Plein",
        gemeente="leiden",
        opgave="Kees van Amsterdam en Fatima van Dijk van de bewonersgroep trekken het.",
    )
    tips = [f.tekst for f in openbaar.check(plan, load_profile("leiden"))]
    assert any("Kees van Amsterdam" in t for t in tips), tips
    assert any("Fatima van Dijk" in t for t in tips), tips


def test_the_place_of_a_meeting_in_a_plan_is_no_home_address_to_warn_about():
    """Addresses count in what residents wrote; in a plan a street with a number is where a
    meeting takes place, and the public version keeps it."""
    activiteit = {"type": "bijeenkomst", "datum": "2026-03-12", "plaats": "Buurthuis, Kerkstraat 4"}
    plan = Plan(titel="Plein", gemeente="leiden", activiteiten=[activiteit])
    assert openbaar.check(plan, load_profile("leiden")) == []
    assert openbaar.publiek(plan, load_profile("leiden")).activiteiten[0].plaats == (
        "Buurthuis, Kerkstraat 4"
    )


def _leiden_plan() -> Plan:
    return Plan.model_validate(
        {
            "titel": "Lindenplein",
            "gemeente": "leiden",
            "accounthouder": "Mirthe Voorbeeld",
            "accounthouder_email": "mirthe.voorbeeld@example.org",
            "eigenaar_email": "eigenaar@example.org",
            "opgave": "Vragen? Mail Mirthe Voorbeeld, mirthe.voorbeeld@example.org of 071-5165165.",
            "activiteiten": [
                {"type": "bijeenkomst", "uren": {"waarde": 20}, "kosten": {"min": 1500}}
            ],
        }
    )


def test_public_plan_blanks_internal_fields_and_removes_addresses():
    profile = load_profile("leiden")
    public = openbaar.publiek(_leiden_plan(), profile)
    assert public.accounthouder == "niet openbaar"
    assert public.accounthouder_email is None and public.eigenaar_email is None
    assert public.opgave == "Vragen? Mail [weggelaten], [weggelaten] of [weggelaten]."
    # Leiden keeps hours and costs public; a profile can mark them internal
    assert public.activiteiten[0].kosten is not None
    heerlen_intern = profile.model_copy(update={"intern": [*profile.intern, "activiteiten.kosten"]})
    assert openbaar.publiek(_leiden_plan(), heerlen_intern).activiteiten[0].kosten is None


def test_the_check_warns_about_text_meant_for_publication():
    findings = openbaar.check(_leiden_plan(), load_profile("leiden"))
    texts = "\n".join(f.tekst for f in findings)
    assert "over wat de opgave inhoudt staat iets dat lijkt op een e-mailadres" in texts
    assert "telefoonnummer: '071-5165165'" in texts
    assert "lijkt op de naam van een persoon: 'Mirthe Voorbeeld'" in texts
    # the internal fields themselves are not published, so they raise nothing
    assert all(f.vraag == "opgave" for f in findings)


async def test_openbaar_document_has_no_addresses_or_accounthouder(chat, store, settings):
    await finish(chat, LEIDEN, "leiden")
    await chat.say("indienen")
    public = settings.plans_dir / store.plans()[0].id / "participatieplan-openbaar.docx"
    text = document_text(public)
    assert "Herinrichting Lindenplein" in text
    assert "Ontwerpavond <met> schetsen & koffie" in text
    assert "@" not in text
    assert "Mirthe" not in text and "Voorbeeld" not in text
    full = document_text(public.with_name("participatieplan.docx"))
    assert "mirthe.voorbeeld@example.org" in full  # the internal version keeps them


def test_store_checks_steps_against_a_concurrent_change(settings):
    store = Store(settings.db_url, clock=settings.clock)
    record = store.create_plan("console:a", "heerlen", {"titel": "X"})
    lc = Lifecycle(store)
    with pytest.raises(TransitionError, match="nog niet af"):
        lc.submit(record.id, "console:a")
    store.save("console:a", record.id, {"titel": "X"}, {"mode": "complete"}, status="compleet")
    lc.submit(record.id, "console:a")
    with pytest.raises(TransitionError):
        lc.submit(record.id, "console:a")
    store.close()


def test_a_tip_about_personal_data_names_the_answer_in_words_never_a_field_name():
    from handreiking.models import Activiteit, ActiviteitType, Plan

    plan = Plan(
        titel="Moestuin",
        eigenaar_naam="Sam Testpersoon",
        eigenaar_rol="Sam Testpersoon",
        activiteiten=[Activiteit(type=ActiviteitType.workshop, plaats="bij Sam Testpersoon thuis")],
    )
    texts = "\n".join(f.tekst for f in openbaar.check(plan, load_profile("heerlen")))
    assert "In je antwoord over je rol staat" in texts  # was "In 'eigenaar_rol' staat"
    assert "In je antwoord over activiteit 1 staat" in texts
    assert "eigenaar_rol" not in texts and "activiteiten." not in texts
