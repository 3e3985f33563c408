"""The warm LibreOffice: tagged Dutch PDFs, started again after a crash, shared by threads,
closed with its process; the .docx first and the PDF after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from handreiking import openbaar, pdf, rules
from handreiking.profiles import load_profile
from tests.document_plans import PLANS

TODAY = date(2026, 1, 12)
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def office(warm_office: pdf.Office | None) -> pdf.Office:
    """The session's warm LibreOffice, which must run where LibreOffice is installed."""
    why = "LibreOffice (soffice) is not installed"
    if warm_office is not None:
        try:
            warm_office.start()
            return warm_office
        except pdf.OfficeUnavailable as e:  # no python3-uno, for one
            why = str(e)
    if os.environ.get("CI"):
        pytest.fail(f"{why}; .ci/run installs what the warm LibreOffice needs")
    pytest.skip(why)


def render_public(gemeente: str, folder: Path) -> Path:
    """participatieplan-openbaar.docx of the invented plan of this gemeente, and its PDF."""
    plan, profile = PLANS[gemeente], load_profile(gemeente)
    return openbaar.render_openbaar(plan, profile, rules.check(plan, profile, TODAY), folder)


def public_plan(gemeente: str, folder: Path) -> Path:
    """participatieplan-openbaar.docx alone, for a test to convert."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(pdf.SOFFICE, "")
        return render_public(gemeente, folder)


def text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def tags(path: Path) -> list[str]:
    """The structure elements' types, in document order."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(str(node.S))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(path) as document:
        walk(document.Root.StructTreeRoot)
    return found


def processes(pipe: str) -> list[int]:
    """The LibreOffice processes listening on this UNO pipe."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and f"name={pipe};".encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:  # it ended while we looked
            continue
    return found


def gone(pipe: str, within: float = 20) -> bool:
    deadline = time.monotonic() + within
    while processes(pipe):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.mark.pdf
def test_the_warm_office_makes_a_tagged_dutch_titled_pdf(office: pdf.Office, tmp_path: Path):
    docx = public_plan("leiden", tmp_path)
    assert pdf.to_pdf([docx]) == [docx.with_suffix(".pdf")]
    assert office.running
    with pikepdf.open(docx.with_suffix(".pdf")) as document:
        assert document.Root.MarkInfo.Marked is True
        assert "/StructTreeRoot" in document.Root
        assert str(document.Root.Lang) == "nl-NL"
        assert str(document.docinfo.Title) == "Participatieplan: Herinrichting Lindenplein"
    assert "Herinrichting Lindenplein" in text(docx.with_suffix(".pdf"))
    assert "/H1" in tags(docx.with_suffix(".pdf"))
    # nothing of LibreOffice's left beside the documents (lock files, half PDFs)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


@pytest.mark.pdf
def test_a_killed_libreoffice_is_started_again(office: pdf.Office, tmp_path: Path):
    docx = public_plan("heerlen", tmp_path)
    killed = office.pipe
    pids = processes(killed)
    assert pids, "the warm LibreOffice is not running"
    for pid in pids:
        os.kill(pid, signal.SIGKILL)  # as a crash would
    assert gone(killed)
    assert pdf.to_pdf([docx]) == [docx.with_suffix(".pdf")]
    assert office.pipe != killed and processes(office.pipe)
    assert "Ontmoetingsplek Parkstraat" in text(docx.with_suffix(".pdf"))


@pytest.mark.pdf
def test_two_threads_convert_at_once(office: pdf.Office, tmp_path: Path):
    docs = {
        "Herinrichting Lindenplein": public_plan("leiden", tmp_path / "leiden"),
        "Ontmoetingsplek Parkstraat": public_plan("heerlen", tmp_path / "heerlen"),
    }
    made: dict[str, list[Path]] = {}

    def convert(titel: str) -> None:
        made[titel] = pdf.to_pdf([docs[titel]])

    threads = [threading.Thread(target=convert, args=(titel,)) for titel in docs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    for titel, docx in docs.items():
        assert made[titel] == [docx.with_suffix(".pdf")]
        assert titel in text(docx.with_suffix(".pdf"))


@pytest.mark.pdf
def test_the_docx_comes_first_and_the_pdf_follows(office: pdf.Office, tmp_path: Path):
    rendered: list[tuple[Path, list]] = []

    def render() -> None:
        with pdf.later() as pending:
            rendered.append((render_public("leiden", tmp_path), pending))

    # LibreOffice busy (its lock held): rendering must not wait for it
    with office._lock:
        worker = threading.Thread(target=render)
        worker.start()
        worker.join(timeout=60)
        assert not worker.is_alive(), "rendering waited for the PDF"
        docx, pending = rendered[0]
        assert docx.is_file() and not docx.with_suffix(".pdf").exists()
        assert len(pending) == 1 and not pending[0].done()
    assert pending[0].result(timeout=120) == [docx.with_suffix(".pdf")]
    assert "Herinrichting Lindenplein" in text(docx.with_suffix(".pdf"))


@pytest.mark.pdf
def test_without_libreoffice_the_docx_stands_and_the_user_is_told_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr("handreiking.pdf._state", {"missing": False, "told": False})
    monkeypatch.setenv(pdf.SOFFICE, str(tmp_path / "geen-libreoffice"))
    with pdf.later() as pending:
        docx = render_public("leiden", tmp_path)
    assert docx.is_file()
    assert [f.result(timeout=30) for f in pending] == [[]]
    assert not docx.with_suffix(".pdf").exists()
    assert "LibreOffice is niet geïnstalleerd" in (pdf.notice() or "")
    assert pdf.notice() is None


@pytest.mark.pdf
def test_where_the_warm_office_cannot_run_soffice_makes_the_same_pdf(
    office: pdf.Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    # a LibreOffice that converts from the command line but will not listen on a pipe
    cold_only = tmp_path / "bin" / "soffice"
    cold_only.parent.mkdir()
    cold_only.write_text(
        f'#!/bin/sh\ncase "$*" in *--accept=*) exit 1;; esac\nexec {office.soffice} "$@"\n'
    )
    cold_only.chmod(0o755)
    warm = public_plan("leiden", tmp_path / "warm")
    cold = public_plan("leiden", tmp_path / "cold")
    assert pdf.to_pdf([warm]) == [warm.with_suffix(".pdf")]
    monkeypatch.setenv(pdf.SOFFICE, str(cold_only))
    assert pdf.to_pdf([cold]) == [cold.with_suffix(".pdf")]
    assert pdf.office(str(cold_only)).unavailable
    assert text(warm.with_suffix(".pdf")) == text(cold.with_suffix(".pdf"))
    assert tags(warm.with_suffix(".pdf")) == tags(cold.with_suffix(".pdf"))


@pytest.mark.pdf
def test_libreoffice_ends_with_the_process_that_started_it(office: pdf.Office, tmp_path: Path):
    docx = public_plan("heemstede", tmp_path)
    script = (
        "import sys; from pathlib import Path; from handreiking import pdf\n"
        "print(pdf.to_pdf([Path(sys.argv[1])]), pdf.office(pdf.soffice()).pipe, flush=True)\n"
        "sys.stdin.read()\n"
    )
    env = {k: v for k, v in os.environ.items() if k != pdf.SOFFICE}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(docx)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    made, pipe = child.stdout.readline().rsplit(" ", 1)  # type: ignore[union-attr]
    assert str(docx.with_suffix(".pdf")) in made
    pipe = pipe.strip()
    assert processes(pipe)
    child.kill()  # not even a chance to clean up
    child.wait()
    assert gone(pipe), "LibreOffice outlived the process that started it"
