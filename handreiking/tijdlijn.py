"""The planning as a picture: a timeline of the milestones, and the same in words.

Only real steps of the traject are drawn (activities, aankondigingen, rapportage, besluit,
evaluatie); the owner's interim-update reminders are a to-do, not part of a document.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from babel.dates import format_date

from handreiking.formatting import LOCALE, PNG, datum
from handreiking.models import Plan
from handreiking.planning import Milestone, activiteit_tekst, milestones
from handreiking.profiles import Profile

# one lane per kind of step, top to bottom in the order of the traject; Okabe-Ito colours
# stay apart for people with colour blindness, and each lane has its own marker as well
_LANES: list[tuple[str, tuple[str, ...], str, str]] = [
    ("Aankondiging", ("aankondiging",), "#E69F00", "v"),
    ("Activiteiten", ("activiteit", "activiteit_eind"), "#0072B2", "o"),
    ("Online inbreng", ("inbreng_open", "inbreng_dicht"), "#009E73", "s"),
    ("Rapportage", ("rapportage",), "#CC79A7", "P"),
    ("Besluit", ("besluit",), "#D55E00", "*"),
    ("Evaluatie", ("tussentijdse_evaluatie", "evaluatie"), "#56B4E9", "X"),
]
# a period is drawn as a bar from its first to its last milestone
_PERIODS = {"activiteit": "activiteit_eind", "inbreng_open": "inbreng_dicht"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def label(m: Milestone, plan: Plan, by_name: bool = False) -> str:
    """A short Dutch name for a milestone: 'Aankondiging van activiteit 1 (bijeenkomst)'.
    `by_name`: an activity by what it is ('Ontwerpavond (bijeenkomst)'), for the people it is
    about, who do not know the plan's numbering."""
    naam = ""
    if m.activiteit and m.activiteit <= len(plan.activiteiten):
        a = plan.activiteiten[m.activiteit - 1]
        if by_name and (a.omschrijving or "").strip():
            naam = f"{a.omschrijving.strip()} ({a.type.value})"
        else:
            naam = a.type.value if by_name else activiteit_tekst(a, m.activiteit)
    match m.soort:
        case "aankondiging":
            return f"Aankondiging van {naam}"
        case "activiteit":
            return _cap(naam) if _period(m, plan) is None else f"Start van {naam}"
        case "activiteit_eind":
            return f"Einde van {naam}"
        case "inbreng_open":
            return f"{_cap(naam)} gaat open"
        case "inbreng_dicht":
            return f"{_cap(naam)} sluit"
        case "rapportage":
            return "Participatierapportage klaar"
        case "besluit":
            return m.omschrijving.rstrip(".")
        case "tussentijdse_evaluatie":
            return "Tussentijdse evaluatie"
        case _:
            return "Evaluatie van het traject"


def _period(m: Milestone, plan: Plan) -> tuple[date, date] | None:
    """The period of the activity a milestone starts, if it has one."""
    if m.soort in _PERIODS and m.activiteit and m.activiteit <= len(plan.activiteiten):
        periode = plan.activiteiten[m.activiteit - 1].periode
        if periode:
            return periode.van, periode.tot
    return None


def stappen(plan: Plan, profile: Profile) -> list[Milestone]:
    """The milestones a reader of the plan sees: everything but the owner's reminders."""
    return [m for m in milestones(plan, profile) if m.soort != "update"]


def _lane(m: Milestone) -> int:
    return next(i for i, (_, soorten, _, _) in enumerate(_LANES) if m.soort in soorten)


def tijdlijn_png(plan: Plan, profile: Profile, path: Path) -> Path:
    """The milestones of `stappen` as a timeline PNG with Dutch month names."""
    # matplotlib only when a picture is drawn: a process that only talks need not hold it
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    steps = stappen(plan, profile)
    lanes = sorted({_lane(m) for m in steps})
    # '$' in a title is text here, not a formula
    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=(8, 1.4 + 0.45 * max(len(lanes), 1)), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        if not steps:
            ax.axis("off")
            ax.text(0.5, 0.5, "De planning heeft nog geen data.", ha="center", va="center")
        else:
            _draw(ax, plan, steps, lanes)
        ax.set_title(f"Planning: {_kort(plan.titel)}" if plan.titel else "Planning", loc="left")
        fig.tight_layout()
        fig.set_layout_engine(None)
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, **PNG)
    return path


