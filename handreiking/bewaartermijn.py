"""How long personal data of a plan is kept (AVG): the participants' consent, and the erasure
date of everything that names them."""

from __future__ import annotations

from datetime import date, timedelta

from handreiking.models import Plan

# What a participant agreed to is kept this long after the traject's last date.
KEEP_AFTER = timedelta(days=90)
# a plan that never closes keeps its participants' data at most this long after it started
CAP = timedelta(days=2 * 365)


def keep_until(plan: Plan, today: date) -> date:
    """The last day a participant's data is kept: some months after the traject's last date."""
    dates = [d for d in (plan.evaluatie_datum, plan.besluitdatum, plan.rapportage_datum) if d]
    dates += [a.eind for a in plan.activiteiten if a.eind]
    end = max(dates) + KEEP_AFTER if dates else today + timedelta(days=365)
    return max(end, today + timedelta(days=30))


def retention_date(started: date, besluit_gemeld: date | None, bewaartermijn_dagen: int) -> date:
    """The day after which the participants' personal data is erased: the gemeente's
    bewaartermijn after the besluit was told to them, and never later than CAP after the start."""
    cap = started + CAP
    if besluit_gemeld is None:
        return cap
    return min(besluit_gemeld + timedelta(days=bewaartermijn_dagen), cap)
