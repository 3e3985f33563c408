"""The public version of a plan: no personal data, no internal fields; and a check on free text.

`participatieplan-openbaar.docx` is for the digital gemeenteblad (Leiden's checklist): no
personal names, e-mail addresses or phone numbers of private persons (AVG) and none of the
fields the gemeente profile marks `intern`.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from handreiking import documents, rules
from handreiking.models import Plan, Stand
from handreiking.profiles import Profile
from handreiking.rules import Finding, Soort

NAME = "participatieplan-openbaar"
NIET_OPENBAAR = "niet openbaar"
WEGGELATEN = "[weggelaten]"

# lists whose items have fields an `intern` entry may name ('uren' or 'activiteiten.uren')
_ITEM_LISTS = ("activiteiten", "belanghebbenden")

# Every pattern here runs over whole answers (up to 200,000 characters) on every turn, so each
# runs in linear time: a match only starts where a run of its characters starts (lookbehind),
# and quantifiers that never need to give back are possessive.
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]++@[\w-]++(?:\.[\w-]++)+")
# Dutch numbers: 0 and nine digits, or +31 / 0031 and nine; spaces, dashes and (0) allowed
PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?|\(?0)(?:\d[\s).-]{0,2}){8}\d(?![\w-])"
)
# A home address in what residents type: a street and its house number ('Kerkstraat 12',
# 'Lindenlaan 7a', 'Hooigracht 14-2'), a postcode ('2311 AB'). A street is a word that ends in
# one of these (checked after the match, so the pattern stays linear); a bare 'weg 3' is none.
STRAAT = re.compile(
    r"(?<![\w'’-])[^\W\d_][\w'’-]*+\s++\d{1,4}+(?![\d])(?![.,]\d)"
    r"(?:\s?+[a-wyzA-WYZ](?!\w))?(?:[-/]\d{1,4}+(?!\d))?"  # '12a', '14-2'; '3x' is times
)
STRAATNAAM = (
    "straat", "straatje", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "pad",
    "dreef", "hof", "park", "steeg", "plantsoen", "markt", "baan", "wal", "haven", "dam",
    "allee", "boulevard", "burg", "hoven", "hove", "werf", "poort", "brink", "veste", "vest",
)  # fmt: skip
# 'het fietspad 2 meter breder': a measure after the number, no house number
_MAAT = re.compile(
    r"\s*+(?:meter|m|km|cm|mm|keer|x|uur|minuten|min|dagen|dag|weken|week|maanden|jaar|jaren"
    r"|euro|procent|%|stuks)(?!\w)",
    re.I,
)
POSTCODE = re.compile(r"(?<![\w])[1-9]\d{3}\s?+(?!SA|SD|SS)[A-Z]{2}(?![\w])")
_TUSSEN = r"(?:(?:[Vv]an|[Dd]e|[Dd]er|[Dd]en|[Tt]er|[Tt]en|[Tt]e|in 't|'t)\s+)"
_SURNAME = r"[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?"
# 'Anna de Vries', 'Jan van der Berg'; also 'Bewoners van de Kerkstraat', see _straat_naam
_VOORNAAM_ACHTERNAAM = re.compile(
    r"\b[A-Z][a-zà-ÿ]+\s+(?:van de[nr]?|de|der|den|ter|ten)\s+" + _SURNAME
)
# What a street's name ends in and a surname hardly ever does: 'Bewoners van de Kerkstraat'
# and 'In de Kerkstraat' name a group and a place. Not 'dam', 'burg', 'dijk', 'poort', 'hof' or
# 'hoven': 'Jan van Amsterdam', 'Els van Oldenburg', 'Kees van Nieuwpoort' are people.
_STRAAT_GEEN_ACHTERNAAM = (
    "straat", "straatje", "laan", "weg", "plein", "gracht", "kade", "singel", "dreef", "pad",
    "steeg", "plantsoen", "markt", "allee", "boulevard",
)  # fmt: skip
# 'Kees van Amsterdam', 'Fatima van Dijk', 'Jan van 't Hek': a first name and a surname with
# only 'van' before it. 'Bewoners van Leiden' has the same shape, so the word before 'van' is
# checked after the match (_voornaam): a name is no word of the language nor a group.
_VOORNAAM_VAN = re.compile(
    r"(?<![\w'’-])[A-Z][a-zà-ÿ]++\s++van\s++(?:'t\s++)?" + _SURNAME + r"(?![\w'’])"
)
# Capitalised words that come before 'van' or 'van de' and are no first name: the groups,
# bodies and places a reaction speaks of, and the small words that start a sentence.
_GEEN_VOORNAAM = frozenset(
    """
    bewoner bewoners inwoner inwoners ondernemer ondernemers buren buurman buurvrouw lid leden
    ouders kinderen jongeren jeugd leerlingen studenten vrienden vrijwilligers eigenaren
    huurders gebruikers bezoekers klanten medewerkers mensen iedereen niemand vertegenwoordigers
    gemeente gemeenten college raad gemeenteraad provincie rijk ministerie waterschap politie
    huis vereniging stichting bestuur wijkraad dorpsraad buurt wijk dorp stad centrum school
    kerk bibliotheek team teams afdeling groep werkgroep projectgroep commissie club bond
    burgemeester wethouder wethouders voorzitter directeur secretaris namens vanuit tijdens
    plan plannen project fase deel week dag avond ochtend middag nacht jaar maand
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
    januari februari maart april mei juni juli augustus september oktober november december
    ook veel weinig meer minder niets niks iets alles sommige sommigen alle een de het dit dat
    deze die wat wie welke zowel behalve naast buiten binnen dan toen daarna eerst later want
    maar en of omdat nog al wel niet geen zoals vooral alleen graag ja nee beste dank bedankt
    groet groeten hallo hoi vriendelijke hartelijke liefs
    ik wij we jij je u hij zij ze jullie hun ons onze mijn zijn haar hier daar er
    """.split()
)
# What a word for a group or a place ends in and a first name hardly ever does
_GEEN_VOORNAAM_EINDE = (
    "ers", "ing", "heid", "schap", "teit", "raad", "huis", "school", "centrum", "bond",
    "club", "team", "groep", "tuin", "kerk", "wijk", "buurt", "stad", "dorp", "park",
)  # fmt: skip
# A name has no article before it: 'de Raad van State', 'het Huis van de Wijk'
_LIDWOORD = re.compile(
    r"(?<![\w'])(?:de|het|een|'t|onze|ons|jullie|hun|deze|die|dit|dat|alle|elke|iedere|veel"
    r"|welke|zo'n)\s+$",
    re.I,
)


def _voornaam(text: str, m: re.Match[str]) -> bool:
    """Whether the first word of what looks like 'Kees van Amsterdam' can be a first name."""
    first = m.group().split(None, 1)[0].casefold()
    if first in _GEEN_VOORNAAM or first.endswith(_GEEN_VOORNAAM_EINDE):
        return False
    return not _LIDWOORD.search(text, max(0, m.start() - 12), m.start())


# Initials never give back: what follows them starts with a letter that is no initial.
# Only patterns that rarely mean anything else.
_NAME_PATTERNS = [
    # 'mevrouw Jansen', 'dhr. De Vries', 'de heer J. van Dam'
    re.compile(
        r"\b(?:[Mm]evrouw|[Mm]evr\.|[Mm]w\.|[Mm]eneer|[Mm]ijnheer|[Dd]hr\.|[Dd]e heer)\s+"
        r"(?:[A-Z]\.\s?)*+" + _TUSSEN + "*" + _SURNAME
    ),
    # 'J. de Boer', 'A.B. Smit'
    re.compile(r"(?<![\w.])(?:[A-Z]\.\s?){1,4}+" + _TUSSEN + "*" + _SURNAME),
    _VOORNAAM_ACHTERNAAM,
    _VOORNAAM_VAN,
    # who introduces themselves in a reaction or an evaluation form: 'ik ben Ans Buur'
    *(
        re.compile(rf"(?<=\b{intro} )[A-Z][a-zà-ÿ]++(?:\s++{_TUSSEN}*+{_SURNAME})?")
        for intro in ("[Ii]k ben", "[Ii]k heet", "[Mm]ijn naam is", "[Gg]roeten", "[Gg]roeten,")
    ),
]


@dataclass(frozen=True)
class Treffer:
    """Something in a text that looks like personal data."""

    soort: str  # 'naam', 'e-mailadres', 'telefoonnummer' or 'adres'
    tekst: str


# A known name longer than this is no name; searching for it would cost its length per character
NAAM_MAX = 60


def _naam(naam: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(naam)}(?!\w)", re.I)


# The check runs over every free text of a plan after every answer, while one answer changes
# one text: the finds of a text that is not too long are remembered.
_REMEMBERED = 4_000  # characters


def persoonsgegevens(
    text: str, namen: list[str] | tuple[str, ...] = (), *, adressen: bool = False
) -> list[Treffer]:
    """What in `text` looks like an e-mail address, a phone number or a person's name; with
    `adressen`, also a home address (a street with its number, a postcode).

    `namen`: names known to be personal (the accounthouder, say); they count wherever they occur.
    A name pattern that matches inside something found already is not a second find.
    Addresses are for what residents wrote (reactions, evaluation forms): in a plan a street
    with a number is where a meeting takes place.
    """
    if len(text) <= _REMEMBERED:
        return list(_remembered(text, tuple(namen), adressen))
    return _persoonsgegevens(text, namen, adressen)


@functools.lru_cache(maxsize=1024)
def _remembered(text: str, namen: tuple[str, ...], adressen: bool) -> tuple[Treffer, ...]:
    return tuple(_persoonsgegevens(text, namen, adressen))


def _is_straat(text: str, m: re.Match[str]) -> bool:
    """'Kerkstraat 12' is an address; 'Lindenplein 2026' names a year and 'het fietspad 2 meter
    breder' a measure, not a house."""
    if _MAAT.match(text, m.end()):
        return False
    word, number = m.group().split(None, 1)
    digits = re.match(r"\d+", number)
    if digits and len(digits.group()) == 4 and 1900 <= int(digits.group()) <= 2099:
        return False
    word = word.casefold()
    return any(word.endswith(s) and len(word) > len(s) for s in STRAATNAAM)


