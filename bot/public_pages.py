"""The public page of a plan (`/plannen/<code>`) and a gemeente's index (`/plannen?gemeente=`).

Only for plans the gemeente adopted (vastgesteld, in uitvoering, afgerond), and only what the
public version of the plan shows (handreiking.openbaar): no names, addresses or the profile's
internal fields. The code is the plan's invitation code, the one on its posters and QR code.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route

from bot.engine.display import show_date
from bot.engine.texts import load_texts
from bot.features import closing, participants
from bot.pages import lang, localised, page, public_headers, read_form
from bot.settings import Settings
from bot.signing import form_token, form_token_ok, secret_key
from bot.storage import PlanRecord, Store
from bot.storage.lifecycle import Lifecycle
from handreiking import agenda, openbaar, parsing
from handreiking.afronding import Verwerking
from handreiking.formatting import text
from handreiking.models import Plan
from handreiking.planning import milestones
from handreiking.profiles import STANDAARD, Profile, available_profiles, profile_for
from handreiking.tijdlijn import label

PUBLIC = ("vastgesteld", "in_uitvoering", "afgerond")


def gemeente_key(naam: str) -> str:
    """A gemeente's name as it goes in a link: 'Súdwest-Fryslân' -> 'sudwest-fryslan'."""
    plain = unicodedata.normalize("NFKD", naam).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.casefold()).strip("-")


# the documents meant for publication, PDF first; nothing else in the plan's folder is served
DOCUMENTS = ("participatieplan-openbaar", "participatierapportage")
# milestones a reader of the page cares about: not the organiser's reminders to themselves
SHOWN = ("activiteit", "activiteit_eind", "inbreng_open", "inbreng_dicht", "rapportage", "besluit")
VERWERKING_EN = {
    Verwerking.overgenomen: "adopted",
    Verwerking.deels: "partly adopted",
    Verwerking.niet: "not adopted",
}


def texts() -> dict[str, str]:
    return load_texts("publiek", "texts", lang())


@dataclass
class Public:
    """A plan as the public may see it."""

    record: PlanRecord
    code: str
    plan: Plan  # the public version: scrubbed
    profile: Profile
    source: Plan  # as adopted: it knows the names to leave out of other texts


