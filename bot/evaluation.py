"""The participants' evaluation: an invitation with a link, a form of 1-5 questions and one open
question (gemeente profile, else handreiking.evaluatie's default set), and evaluatie.docx.

Answers are anonymous: the plan keeps them without any identity, and only the random number
in each person's link, so a link is used once (Leiden sends an evaluation form, seed 000).
"""

from __future__ import annotations

import html
import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot import closing, delivery, participants, signing
from bot.engine.texts import load_texts
from bot.settings import Settings
from bot.storage import Store
from handreiking.evaluatie import SCHAAL, SCHAAL_UITLEG, vragen
from handreiking.models import Plan

KEY = "evaluatie_antwoorden"  # not "evaluatie": that is a question of the plan
PURPOSE = "evaluatie"
VALID = timedelta(days=60)
TEXTS = load_texts("evaluation")


def _plan_and_key(settings: Settings) -> bytes:
    return signing.secret_key(settings.data_dir)


def answers(store: Store, plan_id: str) -> list[dict[str, Any]]:
    record = store.plan(plan_id)
    return list(((record.data.get(KEY) if record else None) or {}).get("antwoorden") or [])


def invite(store: Store, settings: Settings, plan_id: str, now: datetime) -> int:
    """An invitation with a personal link to every participant; returns how many."""
    record = store.plan(plan_id)
    if record is None:
        raise closing.NotFound(plan_id)
    profile = closing.profile_of(settings, record)
    titel = record.titel or f"plan {plan_id}"
    code = participants.invitation_code(store, plan_id)
    sig = participants.signature(store, settings, record)
    messages = []
    for p in participants.participants(store, plan_id):
        # a random number, not the person: the answer cannot be traced back to them
        token = signing.sign(
            _plan_and_key(settings),
            PURPOSE,
            {"p": plan_id, "n": secrets.token_hex(8)},
            now + VALID,
        )
        link = f"{settings.public_url.rstrip('/')}/evaluatie/{token}"
        body = TEXTS["invite"].format(titel=titel, gemeente=profile.naam, link=link)
        messages.append(
            participants.participant_message(
                settings,
                record,
                p,
                body,
                kind="notice",
                dedupe=f"evaluatie:{plan_id}:{p.identity}",
                subject=f"Hoe vond je het traject van {titel}?",
                sig=sig,
                code=code,
            )
        )
    delivery.enqueue(store, messages, now)
    return len(messages)


def record_answer(
    store: Store, settings: Settings, plan_id: str, nonce: str, given: dict[str, Any]
) -> bool:
    """Keep one filled-in form (no identity); False when this link was used before."""
    record = store.plan(plan_id)
    if record is None:
        raise closing.NotFound(plan_id)
    kept = dict(record.data.get(KEY) or {})
    used = list(kept.get("gebruikt") or [])
    if nonce in used:
        return False
    kept["gebruikt"] = [*used, nonce]
    kept["antwoorden"] = [*(kept.get("antwoorden") or []), given]
    closing.update_data(store, plan_id, KEY, kept)
    write_evaluatie(store, settings, plan_id)
    return True


def write_evaluatie(store: Store, settings: Settings, plan_id: str) -> Path:
    """evaluatie.docx in the plan's folder, from the answers so far."""
    from handreiking.closing_documents import render_evaluatie

    record = store.plan(plan_id)
    if record is None:
        raise closing.NotFound(plan_id)
    s = closing.stukken(store, settings, plan_id)
    out = settings.plans_dir / plan_id / "evaluatie.docx"
    out.parent.mkdir(parents=True, exist_ok=True)
    return render_evaluatie(
        s.vastgesteld,
        answers(store, plan_id),
        s.profile,
        out,
        settings.template_dirs(record.gemeente),
    )


def start(engine: Any, identity: str) -> list[Any]:
    """The owner's 'evaluatie': invite the participants of their latest plan in uitvoering or
    afgerond."""
    from bot.engine.types import Reply

    store, settings = engine.store, engine.settings
    plans = [
        p
        for p in store.plans(owner=identity)
        if p.status in {"vastgesteld", "in_uitvoering", "afgerond"}
    ]
    if not plans:
        return [Reply(TEXTS["none"])]
    record = plans[-1]
    n = invite(store, settings, record.id, settings.clock())
    path = write_evaluatie(store, settings, record.id)
    titel = record.titel or f"plan {record.id}"
    return [Reply(TEXTS["sent"].format(n=n, titel=titel), kind="info", documents=[path])]


# ---------------------------------------------------------------------- the form
PAGE = """<!doctype html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em;
line-height:1.5}}fieldset{{margin:1em 0}}button{{font-size:1em;padding:.5em 1em}}</style>
</head><body><h1>{title}</h1>{body}</body></html>"""


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body), status_code=status)


def _form_html(plan: Plan, questions: list[Any], error: str | None = None) -> str:
    parts = [f"<p>{html.escape(SCHAAL_UITLEG)}</p>"]
    if error:
        parts.append(f'<p role="alert"><strong>{html.escape(error)}</strong></p>')
    parts.append('<form method="post">')
    for q in questions:
        label = html.escape(q.tekst)
        if q.soort == "open":
            parts.append(
                f'<p><label for="{q.key}">{label}</label><br>'
                f'<textarea id="{q.key}" name="{q.key}" rows="4" cols="40"></textarea></p>'
            )
            continue
        radios = "".join(
            f'<label><input type="radio" name="{q.key}" value="{n}" required> {n}</label> '
            for n in SCHAAL
        )
        parts.append(f"<fieldset><legend>{label}</legend>{radios}</fieldset>")
    parts.append("<button>Versturen</button></form>")
    return "".join(parts)


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    """GET shows the form, POST keeps the answers (once per link)."""

    async def form(request: Request) -> Response:
        try:
            payload = signing.verify(
                _plan_and_key(settings), PURPOSE, request.path_params["token"], settings.clock()
            )
        except signing.BadToken:
            return _page("Link verlopen", f"<p>{TEXTS['gone']}</p>", 404)
        plan_id, nonce = str(payload.get("p")), str(payload.get("n"))
        record = store.plan(plan_id)
        if record is None:
            return _page("Link verlopen", f"<p>{TEXTS['gone']}</p>", 404)
        profile = closing.profile_of(settings, record)
        questions = vragen(profile)
        titel = f"Evaluatie: {record.titel or plan_id}"
        plan = Plan.model_validate(record.data)
        if request.method == "GET":
            return _page(titel, _form_html(plan, questions))
        raw = (await request.body()).decode("utf-8", "replace")
        posted = {k: v[0] for k, v in parse_qs(raw).items()}
        given: dict[str, Any] = {}
        for q in questions:
            value = posted.get(q.key, "").strip()
            if q.soort == "open":
                given[q.key] = value or None
            elif value.isdigit() and int(value) in SCHAAL:
                given[q.key] = int(value)
            else:
                return _page(titel, _form_html(plan, questions, TEXTS["incomplete"]), 400)
        if not record_answer(store, settings, plan_id, nonce, given):
            return _page(titel, f"<p>{TEXTS['used']}</p>", 409)
        return _page(titel, f"<p>{TEXTS['thanks']}</p>")

    return [Route("/evaluatie/{token}", form, methods=["GET", "POST"])]
