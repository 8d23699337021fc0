"""CPU-heavy work (parsing and evaluating an import, building a workbook, rendering a
document) runs in processes of a pool owned by the web app's or the worker's lifecycle,
never on the event loop's thread nor in a thread of its process.

A thread of the web process that holds the GIL for long makes every request wait its
turn for it: /health answered in 0.24–0.43 s during a 20,000-row import parsed in a
thread. The pool's processes have their own interpreters. Its size is
``CONGVU_CPU_WORKERS`` (default 2); processes start on first use (spawn: no copy of the
event loop, the database pool or the Redis connections), so an app that never imports a
file starts none. Arguments and results cross as pickles: paths and summaries, never a
large table.

Outside a lifecycle (the CLI, a benchmark or a test calling a service directly) there is
no pool and ``run`` uses a thread: nothing else waits on that process's loop.

Each call carries the caller's ``CONGVU_*`` variables: a pool process reads its settings
(time zone, folders) as the caller would, even when they changed after it started.
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import os
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from congvu.inspect.settings import get_settings

T = TypeVar("T")

_pool: ProcessPoolExecutor | None = None
_size = 1
_WATCH_SECONDS = 0.2


def off_loop() -> None:
    """Called first by every entry point of heavy work: refuses to run on a thread that
    runs an event loop (it would stall every request and job of that process)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return
    raise RuntimeError("CPU-heavy work called on the event loop: use cpu_pool.run")


def executor() -> Executor | None:
    """The open pool, or None (``run`` then uses a thread)."""
    return _pool


def _watch_owner(owner: int) -> None:
    """In each pool process: end it as soon as the process that owns the pool is gone.
    A killed web process or worker would otherwise leave its pool behind for ever (each
    pool process holds the pool's queue open, so none ever sees it close), keeping the
    dead process's output pipes open and its work running."""

    def watch() -> None:
        while os.getppid() == owner:
            time.sleep(_WATCH_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="congvu-cpu-pool-owner", daemon=True).start()


def open_pool(size: int) -> ProcessPoolExecutor | None:
    """Open the process's pool; None when one is open already (its opener closes it)."""
    global _pool
    if _pool is not None:
        return None
    global _size
    _size = size
    _pool = _new_pool(size)
    return _pool


def _new_pool(size: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(
        max_workers=size,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_watch_owner,
        initargs=(os.getpid(),),
    )


def close_pool(pool: ProcessPoolExecutor | None) -> None:
    """Close a pool ``open_pool`` opened (and the one that replaced it, if it broke): work
    not started is cancelled, work under way waited for (each long entry point stops
    early once its caller is gone, see ``importing.feeding``). Blocking."""
    global _pool
    if pool is None:
        return
    current, _pool = _pool, None
    pool.shutdown(wait=True, cancel_futures=True)
    if current is not None and current is not pool:
        current.shutdown(wait=True, cancel_futures=True)


@contextlib.asynccontextmanager
async def running(size: int) -> AsyncIterator[None]:
    """The pool for the block's duration; a nested block (the embedded worker inside the
    web app) uses the open one."""
    pool = open_pool(size)
    try:
        yield
    finally:
        await asyncio.to_thread(close_pool, pool)


def _environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("CONGVU_")}


def _call(environment: dict[str, str], function: Callable[..., T], args: tuple[Any, ...]) -> T:
    """In a pool process: the caller's settings, then ``function(*args)``."""
    if environment != _environment():
        for name in set(_environment()) - set(environment):
            del os.environ[name]
        os.environ.update(environment)
        get_settings.cache_clear()
    return function(*args)


async def run(function: Callable[..., T], *args: Any) -> T:
    """``function(*args)`` in the pool (a thread when none is open). ``function`` must be
    a module-level function and its arguments and result picklable."""
    global _pool
    loop = asyncio.get_running_loop()
    pool = _pool
    if pool is None:
        return await asyncio.to_thread(function, *args)
    try:
        return await loop.run_in_executor(pool, _call, _environment(), function, args)
    except BrokenProcessPool:
        # A pool process died (killed, out of memory): this call fails, and the pool,
        # which refuses all work once broken, is replaced for the next ones.
        if _pool is pool:
            _pool = _new_pool(_size)
            await asyncio.to_thread(pool.shutdown, wait=False, cancel_futures=True)
        raise
