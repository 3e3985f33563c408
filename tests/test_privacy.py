"""Privacy: export and erase from the command line, 'verwijder' in the chat, the retention date,
and the participatieparagraaf and besluit commands of the closing."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from docx import Document

from bot.cli import main
from bot.engine import Engine
from bot.features import closing, participants, privacy, reminders_worker
from bot.settings import Settings
from bot.storage import Store
from handreiking.afronding import Besluit
from tests.conftest import NOW, Chat
from tests.test_delivery import make_plan
from tests.test_participants import outbox

NOOR = "telegram:987654321"
NOOR_NAAM = "Noortje Testpersoon"
MAIL = "email:buurvrouw.test@example.org"


@pytest.fixture
def cli_env(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The command line in this process, on the same data dir and 'now' as the fixtures."""
    for key in list(os.environ):
        if key.startswith("PARTICIPATIEBOT_") and key != "PARTICIPATIEBOT_SOFFICE":
            monkeypatch.delenv(key)
    monkeypatch.setenv("PARTICIPATIEBOT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PARTICIPATIEBOT_NOW", NOW)
    monkeypatch.chdir(tmp_path)
    yield settings.data_dir


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


async def join(engine: Engine, store: Store, plan_id: str, identity: str, naam: str) -> Chat:
    chat = Chat(engine, identity)
    await chat.engine.handle(
        identity, f"volg {participants.invitation_code(store, plan_id)} ja", naam=naam
    )
    return chat


def db_bytes(settings: Settings) -> bytes:
    files = sorted(settings.data_dir.glob("participatiebot.db*"))
    assert files
    return b"".join(f.read_bytes() for f in files)


def everything(settings: Settings) -> bytes:
    """Every file under the data dir (database, outbox, logs, documents), as bytes."""
    return b"".join(p.read_bytes() for p in sorted(settings.data_dir.rglob("*")) if p.is_file())


def test_erase_without_yes_or_target_is_one_line_and_exit_2(
    cli_env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = cli(capsys, "privacy", "erase", "--persoon", NOOR)
    assert code == 2
    assert err == "fout: wissen kan niet ongedaan worden gemaakt; voeg --yes toe\n"
    code, _, err = cli(capsys, "privacy", "export")
    assert (code, err) == (2, "fout: gebruik --plan ID of --persoon IDENTITEIT (één van beide)\n")
    code, _, err = cli(capsys, "privacy", "erase", "--plan", "2026-0001", "--persoon", NOOR)
    assert code == 2 and err.count("\n") == 1
    code, _, err = cli(capsys, "privacy", "export", "--plan", "2099-0042")
    assert (code, err) == (1, "fout: plan '2099-0042' niet gevonden\n")


async def test_export_and_erase_a_person_everywhere(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    store: Store,
    settings: Settings,
) -> None:
    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    owner = Chat(engine, "console:tester")
    assert "gaat naar 1 deelnemer." in await owner.say("update De schetsen zijn binnen.")
    await engine.handle(NOOR, "Mooi plan, maar denk aan de bomen.", naam=NOOR_NAAM)
    # an e-mail participant, with a mail already written to the outbox
    participants.invite_emails(
        store, settings, plan, [MAIL.removeprefix("email:")], settings.clock()
    )
    await reminders_worker.send_once(settings, store, settings.clock() + timedelta(hours=1))
    assert list((settings.data_dir / "outbox").glob("*.eml"))
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "participatiebot.log").write_text(
        f"2026-01-12 INFO bot: sent to {NOOR}\n2026-01-12 INFO bot: round done\n"
        f"2026-01-12 INFO bot: invited buurvrouw.test@example.org\n",
        encoding="utf-8",
    )

    code, out, _ = cli(capsys, "privacy", "export", "--persoon", NOOR)
    assert code == 0
    data = json.loads(out)
    assert data["identiteit"] == NOOR
    assert [(d["plan"], d["naam"], d["status"]) for d in data["deelnames"]] == [
        (plan.id, NOOR_NAAM, "active")
    ]
    assert any("De schetsen zijn binnen." in m["tekst"] for m in data["berichten"])

    code, out, _ = cli(capsys, "privacy", "erase", "--persoon", NOOR, "--yes")
    assert code == 0 and out.startswith(f"gegevens van {NOOR} gewist")
    code, out, _ = cli(capsys, "privacy", "erase", "--persoon", MAIL, "--yes")
    assert code == 0
    store.close()

    data = json.loads(cli(capsys, "privacy", "export", "--persoon", NOOR)[1])
    assert data["persoon"] is None and data["deelnames"] == [] and data["berichten"] == []
    log = (logs / "participatiebot.log").read_text(encoding="utf-8").splitlines()
    assert log[:3] == [
        "2026-01-12 INFO bot: sent to [gewist]",
        "2026-01-12 INFO bot: round done",
        "2026-01-12 INFO bot: invited [gewist]",
    ]
    assert list((settings.data_dir / "outbox").glob("*.eml")) == []
    for needle in (NOOR, NOOR_NAAM, "buurvrouw.test@example.org"):
        assert needle.encode() not in db_bytes(settings), needle
        assert needle.encode() not in everything(settings), needle
    # the plan itself stays
    assert "Herinrichting Lindenplein" in cli(capsys, "plans", "show", plan.id)[1]


