"""The advisor's web pages (Starlette, Jinja2, no JavaScript): review, vaststelling, overview.

`routes(settings, store)` gives the routes to mount on the one HTTP server. An advisor comes in
with the signed link from the submit mail, or logs in with a one-time link sent to an address
in their gemeente profile and then holds a session cookie that expires. The pages are in Dutch;
`?lang=en` switches to English and a cookie remembers it. Texts: templates/messages/web.yaml.
"""

from __future__ import annotations

import base64
import logging
import secrets
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import quote, urlencode

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from bot.engine.conversation import load_conversation
from bot.engine.display import show_date
from bot.features import review
from bot.mail import Outbox, sender
from bot.pages import (
    LANG_COOKIE,
    LANGS,
    _messages,
    _request,
    lang,
    melding,
    page,
    read_form,
    t,
)
from bot.settings import AMSTERDAM, Settings
from bot.signing import (
    BadToken,
    form_token,
    form_token_ok,
    pseudonym,
    secret_key,
    token_hash,
)
from bot.storage import PlanRecord, Store
from bot.storage.lifecycle import Lifecycle, Login
from handreiking import lifecycle, openbaar, parsing, rules
from handreiking.documents import eigenaar_tekst
from handreiking.lifecycle import LABELS, Status
from handreiking.models import Plan
from handreiking.profiles import STANDAARD, available_profiles, profile_for

log = logging.getLogger(__name__)

COOKIE = "participatiebot_adviseur"
SESSION_LIFETIME = timedelta(hours=8)
LOGIN_LINK_LIFETIME = timedelta(minutes=30)
# the login page mails a link to any listed advisor address on request: no more than this a
# day per address, so nobody can fill an advisor's inbox with them
LOGIN_LINKS_PER_DAY = 10
# a plan waiting this long for the advisor is shown as overdue in the overview
REVIEW_WAIT = timedelta(days=10)


def status_label(status: Status) -> str:
    # the Dutch labels belong to the lifecycle; web.yaml adds the English ones
    return _messages()["status"][status.value].get(lang()) or LABELS[status]


def next_step(status: Status, *, complex: bool) -> str:
    key = status.value
    if status == Status.akkoord_adviseur and not complex:
        key += "_eenvoudig"
    return _messages()["step"][key].get(lang()) or lifecycle.next_step(status, complex=complex)


def _stakeholdergrid(plan: Plan) -> dict[str, str] | None:
    """The stakeholderanalyse as an image inside the page (no second request), with alt text."""
    from handreiking import stakeholders  # matplotlib only for a page that draws

    if not stakeholders.geplaatst(plan):
        return None
    png = base64.b64encode(stakeholders.grid_png_bytes(plan)).decode("ascii")
    return {"src": f"data:image/png;base64,{png}", "alt": stakeholders.alt_tekst(plan)}


def _date(value: date) -> str:
    return show_date(value, lang())


def _note(note: str | None, titles: dict[str, str]) -> str | None:
    """A step's note as the page says it: the sections asked to change by their titles
    ('aanpassen: Planning, Afspraken'), as the review form named them, not by their keys."""
    if note and note.startswith("aanpassen: "):
        keys = note.removeprefix("aanpassen: ").split(", ")
        return "aanpassen: " + ", ".join(titles.get(k, k) for k in keys)
    return note


def _when(value: datetime) -> str:
    local = value.astimezone(AMSTERDAM)
    return t("at_time", datum=_date(local.date()), tijd=f"{local:%H:%M}")


