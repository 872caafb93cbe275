"""``pinghu.search`` on each searchable model and the grouped ``site_search``, on both databases."""

import datetime

import pytest

from aftercare.models import EnterpriseIssue
from chains.models import Enterprise, Leader
from pinghu.permissions import Role
from pinghu.search import OWN_FETCH, Query, search, search_first
from projects.models import InvestmentVisit, Project
from search.selectors import KINDS, site_search
from tests.factories import EnterpriseFactory, InvestmentVisitFactory, ProjectFactory, UserFactory
from units.models import Unit

pytestmark = pytest.mark.django_db


def names(queryset):
    return sorted(str(row) for row in queryset)


@pytest.mark.parametrize("q", ["长城", "changcheng", "ChangCheng", "chang cheng", "ccqc", "CCQC", "gufen"])
def test_enterprise_by_chinese_pinyin_and_initials(world, q):
    assert names(search(Enterprise.objects.all(), q)) == ["长城汽车股份有限公司"]


def test_enterprise_by_credit_code_prefix(world):
    code = world["great_wall"].credit_code  # 913304820000070017; the other firm's is 91330482000008002H
    assert names(search(Enterprise.objects.all(), code[:8])) == ["平湖光电科技有限公司", "长城汽车股份有限公司"]
    assert names(search(Enterprise.objects.all(), "9133 0482 0000 07")) == ["长城汽车股份有限公司"]
    assert names(search(Enterprise.objects.all(), code[:14].lower())) == ["长城汽车股份有限公司"]
    # A prefix, not any part of the code.
    assert not search(Enterprise.objects.all(), code[8:16]).exists()


def test_enterprise_by_former_name_after_renaming(world):
    firm = world["great_wall"]
    firm.name = "长城控股集团有限公司"
    firm.save()
    firm.refresh_from_db()
    assert firm.former_names == "长城汽车股份有限公司"
    assert names(search(Enterprise.objects.all(), "gufen")) == ["长城控股集团有限公司"]
    assert names(search(Enterprise.objects.all(), "konggu")) == ["长城控股集团有限公司"]


def test_bulk_create_and_bulk_update_fill_the_key(db):
    Enterprise.objects.bulk_create([Enterprise(name="吉利汽车有限公司", name_key="吉利汽车有限公司")])
    assert names(search(Enterprise.objects.all(), "jlqc")) == ["吉利汽车有限公司"]
    firm = Enterprise.objects.get()
    firm.name = "比亚迪股份有限公司"
    Enterprise.objects.bulk_update([firm], ["name"])
    assert names(search(Enterprise.objects.all(), "byd")) == ["比亚迪股份有限公司"]


def test_project_by_name_or_investor(world):
    assert names(search(Project.objects.all(), "xny")) == ["新能源整车项目"]
    assert names(search(Project.objects.all(), "整车")) == ["新能源整车项目"]
    assert names(search(Project.objects.all(), "ccqc")) == ["新能源整车项目"]
    assert names(search(Project.objects.all(), "光电")) == ["光伏组件项目"]


def test_visit_by_firm_purpose_or_outcome(world):
    visit = world["visit"]
    for q in ["changcheng", "电池", "考察", world["great_wall"].credit_code[:14]]:
        assert list(search(InvestmentVisit.objects.all(), q)) == [visit], q


def test_problem_by_description_or_firm(world):
    assert list(search(EnterpriseIssue.objects.all(), "增容")) == [world["issue"]]
    assert list(search(EnterpriseIssue.objects.all(), "ccqc")) == [world["issue"]]


def test_leader_and_unit(world):
    assert list(search(Leader.objects.all(), "zcc")) == [world["leader"]]
    assert list(search(Leader.objects.all(), "副市长")) == [world["leader"]]
    assert list(search(Unit.objects.all(), "swj")) == [world["unit"]]
    assert list(search(Unit.objects.all(), "shangwu")) == [world["unit"]]


def test_nothing_and_everything(world):
    assert not search(Enterprise.objects.all(), "zzzz").exists()
    assert search(Enterprise.objects.all(), "  ").count() == Enterprise.objects.count()


def test_grouped_search_says_why(world, superuser):
    groups = {group.key: group for group in site_search(superuser, "ccqc")}
    assert set(groups) == {"enterprises", "projects", "visits", "issues"}
    firm = groups["enterprises"].hits[0]
    assert firm.title == "长城汽车股份有限公司"
    assert [(why.label, why.match) for why in firm.why] == [("拼音首字母", "ccqc")]
    project = groups["projects"].hits[0]
    assert [why.label for why in project.why] == ["投资方 · 拼音首字母"]
    groups = {group.key: group for group in site_search(superuser, "changcheng")}
    assert set(groups) == {"enterprises", "projects", "visits", "issues", "leaders"}
    assert groups["leaders"].hits[0].why[0].label == "全拼"
    code = world["great_wall"].credit_code[:14]
    why = site_search(superuser, code)[0].hits[0].why[0]
    assert (why.label, why.match) == ("统一社会信用代码", code)


