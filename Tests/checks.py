"""What the Python end-to-end tests share: a check that prints and remembers, a free port,
and the exit status."""
import socket, sys

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what, flush=True)
    if not cond:
        failures.append(what)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def finish(name):
    if failures:
        print(f"{len(failures)} FAILED")
        sys.exit(1)
    print(f"{name} passed")
