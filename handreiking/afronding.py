"""Closing a traject: what was done, what came in, what was done with it, and the besluit."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from handreiking.formatting import datum
from handreiking.models import (
    Activiteit,
    ActiviteitType,
    Belanghebbende,
    Beslisser,
    Niveau,
    Periode,
    Plan,
    Rol,
)
from handreiking.planning import activiteit_tekst, op_datum
from handreiking.profiles import Profile
from handreiking.projectgroep import ProjectgroepEvaluatie

# input without a theme is grouped under this name, after the named themes
ZONDER_THEMA = "Overig"
# a theme whose verwerking is not chosen yet
NOG_NIET = "nog niet besloten"


class Verwerking(StrEnum):
    """What was done with the input on a theme (Leiden: 'welke inbreng is overgenomen en welke
    niet, met de onderbouwing daarbij', checklist participatie)."""

    overgenomen = "overgenomen"
    deels = "deels overgenomen"
    niet = "niet overgenomen"


class Uitvoering(BaseModel):
    """What happened to one activity: one of the vastgestelde plan, or one that was added."""

    activiteit: int | None = None  # 1-based in the vastgestelde plan; None: not in that plan
    type: ActiviteitType | None = None  # what an added activity was
    omschrijving: str | None = None
    gehouden: bool = True
    datum: date | None = None
    periode: Periode | None = None
    deelnemers: int | None = Field(default=None, ge=0)
    niveau: Niveau | None = None

    @property
    def start(self) -> date | None:
        return self.periode.van if self.periode else self.datum

    @property
    def eind(self) -> date | None:
        return self.periode.tot if self.periode else self.datum


class InbrengItem(BaseModel):
    """One reaction, idea or answer that came in."""

    tekst: str
    bron: str | None = None  # where it came from: 'DoeMee', 'enquête', 'inloopavond'
    thema: str | None = None


class Thema(BaseModel):
    """A theme of the input and what was done with it, with the reason."""

    naam: str
    verwerking: Verwerking | None = None
    reden: str | None = None


class Besluit(BaseModel):
    """The decision on the opgave."""

    datum: date
    orgaan: Beslisser
    uitkomst: str
    link: str | None = None


class Afronding(BaseModel):
    """Every answer of the closing interview."""

    model_config = ConfigDict(extra="ignore")

    uitvoering: list[Uitvoering] = Field(default_factory=list)
    # the level the traject really worked at; None: as in the vastgestelde plan
    niveau: Niveau | None = None
    # the belanghebbenden (names as in the plan) that took part or were reached
    bereikt: list[str] = Field(default_factory=list)
    # of those, the ones that took part in part, with what was said about it ('' when nothing):
    # 'ouders' -> 'een paar ouders'
    bereikt_deels: dict[str, str] = Field(default_factory=dict)
    inbreng: list[InbrengItem] = Field(default_factory=list)
    themas: list[Thema] = Field(default_factory=list)
    afweging: str | None = None  # how the input was weighed in the decision
    besluit: Besluit | None = None
    # the project group's evaluation against the handreiking
    projectgroep: ProjectgroepEvaluatie | None = None
    # the owner agreed that the plan joins the gemeente's voorbeeldenbank
    voorbeeld: bool | None = None
    # why the traject deviated from the plan: Afwijking.code -> reason
    redenen: dict[str, str] = Field(default_factory=dict)

    def deelnames(self) -> int | None:
        """All participants counted over the activities held; None when no count is known."""
        counts = [u.deelnemers for u in self.uitvoering if u.gehouden and u.deelnemers is not None]
        return sum(counts) if counts else None


class Afwijking(BaseModel):
    """One way the traject went otherwise than the vastgestelde plan said."""

    code: str  # stable key, for Afronding.redenen
    soort: Literal[
        "niet_gehouden", "verplaatst", "niveau", "extra", "onbekend", "bereik", "besluit"
    ]
    tekst: str
    activiteit: int | None = None
    reden: str | None = None


# ---------------------------------------------------------------- planned against done


def _wanneer(start: date | None, eind: date | None) -> str:
    if start is None:
        return "zonder datum"
    if eind is None or eind == start:
        return f"op {datum(start)}"
    return f"van {datum(start)} tot en met {datum(eind)}"


def _label(niveau: Niveau, profile: Profile | None) -> str:
    return profile.niveau_label(niveau) if profile else niveau.value


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def uitgevoerde_activiteit(u: Uitvoering, vastgesteld: Plan) -> Activiteit | None:
    """The planned activity an Uitvoering reports on, or None for an added one."""
    if u.activiteit is not None and 1 <= u.activiteit <= len(vastgesteld.activiteiten):
        return vastgesteld.activiteiten[u.activiteit - 1]
    return None


def extra_tekst(u: Uitvoering) -> str:
    """'workshop: Ontwerpatelier' for an activity that was not in the plan; what the closing
    interview was told ('langs de deuren bij de ouderen', no kind) as it was told."""
    if u.type is None:
        return u.omschrijving or "activiteit"
    return f"{u.type.value}: {u.omschrijving}" if u.omschrijving else u.type.value


def _doelgroepen(plan: Plan) -> list[Belanghebbende]:
    # the beslisser and the proceseigenaar run the traject; they are not its participants
    return [b for b in plan.belanghebbenden if b.rol not in {Rol.beslisser, Rol.proceseigenaar}]


def bereikt_namen(uitvoering: Afronding) -> list[str]:
    """The groups that took part as the published documents name them: 'ouders (deels: een
    paar ouders)' for a group that took part in part (the remark without personal data)."""
    from handreiking.evaluatie import anoniem

    namen = []
    for naam in uitvoering.bereikt:
        if naam not in uitvoering.bereikt_deels:
            namen.append(naam)
            continue
        opmerking = " ".join(anoniem(uitvoering.bereikt_deels[naam]).split()).rstrip(".")
        namen.append(f"{naam} (deels: {opmerking})" if opmerking else f"{naam} (deels)")
    return namen


def niet_bereikt(vastgesteld: Plan, uitvoering: Afronding) -> list[Belanghebbende]:
    """The planned belanghebbenden that did not take part; none when nobody was recorded."""
    if not uitvoering.bereikt:
        return []
    bereikt = {_key(naam) for naam in uitvoering.bereikt}
    return [b for b in _doelgroepen(vastgesteld) if _key(b.naam) not in bereikt]


def vergelijk(
    vastgesteld: Plan, uitvoering: Afronding, profile: Profile | None = None
) -> list[Afwijking]:
    """Every deviation of what was done from the vastgestelde plan, with the reason given.

    Compares per activity (held or not, dates moved, level), the plan's level, the reach
    (planned belanghebbenden against who took part) and the date of the besluit. Heemstede asks
    for exactly this: 'in hoeverre het gelopen traject voldaan heeft aan de vooraf vastgestelde
    planomschrijving en het participatieplan' (participatiebeleid).
    """
    out: list[Afwijking] = []

    def add(code: str, soort: str, tekst: str, activiteit: int | None = None) -> None:
        out.append(
            Afwijking(
                code=code,
                soort=soort,
                tekst=tekst,
                activiteit=activiteit,
                reden=uitvoering.redenen.get(code),
            )
        )

    plan_niveau = vastgesteld.niveau
    done = {
        u.activiteit: u for u in uitvoering.uitvoering if uitgevoerde_activiteit(u, vastgesteld)
    }
    for nr, a in enumerate(vastgesteld.activiteiten, start=1):
        naam = activiteit_tekst(a, nr)
        u = done.get(nr)
        if u is None:
            add(f"onbekend:{nr}", "onbekend", f"Van {naam} is niet vastgelegd of hij doorging.", nr)
            continue
        if not u.gehouden:
            add(f"niet_gehouden:{nr}", "niet_gehouden", f"{_cap(naam)} ging niet door.", nr)
            continue
        if u.start and a.start and (u.start, u.eind) != (a.start, a.eind):
            add(
                f"verplaatst:{nr}",
                "verplaatst",
                f"{_cap(naam)} was gepland {_wanneer(a.start, a.eind)} "
                f"en was {_wanneer(u.start, u.eind)}.",
                nr,
            )
        gepland = a.niveau or plan_niveau
        if u.niveau and gepland and u.niveau != gepland:
            add(
                f"niveau:{nr}",
                "niveau",
                f"{_cap(naam)} was gepland als {_label(gepland, profile)} "
                f"en werd {_label(u.niveau, profile)}.",
                nr,
            )
    for n, u in enumerate(uitvoering.uitvoering, start=1):
        if uitgevoerde_activiteit(u, vastgesteld) is None and u.gehouden:
            add(
                f"extra:{n}",
                "extra",
                # the closing interview does not ask when: no 'zonder datum' then
                f"Er was een activiteit die niet in het plan stond: {extra_tekst(u)}"
                + (f", {_wanneer(u.start, u.eind)}." if u.start else "."),
            )

    if uitvoering.niveau and plan_niveau and uitvoering.niveau != plan_niveau:
        add(
            "niveau",
            "niveau",
            f"Het plan koos voor {_label(plan_niveau, profile)}. "
            f"In de uitvoering werd het {_label(uitvoering.niveau, profile)}.",
        )

    doelgroepen = _doelgroepen(vastgesteld)
    if doelgroepen and not uitvoering.bereikt:
        add("bereik", "onbekend", "Er is niet vastgelegd welke belanghebbenden meededen.")
    for b in niet_bereikt(vastgesteld, uitvoering):
        rol = f" ({b.rol.value})" if b.rol else ""
        add(f"bereik:{_key(b.naam)}", "bereik", f"Niet bereikt: {b.naam}{rol}.")

    besluit = uitvoering.besluit
    if besluit and vastgesteld.besluitdatum and besluit.datum != vastgesteld.besluitdatum:
        add(
            "besluit",
            "besluit",
            f"Het besluit was gepland op {datum(vastgesteld.besluitdatum)} "
            f"en viel op {datum(besluit.datum)}.",
        )
    return out


class VerloopRegel(BaseModel):
    """One activity, planned against done, as the rapportage and the paragraaf tell it."""

    naam: str  # 'activiteit 1 (bijeenkomst: Inloopavond)'
    gepland: str  # '12 maart 2026', or GEEN_PLAN for an added activity
    gedaan: str  # '19 maart 2026', 'ging niet door', 'niet vastgelegd'
    gehouden: bool | None = None  # None: not recorded
    deelnemers: int | None = None


GEEN_PLAN = "stond niet in het plan"


def _dagen(start: date | None, eind: date | None) -> str | None:
    if start is None:
        return None
    if eind is None or eind == start:
        return datum(start)
    return f"{datum(start)} tot en met {datum(eind)}"


def _gedaan(u: Uitvoering | None) -> str:
    if u is None:
        return "niet vastgelegd"
    if not u.gehouden:
        return "ging niet door"
    return _dagen(u.start, u.eind) or "ging door"


def verloop(vastgesteld: Plan, uitvoering: Afronding) -> list[VerloopRegel]:
    """Every activity of the vastgestelde plan with what was done, and the added ones, in the
    order they happened (else were planned): the plan keeps them in the order they were typed."""
    done = {
        u.activiteit: u for u in uitvoering.uitvoering if uitgevoerde_activiteit(u, vastgesteld)
    }
    rows: list[tuple[date | None, VerloopRegel]] = []
    for nr, a in enumerate(vastgesteld.activiteiten, start=1):
        u = done.get(nr)
        rows.append(
            (
                u.start if u and u.gehouden and u.start else a.start,
                VerloopRegel(
                    naam=activiteit_tekst(a, nr),
                    gepland=_dagen(a.start, a.eind) or "zonder datum",
                    gedaan=_gedaan(u),
                    gehouden=u.gehouden if u else None,
                    deelnemers=u.deelnemers if u and u.gehouden else None,
                ),
            )
        )
    for u in uitvoering.uitvoering:
        if uitgevoerde_activiteit(u, vastgesteld) is None:
            rows.append(
                (
                    u.start,
                    VerloopRegel(
                        naam=f"extra activiteit ({extra_tekst(u)})",
                        gepland=GEEN_PLAN,
                        gedaan=_gedaan(u),
                        gehouden=u.gehouden,
                        deelnemers=u.deelnemers if u.gehouden else None,
                    ),
                )
            )
    return op_datum(rows)


# ---------------------------------------------------------------- input and themes


def groepeer(items: Iterable[InbrengItem]) -> dict[str, list[InbrengItem]]:
    """The items by theme, in order of first appearance; 'Groen' and ' groen' are one theme.

    Items without a theme come last, under ZONDER_THEMA.
    """
    groups: dict[str, list[InbrengItem]] = {}
    names: dict[str, str] = {}
    loose: list[InbrengItem] = []
    for item in items:
        thema = " ".join((item.thema or "").split())
        if not thema:
            loose.append(item)
            continue
        name = names.setdefault(_key(thema), thema)
        groups.setdefault(name, []).append(item)
    if loose:
        groups.setdefault(names.get(_key(ZONDER_THEMA), ZONDER_THEMA), []).extend(loose)
    return groups


def per_thema(afronding: Afronding) -> list[tuple[Thema, list[InbrengItem]]]:
    """Every theme with its items: the themes named in the afronding first, then the rest.

    A theme that only occurs in the items has no verwerking yet.
    """
    groups = {_key(name): (name, items) for name, items in groepeer(afronding.inbreng).items()}
    out: list[tuple[Thema, list[InbrengItem]]] = []
    seen: set[str] = set()
    for thema in afronding.themas:
        key = _key(thema.naam)
        if key not in seen:
            seen.add(key)
            out.append((thema, groups.get(key, ("", []))[1]))
    for key, (name, items) in groups.items():
        if key not in seen:
            out.append((Thema(naam=name), items))
    return out


class CsvFout(ValueError):
    """A CSV file that cannot be read as input; the message is plain Dutch for the user."""


# header names (lower case, whole words) that mark a column, best first
TEKST_KOLOMMEN = (
    "reactie",
    "reacties",
    "bijdrage",
    "antwoord",
    "tekst",
    "inbreng",
    "opmerking",
    "comment",
    "comments",
)
THEMA_KOLOMMEN = ("thema", "categorie", "onderwerp", "tag", "tags", "category", "topic")
BRON_KOLOMMEN = ("bron", "kanaal", "platform", "source")
_DELIMITERS = ";,\t"
# the sniffer's patterns take time in the square of their input: a sample of the first lines
SNIFF = 2048


def _column(headers: list[str], words: tuple[str, ...], skip: int | None = None) -> int | None:
    """The column whose header is one of words, else the first whose header contains one."""
    clean = [" ".join(re.findall(r"\w+", h.casefold())) for h in headers]
    for word in words:
        for i, h in enumerate(clean):
            if i != skip and h == word:
                return i
    for i, h in enumerate(clean):
        if i != skip and set(h.split()) & set(words):
            return i
    return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV in its own code page
        return data.decode("cp1252", errors="replace")


def _rows(text: str, delimiter: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True))
    except csv.Error as exc:
        raise CsvFout(
            f"Ik kan het CSV-bestand niet lezen ({exc}). Staat er ergens een aanhalingsteken "
            "te veel of te weinig? Sla het bestand opnieuw op als CSV en probeer het nog eens."
        ) from exc


