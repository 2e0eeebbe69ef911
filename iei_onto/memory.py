"""Keeping the resident memory of a long job near what it really uses.

Oxigraph frees what each query, update and bulk load used, but glibc's ``malloc`` keeps freed
memory in its arenas (one per thread that allocated, up to eight per core) instead of giving
it back to the operating system. On disk, where every rule is a query and a bulk load on
several threads, the resident memory of a national run grew with every rule it ran (9.4 GiB
at the end of reasoning, 12 GiB reading the network) while the store used far less.

:func:`release_free_memory` gives the free memory back (``malloc_trim``); it is called after
each rule on disk and between the steps of :func:`~iei_onto.analysis.analyze`.
:func:`limit_malloc_arenas` makes the threads share two arenas, so less is held in between;
the ``iei`` command calls it at start. Both are no-ops where the C library is not glibc.

Measured on the large register (3.9M triples) on disk, the classification rules, the OWL 2 RL
rules and the compaction (quiet machine): peak RSS 1,529-1,768 MiB and 1,390-1,659 MiB held
after; with both, 865 MiB peak and 357 MiB held, in the same time (bench/README.md).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

#: ``mallopt`` parameter: the most arenas glibc creates (``M_ARENA_MAX`` in ``malloc.h``)
_M_ARENA_MAX = -8


@functools.cache
def _glibc() -> ctypes.CDLL | None:
    """The C library when it is glibc (it has ``malloc_trim``), else None."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") and hasattr(libc, "mallopt") else None


def release_free_memory() -> bool:
    """Give the memory the allocator holds but does not use back to the operating system;
    True when some was given back."""
    libc = _glibc()
    return libc is not None and bool(libc.malloc_trim(0))


def limit_malloc_arenas(arenas: int = 2) -> bool:
    """Have the threads that allocate from now on share at most ``arenas`` malloc arenas;
    True when the setting was made.

    This is a setting of the whole process (like the ``MALLOC_ARENA_MAX`` environment
    variable), so the library does not make it on its own: the ``iei`` command does, and a
    program that runs national-scale jobs may call it first."""
    libc = _glibc()
    return libc is not None and bool(libc.mallopt(_M_ARENA_MAX, arenas))
