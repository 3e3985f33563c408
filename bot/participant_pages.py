"""The participants' pages behind the links in mail and on the QR code: consent, unsubscribe,
joining by e-mail, the evaluation form.

Opening a link never changes anything: mail scanners open every link in a mail. Each page shows
a button; the POST it sends carries a check value bound to the link, so only a press on that
page acts. The one exception is RFC 8058's one-click unsubscribe, which mail programs send as a
POST of `List-Unsubscribe=One-Click` (a scanner does not POST). Pages: templates/web/.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Route

from bot.features import evaluation, participants
from bot.pages import page, read_form, t
from bot.settings import Settings
from bot.signing import form_token, form_token_ok, secret_key
from bot.storage import Store
from handreiking import parsing
from handreiking.evaluatie import SCHAAL, SCHAAL_UITLEG, gebruikt, vragen
from handreiking.profiles import profile_for

ONE_CLICK = ("List-Unsubscribe", "One-Click")


def _page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return page(name, status_code, site=t("site_public"), **context)


def _notice(titel: str, tekst: str, status_code: int = 200) -> HTMLResponse:
    return _page("melding.html", status_code, titel=titel, tekst=tekst, terug=None)


def _stale() -> HTMLResponse:
    return _notice(t("button_stale_title"), t("button_stale"), 403)


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    """The participants' pages, to mount on the HTTP server of `serve`."""

    def check(bound_to: str) -> str:
        return form_token(secret_key(settings.data_dir), bound_to)

    def checked(bound_to: str, form: dict[str, str]) -> bool:
        return form_token_ok(secret_key(settings.data_dir), bound_to, form.get("csrf"))

    async def consent(request: Request) -> Response:
        now = settings.clock()
        token = request.path_params["token"]
        found = participants.read_consent_link(store, settings, token, now)
        if found is None:
            return _notice(t("link_gone_title"), t("invitation_gone"), 404)
        info, record = found
        titel = participants.title_of(record)
        bound = f"deelnemen\n{token}"
        if request.method == "POST":
            form = await read_form(request)
            if not checked(bound, form):
                return _stale()
            if form.get("keuze") == "ja":
                participants.accept(store, settings, record, info.identity, None, now)
                tekst = participants.TEXTS["welcome_mail"].format(titel=titel)
                return _notice(t("consent_done_title"), tekst)
            if form.get("keuze") == "nee":
                participants.leave(store, info.identity, record.id)
                return _notice(t("consent_declined_title"), t("consent_declined"))
        if info.status == "active":
            return _notice(titel, participants.TEXTS["already_mail"].format(titel=titel))
        return _page(
            "deelnemen.html",
            titel=titel,
            tekst=participants.consent_text(settings, record, now).split("\n"),
            ja=participants.TEXTS["consent_yes"],
            nee=participants.TEXTS["consent_no"],
            csrf=check(bound),
        )

    async def unsubscribe(request: Request) -> Response:
        token = request.path_params["token"]
        found = participants.read_unsubscribe_link(settings, token, settings.clock())
        if found is None:
            return _notice(t("link_gone_title"), t("link_gone"), 404)
        plan_id, identity = found
        record = store.plan(plan_id)
        titel = participants.title_of(record) if record else "dit plan"
        bound = f"afmelden\n{token}"
        if request.method != "POST":  # GET, and HEAD alike
            return _page(
                "afmelden.html", titel=t("unsubscribe_title"), plan=titel, csrf=check(bound)
            )
        form = await read_form(request)
        if form.get(ONE_CLICK[0]) != ONE_CLICK[1] and not checked(bound, form):
            return _stale()
        participants.unsubscribe(store, plan_id, identity)
        return _notice(t("unsubscribed_title"), t("unsubscribed", titel=titel))

    async def join(request: Request) -> Response:
        code = request.path_params["code"].upper()
        record = participants.plan_for_code(store, code)
        if record is None or record.status not in participants.ACTIVE:
            return _notice(t("join_gone_title"), t("join_gone"), 404)
        titel = participants.title_of(record)
        bound = f"volg\n{code}"
        fout, form = None, {}
        if request.method == "POST":
            form = await read_form(request)
            if not checked(bound, form):
                return _stale()
            try:
                address = parsing.parse_email(form.get("email", ""))
            except parsing.ParseError:
                fout = t("join_bad_email")
            else:
                done = participants.invite_emails(
                    store, settings, record, [address], settings.clock(), public=True
                )
                if done.refused:
                    return _notice(titel, done.refused[0], 429)
                # the same answer whether or not the address follows already: nothing leaks
                return _notice(titel, t("join_sent"))
        return _page(
            "volgen.html",
            400 if fout else 200,
            titel=titel,
            gemeente=profile_for(record.data, settings.profiles_dir).naam,
            telegram=participants.telegram_link(store, code),
            # 'volg' in a chat only where one runs that brings news (the web chat does not)
            chat=settings.slack_enabled or settings.teams_enabled,
            plan=f"/plannen/{quote(code)}",
            code=code,
            email=form.get("email", ""),
            fout=fout,
            csrf=check(bound),
        )

    async def evaluation_form(request: Request) -> Response:
        token = request.path_params["token"]
        found = evaluation.read_link(settings, token, settings.clock())
        record = store.plan(found[0]) if found else None
        if found is None or record is None:
            return _notice(t("link_gone_title"), evaluation.TEXTS["gone"], 404)
        plan_id, nonce = found
        questions = vragen(profile_for(record.data, settings.profiles_dir))
        titel = t("evaluation_title", titel=record.titel or plan_id)
        if request.method == "GET" and gebruikt(record.data, nonce):
            # opened again from the mail: the form would be filled in for nothing
            return _notice(titel, evaluation.TEXTS["used"])
        bound = f"evaluatie\n{token}"
        posted: dict[str, str] = {}
        fout = None
        if request.method == "POST":
            posted = await read_form(request)
            if not checked(bound, posted):
                return _stale()
            given = evaluation.read_answers(questions, posted)
            if given is None:
                fout = evaluation.TEXTS["incomplete"]
            elif not evaluation.record_answer(store, settings, plan_id, nonce, given):
                return _notice(titel, evaluation.TEXTS["used"], 409)
            else:
                return _notice(titel, evaluation.TEXTS["thanks"])
        return _page(
            "evaluatie.html",
            400 if fout else 200,
            titel=titel,
            uitleg=SCHAAL_UITLEG,
            fout=fout,
            vragen=questions,
            schaal=SCHAAL,
            waarden=posted,
            csrf=check(bound),
        )

    return [
        Route("/deelnemen/{token}", consent, methods=["GET", "POST"]),
        Route("/afmelden/{token}", unsubscribe, methods=["GET", "POST"]),
        Route("/volg/{code}", join, methods=["GET", "POST"]),
        Route("/evaluatie/{token}", evaluation_form, methods=["GET", "POST"]),
    ]