# 'gesprek op het veld, 12 jongeren', 'buurtschouw met 8 bewoners': how many took part, said
# with the activity's name
_AANTAL_MENSEN = re.compile(
    r"(?<![\w.,])(\d{1,5})\s+(?:mensen|deelnemers|bezoekers|aanwezigen|personen|bewoners"
    r"|omwonenden|buren|jongeren|kinderen|ouders|ouderen|leerlingen|scholieren|ondernemers"
    r"|vrijwilligers|people|participants|residents)\b",
    re.I,
)


def aantal_mensen(text: Any) -> dict[str, Any] | None:
    """The number of people a description names ('..., 12 jongeren'), as an answer to 'Hoeveel
    mensen deden mee?'; None when it names none, or more than one number."""
    found = {int(m[1]) for m in _AANTAL_MENSEN.finditer(text)} if isinstance(text, str) else ()
    return {"waarde": float(found.pop()), "schatting": False} if len(found) == 1 else None


def import_csv(text: str | bytes, bron: str | None = None) -> list[InbrengItem]:
    """The input in a CSV export of a platform such as DoeMee or of a survey tool.

    Reads ';', ',' or tab as delimiter, a BOM, quoted cells with line breaks. The text comes from
    the column named like 'reactie', 'bijdrage', 'antwoord', 'tekst' or 'comment'; the theme from
    'thema', 'categorie', 'onderwerp' or 'tag'; the source from 'bron' or 'platform', else `bron`.
    Raises CsvFout with a Dutch message when the file cannot be used.
    """
    if isinstance(text, bytes):
        text = _decode(text)
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        raise CsvFout(
            "Dit is geen CSV-bestand. Sla de export op als CSV (met puntkomma's of komma's)."
        )
    if not text.strip():
        raise CsvFout("Het CSV-bestand is leeg.")

    try:
        sniffed = csv.Sniffer().sniff(text[:SNIFF], delimiters=_DELIMITERS).delimiter
    except csv.Error:
        sniffed = None
    # the sniffer guesses wrong when the reactions hold more commas than the header: try the
    # other delimiters too and keep the first whose header has a text column
    order = list(dict.fromkeys(d for d in (sniffed, *_DELIMITERS) if d))
    first: list[str] | CsvFout | None = None
    for delimiter in order:
        try:
            rows = [r for r in _rows(text, delimiter) if any(c.strip() for c in r)]
        except CsvFout as exc:
            first = exc if first is None else first
            continue
        headers = [h.strip() for h in rows[0]] if rows else []
        first = headers if first is None else first
        tekst = _column(headers, TEKST_KOLOMMEN)
        if tekst is not None:
            break
    else:
        if isinstance(first, CsvFout):
            raise first
        found = ", ".join(f"'{h}'" for h in first or [] if h) or "geen"
        raise CsvFout(
            "Ik vind geen kolom met de reacties. Geef die kolom de naam 'reactie', 'bijdrage', "
            f"'antwoord', 'tekst' of 'comment'. Kolommen in het bestand: {found}."
        )
    thema = _column(headers, THEMA_KOLOMMEN, skip=tekst)
    bron_kolom = _column(headers, BRON_KOLOMMEN, skip=tekst)

    def cell(row: list[str], i: int | None) -> str | None:
        if i is None or i >= len(row):
            return None
        return row[i].replace("\r\n", "\n").replace("\r", "\n").strip() or None

    items = []
    for row in rows[1:]:
        value = cell(row, tekst)
        if value:
            items.append(
                InbrengItem(tekst=value, thema=cell(row, thema), bron=cell(row, bron_kolom) or bron)
            )
    if not items:
        raise CsvFout(f"Het CSV-bestand heeft geen reacties in de kolom '{headers[tekst]}'.")
    return items


