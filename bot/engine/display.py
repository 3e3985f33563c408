"""How a stored answer reads back in chat: Dutch dates, euros, labels in the gemeente's words."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from bot.engine.conversation import Question
from bot.engine.texts import messages, t
from handreiking import middelen, understanding
from handreiking.formatting import euro, soort_en_naam
from handreiking.models import Niveau
from handreiking.profiles import Profile

_LOCALE = {"nl": "nl_NL", "en": "en_GB"}
_EMPTY = {"nl": "(niet ingevuld)", "en": "(not filled in)"}
# where a plan keeps the questions answered with 'weet ik nog niet' and with 'nvt'
OPEN = "nog_te_bepalen"
NVT = "niet_van_toepassing"
_UNKNOWN = {"nl": "nog te bepalen", "en": "to be decided"}
_YES_NO = {"nl": ("ja", "nee"), "en": ("yes", "no")}


def show_date(value: str | date, lang: str = "nl") -> str:
    d = date.fromisoformat(value) if isinstance(value, str) else value
    return format_date(d, format="long", locale=_LOCALE.get(lang, "nl_NL"))


def _euro(amount: float, lang: str) -> str:
    """As the documents write it: '€ 1.500', '€ 1.500,50' (the chat said '€ 400,00')."""
    if lang != "en":
        return euro(amount)
    whole = float(amount).is_integer()
    pattern = "¤#,##0" if whole else "¤#,##0.00"
    return format_currency(amount, "EUR", format=pattern, locale="en_GB", currency_digits=False)


def show_money(value: dict[str, Any], lang: str = "nl") -> str:
    text = _euro(value["min"], lang)
    if value.get("max") is not None:
        text += " – " + _euro(value["max"], lang)
    # 'ca. € 400', in English 'about €400'
    return understanding.phrase("estimate", lang, value=text) if value.get("schatting") else text


def answer_shown(q: Question, data: dict[str, Any], profile: Profile, lang: str = "nl") -> str:
    """A plan's answer to `q` as a person reads it: also 'nog te bepalen' for an optional
    question answered with 'weet ik nog niet', and 'niet van toepassing' for one with 'nvt'."""
    value = data.get(q.key)
    if value is None and q.key in (data.get(NVT) or []):
        return t("not_applicable", lang)
    if value is None and q.key in (data.get(OPEN) or []):
        return _UNKNOWN[lang]
    return display_value(q, value, profile, lang)


def display_value(q: Question, value: Any, profile: Profile, lang: str = "nl") -> str:
    """The answer as a person reads it; empty answers say so."""
    if value is None or value == [] or value == "":
        return _UNKNOWN[lang] if q.unknown_ok and q.type != "repeat" else _EMPTY[lang]
    if q.type == "yesno" and value == understanding.PARTLY:
        return understanding.phrase("partly", lang)
    if q.type == "yesno":
        return _YES_NO[lang][0 if value else 1]
    if q.type == "date":
        return show_date(value, lang)
    if q.type == "period":
        return f"{show_date(value['van'], lang)} – {show_date(value['tot'], lang)}"
    if q.type == "money":
        return show_money(value, lang)
    if q.type == "number":
        return _number(q, value, lang)
    if q.options == "profiles":
        return profile_label(profile, lang) if profile.key == value else str(value)
    if q.type == "choice" and q.labels == "profile" and lang == "nl":
        return profile.niveau_label(Niveau(value))
    if q.type == "choice":
        return option_label(q.option_set(), str(value), lang)
    if q.labels == "middelen":  # a middel's name, or the description an activity got from one
        names = value if isinstance(value, list) else [value]
        return ", ".join(str(middelen.naam(profile, str(v), lang)) for v in names)
    if q.type == "multi":
        return ", ".join(option_label(q.option_set(), str(v), lang) for v in value)
    if q.type == "repeat":
        return "\n".join(f"  {i}. {_item(q, it, profile, lang)}" for i, it in enumerate(value, 1))
    if q.labels and q.labels != "profile":
        return option_label(q.labels, str(value), lang)
    return str(value)


def with_remark(q: Question, shown: str, data: dict[str, Any]) -> str:
    """'ja (NS, ProRail, omwonenden)': a yes/no read from what was typed, with what that was."""
    remark = (data.get("opmerkingen") or {}).get(q.key)
    return f"{shown} ({remark})" if remark and q.type == "yesno" else shown


def _number(q: Question, value: Any, lang: str) -> str:
    """'ca. 20 uur', '10 – 20 uur', 'elke 4 weken', '12'."""
    loc = _LOCALE.get(lang, "nl_NL")
    if q.answer == "frequency" and isinstance(value, int | float):
        return understanding.every(int(value), lang)
    if not isinstance(value, dict):
        return str(value)
    shown = format_decimal(value["waarde"], locale=loc)
    if value.get("max") is not None:
        shown += " – " + format_decimal(value["max"], locale=loc)
    if value.get("schatting"):
        shown = understanding.phrase("estimate", lang, value=shown)
    if q.answer == "hours":
        shown = understanding.phrase("hours", lang, value=shown)
    return shown


def _item(q: Question, item: dict[str, Any], profile: Profile, lang: str) -> str:
    """'bijeenkomst · datum: 29 april 2027 · plaats: De Prins · uren: ca. 16 uur'."""
    parts = []
    for i, f in enumerate(q.item):
        v = item.get(f.key)
        if v is None and f.unknown_ok and f.key in item and f.key not in item.get("nvt", []):
            # asked and not known yet: said, as the plan's list of what is still open says it
            parts.append(f"{field_label(f.key, lang)}: {_UNKNOWN[lang]}")
            continue
        if v in (None, "", []):
            continue
        shown = display_value(f, v, profile, lang)
        parts.append(shown if i == 0 else f"{field_label(f.key, lang)}: {shown}")
    return " · ".join(parts)


def field_label(key: str, lang: str) -> str:
    """A field of a list item in a word or two: 'datum', 'soort activiteit'."""
    labels = messages("engine")["field_labels"].get(key) or {}
    return labels.get(lang) or labels.get("nl") or key.replace("_", " ")


def option_label(option_set: str, value: str, lang: str) -> str:
    """An option as the chat shows it: in Dutch the value itself (the word the documents use),
    in another language its text from option_labels in templates/messages/engine.yaml."""
    if lang == "nl":
        return value
    labels = messages("engine")["option_labels"].get(option_set, {}).get(value) or {}
    return labels.get(lang) or value


def option_value(option_set: str, text: str, lang: str) -> str:
    """What a person typed, as the value of the option whose label it is ('young people' ->
    'jongeren'), so typing a button's label keeps what pressing it keeps; other text as typed."""
    if lang == "nl":
        return text
    typed = text.strip().casefold().rstrip(".")
    for value, labels in messages("engine")["option_labels"].get(option_set, {}).items():
        if (labels.get(lang) or "").casefold() == typed:
            return value
    return text


