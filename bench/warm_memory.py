"""Touches most of the machine's free memory once, then frees it, before any timing.

Run by bench/vm_memory.sh, which first makes this VM keep the pages it frees (see there why): in
these firecracker VMs the host backs memory on first use and takes back what the guest frees, so
the first touch of a page costs about 1 s per GiB (numpy.ones of 1 GiB: 1607 ms in a fresh VM,
140 ms right after, slow again a minute later). Touched here, once, the pages are cheap for the
JVM forks that follow; on an ordinary machine this only costs its own seconds.

    python3 bench/warm_memory.py [GIB]    # default: 3/4 of MemAvailable, at most 16 GiB
"""
import mmap
import sys
import time

PAGE = mmap.PAGESIZE
CHUNK = 1 << 30


def available_gib():
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / (1 << 20)
    return 0.0


def main():
    gib = float(sys.argv[1]) if len(sys.argv) > 1 else min(16.0, 0.75 * available_gib())
    start = time.perf_counter()
    maps = []
    try:
        for _ in range(int(gib)):
            m = mmap.mmap(-1, CHUNK)
            # One byte per page is enough: the page fault, not the write, is the cost.
            for off in range(0, CHUNK, PAGE):
                m[off] = 1
            maps.append(m)
    finally:
        for m in maps:
            m.close()
    print(f"warm_memory: touched {len(maps)} GiB in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