def test_grouped_search_long_text_is_cut_around_the_match(world, superuser):
    world["issue"].description = "很长的说明" * 20 + "增容" + "后面的话" * 20
    world["issue"].save()
    why = site_search(superuser, "增容")[0].hits[0].why[0]
    assert why.match == "增容" and why.before.startswith("…") and why.after.endswith("…")


def test_grouped_search_respects_read_permissions(world):
    nobody = UserFactory()
    assert site_search(nobody, "changcheng") == []
    official = UserFactory(roles=[Role.OFFICIAL])
    assert {group.key for group in site_search(official, "changcheng")} >= {"enterprises", "projects"}


def test_grouped_search_limits_each_group(db, superuser):
    for n in range(12):
        EnterpriseFactory(name=f"长城配件{n}厂")
    [group] = site_search(superuser, "ccpj", limit=8)
    assert len(group.hits) == 8 and group.more


def test_first_rows_are_those_of_the_whole_condition(db):
    """``search_first`` takes each part of the condition's first rows apart (the visit's text, its firm):
    together they give the first rows of the whole, in the same order, ties broken by the key."""
    great_wall = EnterpriseFactory(name="长城汽车股份有限公司")
    other = EnterpriseFactory(name="平湖光电科技有限公司")
    for day in range(1, 13):  # by the firm on days 1, 4, 7, 10; by what was said on 3, 6, 9, 12
        firm, purpose = [(other, "回访"), (other, "长城配套洽谈"), (great_wall, "回访")][(day + 1) % 3]
        InvestmentVisitFactory(enterprise=firm, purpose=purpose, date=datetime.date(2024, 3, day))
    InvestmentVisitFactory(enterprise=great_wall, purpose="回访", date=datetime.date(2024, 3, 12))
    visits = InvestmentVisit.objects.select_related("enterprise").order_by("-date", "-pk")
    first = list(search_first(visits, "长城", 5))
    assert [(visit.date.day, visit.enterprise == great_wall) for visit in first] == [
        (12, True),
        (12, False),
        (10, True),
        (9, False),
        (7, True),
    ]
    for n in (1, 2, 3, 8, 20):
        for q in ("长城", "changcheng", "配套", "zzzz"):
            assert list(search_first(visits, q, n)) == list(search(visits, q)[:n]), (q, n)
    projects = Project.objects.select_related("investor", "chain").order_by("-updated_at", "-pk")
    for n in range(6):
        ProjectFactory(name=f"长城配套{n}" if n % 2 else f"光伏{n}", investor=great_wall if n % 3 else other)
    for n in (1, 2, 4, 10):
        assert list(search_first(projects, "changcheng", n)) == list(search(projects, "changcheng")[:n]), n
    assert list(search_first(projects, "  ", 3)) == list(projects[:3])
    firms = Enterprise.objects.order_by("name")
    assert list(search_first(firms, "changcheng", 3)) == [great_wall]


@pytest.mark.parametrize("own_fetch", [1, 5, OWN_FETCH])
def test_first_rows_whatever_the_own_part_reads(db, monkeypatch, own_fetch):
    """The part on a row's own columns reads its first ``max(n, OWN_FETCH)`` keys: fewer than the rows
    found, as many, more; the rows are the first ``n`` of the whole condition all the same."""
    monkeypatch.setattr("pinghu.search.OWN_FETCH", own_fetch)
    firms = [EnterpriseFactory(name=f"长城配件{n:02}厂") for n in range(12)]
    EnterpriseFactory(name="平湖光电科技有限公司")
    for day, firm in enumerate(firms[::2], start=1):
        InvestmentVisitFactory(enterprise=firm, purpose="回访", date=datetime.date(2024, 3, day))
        InvestmentVisitFactory(enterprise=firms[-1], purpose="长城配件洽谈", date=datetime.date(2024, 3, day))
    querysets = [
        Enterprise.objects.order_by("name"),
        InvestmentVisit.objects.select_related("enterprise").order_by("-date", "-pk"),
        Unit.objects.order_by("name", "pk"),
    ]
    for queryset in querysets:
        for q in ("长城配件", "ccpj", "changcheng", "洽谈", "01", "zzzz"):
            for n in (1, 4, 9, 13, 40):
                assert list(search_first(queryset, q, n)) == list(search(queryset, q)[:n]), (queryset.model, q, n)


@pytest.mark.parametrize(
    ("q", "indexed"),
    [("新能源", True), ("xin", True), ("9133", True), ("长城企", True), ("企", False), ("汽车", False)]
    + [("长城qy", False)],
)
def test_a_query_of_fewer_than_three_characters_has_no_trigram(q, indexed):
    """Such a query (or its letters and digits, ``长城qy``) keeps ``n`` for the own columns (``OWN_FETCH``)."""
    assert Query.parse(q).has_trigrams is indexed


def test_grouped_search_reads_each_type_in_one_query(world, superuser, django_assert_num_queries):
    with django_assert_num_queries(len(KINDS)):
        site_search(superuser, "changcheng")
    with django_assert_num_queries(len(KINDS)):
        site_search(superuser, "zzzz")
    with django_assert_num_queries(1):
        [group] = site_search(superuser, "ccqc", only="visits")
    assert [hit.title for hit in group.hits] == [f"{world['visit'].date:%Y-%m-%d} 长城汽车股份有限公司"]
