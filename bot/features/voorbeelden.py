"""The voorbeeldenbank: finished plans whose owner agreed, for advisors and for new interviews."""

from __future__ import annotations

from typing import Any

from bot.engine.registry import Registry
from bot.engine.texts import messages
from bot.settings import Settings
from bot.storage import Store
from handreiking.afronding import lees_afronding
from handreiking.models import Plan
from handreiking.profiles import Profile
from handreiking.voorbeelden import Voorbeeld, vergelijkbaar, voorbeeld


def _texts() -> dict[str, str]:
    return messages("voorbeelden")


def voorbeelden(store: Store, settings: Settings, profile: Profile) -> list[Voorbeeld]:
    """The gemeente's finished plans whose owner said yes to sharing them, newest first."""
    found = []
    for record in reversed(store.plans(gemeente=profile.key, status=["afgerond"])):
        afronding = lees_afronding(record.data)
        if afronding.voorbeeld:
            found.append(voorbeeld(record.id, Plan.model_validate(record.data), afronding, profile))
    return found


def regel(v: Voorbeeld) -> str:
    """One finished plan on one line: what, where, level, middelen, whom to ask."""
    waar = ", ".join(x for x in (v.gebied, v.beleidsveld, v.niveau) if x)
    text = f"{v.titel} ({waar})" if waar else v.titel
    if v.middelen:
        text += _texts()["middelen"].format(middelen="; ".join(v.middelen))
    if v.goed:
        text += _texts()["goed"].format(goed=v.goed.strip().rstrip("."))
    if v.contact_rol:
        text += _texts()["contact"].format(rol=v.contact_rol)
    return text


def vergelijkbaar_bericht(engine: Any, turn: Any) -> str | None:
    """After area and beleidsveld: finished plans in the same area or of the same kind."""
    plan = Plan.model_validate(turn.data)
    if not (plan.gebied or plan.beleidsveld):
        return None
    alle = [
        v
        for v in voorbeelden(engine.store, engine.settings, turn.profile)
        if v.plan_id != turn.record.id
    ]
    gevonden = vergelijkbaar(plan, alle)
    if not gevonden:
        return None
    return "\n".join([_texts()["intro"], *(f"- {regel(v)}" for v in gevonden)])


def register(registry: Registry) -> None:
    registry.hook("voorbeelden.vergelijkbaar", vergelijkbaar_bericht)
