"""Bench: ms per web chat turn through `participatiebot serve`, next to a bare Starlette endpoint
that echoes under the same uvicorn settings, and turns per second with 20 people at once.

Run: .venv/bin/python bench/webchat_bench.py [--no-pdf]   (about two minutes; loopback only)

Each server runs in a process of its own (so on two cores the server has one to itself):
the real `participatiebot serve` command, configured through PARTICIPATIEBOT_* variables with
SQLite under a temporary directory and no chat platform, and a bare Starlette app with one POST
endpoint that answers `{"replies": [{"text": <the body's text>}]}`, served by uvicorn as serve
does it (same Config, a socket bound beforehand), the socket made as uvicorn makes its own: with
IPPROTO_TCP, so asyncio sets TCP_NODELAY on each connection. (Without it a reply written in two
parts waits ~40 ms for the client's delayed ACK.) The people are httpx clients in this process,
with TCP_NODELAY as browsers have it. A person opens a session (POST /chat/api/session, gemeente
Heerlen) and gives every answer of the Heerlen interview (POST /chat/api/message), the summary
confirmed at the end; a turn is one round trip, from sending the request until the reply is read.
Against the echo the same texts go to its one endpoint.

The web chat allows 120 messages a minute per session and 30 new sessions per 10 minutes per
address. An interview is 69 round trips, one session each, so a session stays under the first;
each simulated person sends from an address of its own on the loopback net (127.0.0.x, as real
people come from addresses of their own), so 20 people may open 600 sessions. A refusal (429)
stops the run: it would measure the limit, not the turn.

PDFs are made as users get them: serve starts LibreOffice when `soffice` is on the PATH and
converts each finished plan beside the next turns. --no-pdf sets PARTICIPATIEBOT_SOFFICE empty.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stats import ms  # noqa: E402
from tests.interviews import HEERLEN  # noqa: E402

NOW = "2026-01-12T10:00:00+01:00"
GEMEENTE = "heerlen"
WARMUP_INTERVIEWS = 2
TIMED_INTERVIEWS = 4
PEOPLE = 20
RAMP = 3.0  # seconds before the throughput window opens (everyone has started)
WINDOW = 15.0
NODELAY = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
OURS = ("TELEGRAM_", "SLACK_", "TEAMS_", "PARTICIPATIEBOT_", "SMTP_", "MAIL_FROM")


class Refused(Exception):
    """The server said no (a rate limit, an error): the run stops instead of timing it."""


def script(titel: str) -> list[tuple[str, str]]:
    """(a fragment of the question answered, the answer), the summary confirmed at the end."""
    return [(HEERLEN[0][0], titel), *HEERLEN[1:], ("Klopt alles", "ja")]


class Person:
    """One simulated person on the loopback net, talking to one server."""

    def __init__(self, server: Server, address: str = "127.0.0.1") -> None:
        self.server = server
        self.client = httpx.AsyncClient(
            base_url=server.url,
            # as browsers do: a request's headers and body need not wait for each other's ACK
            transport=httpx.AsyncHTTPTransport(local_address=address, socket_options=NODELAY),
            timeout=60,
        )

    async def __aenter__(self) -> Person:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.client.aclose()

    async def post(self, path: str, body: dict[str, Any]) -> tuple[dict[str, Any], float, float]:
        """(the reply, seconds the round trip took, when it ended)."""
        started = time.perf_counter()
        response = await self.client.post(path, json=body)
        ended = time.perf_counter()
        if response.status_code != 200:
            raise Refused(f"{self.server.kind} {path}: {response.status_code} {response.text}")
        return response.json(), ended - started, ended

    async def interview(
        self, titel: str, deadline: float = float("inf")
    ) -> list[tuple[float, float]]:
        """Round trips (seconds, when it ended) of a whole interview, or until `deadline`."""
        steps = script(titel)
        timed: list[tuple[float, float]] = []
        if self.server.kind == "echo":
            for text in [GEMEENTE, *(answer for _, answer in steps)]:
                reply, took, ended = await self.post("/echo", {"session": "s" * 80, "text": text})
                if reply["replies"][0]["text"] != text:
                    raise Refused(f"echo said {reply!r} to {text!r}")
                timed.append((took, ended))
                if ended >= deadline:
                    break
            return timed
        reply, took, ended = await self.post("/chat/api/session", {"gemeente": GEMEENTE})
        session = reply["session"]
        timed.append((took, ended))
        for fragment, answer in steps:
            if ended >= deadline:
                break
            asked = " ".join(r["text"] for r in reply["replies"] if r["kind"] == "question")
            if fragment.lower() not in asked.lower():  # the interview went another way
                raise Refused(f"expected {fragment!r}, the web chat said {reply['replies']!r}")
            reply, took, ended = await self.post(
                "/chat/api/message", {"session": session, "text": answer}
            )
            timed.append((took, ended))
        else:
            names = [d["name"] for r in reply["replies"] for d in r["documents"]]
            if not any(n.startswith("participatieplan") for n in names):
                raise Refused(f"no participatieplan after the summary: {reply['replies']!r}")
        return timed


async def latency(kind: str, pdf: bool) -> tuple[list[float], list[float]]:
    """Round trips of whole interviews, one person at a time; and of the last turn of each (the
    summary confirmed: the .docx is made then, so it is most of the p99)."""
    async with Server(kind, pdf) as server, Person(server) as person:
        for i in range(WARMUP_INTERVIEWS):
            await person.interview(f"Plek warm-{i}")
        samples: list[float] = []
        last: list[float] = []
        for i in range(TIMED_INTERVIEWS):
            samples += [took for took, _ in await person.interview(f"Plek {i}")]
            last.append(samples[-1])
    return samples, last


async def throughput(kind: str, pdf: bool) -> float:
    """Round trips per second while PEOPLE people interview at once."""
    ended: list[float] = []

    async def someone(server: Server, u: int, deadline: float) -> None:
        # an address of their own: the web chat counts new sessions per address
        async with Person(server, f"127.0.0.{10 + u}") as person:
            n = 0
            while time.perf_counter() < deadline:
                ended.extend(e for _, e in await person.interview(f"Plek {u}-{n}", deadline))
                n += 1

    async with Server(kind, pdf) as server:
        start = time.perf_counter()
        opens, closes = start + RAMP, start + RAMP + WINDOW
        await asyncio.gather(*(someone(server, u, closes) for u in range(PEOPLE)))
    return sum(1 for t in ended if opens <= t < closes) / WINDOW


class Server:
    """`participatiebot serve` or the bare echo app, in a process of its own on a free port."""

    def __init__(self, kind: str, pdf: bool) -> None:
        self.kind = kind
        self.pdf = pdf
        self.dir = tempfile.TemporaryDirectory(prefix="webchat-bench-")
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    async def __aenter__(self) -> Server:
        here = Path(self.dir.name)
        self.log = (here / "server.log").open("wb")
        if self.kind == "echo":
            args = [sys.executable, __file__, "--echo-server", str(self.port)]
        else:
            command = Path(sys.executable).with_name("participatiebot")
            serve = [str(command)] if command.exists() else [sys.executable, "-m", "bot.cli"]
            args = [*serve, "serve"]
        env = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
        env.update(
            PARTICIPATIEBOT_DATA_DIR=str(here / "var"),
            PARTICIPATIEBOT_NOW=NOW,
            PARTICIPATIEBOT_HTTP_HOST="127.0.0.1",
            PARTICIPATIEBOT_HTTP_PORT=str(self.port),
            PYTHONPATH=str(ROOT),
        )
        if not self.pdf:
            env["PARTICIPATIEBOT_SOFFICE"] = ""
        self.process = await asyncio.create_subprocess_exec(
            *args, cwd=here, env=env, stdout=self.log, stderr=self.log
        )
        await self._ready()
        return self

    async def _ready(self) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=5) as client:
            for _ in range(600):
                if self.process.returncode is not None:
                    break
                try:
                    if self.kind == "echo":
                        answered = await client.post("/echo", json={"text": "?"})
                    else:
                        answered = await client.get("/health")
                    if answered.status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        raise Refused(f"{self.kind} did not start:\n{self._said()}")

    def _said(self) -> str:
        self.log.flush()
        return (Path(self.dir.name) / "server.log").read_text(errors="replace")[-3000:]

    async def __aexit__(self, *exc: object) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 30)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        if "Traceback" in self._said():
            print(f"{self.kind} logged an error:\n{self._said()}", file=sys.stderr)
        self.log.close()
        self.dir.cleanup()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_echo(port: int) -> None:
    """The bare echo endpoint, served the way bot/serve.py serves the participatiebot app."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    async def echo(request: Request) -> JSONResponse:
        data = await request.json()
        return JSONResponse({"replies": [{"text": data.get("text", "")}]})

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])
    # made as uvicorn makes its own: with IPPROTO_TCP asyncio sets TCP_NODELAY on each connection
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(128)
    sock.setblocking(False)
    config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


