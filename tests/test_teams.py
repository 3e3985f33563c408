"""The Teams channel against the real Microsoft 365 Agents SDK, a loopback Bot Connector and a
loopback Microsoft sign-in (JWKS, Entra ID) reached through HTTPS_PROXY with a test CA."""

from __future__ import annotations

import asyncio
import io
import itertools
import json
import os
import signal
import sys
import zipfile
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from docx import Document
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from starlette.applications import Starlette

from bot import delivery
from bot.app import build_engine
from bot.channels.teams import TEXT_LIMIT, TeamsChannel, to_cards
from bot.delivery import Deliverer, Message
from bot.engine import Choice, Engine, Reply
from bot.features.review import record_review
from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import OutboxMessage
from bot.storage.tables import Delivery, TeamsConversation
from tests.conftest import NOW
from tests.fakes.bot_connector import (
    FILE_CONSENT,
    FILE_INFO,
    FakeBotConnector,
    buttons,
    cards,
    inputs,
    shown_text,
)
from tests.fakes.microsoft_login import FakeMicrosoftLogin
from tests.interviews import LEIDEN
from tests.test_delivery import make_plan
from tests.test_serve import PROCESS_WAIT, environment, free_port, participatiebot

ROOT = Path(__file__).resolve().parents[1]
TENANT = "5d6e7f80-1111-4222-8333-944455566677"
APP_ID = "0b1c2d3e-aaaa-4bbb-8ccc-ddddeeeeffff"
PASSWORD = "test-client-secret"
SCRIPT = list(LEIDEN)
SCRIPT.insert(1, ("In welke gemeente", "Leiden"))


def teams_settings(settings: Settings, **extra: Any) -> Settings:
    values = {
        "teams_anonymous": True,
        "public_url": "http://127.0.0.1:8080",
        "teams_rate": 1000,
        **extra,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def connector() -> AsyncIterator[FakeBotConnector]:
    fake = FakeBotConnector()
    await fake.start()
    yield fake
    await fake.close()


class Bot:
    """participatiebot's Teams endpoint as a process serves it (one channel, one store)."""

    def __init__(self, settings: Settings, db_url: str | None = None) -> None:
        self.settings = settings.model_copy(update={"database_url": db_url}) if db_url else settings
        self.store = Store(self.settings.db_url, clock=self.settings.clock)
        self.engine = build_engine(self.store, self.settings)
        self.channel = TeamsChannel(self.settings, self.engine, self.store)
        app = Starlette(routes=self.channel.routes())
        self.http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://bot.example.org"
        )

    async def close(self) -> None:
        await self.channel.stop()
        await self.http.aclose()
        self.store.close()


@pytest.fixture
async def bot(settings: Settings, connector: FakeBotConnector) -> AsyncIterator[Bot]:
    b = Bot(teams_settings(settings))
    yield b
    await b.close()


_ids = itertools.count(1_767_000_000_000)