class Pages:
    """The advisor's pages over one settings + store."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store
        self.lifecycle = Lifecycle(store)

    # ------------------------------------------------------------------ who is asking
    def _csrf(self, session_hash: str) -> str:
        return form_token(secret_key(self.settings.data_dir), session_hash)

    def _advisor(
        self, request: Request, form: dict[str, str] | None = None
    ) -> tuple[Login, dict[str, str]]:
        """The advisor behind this request and the hidden fields its forms carry.

        A signed link (token in the address or form) or a session cookie; anything else: 403.
        A link opens the one plan it was mailed for (its page and its forms), nothing else:
        a mail that is forwarded or leaks does not open the gemeente's other plans.
        """
        token = (form or {}).get("token") or request.query_params.get("token")
        if token:
            try:
                email, gemeente, plan_id = review.read_advisor_token(self.settings, token)
            except BadToken:
                raise HTTPException(403, "link") from None
            if plan_id != request.path_params.get("plan_id"):
                raise HTTPException(403, "plan")
            # an address taken out of the profile loses its access, links included
            if not review.is_advisor(self.settings, email, gemeente):
                raise HTTPException(403, "link")
            return Login(email, gemeente, self.settings.clock()), {"token": token}
        cookie = request.cookies.get(COOKIE)
        if cookie:
            hashed = token_hash(cookie)
            login = self.lifecycle.session(hashed)
            if login and review.is_advisor(self.settings, login.email, login.gemeente):
                key = secret_key(self.settings.data_dir)
                if form is not None and not form_token_ok(key, hashed, form.get("csrf")):
                    raise HTTPException(403, "csrf")
                return login, {"csrf": self._csrf(hashed)}
        raise HTTPException(403, "login")

    def _plan(self, plan_id: str, login: Login) -> PlanRecord:
        """The plan, if it belongs to the advisor's gemeente; 404 alike for absent and foreign."""
        record = self.store.plan(plan_id)
        if record is None or (record.gemeente or STANDAARD) != login.gemeente:
            raise HTTPException(404)
        return record

    def _url(self, path: str, auth: dict[str, str], **params: str) -> str:
        # a token link keeps its token; a session needs none in the address
        query = {**({"token": auth["token"]} if "token" in auth else {}), **params}
        return f"{path}?{urlencode(query)}" if query else path

    # ------------------------------------------------------------------ the review page
    def _who(self, identity: str, record: PlanRecord) -> str:
        """A person as the advisor knows them: the owner by the name they gave in the plan,
        an advisor by their address; never a chat id such as 'web:k2Xf…'."""
        if identity == record.owner:
            person = self.store.find_person(identity)
            naam = eigenaar_tekst(Plan.model_validate(record.data))
            naam = naam or (person.naam if person else None)
            if naam is None and identity.startswith("web:"):
                return t("owner_web")  # the id of a browser's conversation says nothing
            return naam or identity
        channel, _, rest = identity.partition(":")
        return rest if channel == "email" and rest else identity

    def _review_page(
        self,
        record: PlanRecord,
        login: Login,
        auth: dict[str, str],
        *,
        errors: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        message: str | None = None,
        status_code: int = 200,
    ) -> HTMLResponse:
        settings = self.settings
        profile = profile_for(record.data, settings.profiles_dir)
        versions = self.lifecycle.versions(record.id)
        submitted = [v for v in versions if v.reason == "ingediend"]
        version = submitted[-1] if submitted else None
        previous = submitted[-2] if len(submitted) > 1 else None
        adopted = next((v for v in reversed(versions) if v.reason == "vastgesteld"), None)
        data = version.data if version else record.data
        plan = Plan.model_validate(data)
        findings = rules.check(plan, profile, settings.today())
        sections = review.plan_sections(
            data,
            profile,
            previous.data if previous else None,
            lang(),
            conversation=load_conversation(),
        )
        status = Status(record.status)
        history = [
            {
                "wanneer": _when(tr.at),
                "van": status_label(Status(tr.from_status)),
                "naar": status_label(Status(tr.to_status)),
                "wie": self._who(tr.who, record),
                "note": _note(tr.note, {s.key: s.title for s in sections}),
            }
            for tr in self.lifecycle.transitions(record.id)
        ]
        path = f"/adviseur/plannen/{quote(record.id)}"
        return page(
            "review.html",
            status_code,
            titel=plan.titel or t("untitled"),
            plan_id=record.id,
            gemeente=profile.naam,
            eigenaar=self._who(record.owner, record),
            status=status_label(status),
            volgende_stap=next_step(status, complex=plan.complex),
            melding=message,
            errors=errors or {},
            waarden=values or {},
            versie=version,
            versie_datum=_when(version.created_at) if version else "",
            vorige=previous.nr if previous else None,
            secties=sections,
            bevindingen=[f for f in findings if not f.afwijking],
            afwijkingen=[f for f in findings if f.afwijking],
            privacy=openbaar.check(plan, profile),
            stakeholdergrid=_stakeholdergrid(plan),
            kan_beoordelen=status == Status.ingediend and version is not None,
            beoordeling=self.lifecycle.review(record.id, version.nr) if version else None,
            kan_vaststellen=lifecycle.allowed(status, Status.vastgesteld, complex=plan.complex),
            kan_starten=lifecycle.allowed(status, Status.in_uitvoering, complex=plan.complex),
            eenvoudig=not plan.complex,
            vaststelling=adopted,
            vaststelling_datum=_date(adopted.besluit_datum) if adopted else "",
            # the version the advisor saw and approved, as the documents number it (the frozen
            # copy of the vaststelling has a number of its own that nobody was shown)
            vaststelling_versie=version.nr if version else (adopted.nr if adopted else None),
            geschiedenis=history,
            auth=auth,
            acties={
                "beoordeling": f"{path}/beoordeling",
                "vaststelling": f"{path}/vaststelling",
                "uitvoering": f"{path}/uitvoering",
            },
            overzicht=None if "token" in auth else "/adviseur/plannen",
        )

    async def show(self, request: Request) -> Response:
        login, auth = self._advisor(request)
        record = self._plan(request.path_params["plan_id"], login)
        done = request.query_params.get("klaar", "")
        message = t(f"done_{done}") if f"done_{done}" in _messages() else None
        return self._review_page(record, login, auth, message=message)

    def _done(self, record: PlanRecord, auth: dict[str, str], what: str) -> Response:
        path = f"/adviseur/plannen/{quote(record.id)}"
        return RedirectResponse(self._url(path, auth, klaar=what), status_code=303)

    async def beoordeling(self, request: Request) -> Response:
        form = await read_form(request)
        login, auth = self._advisor(request, form)
        record = self._plan(request.path_params["plan_id"], login)
        profile = profile_for(record.data, self.settings.profiles_dir)
        version = self.lifecycle.latest(record.id, "ingediend")
        try:
            nr = int(form.get("versie", ""))
        except ValueError:
            nr = -1
        if version is None or record.status != Status.ingediend or nr != version.nr:
            return self._review_page(
                record,
                login,
                auth,
                message=t("error_stale"),
                status_code=409,
            )
        sections = review.plan_sections(version.data, profile, lang=lang())
        verdicts: dict[str, tuple[str, str | None]] = {}
        errors: dict[str, str] = {}
        for s in sections:
            verdict = form.get(f"oordeel_{s.key}", "")
            comment = form.get(f"opmerking_{s.key}", "").strip()
            if verdict not in ("akkoord", "aanpassen"):
                errors[f"oordeel_{s.key}"] = t("error_verdict", titel=s.title)
            elif verdict == "aanpassen" and not comment:
                errors[f"opmerking_{s.key}"] = t("error_comment", titel=s.title)
            verdicts[s.key] = (verdict, comment or None)
        if errors:
            return self._review_page(
                record, login, auth, errors=errors, values=form, status_code=400
            )
        try:
            target, ids = review.record_review(
                self.settings, self.store, record.id, nr, verdicts, f"email:{login.email}"
            )
        except review.Refused as e:
            return self._review_page(record, login, auth, message=str(e), status_code=409)
        await _send(self.settings, self.store, ids)
        return self._done(record, auth, target.value)

    async def vaststelling(self, request: Request) -> Response:
        form = await read_form(request)
        login, auth = self._advisor(request, form)
        record = self._plan(request.path_params["plan_id"], login)
        text = form.get("datum", "").strip()
        errors: dict[str, str] = {}
        when: date | None = None
        if not text:
            errors["datum"] = t("error_date_missing")
        else:
            try:
                when = parsing.parse_date(text, self.settings.today())
            except parsing.ParseError:
                errors["datum"] = t("error_date_unreadable")
        if when and when > self.settings.today():
            errors["datum"] = t("error_date_future")
        if errors or when is None:
            return self._review_page(
                record, login, auth, errors=errors, values=form, status_code=400
            )
        try:
            review.vaststellen(
                self.settings,
                self.store,
                record.id,
                when,
                form.get("besluit"),
                f"email:{login.email}",
            )
        except review.Refused as e:
            return self._review_page(record, login, auth, message=str(e), status_code=409)
        return self._done(record, auth, Status.vastgesteld.value)

    async def uitvoering(self, request: Request) -> Response:
        form = await read_form(request)
        login, auth = self._advisor(request, form)
        record = self._plan(request.path_params["plan_id"], login)
        try:
            review.start_uitvoering(self.settings, self.store, record.id, f"email:{login.email}")
        except review.Refused as e:
            return self._review_page(record, login, auth, message=str(e), status_code=409)
        return self._done(record, auth, Status.in_uitvoering.value)

    # ------------------------------------------------------------------ logging in
    def _gemeenten(self) -> dict[str, str]:
        return {k: p.naam for k, p in available_profiles(self.settings.profiles_dir).items()}

    async def login_form(self, request: Request) -> Response:
        cookie = request.cookies.get(COOKIE)
        if cookie and self.lifecycle.session(token_hash(cookie)):
            return RedirectResponse("/adviseur/plannen", status_code=303)
        return page("login.html", titel=t("login_title"), gemeenten=self._gemeenten(), fout=None)

    async def login_request(self, request: Request) -> Response:
        form = await read_form(request)
        email = form.get("email", "").strip()
        gemeente = form.get("gemeente", "").strip()
        gemeenten = self._gemeenten()
        if gemeente not in gemeenten or "@" not in email:
            return page(
                "login.html",
                400,
                titel=t("login_title"),
                gemeenten=gemeenten,
                fout=t("login_error"),
            )
        key = secret_key(self.settings.data_dir)
        counted = f"inloggen:{pseudonym(key, 'inloggen', email)}"
        if review.is_advisor(self.settings, email, gemeente) and self.store.count_within(
            counted, self.settings.today(), LOGIN_LINKS_PER_DAY
        ):
            code = secrets.token_urlsafe(32)
            expires = self.lifecycle.add_login(
                token_hash(code), "link", email, gemeente, LOGIN_LINK_LIFETIME
            )
            link = f"{self.settings.public_url.rstrip('/')}/adviseur/inloggen?code={code}"
            mail_id = Outbox(self.settings, self.store).put(
                _login_mail(self.settings, email, gemeenten[gemeente], link, expires)
            )
            await _send(self.settings, self.store, [mail_id])
        # the same answer for every address: the page does not tell who is an advisor
        minuten = LOGIN_LINK_LIFETIME.seconds // 60
        return melding(t("login_sent_title"), t("login_sent", minuten=minuten), 200)

    async def login_confirm(self, request: Request) -> Response:
        # a page with a button, not a login on GET: mail scanners open links on their own
        code = request.query_params.get("code", "")
        return page("inloggen.html", titel=t("login_title"), code=code)

    async def login(self, request: Request) -> Response:
        form = await read_form(request)
        login = self.lifecycle.use_link(token_hash(form.get("code", "")))
        if login is None:
            return melding(t("link_used_title"), t("link_used"), 403, terug="/adviseur")
        session = secrets.token_urlsafe(32)
        self.lifecycle.add_login(
            token_hash(session), "session", login.email, login.gemeente, SESSION_LIFETIME
        )
        response = RedirectResponse("/adviseur/plannen", status_code=303)
        response.set_cookie(
            COOKIE,
            session,
            max_age=int(SESSION_LIFETIME.total_seconds()),
            path="/adviseur",
            httponly=True,
            secure=self.settings.public_url.startswith("https://"),
            samesite="strict",
        )
        return response

    async def logout(self, request: Request) -> Response:
        form = await read_form(request)
        login, _ = self._advisor(request, form)
        cookie = request.cookies.get(COOKIE)
        if cookie:
            self.lifecycle.end_session(token_hash(cookie))
        response = RedirectResponse("/adviseur", status_code=303)
        response.delete_cookie(COOKIE, path="/adviseur")
        return response

    # ------------------------------------------------------------------ the overview
    async def overview(self, request: Request) -> Response:
        login, auth = self._advisor(request)
        query = request.query_params.get("zoek", "").strip()
        rows = []
        today = self.settings.today()
        now = self.settings.clock()
        profile = review.profile_of(self.settings, login.gemeente)
        for record in reversed(self.store.plans(gemeente=login.gemeente)):
            plan = Plan.model_validate(record.data)
            status = Status(record.status)
            eigenaar = self._who(record.owner, record)
            row = {
                "id": record.id,
                "titel": plan.titel or t("untitled"),
                "url": self._url(f"/adviseur/plannen/{quote(record.id)}", auth),
                "status": status_label(status),
                "eigenaar": eigenaar,
                "contact": plan.contactpersoon or "-",
                "volgende_stap": next_step(status, complex=plan.complex),
                "achter": _overdue(plan, status, record, today, now),
            }
            haystack = " ".join(
                str(v) for v in (*row.values(), plan.initiatiefnemer or "", record.owner)
            )
            if query and query.lower() not in haystack.lower():
                continue
            rows.append(row)
        from bot.features.voorbeelden import regel, voorbeelden

        return page(
            "overzicht.html",
            titel=t("overview_title", gemeente=profile.naam),
            gemeente=profile.naam,
            plannen=rows,
            # finished plans whose owners agreed to share them
            voorbeelden=[regel(v) for v in voorbeelden(self.store, self.settings, profile)],
            zoek=query,
            email=login.email,
            auth=auth,
        )


