"""The load bench's pure helpers (bench/load_report.py): the endpoint table, failures' timing, the duplicate count."""

import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import InvestmentVisitFactory, LeaderFactory

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from load_report import format_table, read_stats_csv, split_failures, visit_counts, visit_purpose

STATS = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,Min Response Time,\
Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%
GET,page: / (dashboard),120,0,150,160,90,700,5000,0.4,0,150,160,170,180,250,280,400,650,700,700,700
POST,write: POST visit,300,2,90,100,40,900,800,1,0,90,100,110,120,200,320,500,800,900,900,900
GET,stats: /api/v1/stats/summary/ (a year),50,0,400,420,300,900,900,0.2,0,400,420,430,440,500,600,800,900,900,900,900
,Aggregated,470,2,110,150,40,900,2000,1.6,0,110,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A,N/A
"""


def test_the_table_gives_percentiles_per_endpoint_and_judges_only_pages_and_writes(tmp_path):
    path = tmp_path / "locust_stats.csv"
    path.write_text(STATS, encoding="utf-8")
    lines = format_table(read_stats_csv(str(path))).splitlines()
    assert lines[2].split()[-6:] == ["120", "0", "150", "280", "650", "yes"]
    assert lines[3].split()[-6:] == ["300", "2", "90", "320", "800", "NO"]
    assert lines[4].split()[-5:] == ["50", "0", "400", "600", "900"]  # statistics: no verdict
    assert lines[5].split()[-5:] == ["470", "2", "110", "-", "-"]
    assert lines[5].startswith("all requests")


def test_failures_are_split_into_those_in_flight_during_the_restart_and_the_others():
    outcomes = [(1.0, 2.0, False), (9.0, 10.5, False), (10.0, 11.0, True), (12.5, 13.0, False), (20.0, 20.1, False)]
    assert split_failures(outcomes, down=10.0, up=12.0) == (1, 3)
    assert split_failures(outcomes, down=None, up=None) == (0, 4)


@pytest.mark.django_db
def test_visit_counts_finds_a_key_written_twice_and_an_acknowledged_key_without_a_visit():
    leader = LeaderFactory()
    for key in ["k1", "k2", "k2"]:
        InvestmentVisitFactory(leaders=[leader], purpose=visit_purpose("run1", key))
    InvestmentVisitFactory(leaders=[leader], purpose=visit_purpose("run2", "k3"))  # another run: not counted
    with connection.cursor() as cursor:
        counts = visit_counts(cursor, "run1", ["k1", "k2", "k4"])
    assert counts == {"visits": 3, "keys": 2, "duplicates": [("k2", 2)], "missing": ["k4"]}
