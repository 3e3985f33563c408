"""Participants: joining with consent (AVG), leaving, updates, replies, and e-mail participants
through a real SMTP server on loopback and the consent and unsubscribe pages."""

from __future__ import annotations

import importlib.util
import re
from datetime import datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.applications import Starlette

from bot import delivery, participant_pages
from bot.app import build_engine
from bot.channels.telegram import TelegramChannel
from bot.engine import Engine
from bot.features import participants, reminders_worker
from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import OutboxMessage, Participant
from bot.storage.shared import DailyCount
from bot.storage.tables import Person
from tests.conftest import Chat
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.review_helpers import MailServer, smtp_settings, text_body
from tests.test_delivery import make_plan

PUBLIC = "http://participatie.example.org"


def outbox(store: Store, identity: str | None = None) -> list[OutboxMessage]:
    q = select(OutboxMessage).order_by(OutboxMessage.id)
    if identity:
        q = q.where(OutboxMessage.identity == identity)
    with Session(store.engine) as s:
        return list(s.scalars(q))


def hidden(html: str) -> dict[str, str]:
    """The hidden fields of the page's form (the check value the button sends along)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def kept_about(store: Store, identity: str) -> bool:
    with Session(store.engine) as s:
        return (
            s.get(Person, identity) is not None
            or s.scalar(select(Participant.id).where(Participant.identity == identity)) is not None
        )


async def test_joining_says_what_is_kept_and_keeps_nothing_before_yes(
    engine: Engine, store: Store
) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    noor = Chat(engine, "telegram:4242")
    text = await noor.say(f"/start {code}")
    assert "Je wilt Herinrichting Lindenplein volgen (Leiden)." in text
    assert "Wat ik bewaar: je naam en je nummer in deze chat" in text
    assert "Waarom: alleen om je nieuws en herinneringen over dit plan te sturen" in text
    # evaluatie 12 november 2026, plus three months
    assert "Tot wanneer: tot je je afmeldt, en uiterlijk tot 10 februari 2027." in text
    assert [c.label for c in noor.question.choices] == ["Ja, ik doe mee", "Nee, liever niet"]
    assert not kept_about(store, "telegram:4242")
    assert store.plans(owner="telegram:4242") == []  # a participant is not interviewed

    text = await noor.say(noor.question.choices[0].value)
    assert text.startswith("Welkom! Je volgt nu Herinrichting Lindenplein.")
    text = await noor.say("mijngegevens")
    assert "Dit bewaar ik over je (telegram:4242):" in text
    assert (
        "Je volgt ‘Herinrichting Lindenplein’ in Leiden sinds 12 januari 2026; "
        "bewaard tot uiterlijk 10 februari 2027." in text
    )
    assert store.plans(owner="telegram:4242") == []


async def test_saying_no_keeps_nothing(engine: Engine, store: Store) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    chat = Chat(engine, "slack:T0TEST/U9")
    await chat.say(f"volg {code.lower()}")  # typed off a letter in lower case
    text = await chat.say(chat.question.choices[1].value)
    assert text == "Prima. Ik heb niets over je bewaard."
    assert not kept_about(store, "slack:T0TEST/U9")
    assert await chat.say("mijngegevens") == "Ik bewaar niets over je."


async def test_unknown_code_and_plan_not_in_uitvoering(engine: Engine, store: Store) -> None:
    concept = make_plan(store, status="compleet")
    code = participants.invitation_code(store, concept.id)
    chat = Chat(engine, "telegram:11")
    assert "Deze code ken ik niet" in await chat.say("volg ZZZZ9999")
    assert await chat.say(f"volg {code}") == (
        "Je kunt Herinrichting Lindenplein (nog) niet volgen. Het plan is niet in uitvoering."
    )
    assert "Stuur 'volg' met de code" in await chat.say("volg")


async def test_afmelden_ends_it_at_once(engine: Engine, store: Store, settings: Settings) -> None:
    plan = make_plan(store)
    owner = Chat(engine, "console:tester")
    code = participants.invitation_code(store, plan.id)
    chat = Chat(engine, "telegram:31")
    await chat.say(f"volg {code} ja")
    assert "gaat naar 1 deelnemer." in await owner.say("update De schetsen zijn binnen.")
    assert len(outbox(store, "telegram:31")) == 1
    text = await chat.say("afmelden")
    assert text == (
        "Je bent afgemeld voor Herinrichting Lindenplein. Ik heb je gegevens daarvan gewist."
    )
    assert outbox(store, "telegram:31") == []  # the waiting update is not sent any more
    assert not kept_about(store, "telegram:31")
    assert "Niemand volgt Herinrichting Lindenplein nog" in await owner.say("update Nog meer.")
    assert await chat.say("afmelden") == "Je volgt geen plannen. Er is niets om af te melden."


async def test_a_participant_typing_stop_leaves_and_the_owner_hears_nothing(
    engine: Engine, store: Store
) -> None:
    plan = make_plan(store, owner="telegram:70")
    code = participants.invitation_code(store, plan.id)
    await engine.handle("telegram:71", f"volg {code} ja", naam="Noor")
    await engine.handle("telegram:72", f"volg {code} ja", naam="Sem")
    # 'stop' was sent to the owner as Noor's reaction, and Noor kept getting the news
    [reply] = await engine.handle("telegram:71", "Stop!")
    assert reply.text == (
        "Je bent afgemeld voor Herinrichting Lindenplein. Ik heb je gegevens daarvan gewist."
    )
    [reply] = await engine.handle("telegram:72", "geen berichten meer aub")
    assert "doorgestuurd" in reply.text  # more than 'no more messages': a reaction
    [reply] = await engine.handle("telegram:72", "geen berichten meer")
    assert reply.text.startswith("Je bent afgemeld")
    assert participants.followed(store, "telegram:71") == []
    assert participants.followed(store, "telegram:72") == []
    assert [m.text for m in outbox(store, "telegram:70")] == [
        "Reactie van Sem op Herinrichting Lindenplein:\n\ngeen berichten meer aub"
    ]


async def test_a_participant_gets_only_the_plans_they_joined(engine: Engine, store: Store) -> None:
    a = make_plan(store, owner="console:a")
    b = make_plan(store, owner="console:b", titel="Speeltuin Bosrand")
    chat = Chat(engine, "telegram:51")
    await chat.say(f"volg {participants.invitation_code(store, a.id)} ja")
    await Chat(engine, "console:b").say("update Nieuws over de speeltuin.")
    await Chat(engine, "console:a").say("update Nieuws over het plein.")
    texts = [m.text for m in outbox(store, "telegram:51")]
    assert len(texts) == 1 and "Nieuws over het plein." in texts[0]
    assert not any("speeltuin" in t for t in texts)
    # leaving one plan by its code leaves the other alone
    await chat.say(f"volg {participants.invitation_code(store, b.id)} ja")
    await chat.say(f"afmelden {participants.invitation_code(store, a.id)}")
    assert [p.plan_id for p in participants.followed(store, "telegram:51")] == [b.id]


async def test_a_participants_reply_reaches_the_owner(engine: Engine, store: Store) -> None:
    plan = make_plan(store, owner="telegram:77")
    code = participants.invitation_code(store, plan.id)
    await engine.handle("telegram:88", f"volg {code} ja", naam="Noor")
    replies = await engine.handle("telegram:88", "Komt er ook een bankje bij de speeltuin?")
    assert (
        replies[0].text
        == "Ik heb je bericht doorgestuurd naar wie Herinrichting Lindenplein maakt."
    )
    to_owner = outbox(store, "telegram:77")
    assert [m.text for m in to_owner] == [
        "Reactie van Noor op Herinrichting Lindenplein:\n\nKomt er ook een bankje bij de speeltuin?"
    ]


async def test_proposed_update_goes_out_with_one_tap(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store, owner="telegram:60")
    await engine.handle("telegram:61", f"volg {participants.invitation_code(store, plan.id)} ja")
    owner = Chat(engine, "telegram:60")
    assert await owner.say("/verstuur") == "Er staat geen voorstel klaar om te versturen."
    # the first interim update is due on 29 March; silent until 3 April: a proposal
    reminders_worker.schedule(store, settings, datetime.fromisoformat("2026-04-03T09:30+02:00"))
    proposal = outbox(store, "telegram:60")[-1].text
    assert proposal.startswith("Je stuurde nog geen update over Herinrichting Lindenplein.")
    assert "Tik op /verstuur om dit te sturen." in proposal
    assert "Nog geen nieuws over Herinrichting Lindenplein. De volgende stap is" in proposal
    assert "gaat naar 1 deelnemer." in await owner.say("/verstuur")
    sent = outbox(store, "telegram:61")[-1].text
    assert "Nog geen nieuws over Herinrichting Lindenplein. De volgende stap is" in sent


async def test_telegram_deep_link_consent_and_stop(
    settings: Settings, store: Store, tmp_path: Path
) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    async with FakeTelegramAPI() as api:
        s = settings.model_copy(
            update={"telegram_token": api.token, "telegram_base_url": api.base_url}
        )
        channel = TelegramChannel(s, build_engine(store, s), store)
        await channel.start()
        try:
            api.push(api.message(901, f"/start {code}", first_name="Sanne"))
            consent = await api.reply(901, "Wat ik bewaar")
            yes = next(b for b in consent.buttons if b["text"] == "Ja, ik doe mee")
            api.push(api.press(901, consent, yes["callback_data"]))
            await api.reply(901, "Welkom! Je volgt nu Herinrichting Lindenplein.")
            assert participants.followed(store, "telegram:901")[0].status == "active"
            api.push(api.message(901, "/stop"))
            await api.reply(901, "Je bent afgemeld voor Herinrichting Lindenplein.")
        finally:
            await channel.stop()
    assert participants.followed(store, "telegram:901") == []


# ---------------------------------------------------------------------- e-mail participants
async def test_email_invitation_consent_update_and_one_click_unsubscribe(
    settings: Settings, tmp_path: Path
) -> None:
    smtp = MailServer().start()
    try:
        s = smtp_settings(settings, smtp.port).model_copy(update={"public_url": PUBLIC})
        store = Store(s.db_url, clock=s.clock)
        engine = build_engine(store, s)
        make_plan(store)
        owner = Chat(engine, "console:tester")
        app = Starlette(routes=participant_pages.routes(s, store))
        web = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=PUBLIC)

        text = await owner.say("uitnodigen buur@example.org")
        assert text.startswith("Ik stuur een uitnodiging naar 1 adres.")
        await reminders_worker.send_once(s, store, s.clock())
        [invitation] = smtp.to("buur@example.org")
        assert invitation["From"] == "participatiebot <participatiebot@example.org>"
        assert (
            invitation["Subject"] == "Uitnodiging: blijf op de hoogte van Herinrichting Lindenplein"
        )
        body = text_body(invitation)
        assert "Zeg je niet binnen 14 dagen ja, dan wissen we je e-mailadres." in body
        consent = re.search(rf"{PUBLIC}/deelnemen/\S+", body).group(0)
        assert invitation["List-Unsubscribe"].startswith(f"<{PUBLIC}/afmelden/")
        assert invitation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        page = await web.get(consent)
        assert page.status_code == 200
        assert "Wat ik bewaar: je e-mailadres" in page.text and "Tot wanneer" in page.text
        assert (await web.get(consent[:-3] + "AAA")).status_code == 404  # forged
        page = await web.post(consent, data={**hidden(page.text), "keuze": "ja"})
        assert "Welkom! Je volgt nu Herinrichting Lindenplein." in page.text

        assert "gaat naar 1 deelnemer." in await owner.say("update De bomen zijn besteld.")
        await reminders_worker.send_once(s, store, s.clock())
        news = smtp.to("buur@example.org")[-1]
        assert news["Subject"] == "Nieuws over Herinrichting Lindenplein"
        body = text_body(news)
        assert "De bomen zijn besteld." in body
        assert "Namens Team Openbare Ruimte (Leiden)." in body
        leave = re.search(rf"Meld je af met één klik:\r?\n({PUBLIC}/afmelden/\S+)", body).group(1)
        assert news["List-Unsubscribe"] == f"<{leave}>"

        page = await web.get(leave)
        page = await web.post(leave, data=hidden(page.text))
        assert "Je bent afgemeld." in page.text
        assert "Niemand volgt" in await owner.say("update Nog een bericht.")
        await reminders_worker.send_once(s, store, s.clock())
        assert len(smtp.to("buur@example.org")) == 2
        await web.aclose()
        store.close()
    finally:
        smtp.stop()


async def test_an_invitation_not_accepted_in_14_days_is_erased(
    engine: Engine, store: Store, settings: Settings
) -> None:
    make_plan(store)
    await Chat(engine, "console:tester").say("uitnodigen later@example.org")
    [row] = outbox(store, "email:later@example.org")
    consent = re.search(r"http://\S+/deelnemen/\S+", row.text).group(0)
    assert kept_about(store, "email:later@example.org")
    reminders_worker.schedule(store, settings, settings.clock() + timedelta(days=13))
    assert kept_about(store, "email:later@example.org")
    reminders_worker.schedule(store, settings, settings.clock() + timedelta(days=15))
    assert not kept_about(store, "email:later@example.org")
    app = Starlette(routes=participant_pages.routes(settings, store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as web:
        page = await web.get(consent)
    assert page.status_code == 404


async def test_join_page_and_invitation_code(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    delivery.set_bot_value(store, "telegram_username", "participatie_test_bot")
    info = await Chat(engine, "console:tester").say("uitnodigen")
    assert f"Iedereen kan Herinrichting Lindenplein volgen met code {code}." in info
    assert f"{settings.public_url}/volg/{code}" in info
    assert f"https://t.me/participatie_test_bot?start={code}" in info
    replies = await engine.handle("console:tester", "uitnodigen")
    has_qr = importlib.util.find_spec("qrcode") is not None
    assert bool(replies[0].documents) == has_qr  # a QR image only with the optional package

    app = Starlette(routes=participant_pages.routes(settings, store))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://localhost:8080"
    ) as web:
        page = await web.get(f"/volg/{code}")
        # no Slack or Teams runs here: 'volg' in a chat is not offered (the web chat brings
        # no news); the plan's public page is one link away
        assert f"stuur volg {code}" not in page.text
        assert f'<a href="/plannen/{code}">Lees waar het plan over gaat.</a>' in page.text
        assert f"https://t.me/participatie_test_bot?start={code}" in page.text
        done = await web.post(
            f"/volg/{code}", data={**hidden(page.text), "email": "zelf@example.org"}
        )
        assert "Kijk in je mail" in done.text
    [row] = outbox(store, "email:zelf@example.org")
    # asked for on the join page: a request to confirm, not an invitation
    assert row.subject == "Bevestig: blijf op de hoogte van Herinrichting Lindenplein"


async def test_a_mail_scanner_opening_the_links_changes_nothing(
    engine: Engine, store: Store, settings: Settings
) -> None:
    from bot.features import evaluation

    plan = make_plan(store)
    owner = Chat(engine, "console:tester")
    await owner.say("uitnodigen buur@example.org andere@example.org derde@example.org")
    app = Starlette(routes=participant_pages.routes(settings, store))
    web = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://localhost")

    def link(identity: str, path: str) -> str:
        text = outbox(store, identity)[-1].text
        return re.search(rf"http://\S+/{path}/\S+", text).group(0)

    def status(identity: str) -> str | None:
        found = [p.status for p in participants.followed(store, identity)]
        return found[0] if found else None

    async with web:
        # the consent link: a scanner's GET and HEAD, and a POST without the page's check value
        consent = link("email:buur@example.org", "deelnemen")
        page = await web.get(consent)
        assert (await web.head(consent)).status_code == 200
        assert "<h1>Herinrichting Lindenplein</h1>" in page.text
        refused = await web.post(consent, data={"keuze": "ja"})
        assert refused.status_code == 403
        assert status("email:buur@example.org") == "invited"
        joined = await web.post(consent, data={**hidden(page.text), "keuze": "ja"})
        assert "Welkom! Je volgt nu Herinrichting Lindenplein." in joined.text
        assert status("email:buur@example.org") == "active"
        for other in ("email:andere@example.org", "email:derde@example.org"):
            page = await web.get(link(other, "deelnemen"))
            await web.post(link(other, "deelnemen"), data={**hidden(page.text), "keuze": "ja"})
            assert status(other) == "active"

        # the unsubscribe link in every mail: opening it only shows a button
        await owner.say("update De bomen zijn besteld.")
        leave = outbox(store, "email:buur@example.org")[-1].unsubscribe_url
        page = await web.get(leave)
        assert (await web.head(leave)).status_code == 200
        assert page.status_code == 200 and "<h1>" in page.text
        assert re.search(r'<form method="post"[^>]*>', page.text)
        assert re.search(r"<button[^>]*>[^<]*[Aa]fmelden", page.text)
        assert status("email:buur@example.org") == "active"
        assert (await web.post(leave, data={"keuze": "ja"})).status_code == 403
        assert status("email:buur@example.org") == "active"
        # the button: a POST with the page's check value
        done = await web.post(leave, data=hidden(page.text))
        assert "Je bent afgemeld." in done.text
        assert status("email:buur@example.org") is None

        # a mail program's own button (RFC 8058): a POST with List-Unsubscribe=One-Click,
        # form-encoded or as multipart/form-data
        leave = outbox(store, "email:andere@example.org")[-1].unsubscribe_url
        done = await web.post(leave, data={"List-Unsubscribe": "One-Click"})
        assert "Je bent afgemeld." in done.text
        assert status("email:andere@example.org") is None
        leave = outbox(store, "email:derde@example.org")[-1].unsubscribe_url
        done = await web.post(leave, files={"List-Unsubscribe": (None, "One-Click")})
        assert "Je bent afgemeld." in done.text
        assert status("email:derde@example.org") is None

        # the evaluation form: opening it records nothing; the answer needs the form's value
        await Chat(engine, "telegram:4711").engine.handle(
            "telegram:4711", f"volg {participants.invitation_code(store, plan.id)} ja"
        )
        evaluation.invite(store, settings, plan.id, settings.clock())
        form = link("telegram:4711", "evaluatie")
        page = await web.get(form)
        assert (await web.head(form)).status_code == 200
        scores = {"informatie": "4", "gehoord": "5", "terugkoppeling": "4", "tevreden": "5"}
        assert (await web.post(form, data=scores)).status_code == 403
        assert evaluation.answers(store, plan.id) == []
        sent = await web.post(form, data={**hidden(page.text), **scores, "beter": "Meer koffie."})
        assert sent.status_code == 200
        assert [a["beter"] for a in evaluation.answers(store, plan.id)] == ["Meer koffie."]
        # opened again from the mail, the link showed the empty form, and only after all of
        # it was filled in again said it had been used
        again = await web.get(form)
        assert "Dit formulier is al ingevuld. Dank je wel!" in again.text
        assert "Kreeg je genoeg informatie" not in again.text


async def test_invitations_through_a_public_code_are_limited(
    engine: Engine, settings: Settings, db_url: str
) -> None:
    """Per code and per address a day, and open invitations per plan, counted in the
    database: two processes (two stores on one database) share the counts."""
    s = settings.model_copy(update={"database_url": db_url})
    stores = [Store(s.db_url, clock=s.clock), Store(s.db_url, clock=s.clock)]
    plan = make_plan(stores[0])
    code = participants.invitation_code(stores[0], plan.id)
    webs = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=Starlette(routes=participant_pages.routes(s, st))),
            base_url="http://localhost:8080",
        )
        for st in stores
    ]

    async def ask(i: int, address: str) -> httpx.Response:
        web = webs[i % 2]
        page = await web.get(f"/volg/{code}")
        return await web.post(f"/volg/{code}", data={**hidden(page.text), "email": address})

    def invited() -> int:
        return sum(1 for m in outbox(stores[0]) if m.kind == "invitation")

    try:
        per_code = participants.INVITES_PER_CODE_PER_DAY
        for i in range(per_code):
            assert "Kijk in je mail" in (await ask(i, f"buur{i}@example.org")).text
        over = await ask(per_code, "nog.een@example.org")
        assert over.status_code == 429
        assert "vandaag al te veel uitnodigingen" in over.text
        assert invited() == per_code

        # the next day the code works again; one address gets only so many a day
        s.now = s.now + timedelta(days=1)
        for i in range(participants.INVITES_PER_ADDRESS_PER_DAY):
            assert "Kijk in je mail" in (await ask(i, "zelfde@example.org")).text
        before = invited()
        with Session(stores[0].engine) as session:  # yesterday's counts are gone
            days = set(session.scalars(select(DailyCount.day)))
        assert days == {s.now.date()}
        again = await ask(0, "zelfde@example.org")
        assert again.status_code == 429
        assert "Naar zelfde@example.org gingen vandaag al genoeg uitnodigingen." in again.text
        # the owner's own invitations count for the address too
        owner = Chat(build_engine(stores[1], s), "console:tester")
        text = await owner.say("uitnodigen zelfde@example.org")
        assert "Naar zelfde@example.org gingen vandaag al genoeg uitnodigingen." in text
        assert invited() == before

        # a cap on invitations waiting for a yes, for the owner's list as well
        room = participants.MAX_PENDING_INVITES - participants.pending_invitations(
            stores[0], plan.id
        )
        many = " ".join(f"lijst{i}@example.org" for i in range(room + 5))
        text = await owner.say(f"uitnodigen {many}")
        assert text.startswith(f"Ik stuur een uitnodiging naar {room} adressen.")
        assert f"Er wachten al {participants.MAX_PENDING_INVITES} uitnodigingen" in text
        full = await ask(1, "laat@example.org")
        assert full.status_code == 429 and "wachten al" in full.text
    finally:
        for web in webs:
            await web.aclose()
        for st in stores:
            st.close()
