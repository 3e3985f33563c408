"""The participants' evaluation: an invitation with a link, a form of 1-5 questions and one open
question (gemeente profile, else handreiking.evaluatie's default set), and evaluatie.docx.

Answers are anonymous: the plan keeps them without any identity, and only the random number
in each person's link, so a link is used once (Leiden sends an evaluation form, seed 000).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from bot import signing
from bot.engine.registry import Command, Registry
from bot.engine.texts import counted, load_texts
from bot.features import closing, participants
from bot.features.closing import write_evaluatie
from bot.settings import Settings
from bot.storage import NotFound, Store
from bot.storage.participation import ParticipantInfo
from handreiking import lifecycle
from handreiking.evaluatie import ANTWOORDEN, SCHAAL, antwoorden, met_antwoord

KEY = ANTWOORDEN
PURPOSE = "evaluatie"
VALID = timedelta(days=60)
TEXTS = load_texts("evaluation")


def _plan_and_key(settings: Settings) -> bytes:
    return signing.secret_key(settings.data_dir)


def answers(store: Store, plan_id: str) -> list[dict[str, Any]]:
    record = store.plan(plan_id)
    return antwoorden(record.data) if record else []


def invite(store: Store, settings: Settings, plan_id: str, now: datetime) -> int:
    """An invitation with a personal link to every participant; returns how many."""
    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    profile = closing.profile_of(settings, record)
    titel = record.titel or f"plan {plan_id}"

    def body(p: ParticipantInfo) -> str:
        # a random number, not the person: the answer cannot be traced back to them
        token = signing.sign(
            _plan_and_key(settings),
            PURPOSE,
            {"p": plan_id, "n": secrets.token_hex(8)},
            now + VALID,
        )
        link = f"{settings.public_url.rstrip('/')}/evaluatie/{token}"
        return TEXTS["invite"].format(titel=titel, gemeente=profile.naam, link=link)

    subject = f"Hoe vond je het traject van {titel}?"
    notice = participants.Notice(
        body, kind="notice", dedupe=f"evaluatie:{plan_id}", subject=subject
    )
    return participants.tell_participants(store, settings, record, notice, now)


def record_answer(
    store: Store, settings: Settings, plan_id: str, nonce: str, given: dict[str, Any]
) -> bool:
    """Keep one filled-in form (no identity); False when this link was used before."""
    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    kept = met_antwoord(record.data, nonce, given)
    if kept is None:
        return False
    store.update_plan_data(plan_id, KEY, kept)
    write_evaluatie(store, settings, plan_id)
    return True


def start(engine: Any, identity: str) -> list[Any]:
    """The owner's 'evaluatie': invite the participants of their latest plan in uitvoering or
    afgerond."""
    from bot.engine.types import Reply

    store, settings = engine.store, engine.settings
    plans = [p for p in store.plans(owner=identity) if p.status in lifecycle.ADOPTED]
    if not plans:
        return [Reply(TEXTS["none"])]
    record = plans[-1]
    n = invite(store, settings, record.id, settings.clock())
    path = write_evaluatie(store, settings, record.id)
    titel = record.titel or f"plan {record.id}"
    text = counted(TEXTS, "sent", n).format(n=n, titel=titel)
    return [Reply(text, kind="info", documents=[path])]


# ---------------------------------------------------------------------- the form
def read_link(settings: Settings, token: str, now: datetime) -> tuple[str, str] | None:
    """(plan id, the link's random number) of an evaluation link; None when forged or expired."""
    try:
        payload = signing.verify(_plan_and_key(settings), PURPOSE, token, now)
    except signing.BadToken:
        return None
    return str(payload.get("p")), str(payload.get("n"))


def read_answers(questions: list[Any], posted: dict[str, str]) -> dict[str, Any] | None:
    """The filled-in form as kept: a score per scale question, the open text or None; None
    when a scale question has no score from 1 to 5."""
    given: dict[str, Any] = {}
    for q in questions:
        value = posted.get(q.key, "").strip()
        if q.soort == "open":
            given[q.key] = value or None
        elif value.isdigit() and int(value) in SCHAAL:
            given[q.key] = int(value)
        else:
            return None
    return given


def register(registry: Registry) -> None:
    registry.command(
        Command("evaluate", ("evaluatie", "evaluate"), before_plan=lambda e, who, *_: start(e, who))
    )
