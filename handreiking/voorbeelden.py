"""Learning from finished plans (Heerlen's toolbox: 'afgeronde projecten in te zien als
voorbeeld en inspiratie', with area and beleidsveld): what a finished plan shows others when
its owner agreed, and which finished plans look like a new one."""

from __future__ import annotations

from pydantic import BaseModel, Field

from handreiking.afronding import Afronding
from handreiking.formatting import bedrag, uren
from handreiking.models import Plan
from handreiking.planning import activiteit_tekst
from handreiking.profiles import Profile


class Voorbeeld(BaseModel):
    """A finished plan as others see it: no names, only the owner's role as a contact."""

    plan_id: str
    titel: str
    gebied: str | None = None
    beleidsveld: str | None = None
    niveau: str | None = None
    middelen: list[str] = Field(default_factory=list)  # 'workshop (ca. 12 uur, € 400)'
    goed: str | None = None  # what went well, in the project group's words
    contact_rol: str | None = None


def voorbeeld(plan_id: str, plan: Plan, afronding: Afronding, profile: Profile) -> Voorbeeld:
    """The summary of a finished plan for the gemeente's voorbeeldenbank."""
    middelen = []
    for nr, a in enumerate(plan.activiteiten, 1):
        kosten = [f"{uren(a.uren)} uur"] if a.uren else []
        kosten += [bedrag(a.kosten)] if a.kosten else []
        naam = activiteit_tekst(a, nr).split("(", 1)[-1].rstrip(")")
        middelen.append(f"{naam} ({', '.join(kosten)})" if kosten else naam)
    return Voorbeeld(
        plan_id=plan_id,
        titel=plan.titel or plan_id,
        gebied=plan.gebied,
        beleidsveld=plan.beleidsveld.value if plan.beleidsveld else None,
        niveau=profile.niveau_label(plan.niveau) if plan.niveau else None,
        middelen=middelen,
        goed=afronding.projectgroep.goed if afronding.projectgroep else None,
        contact_rol=plan.eigenaar_rol,
    )


def _zelfde(a: str | None, b: str | None) -> bool:
    return bool(a and b) and " ".join(a.lower().split()) == " ".join(b.lower().split())


def vergelijkbaar(plan: Plan, voorbeelden: list[Voorbeeld], n: int = 3) -> list[Voorbeeld]:
    """Finished plans in the same area first, then those of the same beleidsveld."""
    veld = plan.beleidsveld.value if plan.beleidsveld else None
    gebied = [v for v in voorbeelden if _zelfde(v.gebied, plan.gebied)]
    soort = [v for v in voorbeelden if _zelfde(v.beleidsveld, veld) and v not in gebied]
    return (gebied + soort)[:n]
