"""The Slack channel against the real slack-bolt and slack_sdk, with a loopback Slack Web API."""

from __future__ import annotations

import asyncio
import io
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import pytest
import yaml
from docx import Document
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette

from bot.app import build_engine
from bot.channels.slack import (
    COMMAND,
    SlackChannel,
    enabled,
    from_slack,
    packed,
    to_messages,
)
from bot.engine import Choice, Reply
from bot.features import participants
from bot.pacing import Pace, split_text
from bot.settings import Settings
from bot.storage import Store
from tests.fakes.slack_api import TEAM, FakeSlackAPI, buttons, has_datepicker, shown_text
from tests.interviews import HEERLEN
from tests.test_delivery import make_plan

ROOT = Path(__file__).resolve().parents[1]
SECRET = "test-signing-secret"
# the Heerlen interview as typed in Slack: the gemeente is asked right after the title, and
# Slack turns a typed e-mail address into a mailto link
SCRIPT = [
    (fragment, f"<mailto:{answer}|{answer}>" if "@" in answer else answer)
    for fragment, answer in HEERLEN
]
SCRIPT.insert(1, ("In welke gemeente", "Heerlen"))


@pytest.fixture
async def fake():
    api = FakeSlackAPI()
    await api.start()
    yield api
    await api.close()


def slack_settings(settings: Settings, fake: FakeSlackAPI, **extra: Any) -> Settings:
    values = {
        "slack_bot_token": fake.token,
        "slack_signing_secret": SECRET,
        "slack_api_url": fake.url,
        "slack_rate": 1000,
        **extra,
    }
    return settings.model_copy(update=values)


@pytest.fixture
async def channel(settings, engine, store, fake):
    ch = SlackChannel(slack_settings(settings, fake), engine, store)
    await ch.start()  # as serve does
    yield ch
    await ch.stop()


@pytest.fixture
async def http(channel):
    app = Starlette(routes=channel.routes())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bot.example.org"
    ) as client:
        yield client


def signed(body: str, content_type: str, *, secret: str = SECRET, age: int = 0) -> dict:
    timestamp = str(int(time.time()) - age)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": signature,
    }


@asynccontextmanager
async def slack_people(
    settings: Settings, store: Store, *users: str
) -> AsyncIterator[list[SlackUser]]:
    """A Slack channel on a loopback Web API; yields the people (Slack user ids) who use it."""
    fake = FakeSlackAPI()
    await fake.start()
    s = slack_settings(settings, fake)
    channel = SlackChannel(s, build_engine(store, s), store)
    await channel.start()  # as serve does
    app = Starlette(routes=channel.routes())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bot.example.org"
    ) as http:
        yield [SlackUser(http, fake, channel, user) for user in users]
    await channel.stop()
    await fake.close()


