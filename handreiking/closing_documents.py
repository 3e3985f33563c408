"""The closing documents: participatierapportage, evaluatie and participatieparagraaf."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.lists import format_list

from handreiking import documents
from handreiking.afronding import (
    NOG_NIET,
    Afronding,
    bereikt_namen,
    niet_bereikt,
    per_thema,
    vergelijk,
    verloop,
)
from handreiking.agenda import planning_ics
from handreiking.evaluatie import (
    SCHAAL_UITLEG,
    aggregate,
    anoniem,
    chart,
    chart_alt_tekst,
    vragen,
)
from handreiking.formatting import GEEN, LOCALE, datum
from handreiking.models import Plan
from handreiking.paragraaf import alineas, inbreng_samenvatting, vastgestelde_stukken
from handreiking.planning import MET_LIDWOORD, milestones
from handreiking.profiles import Profile
from handreiking.projectgroep import ProjectgroepEvaluatie, samenvatting
from handreiking.tijdlijn import alt_tekst, tijdlijn_png
from handreiking.verslag import verslag

if TYPE_CHECKING:
    from docxtpl import DocxTemplate

RAPPORTAGE = "participatierapportage"
EVALUATIE = "evaluatie"
PARAGRAAF = "participatieparagraaf"
VERSLAG = "participatieverslag-aanvraag"


def _lijst(items: Iterable[str]) -> str | None:
    items = list(items)
    return format_list(items, locale=LOCALE) if items else None


def projectgroep_context(evaluatie: ProjectgroepEvaluatie | None) -> dict[str, Any]:
    """The project group's evaluation for the rapportage and the evaluatie."""
    if evaluatie is None or not evaluatie.punten:
        return {"pg_punten": [], "pg_samenvatting": None, "pg_goed": None, "pg_beter": None}
    return {
        "pg_punten": [
            {
                "tekst": p.tekst,
                "oordeel": p.oordeel.value,
                "opmerking": documents.aan_het_begin(p.opmerking or ""),
            }
            for p in evaluatie.punten
        ],
        "pg_samenvatting": samenvatting(evaluatie),
        "pg_goed": documents.aan_het_begin(evaluatie.goed),
        "pg_beter": documents.aan_het_begin(evaluatie.beter),
    }


def _datum(vandaag: date | None) -> dict[str, Any]:
    """The front page's date: the caller's today (the bot's clock), else the computer's."""
    if vandaag is None:
        return {}
    return {"stand": {"datum": datum(vandaag), "versie": None, "status": None}}


def rapportage_context(
    vastgesteld: Plan, afronding: Afronding, profile: Profile, vastgesteld_op: date | None = None
) -> dict[str, Any]:
    """The names the rapportage template adds to the plan's own (documents.build_context)."""
    rows = verloop(vastgesteld, afronding)
    deelnames = afronding.deelnames()
    besluit = afronding.besluit
    niet = [b.naam for b in niet_bereikt(vastgesteld, afronding)]
    return {
        "stukken": vastgestelde_stukken(vastgesteld),
        "vastgesteld_op": datum(vastgesteld_op),
        "niveau_vastgesteld": (
            profile.niveau_label(vastgesteld.niveau) if vastgesteld.niveau else None
        ),
        "niveau_uitgevoerd": (
            profile.niveau_label(afronding.niveau)
            if afronding.niveau and afronding.niveau != vastgesteld.niveau
            else None
        ),
        "verloop": [
            {
                "naam": r.naam[:1].upper() + r.naam[1:],
                "gepland": r.gepland,
                "gedaan": r.gedaan,
                "deelnemers": GEEN if r.deelnemers is None else r.deelnemers,
            }
            for r in rows
        ],
        "deelnames": GEEN if deelnames is None else deelnames,
        "bereikt": _lijst(bereikt_namen(afronding)),
        "niet_bereikt": _lijst(niet),
        "afwijkingen": [
            {"tekst": a.tekst, "reden": a.reden} for a in vergelijk(vastgesteld, afronding, profile)
        ],
        "inbreng_samenvatting": inbreng_samenvatting(afronding),
        "themas": [
            {
                "naam": thema.naam,
                "aantal": len(items),
                "verwerking": thema.verwerking.value if thema.verwerking else NOG_NIET,
                "reden": thema.reden,
                # the rapportage is published: people's names and addresses stay out
                "reacties": [anoniem(i.tekst) for i in items],
            }
            for thema, items in per_thema(afronding)
        ],
        "afweging": documents.aan_het_begin(afronding.afweging or vastgesteld.afwegingskader),
        "besluit": {
            "datum": datum(besluit.datum),
            "orgaan": MET_LIDWOORD[besluit.orgaan],
            "uitkomst": besluit.uitkomst,
            "link": besluit.link,
        }
        if besluit
        else None,
        **projectgroep_context(afronding.projectgroep),
    }


def render_rapportage(
    plan_vastgesteld: Plan,
    plan_actueel: Plan,
    afronding: Afronding,
    profile: Profile,
    out_path: Path,
    template_dirs: list[Path] | None = None,
    tijdlijn: Path | None = None,
    vastgesteld_op: date | None = None,
    vandaag: date | None = None,
) -> Path:
    """Write the participatierapportage: planned against done, compared with the vastgestelde
    plan, the timeline of the current plan (`tijdlijn`: a PNG already made, else made here),
    the input by theme with what was done with it and why, the weighing and the besluit.
    """
    extra = {**rapportage_context(plan_vastgesteld, afronding, profile, vastgesteld_op)}
    extra.update(_datum(vandaag))
    with tempfile.TemporaryDirectory() as tmp:
        image = None
        if milestones(plan_actueel, profile):
            image = tijdlijn or tijdlijn_png(plan_actueel, profile, Path(tmp) / "tijdlijn.png")
        descr = alt_tekst(plan_actueel, profile)

        def context(tpl: DocxTemplate) -> dict[str, Any]:
            from handreiking.word import Afbeelding  # Word only when rendering

            picture = Afbeelding(tpl, image, descr) if image else None
            return {**extra, "tijdlijn": picture}

        return documents.render(
            RAPPORTAGE, plan_actueel, profile, [], out_path, template_dirs, extra=context
        )


