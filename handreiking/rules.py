"""Checks of a plan against the gemeente's rules and the handreiking's tips: each one a Finding."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from babel.dates import format_date
from pydantic import BaseModel

from handreiking import middelen
from handreiking.calendar import (
    REGIOS,
    Holiday,
    covered,
    holiday_on,
    school_holiday_on,
    school_holiday_regions,
)
from handreiking.formatting import soort_en_naam
from handreiking.models import (
    Activiteit,
    ActiviteitType,
    Doel,
    Mate,
    Niveau,
    Periode,
    Plan,
    Rol,
)
from handreiking.planning import (
    ALGEMEEN_AANKONDIGING_DAGEN,
    ALGEMEEN_INBRENG_DAGEN,
    activiteit_tekst,
    datum_tekst,
    uiterlijk_aankondigen,
)
from handreiking.profiles import Bron, ChecklistItem, Profile, load_profile
from handreiking.resources import load_yaml, shipped


class Soort(StrEnum):
    beleidsregel = "beleidsregel"
    tip = "tip"


class Finding(BaseModel):
    code: str  # stable id, unique within a plan, e.g. 'aankondiging:2' for the 2nd activity
    soort: Soort
    tekst: str  # plain Dutch explanation
    bron: str  # the public document: title, year, section and URL
    vraag: str  # question key where it shows
    afwijking: str | None = None  # the user's reason to keep it, if given
    regel: str | None = None  # the rule or tip in the source's own words
    # tekst and bron in another language, for the chat: {'en': {'tekst': ..., 'bron': ...}}
    vertaald: dict[str, dict[str, str]] = {}

    def tekst_in(self, lang: str) -> str:
        """The text in lang where the finding has one; the documents print the Dutch."""
        return self.vertaald.get(lang, {}).get("tekst") or self.tekst

    def bron_in(self, lang: str) -> str:
        return self.vertaald.get(lang, {}).get("bron") or self.bron


# a text in every language it has ({'nl': ..., 'en': ...}); a finding's Dutch is its tekst
Talig = dict[str, str]


@cache
def _teksten() -> dict[str, Any]:
    return load_yaml(shipped("templates") / "messages" / "bevindingen.yaml")


@cache
def _option_labels() -> dict[str, dict[str, Talig]]:
    """The chat's words for an option ('raadplegen' is 'consult' in English)."""
    return load_yaml(shipped("templates") / "messages" / "engine.yaml")["option_labels"]


def _tekst(key: str, **params: str | int | Talig) -> Talig:
    """Text `key` of templates/messages/bevindingen.yaml in each language ('a.b' reaches into
    a mapping); a parameter given per language (a date, a level) is filled in with that
    language's."""
    found: Any = _teksten()
    for part in key.split("."):
        found = found[part]
    return {
        lang: text.format(
            **{k: v.get(lang, v["nl"]) if isinstance(v, dict) else v for k, v in params.items()}
        )
        for lang, text in found.items()
    }


def bevinding_tekst(key: str, **params: str | int | Talig) -> Talig:
    """Text `key` of templates/messages/bevindingen.yaml in each language, for a finding made
    elsewhere (the check on personal data in handreiking/openbaar.py)."""
    return _tekst(key, **params)


def finding(
    code: str,
    soort: Soort,
    tekst: Talig,
    bron: Talig,
    vraag: str,
    afwijking: str | None = None,
    regel: str | None = None,
) -> Finding:
    """A finding from its text and source in each language: the Dutch for the documents, the
    others for the chat."""
    vertaald = {
        lang: {"tekst": t, "bron": bron.get(lang, bron["nl"])}
        for lang, t in tekst.items()
        if lang != "nl"
    }
    return Finding(
        code=code,
        soort=soort,
        tekst=tekst["nl"],
        bron=bron["nl"],
        vraag=vraag,
        afwijking=afwijking,
        regel=regel,
        vertaald=vertaald,
    )


def _datum(d: date) -> Talig:
    """'12 maart 2026', '12 March 2026'."""
    return {"nl": datum_tekst(d), "en": format_date(d, format="d MMMM yyyy", locale="en")}


