"""Reminders from a plan's planning: the pure schedule, and a Leiden plan day by day through
`participatiebot reminders due|send --at`, with rescheduling and the silent-owner proposal."""

from __future__ import annotations

import email
import re
from datetime import UTC, date, datetime, timedelta
from email import policy
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.applications import Starlette

from bot import participant_pages
from bot.app import build_engine
from bot.cli import main
from bot.features import participants, reminders_worker
from bot.settings import Settings
from bot.storage import Store
from bot.storage.participant_tables import OutboxMessage
from handreiking.models import Plan
from handreiking.profiles import load_profile
from handreiking.reminders import due, in_window, reminders, time_in, window_start
from tests.conftest import Chat
from tests.test_delivery import LEIDEN_PLAN, add_participants, make_plan

LEIDEN = load_profile("leiden")
STANDAARD = load_profile("standaard")
AMS = "+01:00"


def plan(**changes: Any) -> Plan:
    return Plan.model_validate({**LEIDEN_PLAN, **changes})


# ---------------------------------------------------------------------- the pure schedule
def test_the_leiden_schedule() -> None:
    got = [(r.kind, r.audience, r.start, r.end) for r in reminders(plan(), LEIDEN)][:8]
    assert got == [
        # 21 days notice before 12 March is 19 February; prepared 14 days before that
        ("aankondiging_voorbereiden", "owner", date(2026, 2, 5), date(2026, 2, 18)),
        ("aankondiging_versturen", "owner", date(2026, 2, 19), date(2026, 3, 11)),
        ("inbreng_open", "participants", date(2026, 3, 1), date(2026, 3, 25)),
        ("bijeenkomst_morgen", "participants", date(2026, 3, 11), date(2026, 3, 11)),
        ("inbreng_sluit", "participants", date(2026, 3, 26), date(2026, 3, 28)),
        # every 4 weeks from the first activity (1 March)
        ("update", "owner", date(2026, 3, 29), date(2026, 4, 2)),
        ("afronden", "owner", date(2026, 3, 30), date(2026, 4, 13)),
        ("update_voorstel", "owner", date(2026, 4, 3), date(2026, 4, 25)),
    ]


def test_reminder_texts_say_what_when_and_where() -> None:
    by_kind = {r.kind: r.text for r in reminders(plan(), LEIDEN)}
    assert by_kind["bijeenkomst_morgen"] == (
        "Morgen is het zover: Ontwerpavond (bijeenkomst) over Herinrichting Lindenplein, "
        "op 12 maart 2026 om 19:30 in Buurthuis De Linde. Je bent welkom!"
    )
    assert by_kind["inbreng_sluit"] == (
        "Nog 3 dagen: Reageren op schetsen (online inbreng) over Herinrichting Lindenplein "
        "sluit op 29 maart 2026. Heb je al meegedaan?"
    )
    assert by_kind["aankondiging_voorbereiden"].startswith(
        "Uiterlijk 19 februari 2026 moet de aankondiging van 'Ontwerpavond' "
        "(bijeenkomst op 12 maart 2026) de deur uit. Een brief moet nog gedrukt"
    )
    assert "Die moet klaar zijn op 3 september 2026." in by_kind["afronden"]
    assert "evaluatieformulier" in by_kind["afronden"]


def test_a_meeting_without_a_time_says_where_to_find_it() -> None:
    activiteit = {**LEIDEN_PLAN["activiteiten"][0], "plaats": "De Bibliotheek"}
    text = {r.kind: r.text for r in reminders(plan(activiteiten=[activiteit]), LEIDEN)}
    assert (
        "op 12 maart 2026 in De Bibliotheek. Je bent welkom! Kijk in de uitnodiging"
        in (text["bijeenkomst_morgen"])
    )


