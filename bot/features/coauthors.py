"""Co-authors: the owner passes on a code; whoever types 'meeschrijven <code>' writes along.

The smallest feature, and the example of one: two commands, one registration each.
"""

from __future__ import annotations

from datetime import timedelta

from bot.engine import Command, Engine, Registry, Reply, Turn
from bot.engine.texts import t
from bot.signing import BadToken, secret_key, sign, verify

VALID = timedelta(days=7)


def invite(engine: Engine, turn: Turn, arg: str) -> None:
    """'medeauteur': a code for this plan, valid for a week."""
    settings = engine.settings
    expires = settings.clock() + VALID
    code = sign(secret_key(settings.data_dir), "coauthor", {"p": turn.record.id}, expires)
    titel = turn.data.get("titel") or t("untitled", turn.lang)
    turn.say("coauthor_code", titel=titel, code=code)


def join(engine: Engine, identity: str, naam: str | None, code: str) -> list[Reply]:
    """'meeschrijven <code>': write along on the plan the code is for, from its next question."""
    settings, store = engine.settings, engine.store
    try:
        payload = verify(secret_key(settings.data_dir), "coauthor", code.strip(), settings.clock())
        record = store.plan(str(payload.get("p")))
    except BadToken:
        record = None
    if record is None:
        return [Reply(t("coauthor_bad_code", "nl"), kind="error")]
    store.person(identity, naam)
    store.add_author(record.id, identity)
    store.update_person(identity, active_plan_id=record.id)
    turn = engine.turn_on(identity, record)
    turn.say("coauthor_joined", titel=record.titel or t("untitled", turn.lang))
    engine.next_question(turn)
    engine.save(turn)
    return turn.replies


def register(registry: Registry) -> None:
    registry.command(Command("coauthor", ("medeauteur", "coauthor"), in_turn=invite))
    registry.command(
        Command("join", ("meeschrijven", "join"), takes_argument=True, before_plan=join)
    )
