"""``PreparedCount``: the SQL ``count()`` runs, compiled once per connection, and the same number at every call."""

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from pinghu.api.values_list import PreparedCount
from projects.funds_stats import with_funds
from projects.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def counted(queryset) -> tuple[list[str], int]:
    with CaptureQueriesContext(connection) as queries:
        number = queryset.count()
    return [query["sql"] for query in queries.captured_queries], number


@pytest.mark.parametrize(
    "build",
    [
        lambda: with_funds(Project.objects.select_related("investor", "chain")).values("pk"),
        lambda: Project.objects.filter(name__startswith="乙").order_by("-updated_at").values("pk"),
        lambda: Project.objects.filter(pk__in=[]).values("pk"),
        lambda: Project.objects.values("chain").distinct(),
        lambda: Project.objects.annotate(n=Count("stage_changes")).values("pk"),
        lambda: Project.objects.order_by("pk")[1:3],
    ],
)
def test_the_count_django_runs_at_every_call(build):
    for name in ("甲一", "乙二", "乙三", "丙四"):
        ProjectFactory(name=name)
    prepared = PreparedCount(build())
    for _ in range(2):
        sql, expected = counted(build())
        with CaptureQueriesContext(connection) as queries:
            assert prepared.count() == expected
        assert [query["sql"] for query in queries.captured_queries] == sql
        Project.objects.filter(name="丙四").delete()
    assert prepared._compiled.cache_info().misses <= 1