class SlackUser:
    """A person in the workspace: sends what Slack would send for them, reads their DM."""

    _n = 0

    def __init__(self, http, fake: FakeSlackAPI, channel: SlackChannel, user: str) -> None:
        self.http, self.fake, self.channel, self.user = http, fake, channel, user
        self.dm_id = "D" + user

    @classmethod
    def _next(cls) -> int:
        cls._n += 1
        return cls._n

    @property
    def identity(self) -> str:
        return f"slack:{TEAM}/{self.user}"

    async def post(self, body: str, content_type: str, wait: bool = True, **kw) -> httpx.Response:
        headers = signed(body, content_type, **{k: kw.pop(k) for k in ("secret", "age") if k in kw})
        headers.update(kw.pop("headers", {}))
        response = await self.http.post("/slack/events", content=body, headers=headers)
        if wait:
            await self.channel.idle()
        return response

    def event_body(self, text: str, event_id: str | None = None) -> str:
        n = self._next()
        return json.dumps(
            {
                "token": "unused",
                "team_id": TEAM,
                "api_app_id": "A0TEST",
                "type": "event_callback",
                "event_id": event_id or f"Ev{n:06d}",
                "event_time": int(time.time()),
                "event": {
                    "type": "message",
                    "channel": self.dm_id,
                    "channel_type": "im",
                    "user": self.user,
                    "text": text,
                    "ts": f"{int(time.time())}.{n:06d}",
                    "team": TEAM,
                },
            }
        )

    async def open_tab(self, tab: str = "messages") -> httpx.Response:
        """Open the bot in Slack: its Home or Messages tab (app_home_opened)."""
        body = json.loads(self.event_body(""))
        body["event"] = {
            "type": "app_home_opened",
            "user": self.user,
            "channel": self.dm_id,
            "tab": tab,
            "event_ts": body["event"]["ts"],
        }
        return await self.post(json.dumps(body), "application/json")

    async def edit(self, before: str, after: str, **message: Any) -> httpx.Response:
        """Change a message sent before: Slack's message_changed event in the DM."""
        body = json.loads(self.event_body(after))
        ts = body["event"]["ts"]
        changed = {"type": "message", "user": self.user, "text": after, "ts": ts, **message}
        body["event"] = {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": self.dm_id,
            "channel_type": "im",
            "message": changed,
            "previous_message": {"type": "message", "user": self.user, "text": before, "ts": ts},
            "event_ts": ts,
            "ts": ts,
        }
        return await self.post(json.dumps(body), "application/json")

    async def share(self, name: str, content: bytes, text: str = "") -> httpx.Response:
        """Drop a file into the direct message with the bot (a message with subtype file_share)."""
        body = json.loads(self.event_body(text))
        body["event"].update(subtype="file_share", files=[self.fake.share(name, content)])
        return await self.post(json.dumps(body), "application/json")

    async def dm(self, text: str, **kw) -> httpx.Response:
        return await self.post(
            self.event_body(text, kw.pop("event_id", None)), "application/json", **kw
        )

    async def command(self, text: str, channel: str = "C0GENERAL") -> httpx.Response:
        body = urlencode(
            {
                "token": "unused",
                "team_id": TEAM,
                "channel_id": channel,
                "user_id": self.user,
                "command": "/participatie",
                "text": text,
                "response_url": "http://127.0.0.1:9/unused",
                "trigger_id": f"trigger.{self._next()}",
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded")

    async def act(self, message: dict, action: dict, state: dict | None = None) -> httpx.Response:
        payload = {
            "type": "block_actions",
            "user": {"id": self.user, "team_id": TEAM},
            "team": {"id": TEAM},
            "api_app_id": "A0TEST",
            "trigger_id": f"trigger.{self._next()}",
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": self.dm_id,
                "is_ephemeral": False,
            },
            "channel": {"id": self.dm_id},
            "message": message,
            "actions": [{"action_ts": f"{time.time():.6f}", **action}],
        }
        if state is not None:
            payload["state"] = {"values": state}
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    def posted(self) -> list[dict]:
        """The messages in the DM as Slack keeps them (with their ts)."""
        return self.fake.messages(self.dm_id)

    async def press(self, label: str) -> httpx.Response:
        message = next(m for m in reversed(self.posted()) if label in dict(buttons(m)))
        for block in message["blocks"]:
            for element in block.get("elements", []):
                if element.get("type") == "button" and element["text"]["text"] == label:
                    return await self.act(message, {"block_id": block["block_id"], **element})
        raise AssertionError(label)

    async def tick(self, *labels: str) -> httpx.Response:
        """Tick these boxes under the last question that has them, then press Verstuur."""
        message = next(m for m in reversed(self.posted()) if boxes(m))
        [block] = [b for b in message["blocks"] if b.get("type") == "actions"]
        [ticks] = [e for e in block["elements"] if e["type"] == "checkboxes"]
        for option in ticks["options"]:  # Slack reports each tick; it answers nothing
            if option["text"]["text"] in labels:
                await self.act(message, {"block_id": block["block_id"], **ticks})
        chosen = [o for o in ticks["options"] if o["text"]["text"] in labels]
        state = {block["block_id"]: {"ticks": {"type": "checkboxes", "selected_options": chosen}}}
        [send] = [e for e in block["elements"] if e.get("action_id") == "send"]
        return await self.act(message, {"block_id": block["block_id"], **send}, state)

    async def pick_date(self, day: str) -> httpx.Response:
        message = next(m for m in reversed(self.posted()) if has_datepicker(m))
        action = {"type": "datepicker", "action_id": "date", "selected_date": day}
        return await self.act(message, action)

    @property
    def texts(self) -> list[str]:
        return self.fake.texts(self.dm_id)

    @property
    def last(self) -> str:
        return self.texts[-1]

    async def answer(self, script: list[tuple[str, str]]) -> None:
        for fragment, answer in script:
            assert fragment.lower() in self.last.lower(), f"expected {fragment!r}: {self.last}"
            await self.dm(answer)


@pytest.fixture
def alice(http, fake, channel) -> SlackUser:
    return SlackUser(http, fake, channel, "U0ALICE")


@pytest.fixture
def bob(http, fake, channel) -> SlackUser:
    return SlackUser(http, fake, channel, "U0BOB")


def boxes(message: dict) -> list[str]:
    """The labels of the boxes to tick under a message."""
    return [
        o["text"]["text"]
        for b in message.get("blocks") or []
        if b.get("type") == "actions"
        for e in b["elements"]
        if e["type"] == "checkboxes"
        for o in e["options"]
    ]


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


# ---------------------------------------------------------------------- the whole interview
async def test_whole_interview_in_a_dm_ends_with_the_documents_uploaded(alice, fake, store):
    response = await alice.dm("hoi")
    assert response.status_code == 200
    assert "participatieplan" in alice.texts[0]
    await alice.answer(SCRIPT)
    confirm = alice.posted()[-1]
    assert "Klopt alles?" in shown_text(confirm)
    await alice.press(next(label for label, value in buttons(confirm) if value == "ja"))

    # files_upload_v2: a URL per file, the bytes to that URL, one completion into the DM
    assert "Klaar!" in "\n".join(alice.texts[-2:])
    assert not any("/plans/" in text for text in alice.texts)  # no server paths shown
    asked = fake.called("files.getUploadURLExternal")
    [completed] = fake.called("files.completeUploadExternal")
    assert completed.args["channel_id"] == alice.dm_id
    assert [f.filename for f in fake.files.values()] == [c.args["filename"] for c in asked]
    plan = next(f for f in fake.files.values() if f.filename == "participatieplan.docx")
    assert plan.channel == alice.dm_id
    text = docx_text(plan.content)
    assert "Ontmoetingsplek Parkstraat" in text
    assert "Stichting Samen Parkstraat" in text
    [record] = store.plans(owner=alice.identity)
    assert record.status == "compleet"
    assert record.data["accounthouder_email"] == "jory@example.org"
    # every Web API call of the interview over one kept connection: slack_sdk opened a new
    # session, so a new connection (with TLS at slack.com), for each message
    assert len(fake.calls) > 60 and len(fake.connections) <= 2, len(fake.connections)


async def test_a_turn_is_one_message_with_the_question_last(alice, fake):
    await alice.dm("hoi")
    # the welcome, the part's title and the first question were three notifications
    [first] = alice.posted()
    assert shown_text(first).index("Hoi!") < shown_text(first).index("Deel 1 van 7")
    assert shown_text(first).endswith("Hoe heet je opgave of initiatief?")
    await alice.dm("Buurtmoestuin")
    before = len(alice.posted())
    await alice.dm("leidn")
    # the answer read back and the next question: one message, the buttons under it
    [turn] = alice.posted()[before:]
    assert [b["type"] for b in turn["blocks"]] == ["section", "context", "section", "actions"]
    assert shown_text(turn).splitlines()[:3] == [
        "→ Leiden",
        "Vraag 3 van ongeveer 34",
        "Wie neemt het initiatief?",
    ]
    assert turn["text"].startswith("→ Leiden\n\nWie neemt het initiatief?")


def test_long_text_stays_in_messages_slack_takes():
    parts = [Reply("x" * 2500), Reply("y" * 2500), Reply("z" * 10)]
    shown = [m["text"] for m in packed([m for r in parts for m in to_messages(r)])]
    assert shown == ["x" * 2500, "y" * 2500 + "\n\n" + "z" * 10]


async def test_opening_the_bot_the_first_time_gets_the_welcome(alice, bob, store):
    # the Messages tab stayed empty until the person guessed to type something
    await alice.open_tab()
    assert "Hoi!" in alice.last and alice.last.endswith("Hoe heet je opgave of initiatief?")
    await alice.open_tab()  # opened again: the chat speaks for itself
    await alice.dm("Buurtmoestuin")
    await alice.open_tab()
    assert len(alice.texts) == 2 and "In welke gemeente" in alice.last
    await bob.open_tab("home")
    assert bob.texts == [] and store.find_person(bob.identity) is None
    # someone who follows a plan opens the tab to read its news: no interview offered to them
    plan = make_plan(store, owner="console:eigenaar")
    await bob.dm(f"volg {participants.invitation_code(store, plan.id)} ja")
    count = len(bob.texts)
    await bob.open_tab()
    assert len(bob.texts) == count and store.plans(owner=bob.identity) == []


# ---------------------------------------------------------------------- security
async def test_forged_signature_is_refused_and_changes_nothing(alice, fake, store):
    body = alice.event_body("hoi", event_id="EvFORGED")
    response = await alice.post(body, "application/json", secret="not-the-secret")
    assert response.status_code == 401
    assert fake.messages() == []
    assert store.plans(owner=alice.identity) == []
    # the refused request did not use up the event id: the genuine one is answered
    response = await alice.post(body, "application/json")
    assert response.status_code == 200
    assert "participatieplan" in alice.texts[0]


async def test_request_older_than_five_minutes_is_refused(alice, fake, store):
    response = await alice.post(alice.event_body("hoi"), "application/json", age=301)
    assert response.status_code == 401
    assert fake.messages() == []
    assert store.plans(owner=alice.identity) == []


async def test_unsigned_request_is_refused(http, fake):
    response = await http.post("/slack/events", json={"type": "event_callback"})
    assert response.status_code == 401
    assert [c.method for c in fake.calls] == ["auth.test"]  # the start's, nothing after it


async def test_url_verification_is_answered(alice):
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "unused"})
    response = await alice.post(body, "application/json")
    assert response.status_code == 200
    assert "abc123" in response.text


