"""The corpus of real answers (tests/data/antwoorden.yaml) typed into the real engine, each at the
real question of its group: the interview is walked once up to every such question, its state
kept, and every answer is typed into a copy of that state. Used by the tests and the benchmark."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bot.engine import Engine
from bot.settings import Settings
from bot.storage import Store
from tests import corpus
from tests.conftest import Chat

# Where each group of the corpus is asked: a fragment of the question, the list and the field
# (None for a question of its own), as the engine stores it.
SPOTS: dict[str, tuple[str, str, str | None]] = {
    "gemeente": ("In welke gemeente", "gemeente", None),
    "initiatiefnemer_type": ("Wie neemt het initiatief", "initiatiefnemer_type", None),
    "beslisser": ("Wie beslist", "beslisser", None),
    "yesno": ("veel partijen", "veel_actoren", None),
    "text_unknown": ("contactpersoon (accounthouder)", "accounthouder", None),
    "doelen": ("doel van de participatie", "doelen", None),
    "niveau": ("Welk niveau", "niveau", None),
    "list_items": ("Welke groepen hebben belang", "belanghebbenden", "naam"),
    "rol": ("rol heeft", "belanghebbenden", "rol"),
    "activiteit_type": ("Welke activiteiten", "activiteiten", "type"),
    "datum": ("Op welke datum is de", "activiteiten", "datum"),
    "uren": ("Hoeveel uur kost de", "activiteiten", "uren"),
    "kosten": ("Wat kost de", "activiteiten", "kosten"),
    "periode": ("Van wanneer tot wanneer", "activiteiten", "periode"),
    "update_ritme_weken": ("Hoe vaak stuur je", "update_ritme_weken", None),
}

# A walk through a Leiden interview, typed the way a busy person does (invented data): a
# fragment of the question and the answers given there, in turn.
WALK: list[tuple[str, list[str]]] = [
    ("Hoe heet je opgave", ["Groen schoolplein Vinkenlaan"]),
    ("In welke gemeente", ["leiden"]),
    ("Wie neemt het initiatief", ["wij als bewoners"]),
    ("naam van de initiatiefnemer", ["Werkgroep Vinkenlaan"]),
    ("Wie beslist", ["de gemeenteraad"]),
    ("leefomgeving", ["ja hoor"]),
    ("veel partijen", ["nee"]),
    ("veel verschillende belangen", ["geen idee"]),
    ("contactpersoon (accounthouder)", ["weet ik nog niet"]),
    ("e-mailadres van je contactpersoon", ["overslaan"]),
    ("herinneringen", ["werkgroep@example.org"]),
    ("Wat is je naam", ["Robin Proefpersoon"]),
    ("rol bij deze opgave", ["trekker van de werkgroep"]),
    ("In welk gebied", ["rond de Vinkenlaan"]),
    ("Hoe groot is het gebied", ["de hele wijk"]),
    ("beleidsveld", ["onderwijs"]),
    ("Ben je al op de plek", ["nog niet"]),
    ("Heb je daar al gepraat", ["ja, met een paar ouders"]),
    ("Met welke groepen of organisaties", ["de school en de buurtvereniging"]),
    ("echt iets veranderen", ["ja"]),
    ("genoeg tijd", ["ja hoor"]),
    ("geld en uren", ["nog niet"]),
    ("Welke groepen", ["ouders van de school", "dat was het"]),
    ("rol heeft", ["denkt mee"]),
    ("invloed heeft", ["weinig"]),
    ("Hoe groot is het belang van", ["heel groot"]),
    ("Wat vindt", ["voor"]),
    ("belang van", ["overslaan"]),
    ("doel van de participatie", ["meedenken"]),
    ("Welk niveau", ["advies vragen"]),
    ("Welke neem je over", ["de eerste en de tweede"]),
    ("Welke activiteiten", ["inloopavond", "enquete", "klaar"]),
    ("Omschrijf de", ["overslaan"]),
    ("Op welke datum is de", ["15 jnui 2027"]),
    ("Wanneer kondig je", ["ja"]),
    ("Waar is de", ["nog niet bekend"]),
    ("Van wanneer tot wanneer", ["1 t/m 31 maart 2027"]),
    ("Voorstel: ca.", ["ja"]),  # the hours and euros proposed for a chosen middel
    ("Hoeveel uur kost de", ["een uur of 8"]),
    ("Wat kost de", ["gratis"]),
    ("ander niveau", ["overslaan"]),
    ("Hoe vaak stuur je", ["elke maand"]),
    ("participatierapportage klaar", ["ja"]),
    ("Wanneer evalueer je", ["ja"]),
    ("halverwege", ["weet ik nog niet"]),
    ("Privacy", ["ja"]),
    ("ervaringsdeskundigen", ["weet ik nog niet"]),
    ("samenwerkingsovereenkomst", ["nee"]),
    ("besluit over de opgave", ["1 oktober 2027"]),
]
# every other question: open text
FREE_TEXT = "Dat schrijven we samen met de buurt uit."


@dataclass
class Spot:
    plan_id: str
    data: dict[str, Any]
    state: dict[str, Any]


def settings_at(data_dir: Path, now: str) -> Settings:
    return Settings(data_dir=data_dir, now=datetime.fromisoformat(now), _env_file=None)


def answer_for(text: str, given: dict[str, int]) -> str:
    """The walk's answer to the question `text` (the next of its answers), or free text."""
    for fragment, answers in WALK:
        if fragment.lower() in text.lower():
            n = given.get(fragment, 0)
            given[fragment] = n + 1
            return answers[min(n, len(answers) - 1)]
    return FREE_TEXT


