"""Checks of a plan against the gemeente's rules and the handreiking's tips: each one a Finding."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path

from babel.dates import format_date
from pydantic import BaseModel

from handreiking.calendar import (
    REGIOS,
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
def _teksten() -> dict[str, Talig]:
    return load_yaml(shipped("templates") / "messages" / "bevindingen.yaml")


@cache
def _option_labels() -> dict[str, dict[str, Talig]]:
    """The chat's words for an option ('raadplegen' is 'consult' in English)."""
    return load_yaml(shipped("templates") / "messages" / "engine.yaml")["option_labels"]


def _tekst(key: str, **params: str | int | Talig) -> Talig:
    """Text `key` of templates/messages/bevindingen.yaml in each language; a parameter given
    per language (a date, a level) is filled in with that language's."""
    return {
        lang: text.format(
            **{k: v.get(lang, v["nl"]) if isinstance(v, dict) else v for k, v in params.items()}
        )
        for lang, text in _teksten()[key].items()
    }


def _datum(d: date) -> Talig:
    """'12 maart 2026', '12 March 2026'."""
    return {"nl": datum_tekst(d), "en": format_date(d, format="d MMMM yyyy", locale="en")}


def _optie(option_set: str, value: str, nl: str | None = None) -> Talig:
    """An option in each language: the Dutch as given (a profile's own word), else its value."""
    labels = _option_labels().get(option_set, {}).get(value) or {}
    return {**labels, "nl": nl or value}


def _naam(a: Activiteit, i: int) -> Talig:
    """'activiteit 2 (bijeenkomst: Inloopavond)', 'activity 2 (meeting: Inloopavond)'."""
    soort = _optie("ActiviteitType", a.type.value)
    en = _tekst(
        "activiteit", i=i, soort=soort_en_naam(soort.get("en", a.type.value), a.omschrijving)
    )
    return {"nl": activiteit_tekst(a, i), "en": en["en"]}


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
    if publicatie is None or publicatie.uitgever or bron.gemeente in (None, profile.naam):
        return {"nl": bron.citeer()}
    return _tekst("handreiking_van", gemeente=bron.gemeente, bron=bron.citeer(gemeente=False))


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
        bronnen = _citeer(bron, self.profile)
        vertaald = {
            lang: {"tekst": t, "bron": bronnen.get(lang, bronnen["nl"])}
            for lang, t in teksten.items()
            if lang != "nl"
        }
        self.found.append(
            Finding(
                code=code,
                soort=soort,
                tekst=teksten["nl"],
                bron=bronnen["nl"],
                vraag=vraag,
                afwijking=self.plan.afwijkingen.get(code),
                regel=regel or bron.tekst,
                vertaald=vertaald,
            )
        )

    def regel(self, code: str) -> ChecklistItem | None:
        return next((c for c in self.profile.checklist if c.bevinding == code), None)

    def add_checklist(self, code: str, tekst: str, vraag: str, algemeen: Bron) -> None:
        """A finding that is the gemeente's rule when its checklist says so, else a tip."""
        item = self.regel(code)
        if item:
            tekst = f"{tekst} Regel van {self.profile.naam}: {item.tekst}"
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
            f"Je koos {c.label(niveau)}. {c.profile.naam} vraagt minimaal "
            f"{c.label(minimum.niveau)}. Kies een hoger niveau, of leg uit waarom dat hier "
            "niet kan.",
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
            "Je kiest alleen voor informeren, zonder uit te leggen waarom. Schrijf op waarom "
            "meer participatie hier niet kan.",
            "niveau_toelichting",
            _algemeen("geen_participatie"),
        )


def _kaders(c: _Checker) -> None:
    if any(getattr(c.plan, k) for k in _KADERS) or not c.was_asked(*_KADERS):
        return
    c.add_checklist(
        "kaders",
        "Je hebt niets ingevuld over wat al vastligt. Bijna altijd ligt er iets vast: regels, "
        "een budget, een eerder besluit of een planning. Schrijf dat op. Dan weten mensen "
        "waar ze wel en geen invloed op hebben.",
        "kader_proces",
        _algemeen("kaders"),
    )


