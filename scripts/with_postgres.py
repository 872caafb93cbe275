"""Run a command with DATABASE_URL pointing at a PostgreSQL server, finding one the way `make test` promises.

1. ``$DATABASE_URL`` if it is set to a PostgreSQL URL;
2. else the server on 127.0.0.1:5432 (user postgres, trust auth) if one answers;
3. else a throwaway cluster made with the installed ``initdb``/``pg_ctl`` in a temporary
   folder, stopped and removed afterwards.

If none can be had it exits non-zero with a clear message: the PostgreSQL run is never
skipped silently. ``--throwaway`` forces the third way (to test it).

Usage: python scripts/with_postgres.py [--throwaway] -- COMMAND [ARG ...]
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

LOCAL_URL = "postgres://postgres@127.0.0.1:5432/pinghu"


def say(message: str) -> None:
    print(f"[with_postgres] {message}", file=sys.stderr, flush=True)


def answers(url: str) -> bool:
    """True if a PostgreSQL server accepts a connection at ``url`` (its maintenance database)."""
    import psycopg2

    parsed = url.rsplit("/", 1)[0] + "/postgres"
    try:
        psycopg2.connect(parsed, connect_timeout=3).close()
    except psycopg2.OperationalError:
        return False
    return True


def find_binary(name: str) -> str | None:
    """``name`` from PATH, else from Debian's versioned PostgreSQL folders (newest first)."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_throwaway(command: list[str]) -> int:
    """Start a private cluster in a temporary folder, run ``command`` against it, then stop it."""
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not (initdb and pg_ctl):
        say(
            "No PostgreSQL could be had: DATABASE_URL is not set, nothing answers on 127.0.0.1:5432, "
            "and initdb/pg_ctl are not installed. Install PostgreSQL (apt-get install postgresql) "
            "or set DATABASE_URL=postgres://USER@HOST:PORT/DB."
        )
        return 2
    workdir = tempfile.mkdtemp(prefix="pinghu-pg-")
    data = os.path.join(workdir, "data")
    port = free_port()
    # initdb refuses to run as root; run the server as the postgres (or nobody) account then.
    prefix: list[str] = []
    if os.geteuid() == 0:
        account = "postgres"
        try:
            pwd.getpwnam(account)
        except KeyError:
            account = "nobody"
        prefix = ["runuser", "-u", account, "--"]
        shutil.chown(workdir, user=account)
    log = os.path.join(workdir, "server.log")
    try:
        subprocess.run(
            [*prefix, initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run([*prefix, pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "start"], check=True)
        url = f"postgres://postgres@127.0.0.1:{port}/pinghu"
        for _ in range(50):
            if answers(url):
                break
            time.sleep(0.2)
        say(f"started a throwaway PostgreSQL cluster on port {port}")
        return subprocess.call(command, env={**os.environ, "DATABASE_URL": url})
    except subprocess.CalledProcessError as error:
        say(f"could not start a throwaway PostgreSQL cluster: {error}")
        if os.path.exists(log):
            with open(log) as handle:
                say(handle.read())
        return 2
    finally:
        subprocess.run([*prefix, pg_ctl, "-D", data, "-m", "fast", "-w", "stop"], capture_output=True)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str]) -> int:
    force_throwaway = "--throwaway" in argv
    if "--" not in argv:
        say(__doc__ or "")
        return 2
    command = argv[argv.index("--") + 1 :]
    url = os.environ.get("DATABASE_URL", "")
    if not force_throwaway:
        if url.startswith(("postgres://", "postgresql://")):
            say("using DATABASE_URL")
            return subprocess.call(command)
        if answers(LOCAL_URL):
            say("using the PostgreSQL server on 127.0.0.1:5432")
            return subprocess.call(command, env={**os.environ, "DATABASE_URL": LOCAL_URL})
    return run_throwaway(command)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
