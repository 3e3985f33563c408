"""The closing interview's CSV comes only from what the person gave: pasted text or a file they
sent (a Telegram document, a Slack file, a path in the console, where they sit at the machine).
A path typed in a chat is never read, and the answer does not say whether it exists."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.channels.console import run_console
from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import Chat
from tests.fakes.slack_api import BOT_USER
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.test_delivery import make_plan
from tests.test_slack import SlackUser, slack_people
from tests.test_telegram import document_text, say

CSV = "Reactie;Thema\nMeer bomen op het plein;Groen\nEen zebrapad bij de school;Verkeer\n"
SECRET = "Geheim-serverbestand-regel"
NEUTRAL = "Dat lijkt de naam van een bestand. Stuur het bestand zelf (als bijlage)"


@pytest.fixture
def server_file(tmp_path: Path) -> Path:
    """A readable CSV on the server that no chat user may see."""
    path = tmp_path / "geheim.csv"
    path.write_text(f"Reactie;Thema\n{SECRET};Intern\n", encoding="utf-8")
    return path


async def to_csv(say_: object) -> None:
    for answer in ["afronden", "nee, de zaal was dicht", "ja", "weet ik nog niet", "klaar"]:
        await say_(answer)  # type: ignore[operator]


# ---------------------------------------------------------------- the engine


async def test_a_typed_path_is_never_read_and_never_confirmed(
    engine: Engine, store: Store, server_file: Path
) -> None:
    make_plan(store)
    owner = Chat(engine)
    await to_csv(owner.say)
    assert "CSV" in owner.question.text
    existing = await owner.say(str(server_file))
    missing = await owner.say(str(server_file.with_name("bestaat-niet.csv")))
    assert NEUTRAL in existing and SECRET not in existing
    # the same answer whether the file exists or not
    assert existing == missing
    assert "CSV" in owner.question.text
    assert "inbreng_csv" not in (store.plans()[0].data.get("afronden") or {})


async def test_a_sent_file_answers_the_csv_question(engine: Engine, store: Store) -> None:
    make_plan(store)
    owner = Chat(engine)
    await to_csv(owner.say)
    await owner.send("export.csv", CSV.encode("cp1252"))
    assert owner.question.text.startswith("Welke reacties kwamen er nog meer binnen")
    await owner.say("klaar")
    assert owner.question.text.startswith("Thema Groen (1 reactie).")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"x" * 200_001, "Dat bestand is te groot."),
        (b"PK\x03\x04\x00\x00binary", "Dat bestand is geen tekst."),
        (b"naam;leeftijd\nA;3\n", "Ik vind geen kolom met de reacties."),
    ],
)
async def test_a_file_that_cannot_be_used_gets_one_message_and_the_same_question(
    engine: Engine, store: Store, content: bytes, message: str
) -> None:
    make_plan(store)
    owner = Chat(engine)
    await to_csv(owner.say)
    await owner.send("export.csv", content)
    [error] = [r for r in owner.replies if r.kind == "error"]
    assert error.text.startswith(message)
    assert "CSV" in owner.question.text


async def test_a_file_where_none_is_asked_for_is_not_an_answer(chat: Chat, store: Store) -> None:
    await chat.start(gemeente="leiden")
    await chat.send("titel.txt", b"Herinrichting Lindenplein")
    [error] = [r for r in chat.replies if r.kind == "error"]
    assert error.text == "Bij deze vraag kan ik geen bestand gebruiken. Typ je antwoord."
    assert "Hoe heet je opgave" in chat.question.text
    assert "titel" not in store.plans()[0].data


# ---------------------------------------------------------------- Telegram


async def test_telegram_takes_a_sent_document_and_never_a_server_path(
    telegram: FakeTelegramAPI, store: Store, server_file: Path
) -> None:
    api, user = telegram, 701
    make_plan(store, owner=f"telegram:{user}")
    await say(api, user, "afronden", "doorgegaan?")
    await say(api, user, "nee, de zaal was dicht", "doorgegaan?")
    await say(api, user, "ja", "Hoeveel mensen")
    await say(api, user, "weet ik nog niet", "niet in het plan stond")
    await say(api, user, "klaar", "CSV")
    existing = await say(api, user, str(server_file), "naam van een bestand")
    missing = await say(api, user, str(server_file.with_name("x.csv")), "naam van een bestand")
    assert existing.text == missing.text and SECRET not in existing.text
    since = len(api.sent(user))
    api.push(api.document(user, "doemee-export.csv", CSV.encode()))
    await api.reply(user, "Welke reacties kwamen er nog meer binnen", since)
    assert api.downloads == ["documents/doc1_doemee-export.csv"]
    await say(api, user, "klaar", "Thema Groen (1 reactie)")
    for answer, expect in [
        ("overgenomen", "Waarom?"),
        ("Er komen bomen bij.", "Thema Verkeer"),
        ("niet overgenomen", "Waarom?"),
        ("Daar is geen ruimte voor.", "meegewogen"),
        ("In het ontwerp.", "evaluatie nu vastleggen"),
        ("nee", "voorbeeldenbank"),
        ("nee", "Klopt alles?"),
    ]:
        await say(api, user, answer, expect)
    rapportage = await say(api, user, "ja", "participatierapportage.docx")
    text = document_text(rapportage)
    assert "Meer bomen op het plein" in text and SECRET not in text
    assert not any(SECRET in t for t in api.texts(user))


async def test_telegram_a_document_at_another_question_is_no_answer(
    telegram: FakeTelegramAPI, store: Store
) -> None:
    api, user = telegram, 702
    await say(api, user, "/start", "Hoe heet je opgave")
    since = len(api.sent(user))
    api.push(api.document(user, "plan.csv", CSV.encode(), caption="Lindenplein"))
    await api.reply(user, "Bij deze vraag kan ik geen bestand gebruiken", since)
    await api.reply(user, "Hoe heet je opgave", since)
    assert "titel" not in store.plans()[0].data


# ---------------------------------------------------------------- Slack


@pytest.fixture
async def slack(settings: Settings, store: Store) -> AsyncIterator[SlackUser]:
    async with slack_people(settings, store, "U0FILE") as people:
        yield people[0]


async def test_slack_takes_a_shared_file_and_never_a_server_path(
    slack: SlackUser, store: Store, server_file: Path
) -> None:
    make_plan(store, owner=slack.identity)
    for answer in ["afronden", "nee, de zaal was dicht", "ja", "weet ik nog niet", "klaar"]:
        await slack.dm(answer)
    assert "CSV" in slack.last
    await slack.dm(str(server_file))
    # the refusal and the question again, in one message
    assert NEUTRAL in slack.last and SECRET not in slack.last
    await slack.share("doemee-export.csv", CSV.encode())
    assert "Welke reacties kwamen er nog meer binnen" in slack.last
    downloads = slack.fake.called("files-pri")
    assert [c.token for c in downloads] == [slack.fake.token]
    await slack.dm("klaar")
    assert "Thema Groen (1 reactie)" in slack.last


# ---------------------------------------------------------------- the console


async def test_the_console_reads_a_path_on_its_own_machine(
    engine: Engine, store: Store, tmp_path: Path
) -> None:
    make_plan(store)
    export = tmp_path / "export.csv"
    export.write_text(CSV, encoding="utf-8")
    lines = ["afronden", "nee, de zaal was dicht", "ja", "weet ik nog niet", "klaar"]
    lines += [str(tmp_path / "weg.csv"), str(export), "klaar"]
    out = io.StringIO()
    code = await run_console(
        engine, "console:tester", stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out
    )
    assert code == 3
    shown = out.getvalue()
    assert "(Staat het bestand op deze computer? Typ dan het pad.)" in shown
    assert f"Ik vind het bestand {tmp_path / 'weg.csv'} niet op deze computer." in shown
    assert "Thema Groen (1 reactie)." in shown


async def test_slack_leaves_the_files_the_bot_shared_itself_alone(
    slack: SlackUser, store: Store
) -> None:
    body = json.loads(slack.event_body(""))
    own = slack.fake.share("participatieplan.docx", b"PK\x03\x04")
    body["event"].update(subtype="file_share", user=BOT_USER, files=[own])
    await slack.post(json.dumps(body), "application/json")
    assert slack.fake.called("files-pri") == []
    assert slack.texts == [] and store.plans() == []