def profile_label(profile: Profile, lang: str) -> str:
    """A gemeente to choose: its name; the neutral profile ('Andere gemeente') in the
    person's language."""
    labels = messages("engine")["option_labels"]["profiles"].get(profile.key) or {}
    return labels.get(lang) or profile.naam


def item_label(item: dict[str, Any], lang: str = "nl", profile: Profile | None = None) -> str:
    """An item of a list in a line: 'Gemeenteraad (beslisser)', 'bijeenkomst: Inloopavond – 12
    maart 2026'. In English the names the bot itself gives (a suggested group, the beslisser,
    a middel of `profile`) read in English."""
    if "naam" in item:
        naam = option_label("belanghebbenden", str(item["naam"]), lang)  # 'Gemeenteraad'
        rol = item.get("rol")
        return f"{naam} ({option_label('Rol', rol, lang)})" if rol else naam
    if "type" not in item and "omschrijving" not in item and item:
        return str(next(iter(item.values())))  # items of other lists, e.g. inbreng
    # 'bijeenkomst: Inloopavond'; 'Meedenkgroep met mandaat' names its kind once
    soort = option_label("ActiviteitType", str(item.get("type", "")), lang)
    omschrijving = item.get("omschrijving")
    if profile is not None:
        omschrijving = middelen.naam(profile, omschrijving, lang)
    parts = [soort_en_naam(soort, omschrijving)]
    when = item.get("datum") or (item.get("periode") or {}).get("van")
    if when:
        try:
            parts.append(show_date(str(when), lang))
        except ValueError:
            parts.append(str(when))
    return " – ".join(parts)


