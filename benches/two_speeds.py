#!/usr/bin/env python3
"""Whether a slow search run is the search or the machine (docs/benchmarks.md,
section 1, "Two speeds"): runs `search_probe` (one query class, 3,000
searches, pinned to CPU 0) several times in a row and, just before and
just after each, times a fixed pure-Python loop that has nothing to do with
portal-admin. When the probe's median doubles and the loop's time doubles
at the same moments, the whole machine slowed down.

    cargo bench --bench search_probe --no-run
    python3 benches/two_speeds.py target/release/deps/search_probe-<hash> \
        target/bench-data/portal-1000000.redb [RUNS] [QUERY]

Prints one line per run; asserts nothing.
"""

import subprocess
import sys
import time


def loop_ms():
    """The median of 15 timings of a fixed loop, in milliseconds."""
    times = []
    for _ in range(15):
        t = time.perf_counter()
        s = 0
        for i in range(200000):
            s += i * i
        times.append(time.perf_counter() - t)
    times.sort()
    return times[len(times) // 2] * 1000


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    probe, db = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 24
    query = sys.argv[4] if len(sys.argv) > 4 else "s"
    for _ in range(runs):
        before = loop_ms()
        out = subprocess.run(
            ["taskset", "-c", "0", probe, db, query, "3000"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        after = loop_ms()
        median = out.split("median ")[1].split(" over")[0] if "median " in out else out
        print(f"probe {query}: {median:>10}   loop before {before:.2f} ms, after {after:.2f} ms", flush=True)


if __name__ == "__main__":
    main()
