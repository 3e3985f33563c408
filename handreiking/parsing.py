"""Reading what people really type in the interview: dates, periods, money, numbers, choices."""

from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from babel.dates import format_date, get_day_names, get_month_names
from rapidfuzz.distance import OSA

from handreiking.resources import load_yaml, shipped

# Dates of a participation traject: none before 2000, none more than ten years ahead.
EARLIEST = date(2000, 1, 1)
YEARS_AHEAD = 10
MAX_AMOUNT = 1e9

# Longer texts are not a date, an amount or a choice; the cap also keeps dateparser fast.
_SHORT = 200


class ParseError(ValueError):
    """An answer that could not be read; `message()` tells the user what to type instead."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "nl") -> str:
        texts = _messages()[self.key]
        # Example dates lie ahead of the reader, counted from the day the answer was read.
        examples = date_examples(self.params.get("today") or date.today(), lang)
        return (texts.get(lang) or texts["nl"]).format_map({**examples, **self.params})

    def __str__(self) -> str:
        return self.message("nl")


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    path = shipped("templates") / "messages" / "parsing.yaml"
    return load_yaml(path)


def date_examples(today: date, lang: str = "nl") -> dict[str, str]:
    """Example answers for a date or period question that lie ahead: the first 12th of a month
    at least four weeks after today ('12 januari 2027', '12-1-2027') and the month after it."""
    day = today.replace(day=12)
    while (day - today).days < 28:
        day = add_months(day, 1)
    after = add_months(day.replace(day=1), 1)
    locale = "en" if lang == "en" else "nl"
    month_year = format_date(after, "MMMM y", locale=locale)
    return {
        "example": format_date(day, "d MMMM y", locale=locale),
        "example_numeric": _dmy(day),
        "example_period": f"1 t/m 21 {month_year}" if locale == "nl" else f"1 to 21 {month_year}",
    }


# --- shared helpers -------------------------------------------------------------------------


def _clean(text: object, limit: int = _SHORT) -> str | None:
    """One line of plain text, or None when it is empty or longer than `limit`."""
    if not isinstance(text, str) or len(text) > 20 * limit:
        return None
    text = unicodedata.normalize("NFKC", text)
    # Control and format characters (NUL, bell, RTL marks, zero-width joiners) carry no meaning.
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in text)
    text = " ".join(text.split()).replace("\u2019", "'").replace("\u2018", "'")
    return text if text and len(text) <= limit else None


def _fold(text: str) -> str:
    """Lower case without accents or hyphens, words separated by one space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[-'`]", "", text)
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


_NUMBER_WORDS = {
    word: number
    for number, words in enumerate(
        [
            (),
            ("een", "één", "one"),
            ("twee", "two"),
            ("drie", "three"),
            ("vier", "four"),
            ("vijf", "five"),
            ("zes", "six"),
            ("zeven", "seven"),
            ("acht", "eight"),
            ("negen", "nine"),
            ("tien", "ten"),
            ("elf", "eleven"),
            ("twaalf", "twelve"),
        ]
    )
    for word in words
}
_NUMBER_WORD = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True))

# --- unknown, yes / no ----------------------------------------------------------------------

# Words people add around 'weet niet' ('dat weet ik nu nog niet'); dropped before comparing.
_UNKNOWN_FILLER = {"ik", "het", "nu", "nog", "dat", "echt", "even", "is", "i", "yet", "still"}
_UNKNOWN_FILLER |= {
    "pas",
    "wordt",
    "hoor",
    "eerlijk",
    "gezegd",
    "zo",
    "precies",
    "meer",  # "weet ik niet meer": forgotten is not known either
    "wanneer",  # "weet nog niet wanneer" where a date is asked
    "when",
    "exact",
    "helaas",
    "that",
    "we",
    "eigenlijk",
    "nou",
    "ook",
    "sorry",
    "nee",
}
_UNKNOWN = {
    "weet niet",
    "weet veel",
    "onbekend",
    "niet bekend",
    "geen idee",
    "te bepalen",
    "ntb",
    "onduidelijk",
    "niet besloten",
    "dont know",
    "do not know",
    "no idea",
    "not sure",
    "unsure",
    "unknown",
    "not known",
    "idk",
    "dunno",  # as English is typed in a hurry: 'dunno yet'
    "no clue",
    "tbd",
    "to be decided",
    "to be determined",
    "volgt later",
    "volgt nog",
    "volgt",  # 'volgt nog' once 'nog' is left out
    "komt later",
    "komt nog",
    "komt",
    "later",
    "wordt bepaald",
    "nader te bepalen",
    "nntb",
    "pm",
    "p m",
    "later bepaald",
    "bepalen we later",
    "follows later",
    "later on",
    # not at hand: 'heb ik niet bij de hand', 'zoek ik nog op', 'moet ik nog uitzoeken'
    "heb niet bij de hand",
    "niet bij de hand",
    "heb niet paraat",
    "niet paraat",
    "zoek op",
    "moet opzoeken",
    "ga opzoeken",
    "zoek uit",
    "moet uitzoeken",
    "ga uitzoeken",
}


def is_unknown(text: str) -> bool:
    """Whether the answer says 'I don't know (yet)': 'weet ik nog niet', 'onbekend', '?'."""
    return isinstance(text, str) and _is_unknown(text)


# a document asks this of every answer it shows (a few hundred a render), mostly the same ones
@functools.lru_cache(maxsize=2048)
def _is_unknown(text: str) -> bool:
    cleaned = _clean(text)
    if cleaned is None:
        return False
    if set(cleaned) <= {"?", " "}:
        return True
    words = [w for w in _fold(cleaned).split() if w not in _UNKNOWN_FILLER]
    return " ".join(words) in _UNKNOWN


def starts_unknown(text: str) -> bool:
    """Whether the answer opens with 'I don't know' and goes on with a comment: 'weet ik nog
    niet, iemand van het wijkteam', 'geen idee (vraag ik na)'."""
    cleaned = _clean(text)
    clause, rest = first_clause(cleaned) if cleaned else ("", "")
    return bool(rest) and is_unknown(clause)


_YES = {"ja", "j", "yes", "y", "klopt", "akkoord", "ok", "oke", "okay", "prima", "goed", "zeker"}
_YES |= {"jazeker", "jawel", "jep", "ja hoor", "ja graag", "graag", "sure", "yep", "yeah"}
_YES |= {"correct", "dat klopt", "ja dat klopt", "agreed", "👍", "✅", "✔", "👌", "zeker weten"}
_YES |= {"absoluut", "uiteraard", "natuurlijk", "zeer zeker", "ja zeker", "yup", "of course"}
_YES |= {"jup", "jep jep", "jaja", "ja ja", "jahoor", "jaaa", "jaa", "jo", "yes yes", "top"}
_YES |= {"wel ja", "welja", "ja wel", "echt wel", "ja echt wel", "zeker wel"}
_YES |= {"yeah sure", "yes sure", "sure thing", "definitely", "absolutely", "yes please"}
_YES |= {
    "genoeg",
    "voldoende",
    "ruim voldoende",
    "is goed",
    "is prima",
    "dat is goed",
    "dat klopt wel",
    "klopt helemaal",
    "helemaal goed",
}
_YES |= {"doe maar", "prima zo", "klopt ja", "ok prima", "oké", "okee", "okay prima", "yess"}
_NO = {"nee", "n", "no", "niet", "neen", "nope", "nee hoor", "liever niet", "niet nodig"}
_NO |= {"klopt niet", "dat klopt niet", "nee dank je", "nee bedankt", "nah", "👎", "❌"}
_NO |= {"niet echt", "echt niet", "welnee", "zeker niet", "absoluut niet", "nauwelijks"}
_NO |= {"helemaal niet", "not really", "no way", "nee joh", "neuh"}
_NO |= {"nog niet", "nog niet echt", "nog nooit", "nooit", "not yet"}
# 'Zijn er veel partijen bij betrokken?' 'valt mee'
_NO |= {"valt mee", "valt wel mee", "dat valt mee", "niet veel", "niet zo veel", "niet zoveel"}
_NO |= {"weinig", "heel weinig", "niet echt veel", "niet bijzonder", "niet heel veel"}
# 'Zijn er geld en uren?' 'deels': not (yet) as asked
_NO |= {"deels", "gedeeltelijk", "een deel", "een deel wel", "deels wel", "ten dele", "half"}
_NO |= {"niet helemaal", "nog niet helemaal", "niet volledig", "nog niet volledig", "partly"}
_NO |= {"we zijn ermee bezig", "we zijn er mee bezig", "daar wordt aan gewerkt", "in de maak"}
_NO |= {"wordt aan gewerkt", "we werken eraan", "we werken er aan", "nog mee bezig"}
# 'Kan de inbreng nog iets veranderen?' 'dat is de bedoeling'
_YES |= {"dat is de bedoeling", "is de bedoeling", "hopelijk", "hopelijk wel", "dat hoop ik"}
_YES |= {"ik hoop het", "hoop het", "ik hoop het wel", "dat hopen we", "hopen we wel"}
# 'Verandert de leefomgeving flink?' 'een beetje': not flink
_NO |= {"een beetje", "beetje", "een klein beetje", "klein beetje", "niet zo", "niet zo erg"}
_NO |= {"niet heel erg", "niet zo flink", "niet flink", "niet zo veel eigenlijk", "amper"}
# 'Verandert de leefomgeving flink?' 'best wel': a yes that says how much
_YES |= {"best wel", "best", "behoorlijk", "nogal", "flink", "erg", "heel erg", "enorm", "zeer"}
_YES |= {"best veel", "vrij veel", "heel veel", "veel", "redelijk veel", "aardig wat", "wel wat"}
_YES |= {"behoorlijk wat", "flink wat", "best wel veel", "zeker wel", "quite", "quite a lot"}
_YES |= {"a lot", "very much", "definitely", "pretty much", "fairly"}
_NO_WORDS = {"nee", "no", "niet", "not"}
# A hedge before wel/niet still answers: 'denk het wel', 'volgens mij niet', 'i think so'.
_HEDGES = [
    h.split()
    for h in (
        "ik denk", "denk", "ik geloof", "geloof", "ik verwacht", "verwacht", "ik vermoed",
        "vermoed", "ik gok", "gok", "volgens mij", "waarschijnlijk", "vermoedelijk", "lijkt me",
        "lijkt mij", "ik schat", "i think", "i guess", "i believe", "i expect", "probably",
    )
]  # fmt: skip
_HEDGES_NO = [h.split() for h in ("i dont think", "dont think", "i do not think")]
_HEDGE_FILLER = {"het", "van", "dat", "hoor", "eigenlijk", "toch", "so", "zo"}
# a first word that says yes: 'jup, dat klopt', 'prima, zo doen we het'
_FIRST_YES = {"ja", "yes", "jazeker", "jawel", "klopt", "zeker", "jup", "jep", "yep", "prima"}
# Skin tones and the emoji variation selector: '👍🏽' is '👍'.
_EMOJI_MODIFIERS = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f]")


