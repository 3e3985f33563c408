"""The participatieplan as data: the answers of the interview, in the handreiking's own words."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Niveau(StrEnum):
    """The five rungs of the participatieladder, lowest first."""

    informeren = "informeren"
    raadplegen = "raadplegen"
    adviseren = "adviseren"
    coproduceren = "coproduceren"
    meebeslissen = "meebeslissen"

    @property
    def rank(self) -> int:
        return list(Niveau).index(self)


class Doel(StrEnum):
    """Heemstede's four aims of participation."""

    samen_denken = "samen denken"
    samen_doen = "samen doen"
    samen_beslissen = "samen beslissen"
    samen_leren = "samen leren"


class Rol(StrEnum):
    """Heemstede's six roles of belanghebbenden."""

    proceseigenaar = "proceseigenaar"
    beslisser = "beslisser"
    coproducent = "co-producent"
    adviseur = "adviseur"
    geraadpleegd = "wordt geraadpleegd"
    geinformeerd = "wordt geïnformeerd"


class Mate(StrEnum):
    """How much: influence on the decision or interest in the opgave (stakeholderanalyse)."""

    laag = "laag"
    midden = "midden"
    hoog = "hoog"


class Positie(StrEnum):
    """What a party thinks of the opgave, as far as known."""

    voor = "voor"
    neutraal = "neutraal"
    tegen = "tegen"
    onbekend = "onbekend"


class Beslisser(StrEnum):
    """Who decides on the opgave (Heemstede: 'Wie beslist?')."""

    initiatiefnemer = "initiatiefnemer"
    ambtenaren = "ambtenaren"
    college = "college"
    raad = "raad"


class InitiatiefnemerType(StrEnum):
    gemeente = "gemeente"
    inwoners = "inwoners"
    ondernemer = "ondernemer of ontwikkelaar"
    organisatie = "maatschappelijke organisatie"


class ActiviteitType(StrEnum):
    bijeenkomst = "bijeenkomst"
    online = "online inbreng"
    enquete = "enquête"
    workshop = "workshop"
    buurtschouw = "buurtschouw"
    meedenkgroep = "meedenkgroep"
    informatie = "informatiebrief of nieuwsbrief"
    anders = "anders"

    @property
    def needs_notice(self) -> bool:
        """A meeting people must attend has to be announced in time."""
        return self in {
            ActiviteitType.bijeenkomst,
            ActiviteitType.workshop,
            ActiviteitType.buurtschouw,
            ActiviteitType.meedenkgroep,
        }

    @property
    def has_period(self) -> bool:
        """Online inbreng and surveys are open from one date to another."""
        return self in {ActiviteitType.online, ActiviteitType.enquete}


class Schaal(StrEnum):
    """How far the opgave reaches: it sets which middelen fit and how much they cost."""

    straat = "straat"
    buurt = "buurt"
    wijk = "wijk"
    gemeente = "hele gemeente"


class Beleidsveld(StrEnum):
    """The policy field, so finished plans can be found by kind (Heerlen's toolbox lists it)."""

    openbare_ruimte = "openbare ruimte en groen"
    wonen = "wonen en bouwen"
    verkeer = "verkeer en parkeren"
    sociaal = "zorg en welzijn"
    jeugd = "jeugd en onderwijs"
    economie = "economie en werk"
    cultuur = "cultuur, sport en erfgoed"
    klimaat = "klimaat en energie"
    anders = "anders"


class Bedrag(BaseModel):
    """An amount in euros; a range when only an estimate is known."""

    min: float
    max: float | None = None
    schatting: bool = False

    @property
    def midden(self) -> float:
        return self.min if self.max is None else (self.min + self.max) / 2


class Aantal(BaseModel):
    """A number such as hours; may be an estimate, or a range from waarde to max."""

    waarde: float
    max: float | None = None
    schatting: bool = False


class Periode(BaseModel):
    van: date
    tot: date


class Belanghebbende(BaseModel):
    naam: str
    rol: Rol | None = None
    belang: str | None = None
    # the stakeholderanalyse of Heerlen's toolbox: how much influence and interest, and position
    invloed: Mate | None = None
    interesse: Mate | None = None
    positie: Positie | None = None


class Activiteit(BaseModel):
    type: ActiviteitType
    omschrijving: str | None = None
    datum: date | None = None
    periode: Periode | None = None
    aankondiging: date | None = None
    plaats: str | None = None
    uren: Aantal | None = None
    kosten: Bedrag | None = None
    niveau: Niveau | None = None
    # the fields the owner said do not apply ('nvt' at the announcement): not open, no deadline
    nvt: list[str] = []

    @property
    def start(self) -> date | None:
        return self.periode.van if self.periode else self.datum

    @property
    def eind(self) -> date | None:
        return self.periode.tot if self.periode else self.datum


# what the owner types at 'wie is je contactpersoon?' when that is themselves
_ZELF = {"ik", "ikzelf", "ik zelf", "mijzelf", "mij", "zelf", "dat ben ik", "ik ben dat"}
_ZELF |= {"ik ben het", "ik dus", "ikzelf dus", "me", "myself", "me myself", "that is me", "i am"}