def _optie(option_set: str, value: str, nl: str | None = None) -> Talig:
    """An option in each language: the Dutch as given (a profile's own word), else its value."""
    labels = _option_labels().get(option_set, {}).get(value) or {}
    return {**labels, "nl": nl or value}


def _naam(a: Activiteit, i: int, profile: Profile) -> Talig:
    """'activiteit 2 (bijeenkomst: Inloopavond)', 'activity 2 (meeting: Drop-in evening)'."""
    soort = _optie("ActiviteitType", a.type.value)
    omschrijving = middelen.naam(profile, a.omschrijving, "en")
    en = _tekst("activiteit", i=i, soort=soort_en_naam(soort.get("en", a.type.value), omschrijving))
    return {"nl": activiteit_tekst(a, i), "en": en["en"]}


def _reeks(keys: list[str]) -> Talig:
    """The texts of keys in a row: 'a', 'a en b', 'a, b en c'."""
    delen, en = [_tekst(k) for k in keys], _tekst("en_reeks")
    return {
        lang: ", ".join(d[lang] for d in delen[:-1]) + en[lang] + delen[-1][lang]
        if len(delen) > 1
        else delen[0][lang]
        for lang in en
    }


def _hoofdletter(tekst: Talig) -> Talig:
    return {lang: t[:1].upper() + t[1:] for lang, t in tekst.items()}


TIPS = Path(__file__).parent / "tips.yaml"


@cache
def _tips() -> dict[str, Bron]:
    """The origin of each piece of general advice: a section of some gemeente's document."""
    tips = {}
    for onderwerp, entry in load_yaml(TIPS).items():
        origin = load_profile(entry.pop("gemeente"))
        bron = Bron(**entry)
        bron.publicatie = origin.publicaties[bron.document]
        bron.gemeente = origin.naam
        tips[onderwerp] = bron
    return tips


def _algemeen(onderwerp: str) -> Bron:
    """Source of a tip from the handreiking in general: the gemeente it comes from."""
    return _tips()[onderwerp]


def citeer(bron: Bron, profile: Profile) -> str:
    """The source as a reader follows it; another gemeente's document says whose it is."""
    return _citeer(bron, profile)["nl"]


def _citeer(bron: Bron, profile: Profile) -> Talig:
    publicatie = bron.publicatie
    talen = _teksten()["handreiking_van"]
    if publicatie is None or publicatie.uitgever or bron.gemeente in (None, profile.naam):
        return {lang: bron.citeer(lang=lang) for lang in talen}
    zonder_gemeente = {lang: bron.citeer(gemeente=False, lang=lang) for lang in talen}
    return _tekst("handreiking_van", gemeente=bron.gemeente, bron=zonder_gemeente)


# Checks a gemeente makes its own rule by naming the code in a checklist item's `bevinding`.
BEVINDINGEN = {
    "kaders",
    "afwegingskader",
    "terugkoppeling",
    "updates",
    "evaluatie",
    "evaluatie_criteria",
    "avg",
    "middelen",
    "geen_participatie",
}
# Of those, the checks that exist only where a gemeente has the rule: elsewhere they would be
# noise rather than help.
_ALLEEN_ALS_REGEL = {"evaluatie_criteria", "middelen", "geen_participatie"}

_KADERS = ("kader_inhoudelijk", "kader_financieel", "kader_proces")


