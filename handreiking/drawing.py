"""The documents' pictures (ladder, timeline, stakeholder grid) drawn in a process of its own.

matplotlib takes most of the time a document takes to write (about 180 of 250 ms). In a server
that time is taken from every other conversation, since Python runs one thread at a time.
`enable()` (serve does it) starts one worker process, which loads matplotlib while the server
starts; documents are drawn by it beside the server, which writes the rest of the document
meanwhile: its own time per document drops to the Word part, and matplotlib (some 40 MB) never
loads in the server. A document asked for while the worker still starts waits for it (at most
READY_WAIT seconds). Without `enable()` (the console, the tests, the command line) everything is
drawn in this process. A worker that dies is not started again: the pictures are then drawn here.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

# how long a document waits for a worker that is still starting before it draws here
READY_WAIT = 30.0
# how often the worker looks whether the server that started it still runs (seconds)
PARENT_CHECK = 1.0

_pool: ProcessPoolExecutor | None = None
_enabled = False
_ready = threading.Event()  # the worker has started and loaded what drawing needs
_lock = threading.RLock()  # _started may run inside _start, when the worker failed at once


def _warm() -> None:
    """In the worker, before its first picture: what drawing needs, so that one is not slow;
    every core, where the server keeps to one (handreiking.cores)."""
    from handreiking import cores

    cores.all_cores()
    _follow(os.getppid())
    import matplotlib.backends.backend_agg  # noqa: F401
    import matplotlib.figure  # noqa: F401

    from handreiking import ladder, stakeholders, tijdlijn  # noqa: F401


def _follow(parent: int) -> None:
    """In the worker: stop when the server is gone. One killed outright (SIGKILL, the OOM killer)
    cannot stop its worker, and the worker, which holds its own end of the task queue, would
    wait for tasks forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK)
        os._exit(0)

    threading.Thread(target=watch, name="follow-parent", daemon=True).start()


def enable() -> None:
    """Draw in a worker process, started now."""
    global _enabled
    _enabled = True
    _start()


def _start() -> None:
    global _pool
    with _lock:
        if _pool is None and _enabled:
            # spawn: a fresh interpreter, not a fork of a server with threads and open sockets
            context = multiprocessing.get_context("spawn")
            _pool = ProcessPoolExecutor(1, mp_context=context, initializer=_warm)
            # started and warmed now; until it is, pictures are drawn here
            _pool.submit(int).add_done_callback(_started)


def _started(done: Future[int]) -> None:
    """The worker's first task finished: ready, or (it could not start) drawing stays here."""
    if done.exception() is None:
        _ready.set()
    else:
        _give_up()


def stop() -> None:
    global _pool, _enabled
    with _lock:
        pool, _pool, _enabled = _pool, None, False
        _ready.clear()
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def draw(func: Callable[..., Path], *args: Any) -> Callable[[], Path]:
    """Start drawing `func(*args)` (it writes the picture to its last argument, a path) and
    return what waits for it; in this process when no worker runs."""
    with _lock:
        pool = _pool
    if pool is not None and not _ready.wait(READY_WAIT):
        pool = None  # still not started: draw here rather than keep the document waiting
    if pool is None:
        return lambda: func(*args)
    try:
        future: Future[Path] = pool.submit(func, *args)
    except (BrokenProcessPool, RuntimeError):
        _give_up()
        return lambda: func(*args)

    def result() -> Path:
        try:
            return future.result()
        except BrokenProcessPool:
            _give_up()
            return func(*args)

    return result


def ahead(func: Callable[..., Path], *args: Any) -> Future[bytes] | None:
    """Begin drawing `func(*args, path)` in the worker, when it runs and is ready, for a
    document not asked for yet: the picture comes back as bytes. None without a ready worker
    (nothing is drawn here: nobody waits for this picture yet)."""
    with _lock:
        pool = _pool
    if pool is None or not _ready.is_set():
        return None
    try:
        return pool.submit(_as_bytes, func, *args)
    except (BrokenProcessPool, RuntimeError):
        _give_up()
        return None


def _as_bytes(func: Callable[..., Path], *args: Any) -> bytes:
    """In the worker: the picture drawn into a file of its own, as bytes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return func(*args, Path(tmp) / "picture.png").read_bytes()


def _give_up() -> None:
    """The worker died or could not start: draw here from now on (a worker that keeps dying
    must not be started again and again)."""
    global _pool, _enabled
    with _lock:
        broken, _pool, _enabled = _pool, None, False
        _ready.clear()
    if broken is not None:
        log.warning("de tekenaar in een eigen proces stopte; ik teken de afbeeldingen zelf")
        broken.shutdown(wait=False, cancel_futures=True)
