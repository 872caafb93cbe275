"""Deliver N urgent notifications to a local receiver with one task worker: throughput and commit→delivery lag.

On a scratch PostgreSQL database (``$PINGHU_BENCH_DB``, default ``pinghu_bench``; ``bench/_setup.py``):
one person with one ``json://`` channel pointing at a receiver on 127.0.0.1 (a threaded ``http.server``
in this process; nothing leaves the machine), and one ``manage.py db_worker`` process. The producer
writes ``--events`` urgent notifications at ``--rate`` per second (0: as fast as it can), each in its
own transaction (the notification, its delivery row and its queued task); the time after each commit is
compared with the time the receiver gets that delivery's id (``X-Pinghu-Delivery``). Printed: events,
wall time, throughput (delivered per second, first commit to last arrival), median, p95 and max lag.
Target (issue 19): median lag under 2 s with one worker.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pinghu .venv/bin/python bench/notifications.py \\
        [--events 1000] [--rate 50] [--interval 0.1]
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

ARRIVALS: dict[str, float] = {}


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        ARRIVALS.setdefault(self.headers.get("X-Pinghu-Delivery", ""), time.time())
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=50.0, help="events written per second (0: no pause)")
    parser.add_argument("--interval", type=float, default=0.1, help="the worker's polling interval when idle")
    args = parser.parse_args()

    os.environ["PINGHU_QUIET_HOURS"] = ""  # the bench runs at any hour
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from notifications.models import Channel, Delivery, Notification
    from notifications.services import channel_save, notify

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    user, _created = get_user_model().objects.get_or_create(username="bench-notifications")
    Notification.objects.filter(recipient=user).delete()
    Channel.objects.filter(owner=user).delete()
    DBTaskResult.objects.all().delete()
    channel_save(channel=Channel(owner=user, name="bench"), url=f"json://127.0.0.1:{server.server_address[1]}/")

    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--interval", str(args.interval)],
        cwd=PROJECT,
        env={**os.environ},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    committed: dict[str, float] = {}
    try:
        time.sleep(2)  # the worker's start-up
        started = time.time()
        for n in range(args.events):
            with transaction.atomic():
                notify(
                    users=[user], kind="bench", title=f"事件 {n}", link=f"/projects/{n}/", key=f"bench:{n}", urgent=True
                )
            commit = time.time()
            for delivery_id in Delivery.objects.filter(notification__key=f"bench:{n}").values_list("pk", flat=True):
                committed[str(delivery_id)] = commit
            if args.rate:
                time.sleep(max(0.0, started + (n + 1) / args.rate - time.time()))
        deadline = time.time() + 120 + args.events / 20
        while len(ARRIVALS.keys() & committed.keys()) < len(committed) and time.time() < deadline:
            time.sleep(0.05)
    finally:
        worker.terminate()
        worker.wait(10)
        server.shutdown()
    lags = sorted(ARRIVALS[key] - committed[key] for key in committed if key in ARRIVALS)
    delivered = len(lags)
    first, last = min(committed.values()), max(ARRIVALS[key] for key in committed if key in ARRIVALS)
    print(
        f"events: {args.events}, delivered: {delivered}, "
        f"not delivered in time: {args.events - delivered}, rate: {args.rate}/s"
    )
    print(
        f"wall time first commit → last delivery: {last - first:.1f} s; throughput {delivered / (last - first):.1f}/s"
    )
    print(
        f"lag commit → delivery: median {statistics.median(lags):.3f} s, "
        f"p95 {lags[int(len(lags) * 0.95) - 1]:.3f} s, max {lags[-1]:.3f} s"
    )
    duplicates = Delivery.objects.filter(notification__recipient=user, attempts__gt=1).count()
    print(f"deliveries sent more than once: {duplicates}")


if __name__ == "__main__":
    main()
