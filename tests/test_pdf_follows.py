"""Documents for publication reach the person as .docx at once and as tagged PDF right after:
the PDF is made by the warm LibreOffice off the turn, then sent as one more message."""

from __future__ import annotations

import asyncio
import io
import shutil
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.app import build_engine
from bot.channels.console import EXIT_COMPLETE, run_console
from bot.channels.later import made
from bot.channels.telegram import TelegramChannel
from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import Chat
from tests.fakes.telegram_api import Call, FakeTelegramAPI
from tests.review_helpers import finish
from tests.test_delivery import make_plan
from tests.test_slack import alice, channel, fake, http  # noqa: F401 - fixtures by name
from tests.test_telegram import after, telegram_settings

VERSLAG = "participatieverslag-aanvraag"
# the tests that make PDFs, all through the session's warm LibreOffice
with_pdf = pytest.mark.usefixtures("_libreoffice")


@pytest.fixture
def _libreoffice() -> None:
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not installed")


@pytest.fixture
async def telegram(
    settings: Settings, store: Store
) -> AsyncIterator[tuple[FakeTelegramAPI, TelegramChannel]]:
    async with FakeTelegramAPI() as api:
        s = telegram_settings(settings, api)
        channel = TelegramChannel(s, build_engine(store, s), store)
        await channel.start()
        yield api, channel
        await channel.stop()


def file(api: FakeTelegramAPI, user: int, name: str) -> Call | None:
    return next((c for c in api.sent(user, "sendDocument") if c.files["document"][0] == name), None)


def document(api: FakeTelegramAPI, user: int, name: str) -> int:
    """Where in the chat the document `name` came (its position among the messages)."""
    sent = api.sent(user)
    return next(i for i, c in enumerate(sent) if c.files.get("document", ("",))[0] == name)


@pytest.mark.pdf
@with_pdf
async def test_telegram_sends_the_verslag_docx_and_then_its_pdf(telegram, store: Store) -> None:
    api, _ = telegram
    make_plan(store, owner="telegram:601")
    api.push(api.message(601, "verslag"))
    text = await api.reply(601, "participatieverslag voor de aanvraag", timeout=30)
    assert "De PDF-versie volgt zo." in text.text
    await api.reply(601, "Hier is de PDF-versie", after(api, 601, text), timeout=60)
    pdf_call = await api.wait_for(lambda: file(api, 601, f"{VERSLAG}.pdf"), 15, 601)
    assert pdf_call.files["document"][1].startswith(b"%PDF")
    # the .docx came with the answer, the PDF after it with a line that says what it is
    assert document(api, 601, f"{VERSLAG}.docx") < document(api, 601, f"{VERSLAG}.pdf")
    ready = api.sent(601)[document(api, 601, f"{VERSLAG}.pdf") - 1]
    assert ready.text == f"Hier is de PDF-versie, klaar om te publiceren: {VERSLAG}.pdf."


@pytest.mark.pdf
@with_pdf
async def test_slack_uploads_the_verslag_docx_and_then_its_pdf(alice, fake, store) -> None:  # noqa: F811
    make_plan(store, owner=alice.identity)
    await alice.dm("verslag")
    assert "De PDF-versie volgt zo." in "\n".join(alice.texts)

    def uploaded() -> bool:
        return any(f.filename == f"{VERSLAG}.pdf" and f.content for f in fake.files.values())

    deadline = time.monotonic() + 60
    while not uploaded() and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    # the .docx went up with the answer, the PDF after it
    assert [f.filename for f in fake.files.values()] == [f"{VERSLAG}.docx", f"{VERSLAG}.pdf"]
    pdf = next(f for f in fake.files.values() if f.filename == f"{VERSLAG}.pdf")
    assert pdf.content.startswith(b"%PDF") and pdf.channel == alice.dm_id
    assert f"Hier is de PDF-versie, klaar om te publiceren: {VERSLAG}.pdf." in alice.texts


@pytest.mark.pdf
@with_pdf
async def test_the_console_prints_the_docx_then_the_pdf(engine: Engine, store: Store) -> None:
    record = make_plan(store)
    out = io.StringIO()
    stdin = io.StringIO("verslag\n")
    code = await run_console(engine, "console:tester", plan_id=record.id, stdin=stdin, stdout=out)
    assert code == EXIT_COMPLETE  # the input ended, the plan's documents are written
    folder = engine.settings.plans_dir / record.id
    lines = out.getvalue().splitlines()
    docx, pdf = str(folder / f"{VERSLAG}.docx"), str(folder / f"{VERSLAG}.pdf")
    assert docx in lines and pdf in lines
    assert lines.index(docx) < lines.index(pdf)
    assert Path(pdf).read_bytes().startswith(b"%PDF")


@pytest.mark.pdf
@with_pdf
async def test_the_closing_reply_brings_the_rapportage_and_its_pdf(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    owner = Chat(engine)
    for answer in [
        "afronden",
        "nee, de zaal was dicht",
        "ja",
        "weet ik nog niet",
        "klaar",
        "overslaan",
    ]:
        await owner.say(answer)
    for answer in ["Groen: Meer bomen", "klaar", "3", "Past niet boven de leidingen.", "-"]:
        await owner.say(answer)
    assert "De projectgroep evalueert" in owner.question.text
    await owner.say("nee")  # the project group evaluates later
    assert "voorbeeldenbank" in owner.question.text
    await owner.say("nee")
    await owner.say("ja")
    [done] = [r for r in owner.replies if r.kind == "done"]
    folder = settings.plans_dir / plan.id
    assert folder / "participatierapportage.docx" in done.documents
    assert "De PDF-versie volgt zo." in done.text
    assert await made(owner.replies) == [folder / "participatierapportage.pdf"]


@pytest.mark.pdf
@with_pdf
async def test_indienen_sends_the_public_version_and_then_its_pdf(
    engine: Engine, store: Store, settings: Settings
) -> None:
    from tests.interviews import LEIDEN

    owner = Chat(engine)
    await finish(owner, LEIDEN, "leiden")
    await owner.say("indienen")
    [reply] = [r for r in owner.replies if r.documents]
    plan_id = store.plans(owner="console:tester")[0].id
    public = settings.plans_dir / plan_id / "participatieplan-openbaar.docx"
    assert reply.documents == [public]
    assert "openbare versie" in reply.text
    assert await asyncio.wait_for(made(owner.replies), 60) == [public.with_suffix(".pdf")]


async def test_without_libreoffice_the_docx_comes_and_no_pdf_is_promised(
    engine: Engine, store: Store
) -> None:
    record = make_plan(store)
    owner = Chat(engine)
    await owner.say("verslag")
    [reply] = owner.replies
    assert reply.documents == [engine.settings.plans_dir / record.id / f"{VERSLAG}.docx"]
    assert "participatieverslag voor de aanvraag" in reply.text
    assert "PDF" not in reply.text
    assert await made(owner.replies) == []
