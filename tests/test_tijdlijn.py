"""The planning's timeline picture: what it draws, read from the drawn figure."""

from __future__ import annotations

from datetime import date

from matplotlib.figure import Figure

from handreiking import tijdlijn
from handreiking.profiles import load_profile
from tests.document_plans import LEIDEN


def _labels(plan) -> list[str]:
    profile = load_profile("leiden")
    steps = tijdlijn.stappen(plan, profile)
    ax = Figure().add_subplot()
    tijdlijn._draw(ax, plan, steps, sorted({tijdlijn._lane(m) for m in steps}))
    return [text.get_text() for text in ax.texts]


def test_numbers_of_activities_a_day_apart_are_one_label():
    # a meeting on 14 January and a newsletter on the 15th: '1' drawn over '3' read as 'B'
    ontwerpavond, online, schouw = LEIDEN.activiteiten
    schouw = schouw.model_copy(update={"datum": date(2026, 3, 13)})
    labels = _labels(LEIDEN.model_copy(update={"activiteiten": [ontwerpavond, online, schouw]}))
    # one '1' and one '3' left: their announcements, a month apart on a row of their own; the
    # online inbreng's bar keeps its own number
    assert sorted(labels) == ["1", "1, 3", "2", "3"]


def test_numbers_far_apart_keep_their_own_labels():
    assert sorted(_labels(LEIDEN)) == ["1", "1", "2", "3", "3"]  # announcement and activity