# ---------------------------------------------------------------------- exactly once
async def test_retried_event_is_handled_once_also_after_a_restart(
    alice, fake, settings, engine, store
):
    body = alice.event_body("hoi", event_id="EvRETRY")
    await alice.post(body, "application/json")
    sent = len(fake.messages())
    assert sent >= 1 and "Hoe heet je opgave" in alice.last  # welcome and the first question

    retry = {"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"}
    response = await alice.post(body, "application/json", headers=retry)
    assert response.status_code == 200
    assert len(fake.messages()) == sent

    # a new process with the same database still knows the event
    again = SlackChannel(slack_settings(settings, fake), engine, store)
    app = Starlette(routes=again.routes())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x") as c:
        headers = signed(body, "application/json") | {"X-Slack-Retry-Num": "2"}
        response = await c.post("/slack/events", content=body, headers=headers)
        await again.idle()
    assert response.status_code == 200
    assert len(fake.messages()) == sent


# ---------------------------------------------------------------------- buttons and dates
async def test_button_answers_the_question_and_closes_it(alice, fake):
    await alice.dm("hoi")
    await alice.dm("Ontmoetingsplek Parkstraat")
    question = alice.posted()[-1]
    assert "In welke gemeente" in shown_text(question)
    assert "Heerlen" in dict(buttons(question))

    response = await alice.press("Heerlen")
    assert response.status_code == 200
    assert "Wie neemt het initiatief" in alice.last
    [update] = fake.called("chat.update")
    assert update.args["ts"] == question["ts"]
    assert not any(b["type"] == "actions" for b in update.args["blocks"])
    assert "→ Heerlen" in shown_text(update.args)

    # a second press on the same (old) question does not answer the next one
    count = len(alice.texts)
    await alice.press("Heerlen")
    assert len(alice.texts) == count

    await alice.dm("samenvatting")
    summary = "\n".join(alice.texts[count:])
    assert "In welke gemeente" in summary and "heerlen" in summary.lower()


