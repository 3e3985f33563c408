"""Real answers (tests/data/antwoorden.yaml) and our own variations, judged by the understanding."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import yaml

from handreiking import understanding as u
from handreiking.models import ActiviteitType, Beslisser, Doel, InitiatiefnemerType, Niveau, Rol
from handreiking.profiles import available_profiles

HERE = Path(__file__).resolve().parent
COPY = HERE / "data" / "antwoorden.yaml"
# Where the team keeps the corpus, beside the repository; CI's clean clone may lack it.
SHARED = HERE.parent.parent / "shared" / "corpus" / "antwoorden.yaml"


def _choice(enum: Any) -> u.Asked:
    return u.Asked("choice", u.options([(m.value, m.value) for m in enum], enum.__name__))


# The question each group of the corpus stands for, as the engine will ask it.
ASKED: dict[str, u.Asked] = {
    "initiatiefnemer_type": _choice(InitiatiefnemerType),
    "beslisser": _choice(Beslisser),
    "yesno": u.Asked("yesno"),
    "doelen": u.Asked("multi", u.options([(d.value, d.value) for d in Doel], "Doel")),
    "niveau": _choice(Niveau),
    "rol": _choice(Rol),
    # the first field of an activity in the list of activities
    "activiteit_type": u.Asked(
        "choice", _choice(ActiviteitType).options, in_list=True, unknown_ok=False
    ),
    "update_ritme_weken": u.Asked("frequency", proposal=4),
    "uren": u.Asked("hours"),
    "kosten": u.Asked("money"),
    "datum": u.Asked("date", regio="midden"),
    "periode": u.Asked("period", regio="midden"),
    "gemeente": u.Asked("choice", u.gemeente_options(available_profiles()), unknown_ok=False),
    # the first field of a belanghebbende in the list of belanghebbenden
    "list_items": u.Asked("text", in_list=True),
    "text_unknown": u.Asked("text"),
}

OUTCOMES = {
    "unknown": u.Outcome.unknown,
    "not_applicable": u.Outcome.not_applicable,
    "none": u.Outcome.none,
    "done": u.Outcome.done,
    "ask": u.Outcome.ask,
    "invalid": u.Outcome.refuse,
    "proposal": u.Outcome.proposal,
}
STORED = {u.Outcome.match, u.Outcome.proposal, u.Outcome.unknown, u.Outcome.not_applicable}


@dataclass(frozen=True)
class Case:
    group: str
    say: str
    means: Any
    lang: str = "nl"


def load(path: Path) -> tuple[date, list[Case]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    today = datetime.fromisoformat(data.pop("now")).date()
    cases = [Case(group, e["say"], e["means"]) for group, entries in data.items() for e in entries]
    return today, cases


def _as_date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def value_means(group: str, value: Any, means: Any) -> bool:
    """Whether a stored value is what the answer meant."""
    if group == "datum":
        if isinstance(means, dict):
            low, high = (_as_date(d) for d in means["between"])
            return low <= value <= high
        return value == _as_date(means)
    if group == "periode":
        return [value.van, value.tot] == [_as_date(d) for d in means]
    if group in ("uren", "kosten"):
        low, high = (means, None) if not isinstance(means, list) else means
        got = (value.waarde, value.max) if group == "uren" else (value.min, value.max)
        return got == (low, high)
    return value == means


@dataclass(frozen=True)
class Verdict:
    understood: bool  # the meaning at the first ask (or one 'Bedoel je ...?' for `ask`)
    stored_wrongly: bool  # something was stored that the person did not mean
    got: u.Understood


def judge(case: Case, today: date) -> Verdict:
    got = u.understand(case.say, ASKED[case.group], today=today, lang=case.lang)
    # No option's value is one of these words, so a string among them names an outcome.
    expected = OUTCOMES.get(case.means) if isinstance(case.means, str) else None
    if expected is None:
        ok = got.outcome is u.Outcome.match and value_means(case.group, got.value, case.means)
    else:
        ok = got.outcome is expected
    if expected is u.Outcome.ask:
        ok = ok and got.message.startswith(("Bedoel je", "Do you mean", "Dat is nog", "That is"))
    return Verdict(ok, got.outcome in STORED and not ok, got)


# Answers typed another way than the corpus, invented here: the same kinds must work too.
VARIATIONS: dict[str, list[tuple[str, Any]]] = {
    "initiatiefnemer_type": [
        ("De Gemeente", "gemeente"),
        ("gemeente zelf", "gemeente"),
        ("wij als gemeente", "gemeente"),
        ("team ruimtelijke ordening van de gemeente", "gemeente"),
        ("omwonenden", "inwoners"),
        ("wij, de buurtbewoners", "inwoners"),
        ("een bewonersvereniging", "inwoners"),
        ("bouwbedrijf", "ondernemer of ontwikkelaar"),
        ("de projectontwikkelaar", "ondernemer of ontwikkelaar"),
        ("ontwikkelaar!", "ondernemer of ontwikkelaar"),
        ("de supermarkt op de hoek", "ondernemer of ontwikkelaar"),
        ("onderneemer", "ondernemer of ontwikkelaar"),
        ("de woningcorporatie", "maatschappelijke organisatie"),
        ("sportvereniging", "maatschappelijke organisatie"),
        ("4", "maatschappelijke organisatie"),
        ("bewoners en de gemeente samen", "ask"),
    ],
    "beslisser": [
        ("De Raad", "raad"),
        ("de gemeenteraad beslist", "raad"),
        ("gemeente raad", "raad"),
        ("B en W", "college"),
        ("college van B&W", "college"),
        ("burgemeester en wethouders", "college"),
        ("het college beslist", "college"),
        ("colege", "college"),
        ("ambtenaar", "ambtenaren"),
        ("dat doet de afdeling", "ambtenaren"),
        ("we beslissen zelf", "initiatiefnemer"),
        ("initiatief nemer", "initiatiefnemer"),
        ("raad en college", "raad"),
        ("weet niet", "unknown"),
        ("niet de raad maar het college", "ask"),
    ],
    "yesno": [
        ("Ja!", True),
        ("jawel", True),
        ("wel ja", True),
        ("voor de buren aan de sportlaan wel ja, meer licht 's avonds", True),
        ("bij de ingang wel", True),
        ("krap, planten moet voor de kerst", "ask"),
        ("te krap", False),
        ("zo'n 40 uur vrijwilligers en 15k subsidie", True),
        ("ja zeker", True),
        ("klopt helemaal", True),
        ("👍🏽", True),
        ("JA", True),
        ("nee, niet echt", False),
        ("echt niet", False),
        ("nee joh", False),
        ("no", False),
        ("wellicht", "unknown"),
        ("dat weet ik nog niet", "unknown"),
        ("ja, nee toch niet", "invalid"),
        ("denk het wel", True),
        ("volgens mij wel hoor", True),
        ("waarschijnlijk wel", True),
        ("ik denk van niet", False),
        ("lijkt me niet", False),
        ("ik geloof het niet", False),
        # partly arranged is not arranged yet; meant to is yes
        ("deels", False),
        ("we zijn ermee bezig", False),
        ("nog niet helemaal", False),
        ("dat is de bedoeling", True),
        # the question's verb said back
        ("hebben we niet", False),
        ("doe ik wel", True),
        ("krijgen ze wel", True),
        # how much, as the yes
        ("best wel hoor", True),
        ("behoorlijk ja", True),
        ("flink, de hele straat gaat open", True),
    ],
    "doelen": [
        ("Samen Denken", ["samen denken"]),
        ("mee denken", ["samen denken"]),
        ("ideeen verzamelen", ["samen denken"]),
        ("vooral draagvlak en zorgen van buren ophalen", ["samen denken"]),
        ("we planten samen, en meedenken over de plek", ["samen denken", "samen doen"]),
        ("samen bepalen", ["samen beslissen"]),
        ("samen denken, samen doen", ["samen denken", "samen doen"]),
        ("2 en 4", ["samen doen", "samen leren"]),
        ("1 3", ["samen denken", "samen beslissen"]),
        ("meedenken en meebeslissen", ["samen denken", "samen beslissen"]),
        ("leren", ["samen leren"]),
        ("allemaal", ["samen denken", "samen doen", "samen beslissen", "samen leren"]),
        ("samen denken en iets met taart", "invalid"),
    ],
    "niveau": [
        ("Raadplegen", "raadplegen"),
        ("de buurt raadplegen", "raadplegen"),
        ("consultatie", "raadplegen"),
        ("inspraak", "raadplegen"),
        ("informeren, meer niet", "informeren"),
        ("om advies vragen", "adviseren"),
        ("cocreatie", "coproduceren"),
        ("coproduceren", "coproduceren"),
        ("mee beslissen", "meebeslissen"),
        ("adviseern", "adviseren"),
        ("5", "meebeslissen"),
    ],
    "rol": [
        ("coproducent!", "co-producent"),
        ("ontwerpen mee", "co-producent"),
        ("zij geven advies", "adviseur"),
        ("denkt mee", "adviseur"),
        ("worden geraadpleegd", "wordt geraadpleegd"),
        ("we vragen hun mening via een enquête", "wordt geraadpleegd"),
        ("houden we op de hoogte", "wordt geïnformeerd"),
        ("alleen informeren", "wordt geïnformeerd"),
        ("zij beslissen", "beslisser"),
        ("ze beslissen mee", "co-producent"),
        ("de eigenaar", "proceseigenaar"),
        ("we doen het samen, zij beheren de tuin", "co-producent"),
        ("helpen bij de aanleg", "co-producent"),
        ("onderhouden straks de tuin", "co-producent"),
        ("zitten in de klankbordgroep", "adviseur"),
        ("krijgen een brief", "wordt geïnformeerd"),
        ("krijgen een mail", "wordt geïnformeerd"),
        ("planten mee op de plantdag", "co-producent"),
        ("denken mee, raadplegen", "ask"),
        ("zijn de opdrachtgever", "beslisser"),
        ("wordt", "ask"),
    ],
    "activiteit_type": [
        ("Bijeenkomst", "bijeenkomst"),
        ("keukentafelgesprekken met de buren", "anders"),
        ("huisbezoeken", "anders"),
        ("een informatieavond in het wijkcentrum", "bijeenkomst"),
        ("bewonersbijeenkomst", "bijeenkomst"),
        ("online peiling", "online inbreng"),
        ("reacties via de website", "online inbreng"),
        ("enquête huis aan huis", "enquête"),
        ("vragenlijst onder omwonenden", "enquête"),
        ("een ontwerpatelier", "workshop"),
        ("wijkschouw", "buurtschouw"),
        ("een wandeling door de buurt", "buurtschouw"),
        ("een klankbordgroep met bewoners", "meedenkgroep"),
        ("bewonersbrief", "informatiebrief of nieuwsbrief"),
        ("ideeenmarkt", "ask"),
        ("dat was het", "done"),
        ("geen", "none"),
    ],
    "update_ritme_weken": [
        ("iedere 4 weken", 4),
        ("via de nieuwsbrief, dus maandelijks", 4),
        ("elke vier weken", 4),
        ("om de twee weken", 2),
        ("tweewekelijks", 2),
        ("1x per maand", 4),
        ("een keer per maand", 4),
        ("elke drie weken", 3),
        ("per kwartaal", 13),
        ("6", 6),
        ("prima", "proposal"),
        ("👍", "proposal"),
        ("doe maar", "proposal"),
        ("elke 4 à 6 weken", "ask"),
        ("elke dag", "invalid"),
    ],
    "uren": [
        ("twaalf", 12),
        ("2 uur per keer, 6 keer", 12),
        ("2 avonden x 3 uur", 6),
        ("hele dag met 15 vrijwilligers", 120),
        ("4 man een avond", 16),
        ("een stuk of 10", 10),
        ("ca. 40", 40),
        ("ongeveer 16 uur", 16),
        ("3 dagen", 24),
        ("anderhalve dag", 12),
        ("tussen de 10 en 20 uur", [10, 20]),
        ("10 à 20", [10, 20]),
        ("8u", 8),
        ("eerder 20, met voorbereiding", 20),
        ("6 is te weinig, maak er 10 van", 10),
        ("nog niet bekend", "unknown"),
        ("veel", "invalid"),
    ],
    "kosten": [
        ("€ 1.500", 1500),
        ("1500 euro", 1500),
        ("ongeveer 2000", 2000),
        ("2k", 2000),
        ("tussen 500 en 1000", [500, 1000]),
        ("niks, de kantine is van ons. koffie 50 euro ofzo", 50),
        ("drukwerk 150 euro per keer, 6 keer", 900),
        ("drukwerk 150 euro per keer", "invalid"),
        ("€ 1.000 - € 2.000", [1000, 2000]),
        ("tweeduizend euro", 2000),
        ("kost niets", 0),
        ("nul", 0),
        ("400 is te krap, maak er 600 van", 600),
        ("niet 200 maar 350", 350),
        ("volgt later", "unknown"),
        ("heel duur", "invalid"),
    ],
    "datum": [
        ("24 februari", "2027-02-24"),
        ("24-02-2027", "2027-02-24"),
        ("24 febuari 2027", "2027-02-24"),
        ("3 setpember 2027", "2027-09-03"),
        ("overmorgen", "2026-12-03"),
        ("vandaag nog", "2026-12-01"),
        ("morgen al", "2026-12-02"),
        ("zo snel mogelijk", "2026-12-01"),
        ("over twee weken", "2026-12-15"),
        ("eind februari", {"between": ["2027-02-22", "2027-02-28"]}),
        ("medio mei", {"between": ["2027-05-10", "2027-05-20"]}),
        ("dinsdag 24 februari", "ask"),
        ("in het najaar", "ask"),
        ("voor de zomer", "ask"),
        ("ergens in maart", "ask"),
        ("na pasen", "ask"),
        ("elke maand, de eerste half januari", {"between": ["2027-01-11", "2027-01-20"]}),
        ("wekelijks, vanaf januari", "ask"),
        ("voor de pinksterdagen", "ask"),
        ("eind van het jaar", "ask"),
        ("ergens half april", {"between": ["2027-04-13", "2027-04-17"]}),
        ("okt/nov", "ask"),
        ("zie hierboven: dinsdagavond half maart", "ask"),
        ("begin april na de paasvakantie", {"between": ["2027-04-01", "2027-04-07"]}),
        ("Q2 2027", "ask"),
        ("1 januari 2020", "invalid"),
        ("gisteren", "invalid"),
        ("30 februari", "invalid"),
        ("nog onbekend", "unknown"),
    ],
    "periode": [
        ("1 t/m 21 maart 2027", ["2027-03-01", "2027-03-21"]),
        ("maart t/m mei 2027", ["2027-03-01", "2027-05-31"]),
        ("de hele maand april", ["2027-04-01", "2027-04-30"]),
        ("van 1 tot 22 maart", ["2027-03-01", "2027-03-22"]),
        ("vanaf 1 februari, vier weken", ["2027-02-01", "2027-03-01"]),
        ("3 weken vanaf 8 maart 2027", ["2027-03-08", "2027-03-29"]),
        ("1 mrt - 22 mrt", ["2027-03-01", "2027-03-22"]),
        ("15 jnui t/m 30 jnui 2027", ["2027-06-15", "2027-06-30"]),
        ("ergens in het voorjaar", "ask"),
        ("22 maart t/m 1 maart 2027", "invalid"),
        ("1 t/m 22 maart 2025", "invalid"),
        ("weet ik nog niet", "unknown"),
    ],
    "gemeente": [
        ("gemeente leiden", "leiden"),
        ("LEIDEN", "leiden"),
        ("Heemstede", "heemstede"),
        ("Heemsteede", "heemstede"),
        ("Hoensbroek", "heerlen"),
        ("Leidschendam", "leidschendam-voorburg"),
        ("Stompwijk", "leidschendam-voorburg"),
        ("leidschendamvoorburg", "leidschendam-voorburg"),
        ("Amsterdam", "invalid"),
    ],
    "list_items": [
        ("weet ik niet", "unknown"),
        ("niemand", "none"),
        ("verder niemand", "none"),
        ("dat is alles", "done"),
        ("Klaar.", "done"),
        ("nee hoor", "done"),
    ],
    "text_unknown": [
        ("Weet ik nog niet.", "unknown"),
        ("geen idee", "unknown"),
        ("nvt denk ik", "not_applicable"),
        ("weet ik nog niet eigenlijk", "unknown"),
        ("??", "unknown"),
        ("komt later", "unknown"),
        ("heb ik niet bij de hand", "unknown"),
        ("moet ik nog opzoeken", "unknown"),
        ("n.v.t", "not_applicable"),
        ("niet van toepassing", "not_applicable"),
    ],
}

# The English prompts' options, typed as English speakers would.
ENGLISH: dict[str, list[tuple[str, Any]]] = {
    "initiatiefnemer_type": [
        ("the municipality", "gemeente"),
        ("residents", "inwoners"),
        ("a group of local residents", "inwoners"),
        ("a property developer", "ondernemer of ontwikkelaar"),
        ("housing association", "maatschappelijke organisatie"),
    ],
    "beslisser": [
        ("the council", "raad"),
        ("the executive", "college"),
        ("mayor and aldermen", "college"),
        ("civil servants", "ambtenaren"),
        ("we decide ourselves", "initiatiefnemer"),
        ("don't know yet", "unknown"),
    ],
    "yesno": [
        ("yes", True),
        ("yes, a lot", True),
        ("no", False),
        ("not really", False),
        ("I think so", True),
        ("I don't think so", False),
        ("probably not", False),
        ("maybe", "unknown"),
        ("yeah sure", True),
    ],
    "doelen": [
        ("think together", ["samen denken"]),
        ("do together and learn together", ["samen doen", "samen leren"]),
        ("decide together", ["samen beslissen"]),
        ("support from the neighbours", ["samen denken"]),
        ("we plant together", ["samen doen"]),
    ],
    "niveau": [
        ("consult", "raadplegen"),
        ("inform", "informeren"),
        ("co-creation", "coproduceren"),
        ("advice", "adviseren"),
    ],
    "rol": [
        ("adviser", "adviseur"),
        ("consulted", "wordt geraadpleegd"),
        ("kept informed", "wordt geïnformeerd"),
        ("decision maker", "beslisser"),
        ("they help build it", "co-producent"),
        ("they get a letter", "wordt geïnformeerd"),
        ("they decide", "beslisser"),
    ],
    "activiteit_type": [
        ("a public meeting", "bijeenkomst"),
        ("survey", "enquête"),
        ("newsletter", "informatiebrief of nieuwsbrief"),
        ("a neighbourhood walk", "buurtschouw"),
        ("that's it", "done"),
    ],
    "update_ritme_weken": [
        ("every 4 weeks", 4),
        ("monthly", 4),
        ("every other week", 2),
        ("twice a month", 2),
        ("sounds good", "proposal"),
    ],
    "uren": [
        ("about 20 hours", 20),
        ("two days", 16),
        ("half a day", 4),
        ("10-20 hours", [10, 20]),
    ],
    "kosten": [("free", 0), ("about 2000", 2000), ("between 1000 and 2000", [1000, 2000])],
    "datum": [
        ("24 February 2027", "2027-02-24"),
        ("tomorrow", "2026-12-02"),
        ("end of January", {"between": ["2027-01-25", "2027-01-31"]}),
        ("sometime in spring", "ask"),
        ("after the summer", "ask"),
        ("after Easter", "ask"),
    ],
    "periode": [
        ("1 to 22 March 2027", ["2027-03-01", "2027-03-22"]),
        ("February to April 2027", ["2027-02-01", "2027-04-30"]),
    ],
    "list_items": [("none", "none"), ("nobody else", "none"), ("done", "done")],
    "text_unknown": [("not known yet", "unknown"), ("n/a", "not_applicable")],
}


def variations() -> list[Case]:
    return [
        Case(group, say, means, lang)
        for lang, table in (("nl", VARIATIONS), ("en", ENGLISH))
        for group, entries in table.items()
        for say, means in entries
    ]