def parse_yesno(text: str) -> bool:
    """'ja', 'j', 'klopt', '👍' -> True; 'nee', 'n', 'niet' -> False."""
    cleaned = _clean(text)
    if cleaned is None:
        raise ParseError("yesno")
    cleaned = _EMOJI_MODIFIERS.sub("", cleaned).casefold().strip(" .!")
    folded = _fold(cleaned)
    for answer in (cleaned, folded):
        if answer in _YES:
            return True
        if answer in _NO:
            return False
    words = folded.split()
    if len(words) > 1 and words[-1] in {"ja", "hoor", "yes", "wel"}:
        # 'best wel ja', 'behoorlijk hoor', 'flink wel'
        if " ".join(words[:-1]) in _YES:
            return True
    hedged = _hedged(words)
    if hedged is not None:
        return hedged
    # 'Ja, dat wil ik' / 'nee, liever later': the first word decides, unless the answer says
    # both ('ja, nee toch niet').
    first = words[0] if words else ""
    if first in _FIRST_YES and not _NO_WORDS & set(words):
        return True
    if first in {"nee", "no", "neen"} and not {"ja", "yes"} & set(words):
        return False
    # 'valt wel mee, buurt + school' / 'klopt helemaal (denk ik)': a whole answer in the first
    # clause, then a comment; a comment that says the opposite leaves it unread.
    clause, rest = first_clause(cleaned)
    if rest:
        said = {clause, _fold(clause)}
        rest_words = set(_fold(rest).split())
        if said & _YES and not _NO_WORDS & rest_words:
            return True
        if said & _NO and not {"ja", "yes"} & rest_words:
            return False
    if (echo := _ECHO_ANSWER.fullmatch(_fold(clause or cleaned))) is not None:
        return echo["neg"] is None
    # 'krap, maar het kan', 'niet veel maar genoeg': what comes after 'maar' decides
    but = re.split(r",? (?:maar|but) ", cleaned, maxsplit=1)
    if len(but) == 2 and but[1] and " maar " not in but[1]:
        return parse_yesno(but[1])
    raise ParseError("yesno")


# The question's verb said back, as Dutch answers: 'heb ik', 'heb ik wel', 'doen we niet',
# 'krijgen ze nog niet', 'is zo'. Not 'weet ik' (knowing is no yes).
_ECHO_VERBS = (
    "heb|hebben|heeft|ben|zijn|is|doe|doen|doet|ga|gaan|gaat|kom|komen|komt|krijg|krijgen|krijgt"
    "|kan|kunnen|wil|willen|wilt|zal|zullen|moet|moeten|word|wordt|worden|staat|staan|klopt"
    "|lukt|lukken|past"
)
_ECHO_ANSWER = re.compile(
    rf"(?:(?:ik|we|wij|ze|zij|het|er|dat|die|jullie) )?(?:{_ECHO_VERBS})"
    r"(?: (?:ik|we|wij|ze|zij|het|er|dat|die|jullie))?(?: (?:zo|er|al|ook|zeker|echt|gewoon))*"
    r"(?: (?:wel|(?P<neg>niet|geen|nooit|nog niet)))?(?: (?:hoor|zeker|echt|gedaan|doen|regelen))?"
)


def _hedged(words: list[str]) -> bool | None:
    """'denk het wel' -> True, 'ik denk van niet' -> False; None when it is not a hedged answer."""
    for hedges, says in ((_HEDGES_NO, False), (_HEDGES, True)):
        for hedge in hedges:
            if words[: len(hedge)] != hedge:
                continue
            rest = [w for w in words[len(hedge) :] if w not in _HEDGE_FILLER]
            if rest in ([], ["wel"], ["ja"], ["yes"]):
                return says
            if rest in (["niet"], ["nee"], ["not"], ["no"]):
                return False
            return None
    return None


# Where a comment starts after the answer: a comma, a full stop, a bracket, a dash between spaces.
_CLAUSE_END = re.compile(r"\s*(?:[,;:!?(]|\.(?:\s|$)| [-–—] )\s*")


def first_clause(text: str) -> tuple[str, str]:
    """The answer before a comment, and the comment: 'valt mee, 3 partijen' -> ('valt mee',
    '3 partijen'); ('', '') when the text holds no comment."""
    m = _CLAUSE_END.search(text)
    if m is None or m.start() == 0:
        return "", ""
    return text[: m.start()].strip(), text[m.end() :].strip(" .!?)")


# --- dates ----------------------------------------------------------------------------------


# Babel's locale data and dateparser (some MB together) load with the first date answer,
# text_to_num with the first number in words, not at start: a process that has read none yet
# does without them.


@functools.cache
def _months() -> dict[str, int]:
    """'maart' -> 3, 'mrt' -> 3, 'march' -> 3."""
    return {
        name.casefold(): number
        for locale in ("nl", "en")
        for width in ("wide", "abbreviated")
        for number, name in get_month_names(width, locale=locale).items()
    } | {"sept": 9, "febr": 2}  # as people shorten them, beside the CLDR abbreviations


def month_names() -> set[str]:
    """Every word that names a month: 'maart', 'mrt', 'march', 'sept'."""
    return set(_months())


def _month_or_month(text: str) -> str:
    """'sept/okt' -> 'sept of okt': two months with a slash are one or the other."""
    months = _months()
    return re.sub(
        r"\b([a-z]{3,9})/([a-z]{3,9})\b",
        lambda m: f"{m[1]} of {m[2]}" if m[1] in months and m[2] in months else m[0],
        text,
    )


@functools.cache
def weekday_numbers() -> dict[str, int]:
    """'dinsdag' -> 1, 'tuesday' -> 1 (Monday is 0)."""
    return {
        name.casefold(): number
        for locale in ("nl", "en")
        for number, name in get_day_names("wide", locale=locale).items()
    }


@functools.cache
def _long_months() -> dict[str, int]:
    """Full month names only: a typo in 'mrt' or 'mei' is too short to recognise safely."""
    return {name: number for name, number in _months().items() if len(name) >= 4}


_DATEPARSER_SETTINGS = {
    "DATE_ORDER": "DMY",
    "PREFER_DATES_FROM": "future",
    "PREFER_DAY_OF_MONTH": "first",
    # Without these, '1700000000' or '12032026' would become dates.
    "PARSERS": ["relative-time", "custom-formats", "absolute-time"],
}

_WEEKDAY_RE = re.compile(
    r"(?P<week>(?:volgende|next) week )?"
    r"(?:(?:volgende|komende|aanstaande|deze|next|coming|this) )?"
    r"(?P<day>[a-z]+)"
    r"(?P<week_after> (?:volgende|next) week)?"
)
_PART_RE = re.compile(
    r"(?P<part>begin|start|early|halverwege|half|medio|midden|mid|eind|einde|end|late)"
    r"(?: (?:van|of))? (?P<month>[a-z]+|(?:deze|volgende|this|next) (?:maand|month))"
    r"(?: (?P<year>[0-9]{4}))?"
)
_PART_YEAR_RE = re.compile(
    r"(?P<part>begin|start|early|halverwege|half|medio|midden|mid|eind|einde|end|late)"
    r"(?: (?:van|of))? (?:(?:(?P<this>dit|this)|volgend|next) (?:jaar|year)|(?P<year>[0-9]{4}))"
)
_STARTS, _MIDDLES = {"begin", "start", "early"}, {"half", "halverwege", "medio", "midden", "mid"}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _in_year(day: date, year: int) -> date:
    """The same day and month in another year (29 February becomes the 28th)."""
    return day.replace(year=year, day=min(day.day, _last_day(year, day.month)))


def add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, _last_day(day.year + year, month + 1)))


def _weekday(text: str, today: date) -> date | None:
    """'dinsdag', 'volgende dinsdag' (the first one after today), 'volgende week dinsdag'."""
    m = _WEEKDAY_RE.fullmatch(text)
    weekday = weekday_numbers().get(m["day"]) if m else None
    if weekday is None:
        return None
    if m["week"] or m["week_after"]:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _month_part(text: str, today: date) -> tuple[date, bool] | None:
    """'begin mei' (the 1st), 'half juni' (the 15th), 'eind april' (the last day)."""
    if m := _PART_YEAR_RE.fullmatch(text):
        year = int(m["year"]) if m["year"] else today.year if m["this"] else today.year + 1
        month = 1 if m["part"] in _STARTS else 7 if m["part"] in _MIDDLES else 12
        return date(year, month, 31 if month == 12 else 1), False
    m = _PART_RE.fullmatch(text)
    if not m:
        return None
    if m["month"] in _months():
        month, year = _months()[m["month"]], int(m["year"] or today.year)
        if not EARLIEST.year <= year <= today.year + YEARS_AHEAD:
            raise ParseError("date_range")
    elif m["year"] is None and " " in m["month"]:
        first = add_months(
            today.replace(day=1), 0 if m["month"].split()[0] in {"deze", "this"} else 1
        )
        month, year = first.month, first.year
    else:
        return None
    day = 1 if m["part"] in _STARTS else 15 if m["part"] in _MIDDLES else _last_day(year, month)
    found = date(year, month, day)
    floating = m["year"] is None and m["month"] in _months()
    if floating and found < today:
        found = _in_year(found, year + 1)
    return found, floating


_DAY_PART_AFTER = re.compile(
    r",? (?:'s |s )?(?:ochtends|morgens|middags|avonds|(?:in de |'s )?(?:ochtend|middag|avond))$"
)


def _tidy_date(text: str) -> str:
    text = text.casefold().strip(" .!?,")
    # 'ergens half maart', 'ongeveer 12 maart': the date, however sure
    text = re.sub(
        r"^(?:(?:op|per|on|uiterlijk|rond|omstreeks|around|by|ergens|ongeveer|circa|ca\.?|zo|about)"
        r" )+",
        "",
        text,
    )
    text = re.sub(r"\b([0-9]{1,2})(?:ste|de|e|st|nd|rd|th)\b", r"\1", text)  # '12e maart'
    text = re.sub(r" om [0-9]{1,2}(?:[:.][0-9]{2})?(?: ?uur)?$", "", text)  # '... om 10 uur'
    # the part of the day says nothing about the date: 'woensdagmiddag 20 januari' is
    # 'woensdag 20 januari', '20 januari 's avonds' is '20 januari'
    text = re.sub(r"\b(\w+dag)(?:ochtend|morgen|middag|avond|nacht)\b", r"\1", text)
    text = re.sub(_DAY_PART_AFTER, "", text)
    # '12.3' and '12.03.2026' are dates in a date question, not times.
    text = re.sub(r"^([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{2,4}))?$", r"\1-\2-\3", text)
    text = text.rstrip("-")
    # dateparser reads 'over 3 weken' but not 'over drie weken'.
    text = re.sub(
        rf"\b({_NUMBER_WORD}) (?=(?:dag|dagen|week|weken|maand|maanden|jaar|jaren)\b)",
        lambda m: f"{_NUMBER_WORDS[m[1]]} ",
        text,
    )
    return _fix_month_typos(text)


def _fix_month_typos(text: str) -> str:
    """'15 jnui 2027' -> '15 juni 2027': a word beside a day or year that is one keystroke from
    a month name (two for long words; swapping two letters counts as one)."""
    if not re.search(r"[0-9]", text):
        return text
    words = text.split(" ")
    months, long_months = _months(), _long_months()
    for i, word in enumerate(words):
        if len(word) < 4 or not word.isalpha() or word in months or word in weekday_numbers():
            continue
        limit = 1 if len(word) < 7 else 2
        distances = {name: OSA.distance(word, name, score_cutoff=limit) for name in long_months}
        best = min(distances.values())
        near = {long_months[name] for name, d in distances.items() if d == best}
        if best <= limit and len(near) == 1:
            words[i] = next(name for name, d in distances.items() if d == best)
    return " ".join(words)


_NUMERIC_DATE = re.compile(
    r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})|([0-9]{4})-([0-9]{2})-([0-9]{2})"
)
_WRITTEN_DATE = re.compile(r"([0-9]{1,2}) ([^\W\d]+)\.? ([0-9]{4})")


