"""The bureau's data-quality page (issue 15): large amounts to review, likely duplicate firms and their merge."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from aftercare.models import CadreAssignment, EnterpriseIssue, LandRenewal
from chains.models import Enterprise, EnterpriseAnnualMetric, EnterpriseChainRole
from chains.services import enterprise_merge
from pinghu.permissions import Role
from projects.models import InvestmentVisit, Project
from tests.factories import (
    CadreAssignmentFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseChainRoleFactory,
    EnterpriseFactory,
    EnterpriseIssueFactory,
    InvestmentVisitFactory,
    LandRenewalFactory,
    ProjectFactory,
    SalonEventFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def bureau(client):
    user = UserFactory(roles=[Role.BUREAU_STAFF])
    client.force_login(user)
    return user


def twins():
    return EnterpriseFactory(name="平湖甲科技有限公司"), EnterpriseFactory(
        name="平湖甲科技有限责任公司", credit_code=None
    )


class TestPage:
    def test_for_bureau_staff_only_and_in_their_menu(self, client, bureau):
        response = client.get("/data-quality/")
        assert response.status_code == 200 and "数据质量" in response.content.decode()
        assert 'href="/data-quality/"' in response.content.decode()
        client.force_login(UserFactory(roles=[Role.OFFICIAL]))
        assert client.get("/data-quality/").status_code == 403

    def test_empty_states(self, client, bureau):
        assert "没有超过提醒线的金额" in client.get("/data-quality/").content.decode()
        assert "没有疑似重复的企业" in client.get("/data-quality/?show=duplicates").content.decode()

    def test_large_amounts_are_listed_paginated(self, client, bureau):
        ProjectFactory(name="普通项目", total_investment=Decimal("5000"))
        ProjectFactory.create_batch(51, total_investment=Decimal("1500000"))
        ProjectFactory(name="外资大项目", foreign_investment=Decimal("200000"))
        page = client.get("/data-quality/").context["page"]
        assert page.paginator.count == 52 and len(page.object_list) == 50
        assert "普通项目" not in {project.name for project in page.paginator.object_list}

    def test_likely_duplicates_are_listed(self, client, bureau):
        twins()
        EnterpriseFactory(name="平湖 乙 有限公司")
        EnterpriseFactory(name="平湖乙有限公司")
        EnterpriseFactory(name="无关企业有限公司")
        groups = client.get("/data-quality/?show=duplicates").context["page"].object_list
        names = [[firm.name for firm in group["firms"]] for group in groups]
        assert names == [["平湖 乙 有限公司", "平湖乙有限公司"], ["平湖甲科技有限公司", "平湖甲科技有限责任公司"]]


class TestMerge:
    def test_every_link_moves_in_one_step_with_history(self, bureau):
        keep, duplicate = twins()
        project = ProjectFactory(investor=duplicate)
        visit = InvestmentVisitFactory(enterprise=duplicate)
        issue = EnterpriseIssueFactory(enterprise=duplicate)
        cadre = CadreAssignmentFactory(enterprise=duplicate)
        renewal = LandRenewalFactory(enterprise=duplicate)
        role = EnterpriseChainRoleFactory(enterprise=duplicate)
        metric = EnterpriseAnnualMetricFactory(enterprise=duplicate, year=2023)
        EnterpriseAnnualMetricFactory(enterprise=keep, year=2024)
        salon = SalonEventFactory()
        salon.enterprises.add(duplicate, keep)
        moved = enterprise_merge(keep=keep, duplicate=duplicate, by=bureau)
        assert sum(moved.values()) == 8
        assert not Enterprise.objects.filter(pk=duplicate.pk).exists()
        for model, row in [
            (Project, project),
            (InvestmentVisit, visit),
            (EnterpriseIssue, issue),
            (CadreAssignment, cadre),
            (LandRenewal, renewal),
            (EnterpriseChainRole, role),
            (EnterpriseAnnualMetric, metric),
        ]:
            field = "investor" if model is Project else "enterprise"
            assert getattr(model.objects.get(pk=row.pk), f"{field}_id") == keep.pk, model
            latest = model.history.filter(id=row.pk).latest("history_id")
            assert latest.history_user_id == bureau.pk and "平湖甲科技有限责任公司" in latest.history_change_reason
        assert list(salon.enterprises.all()) == [keep]
        deleted = Enterprise.history.filter(id=duplicate.pk, history_type="-").get()
        assert deleted.history_user_id == bureau.pk

    def test_a_merge_that_breaks_a_unique_rule_is_refused_whole(self):
        keep, duplicate = twins()
        EnterpriseAnnualMetricFactory(enterprise=keep, year=2023)
        EnterpriseAnnualMetricFactory(enterprise=duplicate, year=2023)
        project = ProjectFactory(investor=duplicate)
        with pytest.raises(ValidationError) as caught:
            enterprise_merge(keep=keep, duplicate=duplicate)
        assert "亩均" in str(caught.value) or "年份" in str(caught.value)
        assert Project.objects.get(pk=project.pk).investor_id == duplicate.pk
        assert Enterprise.objects.filter(pk=duplicate.pk).exists()

    def test_two_current_cadres_refuse_the_merge(self):
        keep, duplicate = twins()
        CadreAssignmentFactory(enterprise=keep)
        CadreAssignmentFactory(enterprise=duplicate)
        with pytest.raises(ValidationError):
            enterprise_merge(keep=keep, duplicate=duplicate)

    def test_the_kept_firm_takes_what_it_lacks(self):
        keep = EnterpriseFactory(name="平湖丁有限公司", credit_code=None)
        duplicate = EnterpriseFactory(name="平湖丁有限责任公司", address="新华路1号")
        code = duplicate.credit_code
        enterprise_merge(keep=keep, duplicate=duplicate)
        keep.refresh_from_db()
        assert keep.credit_code == code and keep.address == "新华路1号"

    def test_the_page_merges_with_the_permission_only(self, client, bureau):
        keep, duplicate = twins()
        ProjectFactory(investor=duplicate)
        response = client.post("/data-quality/merge/", {"keep": keep.pk, "duplicate": duplicate.pk}, follow=True)
        assert response.status_code == 200 and "已并入" in response.content.decode()
        assert Project.objects.get().investor == keep
        other_keep, other_duplicate = EnterpriseFactory(name="甲有限公司"), EnterpriseFactory(name="甲有限责任公司")
        client.force_login(UserFactory(roles=[Role.OFFICIAL]))
        body = {"keep": other_keep.pk, "duplicate": other_duplicate.pk}
        assert client.post("/data-quality/merge/", body).status_code == 403
        assert Enterprise.objects.filter(pk=other_duplicate.pk).exists()


def test_query_budget_does_not_grow_with_rows(client, bureau, django_assert_max_num_queries):
    for number in range(30):
        ProjectFactory(total_investment=Decimal("2000000"))
        EnterpriseFactory(name=f"平湖{number}号有限公司")
        EnterpriseFactory(name=f"平湖{number}号有限责任公司", credit_code=None)
    with django_assert_max_num_queries(12):
        assert client.get("/data-quality/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/data-quality/?show=duplicates").status_code == 200
