"""Where a bulk import's tasks run: in this process, in local worker processes, or on a Dask cluster.

All three offer the same small interface (``submit``, ``wait``, ``slots``) over futures, so the
import's scheduling (archive/bulk.py) is the same everywhere. Local workers are ``worker_pool``'s
(they end with this process, archive/processes.py). On Dask this process only connects as a client:
it starts no process there, and on any exit (Ctrl-C, SIGTERM, an error) it cancels the tasks it
submitted and disconnects, leaving the cluster as it found it.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor
from concurrent.futures import wait as wait_futures
from types import TracebackType
from typing import Any

from archive.processes import worker_pool

# Seconds to reach a Dask scheduler: a scheduler on the network answers in well under a second; a
# wrong address or a cluster that is down should fail the command quickly, not after minutes.
DASK_CONNECT_TIMEOUT = 20.0
# How long the writer waits for a task before it looks for a stop (Ctrl-C, SIGTERM): a scan of a
# 1 GB file of other sites takes minutes, and a stop must not wait for it.
WAIT_SLICE = 0.5
_DASK_ADDRESS = re.compile(r"^(?:(tcp|tls|ucx|ws|wss|inproc)://)?[\w.\-\[\]:]+:\d{1,5}$")


class DaskUnavailable(RuntimeError):
    """Dask's ``distributed`` is not installed, or the scheduler cannot be reached."""


def valid_dask_address(address: str) -> bool:
    """``tcp://HOST:PORT`` or ``HOST:PORT`` (and Dask's other protocols)."""
    return bool(_DASK_ADDRESS.match(address))


class Runner:
    """Runs tasks: ``submit(fn, *args)`` gives a future, ``wait(futures)`` the ones done (at least one),
    ``slots`` how many tasks run at once."""

    name = "base"
    slots = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        raise NotImplementedError

    def wait(self, futures: Iterable[Future[Any]]) -> set[Future[Any]]:
        """The futures done within ``WAIT_SLICE`` (maybe none): the caller checks for a stop between."""
        done, _pending = wait_futures(list(futures), timeout=WAIT_SLICE, return_when=FIRST_COMPLETED)
        return set(done)

    def __enter__(self) -> Runner:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        return None


class InlineRunner(Runner):
    """Every task at once, in this process (``--workers 0``): Ctrl-C is seen between two records."""

    name = "inline"

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args))
        except Exception as error:  # KeyboardInterrupt and Interrupted go on up
            future.set_exception(error)
        return future


class PoolRunner(Runner):
    """``workers`` local processes that end with this one (archive/processes.py)."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        self.slots = workers
        self._stack = contextlib.ExitStack()
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PoolRunner:
        self._pool = self._stack.enter_context(worker_pool(self.slots))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stack.__exit__(kind, error, trace)  # on an exception: the workers are terminated

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        assert self._pool is not None
        return self._pool.submit(fn, *args)


class DaskRunner(Runner):
    """The workers of the Dask cluster whose scheduler is at ``address``; one slot per worker thread."""

    name = "dask"

    def __init__(self, address: str) -> None:
        self.address = address
        self._client: Any = None
        self._submitted: list[Any] = []

    def __enter__(self) -> DaskRunner:
        try:
            import distributed
        except ImportError as error:
            raise DaskUnavailable(
                "--dask-scheduler needs Dask's distributed package (pip install 'vnnews[dask]')"
            ) from error
        logging.getLogger("distributed").setLevel(logging.ERROR)  # one line per problem, ours
        try:
            self._client = distributed.Client(self.address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=True)
        except (OSError, TimeoutError) as error:
            raise DaskUnavailable(
                f"cannot reach the Dask scheduler at {self.address} within {DASK_CONNECT_TIMEOUT:.0f} s"
                f" (DASK_CONNECT_TIMEOUT): {error}"
            ) from error
        self.slots = max(1, sum(self._client.nthreads().values()))
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        client, self._client = self._client, None
        if client is None:
            return
        with contextlib.suppress(Exception):
            if error is not None:
                client.cancel(self._submitted)  # leave the cluster idle, as it was found
        with contextlib.suppress(Exception):
            client.close(timeout=DASK_CONNECT_TIMEOUT)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        future = self._client.submit(fn, *args, pure=False)
        self._submitted = [f for f in self._submitted if not f.done()] + [future]
        return future

    def wait(self, futures: Iterable[Future[Any]]) -> set[Future[Any]]:
        import distributed

        try:
            done, _pending = distributed.wait(
                list(futures), timeout=WAIT_SLICE, return_when="FIRST_COMPLETED"
            )
        except TimeoutError:
            return set()
        return set(done)


def make_runner(workers: int, dask_scheduler: str | None) -> Runner:
    if dask_scheduler:
        return DaskRunner(dask_scheduler)
    return PoolRunner(workers) if workers > 0 else InlineRunner()