_DIGITS = re.compile(r"[0-9]+(?:[-/.][0-9]+)+")


def _possible(tidy: str) -> bool:
    """Digits only ('12-3', '3-2026', '12-3-26', '2026-03-12'): whether the parts can be a
    day, a month and a year. dateparser reads '2000-1000' as 1 January 2000 and '32-1' as
    January 2032."""
    if not _DIGITS.fullmatch(tidy):
        return True
    texts = re.split(r"[-/.]", tidy)
    widths, parts = [len(t) for t in texts], [int(t) for t in texts]
    if widths[0] == 4:  # the year first: '2026-03-12', '2026-3'
        widths, parts = widths[::-1], parts[::-1]
    if len(parts) == 2 and widths[1] == 4:  # '3-2026': a month of a year
        return widths[0] <= 2 and 1 <= parts[0] <= 12
    if len(parts) == 3 and widths[2] in (2, 4):
        year = parts[2] + (2000 if widths[2] == 2 else 0)
    elif len(parts) == 2:
        year = 2024  # no year given: '29-2' is a day in a leap year
    else:
        return False
    day, month = parts[0], parts[1]
    if max(widths[:2]) > 2 or year < 1 or not 1 <= month <= 12:
        return False
    return 1 <= day <= _last_day(year, month)


def _explicit(tidy: str, key: str) -> date | None:
    """A fully written date ('12-3-2026', '2026-03-12', '12 maart 2026'), read without
    dateparser: the common case, and dateparser's locale search costs ~25 ms."""
    if not _possible(tidy):
        raise ParseError(key)
    try:
        if m := _NUMERIC_DATE.fullmatch(tidy):
            if m[1]:
                return date(int(m[3]), int(m[2]), int(m[1]))
            return date(int(m[4]), int(m[5]), int(m[6]))
        if (m := _WRITTEN_DATE.fullmatch(tidy)) and m[2] in _months():
            return date(int(m[3]), _months()[m[2]], int(m[1]))
    except ValueError:  # '31-2-2026'
        raise ParseError(key) from None
    return None


def _dateparser(text: str, today: date, **extra: Any) -> datetime | None:
    import dateparser

    settings = {
        **_DATEPARSER_SETTINGS,
        "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
    }
    try:
        return dateparser.parse(text, languages=["nl", "en"], settings={**settings, **extra})
    except Exception:  # dateparser raises assorted errors (overflow, bad values) on odd input
        return None


# 'elke maand hoor', '20 uur joh': a word at the end that only colours the answer
_TAG_END = re.compile(r"(?:,? (?:hoor|joh|toch|he|hè|hé))+$")
# '1x per maand is wel genoeg', '20 uur denk ik': a comment after the answer says nothing more
_COMMENT_AFTER = re.compile(
    r",? (?:(?:dat |het )?(?:is|lijkt me|lijkt mij|vind ik|moet)(?: wel| ook| toch| zeker)?"
    r" (?:genoeg|voldoende|prima|goed|ruim genoeg|wel genoeg|kunnen|ok|oke)"
    r"|denk ik|lijkt me|volstaat|moet kunnen|i think|is enough|should do)$"
)
# 'april volgend jaar', '12 mei dit jaar': the year as a number, so every pattern reads it
_RELATIVE_YEAR = re.compile(
    r"\b(?:(?P<this>dit|deze|this)|volgend|volgende|komend|komende|next) (?:jaar|year)\b"
)
# 'april volgend jaar ergens': a vague word at the end says nothing more
# '12 maart denk ik': a doubt at the end too
_VAGUE_END = re.compile(
    r"(?:,? (?:ergens|ongeveer|of zo|ofzo|zo'?n beetje|or so|denk ik|lijkt me|waarschijnlijk"
    r"|i think|probably|nog|al|already))+$"
)
# now, as soon as can be: today ('vandaag nog', 'zsm')
_NOW = frozenset(
    {
        "nu",
        "nu meteen",
        "meteen",
        "direct",
        "zo snel mogelijk",
        "snel mogelijk",
        "zsm",
        "asap",
        "now",
    }
)


# 'over 2 maanden', 'over een half jaar': counted from today (dateparser put these on the 1st)
_FROM_NOW = re.compile(
    r"(?:over|in|binnen) (?:(?P<half>een half|half)|(?P<n>[0-9]{1,3}|een|anderhalf|anderhalve)) "
    r"(?P<unit>dag|dagen|week|weken|maand|maanden|jaar|jaren|days?|weeks?|months?|years?)"
)


def _from_now(text: str, today: date) -> date | None:
    m = _FROM_NOW.fullmatch(text)
    if m is None:
        return None
    n = 0.5 if m["half"] else 1.5 if m["n"] and m["n"].startswith("anderhal") else None
    n = n if n is not None else 1 if m["n"] == "een" else int(m["n"])
    unit = m["unit"]
    if unit.startswith(("dag", "day")):
        return today + timedelta(days=round(n))
    if unit.startswith(("we", "wee")):
        return today + timedelta(days=round(7 * n))
    months = n * (12 if unit.startswith(("jaar", "jare", "year")) else 1)
    if months != int(months):  # 'anderhalve maand': six weeks
        return today + timedelta(days=round(months * 30.4))
    return add_months(today, int(months))


def _years_as_numbers(text: str, today: date) -> str:
    return _RELATIVE_YEAR.sub(lambda m: str(today.year + (0 if m["this"] else 1)), text)


def _parse_date(text: str, today: date, key: str) -> tuple[date, bool]:
    """The date and whether it floats: a calendar date typed without a year."""
    cleaned = _clean(text)
    if cleaned is None:
        raise ParseError(key)
    tidy = _VAGUE_END.sub("", _years_as_numbers(_tidy_date(cleaned), today))
    if tidy.casefold().strip(" .!") in _NOW:
        return today, False
    # A date has a word ('maart', 'morgen') or digits with a separator ('12-3'); dateparser
    # would also read bare numbers ('12', '€ -5') and times ('10:30', '10 uur') as today's date.
    has_word = re.search(r"[^\W\d_]{2}", tidy) and not re.fullmatch(r"[0-9]{1,2} ?uur", tidy)
    if not (has_word or re.search(r"[0-9][-/.][0-9]", tidy)):
        raise ParseError(key)
    if (explicit := _explicit(tidy, key)) is not None:
        found, floating = explicit, False
    elif (later := _from_now(tidy, today)) is not None:
        found, floating = later, False
    elif (weekday := _weekday(tidy, today)) is not None:
        found, floating = weekday, False
    elif (part := _month_part(tidy, today)) is not None:
        found, floating = part
    elif (parsed := _dateparser(tidy, today)) is not None:
        found = parsed.date()
        floating = _dateparser(tidy, today, REQUIRE_PARTS=["year"]) is None
        # dateparser's 'future' skips today itself: '1 maart' on 1 March is today.
        if floating and found.year > 1 and _in_year(found, found.year - 1) >= today:
            found = _in_year(found, found.year - 1)
    else:
        raise ParseError(key)
    if not _in_window(found, today):
        raise ParseError("date_range")
    return found, floating


def _in_window(day: date, today: date) -> bool:
    return EARLIEST <= day <= _in_year(today, today.year + YEARS_AHEAD)


def parse_date(text: str, today: date) -> date:
    """A date as people write it: '12 maart 2026', '12-3-2026', 'over 3 weken', 'eind april'.

    A date without a year is its next occurrence from today on. 'dinsdag' and 'volgende
    dinsdag' are the first Tuesday after today; 'volgende week dinsdag' is the Tuesday of next
    week. 'begin', 'half' and 'eind' of a month are the 1st, the 15th and the last day.
    """
    try:
        return _parse_date(text, today, "date")[0]
    except ParseError as error:
        error.params.setdefault("today", today)
        raise


# --- periods --------------------------------------------------------------------------------

_PERIOD_SEP = re.compile(
    r" (?:t/m|tm|tot en met|tot|until|till|to|through|thru) "
    r"| ?[–—] ?| - |(?<=[0-9])-(?=[0-9]{1,2} [^\W\d])|(?<=[^\W\d])-(?=[0-9])"
)
_UNITS = {"dag": 1, "dagen": 1, "day": 1, "days": 1, "week": 7, "weken": 7, "weeks": 7}
_MONTH_UNITS = {"maand": 1, "maanden": 1, "month": 1, "months": 1}
_MONTH_UNITS |= {"jaar": 12, "jaren": 12, "year": 12, "years": 12}
_UNIT = "|".join(sorted(_UNITS | _MONTH_UNITS, key=len, reverse=True))
_DURATION_RE = re.compile(
    rf"(?:, ?| )(?:voor |gedurende |for )?(?P<n>[0-9]{{1,3}}|{_NUMBER_WORD}) "
    rf"(?P<unit>{_UNIT})(?: lang)?$"
)
# '4 weken vanaf 1 maart': the length first.
_LEADING_DURATION_RE = re.compile(
    rf"(?P<n>[0-9]{{1,3}}|{_NUMBER_WORD}) (?P<unit>{_UNIT})(?: lang)?,? "
    r"(?:vanaf|van|from|starting) "
)
# 'heel maart', 'de hele maand maart 2027', 'in maart', 'all of March'
_WHOLE_MONTH_RE = re.compile(
    r"(?:(?:de )?(?:heel|hele) (?:maand )?|in |gedurende |all of |the whole of |during )?"
    r"(?P<month>[a-z]+)(?: (?P<year>[0-9]{4}))?"
)