def _overdue(
    plan: Plan, status: Status, record: PlanRecord, today: date, now: datetime
) -> list[str]:
    """What is late: an aankondiging past its date in a running plan, a plan waiting long."""
    late: list[str] = []
    if status in lifecycle.RUNNING | {Status.akkoord_adviseur}:
        for a in plan.activiteiten:
            if a.aankondiging and a.aankondiging < today and (a.start or today) >= today:
                late.append(
                    t("late_aankondiging", activiteit=a.type.value, datum=_date(a.aankondiging))
                )
    if status == Status.ingediend:
        updated = record.updated_at
        updated = updated.replace(tzinfo=AMSTERDAM) if updated.tzinfo is None else updated
        if now - updated > REVIEW_WAIT:
            late.append(t("late_review", datum=_date(updated.date())))
    return late


def _login_mail(
    settings: Settings, to: str, gemeente: str, link: str, expires: datetime
) -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = f"Inloggen bij participatiebot ({gemeente})"
    msg["From"] = sender(settings.mail_from)
    msg["To"] = to
    msg["Message-ID"] = make_msgid(domain=settings.mail_from.rpartition("@")[2] or None)
    local = expires.astimezone(AMSTERDAM)
    msg.set_content(
        review.render_mail(
            "inloggen.txt", gemeente=gemeente, link=link, geldig_tot=f"{local:%H:%M}"
        )
    )
    return msg