class TeamsUser:
    """A person in the tenant: posts what Teams would post for them, reads their chat."""

    def __init__(self, bot: Bot, connector: FakeBotConnector, name: str, aad: str) -> None:
        self.bot, self.connector, self.name, self.aad = bot, connector, name, aad
        self.conversation = f"a:1personal-{aad}"
        self.token: str | None = None  # a Bearer token for the requests, when checked

    @property
    def identity(self) -> str:
        return f"teams:{TENANT}/{self.aad}"

    def activity(self, type: str = "message", **fields: Any) -> dict[str, Any]:
        return {
            "type": type,
            "id": str(next(_ids)),
            "timestamp": datetime.now(UTC).isoformat(),
            "serviceUrl": self.connector.url,
            "channelId": "msteams",
            "from": {"id": f"29:{self.aad}", "name": self.name, "aadObjectId": self.aad},
            "conversation": {
                "conversationType": "personal",
                "tenantId": TENANT,
                "id": self.conversation,
            },
            "recipient": {"id": f"28:{APP_ID}", "name": "participatiebot"},
            "locale": "nl-NL",
            "channelData": {"tenant": {"id": TENANT}},
            **fields,
        }

    async def post(self, activity: dict[str, Any], wait: bool = True, **kw: Any) -> httpx.Response:
        headers = kw.pop("headers", {})
        if self.token and "Authorization" not in headers:
            headers["Authorization"] = f"Bearer {self.token}"
        response = await self.bot.http.post("/api/messages", json=activity, headers=headers)
        if wait:
            await self.bot.channel.idle()
        return response

    async def say(self, text: str, **kw: Any) -> httpx.Response:
        return await self.post(self.activity(text=text, textFormat="plain"), **kw)

    async def install(self) -> httpx.Response:
        """The app is added to the person's personal scope."""
        bot = {"id": f"28:{APP_ID}", "name": "participatiebot"}
        return await self.post(self.activity("conversationUpdate", membersAdded=[bot]))

    def sent(self) -> list[dict[str, Any]]:
        return self.connector.sent(self.conversation)

    @property
    def texts(self) -> list[str]:
        return self.connector.texts(self.conversation)

    @property
    def last(self) -> str:
        return self.texts[-1]

    def card_id(self, activity: dict[str, Any]) -> str:
        call = next(c for c in self.connector.calls if c.activity is activity)
        assert call.id
        return call.id

    async def submit(self, activity: dict[str, Any], data: dict[str, Any], **values: Any):
        """Action.Submit on a card: its data merged with the card's inputs, no text."""
        submit = self.activity(value={**data, **values}, replyToId=self.card_id(activity))
        return await self.post(submit)

    async def press(self, label: str) -> httpx.Response:
        card = next(a for a in reversed(self.sent()) if label in dict(buttons(a)))
        return await self.submit(card, dict(buttons(card))[label])

    async def fill(self, answer: str) -> httpx.Response:
        """Fill in the card's input (date, list) and press Verstuur."""
        card = next(a for a in reversed(self.sent()) if inputs(a))
        return await self.submit(card, dict(buttons(card))["Verstuur"], answer=answer)

    async def answer(self, script: list[tuple[str, str]]) -> None:
        for fragment, answer in script:
            assert fragment.lower() in self.last.lower(), f"expected {fragment!r}: {self.last}"
            await self.say(answer)


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def processed(store: Store) -> int:
    with Session(store.engine) as s:
        return s.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.channel == "teams")
        )


# ---------------------------------------------------------------------- the whole interview
async def test_whole_leiden_interview_in_a_personal_chat_ends_with_the_documents(
    settings: Settings, connector: FakeBotConnector, db_url: str
) -> None:
    bot = Bot(teams_settings(settings), db_url)
    try:
        eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
        response = await eva.install()
        assert response.status_code == 202
        assert "Eva" in eva.texts[0] and "participatieplan" in eva.texts[0]
        await eva.answer(SCRIPT)
        confirm = eva.sent()[-1]
        assert "Klopt alles?" in shown_text(confirm)
        await eva.press(next(t for t, d in buttons(confirm) if d.get("value") == "ja"))

        # the documents come as file consent cards: Teams puts a file in a personal chat
        # (and the person's OneDrive) once the person allows it
        offers = [a for a in eva.sent() if a["attachments"][0]["contentType"] == FILE_CONSENT]
        names = [a["attachments"][0]["name"] for a in offers]
        assert "participatieplan.docx" in names and "planomschrijving.docx" in names
        assert not any("/plans/" in text for text in eva.texts)  # no server paths shown
        plan_offer = offers[names.index("participatieplan.docx")]["attachments"][0]
        assert plan_offer["content"]["sizeInBytes"] > 1000
        accept = eva.activity(
            "invoke",
            name="fileConsent/invoke",
            replyToId=eva.card_id(offers[names.index("participatieplan.docx")]),
            value={
                "type": "fileUpload",
                "action": "accept",
                "context": plan_offer["content"]["acceptContext"],
                "uploadInfo": {
                    "contentUrl": "https://contoso.example.org/personal/eva/participatieplan.docx",
                    "name": "participatieplan.docx",
                    "uploadUrl": connector.upload_url("participatieplan.docx"),
                    "uniqueId": "file-unique-1",
                    "fileType": "docx",
                },
            },
        )
        response = await eva.post(accept)
        assert response.status_code == 200  # the invoke is answered in the HTTP response
        text = docx_text(connector.uploads["participatieplan.docx"])
        assert "Herinrichting Lindenplein" in text and "Team Openbare Ruimte" in text
        info = eva.sent()[-1]["attachments"][0]
        assert info["contentType"] == FILE_INFO
        assert info["content"] == {"uniqueId": "file-unique-1", "fileType": "docx"}

        [record] = bot.store.plans(owner=eva.identity)
        assert record.status == "compleet"
        assert record.data["gemeente"] == "leiden"

        # submitted to the advisor, who asks a change: Eva hears it in Teams
        await eva.say("indienen")
        assert bot.store.plan(record.id).status == "ingediend"
        verdicts = {"kaders": ("aanpassen", "Noem de gebiedsvisie bij naam.")}
        record_review(bot.settings, bot.store, record.id, 1, verdicts, "email:a@example.org")
        senders = await delivery.open_senders(bot.settings, bot.store)
        try:
            stats = await Deliverer(bot.store, senders, delivery.paces(bot.settings)).run(
                bot.settings.clock
            )
        finally:
            await delivery.close_senders(senders)
        assert stats.sent >= 1
        assert "De adviseur van Leiden vraagt aanpassingen" in eva.last
        assert "Noem de gebiedsvisie bij naam." in eva.last
    finally:
        await bot.close()


