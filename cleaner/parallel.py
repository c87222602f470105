"""An ordered, bounded map over a process pool: the engine of a corpus run, and nothing else.

Results come back in input order whatever the number of workers, and at most ``window`` tasks
are in flight, so a corpus of any size streams through in flat memory (``Pool.imap`` would read
the whole input ahead into its task queue).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, TypeVar

Task = TypeVar("Task")
Output = TypeVar("Output")


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def ordered_map(
    function: Callable[[Task], Output],
    tasks: Iterable[Task],
    *,
    jobs: int,
    is_local: Callable[[Task], bool] = lambda task: False,
    window: int | None = None,
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
) -> Iterator[tuple[Task, Output | None]]:
    """``(task, function(task))`` in input order; local tasks are passed through with ``None``.

    Local tasks (markers such as "a shard starts here") never go to a worker, but still come out
    in their place in the order. ``initializer(*initargs)`` runs once in each worker (or here,
    for one job): the way to hand every worker the same large read-only data once.
    """
    if initializer is not None and jobs <= 1:
        initializer(*initargs)
    if jobs <= 1:
        for task in tasks:
            yield task, None if is_local(task) else function(task)
        return
    window = window or 4 * jobs
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[tuple[Task, Future[Output] | None]] = deque()
        for task in tasks:
            pending.append((task, None if is_local(task) else pool.submit(function, task)))
            while len(pending) >= window:
                done, future = pending.popleft()
                yield done, None if future is None else future.result()
        while pending:
            done, future = pending.popleft()
            yield done, None if future is None else future.result()
