"""The Telegram channel against the real python-telegram-bot, talking to a loopback Bot API."""

from __future__ import annotations

import asyncio
import io
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import docx
import httpx
import pytest
from telegram import Bot
from telegram.error import NetworkError, TimedOut

from bot.app import build_engine
from bot.channels.telegram import CONNECTIONS, TelegramChannel, message_text, split_message
from bot.channels.telegram_http import AiohttpRequest
from bot.engine import Choice, Reply
from bot.http import build_app
from bot.settings import Settings
from bot.storage import Store
from tests.fakes.telegram_api import BOT_USER, Call, FakeTelegramAPI
from tests.interviews import HEERLEN

SECRET = "geheim-webhook-123"
# Telegram counts UTF-16 code units
MAX = 4096


def telegram_settings(settings: Settings, api: FakeTelegramAPI, **extra: object) -> Settings:
    values = {
        "telegram_token": api.token,
        "telegram_base_url": api.base_url,
        "telegram_rate": 0,  # no pacing: the tests send thousands of messages
        **extra,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def channel(
    settings: Settings, store: Store, api: FakeTelegramAPI
) -> AsyncIterator[TelegramChannel]:
    s = telegram_settings(settings, api)
    ch = TelegramChannel(s, build_engine(store, s), store)
    await ch.start()
    yield ch
    await ch.stop()


def after(api: FakeTelegramAPI, chat_id: int, call: Call) -> int:
    """How many messages the chat had up to and including `call`."""
    return api.sent(chat_id).index(call) + 1


async def say(api: FakeTelegramAPI, user: int, text: str, expect: str) -> Call:
    since = len(api.sent(user))
    api.push(api.message(user, text))
    return await api.reply(user, expect, since)


async def interview(
    api: FakeTelegramAPI, user: int, script: list[tuple[str, str]], titel: str
) -> None:
    """One person walks a whole script; an answer that is on a button is pressed, not typed."""
    since = len(api.sent(user))
    api.push(api.message(user, "/start", first_name=f"Persoon{user}"))
    steps = [(script[0][0], titel), ("In welke gemeente", "Heerlen"), *script[1:]]
    steps.append(("Klopt alles?", "ja"))
    for fragment, answer in steps:
        question = await api.reply(user, fragment, since)
        since = after(api, user, question)
        button = next((b for b in question.buttons if b["text"].lower() == answer.lower()), None)
        if button:
            api.push(api.press(user, question, button["callback_data"]))
        else:
            api.push(api.message(user, answer))
    await api.reply(user, "participatieplan.docx", since, timeout=30)


def plan_document(api: FakeTelegramAPI, user: int) -> Call:
    """The participatieplan.docx the person received (once)."""
    sent = api.sent(user, "sendDocument")
    [plan] = [c for c in sent if c.files["document"][0] == "participatieplan.docx"]
    return plan


def document_text(call: Call) -> str:
    name, data = call.files["document"]
    document = docx.Document(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


async def test_whole_interview_by_polling_ends_with_the_document(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store, settings: Settings
) -> None:
    await interview(api, 501, HEERLEN, "Ontmoetingsplek Parkstraat")

    text = document_text(plan_document(api, 501))
    assert "Ontmoetingsplek Parkstraat" in text
    assert "Stichting Samen Parkstraat" in text
    texts = api.texts(501)
    assert "Persoon501" in texts[0]  # the name Telegram gave, in the greeting
    # a part's title shares the message of its first question: one notification a turn
    assert any("Deel 2 van 7" in t and "Wat ligt inhoudelijk al vast" in t for t in texts)
    # the number of questions changes with the answers: 'ongeveer', as in Slack and Teams
    # (was '(1/34) Hoe heet je opgave')
    assert any("Vraag 1 van ongeveer 3" in t and "\nHoe heet je opgave" in t for t in texts)
    assert not any("(1/" in t for t in texts)
    # the person sees no file paths of the server: the file itself follows
    assert not any(str(settings.data_dir) in t for t in texts)
    # a pressed button shows the choice in place of the buttons
    gemeente = next(m for m in api.messages.values() if "In welke gemeente" in m.get("text", ""))
    assert gemeente["text"].endswith("→ Heerlen")
    assert "reply_markup" not in gemeente
    [plan] = store.plans(owner="telegram:501")
    assert plan.status == "compleet"
    assert plan.data["gemeente"] == "heerlen"


async def test_commands_are_registered_in_dutch(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    # every chat command of INTERFACE.md, in its order
    dutch = [c["command"] for c in api.commands[""]]
    assert dutch == [
        *("hulp", "terug", "overslaan", "wijzig", "status", "samenvatting", "pauze"),
        *("opnieuw", "plannen", "nieuw", "taal", "update", "afronden", "verslag"),
        *("volg", "afmelden", "mijngegevens", "verwijder"),
    ]
    described = {c["command"]: c["description"] for c in api.commands[""]}
    assert described["verslag"] == "Het verslag voor je aanvraag omgevingsvergunning"
    english = [c["command"] for c in api.commands["en"]]
    assert english[:2] == ["help", "back"]
    assert english[english.index("close") + 1] == "report"


async def test_slash_command_reaches_the_engine(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    await say(api, 502, "/start", "Hoe heet je opgave")
    await say(api, 502, "Buurtmoestuin", "In welke gemeente")
    reply = await say(api, 502, "/terug", "Hoe heet je opgave")
    assert "Buurtmoestuin" in reply.text


async def test_stop_in_the_menu_pauses_an_owners_interview(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    await say(api, 514, "/start", "Hoe heet je opgave")
    await say(api, 514, "Buurtmoestuin", "In welke gemeente")
    # it said 'Je volgt geen plannen. Er is niets om af te melden.', and nothing was paused
    reply = await say(api, 514, "/stop", "Alles is bewaard")
    assert "afmelden" not in reply.text


async def test_buttons_answer_and_old_buttons_are_refused(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    await say(api, 503, "/start", "Hoe heet je opgave")
    question = await say(api, 503, "Buurtmoestuin", "In welke gemeente")
    labels = [b["text"] for b in question.buttons]
    assert "Heerlen" in labels and "Leiden" in labels
    heerlen = next(b for b in question.buttons if b["text"] == "Heerlen")
    since = after(api, 503, question)

    api.push(api.press(503, question, heerlen["callback_data"]))
    await api.reply(503, "Wie neemt het initiatief", since)
    assert store.plans(owner="telegram:503")[0].data["gemeente"] == "heerlen"
    # acknowledged beside the reply, not before it
    answered = await api.wait_for(
        lambda: [c for c in api.calls if c.method == "answerCallbackQuery"]
    )
    assert len(answered) == 1

    # the same message pressed again (say, a second tap): answered, not handed to the engine
    leiden = next(b for b in question.buttons if b["text"] == "Leiden")
    api.push(api.press(503, question, leiden["callback_data"]))
    stale = await api.wait_for(
        lambda: [c for c in api.calls if c.method == "answerCallbackQuery"][1:]
    )
    assert "eerdere vraag" in stale[0].params["text"]
    assert store.plans(owner="telegram:503")[0].data["gemeente"] == "heerlen"


async def test_several_options_are_boxes_to_tick_and_send(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    until = next(i for i, (f, _) in enumerate(HEERLEN) if "doel van de participatie" in f)
    since = len(api.sent(516))
    api.push(api.message(516, "/start"))
    steps = [(HEERLEN[0][0], "Ontmoetingsplek"), ("In welke gemeente", "Heerlen")]
    for fragment, answer in [*steps, *HEERLEN[1:until]]:
        question = await api.reply(516, fragment, since)
        since = after(api, 516, question)
        api.push(api.message(516, answer))
    doel = await api.reply(516, "doel van de participatie", since)
    # 'Kies er een of meer' had a button per option: a press answered with that one alone
    labels = [b["text"] for b in doel.buttons]
    assert labels == [
        *("☐ samen denken", "☐ samen doen", "☐ samen beslissen", "☐ samen leren"),
        "Verstuur",
    ]

    def calls(method: str) -> list[Call]:
        return [c for c in api.calls if c.method == method]

    api.push(api.press(516, doel, "+send"))  # nothing ticked: said so, the question stays
    said = await api.wait_for(lambda: [c for c in calls("answerCallbackQuery") if c.params])
    assert "Vink eerst aan" in said[0].params["text"]
    for n, box in enumerate(("+1", "+4", "+2", "+2"), start=1):  # 'samen doen' on and off
        api.push(api.press(516, doel, box))
        await api.wait_for(lambda n=n: len(calls("editMessageReplyMarkup")) == n)
    shown = api.messages[(516, doel.result["message_id"])]
    ticked = [b["text"] for row in shown["reply_markup"]["inline_keyboard"] for b in row]
    assert ticked[:4] == ["☑ samen denken", "☐ samen doen", "☐ samen beslissen", "☑ samen leren"]
    assert "doelen" not in store.plans(owner="telegram:516")[0].data

    api.push(api.press(516, doel, "+send"))
    await api.reply(516, "Welk niveau", since)
    assert store.plans(owner="telegram:516")[0].data["doelen"] == ["samen denken", "samen leren"]
    assert shown["text"].endswith("→ samen denken, samen leren")


async def test_long_button_value_goes_through_a_short_key(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    long_value = "Het gebied rond de Parkstraat met alle zijstraten, pleinen en hofjes erbij"
    await say(api, 504, "/start", "Hoe heet je opgave")
    await channel.send(
        "telegram:504",
        [Reply("Welk gebied?", kind="question", choices=[Choice("Alles", long_value)])],
    )
    question = await api.reply(504, "Welk gebied?")
    [button] = question.buttons
    assert len(button["callback_data"].encode()) <= 64

    api.push(api.press(504, question, button["callback_data"]))
    await api.reply(504, "In welke gemeente")
    assert store.plans(owner="telegram:504")[0].data["titel"] == long_value


async def test_a_findings_source_address_gets_no_web_page_preview(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    await say(api, 512, "/start", "Hoe heet je opgave")
    finding = Reply(
        "💡 Tip: Ga in gesprek met wie er woont.\nBron: Checklist participatie, gemeente "
        "Leiden (2023): https://www.leiden.nl/participatie",
        kind="finding",
    )
    question = Reply("Heb je al gepraat?", kind="question", choices=[Choice("ja", "ja")])
    await channel.send("telegram:512", [finding, question])
    # a preview of leiden.nl stood in the message, between the question and its buttons
    asked = await api.reply(512, "Heb je al gepraat?")
    assert "https://www.leiden.nl/participatie" in asked.text
    assert asked.preview is None
    since = after(api, 512, asked)
    api.push(api.press(512, asked, "ja"))
    await api.wait_for(lambda: [c for c in api.calls if c.method == "editMessageText"])
    [edit] = [c for c in api.calls if c.method == "editMessageText"]
    assert edit.text.endswith("→ ja") and edit.preview is None
    await api.wait_for(lambda: api.sent(512)[since:])


async def test_long_summary_is_split_into_messages_telegram_accepts(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    titel = "Buurttuin " * 500
    await say(api, 505, "/start", "Hoe heet je opgave")
    question = await say(api, 505, titel, "In welke gemeente")
    since = after(api, 505, question)
    api.push(api.message(505, "samenvatting"))
    await api.reply(505, "In welke gemeente", since)
    parts = api.texts(505)[since:-1]
    assert len(parts) >= 2
    assert all(len(p.encode("utf-16-le")) // 2 <= MAX for p in parts)
    assert sum(p.count("Buurttuin") for p in parts) >= 500  # the whole answer came through


def test_split_text_cuts_at_line_ends() -> None:
    lines = [f"regel {i} " + "x" * 90 for i in range(100)]
    chunks = split_message("\n".join(lines))
    assert len(chunks) == 3
    assert all(len(c) <= MAX for c in chunks)
    assert "\n".join(chunks).splitlines() == lines
    emoji = split_message("💡" * 3000)  # 3000 characters, but 6000 UTF-16 units for Telegram
    assert len(emoji) == 2
    assert all(len(c.encode("utf-16-le")) // 2 <= MAX for c in emoji)
    assert "".join(emoji) == "💡" * 3000


async def test_group_chat_is_asked_to_talk_privately(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    group = -1001234
    api.push(api.message(506, "gezellig hier", chat_id=group, chat_type="supergroup"))
    api.push(api.message(506, "/start", chat_id=group, chat_type="supergroup"))
    reply = await api.reply(group, "privégesprek")
    assert [b["url"] for b in reply.buttons] == [f"https://t.me/{BOT_USER['username']}"]
    assert len(api.sent(group)) == 1  # the chatter without a command got no answer
    assert store.plans(owner="telegram:506") == []


async def test_deep_link_start_code_goes_to_the_engine_as_it_is(
    channel: TelegramChannel,
    api: FakeTelegramAPI,
    store: Store,
    settings: Settings,
    tmp_path: Path,
) -> None:
    # what the engine answers '/start <code>' on a database of its own is what the person sees
    other = Store(f"sqlite:///{tmp_path / 'other.db'}", clock=settings.clock)
    try:
        replies = await build_engine(other, settings).handle("telegram:507", "/start plan-AB12cd")
    finally:
        other.close()
    expected = [message_text(r) for r in replies if message_text(r)]

    api.push(api.message(507, "/start plan-AB12cd"))
    # what comes before a question shares its message: the same text, perhaps in fewer messages
    said = "\n\n".join(expected)
    await api.wait_for(lambda: "\n\n".join(api.texts(507)) == said)
    assert all("plan-AB12cd" not in str(p.data) for p in store.plans(owner="telegram:507"))


async def test_a_changed_message_is_answered_and_the_first_version_stays(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    await say(api, 513, "/start", "Hoe heet je opgave")
    titel = api.message(513, "Buurtmoestuun")
    api.push(titel)
    question = await api.reply(513, "In welke gemeente")
    since = after(api, 513, question)
    # the typo put right: Telegram passes the change on, and nothing was said
    api.push(api.edit(titel, "Buurtmoestuin"))
    hint = await api.reply(513, "aangepast", since)
    assert "Typ 'terug'" in hint.text
    assert store.plans(owner="telegram:513")[0].data["titel"] == "Buurtmoestuun"
    api.push(api.message(513, "terug"))
    again = await api.reply(513, "Hoe heet je opgave", since)
    assert "Buurtmoestuun" in again.text


async def test_not_text_gets_a_hint(channel: TelegramChannel, api: FakeTelegramAPI) -> None:
    photo = [{"file_id": "f1", "file_unique_id": "u1", "width": 10, "height": 10}]
    api.push(api.message(508, None, photo=photo))
    reply = await api.reply(508, "alleen tekst")
    assert "hulp" in reply.text


async def test_after_taal_en_telegrams_own_texts_are_english(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    await say(api, 515, "/start", "Hoe heet je opgave")
    await say(api, 515, "taal en", "")
    photo = [{"file_id": "f2", "file_unique_id": "u2", "width": 10, "height": 10}]
    since = len(api.sent(515))
    api.push(api.message(515, None, photo=photo))
    # it said 'Ik kan alleen tekst lezen' to someone who had chosen English
    reply = await api.reply(515, "I can only read text", since)
    assert "'help'" in reply.text


async def test_progress_says_about_in_the_persons_language(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    first = await say(api, 516, "/start", "Hoe heet je opgave")
    assert "Vraag 1 van ongeveer " in first.text
    question = await say(api, 516, "taal en", "What is your project")
    assert question.text.startswith("We continue in English.\n\nQuestion 1 of about ")
    assert "ongeveer" not in question.text


async def test_repeated_update_is_handled_once_also_after_a_restart(
    settings: Settings, store: Store, api: FakeTelegramAPI
) -> None:
    s = telegram_settings(settings, api)
    first = TelegramChannel(s, build_engine(store, s), store)
    await first.start()
    start = api.message(509, "/start", update_id=42)
    titel = api.message(509, "Buurtmoestuin", update_id=43)
    api.push(start)
    await api.reply(509, "Hoe heet je opgave")
    api.push(start, titel)  # Telegram sends 42 again (its confirmation got lost)
    await api.reply(509, "In welke gemeente")
    await first.stop()

    second = TelegramChannel(s, build_engine(store, s), store)
    await second.start()
    try:
        api.push(titel, api.message(509, "Heerlen", update_id=44))
        await api.reply(509, "Wie neemt het initiatief")
    finally:
        await second.stop()
    texts = api.texts(509)
    assert sum("Hoe heet je opgave" in t for t in texts) == 1
    assert sum("In welke gemeente" in t for t in texts) == 1
    [plan] = store.plans(owner="telegram:509")
    assert plan.data["titel"] == "Buurtmoestuin"
    assert plan.data["gemeente"] == "heerlen"


async def test_repeated_message_leaves_the_buttons_of_the_question_live(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    await say(api, 511, "/start", "Hoe heet je opgave")
    titel = api.message(511, "Buurtmoestuin", update_id=61)
    api.push(titel)
    question = await api.reply(511, "In welke gemeente")
    since = after(api, 511, question)
    heerlen = next(b for b in question.buttons if b["text"] == "Heerlen")
    # Telegram sends the answer again (no new question, nothing changes), then the press
    api.push(titel, api.press(511, question, heerlen["callback_data"]))
    await api.reply(511, "Wie neemt het initiatief", since)
    assert not [c for c in api.calls if c.params.get("text", "").startswith("Deze knop")]
    assert store.plans(owner="telegram:511")[0].data["gemeente"] == "heerlen"
    assert sum("In welke gemeente" in t for t in api.texts(511)) == 1


async def test_webhook_needs_the_secret(
    settings: Settings, store: Store, api: FakeTelegramAPI
) -> None:
    s = telegram_settings(
        settings,
        api,
        telegram_webhook_url="https://bot.example.org/telegram/webhook",
        telegram_webhook_secret=SECRET,
    )
    engine = build_engine(store, s)
    ch = TelegramChannel(s, engine, store)
    await ch.start()
    assert api.webhook["url"] == "https://bot.example.org/telegram/webhook"
    assert api.webhook["secret_token"] == SECRET
    app = build_app(s, engine, store, ch.routes())
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            forged = api.message(510, "/start", update_id=77)
            assert (await client.post("/telegram/webhook", json=forged)).status_code == 403
            wrong = {"X-Telegram-Bot-Api-Secret-Token": "raden"}
            response = await client.post("/telegram/webhook", json=forged, headers=wrong)
            assert response.status_code == 403
            await asyncio.sleep(0.3)
            assert api.sent(510) == []
            assert store.plans(owner="telegram:510") == []

            right = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
            response = await client.post("/telegram/webhook", json=forged, headers=right)
            assert response.status_code == 200
            await api.reply(510, "Hoe heet je opgave")
            assert (await client.get("/health")).json() == {"status": "ok"}
    finally:
        await ch.stop()


async def test_asked_to_slow_down_the_message_still_arrives(
    channel: TelegramChannel, api: FakeTelegramAPI
) -> None:
    api.throttle("sendMessage", times=1, retry_after=1)
    await say(api, 511, "/start", "Hoe heet je opgave")
    assert [c.method for c in api.rejected] == ["sendMessage"]


class SlowAPI(FakeTelegramAPI):
    """A Bot API that takes its time over every message, and counts how many it has at once."""

    def __init__(self, seconds: float) -> None:
        super().__init__()
        self.seconds = seconds
        self.at_once = self.most_at_once = 0

    async def _m_sendMessage(self, params: dict, files: dict) -> dict:  # type: ignore[override]
        self.at_once += 1
        self.most_at_once = max(self.most_at_once, self.at_once)
        try:
            await asyncio.sleep(self.seconds)
            return await super()._m_sendMessage(params, files)
        finally:
            self.at_once -= 1


async def test_more_people_at_once_than_connections_each_get_their_answer(
    settings: Settings, store: Store
) -> None:
    # 30 people write while every message takes the Bot API 0.4 s: more than fit on the
    # channel's connections at once; the rest wait their turn, and no answer is lost
    async with SlowAPI(0.4) as slow:
        s = telegram_settings(settings, slow)
        ch = TelegramChannel(s, build_engine(store, s), store)
        await ch.start()
        try:
            people = range(600, 630)
            async with asyncio.timeout(60):
                await asyncio.gather(
                    *(say(slow, u, "/start", "Hoe heet je opgave") for u in people)
                )
        finally:
            await ch.stop()
    assert slow.most_at_once <= CONNECTIONS
    assert not [c for c in slow.rejected if c.method == "sendMessage"]


@pytest.mark.load
async def test_fifty_people_at_once_each_get_their_own_plan(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    users = range(1000, 1050)
    async with asyncio.timeout(150):
        await asyncio.gather(*(interview(api, u, HEERLEN, f"Ontmoetingsplek {u}") for u in users))

    reference = None
    for u in users:
        [plan] = store.plans(owner=f"telegram:{u}")
        assert plan.status == "compleet"
        assert plan.data["titel"] == f"Ontmoetingsplek {u}"
        rest = {k: v for k, v in plan.data.items() if k != "titel"}
        reference = reference or rest
        assert rest == reference
        assert f"Ontmoetingsplek {u}" in document_text(plan_document(api, u))
    assert {b["naam"] for b in reference["belanghebbenden"]} >= {
        "Ouderen in de wijk",
        "Mantelzorgers",
    }


# ---------------------------------------------------------------------- the HTTP transport
async def test_bot_api_that_is_not_there_is_a_network_error_not_a_crash() -> None:
    # nothing listens on this port: python-telegram-bot's own error, which its polling
    # retries and the channel logs
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    request = AiohttpRequest(2)
    bot = Bot("123:abc", base_url=f"http://127.0.0.1:{port}/bot", request=request)
    await request.initialize()
    try:
        with pytest.raises(NetworkError, match="aiohttp"):
            await bot.get_me()
    finally:
        await request.shutdown()


async def test_slow_bot_api_times_out_and_the_next_request_still_goes(
    settings: Settings, store: Store
) -> None:
    async with SlowAPI(1.0) as slow:
        request = AiohttpRequest(1, read_timeout=0.2)
        bot = Bot(slow.token, base_url=slow.base_url, request=request, get_updates_request=request)
        await bot.initialize()
        try:
            with pytest.raises(TimedOut):
                await bot.send_message(700, "te traag")
            slow.seconds = 0
            sent = await bot.send_message(700, "nu wel")
        finally:
            await bot.shutdown()
    assert sent.text == "nu wel"
    assert [c.params["text"] for c in slow.sent(700)][-1] == "nu wel"


async def test_an_answer_through_telegram_costs_the_update_record_and_the_engines_statements(
    channel: TelegramChannel, api: FakeTelegramAPI, store: Store
) -> None:
    # the update recorded (exactly once), then the engine's guarded turn
    # (tests/test_turn_statements.py); the question's progress is in the person's language
    # without a lookup of its own: the engine's question says it
    from tests.sql_count import statements
    from tests.test_turn_statements import MOST

    await say(api, 517, "/start", "Hoe heet je opgave")
    await say(api, 517, "taal en", "What is your project")
    with statements(store.engine) as sent:
        question = await say(api, 517, "Buurtmoestuin", "Question 2 of about")
    assert "In which municipality" in question.text
    assert len(sent) <= 1 + MOST, sent
