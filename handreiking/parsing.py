"""Reading what people really type in the interview: dates, periods, money, numbers, choices."""

from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import dateparser
import yaml
from babel.dates import get_day_names, get_month_names

from handreiking.resources import shipped

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
        return (texts.get(lang) or texts["nl"]).format_map(self.params)

    def __str__(self) -> str:
        return self.message("nl")


@functools.cache
def _messages() -> dict[str, dict[str, str]]:
    path = shipped("templates") / "messages" / "parsing.yaml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


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
    "tbd",
    "to be decided",
    "to be determined",
}


def is_unknown(text: str) -> bool:
    """Whether the answer says 'I don't know (yet)': 'weet ik nog niet', 'onbekend', '?'."""
    cleaned = _clean(text)
    if cleaned is None:
        return False
    if set(cleaned) <= {"?", " "}:
        return True
    words = [w for w in _fold(cleaned).split() if w not in _UNKNOWN_FILLER]
    return " ".join(words) in _UNKNOWN


_YES = {"ja", "j", "yes", "y", "klopt", "akkoord", "ok", "oke", "okay", "prima", "goed", "zeker"}
_YES |= {"jazeker", "jawel", "jep", "ja hoor", "ja graag", "graag", "sure", "yep", "yeah"}
_YES |= {"correct", "dat klopt", "ja dat klopt", "agreed", "👍", "✅", "✔", "👌"}
_NO = {"nee", "n", "no", "niet", "neen", "nope", "nee hoor", "liever niet", "niet nodig"}
_NO |= {"klopt niet", "dat klopt niet", "nee dank je", "nee bedankt", "nah", "👎", "❌"}
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
    # 'Ja, dat wil ik' / 'nee, liever later': the first word decides.
    first = folded.split(" ", 1)[0] if folded else ""
    if first in {"ja", "yes", "jazeker"}:
        return True
    if first in {"nee", "no", "neen"}:
        return False
    raise ParseError("yesno")


# --- dates ----------------------------------------------------------------------------------


# 'maart' -> 3, 'mrt' -> 3, 'march' -> 3; 'dinsdag' -> 1 (Monday is 0).
_MONTHS = {
    name.casefold(): number
    for locale in ("nl", "en")
    for width in ("wide", "abbreviated")
    for number, name in get_month_names(width, locale=locale).items()
}
_WEEKDAYS = {
    name.casefold(): number
    for locale in ("nl", "en")
    for number, name in get_day_names("wide", locale=locale).items()
}

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
    r"(?P<part>begin|start|early|half|medio|midden|mid|eind|einde|end|late)"
    r"(?: (?:van|of))? (?P<month>[a-z]+|(?:deze|volgende|this|next) (?:maand|month))"
    r"(?: (?P<year>[0-9]{4}))?"
)
_PART_YEAR_RE = re.compile(
    r"(?P<part>begin|start|early|half|medio|midden|mid|eind|einde|end|late)"
    r"(?: (?:van|of))? (?:(?P<this>dit|this)|volgend|next) (?:jaar|year)"
)
_STARTS, _MIDDLES = {"begin", "start", "early"}, {"half", "medio", "midden", "mid"}


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _in_year(day: date, year: int) -> date:
    """The same day and month in another year (29 February becomes the 28th)."""
    return day.replace(year=year, day=min(day.day, _last_day(year, day.month)))


def _add_months(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 + months, 12)
    return date(day.year + year, month + 1, min(day.day, _last_day(day.year + year, month + 1)))


def _weekday(text: str, today: date) -> date | None:
    """'dinsdag', 'volgende dinsdag' (the first one after today), 'volgende week dinsdag'."""
    m = _WEEKDAY_RE.fullmatch(text)
    if not m or m["day"] not in _WEEKDAYS:
        return None
    weekday = _WEEKDAYS[m["day"]]
    if m["week"] or m["week_after"]:
        next_monday = today + timedelta(days=7 - today.weekday())
        return next_monday + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