class PublicPages:
    def __init__(self, settings: Settings, store: Store) -> None:
        self.settings = settings
        self.store = store

    def _headers(self) -> dict[str, str]:
        return public_headers(self.settings.frame_ancestors)

    def _public(self, record: PlanRecord) -> Public:
        profile = profile_for(record.data, self.settings.profiles_dir)
        # what the gemeente adopted, not what the owner typed since
        version = Lifecycle(self.store).latest(record.id, "vastgesteld")
        plan = Plan.model_validate(version.data if version else record.data)
        code = participants.invitation_code(self.store, record.id)
        return Public(record, code, openbaar.publiek(plan, profile), profile, plan)

    def _find(self, code: str) -> Public | None:
        record = participants.plan_for_code(self.store, code)
        if record is None or record.status not in PUBLIC:
            return None
        return self._public(record)

    def _not_found(self) -> Response:
        c = texts()
        return page(
            "melding.html",
            404,
            headers=self._headers(),
            public=True,
            titel=c["not_found_title"],
            tekst=c["not_found"],
            terug="/plannen",
            site=c["site"],
        )

    # ------------------------------------------------------------------ the index
    async def index(self, request: Request) -> Response:
        c = texts()
        profiles = available_profiles(self.settings.profiles_dir)
        gemeenten = {k: p.naam for k, p in profiles.items() if k != STANDAARD}
        # a gemeente without rules here is listed by the name its plans were made for
        # ('Zwolle'), never as the neutral profile ('Andere gemeente')
        named: dict[str, list[Public]] = {}
        for record in reversed(self.store.plans(gemeente=STANDAARD)):
            if record.status in PUBLIC:
                p = self._public(record)
                naam = (p.plan.gemeente_naam or "").strip()
                if naam and gemeente_key(naam) not in gemeenten:
                    named.setdefault(gemeente_key(naam), []).append(p)
                    gemeenten.setdefault(gemeente_key(naam), naam)
        key = request.query_params.get("gemeente", "")
        if key in named:
            found = named[key]
        elif key in profiles and key != STANDAARD:
            records = reversed(self.store.plans(gemeente=key))
            found = [self._public(r) for r in records if r.status in PUBLIC]
        else:
            key, found = "", []
        rows = [
            {
                "titel": p.plan.titel or p.code,
                "url": f"/plannen/{quote(p.code)}",
                "fase": c[f"phase_{p.record.status}"],
                "over": _first_sentence(p.plan.opgave),
            }
            for p in found
        ]
        return page(
            "plannen.html",
            headers=self._headers(),
            c=c,
            site=c["site"],
            titel=c["index_title"],
            gemeente=gemeenten.get(key),
            gemeenten=dict(sorted(gemeenten.items(), key=lambda item: item[1].casefold())),
            plannen=rows,
            gekozen=key,
        )

    # ------------------------------------------------------------------ one plan
    def _plan_page(self, p: Public, status_code: int = 200, **extra: Any) -> Response:
        c = texts()
        plan, today = p.plan, self.settings.today()
        timeline = []
        next_found = False
        afronding = closing.load_afronding(p.record)
        besluit = afronding.besluit
        # what the closing interview recorded as not held: not 'geweest', and never the next step
        cancelled = {u.activiteit for u in afronding.uitvoering if u.activiteit and not u.gehouden}
        steps = [m for m in milestones(plan, p.profile) if m.soort in SHOWN]
        if besluit is not None:  # the day it was taken, not the day it was planned for
            steps = [m.model_copy(update={"datum": besluit.datum}) if m.soort == "besluit" else m
                     for m in steps]  # fmt: skip
        for m in sorted(steps, key=lambda m: m.datum):
            if m.activiteit in cancelled:
                state = "cancelled"
            else:
                state = "done" if m.datum < today else ("current" if not next_found else "")
            next_found = next_found or state == "current"
            timeline.append(
                {"datum": show_date(m.datum, lang()), "label": label(m, plan, True), "state": state}
            )
        upcoming = []
        # a closed plan has nothing coming, whatever its planning said
        planned = [] if p.record.status == "afgerond" else plan.activiteiten
        for i, a in enumerate(planned, start=1):
            start = a.start
            end = a.periode.tot if a.periode else start
            if start is None or (end or start) < today:
                continue
            when = show_date(start, lang())
            if a.periode:
                when = f"{show_date(a.periode.van, lang())} – {show_date(a.periode.tot, lang())}"
            # for the people it is about: what it is, then its kind; not 'activiteit 2 (...)'
            naam = (a.omschrijving or "").strip() or a.type.value
            upcoming.append(
                {
                    "naam": naam[0].upper() + naam[1:],
                    "soort": a.type.value if a.omschrijving else None,
                    "wanneer": when,
                    "waar": a.plaats,
                    "ics": f"/plannen/{quote(p.code)}/activiteit-{i}.ics",
                    "sort": start,
                }
            )
        upcoming.sort(key=lambda u: u["sort"])
        return page(
            "plan_publiek.html",
            status_code,
            headers=self._headers(),
            c=c,
            site=c["site"],
            titel=plan.titel or p.code,
            gemeente=p.profile.naam,
            fase=c[f"phase_{p.record.status}"],
            plan=plan,
            niveau=_niveau(plan, p.profile),
            tijdlijn=timeline,
            komend=upcoming,
            updates=self._updates(p),
            uitkomst=self._outcome(p),
            stukken=self._documents(p),
            volgen=p.record.status in participants.ACTIVE,
            telegram=participants.telegram_link(self.store, p.code),
            csrf=form_token(secret_key(self.settings.data_dir), f"plan-volgen\n{p.code}"),
            actie=f"/plannen/{quote(p.code)}/volgen",
            melding=extra.get("melding"),
            fout=extra.get("fout"),
            email=extra.get("email", ""),
        )

    def _updates(self, p: Public) -> list[dict[str, str]]:
        """The owner's updates to the followers, as anyone may read them: the names the plan
        knows, addresses and numbers removed, as in the public version of the plan."""
        return [
            {
                "datum": show_date(at.date(), lang()),
                "tekst": openbaar.publiek_tekst(text.strip(), p.source, p.profile),
            }
            for at, text in self.store.plan_updates(p.record.id)
            if text.strip()
        ]

    def _outcome(self, p: Public) -> dict[str, Any] | None:
        """What was done with the input, once the closing interview said so."""
        afronding = closing.load_afronding(p.record)
        if not afronding.themas and not afronding.afweging:
            return None

        def clean(text: str | None) -> str | None:
            return openbaar.publiek_tekst(text, p.source, p.profile) if text else None

        themas = [
            {
                "naam": clean(t.naam),
                "wat": (
                    (VERWERKING_EN[t.verwerking] if lang() == "en" else t.verwerking.value)
                    if t.verwerking
                    else None
                ),
                "reden": _capital(clean(t.reden)),
            }
            for t in afronding.themas
        ]
        return {"themas": themas, "afweging": _capital(clean(afronding.afweging))}

    def _documents(self, p: Public) -> list[dict[str, str]]:
        c = texts()
        folder = self.settings.plans_dir / p.record.id
        found = []
        for name in DOCUMENTS:
            for suffix in (".pdf", ".docx"):
                if (folder / f"{name}{suffix}").is_file():
                    found.append(
                        {
                            "naam": c[f"doc_{name}"],
                            "soort": suffix[1:].upper(),
                            "url": f"/plannen/{quote(p.code)}/{name}{suffix}",
                        }
                    )
                    break  # the PDF when there is one
        return found

    async def show(self, request: Request) -> Response:
        p = self._find(request.path_params["code"])
        return self._plan_page(p) if p else self._not_found()

    async def document(self, request: Request) -> Response:
        p = self._find(request.path_params["code"])
        name = request.path_params["name"]
        stem, _, suffix = name.rpartition(".")
        if p is None or stem not in DOCUMENTS or suffix not in ("pdf", "docx"):
            return self._not_found()
        path = self.settings.plans_dir / p.record.id / name
        if not path.is_file():
            return self._not_found()
        return FileResponse(path, filename=name, headers={"X-Content-Type-Options": "nosniff"})

    async def ics(self, request: Request) -> Response:
        p = self._find(request.path_params["code"])
        data = None
        if p is not None:
            data = agenda.activiteit_ics(
                p.plan, p.profile, request.path_params["n"], p.record.id, self.settings.clock()
            )
        if data is None:
            return self._not_found()
        name = f"activiteit-{request.path_params['n']}.ics"
        return Response(
            data,
            media_type="text/calendar; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def follow(self, request: Request) -> Response:
        p = self._find(request.path_params["code"])
        if p is None:
            return self._not_found()
        c = texts()
        form = await read_form(request)
        key = secret_key(self.settings.data_dir)
        if not form_token_ok(key, f"plan-volgen\n{p.code}", form.get("csrf")):
            return self._plan_page(p, 403, fout=c["stale"])
        if p.record.status not in participants.ACTIVE:
            return self._plan_page(p, 409, fout=c["follow_closed"])
        try:
            address = parsing.parse_email(form.get("email", ""))
        except parsing.ParseError:
            return self._plan_page(p, 400, fout=c["follow_bad_email"], email=form.get("email", ""))
        # the participants' own double opt-in: a mail with a link to say yes
        done = participants.invite_emails(
            self.store, self.settings, p.record, [address], self.settings.clock(), public=True
        )
        if done.refused:
            return self._plan_page(p, 429, fout=done.refused[0])
        # the same answer whether or not the address follows already: nothing leaks
        return self._plan_page(p, melding=c["follow_sent"])


def _capital(text: str | None) -> str | None:
    """A reason typed as 'er komen 20 geveltuinen' starts a sentence on the page."""
    return text[:1].upper() + text[1:] if text else text


def _first_sentence(text: str | None) -> str:
    if not text:
        return ""
    first = text.split(". ")[0].strip()
    return first if first.endswith(".") else first + "."


def _niveau(plan: Plan, profile: Profile) -> str | None:
    """The level as a resident reads it: what it means for them, as 'In het kort' says it."""
    if plan.niveau is None:
        return None
    naam = profile.niveau_label(plan.niveau)
    if lang() != "nl":
        return f"{naam[:1].upper()}{naam[1:]}."
    uitleg = text(f"niveau_uitleg.{plan.niveau.value}")
    return text("kort.niveau", niveau=naam, uitleg=uitleg)


def routes(settings: Settings, store: Store) -> list[BaseRoute]:
    """The public plan pages, to mount on the HTTP server of `serve`."""
    pages = PublicPages(settings, store)

    table = [
        ("/plannen", pages.index, ["GET"]),
        ("/plannen/{code}", pages.show, ["GET"]),
        ("/plannen/{code}/volgen", pages.follow, ["POST"]),
        ("/plannen/{code}/activiteit-{n:int}.ics", pages.ics, ["GET"]),
        ("/plannen/{code}/{name}", pages.document, ["GET"]),
    ]
    return [Route(path, localised(fn), methods=methods) for path, fn, methods in table]