def test_an_earlier_planned_aankondiging_and_the_general_advice() -> None:
    early = {**LEIDEN_PLAN["activiteiten"][0], "aankondiging": "2026-02-10"}
    kinds = {r.kind: r.start for r in reminders(plan(activiteiten=[early]), LEIDEN)}
    assert kinds["aankondiging_versturen"] == date(2026, 2, 10)
    assert kinds["aankondiging_voorbereiden"] == date(2026, 1, 27)
    # a gemeente without its own notice rule: the handreiking's 3 weeks
    standaard = {r.kind: r.start for r in reminders(plan(gemeente="standaard"), STANDAARD)}
    assert standaard["aankondiging_versturen"] == date(2026, 2, 19)


def test_no_reminder_to_announce_a_meeting_the_owner_said_needs_no_announcement() -> None:
    # 'hoeft niet' at 'Wanneer kondig je de bijeenkomst aan?'
    geen = {**LEIDEN_PLAN["activiteiten"][0], "aankondiging": None, "nvt": ["aankondiging"]}
    texts = [r.text for r in reminders(plan(activiteiten=[geen]), LEIDEN)]
    assert any("Morgen is het zover: Ontwerpavond" in text for text in texts)
    assert not [text for text in texts if "aankondiging" in text]


def test_the_plans_own_update_rhythm() -> None:
    updates = [r.start for r in reminders(plan(update_ritme_weken=2), LEIDEN) if r.kind == "update"]
    assert updates[:3] == [date(2026, 3, 15), date(2026, 3, 29), date(2026, 4, 12)]


@pytest.mark.parametrize(
    ("moment", "inside"),
    [
        ("2026-03-11T08:59:00+01:00", False),
        ("2026-03-11T09:00:00+01:00", True),
        ("2026-03-11T19:59:00+01:00", True),
        ("2026-03-11T20:00:00+01:00", False),
        ("2026-07-01T07:30:00+00:00", True),  # 09:30 in Amsterdam summer time
        ("2026-07-01T18:30:00+00:00", False),  # 20:30 in Amsterdam
    ],
)
def test_only_between_nine_and_eight_in_amsterdam(moment: str, inside: bool) -> None:
    at = datetime.fromisoformat(moment)
    assert in_window(at) is inside
    eve = [r for r in reminders(plan(), LEIDEN) if r.kind == "bijeenkomst_morgen"]
    if at.date() == date(2026, 3, 11):
        assert bool(due(eve, at)) is inside


def test_window_start_is_the_next_nine_oclock() -> None:
    late = datetime.fromisoformat("2026-03-11T21:15:00+01:00")
    assert window_start(late).isoformat() == "2026-03-12T09:00:00+01:00"
    early = datetime.fromisoformat("2026-03-11T06:00:00+01:00")
    assert window_start(early).isoformat() == "2026-03-11T09:00:00+01:00"


def test_time_in_text() -> None:
    assert time_in("Buurthuis, 19.30 uur") == "19:30"
    assert time_in("om 20 uur in de kerk") == "20:00"
    assert time_in("Zaal 2026") is None