def _dmy(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def _month_only(text: str) -> tuple[int, int | None] | None:
    """'maart' -> (3, None), 'april 2027' -> (4, 2027): a month without a day."""
    m = _WHOLE_MONTH_RE.fullmatch(text)
    if not m or m["month"] not in _months():
        return None
    return _months()[m["month"]], int(m["year"]) if m["year"] else None


def _month_bounds(month: int, year: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, _last_day(year, month))


def _next_month(month: int, today: date) -> int:
    """The year of the month's next occurrence: this month still counts."""
    return today.year if month >= today.month else today.year + 1


def _period_end(right: str, today: date) -> tuple[date, bool, bool]:
    """The last day, whether it floats (no year), and whether it is a whole month ('april')."""
    if month := _month_only(right):
        number, year = month
        return _month_bounds(number, year or _next_month(number, today))[1], year is None, True
    found, floats = _parse_date(right, today, "period")
    return found, floats, False


def _read_period(s: str, today: date) -> tuple[date, date]:
    if month := _month_only(s):
        number, year = month
        return _month_bounds(number, year or _next_month(number, today))
    sep = _PERIOD_SEP.search(s)
    leading = None if sep else _LEADING_DURATION_RE.match(s)
    duration = None if sep or leading else _DURATION_RE.search(s)
    if leading or duration:
        m = leading or duration
        rest = s[m.end() :] if leading else s[: m.start()]
        start, _ = _parse_date(rest, today, "period")
        n = int(_NUMBER_WORDS.get(m["n"], m["n"]))
        # 'vanaf 11 januari, 3 weken' runs to 1 February, as people count: the same weekday
        # three weeks on. '5 dagen' are five days, the first one included.
        if m["unit"] in _UNITS and _UNITS[m["unit"]] == 1:
            return start, start + timedelta(days=n - 1)
        if m["unit"] in _UNITS:
            return start, start + timedelta(days=_UNITS[m["unit"]] * n)
        return start, add_months(start, _MONTH_UNITS[m["unit"]] * n)
    if not sep:
        raise ParseError("period")
    left, right = s[: sep.start()].strip(), s[sep.end() :].strip()
    end, end_floats, whole_month = _period_end(right, today)
    if re.fullmatch(r"[0-9]{1,2}", left):  # '1 t/m 21 maart': month and year of the end
        start, start_floats = end.replace(day=int(left)), False
    elif month := _month_only(left):  # 'februari t/m april 2027'
        start, start_floats = date(month[1] or end.year, month[0], 1), month[1] is None
    else:
        start, start_floats = _parse_date(left, today, "period")
    # A day without a year takes its year from the other end of the period; only a
    # later month crosses New Year ('20 december t/m 10 januari').
    if start_floats:
        start = _in_year(start, end.year)
        if start.month > end.month:
            start = _in_year(start, end.year - 1)
    elif end_floats:
        end = _in_year(end, start.year)
        if end.month < start.month:
            end = _in_year(end, start.year + 1)
        if whole_month:
            end = end.replace(day=_last_day(end.year, end.month))
    return start, end


def parse_period(text: str, today: date) -> tuple[date, date]:
    """A period as (first day, last day): '1 t/m 21 maart 2026', 'vanaf 1 maart, 3 weken',
    'februari t/m april 2027', 'heel maart'.

    'tot', 't/m', 'tot en met' and a dash all include the last day: people who write
    '1 maart tot 22 maart' mean the 22nd too.
    """
    try:
        cleaned = _clean(text)
        if cleaned is None:
            raise ParseError("period")
        s = re.sub(r"^(?:periode|van|vanaf|from) ", "", cleaned.casefold().strip(" .!?"))
        try:
            start, end = _read_period(_fix_month_typos(s), today)
        except (ValueError, OverflowError) as error:
            if isinstance(error, ParseError) and error.key == "date_range":
                raise
            raise ParseError("period") from error
        if end < start:
            raise ParseError("period_order", start=_dmy(start), end=_dmy(end))
        if not (_in_window(start, today) and _in_window(end, today)):
            raise ParseError("date_range")
    except ParseError as error:
        error.params.setdefault("today", today)
        raise
    return start, end


# --- vague dates ----------------------------------------------------------------------------

_VAGUE_PREFIX = re.compile(
    r"(?:ergens |sometime |somewhere |pas |ongeveer |rond |around )?"
    r"(?:in |tijdens |during |around |rond )?(?:de |het |the )?(?:hele |heel |whole )?"
)
# 'volgende week', 'deze week': a week, not one day
_WEEK_RE = re.compile(r"(?P<which>volgende|komende|deze|next|this|coming) week")
# 'begin 2027', 'medio volgend jaar': a part of a year
_YEAR_PART_RE = re.compile(
    r"(?P<part>begin|start|early|halverwege|half|medio|midden|mid|eind|einde|end|late)"
    r" (?:van |of )?"
    r"(?:(?P<year>[0-9]{4})|volgend jaar|next year|(?:het |the )?(?P<this>jaar|year))"
)
_YEAR_PARTS = {"begin": 1, "start": 1, "early": 1, "half": 6, "medio": 6, "midden": 6, "mid": 6}
_YEAR_PARTS["halverwege"] = 6
_SEASONS = {
    "voorjaar": 3, "lente": 3, "spring": 3, "zomer": 6, "summer": 6,
    "najaar": 9, "herfst": 9, "autumn": 9, "fall": 9, "winter": 12,
}  # fmt: skip
_SEASON_RE = re.compile(
    r"(?P<next>(?:volgend|volgende|komend|komende|next) )?(?:(?:dit|deze|this) )?"
    rf"(?P<season>{'|'.join(_SEASONS)})(?: (?P<year>[0-9]{{4}}))?"
)
_SUMMER_RE = re.compile(
    r"(?P<rel>na|voor|after|before) (?:de |het |the )?"
    r"(?:zomer|zomervakantie|zomerreces|summer|summer holidays?|summer break)"
    r"(?: (?P<year>[0-9]{4}))?"
)
# the other school breaks, by the words people use for them: 'na de kerstvakantie'
_BREAK_NAMES = {
    "kerstvakantie": "Kerstvakantie", "kerst": "Kerstvakantie", "kerstreces": "Kerstvakantie",
    "christmas": "Kerstvakantie", "christmas holidays": "Kerstvakantie",
    "christmas break": "Kerstvakantie", "voorjaarsvakantie": "Voorjaarsvakantie",
    "krokusvakantie": "Voorjaarsvakantie", "carnavalsvakantie": "Voorjaarsvakantie",
    "carnaval": "Voorjaarsvakantie", "spring break": "Voorjaarsvakantie",
    "meivakantie": "Meivakantie", "herfstvakantie": "Herfstvakantie",
    "autumn break": "Herfstvakantie", "autumn holidays": "Herfstvakantie",
}  # fmt: skip
_BREAK_RE = re.compile(
    r"(?P<rel>na|voor|after|before) (?:de |het |the )?"
    rf"(?P<name>{'|'.join(sorted(_BREAK_NAMES, key=len, reverse=True))})"
    r"(?: (?P<year>[0-9]{4}))?"
)
# the public holidays people plan by: 'na pasen', 'voor pinksteren', 'rond koningsdag'; each
# with the holidays package's names of its days (Goede vrijdag is part of Easter here: many
# are off that day, and 'voor pasen' is the Thursday)
_FEAST_NAMES = {
    "pasen": ("Goede vrijdag", "Eerste paasdag", "Tweede paasdag"),
    "pinksteren": ("Eerste pinksterdag", "Tweede pinksterdag"),
    "hemelvaart": ("Hemelvaartsdag",),
    "koningsdag": ("Koningsdag",),
    "nieuwjaar": ("Nieuwjaarsdag",),
}
_FEAST_WORDS = {
    "pasen": "pasen", "paasdagen": "pasen", "paasweekend": "pasen", "easter": "pasen",
    "pinksteren": "pinksteren", "pinksterdagen": "pinksteren", "pinksterweekend": "pinksteren",
    "whitsun": "pinksteren", "pentecost": "pinksteren", "hemelvaart": "hemelvaart",
    "hemelvaartsdag": "hemelvaart", "ascension day": "hemelvaart", "koningsdag": "koningsdag",
    "kings day": "koningsdag", "king's day": "koningsdag", "nieuwjaar": "nieuwjaar",
    "oud en nieuw": "nieuwjaar", "de jaarwisseling": "nieuwjaar", "new year": "nieuwjaar",
}  # fmt: skip
_FEAST_RE = re.compile(
    r"(?P<rel>na|voor|rond|met|after|before|around|at)? ?(?:de |het |the )?"
    rf"(?P<name>{'|'.join(sorted(map(re.escape, _FEAST_WORDS), key=len, reverse=True))})"
    r"(?: (?P<year>[0-9]{4}))?"
)
_QUARTERS = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4}
_QUARTERS |= {"first": 1, "second": 2, "third": 3, "fourth": 4}
_QUARTER_RE = re.compile(
    r"(?:q(?P<q>[1-4])|(?P<word>eerste|tweede|derde|vierde|first|second|third|fourth) "
    r"(?:kwartaal|quarter))(?: (?:van |of )?(?P<year>[0-9]{4}))?"
)
_YEAR_RE = re.compile(r"(?P<next>volgend jaar|next year)|(?P<year>20[0-9]{2})")
# 'week 11', 'wk 11 2027': the working days of that ISO week, as Dutch offices count weeks
_WEEK_NUMBER_RE = re.compile(r"(?:week|wk)\.? ?(?P<n>[0-9]{1,2})(?: (?:van )?(?P<year>[0-9]{4}))?")
# 'de tweede week van maart', 'laatste week van april': seven days of that month
_WEEK_OF_MONTH_RE = re.compile(
    r"(?P<n>eerste|tweede|derde|vierde|laatste|1e|2e|3e|4e|first|second|third|fourth|last) "
    r"week (?:van|in|of) (?P<month>[a-z]+(?: [0-9]{4})?)"
)
_NTH = {"eerste": 1, "tweede": 2, "derde": 3, "vierde": 4, "1e": 1, "2e": 2, "3e": 3, "4e": 4}
_NTH |= {"first": 1, "second": 2, "third": 3, "fourth": 4}


def working_day(day: date) -> date:
    """The nearest day from Monday to Friday: Saturday goes back, Sunday forward."""
    if day.weekday() == 5:
        return day - timedelta(days=1)
    return day + timedelta(days=1) if day.weekday() == 6 else day


def _summer_holiday(year: int, regio: str | None) -> tuple[date, date] | None:
    """The region's zomervakantie of that year, when the holidays package knows it."""
    from handreiking.calendar import school_holiday_on

    days = [
        day
        for day in (date(year, 6, 15) + timedelta(days=n) for n in range(100))
        if (h := school_holiday_on(day, regio)) and h.naam == "Zomervakantie"
    ]
    return (days[0], days[-1]) if days else None


def _season(m: re.Match[str], today: date) -> tuple[date, date]:
    """A season's three months ('winter' runs into the next year); without a year the coming or
    current one, from today on."""

    def span(year: int) -> tuple[date, date]:
        first = date(year, _SEASONS[m["season"]], 1)
        return first, add_months(first, 3) - timedelta(days=1)

    if m["year"]:
        return span(int(m["year"]))
    spans = [span(year) for year in range(today.year - 1, today.year + 2)]
    coming = [(start, end) for start, end in spans if end >= today]
    start, end = coming[1] if m["next"] and coming[0][0] <= today else coming[0]
    return max(start, today), end


def _around_summer(m: re.Match[str], today: date, regio: str | None) -> tuple[date, date, date]:
    year = int(m["year"]) if m["year"] else today.year + (today.month > 8)
    holiday = _summer_holiday(year, regio) or (date(year, 7, 1), date(year, 8, 31))
    if m["rel"] in {"na", "after"}:
        first = holiday[1] + timedelta(days=1)
        first += timedelta(days=-first.weekday() % 7)  # the Monday the schools start
        return first, date(year, 10, 31), first
    last = working_day(holiday[0] - timedelta(days=1))  # the last school day
    return max(today, date(year, 4, 1)), last, last


def _next_break(name: str, today: date, regio: str | None) -> tuple[date, date] | None:
    """The first and last day of the coming (or current) school break of that name; without a
    region, the middle region's dates (the regions differ by a week at most)."""
    from handreiking.calendar import school_holiday_on

    days = [
        day
        for day in (today + timedelta(days=n) for n in range(400))
        if (h := school_holiday_on(day, regio or "midden")) and h.naam == name
    ]
    if not days:
        return None
    last = days[0]
    for day in days[1:]:
        if day - last > timedelta(days=1):
            break
        last = day
    return days[0], last


def _around_break(
    m: re.Match[str], today: date, regio: str | None
) -> tuple[date, date, date] | None:
    """'na de kerstvakantie': the weeks from the Monday school starts again; 'voor de
    meivakantie': the weeks up to the last school day before it."""
    # 'na de herfstvakantie 2027': that year's break, else the coming one
    since = max(today, date(int(m["year"]), 1, 1)) if m["year"] else today
    found = _next_break(_BREAK_NAMES[m["name"]], since, regio)
    if found is None:
        return None
    if m["rel"] in {"na", "after"}:
        first = found[1] + timedelta(days=1)
        first += timedelta(days=-first.weekday() % 7)
        return first, first + timedelta(days=27), first
    last = working_day(found[0] - timedelta(days=1))
    return max(today, last - timedelta(days=41)), last, last


