"""The public page of a vastgesteld plan and a gemeente's index, as `serve` runs them: real HTTP
on loopback, the mail worker sending the follow confirmation to aiosmtpd."""

from __future__ import annotations

import asyncio
import html
import re
import socket
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest

from bot.features import closing, participants, review
from bot.serve import serve_async
from bot.settings import Settings
from bot.storage import PlanRecord, Store
from handreiking.afronding import Afronding, Besluit, Thema, Uitvoering, Verwerking
from handreiking.models import Beslisser
from tests.review_helpers import MailServer, smtp_settings, text_body
from tests.test_delivery import LEIDEN_PLAN, make_plan

PRIVATE = ("Sam Voorbeeld", "sam.voorbeeld@example.org", "eigenaar@example.org", "06-12345678")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def site_settings(settings: Settings, smtp: MailServer) -> Settings:
    port = free_port()
    return smtp_settings(settings, smtp.port).model_copy(
        update={"http_port": port, "public_url": f"http://127.0.0.1:{port}"}
    )


def adopted(store: Store, settings: Settings, **changes) -> PlanRecord:
    """A Leiden plan the college adopted, with personal data where people type it."""
    record = make_plan(
        store,
        status="akkoord_adviseur",
        opgave="Het plein krijgt nieuwe bomen. Vragen? Bel Sam Voorbeeld op 06-12345678.",
        ruimte="Over bankjes, bomen en speelplekken praat je mee.",
        niveau="adviseren",
        **changes,
    )
    review.vaststellen(settings, store, record.id, date(2026, 1, 10), "B-26-1", "email:a@x.nl")
    return store.plan(record.id)


@pytest.fixture
async def site(site_settings: Settings, store: Store) -> AsyncIterator[str]:
    """`serve` with no chat channel, in this test's event loop."""
    stop = asyncio.Event()
    serving = asyncio.create_task(serve_async(site_settings, stop))
    url = site_settings.public_url
    async with httpx.AsyncClient() as client:
        for _ in range(200):
            try:
                await client.get(f"{url}/health")
                break
            except httpx.TransportError:
                assert not serving.done(), serving.result()
                await asyncio.sleep(0.05)
    yield url
    stop.set()
    async with asyncio.timeout(15):
        await serving


def hidden(page: str, name: str) -> str:
    return html.unescape(re.search(rf'name="{name}" value="([^"]*)"', page).group(1))


async def mail_to(smtp: MailServer, address: str, timeout: float = 20) -> list:
    async with asyncio.timeout(timeout):
        while not smtp.to(address):
            await asyncio.sleep(0.1)
    return smtp.to(address)


async def test_the_public_page_shows_the_plan_without_personal_data_and_follows_by_mail(
    site: str, site_settings: Settings, store: Store, smtp: MailServer
) -> None:
    record = adopted(store, site_settings)
    code = participants.invitation_code(store, record.id)
    async with httpx.AsyncClient(base_url=site) as client:
        page = await client.get(f"/plannen/{code}")
        assert page.status_code == 200
        text = page.text
        assert "<h1>Herinrichting Lindenplein</h1>" in text
        assert "Plan vastgesteld; de participatie begint" in text
        assert "Het plein krijgt nieuwe bomen." in text
        assert "Over bankjes, bomen en speelplekken praat je mee." in text
        for private in PRIVATE:
            assert private not in text, private
        assert "Team Openbare Ruimte" not in text  # the initiatiefnemer is no part of the page
        # the next activity with its date, place and calendar file
        assert "12 maart 2026" in text and "Buurthuis De Linde, 19:30 uur" in text
        # an activity is headed by what it is, its kind beside it; not 'Activiteit 1 (...)'
        assert "<h3>Ontwerpavond</h3>" in text and "<dd>bijeenkomst</dd>" in text
        assert "<h3>Activiteit" not in text
        ics = await client.get(f"/plannen/{code}/activiteit-1.ics")
        assert ics.headers["content-type"].startswith("text/calendar")
        assert "DTSTART;VALUE=DATE:20260312" in ics.text and "Buurthuis De Linde" in ics.text
        assert "Kondig" not in ics.text  # the organiser's own reminder stays out
        # the public version only
        [document] = re.findall(r'href="(/plannen/[^"]+/participatieplan-openbaar\.\w+)"', text)
        assert (await client.get(document)).status_code == 200
        assert (await client.get(f"/plannen/{code}/participatieplan.docx")).status_code == 404
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]

        refused = await client.post(f"/plannen/{code}/volgen", data={"email": "buur@example.org"})
        assert refused.status_code == 403
        bad = await client.post(
            f"/plannen/{code}/volgen", data={"csrf": hidden(text, "csrf"), "email": "buur"}
        )
        assert bad.status_code == 400 and "naam@voorbeeld.nl" in bad.text
        sent = await client.post(
            f"/plannen/{code}/volgen",
            data={"csrf": hidden(text, "csrf"), "email": "buur@example.org"},
        )
        assert "Kijk in je mail" in sent.text
        [mail] = await mail_to(smtp, "buur@example.org")
        # they asked themselves: nobody invited them
        assert mail["Subject"] == "Bevestig: blijf op de hoogte van Herinrichting Lindenplein"
        assert "Je vroeg om ‘Herinrichting Lindenplein’ in Leiden te volgen" in text_body(mail)
        assert "uitgenodigd" not in text_body(mail)
        consent = re.search(r"http://\S+/deelnemen/\S+", text_body(mail)).group()
        assert consent.startswith(f"{site}/deelnemen/")
        asked = await client.get(consent)
        assert participants.participants(store, record.id) == []  # opening it is not a yes
        await client.post(consent, data={"csrf": hidden(asked.text, "csrf"), "keuze": "ja"})
        [follower] = participants.participants(store, record.id)
        assert follower.identity == "email:buur@example.org"


