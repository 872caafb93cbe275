"""The pipeline as of a day, summed from its rollups: the month rows before the day's month, then its daily rows.

The stage history's daily deltas (``PipelineDelta``) summed up to a day are the pipeline on that
day (``projects.stats.pipeline``). Summing every day of the history grows with it (33,000 rows on
the bench database, 8–14 ms a dashboard view); the months before the day's month are summed from
``PipelineMonth`` instead (a few dozen rows a month), and only the day's own month from the daily
rows: the same sums, from a number of rows that grows by a month's at a time.
"""

import datetime
from decimal import Decimal

from django.db.models import DecimalField, F, QuerySet, Sum
from django.db.models.functions import Coalesce

from chains.models import Chain, Cluster

from .models import PipelineDelta, PipelineMonth

ZERO = Decimal("0")
MONEY = DecimalField(max_digits=20, decimal_places=2)


def of_scope(rows: QuerySet, chain: Chain | None, cluster: Cluster | None) -> QuerySet:
    """``rows`` of a rollup keyed by chain, kept to ``chain`` or to the chains of ``cluster``."""
    if chain is not None:
        rows = rows.filter(chain=chain)
    if cluster is not None:
        rows = rows.filter(chain__cluster=cluster)
    return rows


def pipeline_sums(
    as_of: datetime.date, *, by_chain: bool = False, chain: Chain | None = None, cluster: Cluster | None = None
) -> list[dict]:
    """Per stage (and per chain with ``by_chain``), the projects and their investment as of ``as_of``, in one query.

    Rows ``{"stage_then", "projects", "investment"}`` (and ``"chain"``, its id), for the stages (and chains)
    with a delta on or before the day, whatever their sum: the rows of the daily deltas summed. Every
    stage change adds its project (and its investment) to one stage and takes it from the previous one,
    so the sum equals each project's last stage change on or before the day; for today it equals the
    projects' current stage (``rollup_differences`` checks it, and the month rows against the days).
    """
    first = as_of.replace(day=1)
    keys = ("chain",) if by_chain else ()
    parts = [
        of_scope(rows, chain, cluster)
        .values(*keys, stage_then=F("stage"))
        .annotate(projects=Sum("projects"), investment=Coalesce(Sum("investment"), ZERO, output_field=MONEY))
        .order_by()
        for rows in (
            PipelineMonth.objects.filter(month__lt=first),
            PipelineDelta.objects.filter(date__range=(first, as_of)),
        )
    ]
    summed: dict[tuple, dict] = {}
    for row in parts[0].union(parts[1], all=True):
        key = tuple(row[name] for name in (*keys, "stage_then"))
        if key in summed:
            summed[key]["projects"] += row["projects"]
            summed[key]["investment"] += row["investment"]
        else:
            summed[key] = row
    return list(summed.values())