class _Checker:
    def __init__(self, plan: Plan, profile: Profile, today: date, asked: set[str] | None):
        self.plan = plan
        self.profile = profile
        self.today = today
        self.asked = asked
        self.found: list[Finding] = []

    def was_asked(self, *keys: str) -> bool:
        """A missing answer only counts once the question was answered or skipped."""
        return self.asked is None or all(k in self.asked for k in keys)

    def add(
        self,
        code: str,
        soort: Soort,
        tekst: str | Talig,
        bron: Bron,
        vraag: str,
        regel: str | None = None,
    ) -> None:
        teksten = tekst if isinstance(tekst, dict) else {"nl": tekst}
        self.found.append(
            finding(
                code,
                soort,
                teksten,
                _citeer(bron, self.profile),
                vraag,
                afwijking=self.plan.afwijkingen.get(code),
                regel=regel or bron.tekst,
            )
        )

    def regel(self, code: str) -> ChecklistItem | None:
        return next((c for c in self.profile.checklist if c.bevinding == code), None)

    def add_checklist(self, code: str, tekst: Talig, vraag: str, algemeen: Bron) -> None:
        """A finding that is the gemeente's rule when its checklist says so, else a tip."""
        item = self.regel(code)
        if item:
            tekst = _tekst("regel_van", tekst=tekst, gemeente=self.profile.naam, regel=item.tekst)
            self.add(code, Soort.beleidsregel, tekst, item.bron, vraag, item.tekst)
        elif code not in _ALLEEN_ALS_REGEL:
            self.add(code, Soort.tip, tekst, algemeen, vraag)

    def label(self, niveau: Niveau) -> str:
        return self.profile.niveau_label(niveau)

    def niveau(self, niveau: Niveau) -> Talig:
        """The level in the gemeente's own Dutch word, in English as the chat names it."""
        return _optie("Niveau", niveau.value, self.label(niveau))


def check(
    plan: Plan, profile: Profile, today: date, *, asked: set[str] | None = None
) -> list[Finding]:
    """Every finding on the plan as it stands.

    asked: the question keys answered or skipped so far. A missing answer is only reported
    once its question has come by; None means the interview is complete. A list question
    ('activiteiten') counts as asked once the list is closed, not while an item is entered.
    """
    c = _Checker(plan, profile, today, asked)
    _niveau(c)
    _doel_niveau(c)
    _geen_participatie(c)
    _kaders(c)
    _missing_text(c)
    _avg(c)
    for i, a in enumerate(plan.activiteiten, start=1):
        _activiteit(c, i, a)
    _middelen(c)
    _stakeholders(c)
    _omgeving(c)
    _haalbaarheid(c)
    _plan_dates(c)
    return c.found


def _niveau(c: _Checker) -> None:
    minimum = c.profile.minimum_niveau
    niveau = c.plan.niveau
    if minimum and niveau and niveau.rank < minimum.niveau.rank:
        c.add(
            "niveau",
            Soort.beleidsregel,
            _tekst(
                "niveau",
                gekozen=c.niveau(niveau),
                gemeente=c.profile.naam,
                minimum=c.niveau(minimum.niveau),
            ),
            minimum.bron,
            "niveau",
        )


def _doel_niveau(c: _Checker) -> None:
    niveau = c.plan.niveau
    doelen = set(c.plan.doelen)
    if not niveau or not doelen:
        return
    bron = _algemeen("doel")
    gekozen = c.niveau(niveau)
    # Each doel asks for a rung on the ladder; a level far below or above it contradicts it.
    if Doel.samen_beslissen in doelen and niveau.rank < Niveau.coproduceren.rank:
        c.add(
            "doel_niveau:samen_beslissen",
            Soort.tip,
            _tekst("doel_niveau_samen_beslissen", gekozen=gekozen),
            bron,
            "niveau",
        )
    if Doel.samen_doen in doelen and niveau.rank < Niveau.adviseren.rank:
        c.add(
            "doel_niveau:samen_doen",
            Soort.tip,
            _tekst("doel_niveau_samen_doen", gekozen=gekozen),
            bron,
            "niveau",
        )
    if Doel.samen_denken in doelen:
        alleen_denken = doelen <= {Doel.samen_denken, Doel.samen_leren}
        if niveau == Niveau.informeren:
            c.add(
                "doel_niveau:samen_denken",
                Soort.tip,
                _tekst(
                    "doel_niveau_samen_denken",
                    gekozen=gekozen,
                    raadplegen=c.niveau(Niveau.raadplegen),
                ),
                bron,
                "niveau",
            )
        elif alleen_denken and niveau.rank >= Niveau.coproduceren.rank:
            c.add(
                "doel_niveau:samen_denken",
                Soort.tip,
                _tekst("doel_niveau_alleen_denken", gekozen=gekozen),
                bron,
                "niveau",
            )