async def test_a_button_under_an_earlier_question_does_not_answer_the_current_one(
    alice, fake, store
):
    await alice.dm("hoi")
    await alice.dm("Buurtmoestuin")
    gemeente = alice.posted()[-1]
    await alice.dm("leidn")  # typed, not pressed: the buttons stay under that question
    assert "Wie neemt het initiatief" in alice.last
    count = len(alice.texts)

    # 'Heerlen' (value 2) answered 'Wie neemt het initiatief?' with 'inwoners'
    await alice.press("Heerlen")
    assert len(alice.texts) == count  # no answer, no next question
    [record] = store.plans(owner=alice.identity)
    assert record.data["gemeente"] == "leiden" and "initiatiefnemer_type" not in record.data
    [update] = fake.called("chat.update")
    assert update.args["ts"] == gemeente["ts"]
    assert not any(b["type"] == "actions" for b in update.args["blocks"])
    assert "Deze knop hoort bij een eerdere vraag" in shown_text(update.args)

    # the buttons of the question asked now still answer it
    await alice.press("maatschappelijke organisatie")
    assert "naam van de initiatiefnemer" in alice.last
    [record] = store.plans(owner=alice.identity)
    assert record.data["initiatiefnemer_type"] == "maatschappelijke organisatie"


async def test_datepicker_answers_a_date_question_and_typed_dates_still_work(alice):
    await alice.dm("hoi")
    until = next(i for i, (fragment, _) in enumerate(SCRIPT) if "besluit over" in fragment)
    await alice.answer(SCRIPT[:until])
    assert "besluit over de opgave" in alice.last
    assert has_datepicker(alice.posted()[-1])

    await alice.pick_date("2026-06-01")
    assert "Welke neem je over" in alice.last  # the middelen proposed for the level and area
    await alice.dm("samenvatting")
    summary = "\n".join(alice.texts[-3:])
    assert "1 juni 2026" in summary


