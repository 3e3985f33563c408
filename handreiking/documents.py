"""The plan's Word documents: template context, rendering with docxtpl, reading text back."""

from __future__ import annotations

import html
import os
import re
import traceback
from collections.abc import Callable
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal
from docx import Document
from docx.table import Table
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from markupsafe import Markup, escape

from handreiking.models import Aantal, Activiteit, Bedrag, Plan
from handreiking.planning import milestones
from handreiking.profiles import Profile
from handreiking.resources import shipped
from handreiking.rules import Finding

LEEG = "nog niet ingevuld"
GEEN = "–"  # a table cell with nothing to say
LOCALE = "nl"

# XML 1.0 forbids these; lxml's recovering parser in docxtpl would silently drop text around them
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# the core properties docxtpl renders with the same (escaping) Jinja environment
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")


# written from the closing interview by handreiking.closing_documents, not with the plan
AFRONDING = ("participatierapportage", "evaluatie", "participatieparagraaf")


class DocumentError(Exception):
    """A template could not be read or rendered; the message is plain Dutch for the user."""


# ---------------------------------------------------------------- formatting


def datum(d: date | None) -> str | None:
    """'12 maart 2026'."""
    return format_date(d, format="long", locale=LOCALE) if d else None


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


def _plain(value: Any) -> Any:
    """A Plan value as the template shows it; None or '' stays None so '{{ x or leeg }}' works."""
    if value is None or isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return ja_nee(value)
    if isinstance(value, date):
        return datum(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str):
        return value if value.strip() else None
    return value


# ---------------------------------------------------------------- context


def _label(a: Activiteit) -> str:
    return f"{a.type.value} ({a.omschrijving})" if a.omschrijving else a.type.value


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _activiteit(nr: int, a: Activiteit, plan: Plan, profile: Profile) -> dict[str, Any]:
    if a.periode:
        wanneer = f"{datum(a.periode.van)} tot en met {datum(a.periode.tot)}"
    else:
        wanneer = datum(a.datum) or LEEG
    if a.aankondiging:
        aankondiging = datum(a.aankondiging)
    else:
        aankondiging = LEEG if a.type.needs_notice else GEEN
    return {
        "nr": nr,
        "type": a.type.value,
        "omschrijving": _plain(a.omschrijving),
        "wanneer": wanneer,
        "aankondiging": aankondiging,
        "plaats": a.plaats or ("online" if a.type.has_period else GEEN),
        # only worth a mention where this activity works at another rung than the plan
        "niveau": profile.niveau_label(a.niveau) if a.niveau and a.niveau != plan.niveau else None,
        "uren": uren(a.uren),
        "kosten": bedrag(a.kosten),
    }


def _totaal_uren(plan: Plan) -> str:
    known = [a.uren for a in plan.activiteiten if a.uren]
    if not known:
        return GEEN
    low = sum(u.waarde for u in known)
    high = sum(u.waarde if u.max is None else u.max for u in known)
    return uren(Aantal(waarde=low, max=high, schatting=any(u.schatting for u in known)))


def _totaal_kosten(plan: Plan) -> str:
    known = [a.kosten for a in plan.activiteiten if a.kosten]
    if not known:
        return GEEN
    low = sum(k.min for k in known)
    high = sum(k.min if k.max is None else k.max for k in known)
    return bedrag(Bedrag(min=low, max=high, schatting=any(k.schatting for k in known)))


def _mijlpalen(plan: Plan, profile: Profile) -> list[dict[str, str]]:
    """Every dated step of the plan, earliest first (handreiking.planning decides which)."""
    return [{"datum": datum(m.datum), "wat": m.omschrijving} for m in milestones(plan, profile)]


def _online(plan: Plan) -> list[str]:
    lines = []
    for a in plan.activiteiten:
        if a.periode:
            dagen = (a.periode.tot - a.periode.van).days + 1
            lines.append(
                f"{_cap(_label(a))}: van {datum(a.periode.van)} tot en met "
                f"{datum(a.periode.tot)}, {dagen} dagen open"
            )
    return lines


