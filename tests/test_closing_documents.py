"""The closing documents as a reader sees them: rapportage, evaluatie, participatieparagraaf."""

from __future__ import annotations

import importlib.util
import io
import os
import shutil
import subprocess
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from docxtpl import DocxTemplate
from icalendar import Calendar
from lxml import etree
from PIL import Image

from handreiking.afronding import Afronding, InbrengItem, Thema, Uitvoering, Verwerking
from handreiking.closing_documents import (
    evaluatie_context,
    rapportage_context,
    render_evaluatie,
    render_paragraaf,
    render_rapportage,
    write_planning,
)
from handreiking.documents import build_context, document_text, render_documents
from handreiking.evaluatie import anoniem
from handreiking.models import Plan
from handreiking.paragraaf import alineas
from handreiking.profiles import load_profile
from handreiking.resources import shipped
from handreiking.tijdlijn import alt_tekst
from tests.test_afronding import ANTWOORDEN, afronding, vastgesteld_plan

ROOT = Path(__file__).resolve().parent.parent
NAMES = [
    "participatierapportage",
    "evaluatie",
    "participatieparagraaf",
    "participatieverslag-aanvraag",
]
LEIDEN = load_profile("leiden")
HEEMSTEDE = load_profile("heemstede")
HOSTILE = "Tom & Jerry <script>x</script> {{ titel }} {%p endif %} $x$ {_{ a }_}"


def actueel_plan() -> Plan:
    """The plan as it stands at the end: the besluit moved a week."""
    return vastgesteld_plan().model_copy(update={"besluitdatum": date(2026, 7, 2)})


def _rapportage(tmp_path: Path, done: Afronding | None = None, **kw) -> Path:
    return render_rapportage(
        vastgesteld_plan(),
        actueel_plan(),
        done or afronding(),
        kw.pop("profile", LEIDEN),
        tmp_path / "participatierapportage.docx",
        **kw,
    )


