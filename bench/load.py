"""Load bench: 50 officials posting visits and 20 bureau staff reading, against gunicorn as ``make serve`` runs it.

    .venv/bin/pip install -r requirements-bench.txt   # Locust, once (not part of make test)
    PINGHU_BENCH_DB=pinghu_bench_load .venv/bin/python bench/load.py [--duration 5m] [--restart-postgres]

On the bench database (``$PINGHU_BENCH_DB`` on the server of ``$DATABASE_URL``, see ``_setup.py``; make it
from the 100k one with ``CREATE DATABASE pinghu_bench_load TEMPLATE pinghu_bench_base``), it creates the
bench's users (50 officials with write tokens, 20 bureau staff with a read token and a session), starts
gunicorn and the task worker the way ``make serve`` does (``scripts/run_with_worker.py``, gthread, 2
workers × 4 threads, DEBUG off) on a free port, runs Locust headless (``bench/locustfile.py``) for the
duration, stops the server and checks:

- errors: none (with ``--restart-postgres``: none but the requests in flight while PostgreSQL restarted);
- duplicates: each Idempotency-Key the bench sent has at most one visit, and each acknowledged one has
  exactly one (counted in SQL by the key written in the visit's purpose);
- ``manage.py rebuild_rollups --check``: the rollups equal a recomputation.

It prints one table: p50/p95/p99 and errors per endpoint, p95 against 300 ms for page views and writes.

``--restart-postgres`` restarts PostgreSQL once, in the middle of the run. Not the shared server on
127.0.0.1:5432 (other processes use it): like ``bench/pg_restart.py``, a throwaway cluster (initdb,
``pg_ctl restart -m fast``) into which the bench database is first copied with pg_dump/pg_restore.

Locust runs on the same machine as the server and PostgreSQL and takes its share of the cores.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from _setup import BENCH_DB, PROJECT, bench_database_url, setup_django
from load_report import format_table, read_stats_csv, split_failures, visit_counts

sys.path.insert(0, str(PROJECT / "scripts"))
from with_postgres import answers, find_binary, free_port

BIN = PROJECT / ".venv" / "bin"


def seconds(text: str) -> int:
    """``5m``, ``30s``, ``300`` → seconds."""
    units = {"s": 1, "m": 60, "h": 3600}
    return int(float(text[:-1]) * units[text[-1]]) if text[-1] in units else int(text)


def make_users(run: str, officials: int, staff: int) -> dict:
    """The bench's users (made once, reused), fresh tokens and sessions, and the ids the visits name."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore

    from chains.models import Chain, Enterprise, Leader
    from pinghu.choices import TokenScope
    from pinghu.permissions import Role
    from pinghu.services import api_token_issue
    from units.models import Unit

    User = get_user_model()

    def user(name: str, role: str):
        account, _ = User.objects.get_or_create(username=name)
        account.groups.set([Group.objects.get(name=role)])
        return account

    def session(account) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(account.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"  # axes's backend reads no user
        store[HASH_SESSION_KEY] = account.get_session_auth_hash()
        store.create()
        return store.session_key

    people = {
        "officials": [
            {"token": api_token_issue(user=user(f"load-official-{n}", Role.OFFICIAL), scope=TokenScope.WRITE)[1]}
            for n in range(officials)
        ],
        "staff": [],
    }
    for n in range(staff):
        account = user(f"load-staff-{n}", Role.BUREAU_STAFF)
        people["staff"].append({"token": api_token_issue(user=account)[1], "session": session(account)})
    return {
        "run": run,
        **people,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "leaders": list(Leader.objects.values_list("pk", flat=True)[:50]),
        "units": list(Unit.objects.values_list("pk", flat=True)[:30]),
        "enterprises": list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:2000]),
        "chains": list(Chain.objects.values_list("code", flat=True)),
    }


