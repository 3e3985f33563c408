"""Build the shipped closing templates (rapportage, evaluatie, participatieparagraaf)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from docx.document import Document as DocxDocument

# the helpers of the plan templates: one way to build every shipped template
sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_templates import (  # noqa: E402
    OPENBARE_VOORPAGINA,
    TEMPLATES,
    bullets,
    facts,
    front_page,
    new_document,
    para,
    save,
    table,
    when,
)


def participatierapportage() -> DocxDocument:
    doc = new_document("Participatierapportage{% if titel %}: {{ titel }}{% endif %}")
    front_page(
        doc,
        "Participatierapportage",
        [
            *OPENBARE_VOORPAGINA,
            ("Participatieplan vastgesteld", "{{ vastgesteld_op }}", "vastgesteld_op"),
        ],
    )
    para(
        doc,
        "Deze rapportage laat zien hoe de participatie is verlopen en wat er met de inbreng is "
        "gedaan. We vergelijken het verloop met {{ stukken }} zoals college of raad dat "
        "vaststelde{% if vastgesteld_op %} op {{ vastgesteld_op }}{% endif %}.",
    )

    doc.add_heading("1. De opgave", 1)
    when(doc, "opgave", "{{ opgave }}")
    facts(
        doc,
        "De opgave",
        [
            ("Wie beslist", "{{ beslisser_tekst }}", "beslisser_tekst"),
            ("Niveau in het plan", "{{ niveau_vastgesteld }}", "niveau_vastgesteld"),
            ("Niveau in de uitvoering", "{{ niveau_uitgevoerd }}", "niveau_uitgevoerd"),
        ],
    )

    doc.add_heading("2. Het verloop", 1)
    para(doc, "{%p if verloop %}")
    table(
        doc,
        "Activiteiten: gepland en gedaan, met het aantal deelnemers",
        ["Activiteit", "Gepland", "Gedaan", "Deelnemers"],
        "r in verloop",
        ["{{ r.naam }}", "{{ r.gepland }}", "{{ r.gedaan }}", "{{ r.deelnemers }}"],
        totals=["Totaal", "", "", "{{ deelnames }}"],
        widths=[55, 38, 38, 29],
    )
    para(doc, "{%p else %}")
    para(doc, "Er stonden geen activiteiten in het plan.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if bereikt or niet_bereikt %}")
    doc.add_heading("Wie deden mee", 2)
    when(doc, "bereikt", "Mee deden: {{ bereikt }}.")
    when(doc, "niet_bereikt", "Niet bereikt: {{ niet_bereikt }}.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if tijdlijn %}")
    doc.add_heading("Tijdlijn", 2)
    para(doc, "{{ tijdlijn }}")
    para(doc, "De tijdlijn van de planning. Alle data staan ook in de tabel hierboven.", "Caption")
    para(doc, "{%p endif %}")

    doc.add_heading("3. Afwijkingen van het vastgestelde plan", 1)
    para(doc, "{%p if afwijkingen %}")
    para(doc, "{%p for a in afwijkingen %}")
    para(doc, "{{ a.tekst }}", "List Bullet")
    when(doc, "a.reden", "Waarom: {{ a.reden }}", "List Continue")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "Het traject liep zoals {{ stukken }} beschreef.")
    para(doc, "{%p endif %}")

    doc.add_heading("4. De inbreng en wat we ermee doen", 1)
    para(doc, "{{ inbreng_samenvatting }}")
    para(doc, "{%p if themas %}")
    table(
        doc,
        "Thema's van de inbreng: aantal reacties en wat we ermee doen",
        ["Thema", "Reacties", "Wat we ermee doen"],
        "t in themas",
        ["{{ t.naam }}", "{{ t.aantal }}", "{{ t.verwerking }}"],
        widths=[60, 25, 75],
    )
    para(doc, "{%p for t in themas %}")
    doc.add_heading("{{ t.naam }}", 2)
    para(doc, "Wat we ermee doen: {{ t.verwerking }}.")
    when(doc, "t.reden", "Waarom: {{ t.reden }}")
    para(doc, "{%p if t.reacties %}")
    doc.add_paragraph("Reacties:").paragraph_format.keep_with_next = True
    para(doc, "{%p for r in t.reacties %}")
    para(doc, "{{ r }}", "List Bullet")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if afweging %}")
    doc.add_heading("5. Hoe de inbreng is gewogen", 1)
    para(doc, "{{ afweging }}")
    para(doc, "{%p endif %}")

    doc.add_heading("6. Het besluit", 1)
    para(doc, "{%p if besluit %}")
    para(doc, "Op {{ besluit.datum }} besloot {{ besluit.orgaan }}: {{ besluit.uitkomst }}")
    para(doc, "{%p if besluit.link %}")
    para(doc, "Meer informatie: {{ besluit.link }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p else %}")
    para(
        doc,
        "Er is nog geen besluit."
        "{% if besluitdatum %} Het besluit staat gepland op {{ besluitdatum }}.{% endif %}",
    )
    para(doc, "{%p endif %}")

    doc.add_heading("7. Delen en publiceren", 1)
    para(doc, "{{ publicatie }}")
    when(doc, "terugkoppeling", "Afgesproken terugkoppeling: {{ getypt.terugkoppeling }}")

    # Leiden: the project group's evaluation is part of the public decision-making
    para(doc, "{%p if pg_punten %}")
    doc.add_heading("8. Evaluatie door de projectgroep", 1)
    projectgroep(doc)
    para(doc, "{%p endif %}")
    return doc


def evaluatie() -> DocxDocument:
    doc = new_document("Evaluatie{% if titel %}: {{ titel }}{% endif %}")
    front_page(doc, "Evaluatie", OPENBARE_VOORPAGINA)
    para(doc, "{{ respondenten }}")

    doc.add_heading("1. Scores van de deelnemers", 1)
    para(doc, "{%p if scores %}")
    para(doc, "{{ schaal_uitleg }}")
    table(
        doc,
        "Scores per vraag: aantal antwoorden, gemiddelde en hoe vaak elke score gegeven is",
        ["Vraag", "Antwoorden", "Gemiddeld", "1", "2", "3", "4", "5"],
        "s in scores",
        [
            "{{ s.vraag }}",
            "{{ s.aantal }}",
            "{{ s.gemiddelde }}",
            "{{ s.verdeling[1] }}",
            "{{ s.verdeling[2] }}",
            "{{ s.verdeling[3] }}",
            "{{ s.verdeling[4] }}",
            "{{ s.verdeling[5] }}",
        ],
        widths=[56, 28, 31, 9, 9, 9, 9, 9],
    )
    para(doc, "{{ grafiek }}")
    para(doc, "De gemiddelde score per vraag. De cijfers staan ook in de tabel.", "Caption")
    para(doc, "{%p else %}")
    para(doc, "{{ geen_scores }}")
    para(doc, "{%p endif %}")

    doc.add_heading("2. Open antwoorden", 1)
    # nobody filled in the form yet: one plain sentence, no empty questions
    para(doc, "{%p if open_vragen %}")
    para(doc, "Namen, adressen, e-mailadressen en telefoonnummers zijn weggelaten.")
    para(doc, "{%p for o in open_vragen %}")
    doc.add_heading("{{ o.vraag }}", 2)
    bullets(doc, "t in o.antwoorden", "{{ t }}", "Niemand beantwoordde deze vraag.")
    para(doc, "{%p endfor %}")
    para(doc, "{%p else %}")
    para(doc, "{{ geen_open_antwoorden }}")
    para(doc, "{%p endif %}")

    para(doc, "{%p if evaluatie_criteria or evaluatie %}")
    doc.add_heading("3. Wat we vooraf afspraken", 1)
    when(doc, "evaluatie_criteria", "Criteria: {{ getypt.evaluatie_criteria }}")
    when(doc, "evaluatie", "Zo zouden we evalueren: {{ getypt.evaluatie }}")
    para(doc, "{%p endif %}")

    # without the agreements of part 3 this part is 3: no gap in the numbering
    doc.add_heading(
        "{% if evaluatie_criteria or evaluatie %}4{% else %}3{% endif %}. "
        "Evaluatie door de projectgroep",
        1,
    )
    para(doc, "{%p if handreiking %}")
    para(doc, "De projectgroep evalueert het traject aan de hand van {{ handreiking }}.")
    para(doc, "{%p endif %}")
    para(doc, "{%p if pg_punten %}")
    projectgroep(doc)
    para(doc, "{%p else %}")
    para(doc, "{{ projectgroep or 'De projectgroep heeft haar evaluatie nog niet vastgelegd.' }}")
    para(doc, "{%p endif %}")
    return doc


def projectgroep(doc: DocxDocument) -> None:
    """The project group's verdict per point of the handreiking, and what it learned."""
    para(doc, "{{ pg_samenvatting }}")
    table(
        doc,
        "Per punt van de handreiking: gedaan, deels of niet gedaan, met een opmerking",
        ["Punt van de handreiking", "Oordeel", "Opmerking"],
        "p in pg_punten",
        ["{{ p.tekst }}", "{{ p.oordeel }}", "{{ p.opmerking }}"],
        widths=[90, 25, 45],
    )
    para(doc, "{%p if pg_goed %}")
    doc.add_heading("Wat ging goed", 2)
    para(doc, "{{ pg_goed }}")
    para(doc, "{%p endif %}")
    para(doc, "{%p if pg_beter %}")
    doc.add_heading("Wat we de volgende keer anders doen", 2)
    para(doc, "{{ pg_beter }}")
    para(doc, "{%p endif %}")


