"""Patterns of one or two characters (``pinghu.search_short``): the rows of the plain ``LIKE``, on both databases,
and on PostgreSQL through the character indexes and the keys' trigram indexes rather than a read of every row."""

import functools
import operator

import pytest
from django.db import connection, transaction
from django.db.models import Q

from aftercare.models import EnterpriseIssue
from chains.models import Enterprise, Leader
from pinghu.search import Query, search, search_first
from projects.models import InvestmentVisit, Project
from tests.factories import EnterpriseFactory, EnterpriseIssueFactory, InvestmentVisitFactory, ProjectFactory
from units.models import Unit

pytestmark = pytest.mark.django_db
postgresql_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes and plans")

MODELS = [Enterprise, Project, InvestmentVisit, EnterpriseIssue, Leader, Unit]
PATTERNS = ["汽车", "汽", "车", "件", "部件", "鑫", "鑫淼", "ts", "TS", "Ts", "t", "Q", "qc", "cq", "cc", "9", "91"]
PATTERNS += ["（", "）", "汽 车", "zx", "a_", "%", "长城", "整车"]


def plain_condition(model, q: str) -> Q:
    """The search's condition as plain ``LIKE``s (``icontains``, ``contains``, ``startswith``), as before the
    character indexes: the specification the search must keep."""
    query, spec = Query.parse(q), model.search_spec
    parts = [Q(**{f"{name}__icontains": query.raw}) for name in spec.text]
    if spec.key and query.pinyin:
        parts.append(Q(**{f"{spec.key}__contains": query.pinyin}))
    if query.code:
        parts += [Q(**{f"{name}__startswith": query.code}) for name in spec.prefix]
    for name in spec.related:
        target = model._meta.get_field(name).related_model
        parts.append(Q(**{f"{name}__in": target.objects.filter(plain_condition(target, q)).values("pk")}))
    return functools.reduce(operator.or_, parts)


@pytest.fixture
def texts(world):
    """Texts where a short pattern sits at the end, in Latin of mixed case, or in two characters apart."""
    tesla = EnterpriseFactory(name="上海Tesla超级工厂", short_name="特斯拉")
    apart = EnterpriseFactory(name="汽配与车灯有限公司")  # 汽 and 车, not 汽车
    ProjectFactory(name="新能源汽车零部件", investor=apart)
    ProjectFactory(name="车载屏幕（二期）", investor=tesla)
    InvestmentVisitFactory(enterprise=tesla, purpose="洽谈TS系列电池", outcome="签约 91 号地块")
    InvestmentVisitFactory(enterprise=apart, purpose="回访汽", outcome="车")
    EnterpriseIssueFactory(enterprise=tesla, description="用地指标 a_b 100%落实")
    return world


@pytest.mark.parametrize("q", PATTERNS)
def test_short_patterns_find_the_rows_of_the_plain_like(texts, q):
    for model in MODELS:
        found = sorted(search(model.objects.all(), q).values_list("pk", flat=True))
        assert found == sorted(model.objects.filter(plain_condition(model, q)).values_list("pk", flat=True)), model
    ordered = InvestmentVisit.objects.order_by("-date", "-pk")
    assert list(search_first(ordered, q, 3)) == list(ordered.filter(plain_condition(InvestmentVisit, q))[:3])


def test_short_patterns_examples(texts):
    firms = Enterprise.objects.all()
    assert set(search(firms, "汽车").values_list("name", flat=True)) == {"长城汽车股份有限公司"}
    assert set(search(firms, "ts").values_list("name", flat=True)) == {"上海Tesla超级工厂"}  # case ignored
    assert set(search(firms, "司").values_list("name", flat=True)) == {  # the text's last character
        "长城汽车股份有限公司",
        "平湖光电科技有限公司",
        "汽配与车灯有限公司",
    }
    assert search(InvestmentVisit.objects.all(), "车").count() == 2  # an outcome that is that one character
    assert not search(firms, "鑫").exists()


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_short_patterns_use_the_indexes(texts):
    """With sequential scans ruled out (a test's few rows are cheaper to read whole) and no order to walk, a
    pattern of one or two characters is looked up in the character indexes, a pair of key characters in the
    key's trigram index; never in a trigram index by a pattern without a trigram, which would read all of it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%\\_chars'")
        assert {row[0] for row in cursor.fetchall()} == {
            "chains_enterprise_name_chars",
            "chains_enterprise_short_name_chars",
            "chains_enterprise_former_names_chars",
            "projects_project_name_chars",
            "projects_investmentvisit_purpose_chars",
            "projects_investmentvisit_outcome_chars",
            "aftercare_enterpriseissue_description_chars",
        }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for q in ("鑫", "汽车"):
            plan = _plan(search(InvestmentVisit.objects.order_by(), q))
            assert "projects_investmentvisit_purpose_chars" in plan and "_trgm" not in plan, plan
            plan = _plan(search(Enterprise.objects.order_by(), q))
            assert "chains_enterprise_name_chars" in plan and "_trgm" not in plan, plan
        plan = _plan(search(Project.objects.order_by(), "zx"))
        assert "projects_project_search_key_trgm" in plan and "ANY" in plan, plan
        assert "projects_project_name_chars" in plan, plan
