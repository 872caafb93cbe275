"""Deliver N webhook events to a local receiver with one ``db_worker``: throughput and commit-to-delivery lag.

On the bench PostgreSQL database (``$PINGHU_BENCH_DB``), one subscription (an API consumer's, to
``visit.updated``) and a receiver in this process (``http.server`` on 127.0.0.1, answering 204 at once).
Each event is a real one: ``emit(visit.updated)`` for a demo visit inside a transaction, so the webhooks'
receiver reads the visit as the API shows it and writes the delivery and its task, as a service would.

1. Backlog: N events committed with no worker running; then one ``manage.py db_worker`` (a subprocess,
   its default 1 s polling interval) is started and timed until the receiver has all N: the throughput.
2. Steady stream: with the worker running, N (or ``--stream``) events committed one per transaction at
   ``--rate`` a second, at most half the measured throughput (at or above it the queue only grows); the
   lag of each is the receiver's clock at arrival minus this process's clock just after the commit (one
   machine, one clock). Median and p95.

Every event must arrive once (the receiver counts distinct event ids and repeats). Target: median lag under 2 s.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/webhooks.py \
        [--events 10000] [--rate 100]
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from _setup import PROJECT, setup_django

arrivals: dict[str, float] = {}
repeats = 0
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # the name http.server calls
        self.rfile.read(int(self.headers["Content-Length"]))
        event_id = self.headers["X-Pinghu-Event-Id"]
        global repeats
        with lock:
            if event_id in arrivals:
                repeats += 1
            else:
                arrivals[event_id] = time.time()
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def start_worker() -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay"],
        cwd=PROJECT,
        env={**os.environ, "DJANGO_LOG_LEVEL": "WARNING"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(ids: list[str], timeout: float) -> float:
    deadline = time.time() + timeout
    while time.time() < deadline:
        with lock:
            if all(event_id in arrivals for event_id in ids):
                return max(arrivals[event_id] for event_id in ids)
        time.sleep(0.05)
    with lock:
        missing = sum(event_id not in arrivals for event_id in ids)
    sys.exit(f"{missing} of {len(ids)} events not delivered within {timeout:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument(
        "--rate", type=float, default=100.0, help="events a second in the steady stream (at most half the throughput)"
    )
    parser.add_argument("--stream", type=int, default=0, help="events in the steady stream (default: --events)")
    args = parser.parse_args()
    setup_django()
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from pinghu.events import VISIT_UPDATED, emit
    from pinghu.permissions import Role
    from projects.models import InvestmentVisit
    from tests.factories import InvestmentVisitFactory, UserFactory
    from webhooks.models import Delivery, Subscription
    from webhooks.services import subscription_create

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}/hook"

    Subscription.objects.all().delete()
    DBTaskResult.objects.all().delete()
    consumer = UserFactory(username="bench-consumer", roles=[Role.API_CONSUMER])
    subscription_create(owner=consumer, url=url, events=[VISIT_UPDATED])
    visits = list(InvestmentVisit.objects.order_by("pk")[:50]) or [InvestmentVisitFactory() for _ in range(50)]

    def one_event(index: int) -> str:
        with transaction.atomic():
            event = emit(VISIT_UPDATED, visits[index % len(visits)])
        return str(event.id)

    def hundred_events(start: int) -> list[str]:
        with transaction.atomic():
            return [str(emit(VISIT_UPDATED, visits[index % len(visits)]).id) for index in range(start, start + 100)]

    # 1. Backlog (written a hundred events a transaction, to be quicker), then one worker drains it.
    started = time.perf_counter()
    backlog = [event_id for start in range(0, args.events, 100) for event_id in hundred_events(start)]
    written = time.perf_counter() - started
    print(
        f"{args.events} events written with their deliveries and tasks in {written:.1f} s "
        f"({args.events / written:.0f}/s, the producer's side)"
    )
    worker = start_worker()
    try:
        drain_start = time.time()
        last = wait_for(backlog, timeout=max(600, args.events))
        drained = last - drain_start
        throughput = args.events / drained
        print(
            f"backlog: {args.events} delivered by one worker in {drained:.1f} s: {throughput:.0f} events/s "
            "(including the worker's start)"
        )

        # 2. A steady stream well below that throughput: the lag from commit to arrival.
        rate = min(args.rate, throughput * 0.5)
        committed: dict[str, float] = {}
        start = time.time()
        for index in range(args.stream or args.events):
            pause = start + index / rate - time.time()
            if pause > 0:
                time.sleep(pause)
            event_id = one_event(index)
            committed[event_id] = time.time()
        wait_for(list(committed), timeout=max(600, args.events))
        lags = sorted(arrivals[event_id] - at for event_id, at in committed.items())
        print(
            f"steady stream at {rate:.0f} events/s: lag commit→delivery median {statistics.median(lags):.3f} s, "
            f"p95 {lags[int(len(lags) * 0.95)]:.3f} s, max {lags[-1]:.3f} s"
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        server.shutdown()
    delivered = Delivery.objects.filter(status="succeeded").count()
    print(f"{len(arrivals)} distinct events received, {repeats} repeats; {delivered} deliveries recorded as delivered")


if __name__ == "__main__":
    main()
