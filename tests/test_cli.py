"""The command line as a user and a script meet it: chat on a pipe, render, plans, errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from handreiking.documents import document_text
from tests.interviews import HEEMSTEDE, HEERLEN, LEIDEN

BIN = Path(sys.executable).parent / "participatiebot"
NOW = "2026-01-12T10:00:00+01:00"
SCRIPTS = {"leiden": LEIDEN, "heemstede": HEEMSTEDE, "heerlen": HEERLEN}


def env_for(tmp_path: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PARTICIPATIEBOT_") or k == "PARTICIPATIEBOT_SOFFICE"
    }
    env.update(PARTICIPATIEBOT_DATA_DIR=str(tmp_path / "var"), PARTICIPATIEBOT_NOW=NOW)
    return env


def run(tmp_path: Path, *args: str, stdin: str = "", timeout: int = 120):
    return subprocess.run(
        [str(BIN), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
        timeout=timeout,
    )


def piped(script) -> str:
    """One answer per line. A pasted list cannot come through a pipe: there each item is
    typed on its own line, followed by its own fields (the answers whose question names it)."""
    lines: list[str] = []
    i = 0
    while i < len(script):
        items = script[i][1].split("\n")
        i += 1
        if len(items) == 1:
            lines.append(items[0])
            continue
        fields: dict[str, list[str]] = {item: [] for item in items}
        while i < len(script):
            named = [item for item in items if f"'{item}'" in script[i][0]]
            if not named:
                break
            fields[named[0]].append(script[i][1])
            i += 1
        for item in items:
            lines += [item, *fields[item]]
    return "".join(line + "\n" for line in lines)


def convert_to_pdf(docx: Path, out: Path) -> Path:
    soffice = shutil.which("soffice")
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run installs it")
        pytest.skip("LibreOffice (soffice) is not installed")
    profile = out / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = out / (docx.stem + ".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    return pdf


@pytest.mark.parametrize("gemeente", SCRIPTS)
def test_chat_on_a_pipe_writes_documents_that_hold_every_answer(tmp_path, gemeente):
    script = SCRIPTS[gemeente]
    result = run(
        tmp_path, "chat", "--gemeente", gemeente, "--naam", "tester", stdin=piped(script) + "ja\n"
    )
    assert result.returncode == 0, result.stderr + result.stdout[-2000:]
    paths = [Path(line) for line in result.stdout.splitlines() if line.endswith(".docx")]
    assert paths and all(p.is_file() for p in paths)
    text = "\n".join(document_text(p) for p in paths)
    typed = [a for _, a in script if len(a) > 12 and not a[0].isdigit() and "\n" not in a]
    for answer in typed:
        if answer in (
            "maatschappelijke organisatie",
            "samen doen en samen beslissen",
            "weet ik nog niet",
        ):
            continue
        assert answer in text, answer
    for p in paths:
        convert_to_pdf(p, tmp_path)
    assert result.stderr == ""


def test_chat_exits_3_when_input_ends_and_resumes_where_it_stopped(tmp_path):
    first = run(
        tmp_path, "chat", "--gemeente", "leiden", "--naam", "tester", stdin=piped(LEIDEN[:5])
    )
    assert first.returncode == 3
    assert "veel partijen" in first.stdout.splitlines()[-1] or "veel partijen" in first.stdout
    second = run(tmp_path, "chat", "--naam", "tester", stdin="")
    assert second.returncode == 3
    assert "Welkom terug" in second.stdout and "Herinrichting Lindenplein" in second.stdout
    assert "Zijn er veel partijen bij betrokken?" in second.stdout


def test_the_console_says_the_number_of_questions_is_about(tmp_path):
    # '[6/40]' after '[5/37]' promised a total that changes with the answers; the other
    # channels say 'about'
    out = run(
        tmp_path, "chat", "--gemeente", "leiden", "--naam", "tester", stdin=piped(LEIDEN[:5])
    ).stdout
    shown = re.findall(r"^\[(\d+) van ~(\d+)\]$", out, re.MULTILINE)
    assert len(shown) >= 5 and len({total for _, total in shown}) > 1
    assert not re.search(r"^\[\d+/\d+\]", out, re.MULTILINE)


def test_killed_process_resumes_at_the_same_question_with_nothing_lost(tmp_path):
    proc = subprocess.Popen(
        [str(BIN), "chat", "--gemeente", "heerlen", "--naam", "tester"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env_for(tmp_path),
        cwd=tmp_path,
    )
    assert proc.stdin and proc.stdout
    for _, answer in HEERLEN[:4]:
        proc.stdin.write(answer + "\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    seen = ""
    while "accounthouder" not in seen and time.monotonic() < deadline:
        seen += proc.stdout.readline()
    assert "accounthouder" in seen
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)

    again = run(tmp_path, "chat", "--naam", "tester", stdin="")
    assert "contactpersoon (accounthouder)" in again.stdout
    export = run(tmp_path, "plans", "export", "2026-0001")
    data = json.loads(export.stdout)
    assert data["titel"] == "Ontmoetingsplek Parkstraat"
    assert data["beslisser"] == "ambtenaren"


def test_export_then_render_gives_the_same_documents(tmp_path):
    result = run(
        tmp_path, "chat", "--gemeente", "heerlen", "--naam", "t", stdin=piped(HEERLEN) + "ja\n"
    )
    assert result.returncode == 0
    listing = run(tmp_path, "plans", "list")
    plan_id = listing.stdout.split()[0]
    exported = run(tmp_path, "plans", "export", plan_id)
    assert exported.returncode == 0
    answers = tmp_path / "antwoorden.json"
    answers.write_text(exported.stdout, encoding="utf-8")
    rendered = run(tmp_path, "render", str(answers), "--out", str(tmp_path / "uit"))
    assert rendered.returncode == 0, rendered.stderr
    doc = tmp_path / "uit" / "participatieplan.docx"
    assert "Een wekelijkse ontmoetingsochtend voor ouderen." in document_text(doc)

    import yaml

    as_yaml = tmp_path / "antwoorden.yaml"
    as_yaml.write_text(yaml.safe_dump(json.loads(exported.stdout), allow_unicode=True))
    again = run(tmp_path, "render", str(as_yaml), "--out", str(tmp_path / "uit2"))
    assert again.returncode == 0, again.stderr
    assert "Stichting Samen Parkstraat" in document_text(
        tmp_path / "uit2" / "participatieplan.docx"
    )


def test_plans_list_show_and_delete_keep_gemeenten_apart(tmp_path):
    run(tmp_path, "chat", "--gemeente", "leiden", "--naam", "a", stdin="Plan in Leiden\n")
    run(tmp_path, "chat", "--gemeente", "heerlen", "--naam", "b", stdin="Plan in Heerlen\n")
    listing = run(tmp_path, "plans", "list", "--gemeente", "leiden")
    assert "Plan in Leiden" in listing.stdout and "Plan in Heerlen" not in listing.stdout
    heerlen_id = run(tmp_path, "plans", "list", "--gemeente", "heerlen").stdout.split()[0]
    shown = run(tmp_path, "plans", "show", heerlen_id)
    assert "Plan in Heerlen" in shown.stdout and "heerlen" in shown.stdout
    other = run(tmp_path, "plans", "show", heerlen_id, "--gemeente", "leiden")
    assert other.returncode == 1 and "niet gevonden" in other.stderr
    deleted = run(tmp_path, "plans", "delete", heerlen_id)
    assert deleted.returncode == 0
    assert "Plan in Heerlen" not in run(tmp_path, "plans", "list").stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["chat", "--gemeente", "atlantis"], 2, "onbekende gemeente"),
        (["chat", "--plan", "2026-0001", "--nieuw"], 2, "niet allebei"),
        (["plans", "show", "2099-9999"], 1, "niet gevonden"),
        (["render", "bestaat-niet.json", "--out", "x"], 1, "niet gevonden"),
        (["bestaat-niet"], 2, "fout"),
        (["render"], 2, "fout"),
        (["chat", "--plan", "2026-0042"], 1, "niet gevonden"),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, args, code, message):
    result = run(tmp_path, *args)
    assert result.returncode == code
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_render_rejects_a_broken_answer_file_in_one_line(tmp_path):
    bad = tmp_path / "kapot.json"
    bad.write_text('{"titel": "x", "besluitdatum": "geen datum"}')
    result = run(tmp_path, "render", str(bad), "--out", str(tmp_path / "uit"))
    assert result.returncode == 1
    assert "besluitdatum" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    bad.write_text("{ niet: [json")
    result = run(tmp_path, "render", str(bad), "--out", str(tmp_path / "uit"))
    assert result.returncode == 1 and "geen geldige" in result.stderr


def test_db_upgrade(tmp_path):
    result = run(tmp_path, "db", "upgrade")
    assert result.returncode == 0
    assert (tmp_path / "var" / "participatiebot.db").is_file()


def test_gemeente_template_override_wins(tmp_path):
    from docx import Document

    own = tmp_path / "var" / "templates" / "heerlen"
    own.mkdir(parents=True)
    doc = Document()
    doc.add_paragraph("Huisstijl Heerlen: {{ titel }}")
    doc.save(own / "participatieplan.docx")
    result = run(
        tmp_path, "chat", "--gemeente", "heerlen", "--naam", "t", stdin=piped(HEERLEN) + "ja\n"
    )
    assert result.returncode == 0, result.stderr
    path = next(Path(x) for x in result.stdout.splitlines() if x.endswith("participatieplan.docx"))
    assert document_text(path).strip() == "Huisstijl Heerlen: Ontmoetingsplek Parkstraat"


def test_wheel_ships_conversations_and_templates(tmp_path):
    """A non-editable install works: the interview data and Word templates are in the wheel."""
    root = Path(__file__).resolve().parent.parent
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(tmp_path),
            str(root),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if built.returncode != 0 and "hatchling" in built.stderr:
        built = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(root)],
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next(tmp_path.glob("participatiebot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "handreiking/_shipped/conversations/participatieplan.yaml" in names
    assert "handreiking/_shipped/templates/participatieplan.docx" in names
    assert "handreiking/_shipped/templates/messages/engine.yaml" in names
    for name in ("participants", "telegram", "closing", "evaluation"):
        assert f"handreiking/_shipped/templates/messages/{name}.yaml" in names
    assert "handreiking/profiles/leiden.yaml" in names

    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    code = (
        "import handreiking.resources as r, bot.engine.conversation as c;"
        "print(r.shipped('templates'));"
        "print(len(c.load_conversation().questions))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert out.returncode == 0, out.stderr
    assert str(target) in out.stdout.splitlines()[0]
    assert int(out.stdout.splitlines()[1]) > 30


def test_a_list_pasted_in_a_terminal_is_one_message_without_a_last_line_break(tmp_path):
    """Copied from a document, a list often ends without a line break: that last line waited
    in the terminal until Enter and became the answer to the next question."""
    import pty
    import select

    master, terminal = pty.openpty()
    proc = subprocess.Popen(
        [str(BIN), "chat", "--gemeente", "heerlen", "--naam", "tester"],
        stdin=terminal,
        stdout=terminal,
        stderr=subprocess.DEVNULL,
        env=env_for(tmp_path),
        cwd=tmp_path,
    )
    os.close(terminal)
    seen = b""

    def until(fragment: str) -> str:
        nonlocal seen
        deadline = time.monotonic() + 60
        while fragment.encode() not in seen and time.monotonic() < deadline:
            if select.select([master], [], [], 1)[0]:
                seen += os.read(master, 65536)
        text = seen.decode(errors="replace")
        assert fragment in text, text[-2000:]
        seen = seen[seen.index(fragment.encode()) + len(fragment) :]
        return text

    try:
        asked = until("\x1b[?2004h")  # the terminal is asked to mark what is pasted
        for fragment, answer in HEERLEN[
            : HEERLEN.index(("Welke groepen", "Ouderen in de wijk\nMantelzorgers"))
        ]:
            assert fragment in asked or fragment in until(fragment)
            os.write(master, answer.encode() + b"\r")
            asked = until("> ")
        until("Welke groepen")
        # what the terminal sends when three lines are pasted, the last without its line break,
        # and then Enter is pressed
        os.write(master, b"\x1b[200~Omwonenden\rSkaters\rSporthal / beheerder\x1b[201~")
        time.sleep(0.5)
        os.write(master, b"\r")
        said = until("rol heeft 'Omwonenden'")
        assert "3 groepen" in said and "Sporthal / beheerder" in said
        os.write(master, b"pauze\r")
        proc.wait(timeout=60)
        until("\x1b[?2004l")  # and the terminal is put back
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
