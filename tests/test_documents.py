"""The Word documents as a reader sees them: every answer, Dutch formats, tables, hostile input."""

from __future__ import annotations

import importlib.util
import io
import os
import re
import shutil
import subprocess
import zipfile
from datetime import date
from enum import Enum
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from lxml import etree
from PIL import Image

from handreiking.documents import (
    DocumentError,
    build_context,
    document_text,
    render,
    render_documents,
    uren,
)
from handreiking.models import (
    Aantal,
    Activiteit,
    ActiviteitType,
    Bedrag,
    Belanghebbende,
    Beslisser,
    Doel,
    InitiatiefnemerType,
    Niveau,
    Periode,
    Plan,
    Rol,
)
from handreiking.profiles import Profile, profile_for
from handreiking.resources import shipped
from handreiking.rules import Finding, Soort

ROOT = Path(__file__).resolve().parent.parent
NAMES = ["participatieplan", "planomschrijving"]


@pytest.fixture
def profile() -> Profile:
    return Profile(
        key="test",
        naam="Testgemeente",
        niveau_labels={Niveau.raadplegen: "meedenken (raadplegen)"},
        update_ritme_weken=6,
    )


@pytest.fixture
def plan() -> Plan:
    """An invented plan with every field answered."""
    return Plan(
        titel="Herinrichting Lindeplein",
        gemeente="test",
        gemeente_naam="Voorbeeldstad",  # shown only where the gemeente has no profile
        initiatiefnemer_type=InitiatiefnemerType.ondernemer,
        initiatiefnemer="Bouwbedrijf Voorbeeld BV",
        beslisser=Beslisser.raad,
        grote_wijziging=True,
        veel_actoren=False,
        veel_belangen=True,
        accounthouder="Jip Testpersoon",
        accounthouder_email="accounthouder@example.org",
        eigenaar_naam="Robin Voorbeeld",
        eigenaar_rol="projectleider",
        eigenaar_email="eigenaar@example.org",
        kader_inhoudelijk="Het bestemmingsplan staat maximaal drie bouwlagen toe.",
        kader_financieel="Het budget is 40.000 euro.",
        kader_proces="De raad besluit voor de zomer.",
        kaders_voor_inwoners="Hoger bouwen kan niet.\nOver groen en spelen kun je meepraten.",
        opgave="Het plein krijgt een nieuwe inrichting.\nEr komen meer bomen.",
        maatschappelijke_waarde="Een groener plein waar kinderen veilig spelen.",
        regels="Geen parkeerplaatsen erbij; de markt blijft op woensdag.",
        wie_doet_mee="Omwonenden, de school en de marktkooplui.",
        belangen="Parkeren tegen groen; relatie met het wijkplan Oost.",
        kosten_baten="Kosten 40.000 euro; baten: minder hittestress.",
        gebied="Lindekwartier",
        schaal="buurt",
        beleidsveld="openbare ruimte en groen",
        middelen_gekozen=["Workshop"],
        tussentijdse_evaluatie_datum=date(2026, 7, 1),
        omgeving_bezocht=True,
        omgeving_gesproken=True,
        omgeving_netwerk="De wijkvereniging en de basisschool.",
        haalbaar_ruimte=True,
        haalbaar_tijd=True,
        haalbaar_budget=False,
        haalbaar_toelichting="Het budget komt uit het wijkfonds; de aanvraag loopt.",
        ruimte="Inwoners kiezen mee over de indeling van het groen.",
        complexiteit="Middel: tegengestelde belangen rond parkeren.",
        doelen=[Doel.samen_denken, Doel.samen_leren],
        niveau=Niveau.raadplegen,
        niveau_toelichting="De raad wil eerst weten wat de buurt vindt.",
        afwegingskader="We wegen inbreng af op veiligheid, groen en kosten.",
        belanghebbenden=[
            Belanghebbende(
                naam="Omwonenden Lindeplein", rol=Rol.coproducent, belang="Een rustig plein"
            ),
            Belanghebbende(naam="Basisschool Het Anker", rol=Rol.adviseur, belang="Veilig spelen"),
            Belanghebbende(naam="Marktkooplui", rol=Rol.geraadpleegd, belang="Ruimte op de markt"),
        ],
        inclusie_jongeren="Een les op de basisschool en een poll op de sportclub.",
        inclusie_moeilijk_bereikbaar="Langs de deur bij de flats aan de Kastanjelaan.",
        inclusie_taal="Een flyer in eenvoudige taal met plaatjes.",
        besluitdatum=date(2026, 6, 25),
        activiteiten=[
            Activiteit(
                type=ActiviteitType.bijeenkomst,
                omschrijving="Inloopavond in het buurthuis",
                datum=date(2026, 3, 12),
                aankondiging=date(2026, 2, 16),
                plaats="Buurthuis De Linde",
                uren=Aantal(waarde=12),
                kosten=Bedrag(min=1500.5),
            ),
            Activiteit(
                type=ActiviteitType.online,
                omschrijving="Reageren op de schetsen",
                periode=Periode(van=date(2026, 3, 2), tot=date(2026, 3, 23)),
                aankondiging=date(2026, 2, 20),
                plaats="participatieplatform",
                uren=Aantal(waarde=8, schatting=True),
                kosten=Bedrag(min=1000, max=2000, schatting=True),
                niveau=Niveau.adviseren,
            ),
            Activiteit(
                type=ActiviteitType.workshop,
                omschrijving="Ontwerpatelier met omwonenden",
                datum=date(2026, 4, 14),
                aankondiging=date(2026, 3, 20),
                plaats="Basisschool Het Anker",
                uren=Aantal(waarde=6.5),
                kosten=Bedrag(min=750),
                niveau=Niveau.coproduceren,
            ),
        ],
        update_ritme_weken=3,
        rapportage_datum=date(2026, 5, 15),
        evaluatie_datum=date(2026, 9, 1),
        terugkoppeling="Iedereen krijgt de participatierapportage per mail.",
        evaluatie="Een korte vragenlijst aan alle deelnemers.",
        evaluatie_criteria="Minstens 50 reacties; jongeren deden mee.",
        avg_akkoord=True,
        avg_tekst="We bewaren namen alleen tot de evaluatie.",
        vergoeding=True,
        vergoeding_toelichting="Ervaringsdeskundigen krijgen een cadeaubon van 25 euro.",
        samenwerkingsovereenkomst=True,
        samenwerkingsovereenkomst_toelichting="De ontwikkelaar betaalt de inloopavond.",
        afwijkingen={"aankondiging:2": "Het platform was pas laat klaar."},
        # typed beside a yes: 'een beetje, met de marktkooplui' at 'Heb je daar al gepraat?'
        opmerkingen={"omgeving_gesproken": "een beetje, met de marktkooplui"},
        # 'weet ik nog niet' once, answered later: the engine takes a key off when answered
        nog_te_bepalen=["inclusie_taal"],
    )