def _around_feast(m: re.Match[str], today: date) -> tuple[date, date, date] | None:
    """'na pasen': the four weeks from the first working day after it; 'voor pinksteren': the
    six weeks up to the last working day before it; 'rond koningsdag': the week before and the
    week after, proposing the working day before it."""
    from handreiking.calendar import holiday_on

    names = _FEAST_NAMES[_FEAST_WORDS[m["name"]]]
    since = max(today, date(int(m["year"]), 1, 1)) if m["year"] else today
    days = [d for d in (since + timedelta(days=n) for n in range(400)) if _public_name(d) in names]
    if not days:
        return None
    first = days[0]
    last = next((d for d, e in pairwise(days) if (e - d).days > 1), days[-1])

    def working(day: date, step: int) -> date:
        while day.weekday() > 4 or holiday_on(day, None):
            day += timedelta(days=step)
        return day

    before = working(first - timedelta(days=1), -1)
    after = working(last + timedelta(days=1), 1)
    if last.weekday() == 3:  # after a Thursday (Hemelvaart) many are off on the Friday too
        after = working(last + timedelta(days=4), 1)
    if m["rel"] in {"na", "after"}:
        return after, after + timedelta(days=27), after
    if m["rel"] in {"voor", "before"}:
        return max(today, before - timedelta(days=41)), before, before
    return max(today, first - timedelta(days=7)), last + timedelta(days=7), before


def _public_name(day: date) -> str | None:
    from handreiking.calendar import holiday_on

    found = holiday_on(day, None)
    return found.naam if found else None


# '2 weken in februari', 'een week na de kerstvakantie': how long, and roughly when
_LENGTH_IN = re.compile(
    rf"(?P<n>[0-9]{{1,2}}|{_NUMBER_WORD}) (?P<unit>dag|dagen|week|weken|days?|weeks?)"
    r"(?: lang)? (?P<when>(?:in|tijdens|rond|na|voor|during|around|after|before) .+)"
)


def parse_length_in(text: str, today: date, regio: str | None = None) -> tuple[date, date] | None:
    """'2 weken in februari' as (first day, last day): that long, from the start of the time
    named (or today, when that time has begun). None when the text is not of this shape."""
    cleaned = _clean(text, 80)
    m = _LENGTH_IN.fullmatch(cleaned.casefold().strip(" .!?")) if cleaned else None
    if m is None:
        return None
    when = m["when"]
    if when.startswith(("in ", "tijdens ", "during ", "rond ", "around ")):
        when = when.split(" ", 1)[1]
    vague = parse_vague(when, today, regio)
    if vague is None:
        return None
    n = int(m["n"]) if m["n"].isdigit() else _NUMBER_WORDS[m["n"]]
    days = n * (7 if m["unit"].startswith("we") else 1)
    start = working_day(max(vague[0], today))
    return start, start + timedelta(days=days - 1)


# 'mei/juni', 'mei of juni 2027', 'april-mei': one of two months, or both
_MONTH_PAIR = re.compile(
    r"(?P<a>[a-z]+) ?(?:/|-|–| of | en | or | and ) ?(?P<b>[a-z]+(?: [0-9]{4})?)"
)


def _month_pair(text: str, today: date) -> tuple[date, date] | None:
    m = _MONTH_PAIR.fullmatch(text)
    first, second = (_month_only(m["a"]), _month_only(m["b"])) if m else (None, None)
    if first is None or second is None:
        return None
    year = second[1] or _next_month(first[0], today)
    start = _month_bounds(first[0], year)[0]
    end_year = year + (second[0] < first[0])  # 'december/januari' runs into the next year
    return start, _month_bounds(second[0], end_year)[1]


# 'eind januari of begin februari', 'begin of half maart': one time or the other
_EITHER = re.compile(r"(?P<a>.+?) (?:of|or) (?P<b>.+)")
_MONTH_PART = re.compile(r"(?:begin|start|half|halverwege|medio|midden|eind|einde|end)")


def _either(text: str, today: date, regio: str | None) -> tuple[date, date] | None:
    """From the first day the one could be to the last day the other could be; None unless
    both sides are a time ('begin' borrows the month of 'half maart')."""
    m = _EITHER.fullmatch(text)
    if m is None:
        return None
    a, b = m["a"], m["b"]
    if _MONTH_PART.fullmatch(a) and " " in b:
        a = f"{a} {b.split(' ', 1)[1]}"
    spans = []
    for side in (a, b):
        vague = parse_vague(side, today, regio)
        if vague is not None:
            spans.append(vague[:2])
            continue
        try:
            day = parse_date(side, today)
        except ParseError:
            return None
        spans.append((day, day))
    return min(s for s, _ in spans), max(e for _, e in spans)


def parse_vague(text: str, today: date, regio: str | None = None) -> tuple[date, date, date] | None:
    """A time that is not one date, as (first day, last day, a date to propose): 'ergens in het
    voorjaar', 'na de zomer' (after the region's summer holiday), 'in maart', 'Q2 2027',
    'volgend jaar'. None when the text names no such time.
    """
    cleaned = _clean(text, 60)
    if cleaned is None:
        return None
    s = _fix_month_typos(_month_or_month(cleaned.casefold().strip(" .!?")))
    s = _VAGUE_END.sub("", _years_as_numbers(s, today))
    s = s[_VAGUE_PREFIX.match(s).end() :]
    s = re.sub(r" (?:van|in|of) ([0-9]{4})$", r" \1", s)  # 'na de zomer van 2027'
    if m := _SUMMER_RE.fullmatch(s):
        return _around_summer(m, today, regio)
    if m := _BREAK_RE.fullmatch(s):
        return _around_break(m, today, regio)
    if (m := _FEAST_RE.fullmatch(s)) and (feast := _around_feast(m, today)):
        start, end, proposal = feast
        return (start, end, proposal) if _in_window(end, today) else None
    if m := _WEEK_RE.fullmatch(s):
        monday = today - timedelta(days=today.weekday())
        if m["which"] not in {"deze", "this"}:
            monday += timedelta(days=7)
        start, end = max(monday, today), monday + timedelta(days=4)
    elif m := _WEEK_NUMBER_RE.fullmatch(s):
        if not 1 <= int(m["n"]) <= 53:
            return None
        year = int(m["year"]) if m["year"] else today.year
        try:
            start = date.fromisocalendar(year, int(m["n"]), 1)
            if not m["year"] and start + timedelta(days=4) < today:
                start = date.fromisocalendar(year + 1, int(m["n"]), 1)
        except ValueError:  # week 53 of a year that has 52
            return None
        end = start + timedelta(days=4)
    elif (m := _WEEK_OF_MONTH_RE.fullmatch(s)) and (month := _month_only(m["month"])):
        number, year = month
        first, last = _month_bounds(number, year or _next_month(number, today))
        if m["n"] in {"laatste", "last"}:
            start, end = last - timedelta(days=6), last
        else:
            start = first + timedelta(days=7 * (_NTH[m["n"]] - 1))
            end = min(start + timedelta(days=6), last)
    elif m := _YEAR_PART_RE.fullmatch(s):
        year = int(m["year"]) if m["year"] else today.year + (not m["this"])
        first = _YEAR_PARTS.get(m["part"], 11)  # begin: January-February, eind: November-December
        start = date(year, first, 1)
        end = add_months(start, 2) - timedelta(days=1)
        if m["this"] and end < today:  # 'begin van het jaar', said in December: the coming one
            start, end = _in_year(start, year + 1), _in_year(end, year + 1)
    elif m := _SEASON_RE.fullmatch(s):
        start, end = _season(m, today)
    elif m := _QUARTER_RE.fullmatch(s):
        quarter = int(m["q"]) if m["q"] else _QUARTERS[m["word"]]
        year = int(m["year"]) if m["year"] else today.year
        start = date(year, 3 * quarter - 2, 1)
        end = add_months(start, 3) - timedelta(days=1)
        if not m["year"] and end < today:
            start, end = _in_year(start, year + 1), _in_year(end, year + 1)
    elif month := _month_only(s):
        number, year = month
        start, end = _month_bounds(number, year or _next_month(number, today))
    elif pair := _month_pair(s, today):
        start, end = pair
    elif m := _YEAR_RE.fullmatch(s):
        year = today.year + 1 if m["next"] else int(m["year"])
        start, end = date(year, 1, 1), date(year, 12, 31)
    elif either := _either(s, today, regio):
        start, end = either
    else:
        return None
    if start > end or not (_in_window(start, today) and _in_window(end, today)):
        return None
    if start < today <= end:  # 'eind 2026' said in December: what is left of it
        start = today
    return start, end, _free_day(working_day(start + (end - start) / 2), start, end, regio)


def working_day_in_month(day: date) -> date:
    """The weekday nearest to `day` in its own month that is no public holiday: 'eind januari'
    said of a meeting is no Sunday 31 January. (A school holiday is the checks' to name.)"""
    from handreiking.calendar import holiday_on

    first, last = _month_bounds(day.month, day.year)
    for step in range((last - first).days + 1):
        for candidate in (day - timedelta(days=step), day + timedelta(days=step)):
            if first <= candidate <= last and candidate.weekday() < 5:
                if holiday_on(candidate, None) is None:
                    return candidate
    return day


def _free_day(day: date, start: date, end: date, regio: str | None) -> date:
    """The weekday nearest to `day` within start..end that is no public holiday and no school
    holiday of the region (of any region when it is not known): a proposal the checks would
    warn about helps no one ('in mei' is not Tweede Pinksterdag). `day` itself when every day
    is one."""
    from handreiking.calendar import free_day

    for step in range((end - start).days + 1):
        for candidate in (day + timedelta(days=step), day - timedelta(days=step)):
            if start <= candidate <= end and candidate.weekday() < 5:
                if free_day(candidate, regio):
                    return candidate
    return day


# --- money and numbers ----------------------------------------------------------------------

# Dutch first ('1.500,50', '1,5'), then English ('1,500.50', '12.5').
_NL_NUMBER = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")
_EN_NUMBER = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")
_NUM = r"[0-9][0-9.,]{0,30}"
_MULTIPLIERS = {"k": 1e3, "duizend": 1e3, "honderd": 1e2, "ton": 1e5, "mln": 1e6, "miljoen": 1e6}
_MULT = "|".join(_MULTIPLIERS)
_RANGE_SEP = r" ?(?:-|–|—|tot en met|t/m|tot|to|à|a) ?"
_ESTIMATE = re.compile(
    r"^(?:ca\.?|circa|ongeveer|ong\.?|±|\+/-|\+-|~|≈|plusminus|zo'?n|rond(?: de)?"
    r"|naar schatting|geschat|about|around|approx\.?|approximately|roughly) ?"
)
_AMOUNT_RE = re.compile(
    rf"(?P<a>{_NUM}) ?(?P<ma>{_MULT})?(?:{_RANGE_SEP}(?P<b>{_NUM}) ?(?P<mb>{_MULT})?)?"
)
_COUNT_RE = re.compile(rf"(?P<a>{_NUM})(?:{_RANGE_SEP}(?P<b>{_NUM}))?(?: ?(?:[^\W\d_]+\.?|%))?")
_ZERO = {"geen", "gratis", "niets", "niks", "nul", "none", "free", "nothing", "kosteloos", "nihil"}
_ZERO |= {"geen kosten", "kost niets", "kost niks", "no costs", "no cost", "for free"}


