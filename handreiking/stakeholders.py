"""The stakeholderanalyse of Heerlen's participatietoolbox ('wie heeft welk belang bij dit
initiatief?'): each party's influence and interest, drawn as a grid, and the same in words."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from handreiking.formatting import PNG
from handreiking.models import Belanghebbende, Mate, Plan, Positie

# the toolbox draws the speelveld of at most twenty parties
MAX_PARTIJEN = 20
# how many names fit in one cell of the grid; the rest is counted
_PER_VAK = 6
# a sign before each name, so the position reads without colour too; Okabe-Ito colours
_POSITIE: dict[Positie | None, tuple[str, str]] = {
    Positie.voor: ("+", "#009E73"),
    Positie.neutraal: ("=", "#555555"),
    Positie.tegen: ("−", "#D55E00"),
    Positie.onbekend: ("?", "#0072B2"),
    None: ("?", "#0072B2"),
}
_MATEN = list(Mate)
_WOORD = {Mate.laag: "weinig", Mate.midden: "enige", Mate.hoog: "veel"}


def geplaatst(plan: Plan) -> list[Belanghebbende]:
    """The parties with both an influence and an interest: those the grid can place."""
    return [b for b in plan.belanghebbenden if b.invloed and b.interesse][:MAX_PARTIJEN]


def vakken(plan: Plan) -> dict[tuple[Mate, Mate], list[Belanghebbende]]:
    """The parties per cell: (invloed, interesse) -> parties, in the order they were named."""
    cells: dict[tuple[Mate, Mate], list[Belanghebbende]] = {}
    for b in geplaatst(plan):
        assert b.invloed and b.interesse
        cells.setdefault((b.invloed, b.interesse), []).append(b)
    return cells


def _naam(b: Belanghebbende) -> str:
    teken, _ = _POSITIE[b.positie]
    naam = " ".join(b.naam.split())
    return f"{teken} {naam if len(naam) <= 28 else naam[:27] + '…'}"


def grid_png(plan: Plan, path: Path) -> Path:
    """Influence (up) against interest (right), each party in its cell with its position."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(grid_png_bytes(plan))
    return path


def grid_png_bytes(plan: Plan) -> bytes:
    """The grid of grid_png as PNG bytes, for a web page."""
    # matplotlib only when a picture is drawn: a process that only talks need not hold it
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    cells = vakken(plan)
    with matplotlib.rc_context({"text.parse_math": False}):
        fig = Figure(figsize=(8, 6), dpi=150)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        for i in range(4):
            ax.axhline(i, color="#999999", lw=0.8)
            ax.axvline(i, color="#999999", lw=0.8)
        for (invloed, interesse), partijen in cells.items():
            x, y = _MATEN.index(interesse), _MATEN.index(invloed)
            regels = partijen[:_PER_VAK]
            for n, b in enumerate(regels):
                _, kleur = _POSITIE[b.positie]
                ax.text(x + 0.06, y + 0.88 - n * 0.14, _naam(b), fontsize=9, color=kleur,
                        va="top")  # fmt: skip
            if len(partijen) > _PER_VAK:
                ax.text(x + 0.06, y + 0.04, f"en nog {len(partijen) - _PER_VAK}", fontsize=7)
        ax.set_xlim(0, 3)
        ax.set_ylim(0, 3)
        ticks = [0.5, 1.5, 2.5]
        ax.set_xticks(ticks, [m.value for m in _MATEN])
        ax.set_yticks(ticks, [m.value for m in _MATEN])
        ax.set_xlabel("Belang bij de opgave")
        ax.set_ylabel("Invloed op het besluit")
        ax.tick_params(length=0)
        titel = " ".join((plan.titel or "").split())
        # one line that fits above the grid (a longer title ran off the picture)
        kop = f"Stakeholderanalyse: {textwrap.shorten(titel, 52, placeholder='…')}"
        ax.set_title(kop if titel else "Stakeholderanalyse", loc="left")
        fig.text(0.01, 0.01, "+ voor   = neutraal   − tegen   ? onbekend", fontsize=8)
        # the words around the grid are the same on every plan and names are cut to fit a
        # cell, so the margins are fixed: tight_layout drew the whole figure once more for them
        fig.subplots_adjust(left=0.115, right=0.98, bottom=0.12, top=0.94)
        out = io.BytesIO()
        fig.savefig(out, **PNG)
    return out.getvalue()


def _wie(b: Belanghebbende) -> str:
    positie = b.positie.value if b.positie else Positie.onbekend.value
    return f"{b.naam} ({positie})"


def alt_tekst(plan: Plan) -> str:
    """What the grid shows, in words, for screen readers (the picture's alt text)."""
    cells = vakken(plan)
    if not cells:
        return "Stakeholderanalyse. Nog geen partij heeft een inschatting van invloed en belang."
    zinnen = ["Stakeholderanalyse: invloed op het besluit tegen belang bij de opgave."]
    for invloed in reversed(_MATEN):
        for interesse in reversed(_MATEN):
            partijen = cells.get((invloed, interesse))
            if partijen:
                wie = ", ".join(_wie(b) for b in partijen)
                zinnen.append(
                    f"{_WOORD[invloed].capitalize()} invloed en {_WOORD[interesse]} belang: {wie}."
                )
    rest = [b.naam for b in plan.belanghebbenden if not (b.invloed and b.interesse)]
    if rest:
        zinnen.append(f"Nog zonder inschatting: {', '.join(rest)}.")
    return " ".join(zinnen)