async def test_erase_a_plan_keeps_plan_and_counts(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    store: Store,
    settings: Settings,
) -> None:
    plan = make_plan(store)
    other = make_plan(store, owner="console:ander", titel="Speeltuin Bosrand")
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    await join(engine, store, plan.id, "slack:T0TEST/U777", "Kees Proef")
    await join(engine, store, other.id, "slack:T0TEST/U777", "Kees Proef")

    data = json.loads(cli(capsys, "privacy", "export", "--plan", plan.id)[1])
    assert [d["identiteit"] for d in data["deelnemers"]] == [NOOR, "slack:T0TEST/U777"]
    assert data["bewaren_tot"] == "2028-01-12"  # never closed: two years after the start

    code, out, _ = cli(capsys, "privacy", "erase", "--plan", plan.id, "--yes")
    assert code == 0 and out.startswith(f"persoonsgegevens van de deelnemers van plan {plan.id}")
    data = json.loads(cli(capsys, "privacy", "export", "--plan", plan.id)[1])
    assert data["deelnemers"] == []
    assert data["aantal_deelnemers_bewaard"] == 2
    # who follows another plan too keeps that one
    assert [p.identity for p in participants.participants(store, other.id)] == ["slack:T0TEST/U777"]
    assert store.plan(plan.id) is not None
    store.close()
    assert NOOR.encode() not in db_bytes(settings)


