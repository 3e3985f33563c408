"""Every document of four gemeenten's plans, rendered to PDF and read as a reader would."""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from handreiking import openbaar, rules
from handreiking.afronding import Afronding
from handreiking.closing_documents import (
    render_evaluatie,
    render_paragraaf,
    render_rapportage,
    render_verslag,
)
from handreiking.documents import render_documents
from handreiking.models import Plan
from handreiking.pdf import SOFFICE, to_pdf
from handreiking.profiles import load_profile
from tests.document_plans import PLANS, afronding

pytestmark = pytest.mark.pdf

TODAY = date(2026, 1, 12)
# pages a reader may expect of each document: enough to hold it, not a runaway layout
PAGES = {
    "participatieplan": (4, 12),
    "planomschrijving": (2, 4),
    "participatieplan-openbaar": (3, 10),
    "participatierapportage": (2, 8),
    "evaluatie": (2, 5),
    "participatieparagraaf": (1, 3),
    "participatieverslag-aanvraag": (1, 4),
}
PUBLISHED = ("participatieplan-openbaar", "participatierapportage", "participatieverslag-aanvraag")
RAW = [
    "weet ik nog niet",
    "zie hierboven",
    "nog niet ingevuld",
    "niet opgegeven",
    "Uren –",
    "Kosten –",
    "None",
    "platform-facts",
]


@dataclass
class Document:
    gemeente: str
    name: str
    docx: Path
    plan: Plan
    findings: list[rules.Finding] = field(default_factory=list)

    @property
    def pdf(self) -> Path:
        return self.docx.with_suffix(".pdf")

    def text(self) -> str:
        return "\n".join(page.extract_text() for page in PdfReader(self.pdf).pages)


@pytest.fixture(scope="module")
def documents(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    if shutil.which("soffice") is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI to check the documents")
        pytest.skip("LibreOffice (soffice) is not installed: cannot check the PDFs")
    out = tmp_path_factory.mktemp("documents")
    docs: list[Document] = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SOFFICE, "")  # render first, then convert everything in one start
        for key, plan in PLANS.items():
            profile = load_profile(key)
            findings = rules.check(plan, profile, TODAY)
            folder = out / key
            done = afronding(plan)
            paths = render_documents(plan, profile, findings, folder)
            paths.append(openbaar.render_openbaar(plan, profile, findings, folder))
            paths += [
                render_rapportage(
                    plan, plan, done, profile, folder / "participatierapportage.docx"
                ),
                render_evaluatie(
                    plan,
                    [{"informatie": 4, "gehoord": 3, "beter": "Meer avonden in de wijk."}],
                    profile,
                    folder / "evaluatie.docx",
                ),
                render_paragraaf(plan, done, profile, folder / "participatieparagraaf.docx"),
                render_verslag(plan, done, profile, folder / "participatieverslag-aanvraag.docx"),
                render_verslag(
                    plan,
                    Afronding(),
                    profile,
                    folder / "vooraf" / "participatieverslag-aanvraag.docx",
                ),
            ]
            docs += [Document(key, p.stem, p, plan, findings) for p in paths]
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(SOFFICE, raising=False)
        made = to_pdf([d.docx for d in docs])
    assert made == [d.pdf for d in docs]
    return docs


def _structure(node: pikepdf.Object, found: list[pikepdf.Dictionary]) -> None:
    if isinstance(node, pikepdf.Dictionary):
        if "/S" in node:
            found.append(node)
        kids = node.get("/K")
        if isinstance(kids, pikepdf.Array):
            for kid in kids:
                _structure(kid, found)
        elif isinstance(kids, pikepdf.Dictionary):
            _structure(kids, found)