def _month_part(text: str, today: date) -> tuple[date, bool] | None:
    """'begin mei' (the 1st), 'half juni' (the 15th), 'eind april' (the last day)."""
    if m := _PART_YEAR_RE.fullmatch(text):
        year = today.year if m["this"] else today.year + 1
        month = 1 if m["part"] in _STARTS else 7 if m["part"] in _MIDDLES else 12
        return date(year, month, 31 if month == 12 else 1), False
    m = _PART_RE.fullmatch(text)
    if not m:
        return None
    if m["month"] in _MONTHS:
        month, year = _MONTHS[m["month"]], int(m["year"] or today.year)
        if not EARLIEST.year <= year <= today.year + YEARS_AHEAD:
            raise ParseError("date_range")
    elif m["year"] is None and " " in m["month"]:
        first = _add_months(
            today.replace(day=1), 0 if m["month"].split()[0] in {"deze", "this"} else 1
        )
        month, year = first.month, first.year
    else:
        return None
    day = 1 if m["part"] in _STARTS else 15 if m["part"] in _MIDDLES else _last_day(year, month)
    found = date(year, month, day)
    floating = m["year"] is None and m["month"] in _MONTHS
    if floating and found < today:
        found = _in_year(found, year + 1)
    return found, floating


def _tidy_date(text: str) -> str:
    text = text.casefold().strip(" .!?,")
    text = re.sub(r"^(?:op|per|on|uiterlijk|rond|omstreeks|around|by) ", "", text)
    text = re.sub(r"\b([0-9]{1,2})(?:ste|de|e|st|nd|rd|th)\b", r"\1", text)  # '12e maart'
    text = re.sub(r" om [0-9]{1,2}(?:[:.][0-9]{2})?(?: ?uur)?$", "", text)  # '... om 10 uur'
    # '12.3' and '12.03.2026' are dates in a date question, not times.
    text = re.sub(r"^([0-9]{1,2})\.([0-9]{1,2})(?:\.([0-9]{2,4}))?$", r"\1-\2-\3", text)
    text = text.rstrip("-")
    # dateparser reads 'over 3 weken' but not 'over drie weken'.
    return re.sub(
        rf"\b({_NUMBER_WORD}) (?=(?:dag|dagen|week|weken|maand|maanden|jaar|jaren)\b)",
        lambda m: f"{_NUMBER_WORDS[m[1]]} ",
        text,
    )


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
        if (m := _WRITTEN_DATE.fullmatch(tidy)) and m[2] in _MONTHS:
            return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
    except ValueError:  # '31-2-2026'
        raise ParseError(key) from None
    return None


def _dateparser(text: str, today: date, **extra: Any) -> datetime | None:
    settings = {
        **_DATEPARSER_SETTINGS,
        "RELATIVE_BASE": datetime.combine(today, datetime.min.time()),
    }
    try:
        return dateparser.parse(text, languages=["nl", "en"], settings={**settings, **extra})
    except Exception:  # dateparser raises assorted errors (overflow, bad values) on odd input
        return None


def _parse_date(text: str, today: date, key: str) -> tuple[date, bool]:
    """The date and whether it floats: a calendar date typed without a year."""
    cleaned = _clean(text)
    if cleaned is None:
        raise ParseError(key)
    tidy = _tidy_date(cleaned)
    # A date has a word ('maart', 'morgen') or digits with a separator ('12-3'); dateparser
    # would also read bare numbers ('12', '€ -5') and times ('10:30', '10 uur') as today's date.
    has_word = re.search(r"[^\W\d_]{2}", tidy) and not re.fullmatch(r"[0-9]{1,2} ?uur", tidy)
    if not (has_word or re.search(r"[0-9][-/.][0-9]", tidy)):
        raise ParseError(key)
    if (explicit := _explicit(tidy, key)) is not None:
        found, floating = explicit, False
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
    return _parse_date(text, today, "date")[0]


# --- periods --------------------------------------------------------------------------------