def _straat_naam(found: str) -> bool:
    """Whether what looks like 'Anna de Vries' ends in a street ('In de Kerkstraat')."""
    last = found.rsplit(None, 1)[-1].casefold()
    # 'Straat' alone is no street's name; no ending in the list ends in another one
    return last.endswith(_STRAAT_GEEN_ACHTERNAAM) and last not in _STRAAT_GEEN_ACHTERNAAM


def _persoonsgegevens(
    text: str, namen: list[str] | tuple[str, ...], adressen: bool = False
) -> list[Treffer]:
    return _vondsten(text, namen, adressen, spans=False)[0]


def _vondsten(
    text: str, namen: list[str] | tuple[str, ...], adressen: bool = False, spans: bool = True
) -> tuple[list[Treffer], list[tuple[int, int]]]:
    """Each thing found once, and (with `spans`) where in `text` every occurrence the patterns
    saw stands: the check after every answer needs only the first, the scrubber both."""
    found: list[Treffer] = []
    where: list[tuple[int, int]] = []
    seen: set[str] = set()
    covered = bytearray(len(text))  # characters that belong to a find

    def add(soort: str, m: re.Match[str], value: str | None = None) -> None:
        start, end = m.span()
        covered[start:end] = b"\x01" * (end - start)
        raw = m.group()
        if spans:
            trimmed = start + len(raw) - len(raw.lstrip()), end - len(raw) + len(raw.rstrip())
            if trimmed[0] < trimmed[1]:
                where.append(trimmed)
        value = (value or raw).strip()
        if value and value.lower() not in seen:
            seen.add(value.lower())
            found.append(Treffer(soort, value))

    for m in EMAIL.finditer(text):
        add("e-mailadres", m)
    for m in PHONE.finditer(text):
        add("telefoonnummer", m)
    if adressen:
        for m in STRAAT.finditer(text):
            if _is_straat(text, m) and not any(covered[m.start() : m.end()]):
                add("adres", m)
        for m in POSTCODE.finditer(text):
            if not any(covered[m.start() : m.end()]):
                add("adres", m)
    for naam in namen:
        if naam and len(naam) <= NAAM_MAX:
            for m in _naam(naam).finditer(text):
                add("naam", m, naam)
    for pattern in _NAME_PATTERNS:
        for m in pattern.finditer(text):
            if pattern in (_VOORNAAM_ACHTERNAAM, _VOORNAAM_VAN) and (
                _straat_naam(m.group()) or not _voornaam(text, m)
            ):
                continue
            if not any(covered[m.start() : m.end()]):
                add("naam", m)
    return found, where


