"""A small world for March 2025 reports, its figures computed by hand in the docstring of ``world``."""

import datetime
from decimal import Decimal

import pytest

from pinghu.permissions import Role
from projects.models import ProjectFunds
from reports.defaults import ensure_city_monthly
from tests.factories import (
    ChainFactory,
    ClusterFactory,
    EnterpriseIssueFactory,
    InvestmentVisitFactory,
    LandParcelFactory,
    LeaderFactory,
    ProjectFactory,
    UserFactory,
)

D = datetime.date
MARCH = D(2025, 3, 1)


@pytest.fixture
def world(db):
    """Cluster X (chains A, B), cluster Y (chain C). March 2025:

    Projects: P1 A 当湖街道 12,000 万元 signed 03-10, started 03-20; P2 B 钟埭街道 500 signed 03-15, started
      04-10 (after the month); P3 C 3,000 signed 2025-02-01, in production 03-05.
    Visits: V1 Sat 03-01 (3 leaders) chains A, B, project P1; V2 Mon 03-03 (1) chain A, project P2; V3 04-05.
    Funds: P1 2025-03 domestic 200, foreign 10 (万美元). Problems: I1 received 03-02 resolved 03-20; I2
      received 03-05 resolved 04-02 (not resolved by the month's end). Land: 30 亩 supplied 03-12 to P1.
    March: visits 2 (Saturday 1), person-times 4 (Saturday 3), engaged 2; signed 2 / 12,500 万元, 亿元以上 1
      (P1); 开工率 as of 03-31 1/2 (P1; P2 starts later); started in March 1 (P1), in production 1 (P3);
      funds 200 / 10; problems 2, resolved 1 (50%); land 30 亩.
    """
    x, y = ClusterFactory(code="x", name="集群X"), ClusterFactory(code="y", name="集群Y")
    a = ChainFactory(code="a", name="链A", cluster=x)
    b = ChainFactory(code="b", name="链B", cluster=x)
    c = ChainFactory(code="c", name="链C", cluster=y)
    p1 = ProjectFactory(
        name="P1",
        chain=a,
        town="当湖街道",
        total_investment=Decimal("12000"),
        stage="construction",
        signed_date=D(2025, 3, 10),
        registered_date=D(2025, 3, 12),
        construction_date=D(2025, 3, 20),
    )
    p2 = ProjectFactory(
        name="P2",
        chain=b,
        town="钟埭街道",
        total_investment=Decimal("500"),
        stage="construction",
        signed_date=D(2025, 3, 15),
        registered_date=D(2025, 3, 16),
        construction_date=D(2025, 4, 10),
    )
    p3 = ProjectFactory(
        name="P3",
        chain=c,
        total_investment=Decimal("3000"),
        stage="production",
        signed_date=D(2025, 2, 1),
        registered_date=D(2025, 2, 5),
        construction_date=D(2025, 2, 10),
        production_date=D(2025, 3, 5),
    )
    leaders = [LeaderFactory() for _ in range(3)]
    v1 = InvestmentVisitFactory(date=D(2025, 3, 1), leaders=leaders, chains=[a, b], projects=[p1])
    v2 = InvestmentVisitFactory(date=D(2025, 3, 3), leaders=leaders[:1], chains=[a], projects=[p2])
    InvestmentVisitFactory(date=D(2025, 4, 5), leaders=leaders[:2], chains=[c])
    ProjectFunds.objects.create(
        project=p1, month=MARCH, domestic_funds=Decimal("200"), actual_foreign_investment=Decimal("10")
    )
    EnterpriseIssueFactory(
        received_on=D(2025, 3, 2),
        status="resolved",
        resolved_on=D(2025, 3, 20),
        assigned_unit="平湖市经信局",
    )
    EnterpriseIssueFactory(
        received_on=D(2025, 3, 5),
        status="resolved",
        resolved_on=D(2025, 4, 2),
        assigned_unit="平湖市经信局",
    )
    LandParcelFactory(land_area=Decimal("30"), status="supplied", supplied_date=D(2025, 3, 12), project=p1)
    return {"x": x, "y": y, "a": a, "b": b, "c": c, "p1": p1, "p2": p2, "p3": p3, "v1": v1, "v2": v2}


@pytest.fixture
def template(db):
    # Migration 0003's template; a transactional test's flush empties the table, so it is put back if gone.
    return ensure_city_monthly()


@pytest.fixture
def people(db):
    return {
        "official": UserFactory(username="official", roles=[Role.OFFICIAL]),
        "bureau": UserFactory(username="bureau", roles=[Role.BUREAU_STAFF]),
        "admin": UserFactory(username="admin", roles=[Role.ADMIN]),
    }