async def test_a_changed_message_is_answered_and_the_first_version_stays(alice, store):
    await alice.dm("hoi")
    await alice.dm("Buurtmoestuun")
    count = len(alice.texts)
    # Slack says 'changed' when it adds a link preview, and when the bot closes a question
    await alice.edit("Buurtmoestuun", "Buurtmoestuun", attachments=[{"title": "x"}])
    await alice.edit("Buurtmoestuun", "Buurtmoestuin", bot_id="B0BOT")
    assert len(alice.texts) == count
    # the typo put right after sending: nothing was said
    await alice.edit("Buurtmoestuun", "Buurtmoestuin")
    assert "Je hebt een bericht aangepast" in alice.last and "Typ 'terug'" in alice.last
    assert store.plans(owner=alice.identity)[0].data["titel"] == "Buurtmoestuun"
    await alice.press("Leiden")  # the question asked stays the one to answer
    assert "Wie neemt het initiatief" in alice.last


async def test_a_thumbs_up_answers_yes_as_it_does_elsewhere(alice, store):
    await alice.dm("hoi")
    for answer in ("Lindenplein", "Leiden", "gemeente", "Team Openbare Ruimte", "college"):
        await alice.dm(answer)
    assert "leefomgeving" in alice.last
    # 👍 arrives as ':+1:': it got 'Antwoord met ja of nee'
    await alice.dm(":+1::skin-tone-3:")
    assert "veel partijen" in alice.last
    await alice.dm(":thumbsdown:")
    assert "veel verschillende belangen" in alice.last
    data = store.plans(owner=alice.identity)[0].data
    assert (data["grote_wijziging"], data["veel_actoren"]) == (True, False)
    # other names and colons stay as typed
    assert from_slack("om 19:30:00 :tada: en :x-ray:") == "om 19:30:00 :tada: en :x-ray:"


async def test_several_options_are_boxes_to_tick_and_send(alice, fake, store):
    await alice.dm("hoi")
    until = next(i for i, (f, _) in enumerate(SCRIPT) if "doel van de participatie" in f)
    await alice.answer(SCRIPT[:until])
    doel = alice.posted()[-1]
    # 'Kies er een of meer' had one button per option: a press answered with that one alone
    assert boxes(doel) == ["samen denken", "samen doen", "samen beslissen", "samen leren"]
    assert [label for label, _ in buttons(doel)] == ["Verstuur"]
    await alice.tick()  # nothing ticked: said so, the question stays open
    assert "Vink eerst aan" in alice.last
    assert "doelen" not in store.plans(owner=alice.identity)[0].data
    await alice.tick("samen denken", "samen leren")
    assert "Welk niveau" in alice.last
    assert store.plans(owner=alice.identity)[0].data["doelen"] == ["samen denken", "samen leren"]
    [update] = fake.called("chat.update")
    assert update.args["ts"] == doel["ts"]
    assert "→ samen denken, samen leren" in shown_text(update.args)
    assert not any(b["type"] == "actions" for b in update.args["blocks"])