# ---------------------------------------------------------------------- kept in the plan's data
# The Afronding and the closing steps live in the plan's own data beside the interview's answers
# (the Plan model ignores these keys), so they go when the plan goes.
AFRONDING = "afronding"
# the closing steps taken (ISO date-times: rapportage_verstuurd, besluit_gemeld, gewist) and
# the counts that stay after the personal data is erased (deelnemers, aantal_deelnemers)
AFSLUITING = "afsluiting"


def lees_afronding(data: Mapping[str, Any]) -> Afronding:
    """What is known about the closing of a plan, from its data; empty before `afronden`."""
    return Afronding.model_validate(data.get(AFRONDING) or {})


def afsluiting(data: Mapping[str, Any]) -> dict[str, Any]:
    """The closing steps taken so far and the counts that stay, from a plan's data."""
    return dict(data.get(AFSLUITING) or {})


@dataclass(frozen=True)
class Stukken:
    """What a rapportage compares: the plan as adopted (or as it stands, before vaststelling)
    with the plan as it is now, and the Afronding."""

    vastgesteld: Plan
    actueel: Plan
    afronding: Afronding
    vastgesteld_op: date | None
    profile: Profile


def stukken_van(
    data: Mapping[str, Any],
    vastgesteld: Mapping[str, Any] | None,
    vastgesteld_op: date | None,
    profile: Profile,
) -> Stukken:
    """The Stukken of a plan from its data and the frozen data of its vastgestelde version
    (None: not vastgesteld yet, the plan as it stands is compared with itself)."""
    actueel = Plan.model_validate(dict(data))
    return Stukken(
        vastgesteld=Plan.model_validate(dict(vastgesteld)) if vastgesteld is not None else actueel,
        actueel=actueel,
        afronding=lees_afronding(data),
        vastgesteld_op=vastgesteld_op if vastgesteld is not None else None,
        profile=profile,
    )


