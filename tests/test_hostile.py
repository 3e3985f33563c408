"""Hostile input at every kind of question, through the engine and through Telegram and Slack.

Whatever is typed: no failure ('Er ging bij mij iets mis'), an answer within a second, nothing
already given lost, and documents that still open in Word (python-docx) and LibreOffice.
The interview is walked once per database; every input then starts from a stored snapshot of
the question it is aimed at.
"""

from __future__ import annotations

import asyncio
import io
import re
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import docx
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from bot.app import build_engine
from bot.channels.console import run_console
from bot.channels.slack import to_messages
from bot.channels.telegram import message_text, split_message
from bot.engine import Engine, Reply
from bot.settings import Settings
from bot.storage import Store
from handreiking.documents import document_text
from handreiking.models import Plan
from handreiking.openbaar import render_openbaar
from handreiking.profiles import load_profile
from tests.conftest import NOW, Chat, postgres_schema
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.interviews import LEIDEN
from tests.test_cli import convert_to_pdf
from tests.test_delivery import make_plan
from tests.test_slack import SlackUser, slack_people

BIG = 200_000
FAILED = "Er ging bij mij iets mis"
HOSTILE = [
    # nothing, or only what is not text
    "",
    "   ",
    "\t\r\n",
    "\x00",
    "titel\x00met nul",
    "\x07\x08\x1b[31mrood\x1b[0m\x7f",
    "\u202eniets is wat het lijkt\u202c",
    "\u200b\u200c\u200d\ufeff",
    "nul\u200bbreedte",
    "\ud800",
    "half\udfffteken",
    "\ufffd\ufffe",
    "regel een\r\nregel twee\r\n",
    "alleen\rCR",
    "a\u0301" * 500,
    "\U0010ffff\U0001f600" * 100,
    "🎉" * 2000,
    # markup, templates, queries
    "<script>alert(1)</script>",
    "<b>vet</b> &amp; &lt; &#0; &",
    '</w:t></w:r><w:r><w:t xml:space="preserve">XML in Word',
    "<![CDATA[ ]]> <!-- -->",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    "'; DROP TABLE plans; --",
    "1' OR '1'='1",
    "Robert'); DROP TABLE persons;--",
    "{{7*7}}",
    "{{7*7}}: een reactie",
    "{{ x",
    "{% for i in range(10**9) %}x{% endfor %}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    '{{"x"*10**8}}',
    "{%p if x %}{%tr for r in x %}{#",
    "{{ titel }} {{ profile }}",
    "${7*7} #{7*7} %s%s%n {0} {titel}",
    # paths, links, addresses
    "/etc/passwd",
    "/etc/hosts.csv",
    "../../var/participatiebot.db",
    "~/.ssh/id_rsa",
    "file:///etc/passwd",
    "<mailto:a@example.org|a@example.org>",
    "a@example.org\r\nBcc: b@example.org",
    # what people really type that cannot be read
    "31-02-2027",
    "1-1-1900",
    "2000-1000",
    "ergens in het voorjaar",
    "ideeënmarkt",
    "99999999999999999999999",
    "-5",
    "1e308",
    "NaN",
    "€ -1.000.000.000.000",
    "١٢-٣-٢٠٢٦",
    "afwijken, omdat {{7*7}}",
    "verwijder 99999999999999999999",
    "/start@ander_bot",
    # long answers, and the shapes that make a slow pattern slow
    "x" * BIG,
    "é" * (BIG // 2),
    "a@" * (BIG // 2),
    "mevrouw " + "A. " * (BIG // 3 - 3),
    "Anna van de " * (BIG // 12),
    "0 " * (BIG // 2),
    "regel\n" * (BIG // 6),
    "{{" * (BIG // 2),
]
assert len(HOSTILE) >= 50


@dataclass
class Snapshot:
    """A person at one question: the plan's answers and the interview state, as stored."""

    identity: str
    plan_id: str
    data: dict[str, Any]
    state: dict[str, Any]
    question: str


@dataclass
class Prepared:
    settings: Settings
    store: Store
    positions: dict[str, Snapshot]


def _snapshot(store: Store, identity: str, question: str) -> Snapshot:
    record = store.plans(owner=identity)[-1]
    state = store.state(identity, record.id)
    return Snapshot(identity, record.id, dict(record.data), state, question)


def restore(store: Store, at: Snapshot) -> None:
    store.save(at.identity, at.plan_id, dict(at.data), dict(at.state), status="concept")
    store.update_person(at.identity, active_plan_id=at.plan_id)


async def _prepare(
    settings: Settings, store: Store, who: str = "console:vijand", closer: str = "console:afronder"
) -> dict[str, Snapshot]:
    """Walk the Leiden interview once as `who`; keep the first question of every kind it asks.
    `closer` owns a plan in uitvoering and stands at the closing interview's CSV question."""
    engine = build_engine(store, settings)
    chat = Chat(engine, who)
    await chat.start(gemeente="leiden")
    positions: dict[str, Snapshot] = {}
    for fragment, answer in LEIDEN:
        q = chat.question
        kind = "item:text" if fragment.startswith("Omschrijf") else q.input or ""
        if kind not in positions:
            positions[kind] = _snapshot(store, chat.identity, q.text)
        await chat.say(answer)
    positions["summary"] = _snapshot(store, chat.identity, chat.question.text)
    # the closing interview's CSV question, which also takes a file
    closing = Chat(engine, closer)
    make_plan(store, owner=closing.identity)
    for answer in ["afronden", "nee, de zaal was dicht", "ja", "weet ik nog niet", "klaar"]:
        await closing.say(answer)
    positions["csv"] = _snapshot(store, closing.identity, closing.question.text)
    return positions


@pytest.fixture(scope="module")
def prepared(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[Prepared]:
    tmp = tmp_path_factory.mktemp(f"hostile-{request.param}")
    settings = Settings(data_dir=tmp / "var", now=datetime.fromisoformat(NOW), _env_file=None)
    if request.param == "postgresql":
        with postgres_schema() as url:
            yield from _prepared(settings.model_copy(update={"database_url": url}))
    else:
        yield from _prepared(settings)


def _prepared(settings: Settings) -> Iterator[Prepared]:
    store = Store(settings.db_url, clock=settings.clock)
    try:
        yield Prepared(settings, store, asyncio.run(_prepare(settings, store)))
    finally:
        store.close()


UNSENDABLE = re.compile("[\ud800-\udfff\x00]")


def sendable(reply: Reply) -> list[str]:
    """What is wrong with a reply as Telegram and Slack would send it."""
    problems = []
    if UNSENDABLE.search(reply.text):
        problems.append("a character no channel can send")
    for chunk in split_message(message_text(reply)):
        if len(chunk.encode("utf-16-le")) // 2 > 4096:
            problems.append("a Telegram message over 4096")
    for message in to_messages(reply):
        if any(len(b["text"]["text"]) > 3000 for b in message["blocks"] if b.get("text")):
            problems.append("a Slack section over 3000")
    return problems


def kept(old: Any, new: Any) -> bool:
    """An answer is still there: the same, or a list or dict that only grew."""
    if isinstance(old, list):
        return isinstance(new, list) and new[: len(old)] == old
    if isinstance(old, dict):
        return isinstance(new, dict) and all(new.get(k) == v for k, v in old.items())
    return new == old


async def _aim(engine: Engine, store: Store, at: Snapshot, text: str) -> list[str]:
    """Send `text` at the snapshot's question; what broke (empty when nothing did)."""
    restore(store, at)
    started = time.monotonic()
    replies = await engine.handle(at.identity, text)
    took = time.monotonic() - started
    problems = [p for reply in replies for p in sendable(reply)]
    return problems + broken(store, at, "\n".join(r.text for r in replies), took)


def broken(store: Store, at: Snapshot, shown: str, took: float) -> list[str]:
    """The invariants after a message at `at`: an answer, no failure, in time, nothing lost."""
    problems = []
    if not shown.strip():
        problems.append("no reply")
    if FAILED in shown:
        problems.append("failed")
    # a guard against superlinear work (a quadratic check took a minute on 100k characters),
    # loose enough for a busy two-core machine; speed itself is measured in bench/
    if took > 5:
        problems.append(f"took {took:.2f} s")
    after = store.plan(at.plan_id).data
    lost = [k for k, v in at.data.items() if v not in (None, "", []) and not kept(v, after.get(k))]
    if lost:
        problems.append(f"lost {lost}")
    return problems


# questions whose answers are stored as typed: these also run on PostgreSQL
STORED_AS_TYPED = {"text", "long_text", "list:text"}
POSITIONS = [
    "text",
    "item:text",
    "long_text",
    "list:text",
    "csv",
    "choice",
    "multi",
    "yesno",
    "email",
    "date",
    "period",
    "number",
    "money",
    "list:choice",
    "summary",
]


def _short(text: str) -> str:
    return repr(text[:30]) + (f"…({len(text)})" if len(text) > 30 else "")


CASES = [("sqlite", p) for p in POSITIONS]
CASES += [("postgresql", p) for p in POSITIONS if p in STORED_AS_TYPED]


@pytest.mark.parametrize(("prepared", "position"), CASES, indirect=["prepared"])
async def test_hostile_input_at_every_kind_of_question(prepared: Prepared, position: str) -> None:
    at = prepared.positions[position]
    engine = build_engine(prepared.store, prepared.settings)
    failures = {}
    for text in HOSTILE:
        problems = await _aim(engine, prepared.store, at, text)
        if problems:
            failures[_short(text)] = problems
    assert not failures, (at.question[:60], failures)


# ---------------------------------------------------------------- documents


def _free_text_answers(script: list[tuple[str, str]], hostile: list[str]) -> list[tuple[str, str]]:
    """The script with every free text replaced by a hostile one, in turn."""
    free = [h for h in hostile if h.strip() and len(h) < 5000 and "\n" not in h.strip()]
    out, n = [], 0
    typed = {"Hoe heet je opgave", "naam van de initiatiefnemer", "inhoudelijk al vast"}
    typed |= {"financieel vast", "vast in het proces", "betekenen deze kaders", "Wat houdt"}
    typed |= {"maatschappelijke waarde", "Welke regels", "Wie doet er mee", "Welke belangen"}
    typed |= {"kosten en baten", "ruimte voor participatie", "Hoe complex", "Waarom past"}
    typed |= {"weeg je de inbreng", "jongeren", "niet vanzelf", "taalbarrières", "Omschrijf"}
    typed |= {"Waar is", "wat er met hun inbreng", "Hoe evalueer", "criteria", "Welke vergoeding"}
    typed |= {"contactpersoon (accounthouder)"}
    for fragment, answer in script:
        if any(fragment.startswith(t) or t in fragment for t in typed):
            answer = f"{free[n % len(free)]} {answer}"
            n += 1
        out.append((fragment, answer))
    return out


async def test_documents_with_hostile_answers_open_in_word_and_libreoffice(
    engine: Engine, tmp_path: Path
) -> None:
    chat = Chat(engine, "console:documenten")
    await chat.start(gemeente="leiden")
    script = _free_text_answers(LEIDEN, HOSTILE)
    # the title also goes into the documents' properties, which Word keeps to 255 characters
    script[0] = (script[0][0], "\x07\x1b[31m {{7*7}} <w:t>&#7; \u202eLindenplein " + "x" * 300)
    for fragment, answer in script:
        assert fragment.lower() in chat.question.text.lower(), (fragment, chat.text[-300:])
        await chat.say(answer)
    await chat.say("ja")
    assert FAILED not in chat.text
    [done] = [r for r in chat.replies if r.kind == "done"]
    assert len(done.documents) == 2
    texts = "\n".join(document_text(path) for path in done.documents)
    for path in done.documents:
        docx.Document(str(path))  # opens in python-docx
    assert "{{7*7}}" in texts and "<script>alert(1)</script>" in texts and "49" not in texts
    # and the version for publication, written from the same answers
    record = engine.store.plans(owner=chat.identity)[0]
    plan, profile = Plan.model_validate(record.data), load_profile("leiden")
    openbaar = render_openbaar(plan, profile, [], tmp_path / "openbaar")
    assert "{{7*7}}" in document_text(openbaar)
    # LibreOffice is slow to start: the plan and its public version
    convert_to_pdf(done.documents[0], tmp_path)
    convert_to_pdf(openbaar, tmp_path)


# ---------------------------------------------------------------- Telegram and Slack


async def test_hostile_messages_through_telegram(
    telegram: FakeTelegramAPI, settings: Settings, store: Store
) -> None:
    api = telegram
    positions = await _prepare(settings, store, "telegram:9001", "telegram:9002")
    failures = {}
    for n, text in enumerate(HOSTILE):
        # every input once, the kinds of question in turn
        at = positions[POSITIONS[n % len(POSITIONS)]]
        restore(store, at)
        user = int(at.identity.removeprefix("telegram:"))
        since = len(api.sent(user))
        started = time.monotonic()
        api.push(api.message(user, text or " "))
        try:
            await api.wait_for(lambda u=user, s=since: api.sent(u)[s:], timeout=5, chat_id=user)
        except TimeoutError:
            failures[_short(text)] = ["no reply"]
            continue
        took = time.monotonic() - started
        while True:  # the rest of the turn's messages follow at once (soon, on a busy machine)
            count = len(api.sent(user))
            await asyncio.sleep(0.1)
            if len(api.sent(user)) == count:
                break
        problems = broken(store, at, "\n".join(api.texts(user)[since:]), took)
        if problems:
            failures[_short(text)] = problems
    assert not api.rejected, api.rejected[:3]
    assert not failures, failures


@pytest.fixture
async def slack(settings: Settings, store: Store) -> AsyncIterator[list[SlackUser]]:
    async with slack_people(settings, store, "U0VIJAND", "U0AFRONDER") as people:
        yield people


async def test_hostile_messages_through_slack(
    slack: list[SlackUser], settings: Settings, store: Store
) -> None:
    people = {person.identity: person for person in slack}
    positions = await _prepare(settings, store, *people)
    failures = {}
    for n, text in enumerate(HOSTILE):
        at = positions[POSITIONS[n % len(POSITIONS)]]
        restore(store, at)
        person = people[at.identity]
        since = len(person.texts)
        started = time.monotonic()
        response = await person.dm(text)
        took = time.monotonic() - started
        problems = broken(store, at, "\n".join(person.texts[since:]), took)
        if response.status_code != 200:
            problems.append(f"HTTP {response.status_code}")
        if problems:
            failures[_short(text)] = problems
    assert not [c for c in slack[0].fake.calls if c.status != 200]
    assert not failures, failures


async def test_bytes_that_are_no_utf8_in_the_console(engine: Engine) -> None:
    raw = b"\xff\xfeTitel \xc3\x28 \xed\xa0\x80 einde\n"
    stdin = io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8")
    out = io.StringIO()
    code = await run_console(engine, "console:bytes", gemeente="leiden", stdin=stdin, stdout=out)
    assert code == 3
    assert "Titel" in engine.store.plans()[0].data["titel"]
    assert "In welke gemeente" in out.getvalue() or "Wie neemt het initiatief" in out.getvalue()


# ---------------------------------------------------------------- any text at all


FRAGMENTS = ["{{", "}}", "{%", "%}", "<w:t>", "&", "\x00", "\ud800", "\u202e", "\r\n", "@", "A. "]


@hsettings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    position=st.sampled_from(POSITIONS),
    text=st.lists(
        st.one_of(
            st.sampled_from(FRAGMENTS),
            st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
        ),
        max_size=8,
    ).map("".join),
)
def test_any_text_at_any_question_keeps_the_interview_whole(
    sqlite_prepared: Prepared, position: str, text: str
) -> None:
    engine = build_engine(sqlite_prepared.store, sqlite_prepared.settings)
    at = sqlite_prepared.positions[position]
    problems = asyncio.run(_aim(engine, sqlite_prepared.store, at, text))
    assert not problems, (position, text, problems)


@pytest.fixture(scope="module")
def sqlite_prepared(tmp_path_factory) -> Iterator[Prepared]:
    tmp = tmp_path_factory.mktemp("hostile-hypothesis")
    settings = Settings(data_dir=tmp / "var", now=datetime.fromisoformat(NOW), _env_file=None)
    yield from _prepared(settings)