# ---------------------------------------------------------------------- slash command
async def test_slash_command_help_answers_in_the_dm(alice, fake):
    response = await alice.command("hulp")
    assert response.status_code == 200
    # acked at once, with a word in the channel (nothing showed there) that the answer is in
    # the direct messages
    assert "privéberichten" in response.text  # a plain text answer: shown only to them
    assert fake.called("conversations.open")[0].args["users"] == alice.user
    shown = "\n".join(alice.texts)
    assert "Hoe heet je opgave" in shown
    assert "Waarom vragen we dit?" in shown
    # typed in the direct message itself: the answer follows right there, no notice
    response = await alice.command("status", channel=alice.dm_id)
    assert response.status_code == 200 and response.text == ""


async def test_slash_command_answers_like_a_dm(alice):
    await alice.command("")
    assert "Hoe heet je opgave" in alice.last
    await alice.command("Ontmoetingsplek Parkstraat")
    assert "In welke gemeente" in alice.last


# ---------------------------------------------------------------------- limits
async def test_rate_limit_answer_is_honoured(alice, fake):
    fake.rate_limit("chat.postMessage", times=1)
    await alice.dm("hoi")
    posts = fake.called("chat.postMessage")
    assert posts[0].status == 429
    assert posts[1].status == 200 and posts[1].args == posts[0].args  # the same message again
    assert "participatieplan" in alice.texts[0]
    assert "Hoe heet je opgave" in alice.last


def test_long_text_is_split_at_slacks_limit():
    lines = [f"{i}. Antwoord met wat uitleg over de opgave en de buurt." for i in range(200)]
    reply = Reply("\n".join(lines), kind="summary")
    messages = to_messages(reply)
    assert len(messages) > 1
    shown = [shown_text(m) for m in messages]
    assert all(len(s) <= 3000 for s in shown)
    assert "\n".join(shown).splitlines() == lines
    assert split_text("x" * 7000, 3000) == ["x" * 3000, "x" * 3000, "x" * 1000]


def test_question_shows_progress_and_buttons():
    reply = Reply(
        "Welk niveau kies je?",
        kind="question",
        input="choice",
        choices=[Choice("raadplegen", "1"), Choice("adviseren", "2")],
        progress=(4, 30),
    )
    [message] = to_messages(reply)
    assert shown_text(message).splitlines() == ["Vraag 4 van ongeveer 30", "Welk niveau kies je?"]
    assert buttons(message) == [("raadplegen", "1"), ("adviseren", "2")]


def test_text_is_shown_as_typed():
    [message] = to_messages(Reply("Ontwerpavond <met> schetsen & *koffie*"))
    assert shown_text(message) == "Ontwerpavond <met> schetsen & *koffie*"
    # the notification text is mrkdwn: its specials are escaped
    assert message["text"] == "Ontwerpavond &lt;met&gt; schetsen &amp; *koffie*"


async def test_messages_are_paced_per_channel():
    pacer = Pace(per_key=20, burst=3, safety=1.0)
    start = time.monotonic()
    for _ in range(3):
        await pacer.wait("D1")
    assert time.monotonic() - start < 0.04  # a short burst goes at once
    for _ in range(3):
        await pacer.wait("D1")
    assert time.monotonic() - start >= 0.14  # then 20 a second
    other = time.monotonic()
    await pacer.wait("D2")
    assert time.monotonic() - other < 0.04  # another channel does not wait


