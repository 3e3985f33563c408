"""How long personal data is kept: pure rules over the plan and the dates of its traject."""

from __future__ import annotations

from datetime import date

from handreiking.bewaartermijn import keep_until, retention_date
from handreiking.lifecycle import ADOPTED, RUNNING, Status
from handreiking.models import Activiteit, Periode, Plan

TODAY = date(2026, 1, 12)


def test_a_participant_is_kept_90_days_after_the_last_date_of_the_traject() -> None:
    plan = Plan(
        besluitdatum=date(2026, 10, 1),
        evaluatie_datum=date(2026, 11, 12),
        activiteiten=[
            Activiteit(
                type="workshop", periode=Periode(van=date(2026, 3, 1), tot=date(2026, 12, 1))
            )
        ],
    )
    assert keep_until(plan, TODAY) == date(2027, 3, 1)


def test_without_dates_a_year_and_never_less_than_30_days() -> None:
    assert keep_until(Plan(), TODAY) == date(2027, 1, 12)
    old = Plan(evaluatie_datum=date(2025, 1, 1))
    assert keep_until(old, TODAY) == date(2026, 2, 11)


def test_retention_runs_from_the_besluit_told_and_is_capped_at_two_years() -> None:
    started = date(2026, 1, 12)
    assert retention_date(started, None, 90) == date(2028, 1, 12)
    assert retention_date(started, date(2026, 12, 1), 90) == date(2027, 3, 1)
    assert retention_date(started, date(2027, 12, 1), 365) == date(2028, 1, 12)


def test_the_status_sets_hold_the_stored_strings() -> None:
    assert "vastgesteld" in RUNNING and "in_uitvoering" in RUNNING
    assert "afgerond" not in RUNNING and "afgerond" in ADOPTED
    assert Status.concept not in ADOPTED
