"""Waiting for work that Bolt's lazy listeners do after the acknowledgement (in a worker thread)."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")


def wait_for(probe: Callable[[], T], *, timeout: float = 5.0, what: str = "condition") -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds of wall time.

    This waits for threads, not for the bot's clock: the injected clock never moves here.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


class InlineExecutor(Executor):
    """Runs Bolt's lazy listeners at once, inside the request: the HTTP answer then comes after the
    follow-up work, so a test can read what was posted without polling. Only for tests that check
    what is posted, not how fast the acknowledgement is."""

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:  # the future carries it, as a thread pool's would
            future.set_exception(exc)
        return future
