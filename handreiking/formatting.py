"""Texts of documents.yaml and Dutch formatting: dates, amounts, hours, answers still open.

Shared by the documents, the timeline, the PDF step and the chat. A module of its own, without
Word or drawing libraries, so that what only formats need not load them, and the modules the
document renderer imports can use these without importing the renderer back.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from handreiking.models import Aantal, Bedrag
from handreiking.parsing import is_unknown
from handreiking.resources import load_yaml, shipped

# How drawn pictures are saved. No 'Software' entry: the bytes do not change with the matplotlib
# version. zlib level 3 instead of PIL's 6: a picture is made in the turn that writes the
# documents, and level 6 took a third of its time for files a quarter smaller.
PNG = {"format": "png", "metadata": {"Software": None}, "pil_kwargs": {"compress_level": 3}}

GEEN = "–"  # a table cell with nothing to say
LOCALE = "nl"


# ---------------------------------------------------------------- texts


@cache
def _texts() -> dict[str, Any]:
    path = shipped("templates") / "messages" / "documents.yaml"
    return load_yaml(path)


def text(key: str, **params: Any) -> Any:
    """A text of templates/messages/documents.yaml; 'open.datum' reaches into a mapping."""
    value: Any = _texts()
    for part in key.split("."):
        value = value[part]
    return value.format(**params) if params else value


LEEG = text("nog_te_bepalen").lower()


def soort_en_naam(soort: str, omschrijving: str | None) -> str:
    """'bijeenkomst: Inloopavond'; a name that starts with its kind says it alone: 'Meedenkgroep
    met mandaat', not 'meedenkgroep: Meedenkgroep met mandaat'. A name that is only the kind
    reads as the kind does, in lower case inside a sentence: 'activity 2 (sounding board
    group)', where the English name of the middel Klankbordgroep is 'Sounding board group'."""
    if onbekend(omschrijving):
        return soort
    naam = str(omschrijving).strip()
    if naam.casefold() == soort.casefold():
        return soort
    if naam.casefold().startswith(soort.casefold()):
        return naam
    return f"{soort}: {naam}"


def onbekend(value: Any) -> bool:
    """Whether an answer is still open: not given, empty, 'weet ik nog niet' or 'zie hierboven'.

    The one place that decides it: a stored 'not known yet' marker plugs in here.
    """
    if value is None:
        return True
    if isinstance(value, str):
        folded = " ".join(value.split()).strip(" .!").casefold()
        return not folded or is_unknown(value) or folded in text("geen_inhoud")
    if isinstance(value, list | dict):
        return not value
    return False


# ---------------------------------------------------------------- formatting


def datum(d: date | None) -> str | None:
    """'12 maart 2026'."""
    return format_date(d, format="long", locale=LOCALE) if d else None


def maand(d: date) -> str:
    """'oktober 2026'."""
    return format_date(d, format="MMMM yyyy", locale=LOCALE)


def euro(amount: float) -> str:
    """'€ 1.500,50'; whole amounts without cents: '€ 1.500'."""
    if float(amount).is_integer():
        return format_currency(
            amount, "EUR", format="¤\xa0#,##0", locale=LOCALE, currency_digits=False
        )
    return format_currency(amount, "EUR", locale=LOCALE)


def _ca(text: str, schatting: bool) -> str:
    return f"ca. {text}" if schatting else text


def bedrag(b: Bedrag | None) -> str:
    """'€ 1.000 – € 2.000', 'ca. € 500' for an estimate."""
    if b is None:
        return GEEN
    text = euro(b.min) if b.max is None or b.max == b.min else f"{euro(b.min)} – {euro(b.max)}"
    return _ca(text, b.schatting)


def uren(a: Aantal | None) -> str:
    """'16', 'ca. 16', '10 – 20'."""
    if a is None:
        return GEEN
    text = format_decimal(a.waarde, locale=LOCALE)
    if a.max is not None and a.max != a.waarde:
        text = f"{text} – {format_decimal(a.max, locale=LOCALE)}"
    return _ca(text, a.schatting)


def ja_nee(value: bool | None) -> str | None:
    return None if value is None else ("ja" if value else "nee")
