"""Plausible input (issue 15): amounts under their ceilings, large amounts confirmed, no date before 2000.

The rules are in the models' clean(), so the page, the admin, the API and the import refuse alike.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from chains.models import EnterpriseAnnualMetric
from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.imports import ProjectResource
from projects.models import FollowUp, InvestmentVisit, Project
from projects.services import project_create, project_update
from tests.factories import (
    ChainFactory,
    EnterpriseAnnualMetricFactory,
    EnterpriseFactory,
    FollowUpFactory,
    InvestmentVisitFactory,
    LeaderFactory,
    ProjectFactory,
    UserFactory,
    unit_named,
)
from tests.importfiles import xlsx_bytes

pytestmark = pytest.mark.django_db

HUGE = Decimal("999999999999")
LARGE = Decimal("2000000")


def new_project(**values) -> Project:
    return Project(name="新项目", chain=ChainFactory(), investor=EnterpriseFactory(), total_investment=1, **values)


def refusal(write) -> dict:
    with pytest.raises(ValidationError) as caught:
        write()
    return caught.value.message_dict


class TestCeilings:
    def test_the_auditors_lead_is_refused_naming_field_and_ceiling(self):
        project = new_project()
        project.total_investment = HUGE
        errors = refusal(lambda: project_create(project=project, by=None, confirm_large_amounts=True))
        assert "总投资" in errors["total_investment"][0] and "10,000,000" in errors["total_investment"][0]
        assert not Project.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("foreign_investment", Decimal("1500001")),
            ("registered_capital", Decimal("10000001")),
            ("expected_tax", Decimal("1000001")),
        ],
    )
    def test_other_amounts_have_ceilings(self, field, value):
        errors = refusal(
            lambda: project_create(project=new_project(**{field: value}), by=None, confirm_large_amounts=True)
        )
        assert list(errors) == [field]

    def test_the_ceiling_is_a_setting(self, settings):
        settings.PINGHU_AMOUNT_CEILINGS = {"total_investment": "500"}
        project = new_project()
        project.total_investment = Decimal("501")
        assert "500" in refusal(lambda: project_create(project=project, by=None))["total_investment"][0]

    def test_per_mu_figures_have_ceilings(self):
        metric = EnterpriseAnnualMetricFactory.build(enterprise=EnterpriseFactory(), tax_paid=Decimal("1000001"))
        assert "tax_paid" in refusal(metric.full_clean)
        assert not EnterpriseAnnualMetric.objects.exists()


class TestWarningLine:
    def test_large_amount_needs_confirmation(self):
        project = new_project()
        project.total_investment = LARGE
        errors = refusal(lambda: project_create(project=project, by=None))
        assert "1,000,000" in errors["total_investment"][0] and "总投资" in errors["total_investment"][0]
        project = new_project()
        project.total_investment = LARGE
        assert project_create(project=project, by=None, confirm_large_amounts=True).pk

    def test_a_confirmed_amount_is_not_asked_again_but_a_new_one_is(self):
        project = new_project()
        project.total_investment = LARGE
        project = project_create(project=project, by=None, confirm_large_amounts=True)
        project_update(project=project, data={"name": "改名"}, expected_version=None)
        errors = refusal(
            lambda: project_update(project=project, data={"total_investment": LARGE + 1}, expected_version=None)
        )
        assert list(errors) == ["total_investment"]
        project_update(
            project=project, data={"total_investment": LARGE + 1}, expected_version=None, confirm_large_amounts=True
        )

    def test_restoring_a_version_with_a_confirmed_amount_is_not_asked_again(self):
        from projects.restore import project_restore

        project = new_project()
        project.total_investment = LARGE
        project = project_create(project=project, by=None, confirm_large_amounts=True)
        record = project.history.latest("history_id")
        project_update(project=project, data={"total_investment": Decimal("10")}, expected_version=None)
        assert project_restore(record).total_investment == LARGE


class TestApi:
    def body(self, **values):
        return {
            "name": "新项目",
            "chain": ChainFactory().code,
            "investor": EnterpriseFactory().pk,
            "total_investment": str(LARGE),
        } | values

    def test_without_the_flag_a_400_names_the_field_and_the_line(self, write_client):
        response = write_client.post("/api/v1/projects/", self.body(), format="json")
        assert response.status_code == 400
        message = response.json()["total_investment"][0]
        assert "1,000,000" in message and "confirm_large_amounts" in message
        response = write_client.post("/api/v1/projects/", self.body(confirm_large_amounts=True), format="json")
        assert response.status_code == 201, response.json()
        assert "confirm_large_amounts" not in response.json()

    def test_above_the_ceiling_even_confirmed_is_400(self, write_client):
        body = self.body(total_investment=str(HUGE), confirm_large_amounts=True)
        response = write_client.post("/api/v1/projects/", body, format="json")
        assert response.status_code == 400 and "10,000,000" in response.json()["total_investment"][0]

    def test_visit_with_a_large_new_lead(self, write_client):
        chain = ChainFactory()
        body = {
            "date": "2024-03-02",
            "leaders": [LeaderFactory().pk],
            "host_unit": unit_named("经信局").pk,
            "enterprise": EnterpriseFactory().pk,
            "purpose": "洽谈",
            "new_projects": [{"name": "大项目", "chain": chain.code, "total_investment": str(LARGE)}],
        }
        assert write_client.post("/api/v1/visits/", body, format="json").status_code == 400
        assert not InvestmentVisit.objects.exists()
        response = write_client.post("/api/v1/visits/", body | {"confirm_large_amounts": True}, format="json")
        assert response.status_code == 201, response.json()

    def test_the_flag_is_in_the_schema(self, read_client):
        schema = read_client.get("/api/schema/", {"format": "json"}).json()
        assert "confirm_large_amounts" in schema["components"]["schemas"]["ProjectDetailRequest"]["properties"]


class TestVisitPage:
    @staticmethod
    def firm_made() -> bool:
        from chains.models import Enterprise

        return Enterprise.objects.filter(name="已有企业").exists()

    def body(self, chain, **values):
        return {
            "date": timezone.localdate().isoformat(),
            "leaders": [LeaderFactory().pk],
            "enterprise_name": EnterpriseFactory.create(name="已有企业").name if not self.firm_made() else "已有企业",
            "purpose": "洽谈",
            "host_unit": unit_named("经信局").pk,
            "new_lead_name": "大项目",
            "new_lead_chain": chain.pk,
            "new_lead_investment": str(LARGE),
        } | values

    def test_the_checkbox_appears_with_the_warning_and_confirms(self, client):
        client.force_login(UserFactory(roles=[Role.OFFICIAL]))
        assert "confirm_large_amounts" not in client.get("/visits/new/").context["form"].fields
        chain = ChainFactory()
        response = client.post("/visits/new/", self.body(chain))
        form = response.context["form"]
        assert response.status_code == 200 and "confirm_large_amounts" in form.fields
        assert "1,000,000" in form.errors["new_lead_investment"][0]
        assert "确认金额无误" in response.content.decode()
        response = client.post("/visits/new/", self.body(chain, confirm_large_amounts="on"))
        assert response.status_code == 302
        assert Project.objects.get().total_investment == LARGE

    def test_above_the_ceiling_is_refused_even_confirmed(self, client):
        client.force_login(UserFactory(roles=[Role.OFFICIAL]))
        body = self.body(ChainFactory(), new_lead_investment=str(HUGE), confirm_large_amounts="on")
        response = client.post("/visits/new/", body)
        assert "10,000,000" in response.context["form"].errors["new_lead_investment"][0]
        assert not InvestmentVisit.objects.exists()


@pytest.mark.usefixtures("import_uploads")
class TestImport:
    def rows(self, **values):
        resource = ProjectResource()
        fields = resource.get_import_fields()
        row = {
            "name": "大项目",
            "chain": "nev",
            "investor": "嘉兴甲科技有限公司",
            "stage": "线索",
            "total_investment": int(LARGE),
            "first_contact_date": datetime.date(2024, 1, 10),
        } | values
        return [[str(f.column_name) for f in fields], [row.get(resource.get_field_name(f)) for f in fields]]

    def test_a_large_amount_needs_the_confirmation_column(self):
        ChainFactory(code="nev")
        EnterpriseFactory(name="嘉兴甲科技有限公司")
        bureau = UserFactory(roles=[Role.BUREAU_STAFF])
        report = run_import(ProjectResource(), xlsx_bytes(self.rows()), "p.xlsx", user=bureau, dry_run=False)
        assert [problem.column for problem in report.problems] == ["总投资（万元）"]
        assert "1,000,000" in report.problems[0].message and not Project.objects.exists()
        report = run_import(
            ProjectResource(), xlsx_bytes(self.rows(large_amounts_confirmed="是")), "p.xlsx", user=bureau, dry_run=False
        )
        assert not report.problems and Project.objects.get().total_investment == LARGE


class TestDates:
    def test_visit_dates_before_2000_refused_naming_the_field(self):
        visit = InvestmentVisitFactory.build(enterprise=EnterpriseFactory(), date=datetime.date(1999, 12, 31))
        errors = refusal(visit.full_clean)
        assert "2000-01-01" in errors["date"][0] and "日期" in errors["date"][0]
        visit.date = datetime.date(2000, 1, 1)
        visit.full_clean()

    def test_project_dates_before_2000_refused(self):
        errors = refusal(new_project(first_contact_date=datetime.date(1999, 1, 1)).full_clean)
        assert "2000-01-01" in errors["first_contact_date"][0]

    def test_follow_up_dates_before_2000_refused(self):
        follow_up = FollowUp(project=ProjectFactory(), date=datetime.date(1998, 5, 1), note="x")
        assert "date" in refusal(follow_up.full_clean)

    def test_the_database_refuses_them_too(self):
        visit = InvestmentVisitFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            InvestmentVisit.objects.filter(pk=visit.pk).update(date=datetime.date(1999, 1, 1))
        project = ProjectFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            Project.objects.filter(pk=project.pk).update(first_contact_date=datetime.date(1999, 1, 1))
        follow_up = FollowUpFactory()
        with pytest.raises(IntegrityError), transaction.atomic():
            FollowUp.objects.filter(pk=follow_up.pk).update(date=datetime.date(1999, 1, 1))
