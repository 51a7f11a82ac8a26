"""A thread pool whose threads never keep the application from quitting.

Device work (a scanner's driver, a card reader, a camera) runs in vendor code that can hang for good:
a TWAIN DLL waiting on a dialog nobody sees, a SANE backend stuck in ``sane_cancel``. The standard
:class:`concurrent.futures.ThreadPoolExecutor` joins its threads when the interpreter exits, so one
such call would keep the window open after the clerk closed it (and a test run from ending). This
pool runs the same way but on daemon threads: on exit, a call that never returns is abandoned.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

_Work = tuple[Future[Any], Callable[..., Any], tuple[Any, ...], dict[str, Any]]


class DaemonPool(Executor):
    """A fixed number of daemon worker threads taking jobs in order.

    Args:
        workers: threads (at least one).
        name: the threads' name prefix (``name_0``, ``name_1`` …).
    """

    def __init__(self, workers: int, name: str) -> None:
        self._queue: queue.SimpleQueue[_Work | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._work, name=f"{name}_{n}", daemon=True)
            for n in range(max(1, workers))
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Queue ``fn(*args, **kwargs)``; its result or exception arrives in the returned future.

        Raises:
            RuntimeError: the pool was shut down.
        """
        future: Future[T] = Future()
        with self._lock:
            if self._closed:
                raise RuntimeError("the device pool is shut down")
            self._queue.put((future, fn, args, kwargs))
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop taking jobs; the threads end after the jobs queued before (or, ``cancel_futures``, now).

        ``wait`` joins the threads: only when every job is known to return.
        """
        with self._lock:
            if self._closed:
                return
            self._closed = True
            if cancel_futures:
                while True:
                    try:
                        item = self._queue.get_nowait()
                    except queue.Empty:
                        break
                    if item is not None:
                        item[0].cancel()
            for _ in self._threads:
                self._queue.put(None)
        if wait:
            for thread in self._threads:
                thread.join()

    def _work(self) -> None:
        while (item := self._queue.get()) is not None:
            future, fn, args, kwargs = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # handed to whoever waits on the future
                future.set_exception(exc)
            else:
                future.set_result(result)
            del item, future, fn, args, kwargs  # do not keep the last job's data alive while idle