def _descr(path: Path) -> list[str]:
    """The alt text of every picture in the document."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    ns = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}
    return [d.get("descr") for d in root.iterfind(".//wp:docPr", ns)]


def _images(path: Path) -> list[Image.Image]:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("word/media/")]
        out = []
        for name in names:
            image = Image.open(io.BytesIO(z.read(name)))
            image.load()
            out.append(image)
    return out


def _strict(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        etree.fromstring(z.read("word/document.xml"))  # strict: no recovering parser
        etree.fromstring(z.read("docProps/core.xml"))


# ---------------------------------------------------------------- rapportage


def test_rapportage_holds_every_theme_reason_and_deviation(tmp_path):
    text = document_text(_rapportage(tmp_path, vastgesteld_op=date(2026, 2, 5)))
    done = afronding()
    for thema in done.themas:
        assert thema.naam in text and thema.reden in text
    for item in done.inbreng:
        assert item.tekst in text
    for reden in done.redenen.values():
        assert f"Waarom: {reden}" in text
    rows = text.splitlines()
    assert rows[:2] == ["Participatierapportage", "Vergroening Kastanjeplein"]
    assert "Participatieplan vastgesteld\t5 februari 2026" in rows
    assert "het participatieplan zoals college of raad dat vaststelde op 5 februari 2026." in text
    assert "Niveau in het plan\traadplegen" in rows
    assert "Niveau in de uitvoering\tadviseren" in rows
    assert "Activiteit 1 (bijeenkomst: Inloopavond)\t12 maart 2026\t19 maart 2026\t45" in rows
    assert "Activiteit 3 (workshop: Ontwerpatelier)\t14 april 2026\tging niet door\t–" in rows
    assert (
        "Extra activiteit (buurtschouw: Rondje over het plein)\tstond niet in het plan"
        "\t20 april 2026\t12"
    ) in rows
    assert "Totaal\t\t\t187" in rows
    assert "Mee deden: omwonenden kastanjeplein en Basisschool De Eik." in rows
    assert "Niet bereikt: Winkeliers." in rows
    for deviation in (
        "Activiteit 1 (bijeenkomst: Inloopavond) was gepland op 12 maart 2026 "
        "en was op 19 maart 2026.",
        "Activiteit 3 (workshop: Ontwerpatelier) ging niet door.",
        "Niet bereikt: Winkeliers (wordt geraadpleegd).",
        "Het besluit was gepland op 25 juni 2026 en viel op 2 juli 2026.",
    ):
        assert deviation in rows
    # the besluit moved without a reason: nothing is made up
    assert "niet opgegeven" not in text
    assert text.count("Waarom:") == len(done.redenen) + sum(1 for t in done.themas if t.reden)
    assert "Er kwamen 4 reacties binnen via DoeMee en inloopavond, over 4 thema's." in rows
    assert "Groen\t2\tovergenomen" in rows and "Parkeren\t1\tniet overgenomen" in rows
    assert "Spelen\t0\tdeels overgenomen" in rows and "Overig\t1\tnog niet besloten" in rows
    assert "Veiligheid ging voor; daarna groen, daarna kosten." in rows
    assert "Op 2 juli 2026 besloot de raad: De raad stemt in met het ontwerp." in rows
    assert "Meer informatie: https://example.org/raad/besluit-42" in rows


def test_rapportage_shows_the_timeline_with_its_alt_text(tmp_path):
    path = _rapportage(tmp_path)
    assert _descr(path) == [alt_tekst(actueel_plan(), LEIDEN)]
    [image] = _images(path)
    assert image.format == "PNG" and image.width > 600
    assert "De tijdlijn van de planning." in document_text(path)


def test_rapportage_uses_a_timeline_made_before(tmp_path):
    png = tmp_path / "eigen.png"
    Image.new("RGB", (40, 20), "white").save(png)
    [image] = _images(_rapportage(tmp_path, tijdlijn=png))
    assert image.size == (40, 20)


def test_rapportage_before_the_besluit_and_without_dates(tmp_path):
    done = afronding().model_copy(update={"besluit": None})
    text = document_text(_rapportage(tmp_path, done))
    assert "Er is nog geen besluit. Het besluit staat gepland op 2 juli 2026." in text

    empty = render_rapportage(
        Plan(), Plan(), Afronding(), LEIDEN, tmp_path / "leeg" / "participatierapportage.docx"
    )
    text = document_text(empty)
    assert _descr(empty) == []  # no dates, so no timeline
    assert "Er is nog geen besluit." in text
    assert "Er zijn geen losse reacties vastgelegd." in text
    for junk in ("None", "{{", "{%", "}}", "%}"):
        assert junk not in text


def test_rapportage_in_heemstede_words(tmp_path):
    text = document_text(_rapportage(tmp_path, profile=HEEMSTEDE))
    assert "Niveau in het plan\tsamen denken (raadplegen)" in text
    assert "de planomschrijving en het participatieplan zoals college of raad dat" in text


# ---------------------------------------------------------------- evaluatie


def test_evaluatie_holds_the_scores_the_chart_and_anonymous_answers(tmp_path):
    plan = vastgesteld_plan().model_copy(
        update={"evaluatie_criteria": "Minstens 100 reacties; jongeren deden mee."}
    )
    path = render_evaluatie(
        plan,
        ANTWOORDEN,
        LEIDEN,
        tmp_path / "evaluatie.docx",
        projectgroep="Het traject liep goed; de aankondiging kan eerder.",
    )
    text = document_text(path)
    rows = text.splitlines()
    assert rows[:2] == ["Evaluatie", "Vergroening Kastanjeplein"]
    assert "4 deelnemers vulden het evaluatieformulier in. De antwoorden zijn anoniem." in rows
    assert "Kreeg je genoeg informatie om mee te doen?\t2\t3,0\t0\t1\t0\t1\t0" in rows
    assert "Ben je tevreden over hoe het traject ging?\t2\t2,5\t1\t0\t0\t1\t0" in rows
    assert "Meer avonden" in rows
    assert "Bel mij op [weggelaten], groet [weggelaten]" in rows
    assert "Jansen" not in text and "06-12345678" not in text
    assert "Criteria: Minstens 100 reacties; jongeren deden mee." in rows
    assert "Het traject liep goed; de aankondiging kan eerder." in rows
    assert (
        "aan de hand van Handreiking samenwerken in de stad, gemeente Leiden (2023): "
        "https://www.leiden.nl/participatie."
    ) in text
    [descr] = _descr(path)
    assert descr.startswith("Staafgrafiek van de gemiddelde scores van 1 tot en met 5.")
    [image] = _images(path)
    assert image.format == "PNG"


def test_evaluatie_without_answers_says_so_instead_of_an_empty_table(tmp_path):
    path = render_evaluatie(Plan(), [], LEIDEN, tmp_path / "evaluatie.docx")
    text = document_text(path)
    assert "Nog niemand vulde het evaluatieformulier in." in text
    assert "Er zijn nog geen scores: nog niemand vulde het evaluatieformulier in." in text
    assert "Er zijn nog geen antwoorden: nog niemand vulde het evaluatieformulier in." in text
    # no table of zeros, no chart of nothing, no questions nobody could answer yet
    assert docx.Document(str(path)).tables[1:] == []  # only the front page's facts
    assert _images(path) == []
    assert "Kreeg je genoeg informatie om mee te doen?" not in text
    assert "Niemand beantwoordde deze vraag." not in text
    assert "zijn weggelaten" not in text  # nothing was left out of nothing
    # without agreements beforehand the project group's part follows part 2 as 3
    assert "3. Evaluatie door de projectgroep" in text
    assert "De projectgroep heeft haar evaluatie nog niet vastgelegd." in text


# ---------------------------------------------------------------- paragraaf


def test_paragraaf_document_holds_the_paragraaf_text(tmp_path):
    for profile in (LEIDEN, HEEMSTEDE):
        path = render_paragraaf(
            vastgesteld_plan(), afronding(), profile, tmp_path / profile.key / "p.docx"
        )
        text = document_text(path)
        assert text.startswith("Participatieparagraaf\nVergroening Kastanjeplein\n")
        for alinea in alineas(vastgesteld_plan(), afronding(), profile):
            assert f"{alinea.kop}\n{alinea.tekst}" in text
    assert "Vorm van participatie" in text and "samen denken (raadplegen)" in text


# ---------------------------------------------------------------- every document


def _all(tmp_path: Path, plan: Plan, done: Afronding, profile=LEIDEN) -> list[Path]:
    return [
        render_rapportage(plan, plan, done, profile, tmp_path / "participatierapportage.docx"),
        render_evaluatie(
            plan, [{"beter": HOSTILE}], profile, tmp_path / "evaluatie.docx", projectgroep=HOSTILE
        ),
        render_paragraaf(plan, done, profile, tmp_path / "participatieparagraaf.docx"),
    ]


def test_hostile_text_comes_out_literally(tmp_path):
    plan = vastgesteld_plan().model_copy(update={"titel": HOSTILE, "afwegingskader": HOSTILE})
    done = Afronding(
        uitvoering=[Uitvoering(activiteit=1, gehouden=False)],
        inbreng=[InbrengItem(tekst=f"{HOSTILE}\nregel twee", thema=HOSTILE)],
        themas=[Thema(naam=HOSTILE, verwerking=Verwerking.deels, reden=HOSTILE)],
        redenen={"niet_gehouden:1": HOSTILE},
    )
    paths = _all(tmp_path, plan, done)
    for path in paths:
        _strict(path)
        text = document_text(path)
        assert text.splitlines()[1] == HOSTILE
        assert docx.Document(str(path)).core_properties.title.endswith(HOSTILE)
    rapportage, evaluatie, paragraaf = (document_text(p) for p in paths)
    assert f"Waarom: {HOSTILE}" in rapportage
    assert f"{HOSTILE}\nregel twee" in rapportage
    assert f"{HOSTILE}\t1\tdeels overgenomen" in rapportage
    assert f"Wat we ermee doen: deels overgenomen.\nWaarom: {HOSTILE}" in rapportage
    assert HOSTILE in evaluatie.splitlines()
    assert f"{HOSTILE}: deels overgenomen. {HOSTILE}" in paragraaf
    assert f"ging niet door. Reden: {HOSTILE}" in paragraaf
    assert f"Besluit door de raad over {HOSTILE}." in _descr(paths[0])[0]


def test_structure_is_accessible_and_dutch(tmp_path):
    for path in _all(tmp_path, vastgesteld_plan(), afronding()):
        document = docx.Document(str(path))
        styles = [p.style.name for p in document.paragraphs if p.text]
        assert styles[0] == "Title"
        assert "Heading 1" in styles
        lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
        assert lang.get(qn("w:val")) == "nl-NL"
        assert document.core_properties.language == "nl-NL"
        for table in document.tables:
            tr_pr = table.rows[0]._tr.trPr
            assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_context_and_templates_agree():
    plan, done = vastgesteld_plan(), afronding()
    base = set(build_context(plan, LEIDEN, []))
    names = {
        "participatierapportage": base | set(rapportage_context(plan, done, LEIDEN)) | {"tijdlijn"},
        "evaluatie": base
        | set(evaluatie_context(plan, ANTWOORDEN, LEIDEN))
        | {"grafiek", "projectgroep"},
        "participatieparagraaf": base | {"paragraaf"},
        "participatieverslag-aanvraag": base | {"verslag"},
    }
    for name in NAMES:
        used = DocxTemplate(
            shipped("templates") / f"{name}.docx"
        ).get_undeclared_template_variables()
        assert used - names[name] == set(), name


def test_shipped_templates_match_the_build_script(tmp_path):
    spec = importlib.util.spec_from_file_location(
        "build_closing", ROOT / "scripts" / "build_closing_templates.py"
    )
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name in NAMES:
        build.save(build.BUILDERS[name](), tmp_path / f"{name}.docx")
        assert (tmp_path / f"{name}.docx").read_bytes() == (
            ROOT / "templates" / f"{name}.docx"
        ).read_bytes(), "run .venv/bin/python scripts/build_closing_templates.py"


def test_a_gemeente_template_wins(tmp_path):
    own = tmp_path / "templates" / "leiden"
    own.mkdir(parents=True)
    document = docx.Document()
    document.add_paragraph("Eigen paragraaf van {{ gemeente }}: {{ paragraaf[0].kop }}")
    document.save(str(own / "participatieparagraaf.docx"))
    path = render_paragraaf(vastgesteld_plan(), afronding(), LEIDEN, tmp_path / "p.docx", [own])
    assert document_text(path) == "Eigen paragraaf van Leiden: Niveau van participatie"


def test_plan_documents_leave_the_closing_documents_out(tmp_path):
    # Heemstede lists the rapportage and the evaluatie among its documents; they need the
    # afronding, so the plan's own rendering must not try them
    assert "participatierapportage" in HEEMSTEDE.documenten
    paths = render_documents(vastgesteld_plan(), HEEMSTEDE, [], tmp_path)
    assert [p.name for p in paths] == ["participatieplan.docx", "planomschrijving.docx"]


def test_write_planning_writes_the_timeline_and_the_calendar(tmp_path):
    png, ics = write_planning(vastgesteld_plan(), LEIDEN, tmp_path / "plans" / "p1", "p1")
    assert (png.name, ics.name) == ("tijdlijn.png", "planning.ics")
    with Image.open(png) as image:
        assert image.format == "PNG"
    events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert str(events[0]["UID"]).startswith("p1-")


def _pdf(soffice: str, doc: Path, out_dir: Path, profile_dir: Path) -> Path:
    # a fresh LibreOffice profile per test: a shared one locks when two runs overlap
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile_dir}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(doc),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / f"{doc.stem}.pdf"


def test_libreoffice_converts_every_closing_document_to_pdf(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the documents")
        pytest.skip("LibreOffice (soffice) is not installed: cannot check PDF conversion")
    plan = vastgesteld_plan().model_copy(update={"titel": HOSTILE})
    docs = _all(tmp_path / "docs", plan, afronding(), HEEMSTEDE)
    for doc in docs:
        pdf = _pdf(soffice, doc, tmp_path / "pdf", tmp_path / "lo-profile")
        assert pdf.is_file(), f"LibreOffice made no PDF of {doc}"
        assert pdf.read_bytes().startswith(b"%PDF")


def test_rapportage_and_paragraaf_list_the_activities_in_date_order(tmp_path):
    # the plan keeps its activities as typed: the inloopavond (held 19 March) before the
    # online inbreng (from 2 March); the verslag already listed them by date, these did not
    rows = document_text(_rapportage(tmp_path)).splitlines()
    names = [r.split("\t")[0] for r in rows if r.startswith(("Activiteit ", "Extra activiteit"))]
    assert [n.split(" (")[0] for n in names[:4]] == [
        "Activiteit 2",  # online inbreng, 2 t/m 23 maart
        "Activiteit 1",  # inloopavond, held 19 maart
        "Activiteit 3",  # workshop 14 april, ging niet door
        "Extra activiteit",  # buurtschouw 20 april
    ]
    path = render_paragraaf(vastgesteld_plan(), afronding(), LEIDEN, tmp_path / "p.docx")
    text = document_text(path)
    assert text.index("- Activiteit 2 (online inbreng") < text.index("- Activiteit 1 (bijeen")
    # before the traject: what is planned, by date too
    path = render_paragraaf(vastgesteld_plan(), Afronding(), LEIDEN, tmp_path / "vooraf.docx")
    text = document_text(path)
    assert text.index("- Online inbreng: Reageren op de schetsen, van 2 maart") < text.index(
        "- Bijeenkomst: Inloopavond, op 12 maart"
    )


def test_who_introduces_themselves_in_a_form_stays_out(tmp_path):
    """'Namen ... zijn weggelaten' stood above 'ik ben Ans Buur van nummer 7'."""
    answers = [
        {"beter": "Meer avonden, ik ben Ans Buur van nummer 7."},
        {"beter": "Mijn naam is Jan van der Berg; ik ben blij met de bankjes."},
    ]
    text = document_text(render_evaluatie(Plan(), answers, LEIDEN, tmp_path / "evaluatie.docx"))
    assert "Meer avonden, ik ben [weggelaten] van nummer 7." in text
    assert "Mijn naam is [weggelaten]; ik ben blij met de bankjes." in text
    assert "Ans Buur" not in text and "Berg" not in text


def test_a_home_address_in_a_form_stays_out(tmp_path):
    answers = [{"beter": "Kom eens langs op de Hooigracht 14-2 (2312 KL), dan laat ik het zien."}]
    text = document_text(render_evaluatie(Plan(), answers, LEIDEN, tmp_path / "evaluatie.docx"))
    assert "Namen, adressen, e-mailadressen en telefoonnummers zijn weggelaten." in text
    assert "Kom eens langs op de [weggelaten] ([weggelaten]), dan laat ik het zien." in text


@pytest.mark.parametrize(
    "text",
    [
        "Fase 2 van het Lindenplein, en de weg 3 keer per dag vegen.",
        "Het Lindenplein 2026 moet groener; 1000-2000 euro voor 12 bomen.",
        "Wij willen 20 bankjes in de Kerkstraat.",
        "Het fietspad 2 meter breder en de Breestraat 3x per week vegen.",
        "Na de vergadering 2 weken wachten, dan het antwoord 3 keer lezen.",
    ],
)
def test_a_reaction_without_an_address_is_published_as_written(text):
    assert anoniem(text) == text


def test_closing_documents_start_a_typed_paragraph_with_a_capital_not_a_sentence(tmp_path):
    # typed in lower case: a paragraph of its own starts with a capital, an answer inside a
    # sentence of the template stays as typed
    plan = vastgesteld_plan().model_copy(
        update={
            "opgave": "een bewaakte stalling bij het station.",
            "terugkoppeling": "iedereen krijgt een brief.",
            "evaluatie": "een korte vragenlijst.",
            "afwegingskader": "we wegen op veiligheid en kosten.",
        }
    )
    done = afronding().model_copy(update={"afweging": None})
    rows = document_text(
        render_rapportage(plan, plan, done, LEIDEN, tmp_path / "participatierapportage.docx")
    ).splitlines()
    assert "Een bewaakte stalling bij het station." in rows
    assert "We wegen op veiligheid en kosten." in rows
    assert "Afgesproken terugkoppeling: iedereen krijgt een brief." in rows
    rows = document_text(
        render_evaluatie(plan, ANTWOORDEN, LEIDEN, tmp_path / "evaluatie.docx")
    ).splitlines()
    assert "Zo zouden we evalueren: een korte vragenlijst." in rows


def test_a_group_or_place_named_after_a_street_is_published_and_a_name_is_not(tmp_path):
    # 'Bewoners van de Kerkstraat' read as a person's name and came out as '[weggelaten]'
    answers = [
        {"beter": "Bewoners van de Kerkstraat willen vaker een avond."},
        {"beter": "In de Kerkstraat staan te weinig bomen."},
        {"beter": "Jan de Vries had het over de Dorpslaan en de Kerkstraat."},
        {"beter": "Mevrouw Jansen uit de Kerkstraat wil meer bankjes."},
    ]
    text = document_text(render_evaluatie(Plan(), answers, LEIDEN, tmp_path / "evaluatie.docx"))
    assert "Bewoners van de Kerkstraat willen vaker een avond." in text
    assert "In de Kerkstraat staan te weinig bomen." in text
    assert "[weggelaten] had het over de Dorpslaan en de Kerkstraat." in text
    assert "[weggelaten] uit de Kerkstraat wil meer bankjes." in text
    assert "Jan de Vries" not in text and "Jansen" not in text


def test_a_name_with_only_van_before_the_surname_is_left_out_and_groups_and_places_stay(
    tmp_path,
):
    # 'Kees van Amsterdam' and 'Fatima van Dijk' were published as written: only 'van de',
    # 'van der' and the like counted as part of a name
    answers = [
        {"beter": "Kees van Amsterdam wil vaker een inloopavond."},
        {"beter": "Ik sprak met Fatima van Dijk over de bankjes; Fatima van Dijk woont er."},
        {"beter": "Bewoners van de Kerkstraat willen vaker een avond."},
        {"beter": "Inwoners van Leidschendam-Voorburg kwamen ook, net als de gemeente Heemstede."},
        {"beter": "De gemeente Leidschendam-Voorburg deed het. Ook van Heemstede kwam er een."},
    ]
    text = document_text(render_evaluatie(Plan(), answers, LEIDEN, tmp_path / "evaluatie.docx"))
    assert "[weggelaten] wil vaker een inloopavond." in text
    assert "Ik sprak met [weggelaten] over de bankjes; [weggelaten] woont er." in text
    assert "Amsterdam" not in text and "Dijk" not in text
    assert "Bewoners van de Kerkstraat willen vaker een avond." in text
    assert "Inwoners van Leidschendam-Voorburg kwamen ook, net als de gemeente Heemstede." in text
    assert "De gemeente Leidschendam-Voorburg deed het. Ook van Heemstede kwam er een." in text


def test_a_name_given_once_is_left_out_where_it_comes_back():
    # the name after 'ik ben' is found there; where it comes back on its own it is the same
    # person, also among many other finds
    assert anoniem("Ik ben Ans Buur. Ans Buur wil bankjes; Ansje niet.") == (
        "Ik ben [weggelaten]. [weggelaten] wil bankjes; Ansje niet."
    )
    # more different names than one pattern is made for: 'mevrouw Baa', 'mevrouw Bab', ...
    surnames = ("".join(chr(97 + int(c)) for c in str(n)).capitalize() for n in range(100, 170))
    many = ", ".join(f"mevrouw {surname}" for surname in surnames)
    text = anoniem(f"Ik ben Ans Buur. {many}. Ans Buur komt ook.")
    assert "Ans" not in text and text.count("[weggelaten]") > 2