def participatieparagraaf() -> DocxDocument:
    doc = new_document("Participatieparagraaf{% if titel %}: {{ titel }}{% endif %}")
    para(doc, "Participatieparagraaf", "Title")
    when(doc, "titel", "{{ titel }}", "Subtitle")
    para(doc, "{%p for a in paragraaf %}")
    doc.add_heading("{{ a.kop }}", 1)
    para(doc, "{{ a.tekst }}")
    para(doc, "{%p endfor %}")
    return doc


def participatieverslag_aanvraag() -> DocxDocument:
    doc = new_document("Participatieverslag{% if titel %}: {{ titel }}{% endif %}")
    front_page(
        doc,
        "Participatieverslag bij de aanvraag omgevingsvergunning",
        [*OPENBARE_VOORPAGINA, ("Stand", "{{ verslag.stand }}", None)],
    )
    para(doc, "{{ verslag.inleiding }}")
    para(doc, "{%p for a in verslag.delen %}")
    doc.add_heading("{{ loop.index }}. {{ a.kop }}", 1)
    para(doc, "{{ a.tekst }}")
    para(doc, "{%p if a.activiteiten %}")
    table(
        doc,
        "De activiteiten: wanneer en met hoeveel deelnemers",
        ["Activiteit", "Wanneer", "Deelnemers"],
        "r in a.activiteiten",
        ["{{ r.naam }}", "{{ r.wanneer }}", "{{ r.deelnemers }}"],
        widths=[75, 55, 30],
    )
    para(doc, "{%p endif %}")
    para(doc, "{%p endfor %}")
    return doc


BUILDERS = {
    "participatierapportage": participatierapportage,
    "evaluatie": evaluatie,
    "participatieparagraaf": participatieparagraaf,
    "participatieverslag-aanvraag": participatieverslag_aanvraag,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="folder for the .docx files")
    out = parser.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        save(build(), out / f"{name}.docx")
        print(out / f"{name}.docx")


if __name__ == "__main__":
    main()