def test_every_pdf_is_tagged_titled_and_dutch(documents):
    for doc in documents:
        with pikepdf.open(doc.pdf) as pdf:
            assert pdf.Root.MarkInfo.Marked is True, doc.pdf
            assert "/StructTreeRoot" in pdf.Root, doc.pdf
            assert str(pdf.Root.Lang) == "nl-NL", doc.pdf
            title = str(pdf.docinfo.get("/Title", ""))
            assert title.split(":")[0].lower().startswith(doc.name.split("-")[0][:10]), title
            assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
            elements: list[pikepdf.Dictionary] = []
            _structure(pdf.Root.StructTreeRoot, elements)
            kinds = [str(e.S) for e in elements]
            assert "/H1" in kinds, doc.pdf  # real headings
            for figure in (e for e in elements if str(e.S) == "/Figure"):
                assert len(str(figure.get("/Alt", ""))) > 20, doc.pdf
            if "/Table" in kinds:
                assert "/TH" in kinds, doc.pdf  # header rows are table headers
    plan = next(d for d in documents if d.name == "participatieplan")
    with pikepdf.open(plan.pdf) as pdf:
        elements = []
        _structure(pdf.Root.StructTreeRoot, elements)
        alts = [str(e.Alt) for e in elements if str(e.S) == "/Figure"]
    assert [a.split(":")[0].split(",")[0] for a in alts] == [
        "De participatieladder met vijf treden",
        "Stakeholderanalyse",
        "Tijdlijn van de planning",
    ]


def test_page_counts_are_sane(documents):
    for doc in documents:
        low, high = PAGES[doc.name]
        assert low <= len(PdfReader(doc.pdf).pages) <= high, doc.pdf


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text))


def test_no_word_of_the_answers_is_broken_across_lines(documents):
    for doc in documents:
        answers = _words(" ".join(_typed(doc.plan.model_dump())))
        answers |= _words(" ".join(_typed(afronding(doc.plan).model_dump())))
        assert broken_words(doc.text(), answers) == [], doc.pdf


def broken_words(text: str, words: set[str]) -> list[str]:
    """Words of `words` that the text breaks over two lines ('Ontwerpav' / 'ond')."""
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", text)
    pairs = re.findall(r"(?=(?<!\w)(\w+)\n(\w+))", text)
    return sorted({a + b for a, b in pairs if a + b in words and len(a + b) >= 4})


def _typed(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _typed(v)]
    if isinstance(value, list):
        return [t for v in value for t in _typed(v)]
    return []


def test_published_documents_hold_no_finding_and_no_personal_detail(documents):
    for doc in documents:
        if doc.name not in PUBLISHED:
            continue
        text = doc.text()
        assert "@" not in text, doc.pdf
        assert "Bijlage" not in text and "toets aan de handreiking" not in text, doc.pdf
        flat = "".join(text.split())
        for finding in doc.findings:
            assert "".join(finding.tekst.split()) not in flat, doc.pdf
            assert "".join(finding.bron.split()) not in flat, doc.pdf
        if doc.plan.eigenaar_naam:
            assert doc.plan.eigenaar_naam not in text, doc.pdf
    internal = [d for d in documents if d.name == "participatieplan"]
    assert all("Bijlage: toets aan de handreiking" in d.text() for d in internal)
    assert any(d.findings for d in internal)


def test_no_raw_chat_words_internal_names_or_line_numbers(documents):
    for doc in documents:
        text = doc.text()
        for raw in RAW:
            assert raw not in text, f"{doc.pdf}: {raw}"
        assert not re.search(r"\bseed\b|regel \d|\.(?:ya?ml|py|txt)\b", text), doc.pdf
        assert not re.search(r":\s+(?:ja|nee)\s*$", text, re.M), doc.pdf
        assert text.count("Nog te bepalen") <= 1, doc.pdf
        assert "nog te bepalen" not in text.replace("Nog te bepalen", ""), doc.pdf


def test_sources_are_public_documents_with_their_address(documents):
    internal = [d for d in documents if d.name == "participatieplan"]
    for doc in internal:
        # a long address wraps over lines: compare without the white space
        text = "".join(doc.text().split())
        for finding in doc.findings:
            assert "".join(f"Bron: {finding.bron}".split()) in text, doc.pdf
            assert "https://" in finding.bron
    lv = next(d for d in internal if d.gemeente == "leidschendam-voorburg")
    assert "uit de handreiking van Leiden" in " ".join(lv.text().split())


def test_the_check_finds_a_word_broken_over_two_lines():
    text = "Activiteit Wanneer\n1.\nbijeenkoms\nt:\nOntwerpav \n ond met\nschetsen"
    words = {"bijeenkomst", "Ontwerpavond", "schetsen", "met"}
    assert broken_words(text, words) == ["Ontwerpavond", "bijeenkomst"]
    assert broken_words("Ontwerpavond met\nschetsen", words) == []