def short(value: str, limit: int = 200) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def with_soort(item: dict[str, Any], lang: str, profile: Profile | None = None) -> dict[str, Any]:
    """The item with `soort` for prompts: its kind, or for 'anders' what it is ('Waar is de
    plantdag?', not 'Waar is de anders?'; a middel of `profile` in English in English). A
    group the bot itself suggested reads in the person's language ('young people'); a name
    typed stays as typed."""
    if "naam" in item and lang != "nl":
        item = {**item, "naam": option_label("belanghebbenden", str(item["naam"]), lang)}
    if "type" not in item:
        return item
    soort = option_label("ActiviteitType", str(item["type"]), lang)
    omschrijving = item.get("omschrijving")
    # a middel taken over is asked about by its own name: 'Op welke datum is de klankbordgroep?'
    # (not by its kind, 'de meedenkgroep', after 'Klankbordgroep' was chosen)
    named = profile is not None and middelen.is_naam(profile, omschrijving)
    if named and str(omschrijving).split()[0].endswith(("en", "s")):
        named = False  # 'Ontwerpsessies': 'Op welke datum is de ontwerpsessies?' is no Dutch
    if item["type"] == "anders" or named:
        if profile is not None:
            omschrijving = middelen.naam(profile, omschrijving, lang)
        soort = (omschrijving or "").strip() or t("other_activity", lang)
        soort = soort[:1].lower() + soort[1:] if soort[1:2].islower() else soort
        if item["type"] == "anders" and omschrijving and _long_or_plural(soort):
            # 'Hoeveel uur kost de activiteit ‘keukentafelgesprekken’?', not 'kost de
            # keukentafelgesprekken met de 6 adressen die het dichtst bij veld 2 wonen?';
            # 'Waar is de buurtbarbecue?' for 'buurtbarbecue op het plein, met de kinderen'
            head = _head(soort)
            short = not _long_or_plural(head) and len(head.split()) == 1
            soort = head if short else f"{t('other_activity', lang)} ‘{head}’"
        het = lang == "nl" and _HET.search(_head(soort))
        if item["type"] == "anders" and omschrijving and het and "‘" not in soort:
            # 'het buurtfeest': 'Waar is de buurtfeest?' is no Dutch
            soort = f"{t('other_activity', lang)} ‘{soort}’"
    return {**item, "soort": soort}


# the endings of the names of activities that take 'het' (a diminutive too: 'het uitje')
_HET = re.compile(
    r"(?:feest|diner|ontbijt|overleg|gesprek|spreekuur|atelier|festival|concert|evenement|spel"
    r"|project|toernooi|café|cafe|congres|debat|forum|symposium|panel|onderzoek|bezoek|je)$"
)


# where the name of an activity ends and what follows says more about it
_NAME_ENDS = re.compile(r",|;|\(| (?:met|voor|bij|in|op|over|van|door|with|for|at|in|on|about) ")


def _long_or_plural(name: str) -> bool:
    words = name.split()
    return len(words) > 5 or len(name) > 40 or (len(words) == 1 and name.endswith(("en", "s")))


def _head(name: str) -> str:
    """'keukentafelgesprekken met de 6 adressen' -> 'keukentafelgesprekken'."""
    head = _NAME_ENDS.split(name, maxsplit=1)[0].strip() or name
    words = head.split()
    return " ".join(words[:4]) + ("…" if len(words) > 4 else "")


def skip_label(lang: str) -> str:
    return "overslaan" if lang == "nl" else "skip"
