#!/usr/bin/env python3
"""Start to first interactive frame, in a pseudo-terminal, and peak memory.

Usage: python3 benches/startup.py target/release/portal-admin target/bench-data/portal-1000000.redb [COLSxROWS]

Prints: process start -> sign-in form drawn; Enter on the sign-in -> patient
list drawn (this includes one argon2 verification); peak resident memory
(VmHWM) after signing in, and after searching and scrolling through results.
"""
import fcntl, os, pty, select, struct, sys, termios, time

exe, db = sys.argv[1], sys.argv[2]
cols, rows = (int(x) for x in (sys.argv[3] if len(sys.argv) > 3 else "80x24").split("x"))
STAFF_PW = b"harbor-violet-lantern-42"

t0 = time.perf_counter()
pid, fd = pty.fork()
if pid == 0:
    fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    os.environ["TERM"] = "xterm-256color"
    os.environ.pop("NO_COLOR", None)
    os.execv(exe, [exe, "--db", db])

buf = b""
def read_until(marker, timeout=30.0):
    global buf
    end = time.perf_counter() + timeout
    while marker not in buf:
        left = end - time.perf_counter()
        if left <= 0:
            sys.exit(f"timed out waiting for {marker!r}; got {buf[-400:]!r}")
        r, _, _ = select.select([fd], [], [], left)
        if r:
            try:
                buf += os.read(fd, 65536)
            except OSError:
                sys.exit("the app exited")
    return time.perf_counter()

def hwm():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM"):
                return int(line.split()[1]) // 1024

t_form = read_until(b"Operator sign-in")
buf = b""
os.write(fd, b"staff\t" + STAFF_PW)
time.sleep(0.2)
buf = b""
t_enter = time.perf_counter()
os.write(fd, b"\r")
t_list = read_until(b"page 1")
mem_signed_in = hwm()

# From here on, keep reading the terminal so the app never blocks writing.
import threading
def drain():
    while True:
        try:
            if not os.read(fd, 65536):
                return
        except OSError:
            return
threading.Thread(target=drain, daemon=True).start()
for ch in b"smi":
    os.write(fd, bytes([ch])); time.sleep(0.01)
os.write(fd, b"\r")
for _ in range(150):
    os.write(fd, b"j")
for _ in range(30):
    os.write(fd, b"\x1b[6~")  # PgDn
    time.sleep(0.005)
for ch in b"/garcia, ":
    os.write(fd, bytes([ch])); time.sleep(0.01)
time.sleep(0.5)
mem_after = hwm()
os.write(fd, b"\x03")
os.waitpid(pid, 0)
print(f"terminal {cols}x{rows}, database {os.path.getsize(db) / 2**20:.0f} MiB")
print(f"process start -> sign-in form drawn: {(t_form - t0) * 1000:.1f} ms")
print(f"Enter on sign-in -> patient list drawn (includes one argon2 verification): {(t_list - t_enter) * 1000:.1f} ms")
print(f"peak RSS after sign-in: {mem_signed_in} MiB; after searching and scrolling: {mem_after} MiB")