def _number(text: str) -> float | None:
    for pattern, thousands in ((_NL_NUMBER, "."), (_EN_NUMBER, ",")):
        if m := pattern.fullmatch(text):
            whole = m[1].replace(thousands, "")
            return float(f"{whole}.{m[2]}" if m[2] else whole)
    return None


def _words_to_digits(text: str) -> str:
    """'twaalf' -> '12', 'een stuk of tien' -> 'een stuk of 10', 'tweeduizend euro' -> '2000 euro'.

    Only in an answer without digits: '2 duizend' keeps 'duizend' as a multiplier. 'een' stays
    an article unless it is the only number ('een' -> '1', 'een uur of acht' keeps it).
    """
    if re.search(r"[0-9]", text):
        return text
    from text_to_num import text2num

    words = text.split(" ")
    numbers: dict[int, int] = {}
    for i, word in enumerate(words):
        if not word.isalpha() or len(word) > 40:
            continue
        for lang in ("nl", "en"):
            try:
                numbers[i] = text2num(word, lang)
                break
            except ValueError:
                continue
    articles = {i for i in numbers if words[i] in {"een", "één", "one", "a"}}
    if len(numbers) > len(articles):
        numbers = {i: n for i, n in numbers.items() if i not in articles}
    # 'twee duizend', 'drie honderd': one number, written apart
    for i in sorted(numbers, reverse=True):
        after = numbers.get(i + 1)
        if after in (100, 1000, 1_000_000) and numbers[i] < after:
            numbers[i] *= numbers.pop(i + 1)
            words[i + 1] = ""
    said = (str(numbers[i]) if i in numbers else w for i, w in enumerate(words))
    return " ".join(w for w in said if w)


def _between(s: str) -> str:
    """'tussen de 1000 en 2000' -> '1000 - 2000'."""
    for prefix in ("tussen de ", "tussen ", "between "):
        if s.startswith(prefix):
            low, sep, high = s[len(prefix) :].partition(" and " if prefix == "between " else " en ")
            if sep:
                return f"{low.strip()} - {high.strip()}"
    return s


def _prepare(text: str, key: str) -> tuple[str, bool]:
    """Lower case, without currency, with an estimate word ('ca.', '±') taken off."""
    cleaned = _clean(text, 100)
    if cleaned is None:
        raise ParseError(key)
    s = _words_to_digits(cleaned.casefold())
    s = re.sub(r"[.,] ?-{1,2}(?![0-9])|[.,]=", " ", s)  # '2.000,-'
    s = re.sub(r"€|\beur(?:o'?s?)?\b|\b(?:incl|excl|inclusief|exclusief)\.? ?btw\b", " ", s)
    s = " ".join(s.split()).strip(" .!")
    # '8 uurtjes denk ik': a doubt after the number makes it an estimate
    estimate = bool(re.search(r"(?:denk ik|i think)$", s))
    s = _COMMENT_AFTER.sub("", _TAG_END.sub("", s))
    if m := _ESTIMATE.match(s):
        s, estimate = s[m.end() :].strip(), True
    # '150 euro ongeveer', '16 uur of zo': the estimate word after the number
    if m := _ESTIMATE_AFTER.search(s):
        s, estimate = s[: m.start()].strip(" ,"), True
    # 'een stuk of 10', 'een uur of 8': about that many; 'een dagdeel of 2' keeps its unit
    if m := re.fullmatch(r"(?:een |1 )?([^\W\d_]+) of ([0-9][0-9.,]{0,30}(?: [^\W\d_]+)?)", s):
        unit = key == "hours" and m[1] in _TIME_UNITS and not m[2].endswith(tuple(_TIME_UNITS))
        s, estimate = f"{m[2]} {m[1]}" if unit else m[2], True
    s = _between(s)
    if re.match(r"(?:-|−|min |minus ) ?[0-9]", s):
        raise ParseError(f"{key}_negative")
    return s, estimate


_ESTIMATE_AFTER = re.compile(
    r",? (?:ongeveer|ong\.?|circa|ca\.?|of zo|ofzo|zo'?n beetje|naar schatting|geschat"
    r"|or so|roughly|approximately|approx\.?)$"
)
# 'drukwerk 150', 'voor de zaal 300 ongeveer': one amount among words that say what it is for
# (not 'per persoon': that is no total)
# ('koffie en vlaai, zeg 75': a comma or colon between the words too)
# a word may hold an apostrophe: "zaalhuur zo'n 150", "koffie's 40"
_WORD = r"[^\W\d_](?:[^\W\d_]|')*"
_AMOUNT_AMONG_WORDS = re.compile(
    rf"(?:{_WORD}[,:;]? )+(?P<n>{_NUM})(?: ?(?P<m>{_MULT}))?(?:[,:;]? {_WORD})*"
    rf"|(?P<n2>{_NUM})(?: ?(?P<m2>{_MULT}))?(?:[,:;]? {_WORD})+"
)
_NOT_A_TOTAL = re.compile(r"\bper\b|\bp\.?p\b|\bx\b|\bkeer\b|\beach\b|\bmaal\b")


_FEW_AMOUNT = re.compile(
    r"(?:een |1 )?(?:paar|aantal|enkele|a few|a couple of) "
    r"(?P<unit>100|1000|honderd|honderden|duizend|duizenden|hundreds?|thousands?)"
)


_TENNERS = re.compile(r"(?:(?P<one>een|1) tientje|(?:een )?paar tientjes|tientjes)")


# what is no name of a cost: 'misschien 2000', 'of 1500' name another guess, not a second cost
_NO_LABEL = _ZERO | {"ca", "circa", "ongeveer", "ong", "zo'n", "zon", "rond", "euro", "eur"}
_NO_LABEL |= {"misschien", "eerder", "hooguit", "max", "maximaal", "minstens", "tot", "maar"}


# a cost with its name before it: 'zaalhuur 0', 'koffie en drukwerk zo'n 350', 'zaal: € 200'
_LABELLED = re.compile(
    r"(?P<label>(?:[^\W\d_][\w']*:?\s+){1,5})(?:€\s*)?[0-9][0-9.,]*(?:\s*(?:euro|eur|€))?"
)


def _labelled_amounts(s: str) -> list[str] | None:
    """'zaal 200, koffie 50', 'zaalhuur 200 en koffie 50': costs each with its own name before
    it, apart by a comma or 'en'; None when a part is no such cost ('1500, misschien 2000',
    '300 is wat krap, maak er 500 van')."""
    for separator in (r"[,;] ", r" en "):
        parts = [p.strip() for p in re.split(separator, s)]
        if len(parts) > 1 and all(_is_labelled(p) for p in parts):
            return parts
    return None


def _is_labelled(part: str) -> bool:
    m = _LABELLED.fullmatch(part)
    if not m:
        return False
    words = re.findall(r"[^\W\d_][\w']*", m["label"])
    return words[0] not in _NO_LABEL and any(len(w) > 2 and w not in _NO_LABEL for w in words)


def _summed(s: str) -> list[str] | None:
    """The parts of a sum of amounts, each holding a number, or None."""
    if "+" in s:
        parts = [p.strip() for p in s.split("+")]
    elif " en " in s and " voor " in s:
        parts = [p.strip() for p in s.split(" en ")]
        if not all(" voor " in f" {p} " for p in parts):
            return None
    elif labelled := _labelled_amounts(s):
        parts = labelled
    else:
        return None
    if len(parts) < 2 or not all(re.search(r"[0-9]", p) for p in parts):
        return None
    return parts


_FEW_AMOUNT_AMONG_WORDS = re.compile(
    rf"(?:[^\W\d_]+[,:;]? )*{_FEW_AMOUNT.pattern}(?:[,:;]? [^\W\d_]+)*"
)


_ZERO_WORDS = _ZERO | {"nada", "niente", "cent"}
_ZERO_AROUND = {"helemaal", "kost", "kosten", "ons", "het", "echt", "komma", "euro", "we", "wij"}
_ZERO_AROUND |= {"eigenlijk", "vrijwel", "bijna", "zo", "goed", "als", "dat", "is", "nog", "rooie"}


_HOURS_NOT_EUROS = re.compile(r"[0-9] ?(?:uur|uren|uurtjes|hours?)\b")


def parse_money(text: str) -> tuple[float, float | None, bool]:
    """An amount in euros as (minimum, maximum or None, is estimate): '€ 1.500,50', 'ca. 2000'.

    A range ('1000-2000', '€ 1.000 tot € 2.000') is an estimate. '1,500' is Dutch: 1,5.
    """
    # 'ongeveer 20 uur' where the cost is asked: hours, not € 20
    if _HOURS_NOT_EUROS.search(text.casefold()) and not re.search(r"€|\beur", text.casefold()):
        raise ParseError("money_hours")
    s, estimate = _prepare(text, "money")
    # 'niks, gratis', 'gratis (zaal van de school)': nothing, with a comment that names no amount
    if s in _ZERO or (first_clause(s)[0] in _ZERO and not re.search(r"[0-9]", s)):
        return 0.0, None, estimate
    words = set(re.findall(r"[^\W\d_]+", s))
    nothing = words & _ZERO_WORDS or "0" in s
    if nothing and words <= _ZERO_WORDS | _ZERO_AROUND and not re.search(r"[1-9]", s):
        # 'nul komma nul', 'helemaal niks', 'geen cent', 'kost ons niets'
        return 0.0, None, estimate
    # 'een paar honderd euro', 'enkele duizenden voor de zaal': two to four of them, an estimate
    # (the loose reading below took 'paar honderd' for 100)
    few = _FEW_AMOUNT.fullmatch(s) or _FEW_AMOUNT_AMONG_WORDS.fullmatch(s)
    if m := few:
        unit = 100.0 if m["unit"].startswith(("100", "honderd")) else 1000.0
        return 2 * unit, 4 * unit, True
    if m := _TENNERS.fullmatch(s):  # 'een tientje', 'paar tientjes'
        return (10.0, None, estimate) if m["one"] else (20.0, 40.0, True)
    m = _AMOUNT_RE.fullmatch(s)
    if not m and (parts := _summed(s)):
        # 'zaalhuur 200 + koffie 50', '200 voor de zaal en 50 voor koffie': the total
        amounts = [parse_money(part) for part in parts]
        low = round(sum(a[0] for a in amounts), 2)
        high = round(sum(a[1] or a[0] for a in amounts), 2)
        if max(low, high) > MAX_AMOUNT:
            raise ParseError("money_too_large")
        ranged = high != low
        return low, high if ranged else None, estimate or ranged or any(a[2] for a in amounts)
    if not m and (among := _AMOUNT_AMONG_WORDS.fullmatch(s)) and not _NOT_A_TOTAL.search(s):
        n, mult = (among["n"] or among["n2"]).rstrip(".,"), among["m"] or among["m2"]
        m = _AMOUNT_RE.fullmatch(f"{n} {mult}" if mult else n)
        estimate = estimate or bool(_ROUGHLY.search(s))  # "drukwerk ca 150"
    if not m:
        raise ParseError("money")
    # '1-2k' means 1000 to 2000: a multiplier on the second amount counts for the first too.
    mult_a = _MULTIPLIERS.get(m["ma"] or m["mb"] or "", 1.0)
    low = _number(m["a"])
    high = _number(m["b"]) if m["b"] else None
    if low is None or (m["b"] and high is None):
        raise ParseError("money")
    low = round(low * mult_a, 2)
    if high is not None:
        high = round(high * _MULTIPLIERS.get(m["mb"] or "", 1.0), 2)
    if max(low, high or 0) > MAX_AMOUNT:
        raise ParseError("money_too_large")
    if high is not None and high < low:
        raise ParseError("money_order")
    return low, high, estimate or high is not None


