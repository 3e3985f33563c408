"""The participatieverslag for an omgevingsvergunning application, before and after the traject."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.features import verslag
from bot.settings import Settings
from bot.storage import Store
from handreiking.afronding import Afronding
from handreiking.closing_documents import render_verslag
from handreiking.documents import document_text
from handreiking.models import Activiteit, ActiviteitType
from handreiking.profiles import load_profile
from handreiking.verslag import verslag_tekst
from tests.document_plans import LEIDEN, afronding
from tests.test_delivery import make_plan
from tests.test_privacy import cli, cli_env  # noqa: F401 - the fixture is used by name

PROFILE = load_profile("leiden")
PAST = ("organiseerde", "deden mee", "Mee deden", "was ", "waren", "heeft ", "kwamen", "is gewogen")


def test_before_the_traject_the_verslag_says_what_is_planned(tmp_path: Path) -> None:
    path = render_verslag(LEIDEN, Afronding(), PROFILE, tmp_path / "verslag.docx")
    text = document_text(path)
    rows = text.splitlines()
    assert rows[0] == "Participatieverslag bij de aanvraag omgevingsvergunning"
    assert "Stand\tvoor de participatie" in rows
    assert "artikel 7.4" in text and "Die is er nog niet geweest" in text
    assert "1. Heeft participatie plaatsgevonden?" in rows
    assert (
        "Nog niet. Team Openbare Ruimte bereidt de participatie voor. Ze staat gepland van "
        "1 maart 2026 tot en met 16 april 2026."
    ) in rows
    assert "2. Hoe gaat de participatie?" in rows
    assert "1. Bijeenkomst: Ontwerpavond met schetsen en koffie\t12 maart 2026\t" in rows
    assert "3. Wat levert de participatie op?" in rows
    assert "De resultaten komen in de participatierapportage, die klaar is op 1 juni 2026." in text
    assert "4. Wat doet de initiatiefnemer met de resultaten?" in rows
    answers = text.split("1. Heeft participatie plaatsgevonden?")[1]
    for past in PAST:
        assert past not in answers, past


def test_after_the_traject_the_verslag_says_who_when_what_and_what_was_done(tmp_path):
    path = render_verslag(LEIDEN, afronding(LEIDEN), PROFILE, tmp_path / "verslag.docx")
    rows = document_text(path).splitlines()
    assert "Stand\tna de participatie" in rows
    assert (
        "Ja. Team Openbare Ruimte organiseerde 3 activiteiten, van 1 maart 2026 tot en met "
        "16 april 2026."
    ) in rows
    assert "2. Hoe is de participatie gegaan?" in rows
    assert (
        "Mee deden: Omwonenden Lindenplein, Ondernemers Lindenstraat, Wijkvereniging "
        "Lindenkwartier en Bewoners van de aanliggende straten."
    ) in rows
    assert (
        "Activiteit 1 (bijeenkomst: Ontwerpavond met schetsen en koffie)\t12 maart 2026\t19" in rows
    )
    assert "3. Wat heeft de participatie opgeleverd?" in rows
    assert "- Groen: 2 reacties." in rows
    assert "4. Wat heeft de initiatiefnemer met de resultaten gedaan?" in rows
    assert (
        "- Fietsen: deels overgenomen. De helft van de rekken blijft; de rest komt bij de ingang."
        in rows
    )
    assert "Gepland" not in rows and "Nog niet" not in "\n".join(rows)
    # published with the application: no personal details
    assert "Sam Voorbeeld" not in "\n".join(rows) and "@" not in "\n".join(rows)


def test_the_text_and_the_document_say_the_same(tmp_path: Path) -> None:
    done = afronding(LEIDEN)
    text = verslag_tekst(LEIDEN, done, PROFILE)
    document = document_text(render_verslag(LEIDEN, done, PROFILE, tmp_path / "v.docx"))
    for line in text.splitlines():
        if line and not line.startswith("- Activiteit"):
            assert line in document, line


async def test_the_command_writes_the_verslag_and_says_once_that_no_pdf_was_made(
    cli_env: Path,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    store: Store,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PARTICIPATIEBOT_SOFFICE", str(tmp_path / "geen-libreoffice"))
    monkeypatch.setattr("handreiking.pdf._state", {"missing": False, "told": False})
    plan = make_plan(store)
    code, out, err = cli(capsys, "verslag", plan.id, "--out", str(tmp_path / "uit"))
    assert code == 0, err
    assert "1. Heeft participatie plaatsgevonden?" in out and "Nog niet." in out
    docx = tmp_path / "uit" / "participatieverslag-aanvraag.docx"
    assert docx.is_file() and not docx.with_suffix(".pdf").exists()
    assert err.splitlines()[0] == str(docx)
    assert "LibreOffice is niet geïnstalleerd" in err
    code, _, err = cli(capsys, "verslag", plan.id, "--out", str(tmp_path / "uit"))
    assert code == 0 and "LibreOffice" not in err  # said once
    code, _, err = cli(capsys, "verslag", "2099-0001")
    assert (code, err) == (1, "fout: plan '2099-0001' niet gevonden\n")


@pytest.mark.pdf
def test_the_chat_gets_the_verslag_with_its_tagged_pdf(store: Store, settings: Settings) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    record = make_plan(store)
    paths = verslag.verslag_documents(store, settings, record)
    folder = settings.plans_dir / record.id
    assert paths == [
        folder / "participatieverslag-aanvraag.docx",
        folder / "participatieverslag-aanvraag.pdf",
    ]
    assert paths[1].read_bytes().startswith(b"%PDF")


def test_the_activities_are_listed_in_date_order_undated_last(tmp_path: Path) -> None:
    # the owner added an undated activity first; the online period opens before the evening
    undated = Activiteit(type=ActiviteitType.bijeenkomst, omschrijving="Buurtborrel")
    plan = LEIDEN.model_copy(update={"activiteiten": [undated, *LEIDEN.activiteiten]})
    before = document_text(render_verslag(plan, Afronding(), PROFILE, tmp_path / "voor.docx"))
    names = ["Buurtborrel", "Reageren op drie schetsen", "Ontwerpavond", "Informatiebijeenkomst"]
    assert [before.index(n) for n in names[1:] + names[:1]] == sorted(
        before.index(n) for n in names
    )
    assert "2. Bijeenkomst: Ontwerpavond met schetsen en koffie\t12 maart 2026\t" in before
    after = document_text(render_verslag(plan, afronding(plan), PROFILE, tmp_path / "na.docx"))
    part = after.split("2. Hoe is de participatie gegaan?")[1]
    assert [part.index(n) for n in names[1:] + names[:1]] == sorted(part.index(n) for n in names)