# ---------------------------------------------------------------------- many people
async def test_two_people_at_once_are_not_crossed(alice, bob, store):
    await asyncio.gather(alice.dm("hoi"), bob.dm("hallo"))
    titles = {alice: "Ontmoetingsplek Parkstraat", bob: "Speeltuin Bosrand"}
    gemeenten = {alice: "Heerlen", bob: "Heemstede"}
    await asyncio.gather(*(u.dm(titles[u]) for u in (alice, bob)))
    await asyncio.gather(*(u.dm(gemeenten[u]) for u in (alice, bob)))
    for user, other in ((alice, bob), (bob, alice)):
        [record] = store.plans(owner=user.identity)
        assert record.data["titel"] == titles[user]
        assert record.data["gemeente"] == gemeenten[user].lower()
        assert "Wie neemt het initiatief" in user.last
        assert not any(titles[other] in t for t in user.texts)


async def test_one_persons_quick_messages_are_answered_in_order(alice, channel, store):
    await alice.dm("hoi")
    before = len(alice.texts)
    # sent before the first is answered; each answer says something, then asks again
    for text in ("Ontmoetingsplek Parkstraat", "status", "hulp"):
        await alice.dm(text, wait=False)
    await channel.idle()
    [record] = store.plans(owner=alice.identity)
    assert record.data["titel"] == "Ontmoetingsplek Parkstraat"
    texts = alice.texts[before:]
    assert len(texts) == 3  # one message per answer, the question last in it
    assert "In welke gemeente" in texts[0]
    assert texts[1].index("1 van ongeveer") < texts[1].index("In welke gemeente")
    hulp = [texts[2].index(s) for s in ("Waarom vragen", "Je kunt altijd", "In welke gemeente")]
    assert hulp == sorted(hulp)


# ---------------------------------------------------------------------- modes and settings
async def test_socket_mode_receives_events_over_the_websocket(settings, engine, store, fake):
    ch = SlackChannel(slack_settings(settings, fake, slack_app_token=fake.app_token), engine, store)
    await ch.start()
    try:
        await fake.wait_for_socket()
        event = json.loads(SlackUser(None, fake, ch, "U0SOCK").event_body("hoi"))
        await fake.push(
            {
                "envelope_id": "env-1",
                "type": "events_api",
                "accepts_response_payload": False,
                "retry_attempt": 0,
                "retry_reason": "",
                "payload": event,
            }
        )
        async with asyncio.timeout(5):
            while not fake.socket_acks or not fake.texts("DU0SOCK"):
                await asyncio.sleep(0.02)
            await ch.idle()
    finally:
        await ch.stop()
    assert fake.socket_acks[0]["envelope_id"] == "env-1"
    assert fake.called("apps.connections.open")[0].token == fake.app_token
    assert "Hoe heet je opgave" in fake.texts("DU0SOCK")[-1]


async def test_start_fails_on_a_token_slack_rejects(settings, engine, store, fake):
    from slack_sdk.errors import SlackApiError

    bad = slack_settings(settings, fake, slack_bot_token="xoxb-wrong")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        await SlackChannel(bad, engine, store).start()


def test_enabled_needs_a_token_and_a_way_in(settings: Settings, store: Store):
    assert not enabled(settings)
    assert not enabled(settings.model_copy(update={"slack_bot_token": "xoxb-1"}))
    assert enabled(
        settings.model_copy(update={"slack_bot_token": "x", "slack_signing_secret": "s"})
    )
    assert enabled(settings.model_copy(update={"slack_bot_token": "x", "slack_app_token": "a"}))


def test_manifest_points_slack_at_the_routes_the_channel_serves(channel):
    manifest = yaml.safe_load((ROOT / "slack-manifest.yaml").read_text(encoding="utf-8"))
    [route] = channel.routes()
    url = f"<PUBLIC_URL>{route.path}"
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["request_url"] == url
    assert settings["event_subscriptions"]["bot_events"] == ["message.im", "app_home_opened"]
    assert settings["interactivity"] == {"is_enabled": True, "request_url": url}
    [command] = manifest["features"]["slash_commands"]
    assert (command["command"], command["url"]) == (COMMAND, url)
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "chat:write",
        "im:history",
        "im:read",
        "im:write",
        "commands",
        "files:read",  # a CSV the owner shares in the direct message
        "files:write",
    }