async def walk_to_spots(engine: Engine, store: Store, identity: str) -> dict[str, Spot]:
    """Walk the interview once; keep the state at the first ask of every spot."""
    chat = Chat(engine, identity)
    await chat.start()
    spots: dict[str, Spot] = {}
    given: dict[str, int] = {}
    for _ in range(200):
        if "Klopt alles?" in chat.text:
            break
        text = chat.question.text
        for group, (fragment, _, _) in SPOTS.items():
            if group not in spots and fragment.lower() in text.lower():
                plan = store.plans(owner=identity)[-1]
                state = store.state(identity, plan.id)
                spots[group] = Spot(plan.id, copy.deepcopy(plan.data), copy.deepcopy(state))
        await chat.say(answer_for(text, given))
    missing = set(SPOTS) - set(spots)
    assert not missing, f"never asked: {missing}"
    return spots


@dataclass(frozen=True)
class EngineVerdict:
    understood: bool
    stored_wrongly: bool
    said: str


def _expected(case: corpus.Case) -> Any:
    """The corpus' meaning as the plan's data stores it."""
    means = case.means
    if case.group == "periode":
        return {"van": means[0], "tot": means[1]}
    if case.group in ("uren", "kosten"):  # (lowest, highest or None)
        return (means, None) if not isinstance(means, list) else tuple(means)
    return means


def _means(case: corpus.Case, value: Any) -> bool:
    means = case.means
    if case.group == "datum" and isinstance(means, dict):
        low, high = means["between"]
        return isinstance(value, str) and low <= value <= high
    if case.group in ("uren", "kosten") and isinstance(value, dict):
        low_key = "waarde" if case.group == "uren" else "min"
        return (value.get(low_key), value.get("max")) == _expected(case)
    return value == _expected(case)


def _stored(store: Store, identity: str, spot: Spot, key: str, field: str | None) -> tuple:
    """(whether something was stored at the spot, the value)."""
    plan = store.plan(spot.plan_id)
    state = store.state(identity, spot.plan_id)
    assert plan is not None
    if field is None:
        return key in plan.data and key not in spot.data, plan.data.get(key)
    item = state.get("item")
    if item and field in item["data"]:
        return True, item["data"][field]
    before = len(spot.data.get(key) or [])
    after = plan.data.get(key) or []
    if len(after) > before:
        return True, after[-1].get(field)
    if field == "naam":  # the list itself: closed, or left open as 'nog te bepalen'
        done = key in state.get("done", []) and key not in spot.state.get("done", [])
        return done, None
    return False, None


async def judge(
    engine: Engine, store: Store, identity: str, spots: dict[str, Spot], case: corpus.Case
) -> EngineVerdict:
    """Type the answer at its question, in a fresh copy of the state there, and judge it."""
    spot = spots[case.group]
    _, key, field = SPOTS[case.group]
    store.save(identity, spot.plan_id, copy.deepcopy(spot.data), copy.deepcopy(spot.state))
    replies = await engine.handle(identity, case.say)
    said = "\n".join(r.text for r in replies)
    stored, value = _stored(store, identity, spot, key, field)
    state = store.state(identity, spot.plan_id)
    expected = corpus.OUTCOMES.get(case.means) if isinstance(case.means, str) else None
    if expected is None:
        ok = stored and _means(case, value)
    elif expected is corpus.u.Outcome.ask:
        ok = not stored and bool(state.get("ask")) and ("Bedoel je" in said or "Dat is nog" in said)
    elif expected is corpus.u.Outcome.refuse:
        ok = not stored and any(r.kind == "error" for r in replies)
    elif expected is corpus.u.Outcome.proposal:
        ok = stored and value == engine._profile("leiden").update_ritme_weken
    else:  # unknown, not applicable, none, done: answered, nothing stored as a value
        ok = stored and value is None
    return EngineVerdict(ok, stored and not ok, said)


def today_of(path: Path = corpus.COPY) -> tuple[date, list[corpus.Case], str]:
    import yaml

    now = yaml.safe_load(path.read_text(encoding="utf-8"))["now"]
    today, cases = corpus.load(path)
    return today, cases, now
