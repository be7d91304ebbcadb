"""The process rule: every process a command starts ends with it, however the command ends.

- Worker pools (``worker_pool``): spawned workers ask the kernel to SIGKILL them when their parent dies
  (Linux ``PR_SET_PDEATHSIG``), and a watchdog thread in each worker exits when the parent is gone
  (other systems, and the moment before prctl took effect). When the parent leaves the pool on an
  exception (Ctrl-C, SIGTERM, a crash) it terminates the workers before it goes on.
- Child commands (``die_with_parent_preexec`` for ``subprocess.Popen(preexec_fn=...)``): the same
  kernel request, made in the child between fork and exec.
- Signals (``graceful_signals``): SIGTERM and SIGINT ask a bulk command to stop at its next safe point
  (``raise_if_stopping``, between two records), so what is stored stays whole and the run is recorded
  as interrupted; a second signal stops it at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from types import FrameType
from typing import Any

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
# How often a worker checks that its parent still lives: the fallback where PDEATHSIG is missing, so a
# second of orphaned work at most, for one wake-up a second.
WATCHDOG_INTERVAL = 1.0
# How long a terminated worker may take to exit before it is killed.
WORKER_EXIT_TIMEOUT = 5.0


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT stopped the command; ``run_id`` is the run recorded as interrupted, if any."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.run_id: int | None = None
        super().__init__(signal.Signals(signum).name)

    @property
    def signal_name(self) -> str:
        return signal.Signals(self.signum).name


@functools.cache
def _prctl() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _ask_kernel_to_kill_on_parent_death() -> None:
    prctl = _prctl()
    if prctl is not None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def die_with_parent_preexec(parent_pid: int | None = None) -> Callable[[], None]:
    """A ``preexec_fn`` that makes the child die with this process. The prctl function is looked up
    here, in the parent: between fork and exec the child should only call, not load libraries."""
    parent = parent_pid or os.getpid()
    _prctl()

    def preexec() -> None:
        _ask_kernel_to_kill_on_parent_death()
        if os.getppid() != parent:  # the parent died before the request took effect
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec


def _watch_parent(parent_pid: int) -> None:
    while True:
        if os.getppid() != parent_pid:  # orphans are adopted by init (or a subreaper): the parent is gone
            os._exit(1)
        time.sleep(WATCHDOG_INTERVAL)


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer, in each worker: die with the parent; leave Ctrl-C to the parent (a terminal
    sends it to the whole process group, and the parent stops the workers itself)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _ask_kernel_to_kill_on_parent_death()
    if os.getppid() != parent_pid:
        os._exit(1)
    threading.Thread(
        target=_watch_parent, args=(parent_pid,), name="vnnews-parent-watch", daemon=True
    ).start()


def _terminate(pool: ProcessPoolExecutor) -> None:
    # Python 3.11 has no public way to stop running workers (3.14 adds terminate_workers()).
    workers = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        if worker.is_alive():
            worker.terminate()
    for worker in workers:
        worker.join(WORKER_EXIT_TIMEOUT)
        if worker.is_alive():
            worker.kill()
            worker.join()


@contextlib.contextmanager
def worker_pool(workers: int) -> Iterator[ProcessPoolExecutor]:
    """``workers`` processes that end with this one: on an exception in the body they are terminated
    at once (pending work cancelled), and they die with this process even when it is SIGKILLed."""
    # spawn, not fork: a forked child would inherit this process's threads' locks.
    pool = ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        _terminate(pool)
        raise
    pool.shutdown(wait=True)


# Signals ----------------------------------------------------------------------------------------------

_stop_signal: int | None = None


def raise_if_stopping() -> None:
    """At a safe point of a bulk command: raise ``Interrupted`` when a stop was asked for."""
    if _stop_signal is not None:
        raise Interrupted(_stop_signal)


def _ask_to_stop(signum: int, _frame: FrameType | None) -> None:
    global _stop_signal
    if _stop_signal is not None:  # asked twice: stop now
        raise Interrupted(signum)
    _stop_signal = signum


@contextlib.contextmanager
def graceful_signals() -> Iterator[None]:
    """SIGTERM and SIGINT ask the body to stop at its next ``raise_if_stopping``. Main thread only
    (where Python runs signal handlers); elsewhere a no-op."""
    global _stop_signal
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stop_signal = None
    previous: dict[int, Any] = {
        sig: signal.signal(sig, _ask_to_stop) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _stop_signal = None