# ---------------------------------------------------------------------- the command line
@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv("PARTICIPATIEBOT_DATA_DIR", str(tmp_path / "var"))
    for name in ("PARTICIPATIEBOT_DATABASE_URL", "TELEGRAM_TOKEN", "SMTP_HOST", "SLACK_BOT_TOKEN"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def leiden_store(tmp_path: Path) -> tuple[Store, Settings, str]:
    settings = Settings(
        data_dir=tmp_path / "var",
        now=datetime.fromisoformat("2026-01-12T10:00:00+01:00"),
        _env_file=None,
    )
    store = Store(settings.db_url, clock=settings.clock)
    record = make_plan(store)
    now = settings.clock()
    add_participants(store, record.id, ["email:buur@example.org", "telegram:4001"], now)
    return store, settings, record.id


def new_kinds(out: str) -> list[str]:
    """The reminders `reminders due` lists that are not waiting in the outbox already."""
    kinds = []
    for line in out.splitlines():
        cols = line.split("\t")
        if len(cols) >= 4 and "wacht" not in cols[3]:
            kinds.append(cols[3])
    return kinds


def mails(tmp_path: Path) -> list[email.message.EmailMessage]:
    folder = tmp_path / "var" / "outbox"
    return [
        email.message_from_bytes(p.read_bytes(), policy=policy.default)
        for p in sorted(folder.glob("*.eml"), key=lambda p: int(p.stem))
    ]


def test_a_leiden_plan_day_by_day(tmp_path: Path, cli) -> None:
    store, _settings, plan_id = leiden_store(tmp_path)
    store.close()
    seen: dict[str, list[str]] = {}
    day = date(2026, 2, 1)
    while day <= date(2026, 4, 10):
        code, out, err = cli("reminders", "due", "--at", f"{day.isoformat()}T10:00")
        assert code == 0, err
        kinds = new_kinds(out)
        if kinds:
            seen[day.isoformat()] = kinds
            code, out, err = cli("reminders", "send", "--at", f"{day.isoformat()}T10:00")
            assert code == 0, err
            assert out.startswith("verstuurd: ")
            if day >= date(2026, 3, 1):
                # Telegram is not configured here: its messages wait, nothing is lost
                assert "berichten wachten op een kanaal dat uit staat: telegram" in out
        day += timedelta(days=1)
    assert seen == {
        "2026-02-05": ["aankondiging_voorbereiden"],
        "2026-02-19": ["aankondiging_versturen"],
        "2026-03-01": ["inbreng_open"],
        "2026-03-11": ["bijeenkomst_morgen"],
        "2026-03-26": ["inbreng_sluit"],
        "2026-03-29": ["update"],
        "2026-03-30": ["afronden"],
        "2026-04-03": ["update_voorstel"],
    }
    got = [(m["To"], m["Subject"], m.get_content()) for m in mails(tmp_path)]
    to_owner = [body for to, _, body in got if to == "eigenaar@example.org"]
    to_buur = [body for to, _, body in got if to == "buur@example.org"]
    assert len(to_owner) == 5 and len(to_buur) == 3
    assert to_owner[0].startswith("Uiterlijk 19 februari 2026 moet de aankondiging")
    assert f"(Plan {plan_id}: Herinrichting Lindenplein)" in to_owner[0]
    assert "om 19:30 in Buurthuis De Linde" in to_buur[1]
    assert "Namens Team Openbare Ruimte (Leiden)." in to_buur[1]
    assert all("Meld je af met één klik" in body for _, _, body in got)
    assert {s for _, s, _ in got} == {"Herinnering: Herinrichting Lindenplein"}


def test_due_outside_the_window_and_with_participatiebot_now(
    tmp_path: Path, cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    leiden_store(tmp_path)[0].close()
    assert cli("reminders", "due", "--at", "2026-03-11T08:30")[1] == "Er staat niets klaar.\n"
    assert cli("reminders", "due", "--at", "2026-03-11T20:15")[1] == "Er staat niets klaar.\n"
    monkeypatch.setenv("PARTICIPATIEBOT_NOW", "2026-03-11T12:00:00+01:00")
    out = cli("reminders", "due")[1]
    assert new_kinds(out) == ["aankondiging_versturen", "inbreng_open", "bijeenkomst_morgen"]
    assert "2 deelnemer(s)" in out
    code, _, err = cli("reminders", "due", "--at", "gisteren")
    assert code == 2 and err.startswith("fout: 'gisteren' is geen datum of tijd")


def test_a_moved_meeting_reschedules_what_was_not_sent(tmp_path: Path, cli) -> None:
    store, settings, plan_id = leiden_store(tmp_path)
    # on the eve of the meeting the Telegram reminder is stored, but Telegram is off: it waits
    assert cli("reminders", "send", "--at", "2026-03-11T10:00")[0] == 0
    waiting = "telegram:4001"
    with Session(store.engine) as s:
        refs = s.scalars(
            select(OutboxMessage.ref).where(
                OutboxMessage.identity == waiting, OutboxMessage.status == "pending"
            )
        ).all()
    assert "bijeenkomst_morgen:1:2026-03-11" in refs
    record = store.plan(plan_id)
    moved = {**record.data}
    moved["activiteiten"] = [
        {**moved["activiteiten"][0], "datum": "2026-03-19"},
        moved["activiteiten"][1],
    ]
    store.save(record.owner, plan_id, moved, {}, status="in_uitvoering")
    store.close()
    out = cli("reminders", "due", "--at", "2026-03-11T11:00")[1]
    assert "bijeenkomst_morgen" not in out  # the old eve is gone, also from the outbox
    out = cli("reminders", "due", "--at", "2026-03-18T10:00")[1]
    # the announcement must name the new date, so the owner hears about it again
    assert new_kinds(out) == ["aankondiging_versturen", "bijeenkomst_morgen"]
    assert "op 19 maart 2026 om 19:30" in out


async def test_the_owner_chose_that_a_status_message_goes_out_by_itself(
    tmp_path: Path, settings: Settings, store: Store
) -> None:
    engine = build_engine(store, settings)
    record = make_plan(store, owner="telegram:70")
    add_participants(store, record.id, ["telegram:71"], settings.clock())
    owner = Chat(engine, "telegram:70")
    assert "Stuur: update <je bericht>." in await owner.say("update")
    assert "stuur ik zelf een kort bericht" in await owner.say("update automatisch")
    at = datetime.fromisoformat("2026-04-03T09:30:00+02:00")
    reminders_worker.schedule(store, settings, at)
    reminders_worker.schedule(store, settings, at + timedelta(hours=2))  # once, not twice
    with Session(store.engine) as s:
        rows = s.execute(
            select(OutboxMessage.identity, OutboxMessage.kind, OutboxMessage.text).where(
                OutboxMessage.created_at >= at.astimezone(UTC)
            )
        ).all()
    to_owner = [t for i, k, t in rows if i == "telegram:70" and "update" in t]
    to_participant = [t for i, k, t in rows if i == "telegram:71" and k == "update"]
    assert len(to_owner) == 1 and len(to_participant) == 1
    assert "Zoals je koos, ging dit bericht vanzelf naar de deelnemers" in to_owner[0]
    assert "Nog geen nieuws over Herinrichting Lindenplein." in to_participant[0]


async def test_an_update_in_time_means_no_proposal(settings: Settings, store: Store) -> None:
    engine = build_engine(store, settings)
    record = make_plan(store, owner="telegram:80")
    add_participants(store, record.id, ["telegram:81"], settings.clock())
    engine.settings = settings.model_copy(
        update={"now": datetime.fromisoformat("2026-03-30T10:00:00+02:00")}
    )
    await Chat(engine, "telegram:80").say("update De schetsen zijn verwerkt.")
    items = reminders_worker.due(store, settings, datetime.fromisoformat("2026-04-03T10:00+02:00"))
    kinds = [d.kind for d in items if not d.waiting]
    assert "update_voorstel" not in kinds and "afronden" in kinds


async def test_an_owner_who_unsubscribed_gets_no_more_reminder_mail(
    settings: Settings, store: Store
) -> None:
    record = make_plan(store)
    at = datetime.fromisoformat(f"2026-02-05T10:00:00{AMS}")
    reminders_worker.schedule(store, settings, at)
    with Session(store.engine) as s:
        url = s.scalar(
            select(OutboxMessage.unsubscribe_url).where(
                OutboxMessage.identity == "email:eigenaar@example.org"
            )
        )
    app = Starlette(routes=participant_pages.routes(settings, store))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app)) as web:
        page = await web.post(url, data={"List-Unsubscribe": "One-Click"})
    assert "Je bent afgemeld." in page.text
    later = reminders_worker.due(store, settings, datetime.fromisoformat(f"2026-02-19T10:00{AMS}"))
    [item] = [d for d in later if d.kind == "aankondiging_versturen"]
    assert item.recipients == [] and "console" in (item.note or "")
    assert participants.owner_recipient(store, record) is None


def test_due_lines_name_plan_and_recipient(tmp_path: Path, cli) -> None:
    store, _settings, plan_id = leiden_store(tmp_path)
    store.close()
    out = cli("reminders", "due", "--at", "2026-02-05")[1]
    [line] = out.splitlines()
    assert re.match(
        rf"2026-02-05 09:00\t{plan_id}\teigenaar email:eigenaar@example.org\t"
        r"aankondiging_voorbereiden\tUiterlijk 19 februari 2026",
        line,
    )
