"""Demo per-mu figures (亩均论英雄) for ``generate_demo_data``: a share of the demo firms located in Pinghu get a
role in a chain and their yearly figures for the three complete years before the demo's end.

So the per-mu ranking, the grades, the chain and town tables and the targets' chain output (the output of the
firms holding a role in a chain) all have plausible content. Drawn from a random generator of their own
(seeded from the demo seed), so adding them changes no other demo row; written in bulk (COPY on PostgreSQL),
with their history.
The firms are demo firms (named 演示…), so every row here is recognisable as demo data by its firm.
"""

import datetime
import random
from decimal import Decimal

from chains.models import Chain, Enterprise, EnterpriseAnnualMetric, EnterpriseChainRole
from pinghu.history import delete_with_history, record_history

from .bulk_load import InstanceMaker, insert_objects

SHARE = 0.45  # of the demo firms located in Pinghu
YEARS = 3
CENT = Decimal("0.01")
BATCH_SIZE = 10_000


def _amount(value: float) -> Decimal:
    return Decimal(str(round(value, 2))).quantize(CENT)


def demo_per_mu(
    enterprises: list[Enterprise], *, seed: int, end_date: datetime.date, reason: str, user=None
) -> tuple[int, int]:
    """Write chain roles and yearly figures for a share of ``enterprises`` in Pinghu; returns (roles, figures)."""
    rng = random.Random(f"{seed}-per-mu")
    chains = list(Chain.objects.order_by("sort_order", "pk"))
    years = range(end_date.year - YEARS, end_date.year)
    roles, metrics = [], []
    make_role, make_metric = InstanceMaker(EnterpriseChainRole), InstanceMaker(EnterpriseAnnualMetric)
    for enterprise in enterprises:
        if not enterprise.in_pinghu or not chains or rng.random() > SHARE:
            continue
        roles.append(make_role(enterprise=enterprise, chain=rng.choice(chains)))
        # A firm of 0.3 to 30 亿元 output a year, growing or shrinking a little each year; land and
        # tax in the ranges the per-mu grades of Zhejiang's counties separate (A to D).
        output = rng.lognormvariate(10.3, 1.0)  # 万元: median about 3 亿元
        land = max(8.0, output / rng.uniform(150, 900))
        for year in years:
            output *= rng.uniform(0.9, 1.2)
            metrics.append(
                make_metric(
                    enterprise=enterprise,
                    year=year,
                    land_area=_amount(land),
                    industrial_output=_amount(output),
                    revenue=_amount(output * rng.uniform(0.95, 1.15)),
                    tax_paid=_amount(output * rng.uniform(0.015, 0.08)),
                    energy_use=_amount(output * rng.uniform(0.02, 0.12)) if rng.random() < 0.8 else None,
                    employees=max(10, int(output / rng.uniform(60, 200))),
                    rd_spending=_amount(output * rng.uniform(0.01, 0.05)) if rng.random() < 0.7 else None,
                )
            )
    insert_objects(roles, batch_size=BATCH_SIZE)  # COPY on PostgreSQL (projects.bulk_load)
    insert_objects(metrics, batch_size=BATCH_SIZE)
    for queryset in _demo_rows([enterprise.pk for enterprise in enterprises]):
        record_history(queryset, history_type="+", reason=reason, user=user)
    return len(roles), len(metrics)


def _demo_rows(enterprises) -> list:
    return [
        EnterpriseChainRole.objects.filter(enterprise__in=enterprises),
        EnterpriseAnnualMetric.objects.filter(enterprise__in=enterprises),
    ]


def delete_demo_per_mu(enterprises, *, reason: str, user=None) -> None:
    """Remove the roles and figures of the demo firms ``enterprises`` (a queryset), before the firms."""
    for queryset in _demo_rows(enterprises):
        delete_with_history(queryset, reason=reason, user=user)
