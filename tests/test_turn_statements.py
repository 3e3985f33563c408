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

# What one answer costs, in this order:
#   Store.visit: the person, whether they are blocked or follow a plan (for the participants'
#     handler), whether they write plans, their active plan and their interview state   1 read
#   Store.save: the plan and the state written in one transaction (a plan with reminders
#     is read first, as its reminders follow its dates)                                 2 writes
# Never raise this number without a reason.
MOST = 3


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


# What starting a new interview costs: the person read (and made), their unfinished plans read,
# the plan's number found, and in one transaction the plan, its state and the person's active
# plan; then the first question's state written as every turn writes it.
MOST_AT_START = 10


async def test_a_new_interview_costs_at_most_the_guarded_number_of_statements(
    db_chat: Chat,
) -> None:
    await db_chat.start(gemeente="leiden")  # the first start makes the tables warm
    other = Chat(db_chat.engine, "console:nieuw")
    with statements(db_chat.engine.store.engine) as sent:
        await other.start(gemeente="leiden")
    assert len(sent) <= MOST_AT_START, sent
    assert "Hoe heet je opgave" in other.question.text