async def test_a_whole_interview_talks_to_the_bot_connector_over_one_connection(
    bot: Bot, connector: FakeBotConnector
) -> None:
    # the SDK made a new HTTP session per turn: a new TCP (and in production TLS) handshake
    # with the Bot Connector for every message
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.install()
    await eva.answer(SCRIPT[:20])
    assert len(connector.calls) > 20 and len(connector.connections) <= 2, connector.connections


async def test_declining_a_file_is_answered_and_a_forged_file_context_is_ignored(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.install()
    path = bot.settings.plans_dir / "2026-0001" / "participatieplan.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not really a document")
    await bot.channel.send(eva.identity, [Reply("Klaar!", documents=[path])])
    offer = eva.sent()[-1]["attachments"][0]
    decline = {"type": "fileUpload", "action": "decline"}
    context = offer["content"]["declineContext"]
    response = await eva.post(
        eva.activity("invoke", name="fileConsent/invoke", value=decline | {"context": context})
    )
    assert response.status_code == 200
    assert "niet opgeslagen" in eva.last

    # someone else's accept with Eva's context uploads nothing
    bob = TeamsUser(bot, connector, "Bob Bakker", "aad-bob")
    forged = {
        "type": "fileUpload",
        "action": "accept",
        "context": offer["content"]["acceptContext"],
        "uploadInfo": {"uploadUrl": connector.upload_url("x.docx"), "name": "x.docx"},
    }
    response = await bob.post(bob.activity("invoke", name="fileConsent/invoke", value=forged))
    assert response.status_code == 200
    assert connector.uploads == {}