@pytest.fixture
def findings() -> list[Finding]:
    return [
        Finding(
            code="aankondiging:2",
            soort=Soort.beleidsregel,
            tekst="Kondig een activiteit minstens 3 weken vooraf aan.",
            bron="Testhandreiking, regel 12",
            vraag="activiteiten",
        ),
        Finding(
            code="vakantie:3",
            soort=Soort.tip,
            tekst="Het ontwerpatelier valt vlak na de meivakantie.",
            bron="Testhandreiking, regel 30",
            vraag="activiteiten",
            afwijking="De school kan alleen dan.",
        ),
        Finding(
            code="jongeren",
            soort=Soort.tip,
            tekst="Vraag jongeren ook online om hun mening.",
            bron="Testhandreiking, regel 41",
            vraag="inclusie_jongeren",
        ),
    ]


def _free_texts(value: object) -> list[str]:
    """Every typed-in string of an answer set (not enum values, not dict keys)."""
    if isinstance(value, Enum):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _free_texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _free_texts(v)]
    return []


def _render_all(plan, profile, findings, out: Path, template_dirs=None) -> dict[str, str]:
    paths = render_documents(plan, profile, findings, out, template_dirs)
    return {p.stem: document_text(p) for p in paths}


def test_the_test_plan_answers_every_question(plan):
    empty = [name for name in Plan.model_fields if getattr(plan, name) in (None, "", [], {})]
    assert empty == [], "fill these in the plan fixture so the documents test them too"


def test_documents_hold_every_answer(plan, profile, findings, tmp_path):
    texts = _render_all(plan, profile, findings, tmp_path)
    assert sorted(texts) == NAMES
    both = "\n".join(texts.values())
    # the gemeente's key, and its own name, which the documents show only without a profile
    skip = {plan.gemeente, plan.gemeente_naam}
    typed = plan.model_dump(exclude={"nog_te_bepalen"})  # question keys, not typed text
    missing = [t for t in _free_texts(typed) if t not in both and t not in skip]
    assert missing == []

    text = texts["participatieplan"]
    rows = text.splitlines()
    assert rows[:2] == ["Participatieplan", "Herinrichting Lindeplein"]
    assert "Gemeente\tTestgemeente" in rows
    front = rows[: rows.index("In het kort")]
    assert not [r for r in front if r.startswith("Status\t")]  # not known to the renderer
    assert "Initiatiefnemer\tBouwbedrijf Voorbeeld BV (ondernemer of ontwikkelaar)" in rows
    assert "Opgesteld door\tRobin Voorbeeld (projectleider)" in rows
    assert "Contact over dit plan\teigenaar@example.org" in rows
    assert "Wie beslist\tDe gemeenteraad" in rows
    assert (
        "Dit is een complexe opgave: de leefomgeving van inwoners verandert flink en er spelen "
        "veel verschillende belangen."
    ) in text
    assert "We kiezen voor meedenken (raadplegen). We vragen je mening." in text
    assert "Samen denken: " in text and "Samen leren: " in text
    assert "Omwonenden Lindeplein\tco-producent\tEen rustig plein" in rows
    assert "Marktkooplui\twordt geraadpleegd\tRuimte op de markt" in rows
    assert "Niveau\tadviseren" in rows and "Niveau\tcoproduceren" in rows
    # the plan's own level is not repeated for every activity
    assert "Niveau\tmeedenken (raadplegen)" not in rows
    assert "We houden de deelnemers elke 3 weken op de hoogte" in text
    assert "We bewaren namen alleen tot de evaluatie." in rows
    assert (
        "Ervaringsdeskundigen krijgen een vergoeding voor hun tijd. Ervaringsdeskundigen " in text
    )
    # no bare form lines and no raw yes/no answers
    assert not [r for r in rows if r.endswith((": ja", ": nee", "\tja", "\tnee"))]

    omschrijving = texts["planomschrijving"]
    assert omschrijving.startswith("Planomschrijving\nHerinrichting Lindeplein\n")
    assert "1. Wat houdt de opgave in?" in omschrijving
    assert "6. Wat zijn de kosten en baten van de opgave?" in omschrijving
    assert "Een groener plein waar kinderen veilig spelen." in omschrijving
    assert "Het bestemmingsplan staat maximaal drie bouwlagen toe." in omschrijving