class Throwaway:
    """A private PostgreSQL cluster holding a copy of the bench database, to restart without disturbing others."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            sys.exit("initdb/pg_ctl not found: install PostgreSQL.")
        self.workdir = tempfile.mkdtemp(prefix="pinghu-load-")
        self.data, self.log = os.path.join(self.workdir, "data"), os.path.join(self.workdir, "pg.log")
        self.prefix = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
            self.prefix = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.workdir, user="postgres")
        self.port = free_port()
        self.options = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/{BENCH_DB}"

    def start(self, source_url: str) -> None:
        subprocess.run([*self.prefix, self.initdb, "-D", self.data, "-U", "postgres", "--auth=trust", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        self.pg_ctl_run("start")
        subprocess.run([find_binary("createdb") or "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U",
                        "postgres", BENCH_DB], check=True)  # fmt: skip
        print(f"copying {BENCH_DB} into a throwaway cluster on port {self.port} (pg_dump | pg_restore)…", flush=True)
        dump = subprocess.Popen([find_binary("pg_dump") or "pg_dump", "-Fc", "-Z0", source_url],
                                stdout=subprocess.PIPE)  # fmt: skip
        subprocess.run([find_binary("pg_restore") or "pg_restore", "--no-owner", "-d", self.url], stdin=dump.stdout,
                       check=True)  # fmt: skip
        if dump.wait() != 0:
            sys.exit("pg_dump failed")
        subprocess.run(["psql", self.url, "-qc", "VACUUM ANALYZE"], check=True)

    def pg_ctl_run(self, action: str, *extra: str) -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", self.data, "-l", self.log, "-o", self.options, *extra,
                        "-w", action], check=True, stdout=subprocess.DEVNULL)  # fmt: skip

    def stop(self) -> None:
        subprocess.run([*self.prefix, self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.workdir, ignore_errors=True)


def serve(port: int, env: dict) -> subprocess.Popen:
    """gunicorn + task worker with ``make serve``'s settings and command (access log off: 70 users' lines)."""
    if not (PROJECT / "staticfiles" / "staticfiles.json").exists():  # collected once (minutes with brotli)
        subprocess.run([BIN / "python", "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT, env=env,
                       check=True)  # fmt: skip
    command = [BIN / "python", "scripts/run_with_worker.py", "--", BIN / "gunicorn", "pinghu.wsgi", "--worker-class",
               "gthread", "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{port}", "--keep-alive", "75",
               "--graceful-timeout", "20", "--timeout", "180", "--log-level", "warning"]  # fmt: skip
    server = subprocess.Popen([str(part) for part in command], cwd=PROJECT, env=env, start_new_session=True)
    deadline = time.monotonic() + 180  # the first answer can be slow on busy cores (workers importing)
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=30)
            return server
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("the server did not answer")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", default="5m", help="how long Locust runs: 30s, 5m… (default 5m)")
    parser.add_argument("--restart-postgres", action="store_true", help="restart PostgreSQL once, half-way")
    parser.add_argument("--officials", type=int, default=50)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--out", default=None, help="folder for Locust's CSVs (default: a temporary one)")
    args = parser.parse_args()
    if not (BIN / "locust").exists():
        sys.exit("Locust is not installed: .venv/bin/pip install -r requirements-bench.txt")
    duration = seconds(args.duration)

    # The server's settings, set before Django is set up here too: the sessions made below are signed with its key.
    os.environ.update(
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY="load-bench-not-for-production-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    cluster = None
    if args.restart_postgres:
        cluster = Throwaway()
        cluster.start(bench_database_url())
        os.environ["DATABASE_URL"] = cluster.url
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    run = uuid.uuid4().hex[:12]
    out = Path(args.out or tempfile.mkdtemp(prefix="pinghu-load-out-"))
    out.mkdir(parents=True, exist_ok=True)
    users_file, log_file, acked_file = out / "users.json", out / "requests.tsv", out / "acknowledged.txt"
    users_file.write_text(json.dumps(make_users(run, args.officials, args.staff)), encoding="utf-8")
    for path in (log_file, acked_file):
        path.write_text("", encoding="utf-8")
    connection.close()

    port = free_port()
    env = dict(os.environ)
    server = serve(port, env)
    down = up = None
    try:
        restarter = None
        if cluster is not None:

            def restart() -> None:
                nonlocal down, up
                time.sleep(duration / 2)
                down = time.time()
                cluster.pg_ctl_run("restart", "-m", "fast")
                while not answers(cluster.url):
                    time.sleep(0.05)
                up = time.time()

            restarter = threading.Thread(target=restart)
            restarter.start()
        locust_env = {**env, "PINGHU_LOAD_USERS": str(users_file), "PINGHU_LOAD_LOG": str(log_file),
                      "PINGHU_LOAD_ACKED": str(acked_file)}  # fmt: skip
        users = args.officials + args.staff
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(PROJECT / "bench" / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(users),
                "-r",
                "10",
                "-t",
                f"{duration}s",
                "--stop-timeout",
                "30",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(out / "locust"),
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            cwd=PROJECT,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip (Locust exits 1 when any request failed; the checks below say which)
        if restarter is not None:
            restarter.join()
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # run_with_worker stops gunicorn and the worker
        server.wait(timeout=60)

    try:
        outcomes = []
        for line in log_file.read_text(encoding="utf-8").splitlines():
            sent, answered, ok, _name = line.split("\t", 3)
            outcomes.append((float(sent), float(answered), ok == "1"))
        during, outside = split_failures(outcomes, down, up)
        acknowledged = set(acked_file.read_text(encoding="utf-8").split())
        with connection.cursor() as cursor:
            counts = visit_counts(cursor, run, acknowledged)
        rollups_ok = True
        try:
            call_command("rebuild_rollups", check=True)
        except Exception as error:  # CommandError: the differences were printed above it
            rollups_ok = False
            print(error)
        connection.close()

        print()
        restart = ""
        if down is not None:
            restart = f", PostgreSQL restarted at +{down - min(o[0] for o in outcomes):.0f} s for {up - down:.1f} s"
        print(f"{duration} s, {args.officials} officials + {args.staff} bureau staff, database {BENCH_DB}{restart}")
        print(format_table(read_stats_csv(str(out / "locust_stats.csv"))))
        print()
        print(f"errors: {outside} outside a restart (target 0)" + (f", {during} in flight during it" if down else ""))
        print(
            f"visits posted: {counts['visits']} rows for {counts['keys']} keys, {len(acknowledged)} keys "
            f"acknowledged; written twice: {len(counts['duplicates'])} (target 0); acknowledged but missing: "
            f"{len(counts['missing'])} (target 0)"
        )
        print(f"rollups equal to a recomputation: {'yes' if rollups_ok else 'NO'}")
        print(f"Locust's CSVs: {out}")
        failed = outside or counts["duplicates"] or counts["missing"] or not rollups_ok
    finally:
        if cluster is not None:
            cluster.stop()
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