def _missing_text(c: _Checker) -> None:
    p = c.plan
    if not p.afwegingskader and c.was_asked("afwegingskader"):
        c.add_checklist(
            "afwegingskader",
            "Je hebt nog niet beschreven hoe je de inbreng afweegt. Leg uit wie de inbreng "
            "weegt en waarop. Dan weten deelnemers vooraf wat er met hun inbreng kan gebeuren.",
            "afwegingskader",
            _algemeen("afwegingskader"),
        )
    if not p.terugkoppeling and c.was_asked("terugkoppeling"):
        c.add_checklist(
            "terugkoppeling",
            "Je hebt nog niet beschreven hoe deelnemers horen wat er met hun inbreng is "
            "gedaan. Zeg welke inbreng je overneemt en welke niet, en waarom. Deel de "
            "participatierapportage met de deelnemers.",
            "terugkoppeling",
            _algemeen("terugkoppeling"),
        )
    if p.update_ritme_weken == 0:
        c.add_checklist(
            "updates",
            "Je stuurt de deelnemers tussentijds geen updates. Houd ze op de hoogte, ook als "
            "er weinig nieuws is. Kies bijvoorbeeld elke 4 weken.",
            "update_ritme_weken",
            _algemeen("updates"),
        )
    if not p.evaluatie and c.was_asked("evaluatie"):
        c.add_checklist(
            "evaluatie",
            "Je hebt nog geen evaluatie gepland. Vraag na afloop de deelnemers en het "
            "projectteam hoe het ging, zodat het de volgende keer beter gaat.",
            "evaluatie",
            _algemeen("evaluatie"),
        )
    # Without any evaluation the finding above says enough.
    if p.evaluatie and not p.evaluatie_criteria and c.was_asked("evaluatie_criteria"):
        c.add_checklist(
            "evaluatie_criteria",
            "Je hebt nog geen criteria voor de evaluatie. Leg nu vast waaraan je het traject "
            "achteraf toetst.",
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
            "Je hebt nog niet vastgelegd wat je met persoonsgegevens doet. Schrijf op welke "
            "gegevens je bewaart, waarvoor, en wanneer je ze vernietigt.",
            "avg_akkoord",
            _algemeen("avg"),
        )