async def test_verwijder_in_the_chat_asks_first(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    noor = await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    text = await noor.say("verwijder")
    assert text.startswith("Wil je dat ik alles wis wat ik over je bewaar?")
    assert [c.label for c in noor.question.choices] == ["Ja, wis alles", "Nee, niet wissen"]
    assert await noor.say(noor.question.choices[1].value) == "Goed, ik heb niets gewist."
    assert participants.followed(store, NOOR)
    text = await noor.say("/verwijder ja")
    assert (
        text == "Ik heb alles gewist wat ik over je bewaarde. Je krijgt geen berichten meer van me."
    )
    assert participants.followed(store, NOOR) == []
    assert await noor.say("mijngegevens") == "Ik bewaar niets over je."
    # an owner is told to ask the administrator: their plan is the gemeente's
    owner = Chat(engine, "console:tester")
    assert "Vraag de beheerder" in await owner.say("verwijder")


async def test_retention_date_after_the_besluit_erases_by_itself(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    now = settings.clock()
    besluit = Besluit(datum=now.date(), orgaan="college", uitkomst="Het plein wordt groener.")
    assert closing.record_besluit(store, settings, plan.id, besluit, now).deelnemers == 1
    record = store.plan(plan.id)
    assert privacy.retention_date(settings, record) == (now + timedelta(days=90)).date()

    reminders_worker.schedule(store, settings, now + timedelta(days=90))
    assert participants.participants(store, plan.id)  # the last day: still kept
    reminders_worker.schedule(store, settings, now + timedelta(days=91))
    assert participants.participants(store, plan.id) == []
    assert closing.steps(store.plan(plan.id))["aantal_deelnemers"] == 1


async def test_besluit_and_paragraaf_commands(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    store: Store,
    settings: Settings,
    tmp_path: Path,
) -> None:
    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    code, out, err = cli(
        capsys, "plans", "besluit", plan.id, "--datum", "2026-01-08", "--orgaan", "bestuur",
        "--uitkomst", "x",
    )  # fmt: skip
    assert (code, err) == (2, "fout: --orgaan is college of raad, niet 'bestuur'\n")
    code, out, _ = cli(
        capsys, "plans", "besluit", plan.id, "--datum", "2026-01-08", "--orgaan", "college",
        "--uitkomst", "Het plein krijgt meer groen.", "--link", "https://example.org/besluit",
    )  # fmt: skip
    assert code == 0
    assert out == f"besluit over plan {plan.id} vastgelegd; 1 deelnemer(s) krijgen een bericht\n"
    text = outbox(store, NOOR)[-1].text
    assert "Op 8 januari 2026 besloot het college: Het plein krijgt meer groen." in text
    assert "Meer lezen: https://example.org/besluit" in text

    code, out, err = cli(capsys, "paragraaf", plan.id, "--out", str(tmp_path / "uit"))
    assert code == 0, err
    assert "Op 8 januari 2026 besloot het college: Het plein krijgt meer groen." in out
    docx = tmp_path / "uit" / "participatieparagraaf.docx"
    words = "\n".join(p.text for p in Document(docx).paragraphs)
    assert "Het plein krijgt meer groen." in words
    code, _, err = cli(capsys, "paragraaf", "2099-0001")
    assert (code, err) == (1, "fout: plan '2099-0001' niet gevonden\n")


def test_retention_cap_for_a_plan_never_closed(store: Store, settings: Settings) -> None:
    plan = make_plan(store)
    assert privacy.retention_date(settings, plan) == datetime(2028, 1, 12).date()


async def test_a_person_without_a_channel_is_found_or_told_what_to_write(
    cli_env: Path,
    capsys: pytest.CaptureFixture[str],
    engine: Engine,
    store: Store,
    settings: Settings,
) -> None:
    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    address = MAIL.removeprefix("email:")
    participants.invite_emails(store, settings, plan, [address], settings.clock())
    # an e-mail address is an e-mail identity
    code, out, _ = cli(capsys, "privacy", "export", "--persoon", address)
    assert code == 0 and json.loads(out)["identiteit"] == MAIL
    assert json.loads(out)["deelnames"][0]["status"] == "invited"
    # a bare id that belongs to exactly one known identity
    bare = NOOR.removeprefix("telegram:")
    code, out, _ = cli(capsys, "privacy", "export", "--persoon", bare)
    assert code == 0 and json.loads(out)["identiteit"] == NOOR
    # nobody known by that id: one line that says what to write, and nothing erased
    code, out, err = cli(capsys, "privacy", "erase", "--persoon", "12345", "--yes")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "telegram:12345" in err and "email:" in err
    # an id two people share: which one
    # (one who writes a plan in the terminal: a terminal cannot follow a plan, it brings no news)
    make_plan(store, owner=f"console:{bare}")
    code, out, err = cli(capsys, "privacy", "erase", "--persoon", bare, "--yes")
    assert code == 2 and err.count("\n") == 1
    assert NOOR in err and f"console:{bare}" in err
    assert participants.followed(store, NOOR)

    code, out, _ = cli(capsys, "privacy", "erase", "--persoon", address, "--yes")
    assert code == 0 and out.startswith(f"gegevens van {MAIL} gewist (")
    assert "(0)" not in out and re.search(r"gewist \([0-9]+ gegevens en bestanden\)", out)
    assert participants.followed(store, MAIL) == []
    # a channel identity nothing is kept about says so, not 'gewist (0)'
    code, out, _ = cli(capsys, "privacy", "erase", "--persoon", "telegram:5550001", "--yes")
    assert code == 0 and out == "over telegram:5550001 is niets bewaard; er is niets gewist\n"


CSV_EXPORT = (
    "Tijdstempel;Naam;E-mailadres;Thema;Uw reactie\n"
    "12-3-2027 19:02;Piet Testpersoon;piet.test@example.org;Groen;Meer bloeiende planten\n"
    "13-3-2027 08:40;;;Bankjes;Een bankje bij de kerk, bel me: 06-12345678\n"
)


async def test_erasure_on_schedule_takes_the_reactions_contact_details_too(
    engine: Engine, store: Store, settings: Settings
) -> None:
    """Who reacted in a survey or filled in the evaluation never followed the plan, but their
    names, addresses and phone numbers were in the CSV export and the open answers; after the
    retention date they were still in the database."""
    from handreiking.afronding import import_csv, lees_afronding

    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    store.update_plan_data(plan.id, "afronden", {"inbreng_csv": CSV_EXPORT, "inbreng": []})
    afronding = closing.load_afronding(store.plan(plan.id))
    afronding.inbreng = import_csv(CSV_EXPORT)
    closing.save_afronding(store, plan.id, afronding)
    store.update_plan_data(
        plan.id,
        "evaluatie_antwoorden",
        {
            "gebruikt": ["ab12"],
            "antwoorden": [{"tevreden": 4, "beter": "Mail me: kees@example.org"}],
        },
    )
    now = settings.clock()
    besluit = Besluit(datum=now.date(), orgaan="college", uitkomst="Het plein wordt groener.")
    closing.record_besluit(store, settings, plan.id, besluit, now)

    reminders_worker.schedule(store, settings, now + timedelta(days=91))
    record = store.plan(plan.id)
    # the reactions, their themes and the scores stay; the people behind them go
    kept = lees_afronding(record.data).inbreng
    assert [(i.thema, i.tekst) for i in kept] == [
        ("Groen", "Meer bloeiende planten"),
        ("Bankjes", "Een bankje bij de kerk, bel me: [weggelaten]"),
    ]
    assert [i.tekst for i in import_csv(record.data["afronden"]["inbreng_csv"])] == [
        i.tekst for i in kept
    ]
    assert record.data["evaluatie_antwoorden"]["antwoorden"] == [
        {"tevreden": 4, "beter": "Mail me: [weggelaten]"}
    ]
    store.close()
    stored = db_bytes(settings)
    for gone in (b"Piet Testpersoon", b"piet.test@example.org", b"12345678", b"kees@example.org"):
        assert gone not in stored


async def test_a_besluit_link_typed_without_https_opens_from_the_mail(
    cli_env: Path, capsys: pytest.CaptureFixture[str], engine: Engine, store: Store
) -> None:
    """'heemstede.nl/raad' went into the participants' mail as typed: no mail program opened
    it as a link."""
    plan = make_plan(store)
    await join(engine, store, plan.id, NOOR, NOOR_NAAM)
    code, _, err = cli(
        capsys, "plans", "besluit", plan.id, "--datum", "2026-01-08", "--orgaan", "raad",
        "--uitkomst", "Akkoord.", "--link", "heemstede.nl/raad",
    )  # fmt: skip
    assert code == 0, err
    assert "Meer lezen: https://heemstede.nl/raad" in outbox(store, NOOR)[-1].text