def parse_number(text: str) -> tuple[float, bool]:
    """A number as (value, is estimate): '12', '12,5', 'ca. 40 uur', 'ongeveer 10'.

    A range ('10-20 uur') gives its middle as an estimate.
    """
    s, estimate = _prepare(text, "number")
    m = _COUNT_RE.fullmatch(s)
    low = _number(m["a"]) if m else None
    high = _number(m["b"]) if m and m["b"] else low
    if low is None or high is None:
        raise ParseError("number")
    if max(low, high) > MAX_AMOUNT:
        raise ParseError("number_too_large")
    if high < low:
        raise ParseError("number")
    return (low + high) / 2, estimate or high != low


# A working day counts as 8 hours; half a day, a morning or an evening as 4.
_DAY_HOURS = 8.0
_DAY_PARTS = {
    "halve dag": 4.0, "een halve dag": 4.0, "dagdeel": 4.0, "een dagdeel": 4.0, "1 dagdeel": 4.0,
    "een ochtend": 4.0, "een middag": 4.0, "een avond": 4.0, "anderhalve dag": 12.0,
    "een ochtendje": 4.0, "een middagje": 4.0, "een avondje": 4.0, "een dagje": 8.0,
    "half day": 4.0, "a half day": 4.0, "half a day": 4.0, "a morning": 4.0, "an evening": 4.0,
    "een dag": 8.0, "een hele dag": 8.0, "hele dag": 8.0, "a day": 8.0, "a full day": 8.0,
}  # fmt: skip
_DAYS_RE = re.compile(r"(?P<n>[0-9]{1,3}(?:[.,][0-9]{1,2})?) (?:werkdag|werkdagen|dag|dagen|days?)")
# '2 dagdelen', '3 avonden': parts of a day of 4 hours each
_PARTS_RE = re.compile(
    r"(?P<n>[0-9]{1,3}(?:[.,][0-9]{1,2})?) (?:dagdeel|dagdelen|ochtend|ochtenden|middag|middagen"
    r"|avond|avonden|mornings?|afternoons?|evenings?)"
)
_FEW_RE = re.compile(
    r"(?:een |1 )?(?:paar|paar aantal|aantal|enkele|a few|a couple of) "
    r"(?P<unit>uur|uren|hours|dagen|werkdagen|days|dagdelen|ochtenden|middagen|avonden|evenings)"
)
# the units 'een ... of 2' keeps: 'een dagdeel of 2' is about two parts of a day, not 2 hours
_TIME_UNITS = {"dag", "dagen", "werkdag", "werkdagen", "dagdeel", "dagdelen", "ochtend", "middag"}
_TIME_UNITS |= {"avond", "avonden", "ochtenden", "middagen"}
_HOURS_UNIT = re.compile(r" ?(?:uur|uren|u|hours?|hrs?|h)$")


_HOURS_AMONG_WORDS = re.compile(
    r"(?:[^\W\d_][\w']*,? )+(?P<n>[0-9]{1,4}(?:[.,][0-9])?) ?(?:uur|uren|u|hours?)(?:,? [^\W\d_]+)*"
)


_HOURS_TIMES = re.compile(
    r"(?P<n>[0-9]{1,3}) ?(?:x|×|keer|maal|(?:mensen|personen|man|collega'?s|vrijwilligers)"
    r"(?: (?:x|×|elk|ieder|per persoon))?) ?(?P<h>[0-9]{1,4}(?:[.,][0-9])?) ?(?:uur|u)"
)
# a day or part of one with a number of people: 'hele dag met 15 vrijwilligers', '4 man een
# avond'
_PEOPLE = r"(?:mensen|personen|man|collega'?s|vrijwilligers|deelnemers|people|volunteers)"
_SPAN = (
    r"(?:(?:een|de|1|a|the) )?(?:hele |full |whole )?"
    r"(?P<unit>dag|ochtend|middag|avond|dagdeel|day|morning|afternoon|evening)"
)
_PEOPLE_SPAN = (
    re.compile(rf"{_SPAN},? (?:met|with)? ?(?P<n>[0-9]{{1,3}}) {_PEOPLE}"),
    re.compile(rf"(?P<n>[0-9]{{1,3}}) {_PEOPLE},? {_SPAN}"),
)
# words that make a number among other words an estimate: 'zeg 20 uur', '12 uur schat ik'
_ROUGHLY = re.compile(
    r"\b(?:zeg|ongeveer|ong|ca|circa|schat\w*|denk|ofzo|rond|zo'?n|about|around)\b"
)
_HOURS_LAST = re.compile(r"(?:[^\W\d_][\w']*[,:;]? )+(?P<n>[0-9]{1,4}(?:[.,][0-9])?)")
_HOURS_NAMED = re.compile(r"(?<![\w.,])([0-9]{1,4}(?:[.,][0-9])?) ?(?:uur|uren|u|hours?)\b")


def parse_hours(text: str) -> tuple[float, float | None, bool]:
    """Hours as (minimum, maximum or None, is estimate): '16', 'ca. 16 uur', 'zo'n 20 uur',
    'een uur of 8', '10-20', 'twee dagen' (16), 'een halve dag' (4).

    Days are counted as working days of 8 hours, which is an estimate.
    """
    s, estimate = _prepare(text, "hours")
    s = re.sub(r"\buurtjes?\b", "uur", s)
    # '2 x 3 uur', '3 mensen 4 uur': the hours together
    if m := _HOURS_TIMES.fullmatch(s):
        times, each = _number(m["n"]), _number(m["h"])
        if times is None or each is None or times * each > 100_000:
            raise ParseError("hours")
        return times * each, None, estimate
    for pattern in _PEOPLE_SPAN:
        if m := pattern.fullmatch(s):  # a working day of 8 hours, a part of one 4: an estimate
            each = _DAY_HOURS if m["unit"] in ("dag", "day") else _DAY_HOURS / 2
            return int(m["n"]) * each, None, True
    # 'een paar uur', 'paar dagen', 'enkele avonden': two to four of them, an estimate
    if m := _FEW_RE.fullmatch(s):
        low, high = parse_hours(f"2 {m['unit']}")[0], parse_hours(f"4 {m['unit']}")[0]
        return low, high, True
    part = re.sub(r"^1 ", "een ", s)  # 'een halve dag' came back as '1 halve dag'
    if part in _DAY_PARTS:
        return _DAY_PARTS[part], None, True
    for pattern, hours in ((_DAYS_RE, _DAY_HOURS), (_PARTS_RE, _DAY_HOURS / 2)):
        if m := pattern.fullmatch(s):
            n = _number(m["n"])
            if n is None:
                raise ParseError("hours")
            return n * hours, None, True
    # 'een avondje, 4 uur', 'voorbereiden en de avond zelf 6 uur': the one number of hours
    if (m := _HOURS_AMONG_WORDS.fullmatch(s)) and len(re.findall(r"[0-9]+", s)) == 1:
        estimate = estimate or bool(_ROUGHLY.search(s))  # 'samen zo'n 16 uur'
        s = m["n"]
    elif (m := _HOURS_LAST.fullmatch(s)) and len(re.findall(r"[0-9]+", s)) == 1:
        # 'iets minder, zo'n 40': a comment, then the number
        estimate = estimate or bool(_ROUGHLY.search(s))
        s = m["n"]
    elif (
        not _AMOUNT_RE.fullmatch(_HOURS_UNIT.sub("", s))
        and len(named := _HOURS_NAMED.findall(s)) == 1
        and re.search(r"[^\W\d_]{3}", s)
    ):
        # 'we doen 2 avonden dus zeg 20 uur': the one number said in hours is the answer; the
        # others count something else
        estimate = estimate or bool(_ROUGHLY.search(s))
        s = named[0]
    s = _HOURS_UNIT.sub("", s)
    m = _AMOUNT_RE.fullmatch(s)
    if not m or m["ma"] or m["mb"]:
        raise ParseError("hours")
    low = _number(m["a"])
    high = _number(m["b"]) if m["b"] else None
    if low is None or (m["b"] and high is None):
        raise ParseError("hours")
    if max(low, high or 0) > 100_000:
        raise ParseError("number_too_large")
    if high is not None and high < low:
        raise ParseError("hours")
    return low, None if high == low else high, estimate or high is not None


# --- frequencies ----------------------------------------------------------------------------

# How many weeks one of each unit lasts: a month is 52/12 weeks, so 'maandelijks' is 4.
_WEEKS_PER = {"week": 1.0, "maand": 52 / 12, "kwartaal": 13.0, "halfjaar": 26.0, "jaar": 52.0}
_UNIT_WORDS = {
    "week": "week", "weken": "week", "weeks": "week",
    "maand": "maand", "maanden": "maand", "month": "maand", "months": "maand",
    "kwartaal": "kwartaal", "kwartalen": "kwartaal", "quarter": "kwartaal", "quarters": "kwartaal",
    "half jaar": "halfjaar", "halfjaar": "halfjaar", "half year": "halfjaar",
    "jaar": "jaar", "jaren": "jaar", "year": "jaar", "years": "jaar",
}  # fmt: skip
_ADVERBS = {
    "wekelijks": 1, "weekly": 1, "tweewekelijks": 2, "2wekelijks": 2, "fortnightly": 2,
    "biweekly": 2, "driewekelijks": 3, "3wekelijks": 3, "vierwekelijks": 4, "4wekelijks": 4,
    "maandelijks": 52 / 12, "monthly": 52 / 12, "tweemaandelijks": 52 / 6, "bimonthly": 52 / 6,
    "driemaandelijks": 13, "kwartaal": 13, "quarterly": 13, "halfjaarlijks": 26, "jaarlijks": 52,
    "yearly": 52, "annually": 52,
}  # fmt: skip
_FREQ_UNIT = "|".join(sorted(_UNIT_WORDS, key=len, reverse=True))
_FREQ_N = r"(?P<n>[0-9]{1,3})(?: ?(?:-|a|tot|of|or|to) ?(?P<m>[0-9]{1,3}))?"
# 'elke 4 weken', 'om de 2 weken', 'iedere maand', 'eens per maand', 'zes weken', '4'
_EVERY_RE = re.compile(
    r"(?P<every>elke|iedere|ieder|elk|om de|eens per|eens in de|1 keer per|1x per|per|every|each"
    r"|once every|once a|once per)?(?: |^)"
    rf"(?:{_FREQ_N} ?)?(?P<unit>{_FREQ_UNIT})?"
)
# 'twee keer per maand', '2x per maand', 'twice a month'
_TIMES_RE = re.compile(
    rf"(?:(?P<n>[0-9]{{1,2}}) ?(?:keer|maal|x|times)|(?P<twice>twice)) (?:per|in de|a|an|every) "
    rf"(?P<unit>{_FREQ_UNIT})"
)


def _weeks(value: float) -> int:
    weeks = round(value)
    if not 1 <= weeks <= 52:
        raise ParseError("frequency")
    return weeks


_TWO_RHYTHMS = re.compile(
    r"(?P<a>.+?)(?: (?:tijdens|in|bij|during) [a-z ]+?)?,? (?:en )?"
    r"(?:daarna|later|na afloop|afterwards) (?P<b>.+)"
)


