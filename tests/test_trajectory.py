"""A complete trajectory: interview, vastgesteld, participants join, an update,
afronden with a CSV import, the rapportage to every participant, the besluit, the evaluation,
evaluatie and paragraaf, and after the retention date nothing about the participants is left."""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from docx import Document
from starlette.applications import Starlette

from bot import participant_pages
from bot.app import build_engine
from bot.cli import main
from bot.engine import Engine
from bot.features import closing, participants, privacy, reminders_worker
from bot.features.review import record_review, start_uitvoering, vaststellen
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import NOW, Chat
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.interviews import LEIDEN
from tests.review_helpers import finish, read_eml, text_body
from tests.test_cli import convert_to_pdf
from tests.test_delivery import make_plan
from tests.test_lifecycle import SECTIONS
from tests.test_participants import hidden, outbox

PUBLIC = "http://participatie.example.org"
NOOR = (470011223, "Noortje Proefpersoon")
KEES = ("slack:T0PROEF/U0KEES", "Kees Testbewoner")
BUUR = "buurvrouw.proef@example.org"
CSV = (
    "Reactie;Thema;Platform\n"
    "Meer bomen op het plein;Groen;DoeMee\n"
    "Een zebrapad bij de school;Verkeer;DoeMee\n"
    '"Bankjes in de schaduw, graag";Groen;DoeMee\n'
)

# how a message to participants names the plan
TITLE_IN_LEIDEN = "‘Herinrichting Lindenplein’ in Leiden"


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


async def answer_closing(owner: Chat, csv: str) -> None:
    """The closing interview, answered by what each question asks."""
    for _ in range(80):
        q = owner.question.text
        if "doorgegaan" in q:
            answer = "nee" if "activiteit 2" in q else "ja"
        elif q.startswith("Waarom ging"):
            answer = "Het platform lag eruit."
        elif q.startswith("Hoeveel mensen"):
            answer = "34"
        elif "niet in het plan stond" in q:
            answer = "Wandeling over het plein" if "Tot nu toe" not in q else "klaar"
        elif "Wat was het?" in q:
            answer = "Wandeling over het plein"
        elif "deden mee aan Wandeling" in q:
            answer = "12"
        elif q.startswith("Deden "):
            answer = "ja"
        elif "CSV" in q:
            await owner.send("doemee-export.csv", csv.encode())
            continue
        elif q.startswith("Welke reacties"):
            answer = "Verkeer: Langzamer rijden in de straat" if "Tot nu toe" not in q else "klaar"
        elif "Wat is er met deze inbreng gedaan?" in q:
            answer = "overgenomen" if "Thema Groen" in q else "deels overgenomen"
        elif q.startswith("Waarom?"):
            answer = (
                "Er komen twaalf bomen bij."
                if "over Groen" in q
                else "Het zebrapad komt er, een drempel niet."
            )
        elif "meegewogen" in q:
            answer = "Alle reacties zijn besproken in het projectteam en gewogen in het ontwerp."
        elif "Wil je die evaluatie nu vastleggen?" in q:
            answer = "ja"
        elif q.startswith("Punt "):
            answer = "deels: de jongeren bereikten we laat" if "Punt 2:" in q else "gedaan"
        elif q.startswith("Wat ging goed"):
            answer = "De wandeling over het plein bracht veel mensen op de been."
        elif q.startswith("Wat doet de projectgroep"):
            answer = "overslaan"
        elif "voorbeeldenbank" in q:
            answer = "ja"
        elif q.startswith("Klopt alles?"):
            answer = "ja"
        else:
            raise AssertionError(f"unexpected question: {q}")
        await owner.say(answer)
        if any(r.kind == "done" for r in owner.replies):
            return
    raise AssertionError("the closing interview did not end")