_PERIOD_SEP = re.compile(
    r" (?:(?P<through>t/m|tm|tot en met|until|till|to|through|thru)|(?P<upto>tot)) "
    r"| ?[–—] ?| - |(?<=[0-9])-(?=[0-9]{1,2} [^\W\d])|(?<=[^\W\d])-(?=[0-9])"
)
_UNITS = {"dag": 1, "dagen": 1, "day": 1, "days": 1, "week": 7, "weken": 7, "weeks": 7}
_MONTH_UNITS = {"maand": 1, "maanden": 1, "month": 1, "months": 1}
_MONTH_UNITS |= {"jaar": 12, "jaren": 12, "year": 12, "years": 12}
_DURATION_RE = re.compile(
    rf"(?:, ?| )(?:voor |gedurende |for )?(?P<n>[0-9]{{1,3}}|{_NUMBER_WORD}) "
    rf"(?P<unit>{'|'.join(sorted(_UNITS | _MONTH_UNITS, key=len, reverse=True))})(?: lang)?$"
)


def _dmy(day: date) -> str:
    return f"{day.day}-{day.month}-{day.year}"


def parse_period(text: str, today: date) -> tuple[date, date]:
    """A period as (first day, last day): '1 t/m 21 maart 2026', 'vanaf 1 maart, 3 weken'.

    'tot' is Dutch for 'up to but not including': '1-3-2026 tot 22-3-2026' ends on 21 March.
    't/m', 'tot en met' and a dash include the last day.
    """
    cleaned = _clean(text)
    if cleaned is None:
        raise ParseError("period")
    s = re.sub(r"^(?:periode|van|vanaf|from) ", "", cleaned.casefold().strip(" .!?"))
    sep = _PERIOD_SEP.search(s)
    duration = None if sep else _DURATION_RE.search(s)
    try:
        if duration:
            start, _ = _parse_date(s[: duration.start()], today, "period")
            n = int(_NUMBER_WORDS.get(duration["n"], duration["n"]))
            unit = duration["unit"]
            if unit in _UNITS:
                end = start + timedelta(days=_UNITS[unit] * n - 1)
            else:
                end = _add_months(start, _MONTH_UNITS[unit] * n) - timedelta(days=1)
        elif sep:
            left, right = s[: sep.start()].strip(), s[sep.end() :].strip()
            end, end_floats = _parse_date(right, today, "period")
            if re.fullmatch(r"[0-9]{1,2}", left):  # '1 t/m 21 maart': month and year of the end
                start, start_floats = end.replace(day=int(left)), False
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
            # 'tot eind mei' still includes the end of May.
            if sep["upto"] and not re.match(r"(?:eind|einde|end|late)\b", right):
                end -= timedelta(days=1)
        else:
            raise ParseError("period")
    except (ValueError, OverflowError) as error:
        if isinstance(error, ParseError) and error.key == "date_range":
            raise
        raise ParseError("period") from error
    if end < start:
        raise ParseError("period_order", start=_dmy(start), end=_dmy(end))
    if not (_in_window(start, today) and _in_window(end, today)):
        raise ParseError("date_range")
    return start, end


# --- money and numbers ----------------------------------------------------------------------

# Dutch first ('1.500,50', '1,5'), then English ('1,500.50', '12.5').
_NL_NUMBER = re.compile(r"([0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,([0-9]+))?")
_EN_NUMBER = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")
_NUM = r"[0-9][0-9.,]{0,30}"
_MULTIPLIERS = {"k": 1e3, "duizend": 1e3, "ton": 1e5, "mln": 1e6, "miljoen": 1e6}
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
_ZERO = {"geen", "gratis", "niets", "niks", "nul", "none", "free", "nothing"}


def _number(text: str) -> float | None:
    for pattern, thousands in ((_NL_NUMBER, "."), (_EN_NUMBER, ",")):
        if m := pattern.fullmatch(text):
            whole = m[1].replace(thousands, "")
            return float(f"{whole}.{m[2]}" if m[2] else whole)
    return None


