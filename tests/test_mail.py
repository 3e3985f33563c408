"""The advisor's mail through the outbox: a real SMTP server on loopback, retries, .eml files."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from email.message import EmailMessage

import pytest

from bot.app import build_engine
from bot.mail import Outbox, backoff
from bot.storage import Store
from tests.conftest import Chat
from tests.interviews import HEERLEN, LEIDEN, zonder_extras
from tests.review_helpers import (
    MailServer,
    attachments,
    client,
    finish,
    free_port,
    html_body,
    read_eml,
    review_link,
    smtp_settings,
    text_body,
)

ADVISOR = "participatie-leiden@example.org"


@pytest.fixture
def server():
    s = MailServer().start()
    yield s
    s.stop()


async def submitted(settings, store, script=LEIDEN, gemeente="leiden") -> Chat:
    chat = Chat(build_engine(store, settings))
    await finish(chat, script, gemeente)
    await chat.say("indienen")
    return chat


async def test_advisor_mail_arrives_once_with_documents_and_a_working_link(settings, store, server):
    settings = smtp_settings(settings, server.port)
    chat = await submitted(settings, store)
    assert "ingediend bij de adviseur van Leiden" in chat.text
    assert ADVISOR in chat.text

    [msg] = server.to(ADVISOR)
    assert "Herinrichting Lindenplein" in msg["Subject"]
    body = text_body(msg)
    # the name the owner gave, not the console login
    assert body.splitlines()[2].startswith(
        "Sam Voorbeeld (projectleider openbare ruimte) heeft het participatieplan"
    )
    assert "Contact over dit plan: eigenaar@example.org" in body
    assert "Sam Voorbeeld (projectleider openbare ruimte) heeft" in html_body(msg)
    assert "Team Openbare Ruimte (gemeente)" in body
    assert "Het Lindenplein krijgt nieuwe bestrating, bomen en speelplekken." in body
    assert "OPEN BEVINDINGEN" in body
    # what each activity is and when, not 'Activiteiten: bijeenkomst, online inbreng'
    [activiteiten] = [line for line in body.splitlines() if line.startswith("- Activiteiten: ")]
    assert activiteiten.startswith(
        "- Activiteiten: bijeenkomst: Ontwerpavond <met> schetsen & koffie (12 maart 2026); "
    ), activiteiten
    assert "Herinrichting Lindenplein" in html_body(msg)
    files = attachments(msg)
    assert set(files) == {
        "participatieplan.docx",
        "planomschrijving.docx",
        "participatieplan-openbaar.docx",
    }
    assert all(data.startswith(b"PK") for data in files.values())  # real Word (zip) files

    async with client(settings, store) as web:
        page = await web.get(review_link(msg))
    assert page.status_code == 200
    assert "Herinrichting Lindenplein" in page.text
    assert "Ontwerpavond &lt;met&gt; schetsen &amp; koffie" in page.text

    # the worker's next rounds find nothing left to send
    outbox = Outbox(settings, store)
    assert await outbox.send_due() == []
    assert await outbox.send_due(settings.clock() + timedelta(days=1)) == []
    assert len(server.messages) == 1


async def test_open_findings_are_in_the_mail(settings, store, server):
    settings = smtp_settings(settings, server.port)
    await submitted(settings, store, HEERLEN, "heerlen")
    [msg] = server.to("participatie-heerlen@example.org")
    body = text_body(msg)
    findings = body.split("OPEN BEVINDINGEN", 1)[1]
    assert "Geen open bevindingen" not in findings
    # the tips say 'je' to the owner: the advisor is told whom they speak to
    assert findings.splitlines()[1] == (
        "Wat participatiebot bij de regels van Heerlen opmerkte; de tips zijn aan de "
        "initiatiefnemer gericht."
    )
    assert "(bron:" in findings
    # a source a reader can follow: the document's title and address, no file or line number
    assert "https://" in findings and "seed" not in findings and "regel 1" not in findings


async def test_with_the_server_down_the_mail_waits_and_arrives_once_it_is_back(settings, store):
    port = free_port()  # nothing listens here yet
    settings = smtp_settings(settings, port)
    chat = await submitted(settings, store)
    assert "kon nog niet weg" in chat.text
    assert store.plans()[0].status == "ingediend"  # the submission itself stands
    [mail] = Outbox(settings, store).db.all()
    assert mail.sent_at is None and mail.attempts == 1 and mail.last_error

    server = MailServer(port).start()
    try:
        # a new process after a restart: nothing in memory, only the database
        restarted = Store(settings.db_url, clock=settings.clock)
        outbox = Outbox(settings, restarted)
        assert await outbox.send_due() == []  # not yet due: it waits a minute first
        later = settings.clock() + timedelta(minutes=2)
        first = await outbox.send_due(later)
        second = await outbox.send_due(later + timedelta(hours=1))
        restarted.close()
    finally:
        server.stop()
    assert [d.sent for d in first] == [True] and second == []
    [msg] = server.to(ADVISOR)
    assert "participatieplan.docx" in attachments(msg)


async def test_two_senders_at_once_send_a_mail_once(settings, store, server):
    settings = smtp_settings(settings, server.port)
    msg = EmailMessage()
    msg["To"] = ADVISOR
    msg["Subject"] = "Eén keer"
    msg.set_content("Hallo")
    outbox = Outbox(settings, store)
    mail_id = outbox.put(msg)
    other = Outbox(settings, store)
    results = await asyncio.gather(outbox.deliver(mail_id), other.deliver(mail_id))
    assert sorted(r is None for r in results) == [False, True]
    assert len(server.messages) == 1


async def test_without_smtp_the_mail_is_an_eml_file_and_the_owner_is_told_where(settings, store):
    chat = await submitted(settings, store)
    path = settings.data_dir / "outbox" / "1.eml"
    assert str(path) in chat.text
    msg = read_eml(path)
    assert msg["To"] == ADVISOR
    assert "participatieplan-openbaar.docx" in attachments(msg)
    before = path.stat().st_mtime_ns
    assert await Outbox(settings, store).send_due(settings.clock() + timedelta(days=1)) == []
    assert path.stat().st_mtime_ns == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["1.eml"]


async def test_advisor_email_setting_overrides_the_profile(settings, store):
    settings = settings.model_copy(update={"advisor_email": "a@example.org, b@example.org"})
    chat = await submitted(settings, store)
    assert "a@example.org" in chat.text
    got = sorted(read_eml(p)["To"] for p in (settings.data_dir / "outbox").glob("*.eml"))
    assert got == ["a@example.org", "b@example.org"]


async def test_a_gemeente_without_advisor_cannot_submit(settings, store):
    script = zonder_extras(HEERLEN)
    # a gemeente without a profile is asked for its name
    script = [script[0], ("Hoe heet je gemeente", "Voorbeeldstad"), *script[1:]]
    chat = await submitted(settings, store, script, "standaard")
    assert "weet ik nog geen adviseur" in chat.text
    assert store.plans()[0].status == "compleet"
    assert not (settings.data_dir / "outbox").exists()


def test_backoff_doubles_up_to_six_hours():
    waits = [backoff(n) for n in range(1, 12)]
    assert waits[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert waits[-1] == timedelta(hours=6)
    assert waits == sorted(waits)
