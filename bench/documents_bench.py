"""Bench: rendering a participatieplan .docx, and its PDF through the warm LibreOffice next to a
cold `soffice --convert-to` start, measured side by side in one run.

Run: .venv/bin/python bench/documents_bench.py [renders] [pdfs]   (default 50 10; about a
minute on 2 cores). The plan is the invented Leiden plan of tests/document_plans.py. The PDF is
its public version (participatieplan-openbaar, a document meant for publication), tagged with
the same export options either way; warm and cold conversions alternate so both see the same
machine. Goal: the warm PDF median <= 0.5 s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import ms  # noqa: E402
from handreiking import openbaar, pdf, rules  # noqa: E402
from handreiking.documents import render_documents  # noqa: E402
from handreiking.profiles import load_profile  # noqa: E402
from tests.document_plans import LEIDEN  # noqa: E402

TODAY = date(2026, 1, 12)


def timed(fn: Callable[[], object]) -> float:
    began = time.perf_counter()
    fn()
    return time.perf_counter() - began


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def office_pids(pipe: str) -> list[int]:
    """The worker and the LibreOffice processes of the warm office (they share the pipe name)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and pipe.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
        except OSError:
            continue
    return found


def main() -> None:
    renders = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    pdfs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    exe = pdf.soffice()
    if exe is None:
        sys.exit("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    began = time.perf_counter()
    profile = load_profile(LEIDEN.gemeente)
    findings = rules.check(LEIDEN, profile, TODAY)
    with tempfile.TemporaryDirectory(prefix="documents-bench-") as tmp:
        folder = Path(tmp)
        os.environ[pdf.SOFFICE] = ""  # the .docx alone; the PDFs are timed below
        first = timed(lambda: render_documents(LEIDEN, profile, findings, folder / "first"))
        spans = [
            timed(lambda: render_documents(LEIDEN, profile, findings, folder / "docx"))
            for _ in range(renders)
        ]
        written = sorted(p.name for p in (folder / "docx").glob("*.docx"))
        docx = openbaar.render_openbaar(LEIDEN, profile, findings, folder / "pdf")
        del os.environ[pdf.SOFFICE]

        office = pdf.office(exe)
        start = timed(office.start)
        cold_profile = (folder / "cold-profile").as_uri()
        command = [exe, f"-env:UserInstallation={cold_profile}", "--headless", "--norestore"]
        command += ["--convert-to", pdf.EXPORT, "--outdir", str(folder / "cold"), str(docx)]

        def cold() -> None:
            subprocess.run(command, check=True, capture_output=True, timeout=pdf.TIMEOUT)

        def warm() -> None:
            assert pdf.to_pdf([docx]) == [docx.with_suffix(".pdf")]

        first_warm, first_cold = timed(warm), timed(cold)  # Writer loaded, cold profile made
        warm_spans, cold_spans = [], []
        for _ in range(pdfs):
            warm_spans.append(timed(warm))
            cold_spans.append(timed(cold))
        office_rss = rss_mb(office_pids(office.pipe))
        office.stop()

    (dm, dp), (wm, wp), (cm, cp) = ms(spans), ms(warm_spans), ms(cold_spans)
    row = "  {:<34} median {:7.1f} ms   p99 {:7.1f} ms"
    print(f"participatieplan .docx (render_documents, Leiden plan: {', '.join(written)})")
    print(row.format(f"{renders} renders", dm, dp))
    print(f"  {'first in the process':<34} {first * 1000:7.1f} ms (timeline drawn, files read)")
    print(f"Tagged PDF of participatieplan-openbaar.docx ({pdfs} each, alternating)")
    print(row.format("warm LibreOffice (pdf.to_pdf)", wm, wp))
    print(row.format("cold soffice --convert-to", cm, cp))
    print(f"  {'ratio warm / cold':<34} median {wm / cm:7.2f}   (goal: warm median <= 500 ms)")
    print(f"  warm LibreOffice: start {start * 1000:.0f} ms, first PDF {first_warm * 1000:.0f} ms")
    print(f"  first cold start (new profile) {first_cold * 1000:.0f} ms")
    print(f"  warm LibreOffice's memory (worker and office) {office_rss:.0f} MB RSS")
    print(f"({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    main()