def build_context(
    plan: Plan, profile: Profile, findings: list[Finding], extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Everything the templates show, as plain dicts and strings in Dutch.

    Every Plan field appears under its own name (None when unanswered; templates write
    '{{ x or leeg }}'); gemeente is the profile's name. Computed values: complex, totaal_uren,
    totaal_kosten, schattingen, update_ritme, mijlpalen, online, bevindingen. `extra` adds
    names for documents beyond the plan (the closing documents) and wins over the rest.
    """
    ctx: dict[str, Any] = {name: _plain(getattr(plan, name)) for name in Plan.model_fields}
    del ctx["afwijkingen"]  # shown with the findings they belong to
    ritme = plan.update_ritme_weken or profile.update_ritme_weken
    ctx.update(
        leeg=LEEG,
        gemeente=profile.naam,
        complex=ja_nee(plan.complex) if plan.beslisser else None,
        niveau=profile.niveau_label(plan.niveau) if plan.niveau else None,
        doelen=[d.value for d in plan.doelen],
        belanghebbenden=[
            {
                "naam": b.naam,
                "rol": b.rol.value if b.rol else GEEN,
                "belang": b.belang or GEEN,
            }
            for b in plan.belanghebbenden
        ],
        activiteiten=[
            _activiteit(nr, a, plan, profile) for nr, a in enumerate(plan.activiteiten, 1)
        ],
        totaal_uren=_totaal_uren(plan),
        totaal_kosten=_totaal_kosten(plan),
        schattingen=any(
            (a.uren and a.uren.schatting) or (a.kosten and (a.kosten.schatting or a.kosten.max))
            for a in plan.activiteiten
        ),
        update_ritme="elke week" if ritme == 1 else f"elke {ritme} weken",
        update_ritme_weken=ritme,
        mijlpalen=_mijlpalen(plan, profile),
        online=_online(plan),
        avg_tekst=plan.avg_tekst or (profile.avg_standaard if plan.avg_akkoord else None),
        bevindingen=[
            {
                "soort": f.soort.value,
                "tekst": f.tekst,
                "bron": f.bron,
                "afwijking": f.afwijking or plan.afwijkingen.get(f.code),
            }
            for f in findings
        ],
    )
    ctx.update(extra or {})
    return ctx


# ---------------------------------------------------------------- rendering


def _finalize(value: Any) -> Any:
    """Make every '{{ value }}' safe XML text: escaped, no forbidden characters, braces kept.

    Newlines stay: docxtpl turns '\\n' in any rendered text into a line break (as Listing does).
    """
    if value is None:
        return ""
    if hasattr(value, "__html__"):  # RichText, Listing, Markup: already XML
        return value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = _NOT_XML.sub("\ufffd", text)
    # docxtpl turns '{_{' and friends into '{{' after rendering; character references survive
    text = str(escape(text)).replace("{", "&#123;").replace("}", "&#125;")
    return Markup(text)


def _environment() -> Environment:
    # StrictUndefined: a misspelt name in a gemeente's template is an error, not an empty spot
    return Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


def find_template(name: str, template_dirs: list[Path] | None = None) -> Path | None:
    """`<name>.docx` from the first of template_dirs that has it, else the shipped one."""
    for folder in [*(template_dirs or []), shipped("templates")]:
        path = Path(folder) / f"{name}.docx"
        if path.is_file():
            return path
    return None


def _template_line(exc: TemplateError) -> int | None:
    lineno = getattr(exc, "lineno", None)
    if lineno is None:
        # errors while rendering carry the line only in Jinja's rewritten traceback
        for frame in reversed(traceback.extract_tb(exc.__traceback__)):
            if frame.filename == "<template>":
                return frame.lineno
    return lineno


def _error(path: Path, exc: TemplateError) -> DocumentError:
    line = _template_line(exc)
    where = f" op regel {line}" if line else ""
    context = [t.strip() for t in getattr(exc, "docx_context", []) if t.strip()]
    near = f" (bij de tekst: {' … '.join(context)[:200]})" if context else ""
    detail = (exc.message or type(exc).__name__).rstrip(".")
    unknown = re.fullmatch(r"'(.+)' is undefined", detail)
    reason = f"de naam '{unknown[1]}' bestaat niet" if unknown else f"Jinja meldt: {detail}"
    return DocumentError(
        f"Het sjabloon {path} heeft een fout{where}{near}: {reason}. "
        "Pas het sjabloon aan in Word en probeer het opnieuw."
    )


def render(
    name: str,
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    out_path: Path,
    template_dirs: list[Path] | None = None,
    extra: dict[str, Any] | Callable[[DocxTemplate], dict[str, Any]] | None = None,
) -> Path:
    """Render the template `name` for this plan into out_path (a gemeente's own copy wins).

    `extra`: more names for the template (see build_context); a function of the template when a
    value needs it, as docxtpl's InlineImage does.
    """
    template = find_template(name, template_dirs)
    if template is None:
        raise DocumentError(f"Er is geen sjabloon {name}.docx.")
    tpl = DocxTemplate(template)
    try:
        tpl.init_docx()
    except Exception as exc:  # any failure to open someone's file means: not a usable .docx
        raise DocumentError(f"Het sjabloon {template} is geen geldig Word-bestand.") from exc
    if callable(extra):
        extra = extra(tpl)
    context = build_context(plan, profile, findings, extra)
    try:
        tpl.render(context, _environment(), autoescape=True)
    except TemplateError as exc:
        raise _error(template, exc) from exc
    # docxtpl renders core properties with the escaping environment, python-docx escapes again
    props = tpl.docx.core_properties
    for prop in _PROPERTIES:
        value = getattr(props, prop)
        if value:
            setattr(props, prop, html.unescape(value))

    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    # write beside the target, then swap: a reader never sees half a document
    tmp = out_path.with_name(f".{out_path.name}.tmp")
    tpl.save(tmp)
    os.replace(tmp, out_path)
    return out_path


def render_documents(
    plan: Plan,
    profile: Profile,
    findings: list[Finding],
    out_dir: Path,
    template_dirs: list[Path] | None = None,
) -> list[Path]:
    """Every document of profile.documenten that has a template, as out_dir/<name>.docx.

    The planomschrijving belongs to a complex opgave only (Heemstede, seed 002 l.206-216); the
    documents of AFRONDING need the afronding and are left out.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        render(name, plan, profile, findings, out_dir / f"{name}.docx", template_dirs)
        for name in profile.documenten
        if find_template(name, template_dirs)
        and name not in AFRONDING
        and (name != "planomschrijving" or plan.complex)
    ]


def document_text(path: Path) -> str:
    """All text of a .docx, paragraphs and table rows (cells tab-separated) in reading order."""
    lines: list[str] = []
    for block in Document(str(path)).iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                cells: list[str] = []
                previous = None
                for cell in row.cells:
                    if cell is not previous:  # a merged cell is listed once per grid column
                        cells.append(cell.text)
                    previous = cell
                lines.append("\t".join(cells))
        else:
            lines.append(block.text)
    return "\n".join(lines)
