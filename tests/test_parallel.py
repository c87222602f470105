"""The ordered, bounded process-pool map that runs a corpus: order, local tasks, batching."""

from __future__ import annotations

from cleaner.parallel import _groups, ordered_map


def square(task: int) -> int:
    return task * task


def is_local(task: int) -> bool:
    return task % 10 == 0


def is_small(task: int) -> bool:
    return task % 7 != 0


def test_results_come_back_in_input_order_with_local_tasks_in_their_place() -> None:
    tasks = list(range(1, 60))
    expected = [(task, None if is_local(task) else task * task) for task in tasks]
    for jobs in (1, 2):
        got = list(ordered_map(square, iter(tasks), jobs=jobs, is_local=is_local, is_small=is_small, batch_size=4,
                               window=3))
        assert got == expected


def test_small_tasks_travel_in_batches_and_others_alone() -> None:
    groups = list(_groups(range(1, 22), is_local, is_small, 4))
    assert groups == [
        ([1, 2, 3, 4], False), ([5, 6], False), ([7], False), ([8, 9], False), ([10], True),
        ([11, 12, 13], False), ([14], False), ([15, 16, 17, 18], False), ([19], False), ([20], True),
        ([21], False),
    ]
    assert [task for group, _ in groups for task in group] == list(range(1, 22))


def test_batches_end_at_their_weight() -> None:
    """A batch of small tasks closes at ``size`` tasks or when their weight reaches the limit,
    whichever comes first (a large file travels with few others); order is kept."""
    weights = {task: (100 if task in (3, 12) else 10) for task in range(1, 22)}
    groups = list(_groups(range(1, 22), is_local, is_small, 4, weights.__getitem__, 50))
    assert groups == [
        ([1, 2, 3], False), ([4, 5, 6], False), ([7], False), ([8, 9], False), ([10], True),
        ([11, 12], False), ([13], False), ([14], False), ([15, 16, 17, 18], False), ([19], False), ([20], True),
        ([21], False),
    ]
    assert [task for group, _ in groups for task in group] == list(range(1, 22))
    weighted = list(ordered_map(square, iter(range(1, 60)), jobs=2, is_local=is_local, is_small=is_small,
                                batch_size=5, weight=lambda task: task, batch_weight=40, window=3))
    assert weighted == [(task, None if is_local(task) else task * task) for task in range(1, 60)]


def process_id(task: int) -> int:
    import os

    return os.getpid()


def test_a_pool_starts_only_for_more_than_one_group_of_work() -> None:
    """One file, or a few small ones (a pre-commit hook's lot), are cleaned in this process:
    no workers forked, nothing warmed up for them. More work than one group goes to the pool,
    which ``before_pool`` is called once for, before it starts."""
    import os

    calls: list[str] = []
    few = list(ordered_map(process_id, iter([1, 2, 3]), jobs=2, is_small=lambda task: True, batch_size=4,
                           before_pool=lambda: calls.append("warm")))
    assert [pid for _, pid in few] == [os.getpid()] * 3 and calls == []
    one_large = list(ordered_map(process_id, iter([7]), jobs=2, before_pool=lambda: calls.append("warm")))
    assert one_large == [(7, os.getpid())] and calls == []
    many = list(ordered_map(process_id, iter(range(1, 12)), jobs=2, is_small=lambda task: True, batch_size=4,
                            before_pool=lambda: calls.append("warm")))
    assert [task for task, _ in many] == list(range(1, 12))
    assert os.getpid() not in {pid for _, pid in many} and calls == ["warm"]
