"""The server's Python on one core; the processes it starts on all of them.

A `serve` process runs its conversations on worker threads beside the event loop, and Python
runs one thread at a time. On two or more cores those threads take turns on different cores,
each time on caches the other one filled: measured on two cores, a turn cost half again as much
processor time as with every thread on one core (`bench/telegram_bench.py`: 270 turns/s spread
out, 380 on one core). Python code gains nothing from the second core anyway, so `serve` keeps
its threads on one of the cores it may use. The drawing worker and LibreOffice, which do
the heavy work beside it, are processes of their own and use every core again.

Linux only (sched_setaffinity); elsewhere, or with one core, nothing changes. A process started
on one core already (`taskset -c 3 participatiebot serve`) stays on it.
"""

from __future__ import annotations

import contextlib
import os

# the cores the server could use before it kept to one, for the processes it starts
ALL_CORES = "PARTICIPATIEBOT_ALL_CORES"
_kept: int | None = None  # the core one_core chose


def kept() -> int | None:
    """The core this process keeps to since one_core(); None when it did not."""
    return _kept


def one_core() -> int | None:
    """Keep this thread, and every thread and process it starts from now on, on one core; call
    it before any thread starts. The core: one of those allowed, by process id, so several
    servers on one machine spread out. Returns the core, or None when nothing changed."""
    global _kept
    if not hasattr(os, "sched_setaffinity"):
        return None
    allowed = sorted(os.sched_getaffinity(0))
    if len(allowed) < 2:
        return None
    core = allowed[os.getpid() % len(allowed)]
    try:
        os.sched_setaffinity(0, {core})
    except OSError:  # not allowed here (a sandbox): serve runs as it is, on every core
        return None
    os.environ[ALL_CORES] = ",".join(map(str, allowed))
    _kept = core
    return core


def all_cores() -> None:
    """In a process the server started: every core the server could use."""
    cores = os.environ.get(ALL_CORES)
    if cores and hasattr(os, "sched_setaffinity"):
        with contextlib.suppress(OSError, ValueError):
            os.sched_setaffinity(0, {int(c) for c in cores.split(",")})
