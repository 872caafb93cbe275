"""Near-duplicate firms are offered instead of created (issue 15): model, admin, the visit form, the import."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chains.imports import EnterpriseResource
from chains.models import Enterprise
from pinghu.imports import run_import
from pinghu.permissions import Role
from projects.models import InvestmentVisit
from tests.factories import EnterpriseFactory, LeaderFactory, UserFactory, make_credit_code, unit_named
from tests.importfiles import xlsx_bytes

pytestmark = pytest.mark.django_db


def refusal(enterprise: Enterprise) -> dict:
    with pytest.raises(ValidationError) as caught:
        enterprise.full_clean()
    return caught.value.message_dict


class TestModel:
    def test_company_form_variant_offers_the_recorded_firm(self):
        EnterpriseFactory(name="平湖甲科技有限公司")
        errors = refusal(Enterprise(name="平湖甲科技有限责任公司"))
        assert "平湖甲科技有限公司" in errors["name"][0]

    def test_the_variant_can_be_confirmed_as_another_firm(self):
        EnterpriseFactory(name="平湖甲科技有限公司")
        firm = Enterprise(name="平湖甲科技有限责任公司")
        firm.near_name_confirmed = True
        firm.full_clean()

    def test_spaces_and_full_width_forms_offer_the_recorded_firm(self):
        EnterpriseFactory(name="平湖ABC有限公司")
        for typed in ["平湖 ABC 有限公司", "平湖ＡＢＣ有限公司", "平湖abc有限公司"]:
            assert "平湖ABC有限公司" in refusal(Enterprise(name=typed))["name"][0]

    def test_a_recorded_credit_code_names_its_firm(self):
        code = make_credit_code(501)
        EnterpriseFactory(name="已有企业有限公司", credit_code=code)
        errors = refusal(Enterprise(name="另一家企业有限公司", credit_code=code.lower()))
        assert "已有企业有限公司" in errors["credit_code"][0]

    def test_editing_a_firm_is_not_refused_for_its_own_name(self):
        firm = EnterpriseFactory(name="平湖甲科技有限公司")
        firm.notes = "改了备注"
        firm.full_clean()


class TestVisitForm:
    def test_new_firm_path_offers_the_recorded_firm(self, client):
        client.force_login(UserFactory(roles=[Role.OFFICIAL]))
        EnterpriseFactory(name="嘉兴乙制造有限公司")
        body = {
            "date": timezone.localdate().isoformat(),
            "leaders": [LeaderFactory().pk],
            "enterprise_name": "嘉兴乙制造有限责任公司",
            "create_enterprise": "on",
            "purpose": "洽谈",
            "host_unit": unit_named("经信局").pk,
        }
        response = client.post("/visits/new/", body)
        assert response.status_code == 200
        assert "嘉兴乙制造有限公司" in response.context["form"].errors["enterprise_name"][0]
        assert Enterprise.objects.count() == 1 and not InvestmentVisit.objects.exists()


class TestAdmin:
    def body(self, **values):
        return (
            {"name": "平湖甲科技有限责任公司", "srdi_level": "none", "in_pinghu": "on"}
            | values
            | {
                "chain_roles-TOTAL_FORMS": "0",
                "chain_roles-INITIAL_FORMS": "0",
            }
        )

    def test_admin_offers_the_recorded_firm_and_accepts_the_tick(self, admin_client):
        EnterpriseFactory(name="平湖甲科技有限公司")
        response = admin_client.post("/admin/chains/enterprise/add/", self.body())
        assert response.status_code == 200 and "平湖甲科技有限公司" in response.content.decode()
        assert Enterprise.objects.count() == 1
        response = admin_client.post("/admin/chains/enterprise/add/", self.body(near_name_confirmed="on"))
        assert response.status_code == 302
        assert Enterprise.objects.count() == 2


@pytest.mark.usefixtures("import_uploads")
class TestImport:
    def test_the_report_offers_the_recorded_firm(self):
        EnterpriseFactory(name="平湖丙材料有限公司", credit_code=None)
        resource = EnterpriseResource()
        fields = resource.get_import_fields()
        headers = [str(field.column_name) for field in fields]
        row = ["平湖丙材料有限责任公司" if resource.get_field_name(field) == "name" else None for field in fields]
        report = run_import(
            EnterpriseResource(), xlsx_bytes([headers, row]), "e.xlsx", user=UserFactory(), dry_run=False
        )
        assert any("平湖丙材料有限公司" in problem.message for problem in report.problems), report.problems
        assert Enterprise.objects.count() == 1
