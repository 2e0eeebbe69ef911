"""Giving freed memory back to the operating system (glibc), see iei_onto.memory."""

import ctypes
import ctypes.util
import os
import platform

import pytest

from iei_onto.memory import limit_malloc_arenas, release_free_memory

glibc_only = pytest.mark.skipif(platform.system() != "Linux" or platform.libc_ver()[0] != "glibc",
                                reason="malloc_trim and mallopt are glibc's")


def _anonymous_kib() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("RssAnon:"))


@glibc_only
def test_freed_memory_held_by_malloc_is_given_back():
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    blocks = [libc.malloc(4096) for _ in range(50_000)]  # 200 MB of small blocks, in the heap
    for block in blocks:
        ctypes.memset(block, 1, 4096)
    keep = libc.malloc(4096)  # above them: freeing them leaves a hole that glibc keeps
    for block in blocks:
        libc.free(block)
    held = _anonymous_kib()
    assert release_free_memory()
    assert held - _anonymous_kib() > 150_000
    libc.free(keep)


@glibc_only
def test_the_arena_limit_is_set():
    # 8 per core is glibc's default on 64-bit machines, so the other tests run as before
    assert limit_malloc_arenas(8 * (os.cpu_count() or 1))
