"""Work spread over forked processes, one per usable core: a cold check's parsing, a build's journeys.

Fork is cheap and safe on Linux only, and only in a process without threads (`serve` has threads and
never asks). The workers inherit the task, so it may be any callable, a closure over the whole model
included; only an index goes to a worker and only its result comes back.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")

_task: Callable[[int], Any] | None = None  # what the forked workers run, by index


def usable_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def can_fork() -> bool:
    return usable_cores() > 1 and sys.platform == "linux"


def forked_map(task: Callable[[int], T], count: int, ordered: bool = True, chunksize: int = 1) -> Iterator[T]:
    """`task(0)` … `task(count - 1)` in forked workers: in order, or as each finishes (`ordered=False`).

    Raises OSError when no process can be started; the caller then does the work itself.
    """
    global _task
    _task = task
    gc.freeze()  # objects stay in pages the workers share with this process, not copied by GC passes
    try:
        with multiprocessing.get_context("fork").Pool(min(usable_cores(), count)) as pool:
            run = pool.imap if ordered else pool.imap_unordered
            yield from run(_run, range(count), chunksize)
    finally:
        gc.unfreeze()
        _task = None


def _run(index: int) -> Any:
    assert _task is not None
    return _task(index)
