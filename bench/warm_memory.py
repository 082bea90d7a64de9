"""Touches most of the machine's free memory once, then frees it, before any timing.

Why: in a virtual machine whose memory the host backs lazily (this project's firecracker VMs),
the first touch of each page after boot costs ~1.6 s per GiB (measured here: numpy.ones of 1 GiB
took 1607 ms in a fresh VM, 140 ms on every later try, in this process or a new one). A JVM that
grows its heap into such pages pays that for memory CPython never touches, and G1 grows its young
generation to gigabytes: loads of 200k strings took 65 ms per operation on G1 and 8.6 ms on the
parallel collector until the memory had been touched once, then 9.2 and 8.5 ms. The cost is the
machine's, paid once per boot, so the benchmarks pay it before they start: on a machine that has
been up for a while this takes about 0.15 s per GiB and changes nothing.

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
