"""Build the shipped Word templates (participatieplan, planomschrijving) with python-docx."""

from __future__ import annotations

import argparse
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
# fixed so that rebuilding an unchanged template gives the same bytes (quiet git diffs)
FIXED_TIME = datetime(2026, 1, 1)
LANGUAGE = "nl-NL"
FONT = "Arial"


def new_document(title: str) -> DocxDocument:
    """An empty A4 document in Dutch, with the given core title (may hold Jinja tags)."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))

    # the language lives in the document defaults so every style, and any style a
    # gemeente adds later, is spell-checked and read aloud as Dutch
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGE)
    lang.set(qn("w:eastAsia"), LANGUAGE)
    # Arial (Liberation Sans where LibreOffice renders) reads better on screen than the
    # template's serif fallback; a gemeente sets its own house font in these styles
    for name in ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Caption"):
        style = doc.styles[name]
        style.font.name = FONT
        rpr_style = style.element.get_or_add_rPr()
        fonts = rpr_style.find(qn("w:rFonts"))
        for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            if fonts is not None and fonts.get(qn(attr)) is not None:
                del fonts.attrib[qn(attr)]
    # python-docx's default settings claim spelling was already checked
    proof = doc.settings.element.find(qn("w:proofState"))
    if proof is not None:
        doc.settings.element.remove(proof)

    props = doc.core_properties
    props.title = title
    props.language = LANGUAGE
    props.author = "participatiebot"
    props.last_modified_by = "participatiebot"
    props.comments = ""
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    return doc


def para(doc: DocxDocument, text: str, style: str | None = None) -> None:
    """One paragraph with all its text in a single run, so docxtpl sees each tag whole."""
    doc.add_paragraph(text, style=style)


def page_break(doc: DocxDocument) -> None:
    doc.add_page_break()


def _fixed(tbl, widths_mm: list[float]) -> None:
    """Columns of a fixed width, so Word and LibreOffice wrap between words, not inside them."""
    tbl.autofit = False  # python-docx writes <w:tblLayout w:type="fixed"/>
    tbl_pr = tbl._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(int(Mm(sum(widths_mm)).twips)))
    # room between the text and the cell borders
    margins = OxmlElement("w:tblCellMar")
    for side, mm in (("top", 0.6), ("left", 1.8), ("bottom", 0.6), ("right", 1.8)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(int(Mm(mm).twips)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    # Word insists on the schema's order: the margins come before <w:tblLook>
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tbl_pr.append(margins)
    for row in tbl.rows:
        # a row stays whole on one page
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for column, mm in zip(tbl.columns, widths_mm, strict=True):
        column.width = Mm(mm)
    for row in tbl.rows:
        for cell, mm in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(mm)


def _header(tbl, caption: str) -> None:
    # screen readers announce the header row, Word and LibreOffice repeat it on every page and
    # a tagged PDF marks its cells as table headers
    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    # a caption (alt text) tells a screen reader what the table is about
    tbl_caption = OxmlElement("w:tblCaption")
    tbl_caption.set(qn("w:val"), caption)
    tbl._tbl.tblPr.append(tbl_caption)


def table(
    doc: DocxDocument,
    caption: str,
    headers: list[str],
    loop: str,
    cells: list[str],
    totals: list[str] | None = None,
    widths: list[float] | None = None,
) -> None:
    """A table with a repeating header row, a row per item of `loop`, an optional totals row."""
    rows = [headers, [f"{{%tr for {loop} %}}"] + [""] * (len(headers) - 1), cells]
    rows.append(["{%tr endfor %}"] + [""] * (len(headers) - 1))
    if totals:
        rows.append(totals)
    tbl = doc.add_table(rows=len(rows), cols=len(headers))
    tbl.style = "Table Grid"
    for r, values in enumerate(rows):
        bold = r == 0 or (totals is not None and r == len(rows) - 1)
        for c, value in enumerate(values):
            run = tbl.rows[r].cells[c].paragraphs[0].add_run(value)
            run.bold = bold or None
    _fixed(tbl, widths or [160 / len(headers)] * len(headers))
    _header(tbl, caption)
    para(doc, "")


def facts(
    doc: DocxDocument,
    caption: str,
    rows: list[tuple[str, str, str | None]],
    widths: tuple[float, float] = (50, 110),
) -> None:
    """Key facts as a two-column table under a caption row: (label, value, condition).

    A row with a condition only shows when the condition holds ('{%tr if %}'), so an open
    answer leaves no empty line.
    """
    grid: list[tuple[str, str, bool]] = []
    for label, value, condition in rows:
        if condition:
            grid.append((f"{{%tr if {condition} %}}", "", False))
        grid.append((label, value, True))
        if condition:
            grid.append(("{%tr endif %}", "", False))
    tbl = doc.add_table(rows=len(grid) + 1, cols=2)
    tbl.style = "Table Grid"
    head = tbl.rows[0].cells[0].merge(tbl.rows[0].cells[1])
    head.paragraphs[0].add_run(caption).bold = True
    shade = OxmlElement("w:shd")
    shade.set(qn("w:val"), "clear")
    shade.set(qn("w:fill"), "DCE6F0")
    head._tc.get_or_add_tcPr().append(shade)
    for r, (label, value, is_row) in enumerate(grid, 1):
        cells = tbl.rows[r].cells
        cells[0].paragraphs[0].add_run(label).bold = is_row or None
        cells[1].paragraphs[0].add_run(value)
    # a short table of facts stays on one page: every row keeps with the next
    for row in tbl.rows[:-1]:
        for cell in row.cells:
            cell.paragraphs[0].paragraph_format.keep_with_next = True
    _fixed(tbl, list(widths))
    _header(tbl, caption)
    para(doc, "")


def bullets(doc: DocxDocument, loop: str, item: str, empty: str | None = None) -> None:
    """A bulleted list of `loop`; `empty` is said when the list is empty, else nothing."""
    name = loop.split(" in ", 1)[1]
    para(doc, f"{{%p if {name} %}}")
    para(doc, f"{{%p for {loop} %}}")
    para(doc, item, "List Bullet")
    para(doc, "{%p endfor %}")
    if empty:
        para(doc, "{%p else %}")
        para(doc, empty)
    para(doc, "{%p endif %}")


def when(doc: DocxDocument, condition: str, text: str, style: str | None = None) -> None:
    """A paragraph that is only there when the condition holds."""
    para(doc, f"{{%p if {condition} %}}")
    para(doc, text, style)
    para(doc, "{%p endif %}")


def front_page(doc: DocxDocument, kind: str, rows: list[tuple[str, str, str | None]]) -> None:
    """Title, the opgave's name and the document's key facts; the text starts on page 2."""
    para(doc, kind, "Title")
    when(doc, "titel", "{{ titel }}", "Subtitle")
    facts(doc, "Over dit document", rows)
    page_break(doc)


def header_block(doc: DocxDocument, kind: str) -> None:
    para(doc, kind + "{% if titel %}: {{ titel }}{% endif %}", "Title")
    para(doc, "{{ gemeente }}", "Subtitle")


def open_points(doc: DocxDocument, name: str = "open_punten") -> None:
    """'Nog te bepalen': the open answers, once, at the end."""
    para(doc, f"{{%p if {name} %}}")
    doc.add_heading("{{ nog_te_bepalen }}", 1)
    para(doc, "{{ open_intro }}")
    para(doc, f"{{%p for o in {name} %}}")
    para(doc, "{{ o }}", "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")


INITIATIEFNEMER = (
    "{{ initiatiefnemer }}{% if initiatiefnemer_type %} ({{ initiatiefnemer_type }}){% endif %}"
)
# the front page of a document that is published: no personal details of the owner
OPENBARE_VOORPAGINA = [
    ("Gemeente", "{{ gemeente }}", None),
    ("Datum", "{{ stand.datum }}", None),
    ("Initiatiefnemer", INITIATIEFNEMER, "initiatiefnemer"),
]
VOORPAGINA = [
    ("Gemeente", "{{ gemeente }}", None),
    ("Versie", "{{ stand.versie }}", "stand.versie"),
    ("Datum", "{{ stand.datum }}", None),
    ("Status", "{{ stand.status }}", "stand.status"),
    ("Initiatiefnemer", INITIATIEFNEMER, "initiatiefnemer"),
    ("Opgesteld door", "{{ eigenaar }}", "eigenaar"),
    ("Contact over dit plan", "{{ contact }}", "contact"),
    ("Contactpersoon bij de gemeente", "{{ accounthouder }}", "accounthouder"),
]


def _chapter(doc: DocxDocument, key: str, first: bool = False) -> None:
    para(doc, f"{{%p {'if' if first else 'elif'} h.key == '{key}' %}}")


def participatieplan() -> DocxDocument:
    doc = new_document("Participatieplan{% if titel %}: {{ titel }}{% endif %}")
    front_page(doc, "Participatieplan", VOORPAGINA)

    doc.add_heading("In het kort", 1)
    bullets(doc, "k in kort", "{{ k }}")

    # the chapters in the gemeente's order (profile `hoofdstukken`), numbered as they come
    para(doc, "{%p for h in hoofdstukken %}")
    doc.add_heading("{{ h.nr }}. {{ h.titel }}", 1)

    _chapter(doc, "opgave", first=True)
    when(doc, "opgave", "{{ opgave }}")
    facts(
        doc,
        "De opgave",
        [
            ("Initiatiefnemer", INITIATIEFNEMER, "initiatiefnemer"),
            ("Wie beslist", "{{ beslisser_tekst }}", "beslisser_tekst"),
            ("Besluit verwacht", "{{ besluitdatum }}", "besluitdatum"),
            ("Gebied", "{{ gebied }}", "gebied"),
            ("Schaal", "{{ schaal }}", "schaal"),
            ("Beleidsveld", "{{ beleidsveld }}", "beleidsveld"),
        ],
    )
    when(doc, "complex_uitleg", "{{ complex_uitleg }}")

    _chapter(doc, "kaders")
    facts(
        doc,
        "Wat al vastligt",
        [
            ("Inhoud", "{{ kader_inhoudelijk }}", "kader_inhoudelijk"),
            ("Geld", "{{ kader_financieel }}", "kader_financieel"),
            ("Proces", "{{ kader_proces }}", "kader_proces"),
        ],
    )
    para(doc, "{%p if kaders_voor_inwoners %}")
    doc.add_heading("Wat dit betekent voor inwoners", 2)
    para(doc, "{{ kaders_voor_inwoners }}")
    para(doc, "{%p endif %}")

    _chapter(doc, "ruimte")
    when(doc, "ruimte", "{{ ruimte }}")
    para(doc, "{%p if complexiteit %}")
    doc.add_heading("Hoe complex is het vraagstuk", 2)
    para(doc, "{{ complexiteit }}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if haalbaarheid %}")
    doc.add_heading("Is participatie haalbaar?", 2)
    bullets(doc, "z in haalbaarheid", "{{ z }}")
    when(doc, "haalbaar_toelichting", "{{ haalbaar_toelichting }}")
    para(doc, "{%p endif %}")

    _chapter(doc, "niveau")
    para(doc, "We kiezen voor {{ niveau }}. {{ niveau_uitleg }}")
    para(doc, "{%p if ladder %}")
    para(doc, "{{ ladder }}")
    para(
        doc,
        "De participatieladder. Het gekozen niveau is donkerblauw en heeft een vinkje.",
        "Caption",
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p if niveau_toelichting %}")
    doc.add_heading("Waarom dit niveau", 2)
    para(doc, "{{ niveau_toelichting }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p for a in activiteiten %}")
    when(
        doc,
        "a.niveau",
        "Activiteit {{ a.nr }} ({{ a.titel }}) heeft een ander niveau: {{ a.niveau }}.",
    )
    para(doc, "{%p endfor %}")

    _chapter(doc, "doel")
    bullets(doc, "d in doelen", "{{ d | capitalize }}: {{ doel_uitleg[d] }}")

    _chapter(doc, "deelnemers")
    para(doc, "{%p if belanghebbenden %}")
    table(
        doc,
        "Belanghebbenden met hun rol en belang",
        ["Wie", "Rol", "Belang"],
        "b in belanghebbenden",
        ["{{ b.naam }}", "{{ b.rol }}", "{{ b.belang }}"],
        widths=[60, 40, 60],
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p if omgeving %}")
    doc.add_heading("Ken je omgeving", 2)
    bullets(doc, "z in omgeving", "{{ z }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if stakeholders %}")
    doc.add_heading("Stakeholderanalyse", 2)
    para(doc, "{%p if stakeholdergrid %}")
    para(doc, "{{ stakeholdergrid }}")
    para(
        doc,
        "Invloed op het besluit tegen belang bij de opgave. Het teken voor de naam is de "
        "positie: + voor, = neutraal, − tegen, ? onbekend.",
        "Caption",
    )
    para(doc, "{%p endif %}")
    table(
        doc,
        "Invloed, belang en positie per partij",
        ["Wie", "Invloed", "Belang", "Positie"],
        "s in stakeholders",
        ["{{ s.naam }}", "{{ s.invloed }}", "{{ s.interesse }}", "{{ s.positie }}"],
        widths=[70, 30, 30, 30],
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p if rolverdeling %}")
    doc.add_heading("Rolverdeling", 2)
    para(doc, "{{ rolverdeling }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if inclusie_jongeren or inclusie_moeilijk_bereikbaar or inclusie_taal %}")
    doc.add_heading("Iedereen kan meedoen", 2)
    facts(
        doc,
        "Jongeren en mensen die niet vanzelf meepraten",
        [
            ("Jongeren", "{{ inclusie_jongeren }}", "inclusie_jongeren"),
            (
                "Mensen die niet vanzelf meepraten",
                "{{ inclusie_moeilijk_bereikbaar }}",
                "inclusie_moeilijk_bereikbaar",
            ),
            ("Taal", "{{ inclusie_taal }}", "inclusie_taal"),
        ],
    )
    para(doc, "{%p endif %}")

    _chapter(doc, "aanpak")
    para(doc, "{%p for a in activiteiten %}")
    doc.add_heading("Activiteit {{ a.nr }}. {{ a.titel }}", 2)
    facts(
        doc,
        "Wanneer, waar en wat het kost",
        [
            ("Wanneer", "{{ a.wanneer }}", "a.wanneer"),
            ("Aankondiging", "{{ a.aankondiging }}", "a.aankondiging"),
            ("Waar", "{{ a.plaats }}", "a.plaats"),
            ("Niveau", "{{ a.niveau }}", "a.niveau"),
            ("Uren", "{{ a.uren }}", "a.uren"),
            ("Kosten", "{{ a.kosten }}", "a.kosten"),
        ],
    )
    para(doc, "{%p endfor %}")
    para(doc, "{%p if middelen %}")
    doc.add_heading("Uren en kosten", 2)
    table(
        doc,
        "Uren en kosten per activiteit, met het totaal",
        ["Activiteit", "Uren", "Kosten"],
        "a in middelen",
        ["{{ a.nr }}. {{ a.titel }}", "{{ a.uren or '' }}", "{{ a.kosten or '' }}"],
        totals=["Totaal", "{{ totaal_uren or '' }}", "{{ totaal_kosten or '' }}"],
        widths=[95, 25, 40],
    )
    when(doc, "schattingen", "{{ schattingen }}")
    para(doc, "{%p endif %}")

    _chapter(doc, "planning")
    para(doc, "{%p if tijdlijn %}")
    para(doc, "{{ tijdlijn }}")
    para(doc, "De tijdlijn van de planning. Alle data staan ook in de tabel hieronder.", "Caption")
    para(doc, "{%p endif %}")
    para(doc, "{%p if mijlpalen %}")
    table(
        doc,
        "Planning: alle data op volgorde",
        ["Datum", "Wat"],
        "m in mijlpalen",
        ["{{ m.datum }}", "{{ m.wat }}"],
        widths=[40, 120],
    )
    para(doc, "{%p endif %}")
    para(doc, "{{ update_ritme }}")

    _chapter(doc, "afweging")
    para(doc, "{{ afwegingskader }}")

    _chapter(doc, "terugkoppeling")
    when(doc, "terugkoppeling", "{{ terugkoppeling }}")
    para(doc, "{{ publicatie }}")
    when(doc, "rapportage_datum", "De participatierapportage is klaar op {{ rapportage_datum }}.")

    _chapter(doc, "evaluatie")
    when(doc, "evaluatie", "{{ evaluatie }}")
    para(doc, "{%p if evaluatie_criteria %}")
    doc.add_heading("Criteria, vooraf vastgesteld", 2)
    para(doc, "{{ evaluatie_criteria }}")
    para(doc, "{%p endif %}")
    when(
        doc,
        "tussentijdse_evaluatie_datum",
        "Halverwege evalueren we tussentijds, op {{ tussentijdse_evaluatie_datum }}.",
    )
    when(doc, "evaluatie_datum", "De evaluatie is op {{ evaluatie_datum }}.")

    _chapter(doc, "privacy")
    para(doc, "{{ avg_tekst }}")

    _chapter(doc, "afspraken")
    when(doc, "vergoeding_tekst", "{{ vergoeding_tekst }}")
    when(doc, "samenwerking_tekst", "{{ samenwerking_tekst }}")
    when(doc, "regie", "{{ regie }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")

    open_points(doc)

    # the advisor's appendix: never in the version for publication
    para(doc, "{%p if not openbaar %}")
    page_break(doc)
    doc.add_heading("Bijlage: toets aan de handreiking", 1)
    para(
        doc,
        "Deze bijlage is voor de adviseur van de gemeente. Ze staat niet in de openbare versie "
        "van het plan. Per punt: wat de handreiking vraagt, wat de toets vond en of het plan "
        "daarvan afwijkt.",
    )
    para(doc, "{%p for t in toets %}")
    facts(
        doc,
        "Punt {{ loop.index }}: {{ t.soort }}",
        [
            ("Wat de handreiking vraagt", "{{ t.regel }}", "t.regel"),
            ("Wat de toets vond", "{{ t.tekst }}", None),
            ("Status", "{{ t.status }}", None),
            ("Reden van de afwijking", "{{ t.afwijking }}", "t.afwijking"),
        ],
    )
    para(doc, "Bron: {{ t.bron }}")
    para(doc, "{%p else %}")
    para(doc, "De toets vond geen punten om naar te kijken.")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    return doc


# Heemstede's six questions of the planomschrijving
QUESTIONS = [
    ("1. Wat houdt de opgave in?", "opgave"),
    (
        "2. Welke maatschappelijke waarde creëert de opgave? "
        "Waarom is het goed voor de buurt, de wijk of de hele gemeente?",
        "maatschappelijke_waarde",
    ),
    ("3. Wat kan wel en wat kan niet: welke regels zijn van toepassing?", "regels"),
    (
        "4. Wie doet er mee, wie zijn er verder nog nodig en wat draagt de initiatiefnemer "
        "zelf bij?",
        "wie_doet_mee",
    ),
    ("5. Welke belangen spelen mee? Is er een relatie met andere plannen?", "belangen"),
    ("6. Wat zijn de kosten en baten van de opgave?", "kosten_baten"),
]


def planomschrijving() -> DocxDocument:
    doc = new_document("Planomschrijving{% if titel %}: {{ titel }}{% endif %}")
    front_page(doc, "Planomschrijving", VOORPAGINA)
    para(doc, "{%p if beslisser_tekst %}")
    para(
        doc,
        "{{ beslisser_tekst }} stelt deze planomschrijving vast, samen met het "
        "participatieplan. Dat besluit is het kader voor de participatie.",
    )
    para(doc, "{%p endif %}")
    # every one of the six numbered questions keeps its heading, so the numbers run 1 to 6; an
    # open one says so (a reader met '1, 2, 4' when question 3 was open)
    for question, key in QUESTIONS:
        doc.add_heading(question, 1)
        para(doc, f"{{%p if {key} %}}")
        para(doc, f"{{{{ {key} }}}}")
        para(doc, "{%p else %}")
        para(doc, "Dit staat nog open.")
        para(doc, "{%p endif %}")
    para(doc, "{%p if kader_inhoudelijk or kader_financieel or kader_proces %}")
    doc.add_heading("Wat ligt al vast", 1)
    facts(
        doc,
        "Wat al vastligt",
        [
            ("Inhoud", "{{ kader_inhoudelijk }}", "kader_inhoudelijk"),
            ("Geld", "{{ kader_financieel }}", "kader_financieel"),
            ("Proces", "{{ kader_proces }}", "kader_proces"),
        ],
    )
    when(
        doc,
        "kaders_voor_inwoners",
        "Wat dit betekent voor inwoners: {{ getypt.kaders_voor_inwoners }}",
    )
    para(doc, "{%p endif %}")
    open_points(doc, "open_planomschrijving")
    return doc


def save(doc: DocxDocument, path: Path) -> None:
    """Save with fixed zip timestamps, so an unchanged template keeps the same bytes."""
    doc.save(path)
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in entries:
            dst.writestr(
                zipfile.ZipInfo(name, FIXED_TIME.timetuple()[:6]), data, zipfile.ZIP_DEFLATED
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="folder for the .docx files")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, build in (
        ("participatieplan", participatieplan),
        ("planomschrijving", planomschrijving),
    ):
        save(build(), out / f"{name}.docx")
        print(out / f"{name}.docx")


if __name__ == "__main__":
    main()
