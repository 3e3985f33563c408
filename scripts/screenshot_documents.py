"""Make docs/document-*.png, the README's pictures of one page of each document.

Renders the invented Leiden plan of the tests (tests/document_plans.py) and what came of it,
converts every document to a tagged PDF with LibreOffice and saves one telling page of each as
PNG. Needs LibreOffice (soffice) and pdftoppm (Debian: poppler-utils).

    .venv/bin/python scripts/screenshot_documents.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handreiking import openbaar, rules  # noqa: E402
from handreiking.afronding import Afronding  # noqa: E402
from handreiking.closing_documents import (  # noqa: E402
    render_evaluatie,
    render_paragraaf,
    render_rapportage,
    render_verslag,
)
from handreiking.documents import render_documents  # noqa: E402
from handreiking.models import Stand  # noqa: E402
from handreiking.pdf import SOFFICE, to_pdf  # noqa: E402
from handreiking.profiles import load_profile  # noqa: E402
from tests.document_plans import LEIDEN, afronding  # noqa: E402
from tests.test_published_documents import TODAY  # noqa: E402

# document -> the page that shows it best
PAGES = {
    "participatieplan": 1,
    "participatieplan-openbaar": 2,
    "planomschrijving": 2,
    "participatierapportage": 2,
    "evaluatie": 2,
    "participatieparagraaf": 1,
    "participatieverslag-aanvraag": 2,
}
PLAN_PAGES = (3, 4)  # the ladder and the activities, besides the front page


def render(folder: Path) -> list[Path]:
    profile = load_profile("leiden")
    findings = rules.check(LEIDEN, profile, TODAY)
    done = afronding(LEIDEN)
    os.environ[SOFFICE] = ""  # first every .docx, then one LibreOffice start for all
    stand = Stand(datum=TODAY, versie=1, status="ingediend")
    paths = render_documents(LEIDEN, profile, findings, folder, stand=stand)
    paths.append(openbaar.render_openbaar(LEIDEN, profile, findings, folder))
    paths += [
        render_rapportage(LEIDEN, LEIDEN, done, profile, folder / "participatierapportage.docx"),
        render_evaluatie(
            LEIDEN,
            [
                {"informatie": 4, "gehoord": 3, "terugkoppeling": 5, "tevreden": 4},
                {"informatie": 3, "gehoord": 4, "terugkoppeling": 4, "tevreden": 5},
            ],
            profile,
            folder / "evaluatie.docx",
        ),
        render_paragraaf(LEIDEN, Afronding(), profile, folder / "participatieparagraaf.docx"),
        render_verslag(LEIDEN, done, profile, folder / "participatieverslag-aanvraag.docx"),
    ]
    del os.environ[SOFFICE]
    return to_pdf(paths)


def page_png(pdf: Path, page: int, out: Path) -> None:
    stem = out.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(stem),
        ],
        check=True,
    )


def main() -> None:
    docs = ROOT / "docs"
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in render(Path(tmp)):
            page_png(pdf, PAGES[pdf.stem], docs / f"document-{pdf.stem}.png")
            print(docs / f"document-{pdf.stem}.png")
            if pdf.stem == "participatieplan":
                for page in PLAN_PAGES:
                    page_png(pdf, page, docs / f"document-participatieplan-{page}.png")
                    print(docs / f"document-participatieplan-{page}.png")


if __name__ == "__main__":
    main()
