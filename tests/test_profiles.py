"""The shipped gemeente profiles: they load, keep their own rules, hold no real addresses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from handreiking.models import Niveau, Plan
from handreiking.profiles import PROFILE_DIR, available_profiles, load_profile
from handreiking.rules import BEVINDINGEN, check

GEMEENTEN = ["leiden", "heemstede", "heerlen", "leidschendam-voorburg", "standaard"]


def test_every_profile_loads() -> None:
    assert set(available_profiles()) == set(GEMEENTEN)
    for key in GEMEENTEN:
        assert load_profile(key).key == key


@pytest.mark.parametrize(
    ("key", "regio"),
    [
        ("heemstede", "noord"),
        ("leiden", "midden"),
        ("leidschendam-voorburg", "midden"),
        ("heerlen", "zuid"),
        ("standaard", None),
    ],
)
def test_regions(key: str, regio: str | None) -> None:
    assert load_profile(key).regio == regio


def test_numbers_and_minimum_level_are_leiden_only() -> None:
    leiden = load_profile("leiden")
    assert leiden.aankondiging and leiden.aankondiging.dagen == 21
    assert leiden.online_inbreng and leiden.online_inbreng.dagen == 21
    assert leiden.vakantie is not None
    assert leiden.minimum_niveau and leiden.minimum_niveau.niveau == Niveau.raadplegen
    assert str(leiden.aankondiging.bron) == (
        "Checklist participatie (handreiking samenwerken in de stad), gemeente Leiden (2023), "
        "onderdeel ‘Tijdig aankondigen’: https://www.leiden.nl/participatie"
    )
    assert leiden.online_inbreng.bron.onderdeel == "Tijdig aankondigen"
    assert "vakantieperiodes" in leiden.vakantie.bron.tekst
    assert leiden.minimum_niveau.bron.publicatie.titel == "Beleidsregels participatie"
    for key in GEMEENTEN:
        if key == "leiden":
            continue
        p = load_profile(key)
        assert (p.aankondiging, p.online_inbreng, p.vakantie, p.minimum_niveau) == (
            None,
            None,
            None,
            None,
        ), key


def test_no_address_outside_example_org() -> None:
    pattern = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
    for path in PROFILE_DIR.glob("*.yaml"):
        domains = pattern.findall(path.read_text(encoding="utf-8"))
        assert all(d == "example.org" for d in domains), (path.name, domains)
    for p in available_profiles().values():
        assert all(a.endswith("@example.org") for a in p.adviseurs)


def test_heemstede_speaks_of_samen() -> None:
    heemstede = load_profile("heemstede")
    assert heemstede.woordenschat == "samen"
    assert heemstede.niveau_label(Niveau.raadplegen) == "samen denken (raadplegen)"
    assert heemstede.niveau_label(Niveau.coproduceren) == "samen doen"
    assert heemstede.niveau_label(Niveau.meebeslissen) == "samen beslissen"
    assert load_profile("leiden").niveau_label(Niveau.coproduceren) == "coproduceren"


def test_gemeente_specific_documents_and_checklist() -> None:
    heerlen = load_profile("heerlen")
    assert "participatieparagraaf" in heerlen.documenten
    assert any(
        c.bron.document == "paragraaf" and "raadsvoorstel" in c.tekst for c in heerlen.checklist
    )
    assert any(c.bron.onderdeel == "Evaluatieproces geborgd" for c in heerlen.checklist)
    lv = load_profile("leidschendam-voorburg")
    criteria = next(c for c in lv.checklist if c.bevinding == "evaluatie_criteria")
    assert "criteria" in criteria.tekst
    heemstede = load_profile("heemstede")
    assert sum("Planomschrijving" in c.tekst for c in heemstede.checklist) == 6
    for p in available_profiles().values():
        assert "planomschrijving" in p.documenten


def test_profile_fields_name_real_questions_and_checks() -> None:
    fields = set(Plan.model_fields)
    for p in available_profiles().values():
        assert set(p.vragen_uit) <= fields, p.key
        assert set(p.intern) <= fields, p.key
        assert {c.bevinding for c in p.checklist if c.bevinding} <= BEVINDINGEN, p.key
        assert all(b.publicatie and b.publicatie.url.startswith("https://") for b in p.bronnen())


def test_new_gemeente_is_one_data_file(tmp_path: Path) -> None:
    (tmp_path / "voorbeeldstad.yaml").write_text(
        """
key: voorbeeldstad
naam: Voorbeeldstad
regio: zuid
adviseurs: [participatie-voorbeeldstad@example.org]
publicaties:
  beleid: {titel: Participatiebeleid, jaar: 2025, url: "https://voorbeeldstad.example.org/participatie"}
aankondiging:
  dagen: 28
  bron: {document: beleid, onderdeel: Aankondigen}
checklist:
  - tekst: Leg uit hoe je de inbreng afweegt.
    bron: {document: beleid, onderdeel: Afwegen}
    bevinding: afwegingskader
""",
        encoding="utf-8",
    )
    profile = load_profile("Voorbeeldstad", extra_dir=tmp_path)
    assert "voorbeeldstad" in available_profiles(extra_dir=tmp_path)
    plan = Plan.model_validate(
        {
            "activiteiten": [
                {"type": "bijeenkomst", "datum": "2026-06-10", "aankondiging": "2026-05-20"}
            ]
        }
    )
    found = {f.code: f for f in check(plan, profile, date(2026, 1, 12))}
    assert "Voorbeeldstad vraagt 4 weken" in found["aankondiging:1"].tekst
    assert found["aankondiging:1"].bron == (
        "Participatiebeleid, gemeente Voorbeeldstad (2025), onderdeel ‘Aankondigen’: "
        "https://voorbeeldstad.example.org/participatie"
    )
    found = {f.code: f for f in check(Plan(), profile, date(2026, 1, 12), asked={"afwegingskader"})}
    assert found["afwegingskader"].soort == "beleidsregel"
    assert "Regel van Voorbeeldstad" in found["afwegingskader"].tekst
