#!/usr/bin/env python3
"""Search at 1,000,000 patients: this build against SQLite FTS5 (in one
process, `benches/search.rs`) and against an older build of portal-admin
(its own `benches/search.rs`, on its own 1M data set), the two processes
run in turn, several times, on the same machine.

    cargo bench --bench search --no-run          # here, and in the old checkout
    python3 benches/before_after.py NEW_BENCH OLD_BENCH [RUNS]
    python3 benches/before_after.py --report target/before-after   # the table again

NEW_BENCH and OLD_BENCH are the bench binaries cargo names
(`target/release/deps/search-…`). The old one runs every size it knows and
only its 1,000,000-patient section is read. For each query class: the median
over the runs of each run's median (and the runs' range), the ratios, the
entries read; key press → frame at 80x24; the load average around the runs.
Each run's output is kept in target/before-after/. Nothing is asserted.
"""

import re
import statistics
import subprocess
import sys

SIZE = "1000000"


def load():
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


def micros(text):
    """'14.1 µs' or '2.04 ms' -> microseconds."""
    value, unit = text.strip().split()
    return float(value) * (1000.0 if unit == "ms" else 1.0)


def section(output):
    """The lines of the 1,000,000-patient section of a bench's output."""
    lines, inside = [], False
    for line in output.splitlines():
        if line.startswith("### "):
            inside = line.startswith(f"### {SIZE} ")
            continue
        if inside:
            lines.append(line)
    return lines


def typed(cell):
    found = re.findall(r"`([^`]*)`", cell)
    return found[-1] if found else cell.strip()


def parse(output, new):
    """{typed query: (label, ours median, peer median, rows, entries)} and
    {(size, typed): (median, p99)} for key press -> frame."""
    rows, keys = {}, {}
    for line in section(output):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        data = line.startswith("| ") and not line.startswith("| query") and ("µs" in line or " ms" in line)
        if data and len(cells) >= (6 if new else 5):
            if new:
                label, count, entries, ours, peer = cells[0], cells[1], cells[2], cells[3], cells[4]
            else:
                label, count, ours, peer = cells[0], cells[1], cells[2], cells[3]
                entries = ""
            rows[typed(label)] = (
                re.sub(r"\s*`[^`]*`\s*$", "", label),
                micros(ours.split("/")[0]),
                micros(peer.split("/")[0]),
                count,
                entries,
            )
        m = re.match(r'key press → redrawn frame at (\S+) \(typing "([^"]+)".*median (.+) / p99 (.+)$', line)
        if m:
            keys[(m.group(1), m.group(2))] = (micros(m.group(3)), micros(m.group(4)))
    return rows, keys


def run(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stderr[-3000:]}")
    return out.stdout


def save(name, text):
    """Each run's whole output, kept in target/before-after/."""
    import os

    os.makedirs("target/before-after", exist_ok=True)
    with open(os.path.join("target/before-after", name), "w") as f:
        f.write(text)


def fmt(us):
    return f"{us / 1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"


def spread(values):
    return f"{fmt(min(values))}–{fmt(max(values))}"


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    if sys.argv[1] == "--report":
        # The table again from the runs kept in a folder.
        import glob

        folder = sys.argv[2]
        now = sorted(glob.glob(f"{folder}/run-*-now.txt"))
        before = sorted(glob.glob(f"{folder}/run-*-before.txt"))
        new_runs = [parse(open(f).read(), True) for f in now]
        old_runs = [parse(open(f).read(), False) for f in before[: len(now)]]
        loads = open(f"{folder}/load.txt").read().split("\n")[:-1] if glob.glob(f"{folder}/load.txt") else ["?"]
        return report(new_runs, old_runs, loads)
    new_bin, old_bin = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    loads = [load()]
    new_runs, old_runs = [], []
    for i in range(runs):
        print(f"run {i + 1}/{runs}: this build (load {load()})", file=sys.stderr)
        out = run([new_bin, "--size", SIZE])
        save(f"run-{i + 1}-now.txt", out)
        new_runs.append(parse(out, True))
        print(f"run {i + 1}/{runs}: the old build (load {load()})", file=sys.stderr)
        out = run([old_bin])
        save(f"run-{i + 1}-before.txt", out)
        old_runs.append(parse(out, False))
        loads.append(load())
        save("load.txt", "".join(f"{x}\n" for x in loads))
    report(new_runs, old_runs, loads)


def report(new_runs, old_runs, loads):
    runs = len(new_runs)
    print(f"Search at {int(SIZE):,} patients, first page (50 rows): {runs} runs of each build in turn;")
    print("each time is the median over the runs of each run's median (300 rounds), then the runs' range;")
    print("now / FTS5 is the median of each run's ratio (both sides ran in the same process, in alternating")
    print("blocks); now / before the median of the ratios of runs made one after the other; 'best' compares")
    print("the fastest run of each build (the one least disturbed by other work on the machine).")
    print(f"Load average (1, 5, 15 min) before and after each pair of runs: {' → '.join(loads)}\n")
    print("| query | rows (FTS5) | entries read | portal-admin now | SQLite FTS5 | now / FTS5 | portal-admin before | now / before | best: now / before |")
    print("|---|---|---|---|---|---|---|---|---|")
    first = new_runs[0][0]
    for q, (label, _, _, count, entries) in first.items():
        ours = [r[0][q][1] for r in new_runs if q in r[0]]
        peer = [r[0][q][2] for r in new_runs if q in r[0]]
        o, p = statistics.median(ours), statistics.median(peer)
        vs_peer = statistics.median(r[0][q][1] / r[0][q][2] for r in new_runs if q in r[0])
        old = [r[0][q][1] for r in old_runs if q in r[0]]
        if old:
            b = statistics.median(old)
            before = f"{fmt(b)} ({spread(old)})"
            pairs = [n[0][q][1] / b_[0][q][1] for n, b_ in zip(new_runs, old_runs) if q in n[0] and q in b_[0]]
            ratio = f"{statistics.median(pairs):.2f}"
            best = f"{min(ours) / min(old):.2f}"
        else:
            before, ratio, best = "(new class)", "", ""
        print(
            f"| {label} `{q}` | {count} | {entries} | {fmt(o)} ({spread(ours)}) | "
            f"{fmt(p)} ({spread(peer)}) | {vs_peer:.2f} | {before} | {ratio} | {best} |"
        )
    print("\nKey press → redrawn frame (median / p99, the median over the runs of each):\n")
    print("| terminal, typing | now | before |")
    print("|---|---|---|")
    for key in new_runs[0][1]:
        now = [r[1][key] for r in new_runs if key in r[1]]
        old = [r[1][key] for r in old_runs if key in r[1]]

        def cell(v):
            if not v:
                return "(not measured)"
            med = statistics.median(x[0] for x in v)
            p99 = statistics.median(x[1] for x in v)
            return f"{fmt(med)} / {fmt(p99)} (p99s {', '.join(fmt(x[1]) for x in v)})"

        print(f"| {key[0]}, `{key[1]}` | {cell(now)} | {cell(old)} |")


if __name__ == "__main__":
    main()
