"""How many SQL statements one interview turn sends: a guard against a turn doing more database
work than it did, counted with SQLAlchemy's cursor events (not a timing test)."""

from __future__ import annotations

from datetime import datetime

import pytest

from bot.app import build_engine
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import NOW, Chat
from tests.interviews import LEIDEN
from tests.sql_count import statements

# What one answer costs now, in this order:
#   participants' hook (bot/features/participants.py): is the person marked blocked, do they
#     follow a plan (their message would go to its owner), in one query                       1 read
#   engine: does the person own a plan, the person, their active plan, its interview state
#                                                                                     4 reads
#   Store.save: the plan and the state written (a plan with reminders is read first, as
#     its reminders follow its dates)                                             2 writes
# The goal is 3 (one read of person, plan and state; one write). Reaching it means the
# engine reads person, plan and state in one query and the participants' hook rides on it:
# a restructuring of the engine's turn, left for when its answer handling is not being
# changed. Lower this number when a statement goes; never raise it without a reason.
MOST = 7


@pytest.fixture
def db_chat(db_url: str, tmp_path) -> Chat:
    settings = Settings(data_dir=tmp_path / "var", now=datetime.fromisoformat(NOW), _env_file=None)
    store = Store(db_url, clock=settings.clock)
    yield Chat(build_engine(store, settings))
    store.close()


async def test_an_answer_costs_at_most_the_guarded_number_of_statements(db_chat: Chat) -> None:
    await db_chat.start(gemeente="leiden")
    counts = []
    for fragment, answer in LEIDEN[:8]:
        assert fragment.lower() in db_chat.question.text.lower()
        with statements(db_chat.engine.store.engine) as sent:
            await db_chat.say(answer)
        counts.append(len(sent))
    assert max(counts) <= MOST, (counts, sent)
    # exactly two of them write: the plan and the interview state, in one transaction
    writes = [s for s in sent if s.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert [w.split()[1] for w in writes] == ["plans", "sessions"], writes