@pytest.fixture
def cli_env(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Settings]:
    for key in list(os.environ):
        if key.startswith(("PARTICIPATIEBOT_", "TELEGRAM_", "SLACK_", "SMTP_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PARTICIPATIEBOT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PARTICIPATIEBOT_NOW", NOW)
    monkeypatch.setenv("PARTICIPATIEBOT_PUBLIC_URL", PUBLIC)
    monkeypatch.chdir(tmp_path)
    yield settings.model_copy(update={"public_url": PUBLIC})


async def test_a_complete_trajectory_leaves_nothing_about_the_participants(
    cli_env: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = cli_env
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(logs / "participatiebot.log")
    level = logging.getLogger().level
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    store = Store(settings.db_url, clock=settings.clock)
    engine = build_engine(store, settings)
    web = httpx.AsyncClient(
        transport=httpx.ASGITransport(
            app=Starlette(routes=participant_pages.routes(settings, store))
        ),
        base_url=PUBLIC,
    )
    try:
        # --- the interview, the advisor's akkoord, the vaststelling
        owner = Chat(engine, "console:eigenaar")
        await finish(owner, LEIDEN, "leiden")
        await owner.say("indienen")
        plan_id = store.plans()[0].id
        verdicts = {s: ("akkoord", None) for s in [*SECTIONS, "afspraken"]}
        record_review(
            settings, store, plan_id, 1, verdicts, "email:participatie-leiden@example.org"
        )
        vaststellen(settings, store, plan_id, date(2026, 1, 8), "2026/0042", "email:adviseur")
        start_uitvoering(settings, store, plan_id, "console:eigenaar")

        # --- participants join, each on their own channel
        code = participants.invitation_code(store, plan_id)
        noor = Chat(engine, f"telegram:{NOOR[0]}")
        await engine.handle(noor.identity, f"volg {code} ja", naam=NOOR[1])
        await engine.handle(KEES[0], f"volg {code} ja", naam=KEES[1])
        assert "uitnodiging naar 1 adres" in await owner.say(f"uitnodigen {BUUR}")
        consent = re.search(rf"{PUBLIC}/deelnemen/\S+", outbox(store, f"email:{BUUR}")[0].text)
        button = hidden((await web.get(consent.group(0))).text)
        said = await web.post(consent.group(0), data={**button, "keuze": "ja"})
        assert said.status_code == 200
        people = [noor.identity, KEES[0], f"email:{BUUR}"]
        assert [p.identity for p in participants.participants(store, plan_id)] == people
        logging.getLogger("bot.test").info("joined: %s, %s, %s", *people)

        # --- an update, and a reaction of a participant to the owner
        assert "gaat naar 3 deelnemers" in await owner.say("update De schetsen zijn binnen.")
        await engine.handle(noor.identity, "Denk aan de bomen!", naam=NOOR[1])

        # --- afronden, with a CSV export of the online platform
        text = await owner.say("afronden")
        assert text.startswith("We ronden Herinrichting Lindenplein af.")
        await answer_closing(owner, CSV)
        assert "De participatierapportage van Herinrichting Lindenplein is klaar." in owner.text
        assert "en naar 3 deelnemers" in owner.text
        assert "digitale gemeenteblad" in owner.text
        assert store.plan(plan_id).status == "afgerond"
        folder = settings.plans_dir / plan_id
        rapportage = docx_text(folder / "participatierapportage.docx")
        assert "Meer bomen op het plein" in rapportage
        assert "Er komen twaalf bomen bij." in rapportage
        assert "Wandeling over het plein" in rapportage
        assert (folder / "tijdlijn.png").is_file()
        assert (folder / "planning.ics").read_bytes().startswith(b"BEGIN:VCALENDAR")

        # --- the besluit, from the command line
        code_, out = main(
            ["plans", "besluit", plan_id, "--datum", "2026-01-12", "--orgaan", "college",
             "--uitkomst", "Het plein wordt groener en veiliger."]
        ), capsys.readouterr().out  # fmt: skip
        assert code_ == 0, out
        assert "3 deelnemer(s) krijgen een bericht" in out
        # the rapportage published beside the plan is written again with the besluit
        assert str(folder / "participatierapportage.docx") in out
        rapportage = docx_text(folder / "participatierapportage.docx")
        assert "besloot het college: Het plein wordt groener en veiliger." in rapportage

        # --- the evaluation: the owner sends it, two participants answer on the web form
        assert "Ik stuur 3 deelnemers" in await owner.say("evaluatie")
        links = [
            re.search(rf"{PUBLIC}/evaluatie/\S+", m.text).group(0)
            for m in outbox(store)
            if "/evaluatie/" in m.text
        ]
        assert len(links) == 3
        form = await web.get(links[0])
        assert "Kreeg je genoeg informatie om mee te doen?" in form.text
        scores = {"informatie": "4", "gehoord": "5", "terugkoppeling": "4", "tevreden": "5"}
        scores_0 = {**hidden(form.text), **scores, "beter": "Meer avonden in de wijk."}
        await web.post(links[0], data=scores_0)
        scores_1 = {**hidden((await web.get(links[1])).text), **scores}
        await web.post(links[1], data={**scores_1, "gehoord": "3", "beter": ""})
        again = await web.post(links[1], data=scores_1)
        assert again.status_code == 409

        # --- everything goes out: Telegram, Slack waits for its channel, e-mail as .eml
        async with FakeTelegramAPI() as api:
            tg = settings.model_copy(
                update={"telegram_token": api.token, "telegram_base_url": api.base_url}
            )
            await reminders_worker.send_once(tg, store, settings.clock() + timedelta(hours=1))
            sent = "\n".join(api.texts(NOOR[0]))
        assert f"Nieuws over {TITLE_IN_LEIDEN}" in sent
        assert f"De participatierapportage van {TITLE_IN_LEIDEN} is klaar" in sent
        assert "Groen (2 reacties): overgenomen: Er komen twaalf bomen bij." in sent
        assert "besloot het college: Het plein wordt groener en veiliger." in sent
        assert "/evaluatie/" in sent
        mails = [read_eml(p) for p in sorted((settings.data_dir / "outbox").glob("*.eml"))]
        to_buur = "\n".join(text_body(m) for m in mails if m["To"] == BUUR)
        assert f"De participatierapportage van {TITLE_IN_LEIDEN} is klaar" in to_buur
        assert "besloot het college" in to_buur
        attached = [
            a.get_filename()
            for m in mails
            if m["Subject"].startswith("Participatierapportage")
            for a in m.iter_attachments()
        ]
        assert "participatierapportage.docx" in attached
        slack = [m.text for m in outbox(store, KEES[0])]
        assert any("participatierapportage" in t for t in slack)

        # --- evaluatie and paragraaf, read back and converted to PDF
        evaluatie = docx_text(folder / "evaluatie.docx")
        assert "2 deelnemers vulden het evaluatieformulier in." in evaluatie
        assert "Meer avonden in de wijk." in evaluatie
        code_, out = main(["paragraaf", plan_id]), capsys.readouterr().out
        assert code_ == 0
        assert "Het plein wordt groener en veiliger." in out
        paragraaf = docx_text(folder / "participatieparagraaf.docx")
        assert "Het plein wordt groener en veiliger." in paragraaf
        for name in ("participatierapportage", "evaluatie", "participatieparagraaf"):
            convert_to_pdf(folder / f"{name}.docx", tmp_path)

        # --- the retention date passes: the reminders job erases by itself
        record = store.plan(plan_id)
        until = privacy.retention_date(settings, record)
        assert until == date(2026, 1, 12) + timedelta(days=90)
        await reminders_worker.send_once(settings, store, settings.clock() + timedelta(days=89))
        assert participants.participants(store, plan_id)  # not yet
        os.environ["PARTICIPATIEBOT_NOW"] = "2026-04-13T10:00:00+02:00"
        # `reminders send` as cron runs it (asyncio.run of its own: in a thread here)
        assert await asyncio.to_thread(main, ["reminders", "send"]) == 0
        capsys.readouterr()
        assert participants.participants(store, plan_id) == []
        assert closing.steps(store.plan(plan_id))["aantal_deelnemers"] == 3
    finally:
        await web.aclose()
        store.close()
        logging.getLogger().removeHandler(handler)
        logging.getLogger().setLevel(level)
        handler.close()

    # --- nothing about the participants is left: database file, data dir, logs
    needles = [str(NOOR[0]), NOOR[1], KEES[0], KEES[1], "U0KEES", BUUR]
    files = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    assert any(p.name == "participatiebot.db" for p in files)
    assert any(p.suffix == ".log" for p in files)
    for path in files:
        data = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in data, f"{needle} in {path}"
    # what stays: the documents and the counts
    assert (folder / "participatierapportage.docx").is_file()
    assert "Meer bomen op het plein" in docx_text(folder / "participatierapportage.docx")


async def test_afronden_checks_the_csv_and_edits_the_list(
    engine: Engine, store: Store, settings: Settings, tmp_path: Path
) -> None:
    owner = Chat(engine, "console:tester")
    assert (await owner.say("afronden")).startswith("Je hebt geen plan om af te ronden.")
    plan = make_plan(store)
    await owner.say("afronden")
    assert owner.question.text == "Is activiteit 1 (bijeenkomst: Ontwerpavond) doorgegaan?"
    await owner.say("nee")  # not held: the count is not asked, why it was not is
    assert owner.question.text.startswith("Waarom ging activiteit 1 (bijeenkomst: Ontwerpavond)")
    await owner.say("overslaan")
    assert owner.question.text.startswith("Is activiteit 2 (online inbreng")
    await owner.say("ja")
    await owner.say("weet ik nog niet")
    await owner.say("klaar")
    assert "CSV" in owner.question.text
    text = await owner.send("leeg.csv", b"naam;leeftijd\nA;3\n")
    assert "Ik vind geen kolom met de reacties." in text
    assert "CSV" in owner.question.text  # asked again
    await owner.say("overslaan")
    await owner.say("Groen: Meer bomen")
    await owner.say("Een verkeerd item")
    text = await owner.say("verwijder 2")
    assert "Een verkeerd item" not in owner.question.text
    await owner.say("klaar")
    assert owner.question.text.startswith("Thema Groen (1 reactie).")
    # the walk is kept: a new message after a pause goes on where it was
    assert (await owner.say("afronden")).startswith("Thema Groen (1 reactie).")
    await owner.say("3")
    await owner.say("Bomen passen niet boven de leidingen.")
    await owner.say("Zie het raadsvoorstel.")
    assert "Wil je die evaluatie nu vastleggen?" in owner.question.text
    await owner.say("nee")  # the project group evaluates later
    assert "voorbeeldenbank van Leiden" in owner.question.text
    await owner.say("nee")
    await owner.say("ja")
    afronding = closing.load_afronding(store.plan(plan.id))
    assert [(u.activiteit, u.gehouden) for u in afronding.uitvoering] == [(1, False), (2, True)]
    assert [(t.naam, t.verwerking.value, t.reden) for t in afronding.themas] == [
        ("Groen", "niet overgenomen", "Bomen passen niet boven de leidingen.")
    ]
    assert store.plan(plan.id).status == "afgerond"
    text = docx_text(settings.plans_dir / plan.id / "participatierapportage.docx")
    assert "Bomen passen niet boven de leidingen." in text


async def test_the_owner_records_the_besluit_in_chat_and_participants_hear_it(
    engine: Engine, store: Store, settings: Settings
) -> None:
    owner = Chat(engine, "console:tester")
    assert (await owner.say("besluit")).startswith("Je hebt geen plan waarvan")
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    await engine.handle("telegram:777", f"volg {code} ja", naam="Deelnemer")
    text = await owner.say("besluit")
    assert text.startswith("We leggen het besluit over")
    assert "Op welke datum" in owner.question.text
    await owner.say("morgen is geen datum?")  # bad input: one message, the same question
    assert "Op welke datum" in owner.question.text
    await owner.say("12 januari 2026")
    await owner.say("raad")
    await owner.say("Het plein wordt groener; de bomen komen er.")
    await owner.say("overslaan")
    await owner.say("ja")  # the summary is right
    assert "1 bericht aan een deelnemer staat klaar" in owner.text
    afronding = closing.load_afronding(store.plan(plan.id))
    assert afronding.besluit and afronding.besluit.uitkomst.startswith("Het plein wordt groener")
    told = [m.text for m in outbox(store, "telegram:777") if "groener" in m.text]
    assert told, [m.text for m in outbox(store, "telegram:777")]