def csv_zonder_persoonsgegevens(text: str) -> str | None:
    """The CSV answer as it may be kept after the participants' data is erased: only the
    columns the documents use (reactie, thema, bron), names, e-mail addresses and phone numbers
    in them taken out. An export holds columns such as 'Naam' and 'E-mailadres' of everyone
    who reacted; None when the text cannot be read as a CSV at all."""
    from handreiking.evaluatie import anoniem

    try:
        items = import_csv(text)
    except CsvFout:
        return None
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["reactie", "thema", "bron"])
    for item in items:
        writer.writerow([anoniem(item.tekst), item.thema or "", item.bron or ""])
    return out.getvalue()


def zonder_persoonsgegevens(data: Mapping[str, Any]) -> dict[str, Any]:
    """The closing keys of a plan's data with the personal data of the people who reacted
    taken out: the CSV export's name and address columns, and names, e-mail addresses and
    phone numbers in reactions and in the open answers of the evaluation. Only the keys that
    change are returned; the counts, themes and reasons stay."""
    from handreiking.evaluatie import ANTWOORDEN, anoniem

    changed: dict[str, Any] = {}
    answers = data.get("afronden")
    if isinstance(answers, Mapping):
        new = dict(answers)
        raw = new.get("inbreng_csv")
        if isinstance(raw, str) and raw.strip():
            new["inbreng_csv"] = csv_zonder_persoonsgegevens(raw)
        new["inbreng"] = [
            {**e, "tekst": anoniem(e["tekst"])} if isinstance(e.get("tekst"), str) else e
            for e in new.get("inbreng") or []
            if isinstance(e, Mapping)
        ]
        if new != answers:
            changed["afronden"] = new
    kept = data.get(AFRONDING)
    if isinstance(kept, Mapping) and kept.get("inbreng"):
        new_kept = {
            **kept,
            "inbreng": [
                {**i, "tekst": anoniem(i["tekst"])} if isinstance(i.get("tekst"), str) else i
                for i in kept["inbreng"]
            ],
        }
        if new_kept != kept:
            changed[AFRONDING] = new_kept
    forms = data.get(ANTWOORDEN)
    if isinstance(forms, Mapping) and forms.get("antwoorden"):
        new_forms = {
            **forms,
            "antwoorden": [
                {k: anoniem(v) if isinstance(v, str) else v for k, v in a.items()}
                for a in forms["antwoorden"]
            ],
        }
        if new_forms != forms:
            changed[ANTWOORDEN] = new_forms
    return changed
