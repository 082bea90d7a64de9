# Sourced by bench/run.sh and bench/cli/run.sh: makes this VM's memory behave as a machine's does
# for the length of a benchmark run, then touches it once (warm_memory.py).
#
# Why: the firecracker VMs this project runs in hand memory that the guest frees back to the host
# within moments ("free page reporting", /sys/module/page_reporting), and the next first touch of
# each such page costs about 1 s per GiB (1.6 s in a fresh VM; numpy.ones of 1 GiB took 1607 ms
# there and 140 ms once the pages had been touched). A JVM growing its heap pays that on every
# fresh region: G1, which grows its young generation to gigabytes, ran loads of 200k strings at
# 65 ms an operation against 8.6 ms on the parallel collector, iterations with no collection in
# them at all took 4x the others, and CPython, which reuses a small footprint, hardly paid it.
# Holding freed pages in the guest for 5 minutes (the knob's largest accepted value) during the run,
# and touching most of the free memory once at the start, takes that cost out of the timings; on an
# ordinary machine neither step changes a number. The old settings come back when the run ends.
VM_REPORTING=/sys/module/page_reporting/parameters
vm_memory_hold() {
    if [ -w "$VM_REPORTING/min_free_ms" ]; then
        VM_OLD_MIN_FREE_MS=$(cat "$VM_REPORTING/min_free_ms")
        VM_OLD_MAX_WAITING=$(cat "$VM_REPORTING/max_waiting_mib" 2>/dev/null || echo)
        trap vm_memory_restore EXIT
        echo 300000 >"$VM_REPORTING/min_free_ms" || true
        [ -z "$VM_OLD_MAX_WAITING" ] || echo 65536 >"$VM_REPORTING/max_waiting_mib" || true
        echo "vm memory: free page reporting holds freed pages 300000 ms (was $VM_OLD_MIN_FREE_MS ms) during the run"
    else
        echo "vm memory: no writable $VM_REPORTING (not this kind of VM, or not root): left as it is"
    fi
    python3 "$(dirname "${BASH_SOURCE[0]}")/warm_memory.py"
}
vm_memory_restore() {
    echo "$VM_OLD_MIN_FREE_MS" >"$VM_REPORTING/min_free_ms" 2>/dev/null || true
    [ -z "$VM_OLD_MAX_WAITING" ] || echo "$VM_OLD_MAX_WAITING" >"$VM_REPORTING/max_waiting_mib" 2>/dev/null || true
}