async def _send(settings: Settings, store: Store, ids: list[int]) -> None:
    """Try the new mails at once; what fails stays in the outbox for the worker."""
    outbox = Outbox(settings, store)
    for mail_id in ids:
        try:
            await outbox.deliver(mail_id)
        except Exception:  # the page answers anyway; the worker retries
            log.exception("mail %s not tried", mail_id)


_REFUSALS = (403, 404, 413)


def _guarded(handler: Callable[[Request], Awaitable[Response]]):
    """403, 404 and 413 as a page in plain words rather than Starlette's bare text; the page's
    language taken from the request, and remembered when the address chose it."""

    async def endpoint(request: Request) -> Response:
        current = _request.set(request)
        try:
            try:
                response = await handler(request)
            except HTTPException as e:
                if e.status_code not in _REFUSALS:
                    raise
                code = e.status_code
                why = f"refused_{code}_{e.detail}"
                titel = t(f"refused_{code}_title")
                tekst = t(why) if why in _messages() else t(f"refused_{code}")
                response = melding(titel, tekst, code, terug="/adviseur")
            chosen = request.query_params.get("lang")
            if chosen in LANGS:
                # not a secret: 'lax' so that it also holds when a link in a mail is opened
                response.set_cookie(
                    LANG_COOKIE, chosen, max_age=365 * 24 * 3600, path="/adviseur", samesite="lax"
                )
            return response
        finally:
            _request.reset(current)

    return endpoint


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    """The advisor's pages, to mount on the HTTP server of `serve`."""
    p = Pages(settings, store)
    table = [
        ("/adviseur", p.login_form, "GET"),
        ("/adviseur/inloggen", p.login_request, "POST"),
        ("/adviseur/inloggen", p.login_confirm, "GET"),
        ("/adviseur/sessie", p.login, "POST"),
        ("/adviseur/uitloggen", p.logout, "POST"),
        ("/adviseur/plannen", p.overview, "GET"),
        ("/adviseur/plannen/{plan_id}", p.show, "GET"),
        ("/adviseur/plannen/{plan_id}/beoordeling", p.beoordeling, "POST"),
        ("/adviseur/plannen/{plan_id}/vaststelling", p.vaststelling, "POST"),
        ("/adviseur/plannen/{plan_id}/uitvoering", p.uitvoering, "POST"),
    ]
    return [Route(path, _guarded(fn), methods=[method]) for path, fn, method in table]