def _activiteit(c: _Checker, i: int, a: Activiteit) -> None:
    naam = activiteit_tekst(a, i)
    if a.periode and a.periode.tot < a.periode.van:
        c.add(
            f"volgorde:periode:{i}",
            Soort.tip,
            f"De periode van {naam} eindigt op {datum_tekst(a.periode.tot)}, vóór het begin op "
            f"{datum_tekst(a.periode.van)}. Verbeter de data.",
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


def _aankondiging(c: _Checker, i: int, a: Activiteit, naam: str) -> None:
    start = a.start
    if not start or not a.aankondiging:
        return
    if a.aankondiging > start:
        c.add(
            f"volgorde:aankondiging:{i}",
            Soort.tip,
            f"Je kondigt {naam} aan op {datum_tekst(a.aankondiging)}, maar die is al op "
            f"{datum_tekst(start)}. Kondig de activiteit ruim van tevoren aan.",
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
        naam=_naam(a, i),
        dagen=(start - a.aankondiging).days,
        wie=_wie_talig(c, regel is not None),
        weken=_weken_talig(dagen),
        uiterlijk=_datum(uiterlijk_aankondigen(start, c.profile)),
    )
    if regel:
        c.add(f"aankondiging:{i}", Soort.beleidsregel, tekst, regel.bron, "activiteiten")
    else:
        c.add(f"aankondiging:{i}", Soort.tip, tekst, _algemeen("planning"), "activiteiten")


def _inbreng(c: _Checker, i: int, a: Activiteit, periode: Periode, naam: str) -> None:
    regel = c.profile.online_inbreng
    dagen = regel.dagen if regel else ALGEMEEN_INBRENG_DAGEN
    open_dagen = (periode.tot - periode.van).days + 1
    if open_dagen >= dagen:
        return
    tot = datum_tekst(periode.van + timedelta(days=dagen - 1))
    tekst = (
        f"{naam[0].upper()}{naam[1:]} staat {open_dagen} dagen open. "
        f"{_wie(c, regel is not None)} minimaal {_weken(dagen)}. "
        f"Laat hem openstaan tot minimaal {tot}."
    )
    if regel:
        c.add(f"inbreng:{i}", Soort.beleidsregel, tekst, regel.bron, "activiteiten")
    else:
        c.add(f"inbreng:{i}", Soort.tip, tekst, _algemeen("planning"), "activiteiten")


def _wie(c: _Checker, eigen_regel: bool) -> str:
    return _wie_talig(c, eigen_regel)["nl"]


def _weken(dagen: int) -> str:
    return _weken_talig(dagen)["nl"]


def _weken_talig(dagen: int) -> Talig:
    if dagen % 7:
        return _tekst("dagen", n=dagen)
    return _tekst("week") if dagen == 7 else _tekst("weken", n=dagen // 7)


def _wie_talig(c: _Checker, eigen_regel: bool) -> Talig:
    return _tekst("wie_regel", gemeente=c.profile.naam) if eigen_regel else _tekst("wie_advies")


def _vakantie(c: _Checker, i: int, a: Activiteit, naam: str) -> None:
    start, eind = a.start, a.eind
    if not start or not eind or eind < start:
        return
    regio = c.profile.regio
    if not (covered(start) and covered(eind)):
        jaar = start.year if not covered(start) else eind.year
        c.add(
            f"kalender:{i}",
            Soort.tip,
            f"Ik kan niet controleren of {naam} in een schoolvakantie valt: de vakanties van "
            f"{jaar} ken ik nog niet. Kijk zelf op rijksoverheid.nl bij schoolvakanties.",
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
            wanneer = _tekst("vakantie_feestdag", vakantie=h.naam)
        elif h:
            wanneer = _tekst("vakantie_regio", vakantie=h.naam, regio=str(regio))
        elif namen := _schoolvakanties_talig([start], regio):
            wanneer = _tekst("vakantie_dag", vakantie=namen[0])
        else:
            return
        advies = _tekst("advies_dag")
    if regio is None and " van regio " in wanneer["nl"]:
        extra = _tekst("advies_regio")
        advies = {lang: advies[lang] + extra[lang] for lang in advies}
    tekst = _tekst("vakantie", Naam=_hoofdletter(_naam(a, i)), wanneer=wanneer, advies=advies)
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
        namen = sorted({h.naam for d in days if (h := school_holiday_on(d, regio))})
        return [{"nl": n, "en": n} for n in namen]
    regios: dict[str, set[str]] = {}
    for d in days:
        for name, found in school_holiday_regions(d).items():
            regios.setdefault(name, set()).update(found)
    en = _tekst("en")
    return [
        {"nl": name, "en": name}
        if len(found) == len(REGIOS)
        else _tekst(
            "van_regio",
            vakantie=name,
            regios={lang: en[lang].join(r for r in REGIOS if r in found) for lang in en},
        )
        for name, found in sorted(regios.items())
    ]


def _geen_vergaderdag(d: date) -> Talig | None:
    """'een zaterdag', 'Tweede Pinksterdag (een feestdag)', or None on a working day."""
    if d.weekday() >= 5:
        return _tekst("zaterdag" if d.weekday() == 5 else "zondag")
    h = holiday_on(d, None)
    return _tekst("feestdag", vakantie=h.naam) if h else None


def _days(start: date, stop: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((stop - start).days + 1)]


def _activiteit_niveau(c: _Checker, i: int, a: Activiteit, naam: str) -> None:
    minimum = c.profile.minimum_niveau
    # A letter or newsletter informs by nature; it may sit next to activities on a higher rung.
    if not minimum or not a.niveau or a.type == ActiviteitType.informatie:
        return
    if a.niveau.rank < minimum.niveau.rank:
        c.add(
            f"niveau:{i}",
            Soort.beleidsregel,
            f"{naam[0].upper()}{naam[1:]} is {c.label(a.niveau)}. {c.profile.naam} vraagt "
            f"minimaal {c.label(minimum.niveau)}. Geef deelnemers ruimte om hun mening te "
            "geven, of leg uit waarom het hier niet kan.",
            minimum.bron,
            "activiteiten",
        )


def _activiteit_dates(c: _Checker, i: int, a: Activiteit, naam: str) -> None:
    p = c.plan
    start, eind = a.start, a.eind
    if start and start < c.today:
        c.add(
            f"verleden:{i}",
            Soort.tip,
            f"{naam[0].upper()}{naam[1:]} begint op {datum_tekst(start)}. Die datum is al "
            "voorbij. Kies een datum na vandaag.",
            _algemeen("planning"),
            "activiteiten",
        )
    elif a.aankondiging and a.aankondiging < c.today and a.type.needs_notice:
        c.add(
            f"verleden:aankondiging:{i}",
            Soort.tip,
            f"De aankondiging van {naam} staat op {datum_tekst(a.aankondiging)}. Die datum is "
            "al voorbij. Kondig zo snel mogelijk aan, of verschuif de activiteit naar later.",
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
                Naam=_hoofdletter(_naam(a, i)),
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
            f"{naam[0].upper()}{naam[1:]} is pas op {datum_tekst(eind)}, na de rapportage op "
            f"{datum_tekst(p.rapportage_datum)}. Dan staat de inbreng niet in de rapportage. "
            "Plan de activiteit eerder, of de rapportage later.",
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
    welke = zonder[0] if len(zonder) == 1 else f"{', '.join(zonder[:-1])} en {zonder[-1]}"
    c.add_checklist(
        "middelen",
        f"Bij activiteit {welke} ontbreken de uren of de kosten. Vul een schatting in, zodat "
        "er tijd en budget voor is.",
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
                f"'{b.naam}' heeft veel invloed op het besluit, maar nog geen rol in het traject. "
                "Geef deze partij een rol, zodat duidelijk is hoe ze meedoet.",
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
            "Je bent nog niet op de plek gaan kijken. Doe dat eerst: dan zie je zelf wie er "
            "komen en wat er speelt.",
            bron,
            "omgeving_bezocht",
        )
    if plan.omgeving_gesproken is False:
        c.add(
            "omgeving_gesproken",
            Soort.tip,
            "Je hebt nog niet gepraat met mensen op de plek. Ga in gesprek met wie er woont, "
            "werkt of vaak komt, en wissel contactgegevens uit.",
            bron,
            "omgeving_gesproken",
        )


_HAALBAAR = {
    "haalbaar_ruimte": "de inbreng kan nog weinig veranderen",
    "haalbaar_tijd": "er is weinig tijd voor het besluit",
    "haalbaar_budget": "er zijn nog geen geld en uren",
}


def _haalbaarheid(c: _Checker) -> None:
    """Heemstede: only start when participation is feasible; a tip, never a block."""
    bron = c.profile.haalbaarheid
    niet = [tekst for key, tekst in _HAALBAAR.items() if getattr(c.plan, key) is False]
    if bron is None or not niet:
        return
    wat = niet[0] if len(niet) == 1 else f"{', '.join(niet[:-1])} en {niet[-1]}"
    c.add(
        "haalbaarheid",
        Soort.tip,
        f"Participatie lijkt nu niet goed haalbaar: {wat}. Regel dat eerst, of leg in het plan "
        "uit waarom je toch start. Anders wekt het traject verwachtingen die het niet waarmaakt.",
        bron,
        next(key for key in _HAALBAAR if getattr(c.plan, key) is False),
    )


def _plan_dates(c: _Checker) -> None:
    p = c.plan
    for key, wat in (
        ("besluitdatum", "Het besluit"),
        ("rapportage_datum", "De rapportage"),
        ("evaluatie_datum", "De evaluatie"),
    ):
        d = getattr(p, key)
        if d and d < c.today:
            c.add(
                f"verleden:{key}",
                Soort.tip,
                f"{wat} staat op {datum_tekst(d)}. Die datum is al voorbij. Kies een datum "
                "na vandaag.",
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
            f"De rapportage is klaar op {datum_tekst(p.rapportage_datum)}, na het besluit op "
            f"{datum_tekst(p.besluitdatum)}. Wie besluit, moet de rapportage eerst kunnen "
            "lezen. Maak de rapportage eerder klaar.",
            _algemeen("rapportage"),
            "rapportage_datum",
        )
    if p.besluitdatum and p.evaluatie_datum and p.evaluatie_datum < p.besluitdatum:
        c.add(
            "volgorde:evaluatie",
            Soort.tip,
            f"De evaluatie staat op {datum_tekst(p.evaluatie_datum)}, vóór het besluit op "
            f"{datum_tekst(p.besluitdatum)}. Evalueer na afloop, als het hele traject klaar is.",
            _algemeen("evaluatie"),
            "evaluatie_datum",
        )