def test_dates_amounts_and_totals_are_dutch(plan, profile, findings, tmp_path):
    out = render("participatieplan", plan, profile, findings, tmp_path / "p.docx")
    text = document_text(out)
    rows = text.splitlines()
    assert "Besluit verwacht\t25 juni 2026" in rows
    assert "De participatierapportage is klaar op 15 mei 2026." in rows
    assert "De evaluatie is op 1 september 2026." in rows
    # one block of facts per activity
    block = rows[rows.index("Activiteit 1. Bijeenkomst: Inloopavond in het buurthuis") :]
    assert block[1:8] == [
        "Wanneer, waar en wat het kost",
        "Wanneer\t12 maart 2026",
        "Aankondiging\t16 februari 2026",
        "Waar\tBuurthuis De Linde",
        "Uren\t12",
        "Kosten\t€\xa01.500,50",
        "",
    ]
    assert "Wanneer\t2 maart 2026 tot en met 23 maart 2026 (22 dagen open)" in rows
    assert "2. Online inbreng: Reageren op de schetsen\tca. 8\tca. €\xa01.000 – €\xa02.000" in rows
    assert "3. Workshop: Ontwerpatelier met omwonenden\t6,5\t€\xa0750" in rows
    assert "Totaal\tca. 26,5\tca. €\xa03.250,50 – €\xa04.250,50" in rows
    assert "Uren en bedragen met 'ca.' zijn een schatting." in rows


def test_a_total_says_which_amounts_it_leaves_out(plan, profile, findings, tmp_path):
    # 'nog te bepalen' at the costs of one activity: the total must not look complete
    eerste = plan.activiteiten[0].model_copy(update={"kosten": None})
    activiteiten = [eerste, *plan.activiteiten[1:]]
    open_plan = plan.model_copy(update={"activiteiten": activiteiten})
    out = render("participatieplan", open_plan, profile, findings, tmp_path / "p.docx")
    rows = document_text(out).splitlines()
    assert "Totaal\tca. 26,5\tca. €\xa01.750 – €\xa02.750, en 1 activiteit nog onbekend" in rows


def test_costs_said_not_to_apply_are_not_open(plan, profile, findings, tmp_path):
    # 'niet nodig' at the costs of one activity: printed as 'nog onbekend', counted as left
    # out of the total, and listed under 'Nog te bepalen'
    eerste = plan.activiteiten[0].model_copy(update={"kosten": None, "nvt": ["kosten"]})
    activiteiten = [eerste, *plan.activiteiten[1:]]
    open_plan = plan.model_copy(update={"activiteiten": activiteiten})
    out = render("participatieplan", open_plan, profile, findings, tmp_path / "p.docx")
    rows = document_text(out).splitlines()
    assert "Totaal\tca. 26,5\tca. €\xa01.750 – €\xa02.750" in rows
    assert rows[rows.index("Uren en kosten") + 2].endswith("\tn.v.t."), rows
    assert not [r for r in rows if r.startswith("Wat activiteit 1")]  # no open point
    # as 'weet ik nog niet' is
    eerste = eerste.model_copy(update={"nvt": []})
    open_plan = plan.model_copy(update={"activiteiten": [eerste, *plan.activiteiten[1:]]})
    out = render("participatieplan", open_plan, profile, findings, tmp_path / "p.docx")
    assert [r for r in document_text(out).splitlines() if r.startswith("Wat activiteit 1")]


