"""Erasing a plan's owner after the whole lifecycle (submitted, reviewed, vastgesteld, in
uitvoering, mails sent over SMTP on loopback or written as .eml) leaves their name and address
nowhere: not in the database (the SQLite file, every row on PostgreSQL), the data dir, the
documents, the mails kept or the logs. The plan and its frozen versions stay."""

from __future__ import annotations

import email
import io
import logging
import os
import re
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from email import policy
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.app import build_engine
from bot.cli import main
from bot.features import reminders_worker
from bot.settings import Settings
from bot.storage import Store
from bot.storage.lifecycle import Lifecycle
from bot.storage.tables import Base
from handreiking import pdf
from tests.conftest import NOW, Chat
from tests.interviews import LEIDEN
from tests.review_helpers import MailServer, client, finish, form_of, review_link, smtp_settings
from tests.test_review import verdicts

IDENTITY = "console:wietske.proef"
NAAM = "Wiëtske Proefeigenaar"
ADRES = "w.proefeigenaar@example.org"
# the name typed at 'Wat is je naam?' (front page, advisor mail), not the one the chat knows
GETYPT = "Wietske P. Eigenaar"
NEEDLES = [NAAM, ADRES, IDENTITY, GETYPT]
SCRIPT = [(q, {"herinneringen": ADRES, "Wat is je naam": GETYPT}.get(q, a)) for q, a in LEIDEN]


def readable(name: str, raw: bytes) -> bytes:
    """What a person could read in a file: a Word file's XML, a mail's decoded parts (and the
    Word files attached to it), else the bytes as they are."""
    if raw.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            return b"\n".join(z.read(n) for n in z.namelist())
    if name.endswith(".eml") or re.match(rb"(?i)^[\w-]+: ", raw):
        msg = email.message_from_bytes(raw, policy=policy.default)
        parts = [raw]
        for part in msg.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            data = content if isinstance(content, bytes) else str(content).encode()
            parts.append(readable(part.get_filename() or "", data))
        return b"\n".join(parts)
    return raw


def found_in(name: str, raw: bytes) -> list[str]:
    seen = readable(name, raw)
    return [n for n in NEEDLES if n.encode() in seen or n.encode("utf-16-le") in seen]


def leftovers(settings: Settings, db_url: str) -> dict[str, list[str]]:
    """Every place that still names the owner: files under the data dir, the SQLite files,
    and every row of every table (read as text, mails decoded)."""
    hits: dict[str, list[str]] = {}
    files = [p for p in settings.data_dir.rglob("*") if p.is_file()]
    if db_url.startswith("sqlite:///"):
        db = Path(db_url.removeprefix("sqlite:///"))
        files += [p for p in db.parent.glob(db.name + "*") if p.is_file()]
    for path in files:
        if found := found_in(path.name, path.read_bytes()):
            hits[str(path)] = found
    engine = create_engine(db_url)
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            for row in conn.execute(table.select()):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    if found := found_in("", raw):
                        hits.setdefault(f"table {table.name}", []).extend(found)
        if engine.dialect.name == "postgresql":
            # the whole row as PostgreSQL writes it, JSON and all
            for table in Base.metadata.sorted_tables:
                rows = conn.execute(text(f'SELECT CAST(t AS text) FROM "{table.name}" t'))
                for (row,) in rows:
                    if found := [n for n in NEEDLES if n in row]:
                        hits.setdefault(f"row of {table.name}", []).extend(found)
    engine.dispose()
    return hits


@pytest.fixture
def cli_env(settings: Settings, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for key in list(os.environ):
        if key.startswith(("PARTICIPATIEBOT_", "TELEGRAM_", "SLACK_", "SMTP_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("PARTICIPATIEBOT_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("PARTICIPATIEBOT_DATABASE_URL", db_url)
    monkeypatch.setenv("PARTICIPATIEBOT_NOW", NOW)
    level = logging.getLogger().level
    yield
    logging.getLogger().setLevel(level)


@pytest.mark.parametrize("mail", ["smtp", "eml"])
async def test_erasing_the_owner_after_the_whole_lifecycle_leaves_nothing(
    cli_env: None,
    settings: Settings,
    db_url: str,
    mail: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    main(["db", "upgrade"])  # the command line logs to <data dir>/logs, as in production
    capsys.readouterr()
    smtp = MailServer().start() if mail == "smtp" else None
    s = settings.model_copy(update={"database_url": db_url})
    if smtp:
        s = smtp_settings(s, smtp.port)
    store = Store(s.db_url, clock=s.clock)
    try:
        owner = Chat(build_engine(store, s), IDENTITY)
        await finish(owner, SCRIPT, "leiden", naam=NAAM)
        await owner.say("indienen")
        plan_id = store.plans()[0].id
        if smtp:
            [to_advisor] = smtp.to("participatie-leiden@example.org")
            link = review_link(to_advisor)
        else:
            eml = re.search(r"\S+\.eml", owner.text).group()
            link = review_link(
                email.message_from_bytes(Path(eml).read_bytes(), policy=policy.default)
            )
        async with client(s, store) as web:
            page = (await web.get(link)).text
            reviewed = await web.post(
                f"/adviseur/plannen/{plan_id}/beoordeling", data=verdicts(page)
            )
            assert reviewed.status_code == 303
            page = (await web.get(link)).text
            adopted = await web.post(
                f"/adviseur/plannen/{plan_id}/vaststelling",
                data={**form_of(page), "datum": "2026-01-09", "besluit": "Collegebesluit 2026/17"},
            )
            assert adopted.status_code == 303
            page = (await web.get(link)).text
            started = await web.post(f"/adviseur/plannen/{plan_id}/uitvoering", data=form_of(page))
            assert started.status_code == 303
        # a reminder to the owner by mail, a month on
        await reminders_worker.send_once(s, store, s.clock() + timedelta(days=30))
        if smtp:
            assert smtp.to(ADRES), "the owner got no mail"
        pdf.settle()  # the adopted plan's PDFs are made in the background
        before = leftovers(s, db_url)
        assert any("table plan_versions" in k for k in before), before
        # the mail log names the owner's address (mail sent over SMTP is logged)
        assert any(k.endswith(".log") for k in before) == bool(smtp), before
    finally:
        store.close()
        if smtp:
            smtp.stop()

    code = main(["privacy", "erase", "--persoon", IDENTITY, "--yes"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out.startswith(f"gegevens van {IDENTITY} gewist (")

    assert leftovers(s, db_url) == {}
    store = Store(s.db_url, clock=s.clock)
    try:
        record = store.plan(plan_id)
        assert record.titel == "Herinrichting Lindenplein" and record.owner == "gewist"
        assert not record.data.get("eigenaar_email") and not record.data.get("eigenaar_naam")
        versions = Lifecycle(store).versions(plan_id)
        assert [v.reason for v in versions] == ["ingediend", "vastgesteld"]
        assert {v.data["eigenaar_email"] for v in versions} == {"gewist"}
        assert {v.data["eigenaar_naam"] for v in versions} == {"gewist"}
        assert all(v.data["titel"] == "Herinrichting Lindenplein" for v in versions)
    finally:
        store.close()
