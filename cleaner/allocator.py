"""Asking the C allocator to hand large blocks back: flat memory on large corpora (Linux, glibc).

A corpus run moves data through the main process in blocks of about a megabyte (a chunk of a
JSONL shard read, pickled for a worker, its result unpickled and written), between small
allocations that live longer. glibc serves a block that large with a mapping of its own, until
the first such block is freed: from then on it raises its threshold (up to 32 MB) and serves
them from the heap, where one small object allocated after a freed block keeps its pages from
being returned. Freed megabytes then pile up: ``tests/test_allocator.py`` holds 64 MB after 64
blocks of 1 MiB were freed, and none once the threshold is fixed. On the 1 GB JSONL benchmark
at ``-j 2`` the fixed threshold (with at most two arenas for the main process's threads) took
the tree's proportional memory from 375 to 348 MB.
"""

from __future__ import annotations

import ctypes
import sys
from functools import cache

# mallopt(3) parameters (malloc.h).
M_MMAP_THRESHOLD = -3
M_ARENA_MAX = -8
# Blocks of this size and more get a mapping of their own, returned to the system when freed
# (glibc's own initial threshold, which setting it explicitly stops from growing).
LARGE_BLOCK = 128 * 1024
# The main process of a run has a few threads (the pool's queue feeder and manager); each could
# otherwise get an arena of its own, fragmented by what the others free.
MAX_ARENAS = 2


@cache
def _libc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt  # noqa: B018  (musl and other C libraries have none)
    except (OSError, AttributeError):
        return None
    return libc


def release_large_blocks() -> bool:
    """Fix glibc's threshold for mapping large blocks (and cap its arenas) for this process and
    the workers it forks; True if the allocator took the settings, False elsewhere (not glibc)."""
    libc = _libc()
    if libc is None:
        return False
    mallopt = libc.mallopt
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_MMAP_THRESHOLD, LARGE_BLOCK)) and bool(mallopt(M_ARENA_MAX, MAX_ARENAS))