def _kort(titel: str, limit: int = 60) -> str:
    """The title on one line that fits above the picture (80 characters ran off its edge)."""
    # a control character typed or pasted into the title has no glyph: a box in the picture
    line = " ".join("".join(ch for ch in titel if ch.isprintable() or ch.isspace()).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _together(
    numbers: list[tuple[float, float, str]], close: float
) -> list[tuple[float, float, str]]:
    """The labels of one row that lie within `close` of each other as one: '1, 3' above the
    middle of their points."""
    groups: list[list[tuple[float, float, str]]] = []
    for x, y, text in sorted(numbers, key=lambda n: (n[1], n[0])):
        if groups and groups[-1][-1][1] == y and x - groups[-1][-1][0] <= close:
            groups[-1].append((x, y, text))
        else:
            groups.append([(x, y, text)])
    return [
        (sum(n[0] for n in g) / len(g), g[0][1], ", ".join(sorted((n[2] for n in g), key=int)))
        for g in groups
    ]


def _draw(ax, plan: Plan, steps: list[Milestone], lanes: list[int]) -> None:
    from matplotlib.dates import DateFormatter, MonthLocator, date2num, num2date
    from matplotlib.ticker import FuncFormatter

    row = {lane: len(lanes) - 1 - n for n, lane in enumerate(lanes)}  # first lane on top
    numbers: list[tuple[float, float, str]] = []  # (x, y, the activity's number)
    for m in steps:
        lane = _lane(m)
        _, _, kleur, marker = _LANES[lane]
        y = row[lane]
        periode = _period(m, plan)
        x = date2num(m.datum)
        if periode:
            van, tot = date2num(periode[0]), date2num(periode[1] + timedelta(days=1))
            ax.broken_barh([(van, tot - van)], (y - 0.18, 0.36), color=kleur)
            x = (van + tot) / 2  # the number goes above the middle of the bar
        elif m.soort in _PERIODS.values() and m.activiteit:
            continue  # the end of a period: part of its bar
        else:
            ax.plot(x, y, marker=marker, color=kleur, markersize=9, ls="none")
        if m.activiteit:
            numbers.append((x, y, str(m.activiteit)))
    first, last = steps[0].datum, steps[-1].datum
    # numbers a day or so apart are drawn over each other ('1' on '3' read as 'B'): one label
    close = max((last - first).days, 30) / 40
    for x, y, text in _together(numbers, close):
        ax.annotate(
            text, (x, y), xytext=(0, 8), textcoords="offset points", ha="center", fontsize=8
        )
    ax.set_xlim(date2num(first - timedelta(days=10)), date2num(last + timedelta(days=10)))
    ax.set_ylim(-0.7, len(lanes) - 0.3)
    ax.set_yticks(list(row.values()), [_LANES[lane][0] for lane in row])
    months = (last.year - first.year) * 12 + last.month - first.month
    ax.xaxis.set_major_locator(MonthLocator(interval=1 if months <= 9 else 2))
    ax.xaxis.set_major_formatter(
        FuncFormatter(lambda x, _: format_date(num2date(x).date(), "MMM yyyy", locale=LOCALE))
    )
    ax.xaxis.set_minor_formatter(DateFormatter(""))
    ax.tick_params(axis="x", labelsize=8)
    ax.grid(axis="x", color="#dddddd")
    ax.set_axisbelow(True)
    ax.spines[["top", "right", "left"]].set_visible(False)


def alt_tekst(plan: Plan, profile: Profile) -> str:
    """What the timeline shows, in words, for screen readers (the picture's alt text)."""
    steps = stappen(plan, profile)
    if not steps:
        return "Tijdlijn van de planning. De planning heeft nog geen data."
    zinnen = [
        f"Tijdlijn van de planning, van {datum(steps[0].datum)} tot en met "
        f"{datum(steps[-1].datum)}."
    ]
    for m in steps:
        periode = _period(m, plan)
        if periode:
            naam = activiteit_tekst(plan.activiteiten[m.activiteit - 1], m.activiteit)
            zinnen.append(f"Van {datum(periode[0])} tot en met {datum(periode[1])}: {naam}.")
        elif m.soort in _PERIODS.values() and m.activiteit:
            continue  # said with the start of its period
        else:
            zinnen.append(f"{datum(m.datum)}: {label(m, plan)}.")
    return " ".join(zinnen)