# ---------------------------------------------------------------------- cards
async def test_buttons_lists_and_dates_answer_and_close_their_question(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.say("hoi")
    await eva.say("Herinrichting Lindenplein")
    question = eva.sent()[-1]
    assert "In welke gemeente" in shown_text(question)
    assert "Vraag 2 van ongeveer" in shown_text(question)
    await eva.press("Leiden")
    assert "Wie neemt het initiatief" in eva.last

    # the answered card loses its buttons and shows the answer
    [update] = connector.updates()
    assert update.reply_to == eva.card_id(question)
    assert buttons(update.activity) == [] and inputs(update.activity) == []
    assert "→ Leiden" in shown_text(update.activity)
    # a second press on the same question does not answer the next one
    count = len(eva.texts)
    await eva.submit(question, dict(buttons(question))["Leiden"])
    assert len(eva.texts) == count

    until = next(
        i for i, (fragment, _) in enumerate(SCRIPT) if "doel van de participatie" in fragment
    )
    await eva.answer(SCRIPT[2:until])
    doel = eva.sent()[-1]
    [ticks] = inputs(doel)
    assert ticks["type"] == "Input.ChoiceSet" and ticks["isMultiSelect"] is True
    await eva.fill(
        ",".join(
            c["value"]
            for c in ticks["choices"]
            if c["title"].lower() in ("samen denken", "samen leren")
        )
    )
    assert "Welk niveau" in eva.last

    until = next(
        i for i, (fragment, _) in enumerate(SCRIPT) if "besluit over de opgave" in fragment
    )
    start = next(i for i, (fragment, _) in enumerate(SCRIPT) if "Welk niveau" in fragment)
    await eva.answer(SCRIPT[start:until])
    [date_input] = inputs(eva.sent()[-1])
    assert date_input["type"] == "Input.Date"
    await eva.fill("")  # Verstuur without a date: asked again, the card stays open
    assert "Ik heb een antwoord nodig" in "\n".join(eva.texts[-2:])
    await eva.fill("2026-10-01")
    assert "Welke neem je over" in eva.last  # the middelen proposed for the level and area

    await eva.say("samenvatting")
    summary = "\n".join(eva.texts[-4:])
    assert "1 oktober 2026" in summary
    assert "samen denken" in summary.lower() and "samen leren" in summary.lower()


async def test_a_button_under_an_earlier_question_does_not_answer_the_current_one(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.say("hoi")
    await eva.say("Herinrichting Lindenplein")
    gemeente = eva.sent()[-1]
    await eva.say("leidn")  # typed, not pressed: the buttons stay under that question
    assert "Wie neemt het initiatief" in eva.last
    count = len(eva.texts)

    # 'Heerlen' (value 2) answered 'Wie neemt het initiatief?' with 'inwoners'
    await eva.submit(gemeente, dict(buttons(gemeente))["Heerlen"])
    assert len(eva.texts) == count  # no answer, no next question
    [record] = bot.store.plans(owner=eva.identity)
    assert record.data["gemeente"] == "leiden" and "initiatiefnemer_type" not in record.data
    [update] = connector.updates()
    assert update.reply_to == eva.card_id(gemeente)
    assert buttons(update.activity) == []
    assert "Deze knop hoort bij een eerdere vraag" in shown_text(update.activity)

    # the buttons of the question asked now still answer it
    await eva.press("gemeente")
    assert "naam van de initiatiefnemer" in eva.last
    [record] = bot.store.plans(owner=eva.identity)
    assert record.data["initiatiefnemer_type"] == "gemeente"


async def test_a_turn_is_one_message_with_the_question_last(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.install()
    # the welcome, the part's title and the first question were three messages
    [first] = eva.texts
    assert first.index("Hoi Eva!") < first.index("Deel 1 van 7")
    assert first.endswith("Hoe heet je opgave of initiatief?")
    await eva.say("Herinrichting Lindenplein")
    before = len(eva.sent())
    await eva.say("leidn")
    # the answer read back and the next question: one card, the buttons under it
    [turn] = eva.sent()[before:]
    assert shown_text(turn).splitlines()[:3] == [
        "→ Leiden",
        "Vraag 3 van ongeveer 34",
        "Wie neemt het initiatief?",
    ]
    assert "gemeente" in dict(buttons(turn))


async def test_a_changed_message_is_answered_and_the_first_version_stays(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.install()
    titel = eva.activity(text="Buurtmoestuun", textFormat="plain")
    await eva.post(titel)
    assert "In welke gemeente" in eva.last
    # the typo put right after sending: Teams passes the change on, and nothing was said
    edit = {"eventType": "editMessage", "tenant": {"id": TENANT}}
    await eva.post({**titel, "type": "messageUpdate", "text": "Buurtmoestuin", "channelData": edit})
    assert "Je hebt een bericht aangepast" in eva.last and "Typ 'terug'" in eva.last
    [record] = bot.store.plans(owner=eva.identity)
    assert record.data["titel"] == "Buurtmoestuun"
    await eva.press("Leiden")  # the question asked stays the one to answer
    assert "Wie neemt het initiatief" in eva.last


def test_long_text_is_split_and_each_line_stays_a_line() -> None:
    lines = [f"{i}. Antwoord met wat uitleg over de opgave en de buurt." for i in range(400)]
    parts = to_cards(Reply("\n".join(lines), kind="summary"))
    assert len(parts) > 1
    shown = [[b["text"] for b in card["body"]] for card in parts]
    assert all(sum(len(line) + 1 for line in part) <= TEXT_LIMIT + 1 for part in shown)
    assert [line for part in shown for line in part] == lines


def test_many_options_become_a_list_and_yes_no_stay_buttons() -> None:
    options = [Choice(f"Optie {i}", str(i)) for i in range(1, 9)] + [
        Choice("Sla over", "overslaan")
    ]
    [card] = to_cards(Reply("Kies", kind="question", input="choice", choices=options))
    activity = {
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]
    }
    [dropdown] = inputs(activity)
    assert dropdown["style"] == "compact" and len(dropdown["choices"]) == 8
    assert [t for t, _ in buttons(activity)] == ["Verstuur", "Sla over"]
    yes_no = [Choice("ja", "ja"), Choice("nee", "nee")]
    [card] = to_cards(Reply("Klopt dat?", kind="question", input="yesno", choices=yes_no))
    activity = {
        "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": card}]
    }
    assert [t for t, _ in buttons(activity)] == ["ja", "nee"] and inputs(activity) == []
    assert cards(activity)[0]["version"] == "1.5"


# ---------------------------------------------------------------------- commands and chats
async def test_chat_commands_work_as_in_telegram(bot: Bot, connector: FakeBotConnector) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.install()
    await eva.say("Herinrichting Lindenplein")
    await eva.say("hulp")
    assert "Waarom vragen we dit?" in "\n".join(eva.texts[-3:])
    await eva.say("terug")
    assert "Hoe heet je opgave" in eva.last and "Herinrichting Lindenplein" in eva.last
    await eva.say("Herinrichting Lindenplein")
    await eva.say("/status")
    assert "1 van ongeveer" in "\n".join(eva.texts[-3:])
    await eva.say("taal en")
    assert "Which gemeente" in eva.last or "municipality" in eva.last.lower()
    await eva.say("pauze")
    assert "saved" in eva.last  # in English now


async def test_in_a_team_channel_the_bot_points_to_the_personal_chat(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    mention = eva.activity(
        text="<at>participatiebot</at> hulp",
        conversation={
            "conversationType": "channel",
            "tenantId": TENANT,
            "id": "19:general@thread.tacv2;messageid=1",
        },
    )
    response = await eva.post(mention)
    assert response.status_code == 202
    [answer] = connector.sent("19:general@thread.tacv2;messageid=1")
    assert "persoonlijke chat" in shown_text(answer)
    assert bot.store.plans(owner=eva.identity) == []


async def test_two_people_at_once_are_not_crossed(bot: Bot, connector: FakeBotConnector) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    bob = TeamsUser(bot, connector, "Bob Bakker", "aad-bob")
    await asyncio.gather(eva.say("hoi"), bob.say("hallo"))
    titles = {eva: "Herinrichting Lindenplein", bob: "Speeltuin Bosrand"}
    await asyncio.gather(*(u.say(titles[u]) for u in (eva, bob)))
    for user, other in ((eva, bob), (bob, eva)):
        [record] = bot.store.plans(owner=user.identity)
        assert record.data["titel"] == titles[user]
        assert "In welke gemeente" in user.last
        assert not any(titles[other] in t for t in user.texts)


# ---------------------------------------------------------------------- exactly once
async def test_a_repeated_activity_is_handled_once_also_after_a_restart(
    settings: Settings, connector: FakeBotConnector, db_url: str
) -> None:
    first = Bot(teams_settings(settings), db_url)
    eva = TeamsUser(first, connector, "Eva de Vries", "aad-eva")
    hello = eva.activity(text="hoi")
    await eva.post(hello)
    sent = len(connector.sent())
    assert sent >= 1 and "Hoe heet je opgave" in eva.last  # welcome and the first question
    await eva.post(hello)
    assert len(connector.sent()) == sent
    await first.close()

    again = Bot(teams_settings(settings), db_url)
    try:
        eva.bot = again
        response = await eva.post(hello)
        assert response.status_code == 202
        assert len(connector.sent()) == sent
        await eva.say("Herinrichting Lindenplein")
        assert "In welke gemeente" in eva.last
    finally:
        await again.close()


async def test_429_is_waited_out_with_retry_after(bot: Bot, connector: FakeBotConnector) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    connector.throttle(times=1, retry_after="0")
    await eva.say("hoi")
    posts = [c for c in connector.calls if c.method == "POST"]
    assert posts[0].status == 429 and posts[1].status == 201
    assert posts[1].activity == posts[0].activity  # the same message again
    assert "Hoe heet je opgave" in eva.last


async def test_a_long_answer_stays_within_teams_limits_per_conversation(
    settings: Settings, connector: FakeBotConnector
) -> None:
    bot = Bot(teams_settings(settings, teams_rate=2))  # the default pace
    try:
        eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
        await eva.say("hoi")
        lines = [f"Regel {i}:" + " tekst" * 120 for i in range(60)]
        started = len(connector.calls)
        await bot.channel.send(eva.identity, [Reply("\n".join(lines))])
        moments = [c.at for c in connector.calls[started:]]
        assert len(moments) >= 8
        # Teams: at most 7 messages in a second and 8 in two seconds to one conversation
        for i, moment in enumerate(moments):
            assert sum(1 for m in moments[i:] if m - moment < 1.0) <= 7
            assert sum(1 for m in moments[i:] if m - moment < 2.0) <= 8
        assert "\n".join(eva.texts[-len(moments) :]).splitlines() == lines
    finally:
        await bot.close()


async def test_erasing_a_person_forgets_their_teams_chat(bot: Bot, connector: FakeBotConnector):
    from bot.features import privacy

    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.say("hoi")
    assert bot.channel.connection.reference(eva.identity) is not None
    privacy.erase_person(bot.store, bot.settings, eva.identity)
    assert bot.channel.connection.reference(eva.identity) is None


# ---------------------------------------------------------------------- authentication
@pytest.fixture(scope="session")
def login() -> Iterator[FakeMicrosoftLogin]:
    fake = FakeMicrosoftLogin().start()
    fake.register(APP_ID, PASSWORD, TENANT)
    yield fake
    fake.close()


@pytest.fixture
def through_login(login: FakeMicrosoftLogin, monkeypatch: pytest.MonkeyPatch) -> FakeMicrosoftLogin:
    for name, value in login.environment().items():
        monkeypatch.setenv(name, value)
    return login


def signed_settings(settings: Settings, **extra: Any) -> Settings:
    values = {
        "teams_app_id": APP_ID,
        "teams_app_password": PASSWORD,
        "teams_tenant_id": TENANT,
        "public_url": "https://participatie.example.org",
        "teams_rate": 1000,
        **extra,
    }
    return settings.model_copy(update=values)


async def test_forged_or_unsigned_requests_are_refused_and_change_nothing(
    settings: Settings, through_login: FakeMicrosoftLogin, db_url: str
) -> None:
    connector = FakeBotConnector(login=through_login)  # checks the bot's own Entra token
    await connector.start()
    bot = Bot(signed_settings(settings), db_url)
    try:
        await bot.channel.start()
        eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
        hello = eva.activity(text="hoi")
        service = connector.url
        other = FakeMicrosoftLogin()  # a key Microsoft never published
        forged = {
            "no header": None,
            "not bearer": f"Basic {through_login.channel_token(APP_ID, service)}",
            "other key": through_login.channel_token(APP_ID, service, key=other.key),
            "other app": through_login.channel_token("another-app", service),
            "expired": through_login.channel_token(APP_ID, service, expires_in=-3600),
            "unsigned": jwt.encode(
                {"aud": APP_ID, "iss": "https://api.botframework.com"}, None, algorithm="none"
            ),
        }
        for why, token in forged.items():
            headers = (
                {}
                if token is None
                else {"Authorization": token if " " in token else f"Bearer {token}"}
            )
            response = await eva.post(hello, headers=headers)
            assert response.status_code == 401, why
        assert connector.calls == []
        assert processed(bot.store) == 0  # the activity id is not used up
        assert bot.store.plans(owner=eva.identity) == []
        with Session(bot.store.engine) as s:
            assert s.scalar(select(func.count()).select_from(TeamsConversation)) == 0

        # a genuine token replayed with another serviceUrl would send the bot's token there
        eva.token = through_login.channel_token(APP_ID, service)
        elsewhere = {**hello, "serviceUrl": "https://attacker.example.org/"}
        response = await eva.post(elsewhere)
        assert response.status_code == 401
        assert connector.calls == [] and processed(bot.store) == 0

        response = await eva.post(hello)
        assert response.status_code == 202
        assert "Hoe heet je opgave" in eva.last
        assert all(through_login.bot_token_valid(c.token) for c in connector.calls)
    finally:
        await bot.close()
        await connector.close()


async def test_anonymous_mode_takes_only_loopback(bot: Bot, connector: FakeBotConnector) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    outside = eva.activity(text="hoi", serviceUrl="https://smba.trafficmanager.net/emea/")
    await eva.post(outside)
    assert connector.calls == [] and bot.store.plans(owner=eva.identity) == []
    app = Starlette(routes=bot.channel.routes())
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 5000))
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.example.org") as far:
        response = await far.post("/api/messages", json=eva.activity(text="hoi"))
    assert response.status_code == 401