_WOORD = re.compile(r"\w++")
# A name found once is also taken out where it stands alone ('ik ben Ans ... groet, Ans'); a
# find of more words than this is only taken out where a pattern found it
_HERHAALD_MAX = 8  # words
# up to this many different names, one pattern looks for all of them; beyond it each word of
# the text is looked up, which costs the same however many names there are
_WEINIG_NAMEN = 64


def weglaten(text: str) -> str:
    """`text` as it may be published: every name, home address, e-mail address and phone number
    replaced by '[weggelaten]', also a name repeated where no pattern sees it.

    The text is read a fixed number of times, however many different things it holds: each
    word outside what is taken out is looked up once per word count of a name found.
    """
    found, spans = _vondsten(text, (), adressen=True)
    names: dict[tuple[str, ...], set[str]] = {}
    for t in found:
        words = tuple(_WOORD.findall(t.tekst))
        if t.soort == "naam" and 0 < len(words) <= _HERHAALD_MAX:
            names.setdefault(words, set()).add(t.tekst)
    if names:
        if len(names) <= _WEINIG_NAMEN:
            alternatives = sorted({n for forms in names.values() for n in forms}, key=len)
            pattern = "|".join(map(re.escape, reversed(alternatives)))
            finder = re.compile(rf"(?<!\w)(?:{pattern})(?!\w)")
            spans += [m.span() for m in finder.finditer(text)]
        else:
            spans += _herhaald(text, _tussen(_samen(spans), len(text)), names)
    out: list[str] = []
    pos = 0
    for start, end in _samen(spans):
        out += [text[pos:start], WEGGELATEN]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def _herhaald(
    text: str, gaps: list[tuple[int, int]], names: dict[tuple[str, ...], set[str]]
) -> list[tuple[int, int]]:
    """Where the names stand in the gaps of `text`, found word by word: each word is looked up
    once per word count of a name."""
    counts = {len(words) for words in names}
    firsts = {words[0] for words in names}
    spans = []
    for pos, end in gaps:
        tokens = list(_WOORD.finditer(text, pos, end))
        words = [tok.group() for tok in tokens]
        for i, tok in enumerate(tokens):
            if words[i] not in firsts:
                continue
            for n in counts:
                for naam in names.get(tuple(words[i : i + n]), ()):
                    start = tok.start() - _WOORD.search(naam).start()
                    if start >= 0 and text.startswith(naam, start):
                        spans.append((start, start + len(naam)))
    return spans