def parse_frequency(text: str) -> tuple[int, int | None]:
    """How often, in weeks, as (weeks, other weeks or None): 'elke 4 weken' (4), 'maandelijks'
    (4), 'om de 2 weken' (2), 'twee keer per maand' (2), 'elk kwartaal' (13), '6'.

    A second value means the answer names two ('elke 4 à 6 weken', 'om de week': every week
    or every other week) and the asker has to choose.
    """
    cleaned = _clean(text, 100)
    if cleaned is None:
        raise ParseError("frequency")
    s = unicodedata.normalize("NFKD", cleaned.casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = " ".join(re.sub(r"[^a-z0-9-]+", " ", s).replace("-", " - ").split()).replace(" - ", "-")
    s = _COMMENT_AFTER.sub("", _TAG_END.sub("", s))
    # 'maandelijks of zo', 'elke maand, ongeveer': how often roughly is how often.
    for vague in (" of zo", " ofzo", " or so", " ongeveer", " zo ongeveer", " roughly"):
        s = s.removesuffix(vague)
    s = re.sub(r"^(?:ongeveer|ca|circa|zon|about|around|roughly|rond) ", "", s)
    s = _words_to_digits(s.replace("every other ", "every 2 "))
    # 'om de week of 2', 'een maand of drie': roughly every 2 weeks, every 3 months
    if m := re.fullmatch(r"(?:(?:om de|elke|iedere|een) )?(week|maand) of (\d+)", s):
        s = f"om de {m[2]} {'weken' if m[1] == 'week' else 'maanden'}"
    # 'om de 2 weken tijdens de inbreng, daarna maandelijks': two rhythms, the asker chooses
    if m := _TWO_RHYTHMS.fullmatch(s):
        try:
            first, second = parse_frequency(m["a"])[0], parse_frequency(m["b"])[0]
        except ParseError:
            pass
        else:
            return first, None if second == first else second
    if s in _ADVERBS:
        return _weeks(_ADVERBS[s]), None
    if m := _TIMES_RE.fullmatch(s):
        times = 2 if m["twice"] else int(m["n"])
        if times == 0:
            raise ParseError("frequency")
        return _weeks(_WEEKS_PER[_UNIT_WORDS[m["unit"]]] / times), None
    m = _EVERY_RE.fullmatch(s)
    if not m or not (m["n"] or m["unit"]):
        raise ParseError("frequency")
    per = _WEEKS_PER[_UNIT_WORDS[m["unit"] or "weken"]]
    if m["n"] is None:
        if m["every"] == "om de":  # 'om de week': every week, or every other week?
            return _weeks(per), _weeks(2 * per)
        return _weeks(per), None
    first = _weeks(int(m["n"]) * per)
    other = _weeks(int(m["m"]) * per) if m["m"] else None
    return first, None if other == first else other


# --- e-mail ---------------------------------------------------------------------------------

_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*", re.I)
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
)


_ADDRESS_AMONG_WORDS = re.compile(
    r"(?:.*(?::|\b(?:is|mail|email|e-mail|adres|mailadres|e-mailadres|naar|op|via)))?\s*"
    r"<?(?P<address>[^\s<>(),;]+@[^\s<>(),;]+?)>?\.?(?:\s*[(,;-].*)?",
    re.I,
)


def parse_email(text: str) -> str:
    """An e-mail address, trimmed and with its domain in lower case: 'naam@example.org'. Also
    as people type it: 'mail: naam@example.org', 'naam @ example.org', 'naam(at)example.org',
    'naam@example,org'."""
    cleaned = _clean(text, 320)
    if cleaned is None:
        raise ParseError("email")
    cleaned = re.sub(r"\s*(?:@|\(at\)|\[at\])\s*", "@", cleaned, flags=re.I)
    # 'naam@example,org': a comma for the full stop before the top-level domain
    cleaned = re.sub(r"(@[\w.-]+),([a-z]{2,6})\b", r"\1.\2", cleaned, flags=re.I)
    try:
        return _address(cleaned)
    except ParseError:
        # an address among words: 'mijn mail is naam@example.org', 'naam@example.org (werk)';
        # not 'na am@example.org', a typo in the address itself
        m = _ADDRESS_AMONG_WORDS.fullmatch(cleaned)
        if m is None or cleaned.count("@") > 1:  # two addresses: which one is meant?
            raise
        return _address(m["address"])


def _address(text: str) -> str:
    address = re.sub(r"^mailto:", "", text.strip("<>. "), flags=re.I)
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
    if "," in domain and "." not in domain:  # 'example,org': the comma is next to the full stop
        domain = domain.replace(",", ".")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        raise ParseError("email") from None
    if (
        not at
        or len(address) > 254
        or len(local) > 64
        or not _LOCAL_PART.fullmatch(local)
        or not _DOMAIN.fullmatch(ascii_domain)
    ):
        raise ParseError("email")
    return f"{local}@{domain}"


# --- choices and lists ----------------------------------------------------------------------


def _listing(options: Sequence[tuple[str, str]], values: set[str] | None = None) -> str:
    return ", ".join(
        f"{number} = {label}"
        for number, (value, label) in enumerate(options, 1)
        if values is None or value in values
    )


def choice_error(
    options: Sequence[tuple[str, str]], key: str = "choice", **params: Any
) -> ParseError:
    """The refusal of a choice, listing the options by number: 'Die keuze ken ik niet. ...'."""
    first = options[0][1] if options else "1"
    numbers = example_numbers(len(options))
    return ParseError(key, options=_listing(options), first=first, numbers=numbers, **params)


def example_numbers(count: int) -> str:
    """Option numbers to show in an example of choosing more than one: '1, 3', or '1, 2' when
    there is no third option to name."""
    return "1, 3" if count >= 3 else "1, 2" if count == 2 else "1"


def match_choice(text: str, options: list[tuple[str, str]]) -> str:
    """The value of the option meant: its number ('2'), value, label, a unique start of a word
    ('geinformeerd' for 'wordt geïnformeerd'), or a close spelling. Options are (value, label).
    """
    cleaned = _clean(text)
    folded = _fold(cleaned or "")
    if not folded:
        raise choice_error(options)
    if number := re.fullmatch(r"([0-9]{1,3})[.)]?", cleaned or ""):
        if 1 <= int(number[1]) <= len(options):
            return options[int(number[1]) - 1][0]
        raise choice_error(options)
    names = [(value, {_fold(value), _fold(label)}) for value, label in options]
    exact = [value for value, forms in names if folded in forms]
    if exact:
        return exact[0]
    words = folded.split()
    option_words = [(value, " ".join(forms).split()) for value, forms in names]
    matches = [
        value
        for value, known in option_words
        if all(any(k.startswith(w) for k in known) for w in words)
    ]
    if len(set(matches)) > 1:
        whole = [
            value for value, known in option_words if value in matches and set(words) <= set(known)
        ]
        if len(set(whole)) == 1:
            return whole[0]
        number = next(n for n, (value, _) in enumerate(options, 1) if value in matches)
        raise ParseError("choice_ambiguous", options=_listing(options, set(matches)), number=number)
    if matches:
        return matches[0]
    # A typo ('raadpelgen'): accept the one clearly closest name.
    by_name = {form: value for value, forms in names for form in forms}
    close = {by_name[f] for f in difflib.get_close_matches(folded, by_name, n=3, cutoff=0.8)}
    if len(close) == 1:
        return close.pop()
    raise choice_error(options)


def match_choices(text: str, options: list[tuple[str, str]]) -> list[str]:
    """Several choices: '1, 3', '1 en 3', '1 3', 'samen denken en samen leren'.

    Returns the values without duplicates, in the order of the options.
    """
    if not isinstance(text, str) or len(text) > 20 * _SHORT:
        raise choice_error(options)
    labels = {_fold(form) for option in options for form in option}
    chosen: set[str] = set()
    for chunk in re.split(r"[,;/&+\n]", text):
        cleaned = _clean(chunk)
        if cleaned is None or not _fold(cleaned):
            if chunk.strip():  # too long or only control characters
                raise choice_error(options)
            continue
        if _fold(cleaned) in labels:  # a label may itself contain 'en'
            parts = [cleaned]
        elif re.fullmatch(r"[0-9]+(?: [0-9]+)+", cleaned):
            parts = cleaned.split()
        else:
            parts = re.split(r" (?:en|and|plus) ", cleaned, flags=re.I)
        for part in parts:
            try:
                chosen.add(match_choice(part, options))
            except ParseError as error:
                if error.key != "choice":
                    raise
                raise choice_error(options, "choices", part=part[:40]) from None
    if not chosen:
        raise choice_error(options)
    return list(dict.fromkeys(value for value, _ in options if value in chosen))


_BULLET = re.compile(r"^(?:[-*•·‣–—+]|[0-9]{1,3}[.)]) +")


def split_items(text: str, names: bool = False) -> list[str]:
    """A pasted list as items: one per line or separated by ';', without bullets ('- ', '1. ').

    `names`: the items are names of groups, so a line may also list them with bullets inside it
    ('• school • kinderopvang') or with commas ('wijkteam, de school en de kinderopvang')."""
    if not isinstance(text, str):
        return []
    items = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        for piece in _INLINE_BULLET.split(line) if names else [line]:
            for part in piece.split(";"):
                part = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in part)
                part = _BULLET.sub("", " ".join(part.split()))
                items.extend(_names(part) if names else [part] if part else [])
    return items


# A bullet within a line: a pasted list whose line breaks were lost.
_INLINE_BULLET = re.compile(r"\s+(?:[•·‣▪●◦]|[0-9]{1,2}[.)])\s+")
# Words that start a comment on the name before the comma, not a name: 'ouderen, vooral in de flat'
_QUALIFIER = re.compile(
    r"(?:vooral|met name|zoals|bijv|bijvoorbeeld|waaronder|o\.?a\.?|die|dat|ook|maar|dus|want"
    r"|in|uit|van|bij|op|met|voor|en|of|niet|wel|mits|especially|such|including|who|which)\b",
    re.I,
)


# Words around a list that belong to the talk, not to a name: 'o ja, jongeren en ouderen ook nog'
_LIST_LEAD = re.compile(
    # lower case, or capitalised as the first word of a sentence; not 'Plus' (a shop's name)
    r"^(?:(?:[oO]|[oO]h|[oO]ja|ah|[eE]n|[oO]ok|nog|dan|vergeten|vergeet niet|plus|oeps|and|also)"
    r"(?: ja| nog| ook| and)?[\s,.:!-]+)+"
)
_LIST_TAIL = re.compile(
    r"[\s,.!-]+(?:ook nog(?: even)?|ook|nog|erbij|ook erbij|too|as well|vergeten)[\s.!]*$", re.I
)


def _names(text: str) -> list[str]:
    """'wijkteam, de school en de kinderopvang' as three names; a comma that starts a comment
    ('omwonenden, vooral de Voorbeeldstraat') or lies between brackets keeps the text whole."""
    text = _LIST_TAIL.sub("", _LIST_LEAD.sub("", text))
    pieces, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        depth += (ch in "([") - (ch in ")]")
        if ch == "," and depth == 0:
            pieces.append(text[start:i].strip())
            start = i + 1
    pieces.append(text[start:].strip())
    if len(pieces) > 1:
        # the last of 'a, b en c' holds two names
        last = re.split(r" (?:en|and|&) ", pieces[-1], maxsplit=1)
        pieces[-1:] = [p.strip() for p in last]
    # 'de huisarts ook, en de kerk': the talk around each name goes too
    pieces = [_LIST_TAIL.sub("", _LIST_LEAD.sub("", p)) for p in pieces]
    if len(pieces) < 2 or any(not p or _QUALIFIER.match(p) for p in pieces[1:]):
        return [text] if text else []
    return pieces
