"""The participatieverslag for an omgevingsvergunning application, from a stored plan.

For the chat command 'verslag' and `participatiebot verslag`: the plan as adopted (else as it
stands) and what the closing interview recorded, before or after the traject.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.engine.registry import Command, Registry
from bot.engine.texts import load_texts
from bot.engine.types import Reply
from bot.features.closing import NotFound, stukken
from bot.settings import Settings
from bot.storage import PlanRecord, Store
from handreiking import pdf
from handreiking.closing_documents import VERSLAG, render_verslag
from handreiking.documents import DocumentError
from handreiking.verslag import verslag_tekst

__all__ = ["NotFound", "chat", "tekst", "write_verslag", "verslag_documents"]


def tekst(store: Store, settings: Settings, plan_id: str) -> str:
    """The verslag as plain text."""
    s = stukken(store, settings, plan_id)
    return verslag_tekst(s.vastgesteld, s.afronding, s.profile)


def write_verslag(store: Store, settings: Settings, plan_id: str, out_dir: Path) -> list[Path]:
    """participatieverslag-aanvraag.docx in out_dir, and its tagged PDF when LibreOffice is
    there. Raises NotFound for an unknown plan, DocumentError for a broken template."""
    record = store.plan(plan_id)
    if record is None:
        raise NotFound(plan_id)
    s = stukken(store, settings, plan_id)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = render_verslag(
        s.vastgesteld,
        s.afronding,
        s.profile,
        out_dir / f"{VERSLAG}.docx",
        settings.template_dirs(record.gemeente),
        vandaag=settings.today(),
    )
    pdf = docx.with_suffix(".pdf")
    return [docx, pdf] if pdf.is_file() else [docx]


def verslag_documents(store: Store, settings: Settings, record: PlanRecord) -> list[Path]:
    """What the chat command 'verslag' sends the owner: the verslag in the plan's folder."""
    return write_verslag(store, settings, record.id, settings.plans_dir / record.id)


def chat(store: Store, settings: Settings, identity: str) -> list[Reply]:
    """The chat command 'verslag': the owner's active plan's verslag, the .docx at once and
    its PDF after (it is made in the background)."""
    person = store.person(identity)
    texts = load_texts("pdf", lang=person.lang)
    plans = store.plans(owner=identity)
    if not plans:
        return [Reply(texts["verslag_none"])]
    record = next((p for p in plans if p.id == person.active_plan_id), plans[-1])
    try:
        with pdf.later() as pending:
            [docx, *_] = verslag_documents(store, settings, record)
    except DocumentError as e:
        return [Reply(texts["verslag_error"].format(fout=e), kind="error")]
    text = texts["verslag"] + (f"\n{texts['follows']}" if pdf.coming(pending) else "")
    return [Reply(text, kind="document", documents=[docx], pending=pending)]


def _chat(engine: Any, identity: str, naam: str | None, arg: str) -> list[Reply]:
    return chat(engine.store, engine.settings, identity)


def register(registry: Registry) -> None:
    registry.command(Command("report", ("verslag", "report"), before_plan=_chat))