def _samen(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans in order, those that overlap or touch made one."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def _tussen(merged: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The parts of a text of `length` characters outside the merged spans."""
    gaps, pos = [], 0
    for start, end in merged:
        if start > pos:
            gaps.append((pos, start))
        pos = end
    if pos < length:
        gaps.append((pos, length))
    return gaps


def _intern_names(profile: Profile) -> tuple[set[str], dict[str, set[str]]]:
    """The profile's `intern` entries as top-level fields and as fields of list items."""
    top: set[str] = set()
    items: dict[str, set[str]] = {name: set() for name in _ITEM_LISTS}
    for entry in profile.intern:
        lst, dot, field = entry.partition(".")
        if dot and lst in items:
            items[lst].add(field)
        elif entry in Plan.model_fields:
            top.add(entry)
        else:  # a bare item field ('uren', 'kosten') means: in every list that has it
            for name in _ITEM_LISTS:
                items[name].add(entry)
    return top, items


def known_names(plan: Plan, profile: Profile) -> list[str]:
    """Names the plan itself says are personal: the text of internal fields that is no address."""
    top, _ = _intern_names(profile)
    names = []
    for field in sorted(top):
        value = getattr(plan, field, None)
        naam = value.strip() if isinstance(value, str) else ""
        if naam and len(naam) <= NAAM_MAX and not EMAIL.fullmatch(naam):
            names.append(naam)
    return names


def _blank(value: Any) -> Any:
    if isinstance(value, str):
        # an address simply disappears; other text says it is not public
        return None if EMAIL.fullmatch(value.strip()) else NIET_OPENBAAR
    if isinstance(value, list):
        return []
    return None


def _scrub(value: Any, names: list[str]) -> Any:
    if isinstance(value, str):
        text = EMAIL.sub(WEGGELATEN, value)
        text = PHONE.sub(WEGGELATEN, text)
        for naam in names:
            text = _naam(naam).sub(WEGGELATEN, text)
        return text
    if isinstance(value, list):
        return [_scrub(v, names) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, names) for k, v in value.items()}
    return value


