"""Locust users of the load bench: officials posting visits, bureau staff reading pages, lists, statistics, exports.

Run by ``bench/load.py``, which creates the users and their tokens and sessions and passes them in the
JSON file named by ``$PINGHU_LOAD_USERS``; every request is also logged, with when it was sent and
answered, to ``$PINGHU_LOAD_LOG`` (the runner tells failures during a PostgreSQL restart from later ones).

Request names start with their kind: ``page`` and ``write`` have the 300 ms p95 target; ``api`` (JSON
reads), ``stats`` and ``export`` are reported beside them.
"""

import datetime
import itertools
import json
import os
import random
import sys
import uuid
from pathlib import Path

import gevent
from locust import HttpUser, between, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from load_report import visit_purpose

SETUP = json.loads(Path(os.environ["PINGHU_LOAD_USERS"]).read_text(encoding="utf-8"))
RUN = SETUP["run"]
OFFICIALS = itertools.cycle(SETUP["officials"])
STAFF = itertools.cycle(SETUP["staff"])
LOG = open(os.environ["PINGHU_LOAD_LOG"], "a", encoding="utf-8")
ACKNOWLEDGED = open(os.environ["PINGHU_LOAD_ACKED"], "a", encoding="utf-8")
YEAR = datetime.date.today().year - 1  # a complete year of figures


@events.request.add_listener
def log_request(request_type, name, response_time, exception, start_time, **kwargs):
    # start_time is the wall clock when the request was sent; the runner reads the restart's times the same way.
    LOG.write(f"{start_time:.3f}\t{start_time + response_time / 1000:.3f}\t{int(exception is None)}\t{name}\n")


@events.quitting.add_listener
def close_logs(**kwargs):
    LOG.close()
    ACKNOWLEDGED.close()


class Official(HttpUser):
    """A town official on a phone: records a visit every 5–15 s; some posts are sent twice with the same key."""

    fixed_count = 50
    wait_time = between(5, 15)

    def on_start(self):
        self.me = next(OFFICIALS)
        self.client.headers.update({"Authorization": f"Bearer {self.me['token']}"})

    def body(self, key: str) -> dict:
        return {
            "date": (datetime.date.today() - datetime.timedelta(days=random.randrange(30))).isoformat(),
            "leaders": [random.choice(SETUP["leaders"])],
            "host_unit": random.choice(SETUP["units"]),
            "enterprise": random.choice(SETUP["enterprises"]),
            "chains": [random.choice(SETUP["chains"])],
            "purpose": visit_purpose(RUN, key),
        }

    def post(self, key: str, body: dict, name: str) -> bool:
        with self.client.post(
            "/api/v1/visits/", json=body, headers={"Idempotency-Key": key}, name=name, catch_response=True
        ) as response:
            if response.status_code == 201:
                ACKNOWLEDGED.write(key + "\n")
                response.success()
                return True
            response.failure(f"{response.status_code}: {response.text[:200]}")
            return False

    @task
    def record_visit(self):
        key = uuid.uuid4().hex
        body = self.body(key)
        roll = random.random()
        if roll < 0.1:
            # A phone that timed out and sent again while the first post was still running.
            names = ("write: POST visit", "write: POST visit, same key at once")
            both = [gevent.spawn(self.post, key, body, name) for name in names]
            gevent.joinall(both)
            ok = all(job.value for job in both)
        else:
            ok = self.post(key, body, "write: POST visit")
            if ok and roll < 0.25:
                self.post(key, body, "write: POST visit, same key again")  # the answer was lost: sent again
        # A phone keeps a failed visit and retries it with its key (during a PostgreSQL restart).
        tries = 0
        while not ok and tries < 10:
            tries += 1
            gevent.sleep(1)
            ok = self.post(key, body, "write: POST visit, retried after an error")


class BureauStaff(HttpUser):
    """Bureau staff in a browser (session) and through a read token: dashboard, lists, statistics, exports."""

    fixed_count = 20
    wait_time = between(2, 6)

    def on_start(self):
        self.me = next(STAFF)
        self.client.cookies.set(SETUP["session_cookie"], self.me["session"])
        self.api = {"Authorization": f"Bearer {self.me['token']}"}

    def page(self, url: str, name: str) -> None:
        # A lost session would measure the login page instead: count it as an error.
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")

    @task(3)
    def dashboard(self):
        self.page("/", "page: / (dashboard)")

    @task(2)
    def project_page(self):
        self.page("/projects/", "page: /projects/ (HTML list)")

    @task(2)
    def project_list(self):
        url = "/api/v1/projects/?page_size=100"
        self.client.get(url, headers=self.api, name=f"page: {url}")

    @task(2)
    def statistics(self):
        endpoint = random.choice(["summary", "by-chain", "pipeline", "monthly"])
        self.client.get(
            f"/api/v1/stats/{endpoint}/?start={YEAR}-01-01&end={YEAR}-12-31",
            headers=self.api,
            name=f"stats: /api/v1/stats/{endpoint}/ (a year)",
        )

    @task(1)
    def export(self):
        # One chain's signed projects (about 1,700 of 100,000): an export someone reads, not a full dump a second.
        chain = random.choice(SETUP["chains"])
        with self.client.get(
            f"/api/v1/projects/?format=csv&chain={chain}&stage=signed",
            headers=self.api,
            name="export: /api/v1/projects/?format=csv&chain=…&stage=signed",
            catch_response=True,
        ) as response:  # read whole, so the time is the export's, not its first byte's
            if response.status_code != 200 or not response.content:
                response.failure(f"{response.status_code}, {len(response.content)} bytes")