class Plan(BaseModel):
    """Every answer of the interview. A field name is the question key and the template name."""

    model_config = ConfigDict(extra="ignore")

    # quickscan
    titel: str | None = None
    gemeente: str | None = None
    # the gemeente's own name when it has no profile here (gemeente 'standaard'): 'Haarlem'
    gemeente_naam: str | None = None
    initiatiefnemer_type: InitiatiefnemerType | None = None
    initiatiefnemer: str | None = None
    beslisser: Beslisser | None = None
    grote_wijziging: bool | None = None
    veel_actoren: bool | None = None
    veel_belangen: bool | None = None
    accounthouder: str | None = None
    accounthouder_email: str | None = None
    # who writes the plan: on its front page and in the advisor's mail, not in the public one
    eigenaar_naam: str | None = None
    eigenaar_rol: str | None = None
    eigenaar_email: str | None = None  # the plan's contact address; reminders go there too

    # kaders: what is already fixed
    kader_inhoudelijk: str | None = None
    kader_financieel: str | None = None
    kader_proces: str | None = None
    kaders_voor_inwoners: str | None = None

    # planomschrijving (Heemstede's six questions)
    opgave: str | None = None
    maatschappelijke_waarde: str | None = None
    regels: str | None = None
    wie_doet_mee: str | None = None
    belangen: str | None = None
    kosten_baten: str | None = None

    # where and what: picks the middelen to propose and finds similar finished plans
    gebied: str | None = None
    schaal: Schaal | None = None
    beleidsveld: Beleidsveld | None = None

    # 'Ken je omgeving' (Leiden): been there, talked there, which local groups
    omgeving_bezocht: bool | None = None
    omgeving_gesproken: bool | None = None
    omgeving_netwerk: str | None = None
    # haalbaarheid (Heemstede): room to change something, time before the besluit, budget
    haalbaar_ruimte: bool | None = None
    haalbaar_tijd: bool | None = None
    haalbaar_budget: bool | None = None
    haalbaar_toelichting: str | None = None

    # participatieplan
    ruimte: str | None = None
    complexiteit: str | None = None
    doelen: list[Doel] = Field(default_factory=list)
    niveau: Niveau | None = None
    niveau_toelichting: str | None = None
    afwegingskader: str | None = None
    belanghebbenden: list[Belanghebbende] = Field(default_factory=list)
    inclusie_jongeren: str | None = None
    inclusie_moeilijk_bereikbaar: str | None = None
    inclusie_taal: str | None = None
    besluitdatum: date | None = None
    # the proposed middelen the owner took over; each became an activity
    middelen_gekozen: list[str] = Field(default_factory=list)
    activiteiten: list[Activiteit] = Field(default_factory=list)
    update_ritme_weken: int | None = None
    rapportage_datum: date | None = None
    evaluatie_datum: date | None = None
    tussentijdse_evaluatie_datum: date | None = None  # where the gemeente evaluates halfway
    terugkoppeling: str | None = None
    evaluatie: str | None = None
    evaluatie_criteria: str | None = None
    avg_akkoord: bool | None = None
    avg_tekst: str | None = None
    vergoeding: bool | None = None
    vergoeding_toelichting: str | None = None
    samenwerkingsovereenkomst: bool | None = None
    samenwerkingsovereenkomst_toelichting: str | None = None

    # reasons given to keep a plan that breaks a rule: finding code -> reason
    afwijkingen: dict[str, str] = Field(default_factory=dict)
    # what was typed beside an answer and is not the answer itself: question key -> remark
    # ('veel_actoren': 'NS, ProRail, omwonenden'; 'eigenaar_naam': 'secretaris')
    opmerkingen: dict[str, str] = Field(default_factory=dict)
    # the questions answered with 'weet ik nog niet': open, though they may be left out
    nog_te_bepalen: list[str] = Field(default_factory=list)

    @property
    def complex(self) -> bool:
        """Heemstede: college or raad decides and one of the three criteria applies."""
        decided_by_bestuur = self.beslisser in {Beslisser.college, Beslisser.raad}
        criteria = (self.grote_wijziging, self.veel_actoren, self.veel_belangen)
        return decided_by_bestuur and any(bool(c) for c in criteria)

    @property
    def contactpersoon(self) -> str | None:
        """The contact person at the gemeente as a reader sees them: 'ikzelf' or 'dat ben ik'
        is the one who writes the plan."""
        naam = self.accounthouder
        if naam and " ".join(naam.casefold().replace(".", " ").split()) in _ZELF:
            return self.eigenaar_naam or naam
        return naam

    def totaal_uren(self) -> float:
        return sum(a.uren.waarde for a in self.activiteiten if a.uren)

    def totaal_kosten(self) -> float:
        return sum(a.kosten.midden for a in self.activiteiten if a.kosten)


class Stand(BaseModel):
    """Where a document stands: its version, date and status, for the front page."""

    datum: date
    versie: int | None = None
    # 'concept', 'ingediend', 'vastgesteld', ...: the lifecycle's word
    status: str = "concept"
    vastgesteld_op: date | None = None
    besluit: str | None = None  # the reference of the adopting besluit
