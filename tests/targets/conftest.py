"""A small world for the targets' figures, computed by hand in the docstring of ``world``."""

import datetime
from decimal import Decimal

import pytest

from projects.models import ExchangeRate, ProjectFunds
from targets.models import Target
from tests.factories import (
    ChainFactory,
    ClusterFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    unit_named,
)

D = datetime.date


@pytest.fixture
def world(db):
    """Cluster X (chains A, B), cluster Y (chain C); the exchange rate of 2025 is 7.1 (US$100 million = 71,000 万元).

    Projects (town, responsible unit, total 万元, dates):
      P1 A 当湖街道 "平湖市商务局"   12,000  signed 2025-03-10, started 2025-05-01, in production 2025-08-01
      P2 A 钟埭街道 "平湖市 商务局"  150,000 signed 2025-07-15 (the unit written with a space: the same unit)
      P3 B 当湖街道 "平湖市经信局"   500     signed 2024-11-01, started 2025-02-01
      P4 C no town, no unit          3,000   signed 2025-06-30
    2025 signed: P1, P2, P4 = 3, 165,000 万元; by 2025-06-30: P1, P4 = 2, 15,000 万元.
    Bands 2025: 亿元以上 P1, P2 = 2; 10亿元以上 P2 = 1; 超亿美元 P2 = 1.
    Started in 2025: P3 (Feb), P1 (May) = 2; in production: P1 (Aug) = 1, none by 2025-06-30.
    Funds (domestic 万元 / foreign 万美元): P1 2025-01 100, 2025-06 200, 2025-07 300 / 50; P3 2025-03 400;
      P1 2024-12 999 (the year before). 2025: 1,000 / 50; by 2025-06-30: 700 / 0. Chain A: 600; by June 300.
    Visits (leaders): V1 Sat 2025-03-01 (3) chains A, B host "平湖市商务局"; V2 Mon 2025-03-03 (1) chain A host
      "平湖市经信局"; V3 Sat 2025-07-05 (2) chain C host "平湖市商务局".
      City 2025: 3 visits, Saturday person-times 5; by 2025-06-30: 2 and 3. Chain A: 2 visits, 3; cluster X:
      2 visits (V1 once), 3; unit 平湖市商务局: 2 visits, 5.
    Per-mu output: E1 (roles in A and B) 2024 20,000, 2025 25,000; E2 (role in C) 2024 5,000; E3 (no role) 2025
      7,000. Chain A 2025: 25,000; cluster X 2025: 25,000 (E1 once); city 2025: 25,000; chain C 2024–2025: 5,000.
    """
    ExchangeRate.objects.create(year=2025, cny_per_usd=Decimal("7.1"))
    x, y = ClusterFactory(code="x", name="集群X"), ClusterFactory(code="y", name="集群Y")
    a = ChainFactory(code="a", name="链A", cluster=x)
    b = ChainFactory(code="b", name="链B", cluster=x)
    c = ChainFactory(code="c", name="链C", cluster=y)
    p1 = ProjectFactory(
        name="P1",
        chain=a,
        town="当湖街道",
        responsible_unit="平湖市商务局",
        total_investment=Decimal("12000"),
        stage="production",
        signed_date=D(2025, 3, 10),
        registered_date=D(2025, 4, 1),
        construction_date=D(2025, 5, 1),
        production_date=D(2025, 8, 1),
    )
    p2 = ProjectFactory(
        name="P2",
        chain=a,
        town="钟埭街道",
        responsible_unit="平湖市 商务局",
        total_investment=Decimal("150000"),
        stage="signed",
        signed_date=D(2025, 7, 15),
    )
    p3 = ProjectFactory(
        name="P3",
        chain=b,
        town="当湖街道",
        responsible_unit="平湖市经信局",
        total_investment=Decimal("500"),
        stage="construction",
        signed_date=D(2024, 11, 1),
        registered_date=D(2024, 12, 1),
        construction_date=D(2025, 2, 1),
    )
    p4 = ProjectFactory(
        name="P4", chain=c, total_investment=Decimal("3000"), stage="signed", signed_date=D(2025, 6, 30)
    )
    for project, month, domestic, foreign in [
        (p1, D(2025, 1, 1), "100", "0"),
        (p1, D(2025, 6, 1), "200", "0"),
        (p1, D(2025, 7, 1), "300", "50"),
        (p3, D(2025, 3, 1), "400", "0"),
        (p1, D(2024, 12, 1), "999", "0"),
    ]:
        ProjectFunds.objects.create(
            project=project, month=month, domestic_funds=Decimal(domestic), actual_foreign_investment=Decimal(foreign)
        )
    leaders = [LeaderFactory() for _ in range(3)]
    InvestmentVisitFactory(date=D(2025, 3, 1), leaders=leaders, chains=[a, b], host_unit="平湖市商务局")
    InvestmentVisitFactory(date=D(2025, 3, 3), leaders=leaders[:1], chains=[a], host_unit="平湖市经信局")
    InvestmentVisitFactory(date=D(2025, 7, 5), leaders=leaders[:2], chains=[c], host_unit="平湖市商务局")
    e1, e2, e3 = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    EnterpriseChainRoleFactory(enterprise=e1, chain=a)
    EnterpriseChainRoleFactory(enterprise=e1, chain=b)
    EnterpriseChainRoleFactory(enterprise=e2, chain=c)
    EnterpriseAnnualMetricFactory(enterprise=e1, year=2024, industrial_output=Decimal("20000"))
    EnterpriseAnnualMetricFactory(enterprise=e1, year=2025, industrial_output=Decimal("25000"))
    EnterpriseAnnualMetricFactory(enterprise=e2, year=2024, industrial_output=Decimal("5000"))
    EnterpriseAnnualMetricFactory(enterprise=e3, year=2025, industrial_output=Decimal("7000"))
    return {"x": x, "y": y, "a": a, "b": b, "c": c, "p1": p1, "p2": p2, "p3": p3, "p4": p4}


def target(metric, value, *, scope_kind="city", year_from=2025, year_to=None, **scope) -> Target:
    """A target saved after full validation (the service's checks without its permission).

    A unit may be given by its name (the unit of that name, as compared, is used or created).
    """
    if isinstance(scope.get("unit"), str):
        scope["unit"] = unit_named(scope["unit"])
    made = Target(
        year_from=year_from,
        year_to=year_to or year_from,
        scope_kind=scope_kind,
        metric=metric,
        value=Decimal(value),
        **scope,
    )
    made.full_clean()
    made.save()
    return made