async def test_the_index_lists_the_plans_of_a_gemeente_without_rules_here_by_its_name(
    site: str, site_settings: Settings, store: Store
) -> None:
    # a Zwolle plan made with the general handreiking: its list said 'Andere gemeente', and
    # Zwolle was not in the picker, so a resident of Zwolle could not find it
    data = {"gemeente": "standaard", "gemeente_naam": "Zwolle", "titel": "Speelveld Brink"}
    record = store.create_plan("console:tester", "standaard", {**LEIDEN_PLAN, **data})
    store.save(record.owner, record.id, record.data, {}, status="akkoord_adviseur")
    review.vaststellen(site_settings, store, record.id, date(2026, 1, 10), "B-1", "email:a@x.nl")
    async with httpx.AsyncClient(base_url=site) as client:
        picker = await client.get("/plannen")
        assert '<option value="zwolle">Zwolle</option>' in picker.text
        index = await client.get("/plannen?gemeente=zwolle")
        assert "Speelveld Brink" in index.text
        assert "Hier staan de plannen van Zwolle" in index.text
        assert '<option value="zwolle" selected>' in index.text
        for url in ("/plannen?gemeente=zwolle", "/plannen?gemeente=standaard"):
            assert "Andere gemeente" not in (await client.get(url)).text


async def test_the_index_lists_adopted_plans_only_and_a_finished_plan_says_what_was_done(
    site: str, site_settings: Settings, store: Store
) -> None:
    record = adopted(store, site_settings)
    concept = make_plan(store, status="concept", titel="Geheim conceptplan")
    concept_code = participants.invitation_code(store, concept.id)
    async with httpx.AsyncClient(base_url=site) as client:
        index = await client.get("/plannen?gemeente=leiden")
        assert "Herinrichting Lindenplein" in index.text
        assert "Geheim conceptplan" not in index.text
        assert (await client.get(f"/plannen/{concept_code}")).status_code == 404
        elsewhere = await client.get("/plannen?gemeente=heemstede")
        assert "Er staan nu geen plannen open." in elsewhere.text

        closing.save_afronding(
            store,
            record.id,
            Afronding(
                # the Ontwerpavond was called off: the planning said 'geweest' beside it
                uitvoering=[
                    Uitvoering(activiteit=1, gehouden=False),
                    Uitvoering(activiteit=2, deelnemers=40),
                ],
                afweging="we volgden de meeste stemmen.",
                themas=[
                    Thema(
                        naam="Bankjes",
                        verwerking=Verwerking.overgenomen,
                        reden="er komen zes bankjes in de schaduw.",
                    ),
                    Thema(
                        naam="Parkeren",
                        verwerking=Verwerking.niet,
                        reden="Valt buiten de kaders; Sam Voorbeeld legt het uit.",
                    ),
                ],
                # taken two weeks later than the 1 oktober the plan planned
                besluit=Besluit(
                    datum=date(2026, 10, 15), orgaan=Beslisser.college, uitkomst="Vastgesteld."
                ),
            ),
        )
        store.save(record.owner, record.id, store.plan(record.id).data, {}, status="afgerond")
        code = participants.invitation_code(store, record.id)
        page = await client.get(f"/plannen/{code}")
    text = page.text
    assert "Wat is er met de inbreng gedaan?" in text
    assert "<strong>Bankjes</strong>: overgenomen. Er komen zes bankjes in de schaduw." in text
    assert "<strong>Parkeren</strong>: niet overgenomen." in text
    assert "Sam Voorbeeld" not in text
    assert "<strong>12 maart 2026</strong>: Ontwerpavond (bijeenkomst) " in text
    ontwerpavond = text.split("<strong>12 maart 2026</strong>")[1].split("</li>")[0]
    assert '<span class="badge">ging niet door</span>' in ontwerpavond
    assert "We volgden de meeste stemmen." in text
    assert "Dit plan is afgerond; volgen kan niet meer." in text
    # the besluit on the day it was taken; nothing more is coming
    assert "<strong>15 oktober 2026</strong>: Besluit" in text
    assert "1 oktober 2026" not in text
    assert "Er staan nu geen activiteiten meer gepland." in text
    assert 'action="/plannen/' not in text


async def test_the_owners_updates_are_on_the_public_page_without_personal_data(
    site: str, site_settings: Settings, store: Store
) -> None:
    # a follower read the update in their mail, but the public page, where people follow a plan
    # too, never showed it
    record = adopted(store, site_settings)
    code = participants.invitation_code(store, record.id)
    participants.post_update(
        store,
        site_settings,
        record,
        record.owner,
        "Het schetsontwerp is klaar!\nVragen? Bel Sam Voorbeeld op 06-12345678.",
    )
    participants.post_update(store, site_settings, record, record.owner, "De bomen zijn besteld.")
    async with httpx.AsyncClient(base_url=site) as client:
        text = (await client.get(f"/plannen/{code}")).text
    assert "<h2>Laatste nieuws</h2>" in text
    news = text.split("<h2>Laatste nieuws</h2>")[1].split("<h2>")[0]
    assert news.index("De bomen zijn besteld.") < news.index("Het schetsontwerp is klaar!")
    assert "Het schetsontwerp is klaar!\nVragen?" in news  # its lines kept (white-space: pre-line)
    for private in PRIVATE:
        assert private not in text, private