def test_hours_not_known_yet_say_so_in_the_table_of_hours_and_costs(
    plan, profile, findings, tmp_path
):
    # 'weet ik nog niet' at the hours of every activity: the hours column was left empty, as
    # if it had been forgotten
    activiteiten = [a.model_copy(update={"uren": None}) for a in plan.activiteiten]
    open_plan = plan.model_copy(update={"activiteiten": activiteiten})
    out = render("participatieplan", open_plan, profile, findings, tmp_path / "p.docx")
    rows = document_text(out).splitlines()
    totaal = next(r for r in rows if r.startswith("Totaal\t"))
    assert totaal.split("\t")[1] == "nog onbekend", totaal
    costed = [r for r in rows if re.match(r"\d\. .*\t.*\t.*€", r)]
    assert costed and all(r.split("\t")[1] == "nog onbekend" for r in costed), rows


def test_ikzelf_as_contact_person_is_the_writer_on_the_front_page(
    plan, profile, findings, tmp_path
):
    # the owner is the gemeente's contact person too and typed 'ikzelf'
    zelf = plan.model_copy(update={"accounthouder": "ikzelf", "eigenaar_naam": "Noor Voorbeeld"})
    out = render("participatieplan", zelf, profile, findings, tmp_path / "p.docx")
    text = document_text(out)
    assert "ikzelf" not in text
    assert f"Noor Voorbeeld ({plan.accounthouder_email})" in text


def test_milestones_are_in_date_order(plan, profile, findings, tmp_path):
    out = render("participatieplan", plan, profile, findings, tmp_path / "p.docx")
    table = [t for t in docx.Document(str(out)).tables if t.rows[0].cells[0].text == "Datum"][0]
    rows = [(r.cells[0].text, r.cells[1].text) for r in table.rows[1:]]
    months = {
        m: i
        for i, m in enumerate(
            [
                "januari",
                "februari",
                "maart",
                "april",
                "mei",
                "juni",
                "juli",
                "augustus",
                "september",
                "oktober",
                "november",
                "december",
            ],
            1,
        )
    }
    dates = []
    for day, _ in rows:
        d, m, y = day.split()
        dates.append(date(int(y), months[m], int(d)))
    assert dates == sorted(dates)
    wat = dict(rows)
    assert (
        wat["16 februari 2026"]
        == "Aankondiging van activiteit 1 (bijeenkomst: Inloopavond in het buurthuis)"
    )
    assert wat["15 mei 2026"] == "Participatierapportage klaar"
    assert wat["25 juni 2026"].startswith("Besluit door de raad")
    assert wat["1 september 2026"] == "Evaluatie van het traject"
    # the owner's reminders to send an update are no step of the traject
    assert not any("update" in w.lower() or "Stuur" in w for w in wat.values())


def test_findings_are_in_the_advisors_appendix_only(plan, profile, findings, tmp_path):
    out = render("participatieplan", plan, profile, findings, tmp_path / "p.docx")
    text, appendix = document_text(out).split("Bijlage: toets aan de handreiking", 1)
    assert "Kondig een activiteit minstens 3 weken vooraf aan." not in text
    rows = appendix.splitlines()
    first = rows.index("Punt 1: Beleidsregel van Testgemeente")
    assert rows[first : first + 5] == [
        "Punt 1: Beleidsregel van Testgemeente",
        "Wat de toets vond\tKondig een activiteit minstens 3 weken vooraf aan.",
        "Status\tHet plan wijkt af, met een reden",
        "Reden van de afwijking\tHet platform was pas laat klaar.",
        "",
    ]
    assert "Bron: Testhandreiking, regel 12" in rows
    assert "Reden van de afwijking\tDe school kan alleen dan." in rows
    assert "Punt 3: Tip" in rows and "Status\tOpen" in rows
    assert appendix.count("Reden van de afwijking") == 2

    public = render("participatieplan", plan, profile, findings, tmp_path / "p-openbaar.docx")
    public_text = document_text(public)
    assert "Bijlage" not in public_text and "toets" not in public_text.lower()
    for f in findings:
        assert f.tekst not in public_text and f.bron not in public_text
    for personal in ("Robin Voorbeeld", "eigenaar@example.org", "Jip Testpersoon", "@"):
        assert personal not in public_text


