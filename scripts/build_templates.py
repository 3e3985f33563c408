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


def table(
    doc: DocxDocument,
    caption: str,
    headers: list[str],
    loop: str,
    cells: list[str],
    totals: list[str] | None = None,
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

    # screen readers announce the header row, and Word repeats it on every page
    tr_pr = tbl.rows[0]._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    # a caption (alt text) tells a screen reader what the table is about
    tbl_caption = OxmlElement("w:tblCaption")
    tbl_caption.set(qn("w:val"), caption)
    tbl._tbl.tblPr.append(tbl_caption)


def bullets(doc: DocxDocument, loop: str, item: str, empty: str = "{{ leeg }}") -> None:
    """A bulleted list of `loop`, or the text `empty` when the list is empty."""
    name = loop.split(" in ", 1)[1]
    para(doc, f"{{%p if {name} %}}")
    para(doc, f"{{%p for {loop} %}}")
    para(doc, item, "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, empty)
    para(doc, "{%p endif %}")


def header_block(doc: DocxDocument, kind: str) -> None:
    para(doc, kind + "{% if titel %}: {{ titel }}{% endif %}", "Title")
    para(doc, "{{ gemeente }}", "Subtitle")


def kaders(doc: DocxDocument, level: int) -> None:
    doc.add_heading("Inhoudelijke kaders", level)
    para(doc, "{{ kader_inhoudelijk or leeg }}")
    doc.add_heading("Financiële kaders", level)
    para(doc, "{{ kader_financieel or leeg }}")
    doc.add_heading("Kaders voor het proces", level)
    para(doc, "{{ kader_proces or leeg }}")
    doc.add_heading("Wat deze kaders betekenen voor inwoners", level)
    para(doc, "{{ kaders_voor_inwoners or leeg }}")


def participatieplan() -> DocxDocument:
    doc = new_document("Participatieplan{% if titel %}: {{ titel }}{% endif %}")
    header_block(doc, "Participatieplan")

    doc.add_heading("1. De opgave in het kort en wie beslist", 1)
    para(doc, "{{ opgave or leeg }}")
    para(
        doc,
        "Initiatiefnemer: {{ initiatiefnemer or leeg }}"
        "{% if initiatiefnemer_type %} ({{ initiatiefnemer_type }}){% endif %}",
    )
    para(doc, "Wie beslist: {{ beslisser or leeg }}")
    para(doc, "Grote wijziging in de leefomgeving: {{ grote_wijziging or leeg }}")
    para(doc, "Veel actoren betrokken: {{ veel_actoren or leeg }}")
    para(doc, "Veel verschillende belangen: {{ veel_belangen or leeg }}")
    para(doc, "Complexe opgave: {{ complex or leeg }}")
    para(
        doc,
        "Accounthouder bij de gemeente: {{ accounthouder or leeg }}"
        "{% if accounthouder_email %} ({{ accounthouder_email }}){% endif %}",
    )
    para(doc, "{%p if eigenaar_email %}")
    para(doc, "Contact over dit plan: {{ eigenaar_email }}")
    para(doc, "{%p endif %}")

    doc.add_heading("2. Wat ligt al vast", 1)
    kaders(doc, 2)

    doc.add_heading("3. Ruimte voor participatie en niveau", 1)
    doc.add_heading("Ruimte voor participatie", 2)
    para(doc, "{{ ruimte or leeg }}")
    doc.add_heading("Hoe complex is het vraagstuk", 2)
    para(doc, "{{ complexiteit or leeg }}")
    doc.add_heading("Niveau van participatie", 2)
    para(doc, "Gekozen niveau: {{ niveau or leeg }}")
    para(doc, "{%p if niveau_toelichting %}")
    para(doc, "Waarom dit niveau: {{ niveau_toelichting }}")
    para(doc, "{%p endif %}")

    doc.add_heading("4. Doel van de participatie", 1)
    bullets(doc, "d in doelen", "{{ d }}")

    doc.add_heading("5. Belanghebbenden", 1)
    para(doc, "{%p if belanghebbenden %}")
    table(
        doc,
        "Belanghebbenden met hun rol en belang",
        ["Wie", "Rol", "Belang"],
        "b in belanghebbenden",
        ["{{ b.naam }}", "{{ b.rol }}", "{{ b.belang }}"],
    )
    para(doc, "{%p else %}")
    para(doc, "{{ leeg }}")
    para(doc, "{%p endif %}")
    doc.add_heading("Jongeren en moeilijk bereikbare groepen", 2)
    para(doc, "Jongeren: {{ inclusie_jongeren or leeg }}")
    para(doc, "Moeilijk bereikbare groepen: {{ inclusie_moeilijk_bereikbaar or leeg }}")
    para(doc, "Taal en toegankelijkheid: {{ inclusie_taal or leeg }}")

    doc.add_heading("6. Aanpak en middelen", 1)
    para(doc, "{%p if activiteiten %}")
    table(
        doc,
        "Activiteiten met datum, aankondiging, plaats, uren en kosten",
        ["Activiteit", "Wanneer", "Aankondiging", "Plaats", "Uren", "Kosten"],
        "a in activiteiten",
        [
            "{{ a.nr }}. {{ a.type }}{% if a.omschrijving %}: {{ a.omschrijving }}{% endif %}"
            "{% if a.niveau %} (niveau: {{ a.niveau }}){% endif %}",
            "{{ a.wanneer }}",
            "{{ a.aankondiging }}",
            "{{ a.plaats }}",
            "{{ a.uren }}",
            "{{ a.kosten }}",
        ],
        totals=["Totaal", "", "", "", "{{ totaal_uren }}", "{{ totaal_kosten }}"],
    )
    para(doc, "{%p if schattingen %}")
    para(doc, "Bedragen en uren met 'ca.' zijn een schatting.")
    para(doc, "{%p endif %}")
    para(doc, "{%p else %}")
    para(doc, "{{ leeg }}")
    para(doc, "{%p endif %}")
    doc.add_heading("Hoe we de inbreng afwegen", 2)
    para(doc, "{{ afwegingskader or leeg }}")

    doc.add_heading("7. Planning", 1)
    para(doc, "Besluit over de opgave: {{ besluitdatum or leeg }}")
    para(doc, "Tussentijdse updates aan de deelnemers: {{ update_ritme }}")
    para(doc, "Participatierapportage klaar: {{ rapportage_datum or leeg }}")
    para(doc, "Evaluatie: {{ evaluatie_datum or leeg }}")
    para(doc, "{%p if online %}")
    doc.add_heading("Online inbreng", 2)
    para(doc, "{%p for o in online %}")
    para(doc, "{{ o }}", "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if mijlpalen %}")
    doc.add_heading("Alle data op een rij", 2)
    table(
        doc,
        "Planning: alle data op volgorde",
        ["Datum", "Wat"],
        "m in mijlpalen",
        ["{{ m.datum }}", "{{ m.wat }}"],
    )
    para(doc, "{%p endif %}")

    doc.add_heading("8. Terugkoppeling", 1)
    para(doc, "{{ terugkoppeling or leeg }}")

    doc.add_heading("9. Evaluatie", 1)
    para(doc, "{{ evaluatie or leeg }}")
    para(doc, "Criteria, vooraf vastgesteld: {{ evaluatie_criteria or leeg }}")

    doc.add_heading("10. Privacy (AVG)", 1)
    para(doc, "{{ avg_tekst or leeg }}")
    para(doc, "Akkoord met deze afspraken over persoonsgegevens: {{ avg_akkoord or leeg }}")

    doc.add_heading("11. Afspraken", 1)
    para(doc, "Vergoeding voor ervaringsdeskundigen: {{ vergoeding or leeg }}")
    para(doc, "{%p if vergoeding_toelichting %}")
    para(doc, "{{ vergoeding_toelichting }}")
    para(doc, "{%p endif %}")
    para(
        doc,
        "Participatie vastgelegd in de samenwerkingsovereenkomst: "
        "{{ samenwerkingsovereenkomst or leeg }}",
    )
    para(doc, "{%p if samenwerkingsovereenkomst_toelichting %}")
    para(doc, "{{ samenwerkingsovereenkomst_toelichting }}")
    para(doc, "{%p endif %}")

    doc.add_heading("12. Bevindingen", 1)
    para(doc, "{%p if bevindingen %}")
    para(doc, "{%p for f in bevindingen %}")
    para(doc, "{{ f.soort }}: {{ f.tekst }} (bron: {{ f.bron }})", "List Bullet")
    para(doc, "{%p if f.afwijking %}")
    para(doc, "Afwijking: {{ f.afwijking }}", "List Continue")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "Geen bevindingen.")
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
    header_block(doc, "Planomschrijving")
    para(
        doc,
        "Initiatiefnemer: {{ initiatiefnemer or leeg }}"
        "{% if initiatiefnemer_type %} ({{ initiatiefnemer_type }}){% endif %}",
    )
    para(doc, "Wie beslist: {{ beslisser or leeg }}")
    for question, key in QUESTIONS:
        doc.add_heading(question, 1)
        para(doc, f"{{{{ {key} or leeg }}}}")
    doc.add_heading("Wat ligt al vast", 1)
    kaders(doc, 2)
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
