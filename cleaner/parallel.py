"""An ordered, bounded map over a process pool: the engine of a corpus run, and nothing else.

Results come back in input order whatever the number of workers, and at most ``window`` tasks
are in flight, so a corpus of any size streams through in flat memory (``Pool.imap`` would read
the whole input ahead into its task queue).
"""

from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import Future

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
    is_small: Callable[[Task], bool] = lambda task: False,
    batch_size: int = 32,
    weight: Callable[[Task], int] = lambda task: 0,
    batch_weight: int = 1 << 19,
    before_pool: Callable[[], None] | None = None,
) -> Iterator[tuple[Task, Output | None]]:
    """``(task, function(task))`` in input order; local tasks are passed through with ``None``.

    Local tasks (markers such as "a shard starts here") never go to a worker, but still come out
    in their place in the order. ``initializer(*initargs)`` runs once in each worker (or here,
    for one job): the way to hand every worker the same large read-only data once. Consecutive
    small tasks (``is_small``: a file of a tree, say) go to a worker ``batch_size`` at a time, so
    that a corpus of many small files does not pay a round trip through the pool for each, or
    fewer where their ``weight`` (a file's size) reaches ``batch_weight``, so that a batch of
    large files does not keep one worker busy while the others wait at the end of the run.
    Each round trip costs the main process ~1 ms of CPU, taken from the workers on a machine
    with as many cores as workers: 32 files of a 20 MB tree a batch instead of 8 saved a
    quarter of the main process's time.

    A pool is started only for more than one group of work: one file, or a few small ones (a
    pre-commit hook's usual lot), are cleaned here, without forking workers that would each
    have one group at most. ``before_pool()`` runs here just before the pool starts (the way to
    load, once, what the workers will share).
    """
    if jobs <= 1:
        if initializer is not None:
            initializer(*initargs)
        for task in tasks:
            yield task, None if is_local(task) else function(task)
        return
    groups = _groups(tasks, is_local, is_small, batch_size, weight, batch_weight)
    ahead: list[tuple[list[Task], bool]] = []
    for item in groups:  # look ahead until a second group of work shows the pool is worth it
        ahead.append(item)
        if sum(1 for _, local in ahead if not local) > 1:
            break
    else:
        if initializer is not None:
            initializer(*initargs)
        for group, local in ahead:
            for task in group:
                yield task, None if local else function(task)
        return
    if before_pool is not None:
        before_pool()
    window = window or 4 * jobs
    # Imported here: a run of one job (or of a few files) never starts a pool, and importing
    # the pool's machinery is ~15 ms of every such run's start-up (a pre-commit hook's, say).
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=initializer,
                             initargs=initargs) as pool:
        pending: deque[tuple[list[Task], Future[list[Output]] | None]] = deque()
        for group, local in itertools.chain(ahead, groups):
            pending.append((group, None if local else pool.submit(_apply_each, function, group)))
            while len(pending) >= window:
                yield from _results(*pending.popleft())
        while pending:
            yield from _results(*pending.popleft())


def _groups(
    tasks: Iterable[Task], is_local: Callable[[Task], bool], is_small: Callable[[Task], bool], size: int,
    weight: Callable[[Task], int] = lambda task: 0, max_weight: int = 1 << 62,
) -> Iterator[tuple[list[Task], bool]]:
    """The tasks in order, as (group, is local): small ones together, up to ``size`` of them or
    until their ``weight`` reaches ``max_weight``, others alone."""
    batch: list[Task] = []
    total = 0
    for task in tasks:
        if is_small(task) and not is_local(task):
            batch.append(task)
            total += weight(task)
            if len(batch) >= size or total >= max_weight:
                yield batch, False
                batch, total = [], 0
            continue
        if batch:
            yield batch, False
            batch, total = [], 0
        yield [task], is_local(task)
    if batch:
        yield batch, False


def _apply_each(function: Callable[[Task], Output], group: list[Task]) -> list[Output]:
    return [function(task) for task in group]


def _results(
    group: list[Task], future: Future[list[Output]] | None
) -> Iterator[tuple[Task, Output | None]]:
    if future is None:
        yield from ((task, None) for task in group)
    else:
        yield from zip(group, future.result(), strict=True)