def test_structure_is_accessible_and_dutch(plan, profile, findings, tmp_path):
    for path in render_documents(plan, profile, findings, tmp_path):
        document = docx.Document(str(path))
        styles = [p.style.name for p in document.paragraphs if p.text]
        assert styles[:2] == ["Title", "Subtitle"]
        assert "Heading 1" in styles
        lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        assert lang.get(qn("w:val")) == "nl-NL"
        assert document.core_properties.language == "nl-NL"
        assert document.core_properties.title.endswith(": Herinrichting Lindeplein")
        for table in document.tables:
            tr_pr = table.rows[0]._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None
            # fixed column widths that add up to the text width: no word is squeezed apart
            layout = table._tbl.tblPr.find(qn("w:tblLayout"))
            assert layout is not None and layout.get(qn("w:type")) == "fixed"
            widths = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
            assert abs(sum(widths) - 9071) < 10 and min(widths) >= 1400

    document = docx.Document(str(tmp_path / "participatieplan.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    numbered = [h for h in headings if h[0].isdigit()]
    assert [h.split(".")[0] for h in numbered] == [str(n) for n in range(1, 14)]
    assert headings[0] == "In het kort" and headings[-1] == "Bijlage: toets aan de handreiking"
    assert "Heading 2" in [p.style.name for p in document.paragraphs]
    descr = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    assert len(descr) == 2 and descr[0].startswith("De participatieladder met vijf treden")
    assert "Gekozen: meedenken (raadplegen), adviseren en coproduceren." in descr[0]
    assert descr[1].startswith("Tijdlijn van de planning")
    # each picture shows what its alt text says: the ladder is small, the timeline page-wide
    blobs = [
        document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        for shape in document.inline_shapes
    ]
    sizes = [Image.open(io.BytesIO(blob)).size for blob in blobs]
    assert sizes[0] == (840, 480) and sizes[1][0] == 1200


def test_chapters_follow_the_gemeentes_order(plan, tmp_path):
    from handreiking.profiles import load_profile

    heemstede = render("participatieplan", plan, load_profile("heemstede"), [], tmp_path / "h.docx")
    headings = [
        p.text for p in docx.Document(str(heemstede)).paragraphs if p.style.name == "Heading 1"
    ]
    assert headings[1:5] == [
        "1. De opgave en wie beslist",
        "2. Ruimte bepalen",
        "3. Kaders die vooraf vastliggen",
        "4. Doel bepalen",
    ]
    assert "6. Deelnemers en rollen bepalen" in headings
    leiden = render("participatieplan", plan, load_profile("leiden"), [], tmp_path / "l.docx")
    headings = [
        p.text for p in docx.Document(str(leiden)).paragraphs if p.style.name == "Heading 1"
    ]
    assert "4. Niveau op de participatieladder" in headings
    assert "10. Terugkoppeling en transparantie" in headings


def test_a_gemeente_without_a_profile_is_named_by_its_own_name(plan, tmp_path):
    data = plan.model_dump(mode="json") | {"gemeente": "standaard"}
    texts = _render_all(Plan.model_validate(data), profile_for(data), [], tmp_path)
    assert "Voorbeeldstad" in texts["participatieplan"]
    assert "Andere gemeente" not in texts["participatieplan"]


def test_an_empty_plan_leaves_no_junk(profile, tmp_path):
    texts = _render_all(Plan(), profile, [], tmp_path)
    for text in texts.values():
        assert text.count("Nog te bepalen") == 1
        for junk in ("None", "{{", "{%", "}}", "%}", "nog niet ingevuld", "–"):
            assert junk not in text
        assert [line for line in text.splitlines() if line.rstrip().endswith(":")] == []
    plan_text = texts["participatieplan"]
    assert plan_text.startswith("Participatieplan\nOver dit document\nGemeente\tTestgemeente\n")
    assert "De toets vond geen punten om naar te kijken." in plan_text
    body = plan_text.split("Nog te bepalen")[0]
    assert "Wie beslist" not in body and "Waarom dit niveau" not in body
    assert "Totaal" not in plan_text  # no activities, so no table
    assert "Wat de opgave inhoudt" in plan_text.split("Nog te bepalen")[1]


HOSTILE = "Tom & Jerry <script>alert('x')</script> \"quotes\" {{ titel }} {% if x %} {%p endif %}"


def test_hostile_answers_come_out_literally(profile, tmp_path):
    big = ("Honderd kilobyte aan tekst & <tekens>. " * 2700)[:100_000]
    control = "voor\x00na\x07bel\x0bvt\x1fus\x0cff tab\there"
    plan = Plan(
        titel=HOSTILE,
        beslisser=Beslisser.raad,
        grote_wijziging=True,
        opgave=f"regel één\nregel twee 🎉🌳 {{_{{ docxtpl }}_}} {{_% tag %_}}\n{control}",
        belangen=big,
        belanghebbenden=[Belanghebbende(naam="<Buurt & co>", belang="{%tr endfor %}")],
        activiteiten=[Activiteit(type=ActiviteitType.anders, omschrijving="{{ a.nr }} & <b>")],
    )
    stored = plan.model_dump()
    texts = _render_all(plan, profile, [], tmp_path)

    for name in NAMES:
        with zipfile.ZipFile(tmp_path / f"{name}.docx") as z:
            etree.fromstring(z.read("word/document.xml"))  # strict: no recovering parser
            etree.fromstring(z.read("docProps/core.xml"))
    both = "\n".join(texts.values())
    assert f"Participatieplan\n{HOSTILE}\n" in both
    assert "Regel één\nregel twee 🎉🌳 {_{ docxtpl }_} {_% tag %_}" in both  # begins a paragraph
    assert "voor\ufffdna\ufffdbel\ufffdvt\ufffdus\ufffdff tab\there" in both
    assert big in texts["planomschrijving"]
    assert "<Buurt & co>\t\t{%tr endfor %}" in texts["participatieplan"]
    assert "Activiteit 1. Anders: {{ a.nr }} & <b>" in texts["participatieplan"]
    assert docx.Document(str(tmp_path / "participatieplan.docx")).core_properties.title == (
        f"Participatieplan: {HOSTILE}"
    )
    # only the document is cleaned; the stored answer keeps what was typed
    assert plan.model_dump() == stored and control in plan.opgave


def _template(path: Path, *lines: str) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def test_a_gemeente_template_wins(plan, profile, findings, tmp_path):
    own = tmp_path / "templates" / "test"
    _template(own / "participatieplan.docx", "Eigen sjabloon van {{ gemeente }}: {{ titel }}")
    texts = _render_all(plan, profile, findings, tmp_path / "out", [own])
    assert texts["participatieplan"] == "Eigen sjabloon van Testgemeente: Herinrichting Lindeplein"
    assert "1. Wat houdt de opgave in?" in texts["planomschrijving"]  # the shipped one


def test_only_documents_with_a_template_are_rendered(plan, findings, tmp_path):
    profile = Profile(key="test", naam="Test", documenten=["planomschrijving", "bestaat-niet"])
    paths = render_documents(plan, profile, findings, tmp_path / "nieuw")
    assert paths == [tmp_path / "nieuw" / "planomschrijving.docx"]
    with pytest.raises(DocumentError, match="Er is geen sjabloon bestaat-niet.docx"):
        render("bestaat-niet", plan, profile, findings, tmp_path / "x.docx")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Titel", "{% if titel %}zonder einde"], "heeft een fout op regel"),
        (["{{ titel }", "meer"], "heeft een fout op regel"),
        (["Hallo {{ tittel }}"], "de naam 'tittel' bestaat niet"),
    ],
)
def test_a_broken_template_gives_a_clear_error(plan, profile, tmp_path, lines, expected):
    own = tmp_path / "eigen"
    _template(own / "participatieplan.docx", *lines)
    out = tmp_path / "out" / "participatieplan.docx"
    with pytest.raises(DocumentError) as caught:
        render("participatieplan", plan, profile, [], out, [own])
    message = str(caught.value)
    assert message.startswith(f"Het sjabloon {own / 'participatieplan.docx'} heeft een fout")
    assert expected in message and "\n" not in message
    assert not out.exists()


