"""Planner statistics after the demo's bulk load (``generate_demo_data``), before anything reads the rows."""

from django.db import connection

from chains.models import Enterprise

from .models import (
    InvestmentVisit,
    PipelineDelta,
    PipelineMonth,
    Project,
    ProjectContactDay,
    ProjectFunds,
    ProjectFundsMonth,
    ProjectStageChange,
    VisitDay,
    VisitDayChain,
    VisitDayLeader,
    VisitLeader,
    VisitProject,
)


def analyze_demo_tables() -> None:
    """ANALYZE the tables the load filled, on PostgreSQL, before the apps' generators read them.

    The load writes millions of rows at once, and autovacuum analyzes them a minute or more later;
    until then the planner guesses each filter's share of rows (0.5 % of a chain's links, where a chain
    holds an eighth). At 1,000,000 projects the targets' generator then read one cluster's visits of a
    month by nested loops for over a minute (17 s once analyzed: ``docs/benchmarks.md``). Sampled, so
    it costs seconds at that size, and nothing at ``make run``'s.
    """
    if connection.vendor != "postgresql":
        return
    models = [Enterprise, Project, ProjectStageChange, InvestmentVisit, VisitLeader, VisitProject, ProjectFunds]
    models += [
        VisitDay,
        VisitDayChain,
        VisitDayLeader,
        PipelineDelta,
        PipelineMonth,
        ProjectFundsMonth,
        ProjectContactDay,
    ]  # the rollups, rebuilt by the load
    tables = [model._meta.db_table for model in models] + [InvestmentVisit.chains.through._meta.db_table]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(table) for table in tables))