async def test_wrong_credentials_say_what_to_check(
    settings: Settings, through_login: FakeMicrosoftLogin, engine: Engine, store: Store
) -> None:
    from bot.channels.teams import TeamsSetupError

    wrong = TeamsChannel(signed_settings(settings, teams_app_password="wrong"), engine, store)
    with pytest.raises(TeamsSetupError, match="TEAMS_APP_PASSWORD") as e:
        await wrong.start()
    assert "AADSTS7000215" in str(e.value) and "\n" not in str(e.value)


# ---------------------------------------------------------------------- proactive messages
async def test_a_reminder_reaches_the_owner_in_teams_after_a_restart(
    tmp_path: Path, connector: FakeBotConnector, db_url: str
) -> None:
    settings = Settings(data_dir=tmp_path / "var", now=datetime.fromisoformat(NOW), _env_file=None)
    bot = Bot(teams_settings(settings), db_url)
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    await eva.say("hoi")
    record = make_plan(bot.store, owner=eva.identity)
    before = len(connector.calls)
    await bot.close()  # the process that talked to Eva is gone

    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TEAMS_", "SLACK_", "TELEGRAM_", "PARTICIPATIEBOT_", "SMTP_"))
    }
    env |= {
        "PARTICIPATIEBOT_DATA_DIR": str(tmp_path / "var"),
        "PARTICIPATIEBOT_DATABASE_URL": db_url,
        "PARTICIPATIEBOT_TEAMS_ANONYMOUS": "1",
        "PARTICIPATIEBOT_PUBLIC_URL": "http://127.0.0.1:8080",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "reminders",
        "send",
        "--at",
        "2026-02-05T10:00",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert out.decode().startswith("verstuurd: 1 ")
    [reminder] = connector.calls[before:]
    assert reminder.method == "POST" and reminder.reply_to is None  # a new message in the chat
    assert reminder.conversation == eva.conversation
    shown = shown_text(reminder.activity)
    assert "aankondiging" in shown and "Ontwerpavond" in shown
    assert f"(Plan {record.id}: Herinrichting Lindenplein)" in shown


async def test_the_outbox_honours_429_and_marks_a_removed_app(
    bot: Bot, connector: FakeBotConnector
) -> None:
    eva = TeamsUser(bot, connector, "Eva de Vries", "aad-eva")
    bob = TeamsUser(bot, connector, "Bob Bakker", "aad-bob")
    await eva.say("hoi")
    await bob.say("hoi")
    now = bot.settings.clock()
    delivery.enqueue(
        bot.store,
        [
            Message(eva.identity, "De adviseur vraagt aanpassingen.", "notice", daytime=False),
            Message(bob.identity, "Nieuws over het Lindenplein.", "update", daytime=False),
            Message("teams:other/never-talked", "Hallo", "update", daytime=False),
        ],
        now,
    )
    connector.throttle(times=1, retry_after="1")
    connector.remove_bot(bob.conversation)
    senders = await delivery.open_senders(bot.settings, bot.store)
    try:
        started = asyncio.get_running_loop().time()
        stats = await Deliverer(bot.store, senders, delivery.paces(bot.settings)).run(
            bot.settings.clock
        )
        waited = asyncio.get_running_loop().time() - started
    finally:
        await delivery.close_senders(senders)
    assert stats.sent == 1 and stats.blocked == 2 and stats.retried == 1
    assert waited >= 0.9  # Retry-After: 1 was waited out
    assert "De adviseur vraagt aanpassingen." in eva.last
    assert delivery.is_blocked(bot.store, bob.identity)
    with Session(bot.store.engine) as s:
        statuses = dict(s.execute(select(OutboxMessage.identity, OutboxMessage.status)).all())
    assert statuses[eva.identity] == "sent" and statuses[bob.identity] == "blocked"


# ---------------------------------------------------------------------- the app package
def test_teams_manifest_writes_the_package_for_the_admin_centre(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli import main

    monkeypatch.setenv("PARTICIPATIEBOT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("TEAMS_APP_ID", APP_ID)
    monkeypatch.setenv("PARTICIPATIEBOT_PUBLIC_URL", "https://participatie.example.org")
    assert main(["teams-manifest", "--out", str(tmp_path / "app")]) == 0
    path = Path(capsys.readouterr().out.strip())
    with zipfile.ZipFile(path) as z:
        assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(z.read("manifest.json"))
        color = Image.open(io.BytesIO(z.read("color.png")))
        outline = Image.open(io.BytesIO(z.read("outline.png")))
    assert manifest["id"] == APP_ID
    [bot] = manifest["bots"]
    assert bot["botId"] == APP_ID and "personal" in bot["scopes"] and bot["supportsFiles"]
    titles = [c["title"] for c in bot["commandLists"][0]["commands"]]
    assert "hulp" in titles and "samenvatting" in titles and len(titles) <= 10
    assert manifest["validDomains"] == ["participatie.example.org"]
    assert len(manifest["name"]["short"]) <= 30 and len(manifest["description"]["short"]) <= 80
    assert color.size == (192, 192)
    assert outline.size == (32, 32) and outline.mode == "RGBA"
    # the outline icon is white on transparent only
    pixels = [outline.getpixel((x, y)) for x in range(32) for y in range(32)]
    assert {p[:3] for p in pixels if p[3]} == {(255, 255, 255)}
    assert any(p[3] == 0 for p in pixels)

    monkeypatch.setenv("PARTICIPATIEBOT_PUBLIC_URL", "http://localhost:8080")
    assert main(["teams-manifest", "--out", str(tmp_path / "app")]) == 1
    assert "https" in capsys.readouterr().err
    monkeypatch.delenv("TEAMS_APP_ID")
    assert main(["teams-manifest", "--out", str(tmp_path / "app")]) == 1
    assert "TEAMS_APP_ID" in capsys.readouterr().err


# ---------------------------------------------------------------------- serve
async def test_serve_says_teams_aan_and_answers_a_signed_activity(
    tmp_path: Path, login: FakeMicrosoftLogin, connector: FakeBotConnector
) -> None:
    port = free_port()
    env = environment(
        tmp_path,
        **login.environment(),
        TEAMS_APP_ID=APP_ID,
        TEAMS_APP_PASSWORD=PASSWORD,
        TEAMS_TENANT_ID=TENANT,
        PARTICIPATIEBOT_HTTP_PORT=str(port),
        PARTICIPATIEBOT_PUBLIC_URL="https://participatie.example.org",
    )
    process = await participatiebot(tmp_path, env)
    try:
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", trust_env=False
        ) as client:
            for _ in range(300):
                try:
                    await client.get("/health")
                    break
                except httpx.TransportError:
                    assert process.returncode is None, await process.stderr.read()
                    await asyncio.sleep(0.1)
            eva = TeamsUser(None, connector, "Eva de Vries", "aad-eva")  # type: ignore[arg-type]
            token = login.channel_token(APP_ID, connector.url)
            unsigned = await client.post("/api/messages", json=eva.activity(text="hoi"))
            assert unsigned.status_code == 401
            signed = await client.post(
                "/api/messages",
                json=eva.activity(text="hoi"),
                headers={"Authorization": f"Bearer {token}"},
            )
            assert signed.status_code == 202
            async with asyncio.timeout(PROCESS_WAIT):
                while not any("Hoe heet je opgave" in t for t in connector.texts()):
                    await asyncio.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(PROCESS_WAIT):
            code = await process.wait()
    finally:
        if process.returncode is None:
            process.kill()
    stderr = (await process.stderr.read()).decode()
    assert code == 0, stderr
    assert "Teams aan" in stderr and "Traceback" not in stderr


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"TEAMS_APP_PASSWORD": "wrong"}, "TEAMS_APP_PASSWORD"),
        ({"TEAMS_TENANT_ID": "00000000-0000-4000-8000-000000000000"}, "TEAMS_TENANT_ID"),
        ({"PARTICIPATIEBOT_TEAMS_ANONYMOUS": "1"}, "PARTICIPATIEBOT_TEAMS_ANONYMOUS"),
    ],
)
async def test_serve_with_wrong_teams_settings_stops_with_one_line(
    tmp_path: Path, login: FakeMicrosoftLogin, values: dict[str, str], expected: str
) -> None:
    settings = {
        "TEAMS_APP_ID": APP_ID,
        "TEAMS_APP_PASSWORD": PASSWORD,
        "TEAMS_TENANT_ID": TENANT,
        "PARTICIPATIEBOT_HTTP_PORT": str(free_port()),
        "PARTICIPATIEBOT_PUBLIC_URL": "https://participatie.example.org",
        **values,
    }
    env = environment(tmp_path, **login.environment(), **settings)
    process = await participatiebot(tmp_path, env)
    async with asyncio.timeout(PROCESS_WAIT):
        _, stderr = await process.communicate()
    assert process.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1, lines
    assert expected in lines[0]
