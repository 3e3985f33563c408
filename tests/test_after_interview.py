"""What people meet after the interview, as they meet it: the owner in the web chat, the
advisor's page and mails, participants following a plan, the closing conversation."""

from __future__ import annotations

from bot.engine import Engine
from bot.features import participants
from bot.settings import Settings
from bot.storage import Store
from tests.conftest import Chat
from tests.test_delivery import make_plan


async def test_a_pasted_list_of_reactions_is_noted_at_once_and_the_list_asked_again(
    engine: Engine, store: Store
) -> None:
    owner = Chat(engine, "web:eigenaar")
    make_plan(store, owner="web:eigenaar")
    await owner.say("afronden")
    for answer in ("nee", "ja", "weet ik nog niet", "klaar", "overslaan"):
        await owner.say(answer)
    assert owner.question.text.startswith("Welke reacties kwamen er nog meer binnen")
    await owner.say("Groen: Meer bomen\nVerkeer: Een zebrapad\nGroen: Bankjes in de schaduw")
    assert "Ik heb er 3 genoteerd." in owner.text
    assert "per groep" not in owner.text
    assert all(r.text for r in owner.replies), owner.replies  # never an empty message
    assert "3. Groen: Bankjes in de schaduw" in owner.question.text
    await owner.say("klaar")
    assert owner.question.text.startswith("Thema Groen (2 reacties).")


async def test_following_in_the_web_chat_leads_to_following_by_mail(
    engine: Engine, store: Store, settings: Settings
) -> None:
    plan = make_plan(store)
    code = participants.invitation_code(store, plan.id)
    visitor = Chat(engine, "web:bezoeker")
    text = await visitor.say(f"volg {code}")
    assert "In deze chat kan ik je later geen nieuws sturen." in text
    assert f"{settings.public_url}/volg/{code}" in text
    await visitor.say(f"volg {code} ja")
    assert participants.followed(store, "web:bezoeker") == []  # nothing kept that never arrives