def _geen_participatie(c: _Checker) -> None:
    if c.plan.niveau != Niveau.informeren or c.plan.niveau_toelichting:
        return
    if c.was_asked("niveau_toelichting"):
        c.add_checklist(
            "geen_participatie",
            _tekst("geen_participatie"),
            "niveau_toelichting",
            _algemeen("geen_participatie"),
        )


def _kaders(c: _Checker) -> None:
    if any(getattr(c.plan, k) for k in _KADERS) or not c.was_asked(*_KADERS):
        return
    c.add_checklist(
        "kaders",
        _tekst("kaders"),
        "kader_proces",
        _algemeen("kaders"),
    )


def _missing_text(c: _Checker) -> None:
    p = c.plan
    if not p.afwegingskader and c.was_asked("afwegingskader"):
        c.add_checklist(
            "afwegingskader",
            _tekst("afwegingskader"),
            "afwegingskader",
            _algemeen("afwegingskader"),
        )
    if not p.terugkoppeling and c.was_asked("terugkoppeling"):
        c.add_checklist(
            "terugkoppeling",
            _tekst("terugkoppeling"),
            "terugkoppeling",
            _algemeen("terugkoppeling"),
        )
    if p.update_ritme_weken == 0:
        c.add_checklist(
            "updates",
            _tekst("updates"),
            "update_ritme_weken",
            _algemeen("updates"),
        )
    if not p.evaluatie and c.was_asked("evaluatie"):
        c.add_checklist(
            "evaluatie",
            _tekst("evaluatie"),
            "evaluatie",
            _algemeen("evaluatie"),
        )
    # Without any evaluation the finding above says enough.
    if p.evaluatie and not p.evaluatie_criteria and c.was_asked("evaluatie_criteria"):
        c.add_checklist(
            "evaluatie_criteria",
            _tekst("evaluatie_criteria"),
            "evaluatie_criteria",
            _algemeen("evaluatie_criteria"),
        )


def _avg(c: _Checker) -> None:
    p = c.plan
    open_vraag = p.avg_akkoord is None and c.was_asked("avg_akkoord")
    eigen_tekst_leeg = (
        p.avg_akkoord is False and not p.avg_tekst and c.was_asked("avg_akkoord", "avg_tekst")
    )
    if open_vraag or eigen_tekst_leeg:
        c.add_checklist(
            "avg",
            _tekst("avg"),
            "avg_akkoord",
            _algemeen("avg"),
        )


def _activiteit(c: _Checker, i: int, a: Activiteit) -> None:
    naam = _naam(a, i, c.profile)
    if a.periode and a.periode.tot < a.periode.van:
        c.add(
            f"volgorde:periode:{i}",
            Soort.tip,
            _tekst(
                "volgorde_periode",
                naam=naam,
                tot=_datum(a.periode.tot),
                van=_datum(a.periode.van),
            ),
            _algemeen("planning"),
            "activiteiten",
        )
    elif a.periode and a.type.has_period:
        _inbreng(c, i, a, a.periode, naam)
    if a.type.needs_notice:
        _aankondiging(c, i, a, naam)
    _vakantie(c, i, a, naam)
    _activiteit_niveau(c, i, a, naam)
    _activiteit_dates(c, i, a, naam)


def _aankondiging(c: _Checker, i: int, a: Activiteit, naam: Talig) -> None:
    start = a.start
    if not start or not a.aankondiging:
        return
    if a.aankondiging > start:
        c.add(
            f"volgorde:aankondiging:{i}",
            Soort.tip,
            _tekst(
                "volgorde_aankondiging",
                naam=naam,
                aankondiging=_datum(a.aankondiging),
                start=_datum(start),
            ),
            _algemeen("planning"),
            "activiteiten",
        )
        return
    regel = c.profile.aankondiging
    dagen = regel.dagen if regel else ALGEMEEN_AANKONDIGING_DAGEN
    if (start - a.aankondiging).days >= dagen:
        return
    tekst = _tekst(
        "aankondiging",
        naam=naam,
        dagen=(start - a.aankondiging).days,
        wie=_wie(c, regel is not None),
        weken=_weken(dagen),
        uiterlijk=_datum(uiterlijk_aankondigen(start, c.profile)),
    )
    if regel:
        c.add(f"aankondiging:{i}", Soort.beleidsregel, tekst, regel.bron, "activiteiten")
    else:
        c.add(f"aankondiging:{i}", Soort.tip, tekst, _algemeen("planning"), "activiteiten")


