"""The documents' pictures drawn by a worker process (serve), and here when it is gone."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

import pytest

from handreiking import documents, drawing, rules
from handreiking.profiles import load_profile
from tests.document_plans import LEIDEN


@pytest.fixture
def worker():
    drawing.enable()
    yield
    drawing.stop()


def _pictures(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}


def _render(tmp_path: Path, name: str) -> dict[str, bytes]:
    documents._DRAWN.clear()  # drawn again, not taken from the last render
    profile = load_profile("leiden")
    findings = rules.check(LEIDEN, profile, date(2026, 1, 12))
    out = documents.render("participatieplan", LEIDEN, profile, findings, tmp_path / name)
    return _pictures(out)


def _worker_pid() -> int:
    [pid] = list(drawing._pool._processes)  # type: ignore[union-attr]
    return pid


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def test_the_worker_draws_the_same_pictures_as_this_process(tmp_path, worker):
    assert drawing._ready.wait(60), "the drawing worker did not start"  # started by enable()
    pid = _worker_pid()
    before = _cpu_ticks(pid)
    here = _render(tmp_path, "here.docx")
    assert len(here) == 3  # ladder, timeline, stakeholder grid
    assert _cpu_ticks(pid) > before  # the first document is drawn by the worker too
    drawing.stop()
    here = _render(tmp_path, "here.docx")  # and in this process, without the worker
    drawing.enable()
    assert drawing._ready.wait(60), "the drawing worker did not start"
    pid = _worker_pid()
    before = _cpu_ticks(pid)
    there = _render(tmp_path, "there.docx")
    assert there == here  # the same bytes, wherever they are drawn
    assert _cpu_ticks(pid) > before  # and the worker drew them


def test_a_dead_worker_leaves_the_pictures_to_this_process(tmp_path, worker):
    _render(tmp_path, "first.docx")
    assert drawing._ready.wait(60), "the drawing worker did not start"
    os.kill(_worker_pid(), signal.SIGKILL)
    pictures = _render(tmp_path, "after.docx")
    assert len(pictures) == 3  # the document is whole
    assert drawing._pool is None  # and no new worker is started again and again
    assert len(_render(tmp_path, "later.docx")) == 3


def test_the_worker_stops_when_the_server_is_killed(tmp_path):
    # a server killed outright (SIGKILL) left its worker waiting for tasks, for good
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVER],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        pid = int(server.stdout.readline())  # the worker's, once it is ready
        assert Path(f"/proc/{pid}").exists()
    finally:
        server.kill()
        server.wait()
    deadline = time.monotonic() + 10 * drawing.PARENT_CHECK
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pid), "the drawing worker outlived its server"


_SERVER = """
import sys, time
from handreiking import drawing
drawing.enable()
drawing._ready.wait(60)
print(list(drawing._pool._processes)[0], flush=True)
time.sleep(60)
"""


def _alive(pid: int) -> bool:
    """Running, not a zombie waiting for whoever adopted it to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_a_control_character_in_the_title_draws_no_empty_box(tmp_path):
    import warnings

    from handreiking.models import Plan
    from handreiking.tijdlijn import tijdlijn_png

    plan = Plan(titel="Speeltuin \x1b[31mKerkpad", besluitdatum=date(2027, 3, 1))
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        tijdlijn_png(plan, load_profile("leiden"), tmp_path / "tijdlijn.png")
    assert not [w for w in said if "missing from font" in str(w.message)]


async def test_the_pictures_are_drawn_while_the_summary_is_read(worker, chat):
    from tests.interviews import LEIDEN as SCRIPT
    from tests.interviews import answer_script

    assert drawing._ready.wait(60), "the drawing worker did not start"
    documents._DRAWN.clear()
    await chat.start(gemeente="leiden")
    await answer_script(chat, SCRIPT)
    assert chat.question.input == "yesno" and any(r.kind == "summary" for r in chat.replies)
    ahead = list(documents._AHEAD.values())
    assert len(ahead) >= 2  # the ladder and the timeline at least, begun in the worker
    drawn = sorted(f.result(timeout=60) for f in ahead)
    pid = _worker_pid()
    before = _cpu_ticks(pid)
    await chat.say("ja")
    [plan] = [p for r in chat.replies for p in r.documents if p.name == "participatieplan.docx"]
    # the document holds the pictures drawn while the summary was read, and none was drawn again
    assert sorted(_pictures(plan).values()) == drawn
    assert _cpu_ticks(pid) == before