def publiek(plan: Plan, profile: Profile) -> Plan:
    """The plan as it may be published: internal fields blanked, addresses and numbers removed."""
    names = known_names(plan, profile)
    top, items = _intern_names(profile)
    data = plan.model_dump(mode="json")
    for field in top:
        if field in data and data[field] not in (None, [], ""):
            data[field] = _blank(data[field])
    for lst, fields in items.items():
        for item in data.get(lst) or []:
            for field in fields:
                if item.get(field) not in (None, [], ""):
                    # a name is required in a list item: it shows as 'niet openbaar'
                    item[field] = NIET_OPENBAAR if field == "naam" else _blank(item[field])
    # a remark beside an internal answer ('Ruud (secretaris)') is as internal as the answer
    data["opmerkingen"] = {k: v for k, v in data["opmerkingen"].items() if k not in top}
    # afwijkingen and opmerkingen are typed by the owner: the same scrubbing applies
    return Plan.model_validate(_scrub(data, names))


def publiek_findings(findings: list[Finding], plan: Plan, profile: Profile) -> list[Finding]:
    """Findings as the public version shows them: the reasons given scrubbed like the plan."""
    names = known_names(plan, profile)
    return [
        f.model_copy(update={"afwijking": _scrub(f.afwijking, names) if f.afwijking else None})
        for f in findings
    ]


def _texts(plan: Plan, profile: Profile) -> list[tuple[str, str]]:
    """(where, text) of every free text that goes into the public version."""
    top, items = _intern_names(profile)
    found: list[tuple[str, str]] = []
    for field in Plan.model_fields:
        if field in top or field in _ITEM_LISTS or field == "afwijkingen":
            continue
        value = getattr(plan, field)
        if isinstance(value, str) and value.strip():
            found.append((field, value))
    for lst in _ITEM_LISTS:
        for nr, item in enumerate(getattr(plan, lst), 1):
            for field, value in item.model_dump().items():
                if field not in items[lst] and isinstance(value, str) and value.strip():
                    found.append((f"{lst}.{nr}.{field}", value))
    for code, reden in plan.afwijkingen.items():
        found.append((f"afwijkingen.{code}", reden))
    found += [(key, opmerking) for key, opmerking in plan.opmerkingen.items() if key not in top]
    return found


def _waar(where: str) -> dict[str, str]:
    """'eigenaar_rol' as the person knows it: 'je rol'; 'activiteiten.2.plaats': 'activiteit 2'.
    The internal name of a field is never shown."""
    field, _, rest = where.partition(".")
    nr = rest.split(".", 1)[0]
    try:
        return rules.bevinding_tekst(f"openbaar_waar.{field}", nr=nr)
    except KeyError:
        return rules.bevinding_tekst("openbaar_waar.anders")


def check(plan: Plan, profile: Profile) -> list[Finding]:
    """A tip for every free text meant for publication that looks like it holds personal data;
    the Dutch for the documents, in English too for the chat."""
    names = known_names(plan, profile)
    findings: list[Finding] = []
    bron = rules.bevinding_tekst("openbaar_bron")
    for where, text in _texts(plan, profile):
        treffers = persoonsgegevens(text, names)
        waar = _waar(where) if treffers else {}
        for t in treffers:
            if t.soort == "naam":
                tekst = rules.bevinding_tekst("openbaar_naam", waar=waar, tekst=t.tekst)
            else:
                soort = rules.bevinding_tekst(f"openbaar_soort.{t.soort}")
                tekst = rules.bevinding_tekst(
                    "openbaar_gegeven", waar=waar, soort=soort, tekst=t.tekst
                )
            code = f"openbaar:{where}:{t.soort}:{t.tekst.lower()}"
            findings.append(rules.finding(code, Soort.tip, tekst, bron, where.split(".", 1)[0]))
    return findings


def render_openbaar(
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    out_dir: Path,
    template_dirs: list[Path] | None = None,
    *,
    stand: Stand | None = None,
) -> Path:
    """Write `participatieplan-openbaar.docx` (`stand`: its front page's version and status).

    A gemeente's own `participatieplan-openbaar.docx` template is used when there is one;
    otherwise the participatieplan template, filled with the public version of the plan.
    """
    template = NAME if documents.find_template(NAME, template_dirs) else "participatieplan"
    return documents.render(
        template,
        publiek(plan, profile),
        profile,
        publiek_findings(findings, plan, profile),
        Path(out_dir) / f"{NAME}.docx",
        template_dirs,
        stand=stand,
    )


def publiek_tekst(text: str, plan: Plan, profile: Profile) -> str:
    """A text typed about the plan (a theme, a reason) as it may be published: addresses,
    numbers and the names the plan knows removed, as in the public version."""
    return _scrub(text, known_names(plan, profile))
