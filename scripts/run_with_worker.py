"""Run a web server command together with a task worker (``manage.py db_worker``), and stop the worker with it.

``make run`` and ``make serve`` use it, so one command serves pages and processes tasks (notifications'
deliveries, queued daily jobs). When the server exits, is interrupted (Ctrl-C) or terminated, the worker
is sent SIGTERM (it finishes its current task) and, if still running after 10 s, killed. If the worker
dies, it is restarted after a pause; the server is not affected.

Usage: python scripts/run_with_worker.py [--workers N] -- SERVER_COMMAND [ARG ...]
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

PYTHON = sys.executable
WORKER = [PYTHON, "manage.py", "db_worker", "--interval", "0.5"]


def say(message: str) -> None:
    print(f"[run_with_worker] {message}", file=sys.stderr, flush=True)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def main(argv: list[str]) -> int:
    workers = 1
    if argv[:1] == ["--workers"]:
        workers, argv = int(argv[1]), argv[2:]
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        say("usage: run_with_worker.py [--workers N] -- SERVER_COMMAND [ARG ...]")
        return 2
    pool = [subprocess.Popen(WORKER) for _ in range(workers)]
    say(f"{workers} task worker(s) started: pid {', '.join(str(p.pid) for p in pool)}")
    server = subprocess.Popen(argv)

    def forward(signum, _frame):
        # The server gets the signal itself when it shares our terminal; pass it on in case it does not.
        if server.poll() is None:
            server.send_signal(signum)

    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    try:
        while server.poll() is None:
            for index, worker in enumerate(pool):
                if worker.poll() is not None:
                    say(f"task worker {worker.pid} exited ({worker.returncode}); restarting it")
                    time.sleep(1)
                    pool[index] = subprocess.Popen(WORKER)
            time.sleep(0.5)
    finally:
        for worker in pool:
            stop(worker)
        say("task worker(s) stopped")
        if server.poll() is None:
            stop(server)
    return server.returncode or 0


if __name__ == "__main__":
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    sys.exit(main(sys.argv[1:]))