def test_a_file_that_is_not_a_docx_gives_a_clear_error(plan, profile, tmp_path):
    (tmp_path / "participatieplan.docx").write_text("geen Word-bestand")
    with pytest.raises(DocumentError, match="is geen geldig Word-bestand"):
        render("participatieplan", plan, profile, [], tmp_path / "o.docx", [tmp_path])


def test_context_and_templates_agree(plan, profile, findings):
    context = build_context(plan, profile, findings)
    assert set(Plan.model_fields) - {"afwijkingen"} <= set(context)
    for name in NAMES:
        used = DocxTemplate(
            shipped("templates") / f"{name}.docx"
        ).get_undeclared_template_variables()
        assert used - set(context) == set()


def test_shipped_templates_match_the_build_script(tmp_path):
    spec = importlib.util.spec_from_file_location("build", ROOT / "scripts" / "build_templates.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in NAMES:
        build.save(getattr(build, name)(), tmp_path / f"{name}.docx")
        fresh = (tmp_path / f"{name}.docx").read_bytes()
        assert fresh == (ROOT / "templates" / f"{name}.docx").read_bytes(), (
            "run .venv/bin/python scripts/build_templates.py"
        )


def test_libreoffice_converts_every_document_to_pdf(plan, profile, findings, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the documents")
        pytest.skip("LibreOffice (soffice) is not installed: cannot check PDF conversion")
    docs = render_documents(plan, profile, findings, tmp_path / "docs")
    hostile = Plan(titel=HOSTILE, opgave="tekst\x00met\x07stuur 🎉\n" * 50)
    docs += render_documents(hostile, profile, [], tmp_path / "hostile")
    pdf_dir = tmp_path / "pdf"
    for doc in docs:
        # a fresh profile per run: a shared one locks when two runs overlap
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(pdf_dir / doc.parent.name),
                str(doc),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        pdf = pdf_dir / doc.parent.name / f"{doc.stem}.pdf"
        assert pdf.is_file(), f"LibreOffice made no PDF of {doc}"
        assert pdf.read_bytes().startswith(b"%PDF")


def test_a_simple_opgave_gets_no_planomschrijving(profile, tmp_path):
    plan = Plan(titel="Bankje in het park", beslisser=Beslisser.ambtenaren, opgave="Een bankje.")
    paths = render_documents(plan, profile, [], tmp_path)
    assert [p.name for p in paths] == ["participatieplan.docx"]
    assert "Een bankje." in document_text(paths[0])


def test_the_front_page_shows_version_status_and_vaststelling(plan, profile, tmp_path):
    from handreiking.models import Stand

    stand = Stand(
        datum=date(2026, 2, 10),
        versie=2,
        status="vastgesteld",
        vastgesteld_op=date(2026, 2, 5),
        besluit="2026-123",
    )
    out = render("participatieplan", plan, profile, [], tmp_path / "p.docx", stand=stand)
    rows = document_text(out).splitlines()
    assert rows[rows.index("Over dit document") + 1 : rows.index("Over dit document") + 5] == [
        "Gemeente\tTestgemeente",
        "Versie\t2",
        "Datum\t10 februari 2026",
        "Status\tVastgesteld op 5 februari 2026 (besluit 2026-123)",
    ]
    concept = render(
        "participatieplan",
        plan,
        profile,
        [],
        tmp_path / "c.docx",
        stand=Stand(datum=date(2026, 1, 12)),
    )
    assert "Status\tConcept" in document_text(concept).splitlines()


@pytest.mark.parametrize("key", ["leiden", "heemstede", "heerlen", "leidschendam-voorburg"])
def test_in_het_kort_is_five_to_eight_short_lines(key):
    from handreiking.profiles import load_profile
    from tests.document_plans import PLANS

    kort = build_context(PLANS[key], load_profile(key), [])["kort"]
    assert 5 <= len(kort) <= 8
    assert all(len(line) <= 260 and line.endswith((".", ")")) for line in kort), kort


def test_hours_given_as_a_range_print_as_one() -> None:
    assert uren(Aantal(waarde=10, max=20, schatting=True)) == "ca. 10 – 20"
    assert uren(Aantal(waarde=16)) == "16"


def test_in_het_kort_names_an_other_activity_by_its_description() -> None:
    from handreiking.models import Activiteit, ActiviteitType
    from handreiking.profiles import load_profile
    from tests.document_plans import PLANS

    plan = PLANS["heerlen"].model_copy(
        update={
            "activiteiten": [
                Activiteit(type=ActiviteitType.anders, omschrijving="Plantdag met de buurt"),
                Activiteit(type=ActiviteitType.workshop),
            ]
        }
    )
    kort = build_context(plan, load_profile("heerlen"), [])["kort"]
    line = next(line for line in kort if line.startswith("Zo doe je mee"))
    assert line == "Zo doe je mee: een plantdag met de buurt en een workshop."
    # more than one: 'een keukentafelgesprekken met de buren' read wrong
    gesprekken = Activiteit(type=ActiviteitType.anders, omschrijving="keukentafelgesprekken")
    plan = plan.model_copy(update={"activiteiten": [gesprekken], "initiatiefnemer": "vv Oost"})
    kort = build_context(plan, load_profile("heerlen"), [])["kort"]
    assert "Zo doe je mee: keukentafelgesprekken." in kort
    # an abbreviation typed small begins a line in capitals: 'Vv Oost neemt het initiatief'
    assert [line for line in kort if line.startswith("VV Oost neemt het initiatief")], kort


def test_the_six_questions_keep_their_numbers_when_one_is_still_open(plan, profile, tmp_path):
    plan = plan.model_copy(update={"regels": None})
    text = document_text(render("planomschrijving", plan, profile, [], tmp_path / "o.docx"))
    rows = text.splitlines()
    numbers = [r.split(".", 1)[0] for r in rows if re.match(r"[1-6]\. ", r)]
    assert numbers == ["1", "2", "3", "4", "5", "6"]  # was 1, 2, 4, 5, 6
    three = rows.index("3. Wat kan wel en wat kan niet: welke regels zijn van toepassing?")
    assert rows[three + 1] == "Dit staat nog open."


def test_an_activity_whose_name_starts_with_its_kind_is_named_once(plan, profile, tmp_path):
    mandaat = Activiteit(
        type=ActiviteitType.meedenkgroep,
        omschrijving="Meedenkgroep met mandaat",
        datum=date(2026, 4, 1),
    )
    plan = plan.model_copy(update={"activiteiten": [mandaat, *plan.activiteiten]})
    text = document_text(render("participatieplan", plan, profile, [], tmp_path / "m.docx"))
    assert "Activiteit 1. Meedenkgroep met mandaat\n" in text
    assert "Meedenkgroep: Meedenkgroep met mandaat" not in text
    assert "Activiteit 2. Bijeenkomst: Inloopavond in het buurthuis" in text  # a name of its own


def test_a_remark_after_a_sentence_of_ours_is_a_sentence_of_its_own(plan, profile, tmp_path):
    plan = plan.model_copy(update={"vergoeding": True, "vergoeding_toelichting": "een bos bloemen"})
    text = document_text(render("participatieplan", plan, profile, [], tmp_path / "v.docx"))
    assert "krijgen een vergoeding voor hun tijd. Een bos bloemen." in text


def test_in_het_kort_says_what_the_kaders_mean_not_that_the_meaning_is_fixed(
    plan, profile, tmp_path
):
    plan = plan.model_copy(update={"kaders_voor_inwoners": "We kiezen samen de plekken."})
    text = document_text(render("participatieplan", plan, profile, [], tmp_path / "k.docx"))
    # 'Dit ligt al vast: we kiezen samen de plekken' said the opposite of the answer
    assert "Wat al vastligt, betekent voor jou: We kiezen samen de plekken." in text


def test_in_het_kort_a_place_with_a_remark_in_brackets_gets_no_brackets_in_brackets() -> None:
    from handreiking.models import Activiteit, ActiviteitType
    from handreiking.profiles import load_profile
    from tests.document_plans import PLANS

    # 'buurthuis de Brink (als het vrij is)' came out as '(buurthuis de Brink (als het vrij is))'
    brink = "buurthuis de Brink (als het vrij is)"
    plan = PLANS["heerlen"].model_copy(
        update={
            "activiteiten": [
                Activiteit(type=ActiviteitType.bijeenkomst, datum="2026-06-15", plaats=brink),
                Activiteit(type=ActiviteitType.workshop, plaats="de school"),
            ]
        }
    )
    kort = build_context(plan, load_profile("heerlen"), [])["kort"]
    line = next(line for line in kort if line.startswith("Zo doe je mee"))
    assert line == (
        "Zo doe je mee: een bijeenkomst op 15 juni 2026 – buurthuis de Brink (als het vrij is)"
        " en een workshop (de school)."
    )


def test_a_sentence_that_starts_with_typed_text_starts_with_a_capital(plan, profile, tmp_path):
    # 'buurtgroep Kerkpad neemt het initiatief' started a line of 'In het kort' in lower case
    data = plan.model_dump(mode="json") | {
        "initiatiefnemer_type": "inwoners",
        "initiatiefnemer": "buurtgroep Kerkpad",
        "opgave": "de speeltuin aan het Kerkpad wordt vernieuwd. Er komt meer groen.",
    }
    text = _render_all(Plan.model_validate(data), profile, [], tmp_path)["participatieplan"]
    kort = text.split("In het kort", 1)[1]
    assert "Buurtgroep Kerkpad neemt het initiatief." in kort
    assert "De speeltuin aan het Kerkpad wordt vernieuwd." in kort
    assert "Buurtgroep Kerkpad is initiatiefnemer en proceseigenaar" in text
    # the name begins a cell of the front page: a capital there too, the stored name unchanged
    assert "Initiatiefnemer\tBuurtgroep Kerkpad" in text


def test_in_het_kort_names_the_activities_in_date_order(plan, profile, tmp_path):
    # typed as: a bijeenkomst on 12 March, an online inbreng from 2 March, a workshop in April
    text = _render_all(plan, profile, [], tmp_path)["participatieplan"]
    meedoen = next(r for r in text.splitlines() if r.startswith("Zo doe je mee: "))
    assert meedoen.index("een online inbreng van 2 maart") < meedoen.index("een bijeenkomst op 12")
    assert meedoen.index("een bijeenkomst op 12") < meedoen.index("een workshop op 14 april")


def test_an_answer_that_begins_a_paragraph_or_a_cell_starts_with_a_capital(plan, profile, tmp_path):
    # typed in lower case, these started '1. De opgave en wie beslist' and 'Wat dit betekent
    # voor inwoners' with a small letter in the published plan
    plan = plan.model_copy(
        update={
            "opgave": "een bewaakte stalling voor ca 1500 fietsen bij het station.",
            "kaders_voor_inwoners": "de plek staat vast, maar de inrichting niet.",
            "kader_financieel": "het budget is 2 miljoen euro.",
            "maatschappelijke_waarde": "minder fietsen op de stoep.",
            "evaluatie": "iPhone-gebruikers krijgen een vragenlijst.",
            "terugkoppeling": "eBike-rijders horen het eerst.",
            "belanghebbenden": [
                Belanghebbende(naam="omwonenden", rol=Rol.geraadpleegd, belang="rust 's nachts"),
                Belanghebbende(naam="knvb district west", rol=Rol.adviseur, belang="st. ..."),
            ],
        }
    )
    texts = _render_all(plan, profile, [], tmp_path)
    rows = texts["participatieplan"].splitlines()
    # a first word without a vowel is an abbreviation typed small; 'st.' is written 'St.'
    assert "KNVB district west\tadviseur\tSt. ..." in rows
    opgave = rows.index("1. De opgave en wie beslist")
    assert rows[opgave + 1] == "Een bewaakte stalling voor ca 1500 fietsen bij het station."
    inwoners = rows.index("Wat dit betekent voor inwoners")
    assert rows[inwoners + 1] == "De plek staat vast, maar de inrichting niet."
    assert "Geld\tHet budget is 2 miljoen euro." in rows
    assert "Omwonenden\twordt geraadpleegd\tRust 's nachts" in rows
    # a word with a capital inside is written so on purpose
    assert "iPhone-gebruikers krijgen een vragenlijst." in rows
    assert "eBike-rijders horen het eerst." in rows
    assert "Contact over dit plan\teigenaar@example.org" in rows

    omschrijving = texts["planomschrijving"].splitlines()
    assert "Minder fietsen op de stoep." in omschrijving
    assert "Een bewaakte stalling voor ca 1500 fietsen bij het station." in omschrijving
    # inside a sentence of the template the answer stays as typed
    assert (
        "Wat dit betekent voor inwoners: de plek staat vast, maar de inrichting niet."
        in omschrijving
    )