def _inbreng(c: _Checker, i: int, a: Activiteit, periode: Periode, naam: Talig) -> None:
    regel = c.profile.online_inbreng
    dagen = regel.dagen if regel else ALGEMEEN_INBRENG_DAGEN
    open_dagen = (periode.tot - periode.van).days + 1
    if open_dagen >= dagen:
        return
    tekst = _tekst(
        "inbreng",
        Naam=_hoofdletter(naam),
        dagen=open_dagen,
        wie=_wie(c, regel is not None),
        weken=_weken(dagen),
        tot=_datum(periode.van + timedelta(days=dagen - 1)),
    )
    if regel:
        c.add(f"inbreng:{i}", Soort.beleidsregel, tekst, regel.bron, "activiteiten")
    else:
        c.add(f"inbreng:{i}", Soort.tip, tekst, _algemeen("planning"), "activiteiten")


def _weken(dagen: int) -> Talig:
    if dagen % 7:
        return _tekst("dagen", n=dagen)
    return _tekst("week") if dagen == 7 else _tekst("weken", n=dagen // 7)


def _wie(c: _Checker, eigen_regel: bool) -> Talig:
    return _tekst("wie_regel", gemeente=c.profile.naam) if eigen_regel else _tekst("wie_advies")


def _vakantie(c: _Checker, i: int, a: Activiteit, naam: Talig) -> None:
    start, eind = a.start, a.eind
    if not start or not eind or eind < start:
        return
    regio = c.profile.regio
    if not (covered(start) and covered(eind)):
        jaar = start.year if not covered(start) else eind.year
        c.add(
            f"kalender:{i}",
            Soort.tip,
            _tekst("kalender", naam=naam, jaar=jaar),
            _algemeen("vakantie"),
            "activiteiten",
        )
    if a.periode:
        # A period open for weeks is not spoilt by one public holiday, only by school holidays.
        namen = _schoolvakanties_talig(_days(start, eind), regio)
        if not namen:
            return
        en_de = _tekst("en_de")
        reeks = {lang: en_de[lang].join(n[lang] for n in namen) for lang in en_de}
        wanneer = _tekst("vakantie_periode", namen=reeks)
        advies = _tekst("advies_periode")
    else:
        h = holiday_on(start, regio)
        if h and h.soort == "feestdag":
            wanneer = _tekst("vakantie_feestdag", vakantie=_vakantie_naam(h))
        elif h:
            wanneer = _tekst("vakantie_regio", vakantie=_vakantie_naam(h), regio=str(regio))
        elif namen := _schoolvakanties_talig([start], regio):
            wanneer = _tekst("vakantie_dag", vakantie=namen[0])
        else:
            return
        advies = _tekst("advies_dag")
    if regio is None and " van regio " in wanneer["nl"]:
        extra = _tekst("advies_regio")
        advies = {lang: advies[lang] + extra[lang] for lang in advies}
    tekst = _tekst("vakantie", Naam=_hoofdletter(naam), wanneer=wanneer, advies=advies)
    regel = c.profile.vakantie
    if regel:
        c.add(f"vakantie:{i}", Soort.beleidsregel, tekst, regel.bron, "activiteiten")
    else:
        c.add(f"vakantie:{i}", Soort.tip, tekst, _algemeen("vakantie"), "activiteiten")


def _schoolvakanties_talig(days: list[date], regio: str | None) -> list[Talig]:
    """The school holidays among days, by name. Without a known region (a gemeente with no
    profile) every region counts, and a holiday not all regions have then names those that do:
    'Zomervakantie van regio noord en midden'."""
    if regio:
        found_in = {h.naam: h for d in days if (h := school_holiday_on(d, regio))}
        return [_vakantie_naam(found_in[n]) for n in sorted(found_in)]
    regios: dict[str, set[str]] = {}
    namen: dict[str, Talig] = {}
    for d in days:
        for name, found in school_holiday_regions(d).items():
            regios.setdefault(name, set()).update(found)
            if name not in namen and (h := school_holiday_on(d, found[0])):
                namen[name] = _vakantie_naam(h)
    en = _tekst("en_reeks")
    return [
        namen[name]
        if len(found) == len(REGIOS)
        else _tekst(
            "van_regio",
            vakantie=namen[name],
            regios={lang: en[lang].join(r for r in REGIOS if r in found) for lang in en},
        )
        for name, found in sorted(regios.items())
    ]


def _vakantie_naam(h: Holiday) -> Talig:
    """'Hemelvaartsdag', in English as the holidays package names it: 'Ascension Day'."""
    return {"nl": h.naam, "en": h.naam_en or h.naam}


def _geen_vergaderdag(d: date) -> Talig | None:
    """'een zaterdag', 'Tweede Pinksterdag (een feestdag)', or None on a working day."""
    if d.weekday() >= 5:
        return _tekst("zaterdag" if d.weekday() == 5 else "zondag")
    h = holiday_on(d, None)
    return _tekst("feestdag", vakantie=_vakantie_naam(h)) if h else None


def _days(start: date, stop: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((stop - start).days + 1)]


def _activiteit_niveau(c: _Checker, i: int, a: Activiteit, naam: Talig) -> None:
    minimum = c.profile.minimum_niveau
    # A letter or newsletter informs by nature; it may sit next to activities on a higher rung.
    if not minimum or not a.niveau or a.type == ActiviteitType.informatie:
        return
    if a.niveau.rank < minimum.niveau.rank:
        c.add(
            f"niveau:{i}",
            Soort.beleidsregel,
            _tekst(
                "niveau_activiteit",
                Naam=_hoofdletter(naam),
                gekozen=c.niveau(a.niveau),
                gemeente=c.profile.naam,
                minimum=c.niveau(minimum.niveau),
            ),
            minimum.bron,
            "activiteiten",
        )


def _activiteit_dates(c: _Checker, i: int, a: Activiteit, naam: Talig) -> None:
    p = c.plan
    start, eind = a.start, a.eind
    if start and start < c.today:
        c.add(
            f"verleden:{i}",
            Soort.tip,
            _tekst("verleden_activiteit", Naam=_hoofdletter(naam), datum=_datum(start)),
            _algemeen("planning"),
            "activiteiten",
        )
    elif a.aankondiging and a.aankondiging < c.today and a.type.needs_notice:
        c.add(
            f"verleden:aankondiging:{i}",
            Soort.tip,
            _tekst("verleden_aankondiging", naam=naam, datum=_datum(a.aankondiging)),
            _algemeen("planning"),
            "activiteiten",
        )
    if not eind:
        return
    if p.besluitdatum and eind > p.besluitdatum:
        c.add(
            f"volgorde:besluit:{i}",
            Soort.tip,
            _tekst(
                "volgorde_besluit",
                Naam=_hoofdletter(naam),
                eind=_datum(eind),
                besluit=_datum(p.besluitdatum),
            ),
            _algemeen("planning"),
            "activiteiten",
        )
    elif p.rapportage_datum and eind > p.rapportage_datum:
        c.add(
            f"volgorde:rapportage:{i}",
            Soort.tip,
            _tekst(
                "volgorde_rapportage_activiteit",
                Naam=_hoofdletter(naam),
                eind=_datum(eind),
                rapportage=_datum(p.rapportage_datum),
            ),
            _algemeen("planning"),
            "activiteiten",
        )


def _middelen(c: _Checker) -> None:
    if not c.plan.activiteiten or not c.was_asked("activiteiten"):
        return
    zonder = [
        str(i) for i, a in enumerate(c.plan.activiteiten, start=1) if not (a.uren and a.kosten)
    ]
    if not zonder:
        return
    en = _tekst("en_reeks")
    welke = {
        lang: zonder[0] if len(zonder) == 1 else ", ".join(zonder[:-1]) + en[lang] + zonder[-1]
        for lang in en
    }
    c.add_checklist(
        "middelen",
        _tekst("middelen", welke=welke),
        "activiteiten",
        _algemeen("middelen"),
    )


def _stakeholders(c: _Checker) -> None:
    """Once parties are weighed: an influential party needs a role, and someone is kept informed."""
    partijen = c.plan.belanghebbenden
    if not any(b.invloed for b in partijen) or not c.was_asked("belanghebbenden"):
        return
    for i, b in enumerate(partijen, start=1):
        if b.invloed == Mate.hoog and b.rol is None:
            c.add(
                f"stakeholder_rol:{i}",
                Soort.tip,
                _tekst("stakeholder_rol", naam=b.naam),
                _algemeen("stakeholders"),
                "belanghebbenden",
            )
    if not any(b.rol == Rol.geinformeerd for b in partijen):
        c.add(
            "geinformeerd",
            Soort.tip,
            _tekst("geinformeerd"),
            _algemeen("rolverdeling"),
            "belanghebbenden",
        )


def _omgeving(c: _Checker) -> None:
    """Leiden: know the area before the plan; a tip, the plan goes on."""
    bron, plan = c.profile.omgeving, c.plan
    if bron is None:
        return
    if plan.omgeving_bezocht is False:
        c.add(
            "omgeving_bezocht",
            Soort.tip,
            _tekst("omgeving_bezocht"),
            bron,
            "omgeving_bezocht",
        )
    if plan.omgeving_gesproken is False:
        c.add(
            "omgeving_gesproken",
            Soort.tip,
            _tekst("omgeving_gesproken"),
            bron,
            "omgeving_gesproken",
        )


# the answers that say participation is not feasible yet; each names why in bevindingen.yaml
_HAALBAAR = ("haalbaar_ruimte", "haalbaar_tijd", "haalbaar_budget")


def _haalbaarheid(c: _Checker) -> None:
    """Heemstede: only start when participation is feasible; a tip, never a block."""
    bron = c.profile.haalbaarheid
    niet = [key for key in _HAALBAAR if getattr(c.plan, key) is False]
    if bron is None or not niet:
        return
    c.add("haalbaarheid", Soort.tip, _tekst("haalbaarheid", wat=_reeks(niet)), bron, niet[0])


def _plan_dates(c: _Checker) -> None:
    p = c.plan
    for key, wat in (
        ("besluitdatum", "het_besluit"),
        ("rapportage_datum", "de_rapportage"),
        ("evaluatie_datum", "de_evaluatie"),
    ):
        d = getattr(p, key)
        if d and d < c.today:
            c.add(
                f"verleden:{key}",
                Soort.tip,
                _tekst("verleden_plan", wat=_tekst(wat), datum=_datum(d)),
                _algemeen("planning"),
                key,
            )
    if p.besluitdatum and (vrij := _geen_vergaderdag(p.besluitdatum)):
        c.add(
            "vergaderdag:besluit",
            Soort.tip,
            _tekst("vergaderdag_besluit", besluit=_datum(p.besluitdatum), vrij=vrij),
            _algemeen("planning"),
            "besluitdatum",
        )
    if p.besluitdatum and p.rapportage_datum and p.rapportage_datum > p.besluitdatum:
        c.add(
            "volgorde:rapportage",
            Soort.tip,
            _tekst(
                "volgorde_rapportage",
                rapportage=_datum(p.rapportage_datum),
                besluit=_datum(p.besluitdatum),
            ),
            _algemeen("rapportage"),
            "rapportage_datum",
        )
    if p.besluitdatum and p.evaluatie_datum and p.evaluatie_datum < p.besluitdatum:
        c.add(
            "volgorde:evaluatie",
            Soort.tip,
            _tekst(
                "volgorde_evaluatie",
                evaluatie=_datum(p.evaluatie_datum),
                besluit=_datum(p.besluitdatum),
            ),
            _algemeen("evaluatie"),
            "evaluatie_datum",
        )
