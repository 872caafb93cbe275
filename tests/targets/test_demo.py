"""The demo's targets: written by ``generate_demo_data`` through the services, marked 演示, deterministic for a seed
and end date, with a tie in the town ranking and the machine-tool chain's 2023–2025 goal; removed by ``--replace``
(the bureau's own targets and weights stay)."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from targets.demo import CNC_OUTPUT_WAN
from targets.models import AssessmentWeight, Target
from targets.selectors import rankings, target_progress
from targets.services import weight_save
from tests.targets.conftest import target

pytestmark = pytest.mark.django_db
END = "2025-09-30"


def generate(seed: int = 1, *extra: str) -> str:
    out = StringIO()
    call_command(
        "generate_demo_data",
        "--projects",
        "60",
        "--visits",
        "60",
        "--seed",
        str(seed),
        "--end-date",
        END,
        *extra,
        stdout=out,
    )
    return out.getvalue()


def snapshot() -> list[tuple]:
    return sorted(
        (t.year_from, t.year_to, t.scope_kind, t.chain_id or 0, t.town, t.unit_name, t.metric, t.value)
        for t in Target.objects.all()
    )


@pytest.fixture
def seeded():
    call_command("seed_pinghu", stdout=StringIO())


def test_demo_targets_are_plausible_and_marked(seeded):
    output = generate()
    targets = list(Target.objects.select_related("chain"))
    assert f"{len(targets)} " in output
    assert all(t.source.startswith("演示") and t.note == "演示数据" for t in targets)
    city = {t.metric for t in targets if t.scope_kind == "city" and t.year_from == 2025}
    assert city == {metric for metric, _label in Target._meta.get_field("metric").choices} - {"chain_output"}
    # Chain output is known once a year's per-mu figures are in: its targets are for the year before,
    # near the demo firms' figures (projects.demo_per_mu).
    output = target_progress(2024, datetime.date(2024, 12, 31), "city")
    (city_output,) = [row for row in output if row.metric == "chain_output"]
    assert city_output.actual > 0 and Decimal("0.85") < city_output.completion < Decimal("1.15")
    assert {t.scope_kind for t in targets} == {"city", "chain", "town", "unit"}
    cnc = Target.objects.get(chain__code="cnc", metric="chain_output", year_from=2023)
    assert (cnc.year_from, cnc.year_to, cnc.value) == (2023, 2025, CNC_OUTPUT_WAN)
    assert AssessmentWeight.objects.filter(year=2025).count() == 4
    # The history names the demo as the reason.
    assert set(Target.history.values_list("history_change_reason", flat=True)) == {"演示数据"}
    # Targets around the year's pace: some ahead of time progress, some behind.
    statuses = {row.status for row in target_progress(2025, datetime.date(2025, 9, 30)) if row.actual > 0}
    assert "ahead" in statuses and statuses & {"behind", "far_behind"}


def test_the_town_ranking_has_a_tie(seeded):
    generate()
    rows = rankings(2025, datetime.date(2025, 9, 30))
    tied = [
        row for row in rows if row.progress.get("signed_projects") and row.progress["signed_projects"].completion == 1
    ]
    assert len(tied) >= 2
    assert len({row.ranks["signed_projects"] for row in tied}) == 1
    ranks = [row.rank for row in rows]
    assert len(set(ranks)) > 1  # and rows that are not tied


def test_deterministic_for_a_seed_and_replaced(seeded):
    generate(1)
    first = snapshot()
    generate(1, "--replace")
    assert snapshot() == first
    generate(2, "--replace")
    assert snapshot() != first
    assert Target.objects.exclude(source__startswith="演示").count() == 0


def test_replace_keeps_the_bureaus_own_targets_and_weights(seeded):
    own = target("signed_projects", "99", year_from=2024)
    weight_save(year=2024, metric="visits", weight=Decimal("5"), by=None)
    generate()
    demo_weight = AssessmentWeight.objects.get(year=2025, metric="signed_projects")
    weight_save(year=2025, metric="funds_in_place", weight=Decimal("7"), by=None)  # the bureau changed one
    generate(1, "--replace")
    assert Target.objects.filter(pk=own.pk).exists()
    assert AssessmentWeight.objects.filter(year=2024, metric="visits", weight=5).exists()
    # The changed weight stays (the year has weights: the demo writes none), the untouched demo ones go.
    assert AssessmentWeight.objects.filter(year=2025, metric="funds_in_place", weight=7).exists()
    assert not AssessmentWeight.objects.filter(pk=demo_weight.pk).exists()
