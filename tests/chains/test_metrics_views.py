"""The per-mu ranking page, and who may add per-mu figures in the admin."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chains.models import EnterpriseAnnualMetric, PerMuGradeScheme
from pinghu.permissions import Role
from tests.factories import (
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    PerMuGradeSchemeFactory,
    UserFactory,
)

from .test_metrics import firms  # noqa: F401 - the hand-computed data set

pytestmark = pytest.mark.django_db

URL = "/per-mu/"


def test_url_name():
    assert reverse("chains:per-mu") == URL


def test_page_needs_a_login_and_a_role(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())  # no role
    assert client.get(URL).status_code == 403


def test_page_ranks_with_grade_colours_and_group_tables(admin_client, firms):  # noqa: F811
    response = admin_client.get(URL, {"year": 2024})
    assert response.status_code == 200
    html = response.content.decode()
    assert [m.enterprise.name for m in response.context["page"]] == ["戊", "甲", "乙", "丙", "丁"]
    for css in ("text-bg-success grade grade-a", "text-bg-primary grade grade-b", "text-bg-warning grade grade-c"):
        assert css in html
    assert "text-bg-danger grade grade-d" in html
    assert "亩均评价" in html
    assert [row["town"] for row in response.context["by_town"]] == ["", "乍浦镇", "新埭镇"]
    assert [row["code"] for row in response.context["by_chain"]] == ["nev", "cnc"]
    assert 'id="by-town"' in html and 'id="by-chain"' in html
    assert "28.33" in html  # 乍浦镇: 5100 ÷ 180
    assert response.context["own_scheme"] is False
    assert "format=csv" in html  # the superuser may export


def test_filters_and_candidates_link(admin_client, firms):  # noqa: F811
    response = admin_client.get(URL, {"year": 2024, "grade": ["C", "D"]})
    assert [m.enterprise.name for m in response.context["page"]] == ["丙", "丁"]
    assert "grade=C&amp;grade=D" in response.content.decode()
    town = admin_client.get(URL, {"year": 2024, "town": "乍浦镇"})
    assert [(m.enterprise.name, m.rank) for m in town.context["page"]] == [("甲", 1), ("乙", 3)]
    chain = admin_client.get(URL, {"year": 2024, "chain": "cnc"})
    assert {m.enterprise.name for m in chain.context["page"]} == {"乙", "丙"}
    bad = admin_client.get(URL, {"year": 2024, "grade": "Z"})
    assert bad.status_code == 200 and list(bad.context["page"]) == []


def test_year_selector_and_default_year(admin_client, firms, monkeypatch):  # noqa: F811
    from chains import stats

    monkeypatch.setattr(stats, "last_complete_year", lambda: 2025)
    EnterpriseAnnualMetricFactory(year=2022)
    response = admin_client.get(URL)
    assert response.context["year"] == 2024
    assert response.context["years"] == [2024, 2022]
    assert admin_client.get(URL, {"year": "abc"}).context["year"] == 2024
    assert admin_client.get(URL, {"year": 2022}).context["count"] == 1


def test_year_scheme_is_shown(admin_client, firms):  # noqa: F811
    PerMuGradeSchemeFactory(year=2024, tax_per_mu_a=Decimal(40), tax_per_mu_b=Decimal(20), tax_per_mu_c=Decimal(10))
    response = admin_client.get(URL, {"year": 2024})
    assert response.context["own_scheme"] is True
    assert [m.grade for m in response.context["page"]] == ["B", "B", "B", "D", "D"]


def test_empty_state(admin_client):
    html = admin_client.get(URL, {"year": 2024}).content.decode()
    assert "本年度没有符合条件的亩均数据" in html


def test_official_reads_but_cannot_export(client, firms):  # noqa: F811
    client.force_login(UserFactory(roles=[Role.OFFICIAL]))
    response = client.get(URL, {"year": 2024})
    assert response.status_code == 200 and "format=csv" not in response.content.decode()


def test_page_query_count_does_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    def populate(rows):
        for _ in range(rows):
            enterprise = EnterpriseFactory(town="乍浦镇")
            EnterpriseChainRoleFactory(enterprise=enterprise)
            EnterpriseAnnualMetricFactory(enterprise=enterprise)

    populate(3)
    with CaptureQueriesContext(connection) as few:
        admin_client.get(URL, {"year": 2024})
    populate(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get(URL, {"year": 2024}).context["count"] == 33


# ---------------------------------------------------------------- admin and roles


def admin_post(user, client, data):
    client.force_login(user)
    return client.post(reverse("admin:chains_enterpriseannualmetric_add"), data)


def metric_form(enterprise) -> dict:
    return {
        "enterprise": enterprise.pk,
        "year": 2024,
        "land_area": "100",
        "tax_paid": "1000",
        "industrial_output": "20000",
        "revenue": "21000",
        "energy_use": "",
        "employees": "50",
        "rd_spending": "",
    }


def test_bureau_staff_add_a_metric_in_the_admin(client):
    firm = EnterpriseFactory()
    response = admin_post(UserFactory(roles=[Role.BUREAU_STAFF]), client, metric_form(firm))
    assert response.status_code == 302, response.content
    assert EnterpriseAnnualMetric.objects.get().enterprise == firm


def test_an_official_cannot_add_a_metric_in_the_admin(client):
    official = UserFactory(roles=[Role.OFFICIAL])
    client.force_login(official)
    assert client.get(reverse("admin:chains_enterpriseannualmetric_add")).status_code == 403
    assert admin_post(official, client, metric_form(EnterpriseFactory())).status_code == 403
    assert not EnterpriseAnnualMetric.objects.exists()
    assert client.get(reverse("admin:chains_enterpriseannualmetric_changelist")).status_code == 200  # reads


def test_admin_refuses_bad_figures_with_the_field_named(client):
    bureau = UserFactory(roles=[Role.BUREAU_STAFF])
    response = admin_post(bureau, client, metric_form(EnterpriseFactory()) | {"land_area": "0"})
    assert response.status_code == 200
    assert "land_area" in response.context["adminform"].form.errors


def test_bureau_staff_manage_grade_schemes(client):
    client.force_login(UserFactory(roles=[Role.BUREAU_STAFF]))
    add = reverse("admin:chains_permugradescheme_add")
    data = {"year": 2024, "tax_per_mu_a": "40", "tax_per_mu_b": "20", "tax_per_mu_c": "10", "notes": ""}
    assert client.post(add, data).status_code == 302
    refused = client.post(add, data | {"year": 2023, "tax_per_mu_b": "50"})
    assert refused.status_code == 200 and PerMuGradeScheme.objects.count() == 1


def test_admin_pages_render_with_derived_figures(admin_client, firms, django_assert_max_num_queries):  # noqa: F811
    changelist = reverse("admin:chains_enterpriseannualmetric_changelist")
    response = admin_client.get(changelist, {"grade": "C"})
    assert response.status_code == 200
    assert [m.enterprise.name for m in response.context["cl"].result_list] == ["丙"]
    assert "8.33" in response.content.decode()  # the derived tax per mu, two places (pinghu.admin_figures)
    assert admin_client.get(changelist, {"year": 2024, "enterprise__town": "乍浦镇"}).status_code == 200
    change = reverse("admin:chains_enterpriseannualmetric_change", args=[firms["甲"].pk])
    assert admin_client.get(change).status_code == 200
    assert admin_client.get(reverse("admin:chains_permugradescheme_changelist")).status_code == 200
    history = reverse("admin:chains_enterpriseannualmetric_history", args=[firms["甲"].pk])
    assert admin_client.get(history).status_code == 200
    with CaptureQueriesContext(connection) as few:
        admin_client.get(changelist)
    for _ in range(10):
        EnterpriseAnnualMetricFactory()
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(changelist)
