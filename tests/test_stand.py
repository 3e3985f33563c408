"""The front page says where a document stands: version, status and date of vaststelling, as
the interview, the submission and the vaststelling pass them on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.features.review import record_review, vaststellen
from handreiking.documents import document_text
from tests.conftest import Chat
from tests.interviews import LEIDEN
from tests.review_helpers import finish
from tests.test_lifecycle import SECTIONS


def front_page(path: Path) -> list[str]:
    """The rows of 'Over dit document', up to the initiatiefnemer."""
    rows = document_text(path).splitlines()
    start = rows.index("Over dit document") + 1
    return rows[start : next(i for i, r in enumerate(rows) if r.startswith("Initiatiefnemer"))]


async def test_the_front_page_follows_the_plan_from_concept_to_vastgesteld(
    chat: Chat, store, settings
) -> None:
    await finish(chat, LEIDEN, "leiden")
    plan_id = store.plans()[0].id
    plan = settings.plans_dir / plan_id / "participatieplan.docx"
    public = plan.with_name("participatieplan-openbaar.docx")
    # a concept has no version yet
    assert front_page(plan) == ["Gemeente\tLeiden", "Datum\t12 januari 2026", "Status\tConcept"]
    await chat.say("indienen")
    submitted = [
        "Gemeente\tLeiden",
        "Versie\t1",
        "Datum\t12 januari 2026",
        "Status\tIngediend bij de gemeente",
    ]
    assert front_page(plan) == front_page(public) == submitted
    verdicts = {s: ("akkoord", None) for s in [*SECTIONS, "afspraken"]}
    record_review(settings, store, plan_id, 1, verdicts, "email:participatie-leiden@example.org")
    vaststellen(settings, store, plan_id, date(2026, 1, 8), "2026/0042", "email:a")
    # the public version is the one adopted: version 1, with the date and the besluit
    adopted = [
        "Gemeente\tLeiden",
        "Versie\t1",
        "Datum\t12 januari 2026",
        "Status\tVastgesteld op 8 januari 2026 (besluit 2026/0042)",
    ]
    assert front_page(public) == adopted
    # and so are the plan and the planomschrijving beside it, which college or raad adopted:
    # they still said 'Ingediend bij de gemeente'
    assert front_page(plan) == adopted
    assert front_page(plan.with_name("planomschrijving.docx")) == adopted
