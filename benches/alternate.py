#!/usr/bin/env python3
"""Two builds of `search_probe` side by side, one query class at a time
(docs/benchmarks.md, section 1): each round runs the new probe, then the
old one, each pinned to CPU 1, each for SEARCHES searches of the class on
its own 1M file; the first page's median time of each run is kept.

    cargo bench --bench search_probe --no-run
    python3 benches/alternate.py NEW_PROBE NEW_FILE OLD_PROBE OLD_FILE \
        [ROUNDS] [SEARCHES] QUERY...

For each class, prints the median of the rounds' medians of each build and
their ratio; the median of the rounds' own ratios (a round's two runs are
a few milliseconds apart, and the machine's slow moments last seconds, so
both runs of a round mostly share one speed); then the first quartile and
the minimum of each build: the machine has two speeds about a factor of two
apart (section 1, "Two speeds"), and a quartile or a minimum well below its
median means that rounds fell in both. Asserts nothing.
"""

import re
import statistics
import subprocess
import sys

UNITS = {"ns": 0.001, "µs": 1.0, "ms": 1000.0, "s": 1e6}


def median_us(probe, db, query, searches):
    out = subprocess.run(
        ["taskset", "-c", "1", probe, db, query, str(searches)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    m = re.search(r"median ([\d.]+)(ns|µs|ms|s) ", out)
    if not m:
        sys.exit(f"unexpected output from {probe}: {out!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def main():
    args = sys.argv[1:]
    if len(args) < 5:
        sys.exit(__doc__)
    new, new_db, old, old_db = args[:4]
    rest = args[4:]
    rounds, searches = 15, 300
    if rest and rest[0].isdigit():
        rounds = int(rest.pop(0))
    if rest and rest[0].isdigit():
        searches = int(rest.pop(0))
    print(f"{rounds} rounds of {searches} searches each build, pinned to CPU 1")
    print("| class | new | old | new / old | median of the rounds' new / old | new q1, min | old q1, min |")
    print("|---|---|---|---|---|---|---|")
    for query in rest:
        times = {"new": [], "old": []}
        for _ in range(rounds):
            times["new"].append(median_us(new, new_db, query, searches))
            times["old"].append(median_us(old, old_db, query, searches))
        med = {k: statistics.median(v) for k, v in times.items()}
        q1 = {k: statistics.quantiles(v, n=4)[0] for k, v in times.items()}
        low = {k: min(v) for k, v in times.items()}
        rounds_ratio = statistics.median(n / o for n, o in zip(times["new"], times["old"]))
        print(
            f"| `{query}` | {med['new']:.1f} µs | {med['old']:.1f} µs | "
            f"{med['new'] / med['old']:.2f} | {rounds_ratio:.2f} | "
            f"{q1['new']:.1f}, {low['new']:.1f} | "
            f"{q1['old']:.1f}, {low['old']:.1f} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
