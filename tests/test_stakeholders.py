"""The stakeholderanalyse: influence, interest and position per party, as a grid in the plan,
in its PDF and on the advisor's review page, and the findings on who has no role."""

from __future__ import annotations

import html
import io
import re
from datetime import date
from pathlib import Path

import docx
import pikepdf
import pytest
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from handreiking import rules
from handreiking.documents import document_text, render
from handreiking.models import Belanghebbende, Mate, Plan, Positie, Rol
from handreiking.pdf import to_pdf
from handreiking.profiles import load_profile
from handreiking.stakeholders import alt_tekst, grid_png_bytes
from tests.conftest import Chat
from tests.document_plans import LEIDEN as LEIDEN_PLAN
from tests.interviews import HEERLEN
from tests.review_helpers import client, finish, read_eml, review_link
from tests.test_pdf import office, public_plan  # noqa: F401 (office: a fixture)

TODAY = date(2026, 1, 12)
LEIDEN = load_profile("leiden")
ONDERNEMERS = "Veel invloed en veel belang: Ondernemers Lindenstraat (tegen)."


def test_the_leiden_plan_shows_each_party_where_its_answers_put_it(tmp_path: Path):
    path = render("participatieplan", LEIDEN_PLAN, LEIDEN, [], tmp_path / "participatieplan.docx")
    text = document_text(path)
    assert "Stakeholderanalyse" in text
    assert "Ondernemers Lindenstraat\thoog\thoog\ttegen" in text
    assert "Wijkvereniging Lindenkwartier\tlaag\tmidden\tneutraal" in text
    document = docx.Document(str(path))
    descr = [d.get("descr") for d in document.element.body.iter(qn("wp:docPr"))]
    grid = next(d for d in descr if d.startswith("Stakeholderanalyse"))
    assert ONDERNEMERS in grid
    assert "Enige invloed en veel belang: Omwonenden Lindenplein (voor)." in grid
    assert (
        "Weinig invloed en weinig belang: Bewoners van de aanliggende straten (onbekend)." in grid
    )
    # parties without an estimate (the proceseigenaar, the beslisser) are named, not placed
    assert "Nog zonder inschatting: Team Openbare Ruimte, College van B&W." in grid


def test_the_grid_is_a_deterministic_picture_and_says_when_it_is_empty():
    png = grid_png_bytes(LEIDEN_PLAN)
    assert png == grid_png_bytes(LEIDEN_PLAN)
    assert Image.open(io.BytesIO(png)).size == (1200, 900)
    empty = Plan(titel="Bankje", belanghebbenden=[Belanghebbende(naam="Buren")])
    assert alt_tekst(empty).endswith("Nog geen partij heeft een inschatting van invloed en belang.")


@pytest.mark.pdf
def test_the_grid_is_on_a_page_of_the_public_pdf_with_its_alt_text(office, tmp_path):  # noqa: F811
    # the invented Leiden plan is this one: its public version goes into the gemeenteblad
    docx_path = public_plan("leiden", tmp_path)
    (pdf,) = to_pdf([docx_path])
    pages = [p.extract_text() for p in PdfReader(pdf).pages]
    page = next(
        i for i, t in enumerate(pages) if "Invloed op het besluit tegen belang bij de opgave" in t
    )
    with pikepdf.open(pdf) as document:
        images = [
            name
            for p in (document.pages[page - 1], document.pages[page])
            for name, obj in p.Resources.get("/XObject", {}).items()
            if obj.get("/Subtype") == "/Image"
        ]
        assert images, "no picture near the stakeholder table"
        alts = []

        def walk(node: object) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure" and "/Alt" in node:
                    alts.append(str(node.Alt))
                kids = node.get("/K")
                for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                    walk(kid)

        walk(document.Root.StructTreeRoot)
    assert any(ONDERNEMERS in a for a in alts)


def _partijen(rol: Rol | None) -> Plan:
    return Plan(
        belanghebbenden=[
            Belanghebbende(naam="Buren", rol=Rol.geinformeerd, invloed=Mate.laag),
            Belanghebbende(naam="Winkeliers", rol=rol, invloed=Mate.hoog, positie=Positie.tegen),
        ]
    )


def test_an_influential_party_without_a_role_is_a_finding_until_it_gets_one():
    found = rules.check(_partijen(None), LEIDEN, TODAY)
    tip = next(f for f in found if f.code == "stakeholder_rol:2")
    assert "'Winkeliers' heeft veel invloed op het besluit, maar nog geen rol" in tip.tekst
    assert "Participatietoolbox" in tip.bron and "uit de handreiking van Heerlen" in tip.bron
    codes = {f.code for f in rules.check(_partijen(Rol.adviseur), LEIDEN, TODAY)}
    assert "stakeholder_rol:2" not in codes and "geinformeerd" not in codes


def test_nobody_kept_informed_is_a_finding_once_parties_are_weighed():
    plan = Plan(belanghebbenden=[Belanghebbende(naam="Buren", rol=Rol.adviseur, invloed="hoog")])
    assert "geinformeerd" in {f.code for f in rules.check(plan, LEIDEN, TODAY)}
    unweighed = Plan(belanghebbenden=[Belanghebbende(naam="Buren", rol=Rol.adviseur)])
    assert "geinformeerd" not in {f.code for f in rules.check(unweighed, LEIDEN, TODAY)}


async def test_heerlen_asks_influence_interest_and_position_and_the_advisor_sees_the_grid(
    engine, settings, store
):
    owner = Chat(engine, "console:eigenaar")
    await finish(owner, HEERLEN, "heerlen")
    await owner.say("indienen")
    link = review_link(read_eml(re.search(r"\S+\.eml", owner.text).group()))
    async with client(settings, store) as web:
        page = await web.get(link)
    assert page.status_code == 200
    assert "<h2>Stakeholderanalyse</h2>" in page.text
    src, alt = re.search(
        r'<img src="(data:image/png;base64,[^"]+)" alt="([^"]+)"', page.text
    ).groups()
    assert "Enige invloed en veel belang: Ouderen in de wijk (voor)." in html.unescape(alt)
    assert "img-src data:" in page.headers["content-security-policy"]