def _prepare(text: str, key: str) -> tuple[str, bool]:
    """Lower case, without currency, with an estimate word ('ca.', '±') taken off."""
    cleaned = _clean(text, 100)
    if cleaned is None:
        raise ParseError(key)
    s = cleaned.casefold()
    s = re.sub(r"[.,] ?-{1,2}(?![0-9])|[.,]=", " ", s)  # '2.000,-'
    s = re.sub(r"€|\beur(?:o'?s?)?\b|\b(?:incl|excl|inclusief|exclusief)\.? ?btw\b", " ", s)
    s = " ".join(s.split()).strip(" .!")
    estimate = _ESTIMATE.match(s)
    if estimate:
        s = s[estimate.end() :].strip()
    if re.match(r"(?:-|−|min |minus )", s):
        raise ParseError(f"{key}_negative")
    return s, estimate is not None


def parse_money(text: str) -> tuple[float, float | None, bool]:
    """An amount in euros as (minimum, maximum or None, is estimate): '€ 1.500,50', 'ca. 2000'.

    A range ('1000-2000', '€ 1.000 tot € 2.000') is an estimate. '1,500' is Dutch: 1,5.
    """
    s, estimate = _prepare(text, "money")
    if s in _ZERO:
        return 0.0, None, estimate
    m = _AMOUNT_RE.fullmatch(s)
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
    word = re.fullmatch(rf"({_NUMBER_WORD})(?: [^\W\d_]+)?", s)
    if word:
        return float(_NUMBER_WORDS[word[1]]), estimate
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


# --- e-mail ---------------------------------------------------------------------------------

_LOCAL_PART = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*", re.I)
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
)


def parse_email(text: str) -> str:
    """An e-mail address, trimmed and with its domain in lower case: 'naam@example.org'."""
    cleaned = _clean(text, 320)
    if cleaned is None:
        raise ParseError("email")
    address = re.sub(r"^mailto:", "", cleaned.strip("<>. "), flags=re.I)
    local, at, domain = address.rpartition("@")
    domain = domain.lower()
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


def _choice_error(
    options: Sequence[tuple[str, str]], key: str = "choice", **params: Any
) -> ParseError:
    first = options[0][1] if options else "1"
    return ParseError(key, options=_listing(options), first=first, **params)


def match_choice(text: str, options: list[tuple[str, str]]) -> str:
    """The value of the option meant: its number ('2'), value, label, a unique start of a word
    ('geinformeerd' for 'wordt geïnformeerd'), or a close spelling. Options are (value, label).
    """
    cleaned = _clean(text)
    folded = _fold(cleaned or "")
    if not folded:
        raise _choice_error(options)
    if number := re.fullmatch(r"([0-9]{1,3})[.)]?", cleaned or ""):
        if 1 <= int(number[1]) <= len(options):
            return options[int(number[1]) - 1][0]
        raise _choice_error(options)
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
    raise _choice_error(options)


def match_choices(text: str, options: list[tuple[str, str]]) -> list[str]:
    """Several choices: '1, 3', '1 en 3', '1 3', 'samen denken en samen leren'.

    Returns the values without duplicates, in the order of the options.
    """
    if not isinstance(text, str) or len(text) > 20 * _SHORT:
        raise _choice_error(options)
    labels = {_fold(form) for option in options for form in option}
    chosen: set[str] = set()
    for chunk in re.split(r"[,;/&+\n]", text):
        cleaned = _clean(chunk)
        if cleaned is None or not _fold(cleaned):
            if chunk.strip():  # too long or only control characters
                raise _choice_error(options)
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
                raise _choice_error(options, "choices", part=part[:40]) from None
    if not chosen:
        raise _choice_error(options)
    return list(dict.fromkeys(value for value, _ in options if value in chosen))


_BULLET = re.compile(r"^(?:[-*•·‣–—+]|[0-9]{1,3}[.)]) +")


def split_items(text: str) -> list[str]:
    """A pasted list as items: one per line or separated by ';', without bullets ('- ', '1. ')."""
    if not isinstance(text, str):
        return []
    items = []
    for line in unicodedata.normalize("NFKC", text).splitlines():
        for piece in line.split(";"):
            piece = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in piece)
            piece = _BULLET.sub("", " ".join(piece.split()))
            if piece:
                items.append(piece)
    return items
