"""Show that the app keeps serving after PostgreSQL restarts (CONN_MAX_AGE with CONN_HEALTH_CHECKS).

Starts a throwaway PostgreSQL cluster (initdb/pg_ctl, as ``make test`` does when no server
answers), migrates it, serves the app with gunicorn (gthread workers, production-like settings)
and sends a steady stream of API requests from four client threads. After a few seconds it
restarts PostgreSQL (``pg_ctl restart -m fast``) and counts failed requests: those that ran while
the server was down are expected to fail; any failure after it is back up is a defect.

    .venv/bin/python bench/pg_restart.py [--seconds 12] [--restart-at 4]
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT / "scripts"))

from with_postgres import answers, find_binary, free_port  # noqa: E402


def run(command, **kwargs):
    return subprocess.run(command, check=True, **kwargs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=12)
    parser.add_argument("--restart-at", type=float, default=4)
    args = parser.parse_args()

    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        sys.exit("initdb/pg_ctl not found: install PostgreSQL.")
    workdir = tempfile.mkdtemp(prefix="pinghu-restart-")
    data, log = os.path.join(workdir, "data"), os.path.join(workdir, "pg.log")
    prefix = []
    if os.geteuid() == 0:  # initdb refuses root: run the server as postgres
        prefix = ["runuser", "-u", "postgres", "--"]
        shutil.chown(workdir, user="postgres")
    pg_port, app_port = free_port(), free_port()
    url = f"postgres://postgres@127.0.0.1:{pg_port}/postgres"
    options = f"-p {pg_port} -k {workdir} -c listen_addresses=127.0.0.1"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "restart-bench-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_HTTPS": "0",  # plain HTTP on the loopback, no nginx in front
    }
    python = str(PROJECT / ".venv" / "bin" / "python")
    gunicorn = None
    try:
        run([*prefix, initdb, "-D", data, "-U", "postgres", "--auth=trust", "--no-sync"], stdout=subprocess.DEVNULL)
        run([*prefix, pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "start"], stdout=subprocess.DEVNULL)
        run([python, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env)
        run([python, "manage.py", "seed_pinghu"], cwd=PROJECT, env=env, stdout=subprocess.DEVNULL)
        script = (
            "from django.contrib.auth import get_user_model;"
            "from pinghu.services import api_token_issue;"
            "from django.contrib.auth.models import Group;"
            "u=get_user_model().objects.create_user('restart');"
            "u.groups.set(Group.objects.filter(name='API消费者'));"
            "print(api_token_issue(user=u)[1])"
        )
        key = (
            run([python, "manage.py", "shell", "-c", script], cwd=PROJECT, env=env, capture_output=True, text=True)
            .stdout.strip()
            .splitlines()[-1]
        )
        gunicorn = subprocess.Popen(
            [str(PROJECT / ".venv" / "bin" / "gunicorn"), "pinghu.wsgi", "--worker-class", "gthread",
             "--workers", "2", "--threads", "4", "--bind", f"127.0.0.1:{app_port}", "--log-level", "warning"],
            cwd=PROJECT, env=env,
        )  # fmt: skip
        endpoint = f"http://127.0.0.1:{app_port}/api/v1/chains/"
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(endpoint, headers={"Authorization": f"Bearer {key}"}))
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)

        results: list[tuple[float, float, str]] = []
        lock = threading.Lock()
        started = time.monotonic()

        def client():
            while time.monotonic() - started < args.seconds:
                sent = time.monotonic() - started
                try:
                    request = urllib.request.Request(endpoint, headers={"Authorization": f"Bearer {key}"})
                    with urllib.request.urlopen(request, timeout=10) as response:
                        outcome = str(response.status)
                except urllib.error.HTTPError as error:
                    outcome = str(error.code)
                except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                    outcome = type(error).__name__
                with lock:
                    results.append((sent, time.monotonic() - started, outcome))
                time.sleep(0.02)

        threads = [threading.Thread(target=client) for _ in range(4)]
        for thread in threads:
            thread.start()
        time.sleep(args.restart_at)
        down = time.monotonic() - started
        run([*prefix, pg_ctl, "-D", data, "-l", log, "-o", options, "-m", "fast", "-w", "restart"],
            stdout=subprocess.DEVNULL)  # fmt: skip
        while not answers(url):
            time.sleep(0.05)
        up = time.monotonic() - started
        for thread in threads:
            thread.join()

        failed = [row for row in results if row[2] != "200"]
        # A request fails "in flight" if it was sent before the server was back and answered after it went down.
        in_flight = [row for row in failed if row[0] <= up and row[1] >= down]
        after = [row for row in failed if row not in in_flight]
        print(
            json.dumps(
                {
                    "requests": len(results),
                    "failed": len(failed),
                    "failed_during_restart": len(in_flight),
                    "failed_outside_restart": len(after),
                    "restart_seconds": round(up - down, 2),
                    "failure_kinds": sorted({row[2] for row in failed}),
                }
            )
        )
        print(
            f"{len(results)} requests; PostgreSQL down for {up - down:.2f} s; {len(in_flight)} failed while it "
            f"restarted, {len(after)} failed outside the restart (target 0)."
        )
    finally:
        if gunicorn is not None:
            gunicorn.terminate()
            gunicorn.wait(timeout=20)
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
