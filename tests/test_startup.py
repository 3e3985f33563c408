"""What a `serve` process loads before it has anything to render, and the domain library's
imports: large libraries wait for the function that needs them, and handreiking has no cycle."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import grimp

from bot.storage import Store

ROOT = Path(__file__).resolve().parent.parent

# what `participatiebot serve` imports to start with Telegram on and the others off
SERVE_MODULES = [
    "bot.cli",
    "bot.serve",
    "bot.channels.telegram",
    "bot.channels.web",
    "bot.pages",
    "bot.participant_pages",
    "bot.public_pages",
    "bot.web",
    "bot.mail",
    "bot.features.reminders_worker",
]
# each only when a document, a picture, a calendar file or a migration is made, or the
# platform is turned on
LATER = [
    "alembic",
    "docx",
    "docxtpl",
    "lxml",
    "matplotlib",
    "numpy",
    "icalendar",
    "pikepdf",
    "playwright",
    "slack_bolt",
    "microsoft_agents",
]


def _loaded(code: str) -> set[str]:
    """The top-level packages a fresh interpreter has imported after running `code`."""
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {name.split(".")[0] for name in json.loads(done.stdout.splitlines()[-1])}


def test_serve_starts_without_the_libraries_for_documents_pictures_and_other_platforms() -> None:
    loaded = _loaded("\n".join(f"import {m}" for m in SERVE_MODULES))
    assert not loaded & set(LATER)


def test_a_database_with_every_migration_opens_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    Store(url).close()  # made and migrated here
    loaded = _loaded(f"from bot.storage import Store\nStore({url!r}).close()")
    assert "alembic" not in loaded


def test_handreiking_has_no_import_cycle() -> None:
    graph = grimp.build_graph("handreiking")  # imports inside functions count as well
    cycles = [
        (module, imported)
        for module in sorted(graph.modules)
        for imported in graph.find_modules_directly_imported_by(module)
        if graph.chain_exists(importer=imported, imported=module)
    ]
    assert cycles == []