async def main(pdf: bool) -> None:
    began = time.perf_counter()
    echo, _ = await latency("echo", pdf)
    ours, summaries = await latency("participatiebot", pdf)
    echo_rate = await throughput("echo", pdf)
    our_rate = await throughput("participatiebot", pdf)
    (em, ep), (om, op) = ms(echo), ms(ours)
    (rm, rp), (sm, _) = ms([t for t in ours if t not in summaries]), ms(summaries)
    pdfs = "PDFs on" if pdf else "PDFs off"
    print(f"Web chat turn latency, one person at a time ({len(ours)} round trips each, {pdfs})")
    print(f"  bare Starlette echo endpoint        median {em:7.1f} ms   p99 {ep:7.1f} ms")
    print(f"  participatiebot web chat (serve)    median {om:7.1f} ms   p99 {op:7.1f} ms")
    print(f"    without the summary turns         median {rm:7.1f} ms   p99 {rp:7.1f} ms")
    print(f"    the summary turn (.docx made)     median {sm:7.1f} ms")
    print(f"  ratio participatiebot / echo        median {om / em:7.2f}      p99 {op / ep:7.2f}")
    print(f"Throughput, {PEOPLE} people at once ({WINDOW:.0f} s window)")
    print(f"  participatiebot web chat (serve)    {our_rate:7.1f} turns/s")
    print(f"  bare Starlette echo endpoint        {echo_rate:7.1f} turns/s")
    print(f"  ratio participatiebot / echo        {our_rate / echo_rate:7.2f}")
    print(f"({time.perf_counter() - began:.0f} s, {os.cpu_count()} cores)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="serve without LibreOffice")
    parser.add_argument("--echo-server", type=int, metavar="PORT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_server:
        run_echo(args.echo_server)
    else:
        asyncio.run(main(pdf=not args.no_pdf))