def evaluatie_context(
    plan: Plan,
    antwoorden: list[Mapping[str, object]],
    profile: Profile,
    evaluatie: ProjectgroepEvaluatie | None = None,
) -> dict[str, Any]:
    """The names the evaluatie template adds to the plan's own, without the chart."""
    uitslagen = aggregate(antwoorden, vragen(profile))
    n = len(antwoorden)
    if n:
        wie = "1 deelnemer" if n == 1 else f"{n} deelnemers"
        respondenten = f"{wie} vulde{'n' if n > 1 else ''} het evaluatieformulier in."
        respondenten += " De antwoorden zijn anoniem."
    else:
        respondenten = "Nog niemand vulde het evaluatieformulier in."
    # before the first form a table of zeros and a list of unanswered questions say nothing
    # a reader can use: the sections say in one sentence that there is nothing yet
    nog_niets = "nog niemand vulde het evaluatieformulier in."
    return {
        "uitslagen": uitslagen,
        "respondenten": respondenten,
        "schaal_uitleg": SCHAAL_UITLEG,
        "scores": [
            {
                "vraag": u.vraag.tekst,
                "aantal": u.aantal,
                "gemiddelde": u.gemiddelde_tekst,
                "verdeling": u.verdeling,
            }
            for u in uitslagen
            if u.vraag.soort == "schaal" and n
        ],
        "geen_scores": (
            "Er zijn geen vragen met een score."
            if n or not any(u.vraag.soort == "schaal" for u in uitslagen)
            else f"Er zijn nog geen scores: {nog_niets}"
        ),
        "open_vragen": [
            {"vraag": u.vraag.tekst, "antwoorden": u.antwoorden}
            for u in uitslagen
            if u.vraag.soort == "open" and n
        ],
        "geen_open_antwoorden": (
            f"Er zijn nog geen antwoorden: {nog_niets}"
            if not n
            else "Het evaluatieformulier heeft geen open vragen."
        ),
        "handreiking": str(profile.handreiking) if profile.handreiking else None,
        **projectgroep_context(evaluatie),
    }


def render_evaluatie(
    plan: Plan,
    antwoorden: list[Mapping[str, object]],
    profile: Profile,
    out_path: Path,
    template_dirs: list[Path] | None = None,
    projectgroep: str | None = None,
    evaluatie: ProjectgroepEvaluatie | None = None,
    vandaag: date | None = None,
) -> Path:
    """Write evaluatie.docx: the participants' scores with a chart, their open answers (no
    names), the criteria set in the plan and the project group's own evaluation.

    `antwoorden`: one mapping per participant, question key -> score or text (see
    handreiking.evaluatie.aggregate).
    """
    extra = evaluatie_context(plan, antwoorden, profile, evaluatie)
    uitslagen = extra.pop("uitslagen")
    extra["projectgroep"] = projectgroep
    extra.update(_datum(vandaag))
    with tempfile.TemporaryDirectory() as tmp:
        png = chart(uitslagen, Path(tmp) / "evaluatie.png") if extra["scores"] else None

        def context(tpl: DocxTemplate) -> dict[str, Any]:
            from handreiking.word import Afbeelding  # Word only when rendering

            picture = Afbeelding(tpl, png, chart_alt_tekst(uitslagen)) if png else None
            return {**extra, "grafiek": picture}

        return documents.render(
            EVALUATIE, plan, profile, [], out_path, template_dirs, extra=context
        )


def render_paragraaf(
    plan: Plan,
    afronding: Afronding,
    profile: Profile,
    out_path: Path,
    template_dirs: list[Path] | None = None,
    vandaag: date | None = None,
) -> Path:
    """Write participatieparagraaf.docx: the text of paragraaf.paragraaf_tekst, with headings.

    `plan` is the plan as college or raad adopted it.
    """
    extra = {"paragraaf": alineas(plan, afronding, profile), **_datum(vandaag)}
    return documents.render(PARAGRAAF, plan, profile, [], out_path, template_dirs, extra=extra)


def render_verslag(
    plan: Plan,
    afronding: Afronding,
    profile: Profile,
    out_path: Path,
    template_dirs: list[Path] | None = None,
    vandaag: date | None = None,
) -> Path:
    """Write participatieverslag-aanvraag.docx (and its tagged PDF, see documents.render): the
    verslag for an omgevingsvergunning application, before or after the traject.

    `plan` is the plan as college or raad adopted it.
    """
    extra = {"verslag": verslag(plan, afronding, profile), **_datum(vandaag)}
    return documents.render(VERSLAG, plan, profile, [], out_path, template_dirs, extra=extra)


def write_planning(
    plan: Plan, profile: Profile, out_dir: Path, plan_id: str | None = None
) -> list[Path]:
    """Write tijdlijn.png and planning.ics of the plan into out_dir (the plan's folder)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    ics = out_dir / "planning.ics"
    ics.write_bytes(planning_ics(plan, profile, plan_id))
    return [tijdlijn_png(plan, profile, out_dir / "tijdlijn.png"), ics]
