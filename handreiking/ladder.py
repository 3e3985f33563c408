"""The participatieladder as a small picture, with the chosen level(s) marked, and in words."""

from __future__ import annotations

from pathlib import Path

from babel.lists import format_list

from handreiking.formatting import PNG
from handreiking.models import Niveau
from handreiking.profiles import Profile

LOCALE = "nl"
# dark blue for a chosen rung, light grey for the others: apart for colour-blind readers too,
# and a chosen rung also carries a check mark and bold text
GEKOZEN, ANDERS, TEKST = "#0b4f9c", "#e3e7ec", "#1a1a1a"


def ladder_png(profile: Profile, gekozen: list[Niveau], path: Path) -> Path:
    """Five rungs, lowest at the bottom, in the gemeente's words; `gekozen` filled in."""
    # matplotlib only when a picture is drawn: a process that only talks need not hold it
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=(4.2, 2.4), dpi=200)
        FigureCanvasAgg(fig)
        ax = fig.add_axes((0, 0, 1, 1))
        ax.axis("off")
        ax.set_xlim(0, 10)
        ax.set_ylim(-0.2, len(Niveau))
        for rank, niveau in enumerate(Niveau):
            chosen = niveau in gekozen
            width = 4.2 + 1.3 * rank  # each rung a step wider: more influence
            ax.barh(rank + 0.5, width, height=0.8, left=0, color=GEKOZEN if chosen else ANDERS)
            label = profile.niveau_label(niveau)
            ax.text(
                0.2,
                rank + 0.5,
                f"✓ {label}" if chosen else label,
                va="center",
                ha="left",
                fontsize=9,
                color="white" if chosen else TEKST,
                fontweight="bold" if chosen else "normal",
            )
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, **PNG)
    return path


def ladder_alt(profile: Profile, gekozen: list[Niveau]) -> str:
    """What the picture shows, for screen readers."""
    treden = format_list([profile.niveau_label(n) for n in Niveau], locale=LOCALE)
    tekst = f"De participatieladder met vijf treden, van laag naar hoog: {treden}."
    if gekozen:
        keuze = format_list([profile.niveau_label(n) for n in gekozen], locale=LOCALE)
        tekst += f" Gekozen: {keuze}."
    return tekst
